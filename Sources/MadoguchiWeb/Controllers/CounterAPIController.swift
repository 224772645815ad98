import Foundation
import Hummingbird
import MadoguchiCore

/// Counter operations (Q5, Q6) for signed-in staff allowed at the counter's office.
struct CounterAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        let counters = api.group("counters").add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        counters.post(":counter/call-next", use: callNext)
        counters.post(":counter/recall") { try await operate($1) { try await $0.recall(counterID: $1) } }
        counters.post(":counter/hold") { try await operate($1) { try await $0.hold(counterID: $1) } }
        counters.post(":counter/absent") { try await operate($1) { try await $0.markAbsent(counterID: $1) } }
        counters.post(":counter/finish") { try await operate($1) { try await $0.finish(counterID: $1) } }
        counters.post(":counter/cancel", use: cancel)
        counters.post(":counter/call", use: call)
        counters.post(":counter/transfer", use: transfer)
        counters.post(":counter/open") { try await setOpen($1, true) }
        counters.post(":counter/close") { try await setOpen($1, false) }
        counters.get(":counter/board") { _, context in
            try JSONIO.response(dependencies.projection.board(for: try authorizedCounter(context)))
        }
    }

    /// The counter named in the path, after checking the user may work at its office (404 before 403 would
    /// only tell signed-in staff what exists, which they may know).
    private func authorizedCounter(_ context: AppRequestContext) throws -> Counter {
        let counterID = try context.parameters.require("counter")
        guard let counter = dependencies.layout.current.counter(counterID) else { throw DomainError.counterNotFound(counterID) }
        guard let staff = context.staff else { throw APIError.notSignedIn }
        guard staff.may(.operateCounters, at: counter.officeID) else { throw APIError.forbidden }
        return counter
    }

    private func answer(_ ticket: Ticket) throws -> Response {
        try JSONIO.response(dependencies.projection.ticketView(id: ticket.id) ?? QueueProjection.archivedView(of: ticket))
    }

    private func operate(_ context: AppRequestContext, _ operation: (QueueService, String) async throws -> Ticket) async throws -> Response {
        let counter = try authorizedCounter(context)
        return try answer(try await operation(dependencies.queue, counter.id))
    }

    @Sendable func callNext(_ request: Request, context: AppRequestContext) async throws -> Response {
        let counter = try authorizedCounter(context)
        guard let ticket = try await dependencies.queue.callNext(counterID: counter.id) else { return Response(status: .noContent) }
        return try answer(ticket)
    }

    struct NumberRequest: Decodable { let number: Int }

    @Sendable func call(_ request: Request, context: AppRequestContext) async throws -> Response {
        let counter = try authorizedCounter(context)
        let body = try await JSONIO.decode(NumberRequest.self, from: request, context: context)
        return try answer(try await dependencies.queue.call(counterID: counter.id, number: body.number))
    }

    /// Without a body: cancel the current ticket. With `{"number": n}`: cancel a ticket not yet called.
    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let counter = try authorizedCounter(context)
        if request.headers[.contentLength].flatMap(Int.init) ?? 0 > 0 || request.headers[.transferEncoding] != nil {
            let body = try await JSONIO.decode(NumberRequest.self, from: request, context: context)
            return try answer(try await dependencies.queue.cancel(counterID: counter.id, number: body.number))
        }
        return try answer(try await dependencies.queue.cancelCurrent(counterID: counter.id))
    }

    struct TransferRequest: Decodable { let stage: String?; let counter: String? }

    @Sendable func transfer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let counter = try authorizedCounter(context)
        let body = try await JSONIO.decode(TransferRequest.self, from: request, context: context)
        let target: TransferTarget
        switch (body.stage, body.counter) {
        case (let stage?, nil): target = .stage(stage)
        case (nil, let destination?): target = .counter(destination)
        default:
            throw APIError(.unprocessableContent, code: "invalid_transfer_target", message: "回し先は stage か counter のどちらか一方を指定してください。")
        }
        return try answer(try await dependencies.queue.transfer(counterID: counter.id, to: target))
    }

    private func setOpen(_ context: AppRequestContext, _ open: Bool) async throws -> Response {
        let counter = try authorizedCounter(context)
        try await dependencies.queue.setCounterOpen(counterID: counter.id, open: open)
        return Response(status: .noContent)
    }
}
