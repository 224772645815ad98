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
    struct CallRow: Sendable { let number: String; let counter: String; let newest: Bool }
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
        let services: [ServiceRow]
        let absent: String
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
        router.get("display/lobby/:monitor") { request, context in try await render(request, context, kind: .lobby) }
        router.get("display/backyard/:monitor") { request, context in try await render(request, context, kind: .backyard) }
    }

    func render(_ request: Request, _ context: AppRequestContext, kind: MonitorKind) async throws -> Response {
        let id = try context.parameters.require("monitor")
        let layout = dependencies.layout.current
        guard let monitor = layout.monitor(id), monitor.kind == kind, let office = layout.office(monitor.officeID),
              let status = dependencies.projection.status(officeID: office.id)?.status else {
            throw DomainError.monitorNotFound(id)
        }
        let text = VisitorText.ja
        let now = dependencies.clock.now()
        let inOffice = await DeviceAccess.isInOffice(request, officeID: office.id, dependencies: dependencies)
        let shown = monitor.serviceIDs.isEmpty ? Set(status.services.map(\.id)) : Set(monitor.serviceIDs)
        let services = status.services.filter { shown.contains($0.id) }
        let rows = services.map { service in
            ServiceRow(
                id: service.id, name: service.name, waiting: text.people(service.waiting), estimate: text.minutes(service.estimatedWaitMinutes),
                laterStages: Self.laterStages(service), issuedToday: service.issuedToday,
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
        return try renderer.page(kind == .lobby ? "lobby" : "backyard", Model(
            text: text, monitorID: monitor.id, officeName: office.name, monitorName: monitor.name,
            eventsURL: "/events/offices/\(office.id)?device=\(kind.rawValue):\(monitor.id)",
            serviceIDs: services.map(\.id).joined(separator: ","), voiceGender: monitor.voiceGender.rawValue, volume: String(monitor.volume),
            announceLanguages: monitor.announceLanguages.map(Self.voiceTag).joined(separator: ","),
            ticker: Language.allCases.map { monitor.ticker.text($0) }.filter { !$0.isEmpty }.uniqued().joined(separator: "　／　"),
            hasTicker: !monitor.ticker.isEmpty,
            calls: calls.prefix(8).enumerated().map { CallRow(number: $1.displayNumber, counter: $1.counterName, newest: $0 == 0) },
            hasCalls: !calls.isEmpty, services: rows,
            absent: services.flatMap(\.absent).joined(separator: "　"),
            rotationSeconds: monitor.rotationSeconds, amberMinutes: monitor.amberMinutes, redMinutes: monitor.redMinutes,
            issuedToday: services.reduce(0) { $0 + $1.issuedToday }, openCounters: status.openCounters, clock: ClockText.hoursMinutes(now),
            checkInCode: inOffice ? dependencies.checkInCode(officeID: office.id) : "", hasCheckInCode: inOffice))
    }

    /// 「審査待ち 5人　交付待ち 2人」: the waits at the stages after the first (the exact Q7 figures).
    static func laterStages(_ service: ServiceStatus) -> String {
        service.stages.dropFirst().map { "\($0.name)待ち \($0.waiting)人" }.joined(separator: "　")
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
