import Hummingbird
import MadoguchiCore

/// `/display/counter/{counter}` (Q8): the number being served at one counter, very large, with chime and voice.
struct CounterDisplayController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    /// Everything the template shows; computed here so the template only places it.
    struct Model: Sendable {
        let officeName: String
        let counterID: String
        let counterName: String
        let currentNumber: String
        let hasCurrentNumber: Bool
        let eventsURL: String
        let text: VisitorText
        let htmlLang: String
        let languages: String
        let texts: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.displayCounter(.key)) { request, context in
            let counterID = try context.parameters.require("counter")
            let layout = dependencies.layout.current
            guard let counter = layout.counter(counterID), let office = layout.office(counter.officeID) else {
                throw DomainError.counterNotFound(counterID)
            }
            let current = dependencies.projection.ticketServed(by: counter)?.displayNumber
            let languages = MonitorController.displayLanguages(request, announced: [])
            let text = VisitorText.of(languages[0])
            return try renderer.page(
                "counter-display",
                Model(
                    officeName: office.name(in: text.language), counterID: counter.id, counterName: PhraseBreaks.wrappable(counter.name(in: text.language)),
                    currentNumber: current ?? "", hasCurrentNumber: current != nil,
                    eventsURL: "/events/offices/\(office.id)?device=counter:\(counter.id)",
                    text: text, htmlLang: text.htmlLang, languages: languages.map(\.rawValue).joined(separator: ","),
                    texts: try MonitorController.displayTexts(languages, officeID: office.id, layout: layout)))
        }
    }
}
