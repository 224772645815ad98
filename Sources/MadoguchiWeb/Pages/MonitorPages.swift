import Foundation
import Hummingbird
import MadoguchiCore

/// `/display/lobby/{monitor}` (Q9) and `/display/backyard/{monitor}` (Q10). Both render the current status on the
/// server and then follow the office's live events; opening a URL on another device adds another screen.
struct MonitorController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    struct ServiceRow: Sendable {
        let id: String
        let name: String
        let waiting: String
        let estimate: String
        let laterStages: String
        let issuedToday: Int
        let stages: [StageRow]
    }
    struct StageRow: Sendable {
        let id: String
        let name: String
        let waiting: Int
        let oldestMinutes: String
        let oldestSince: String
        let urgency: String
        let urgencyLabel: String
        let openCounters: Int
    }
    struct CallRow: Sendable { let number: String; let counter: String; let counterID: String; let newest: Bool }
    /// How many calls the lobby shows in full size (digits ≥ 150 px on 1080 p, readable at 10 m); older calls
    /// follow on one line of smaller numbers, so the screen fits 1920×1080 at any load.
    static let largeCalls = 3
    static let earlierCalls = 6
    struct Model: Sendable {
        let text: VisitorText
        let monitorID: String
        let officeName: String
        let monitorName: String
        let eventsURL: String
        let serviceIDs: String
        let voiceGender: String
        let volume: String
        let announceLanguages: String
        let ticker: String
        let hasTicker: Bool
        let calls: [CallRow]
        let hasCalls: Bool
        let earlierCalls: String
        let hasEarlierCalls: Bool
        let services: [ServiceRow]
        let absent: String
        let hasAbsent: Bool
        /// The language shown first, the languages the screen alternates (one with `?lang=`), and their words
        /// (fixed words plus office, service, stage and counter names) as JSON for lobby.js.
        let htmlLang: String
        let languages: String
        let texts: String
        let rotationSeconds: Int
        let amberMinutes: Int
        let redMinutes: Int
        let issuedToday: Int
        let openCounters: Int
        let clock: String
        /// Empty unless the monitor is a registered device of the office (or staff opened it): the code proves
        /// arrival, so it is not in a page anyone can fetch from home.
        let checkInCode: String
        let hasCheckInCode: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.displayLobby(.key)) { request, context in try await render(request, context, kind: .lobby) }
        router.get(SiteURL.displayBackyard(.key)) { request, context in try await render(request, context, kind: .backyard) }
    }

    func render(_ request: Request, _ context: AppRequestContext, kind: MonitorKind) async throws -> Response {
        let id = try context.parameters.require("monitor")
        let layout = dependencies.layout.current
        guard let monitor = layout.monitor(id), monitor.kind == kind, let office = layout.office(monitor.officeID),
            let status = dependencies.projection.status(officeID: office.id)?.status
        else {
            throw DomainError.monitorNotFound(id)
        }
        let languages = kind == .lobby ? Self.displayLanguages(request, announced: monitor.announceLanguages) : [.ja]
        let language = languages[0]
        let text = VisitorText.of(language)
        let now = dependencies.clock.now()
        let inOffice = await DeviceAccess.isInOffice(request, officeID: office.id, dependencies: dependencies)
        let shown = monitor.serviceIDs.isEmpty ? Set(status.services.map(\.id)) : Set(monitor.serviceIDs)
        let services = status.services.filter { shown.contains($0.id) }
        let rows = services.map { service in
            ServiceRow(
                id: service.id, name: PhraseBreaks.wrappable(layout.service(service.id)?.name(in: language) ?? service.name),
                waiting: text.people(service.waiting),
                estimate: text.minutes(service.estimatedWaitMinutes),
                laterStages: Self.laterStages(service, text: text, layout: layout), issuedToday: service.issuedToday,
                stages: service.stages.map { stage in
                    let minutes = stage.oldestWaitingSince.map { max(0, Int(now.timeIntervalSince($0) / 60)) }
                    let urgency = minutes.map(monitor.urgency(waitedMinutes:)) ?? .normal
                    return StageRow(
                        id: stage.id, name: stage.name, waiting: stage.waiting, oldestMinutes: minutes.map { "\($0)分" } ?? "ー",
                        oldestSince: stage.oldestWaitingSince.map { String(Int64($0.timeIntervalSince1970 * 1000)) } ?? "",
                        urgency: urgency.rawValue, urgencyLabel: Self.urgencyLabel(urgency), openCounters: stage.openCounters)
                })
        }
        let calls = status.calls.filter { shown.contains($0.service) }
        let earlier = calls.dropFirst(Self.largeCalls).prefix(Self.earlierCalls).map(\.displayNumber)
        let absent = services.flatMap(\.absent)
        return try renderer.page(
            kind == .lobby ? "lobby" : "backyard",
            Model(
                text: text, monitorID: monitor.id, officeName: office.name(in: language), monitorName: monitor.name,
                eventsURL: "/events/offices/\(office.id)?device=\(kind.rawValue):\(monitor.id)",
                serviceIDs: services.map(\.id).joined(separator: ","), voiceGender: monitor.voiceGender.rawValue, volume: String(monitor.volume),
                announceLanguages: monitor.announceLanguages.map(Self.voiceTag).joined(separator: ","),
                ticker: Language.allCases.map { monitor.ticker.text($0) }.filter { !$0.isEmpty }.uniqued().joined(separator: "　／　"),
                hasTicker: !monitor.ticker.isEmpty,
                calls: calls.prefix(Self.largeCalls).enumerated().map {
                    CallRow(
                        number: $1.displayNumber, counter: PhraseBreaks.wrappable(layout.counter($1.counter)?.name(in: language) ?? $1.counterName),
                        counterID: $1.counter, newest: $0 == 0)
                },
                hasCalls: !calls.isEmpty, earlierCalls: earlier.joined(separator: "　"), hasEarlierCalls: !earlier.isEmpty, services: rows,
                absent: absent.joined(separator: "　"), hasAbsent: !absent.isEmpty,
                htmlLang: text.htmlLang, languages: languages.map(\.rawValue).joined(separator: ","),
                texts: try Self.displayTexts(languages, officeID: office.id, layout: layout),
                rotationSeconds: monitor.rotationSeconds, amberMinutes: monitor.amberMinutes, redMinutes: monitor.redMinutes,
                issuedToday: services.reduce(0) { $0 + $1.issuedToday }, openCounters: status.openCounters, clock: ClockText.hoursMinutes(now),
                checkInCode: inOffice ? dependencies.checkInCode(officeID: office.id) : "", hasCheckInCode: inOffice))
    }

    /// 「審査待ち 5人　交付待ち 2人」: the waits at the stages after the first (the exact Q7 figures).
    static func laterStages(_ service: ServiceStatus, text: VisitorText, layout: OfficeLayout) -> String {
        let route = layout.service(service.id)?.route ?? []
        return service.stages.dropFirst().map { stage in
            text.laterStage(route.first { $0.id == stage.id }?.name(in: text.language) ?? stage.name, stage.waiting)
        }.joined(separator: "　")
    }

    /// `?lang=` shows one language; otherwise the lobby alternates Japanese, English and the languages it
    /// announces in.
    static func displayLanguages(_ request: Request, announced: [Language]) -> [Language] {
        if let chosen = request.uri.queryParameters["lang"].flatMap({ Language(tag: String($0)) }) { return [chosen] }
        return ([.ja, .en] + announced).uniqued()
    }

    /// Each language's fixed display words, with the office's names under `office`, `service:ID`, `stage:ID`
    /// and `counter:ID`: what a display needs to redraw itself in that language.
    static func displayTexts(_ languages: [Language], officeID: String, layout: OfficeLayout) throws -> String {
        var texts: [String: [String: String]] = [:]
        for language in languages {
            var words = VisitorText.of(language).displayWords
            words["office"] = layout.office(officeID)?.name(in: language)
            for service in layout.services(in: officeID) {
                words["service:\(service.id)"] = PhraseBreaks.wrappable(service.name(in: language))
                for stage in service.route { words["stage:\(stage.id)"] = stage.name(in: language) }
            }
            for counter in layout.counters(in: officeID) { words["counter:\(counter.id)"] = PhraseBreaks.wrappable(counter.name(in: language)) }
            texts[language.rawValue] = words
        }
        return String(decoding: try JSONIO.encoder.encode(texts), as: UTF8.self)
    }

    static func urgencyLabel(_ urgency: WaitUrgency) -> String {
        switch urgency {
        case .normal: ""
        case .amber: "⚠ 注意"
        case .red: "⛔ 要対応"
        }
    }

    /// The BCP 47 tag the composer gives announcements of a language (what the browser picks a voice by).
    static func voiceTag(_ language: Language) -> String {
        AnnouncementComposer.call(displayNumber: "1", counterNumber: 1, counterName: "", language: language).language
    }
}

extension Sequence where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
