import Foundation
import Hummingbird
import MadoguchiCore
import Synchronization

/// Public reads of configuration and live status, and ticket issuing (kiosks).
struct OfficeAPIController {
    let dependencies: WebDependencies
    let issuing: TicketIssuing
    let statusCache = StatusCache()

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("offices", use: offices)
        api.get("offices/:office/status", use: status)
        api.post("offices/:office/tickets", use: issueTicket)
        api.get("tickets/:token", use: ticket)
    }

    struct OfficeListing: Encodable {
        struct ServiceEntry: Encodable { let id, name, prefix: String; let numberRange: [Int]; let stages: [Stage] }
        struct CounterEntry: Encodable { let id, name: String; let stages: [String] }
        let id, name: String
        let services: [ServiceEntry]
        let counters: [CounterEntry]
    }

    @Sendable func offices(_ request: Request, context: AppRequestContext) async throws -> Response {
        let layout = dependencies.layout.current
        let listing = layout.offices.map { office in
            OfficeListing(
                id: office.id, name: office.name,
                services: layout.services(in: office.id).map {
                    .init(id: $0.id, name: $0.name, prefix: $0.prefix, numberRange: [$0.numberRange.lowerBound, $0.numberRange.upperBound], stages: $0.route)
                },
                counters: layout.counters(in: office.id).map { .init(id: $0.id, name: $0.name, stages: $0.stageIDs) })
        }
        return try JSONIO.response(listing)
    }

    /// Served from the projection; the encoded answer is reused until the queue changes.
    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let officeID = try context.parameters.require("office")
        if let cached = statusCache.buffer(office: officeID, generation: dependencies.projection.currentGeneration()) {
            return JSONIO.response(buffer: cached)
        }
        guard let (status, generation) = dependencies.projection.status(officeID: officeID) else {
            throw DomainError.officeNotFound(officeID)
        }
        let buffer = ByteBuffer(data: try JSONIO.encoder.encode(status))
        statusCache.store(buffer, office: officeID, generation: generation)
        return JSONIO.response(buffer: buffer)
    }

    /// `kiosk`: the kiosk that issued the ticket (its print agent then prints it).
    struct IssueRequest: Decodable { let service: String; let kiosk: String? }

    @Sendable func issueTicket(_ request: Request, context: AppRequestContext) async throws -> Response {
        let officeID = try context.parameters.require("office")
        guard dependencies.layout.current.office(officeID) != nil else { throw DomainError.officeNotFound(officeID) }
        let body = try await JSONIO.decode(IssueRequest.self, from: request, context: context)
        let kiosk = try await issuing.admit(request, context: context, officeID: officeID, serviceID: body.service, claimedKiosk: body.kiosk)
        let ticket = try await dependencies.queue.issueTicket(officeID: officeID, serviceID: body.service, kioskID: kiosk)
        return try JSONIO.response(dependencies.projection.ticketView(id: ticket.id) ?? QueueProjection.archivedView(of: ticket), status: .created)
    }

    @Sendable func ticket(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        return try JSONIO.response(try await dependencies.ticketView(token: token))
    }
}

/// Encoded status answers per office, valid while the projection's generation is unchanged. A ByteBuffer is shared
/// copy-on-write, so serving a cached answer copies nothing.
final class StatusCache: Sendable {
    private let entries = Mutex<[String: (generation: Int, buffer: ByteBuffer)]>([:])

    func buffer(office: String, generation: Int) -> ByteBuffer? {
        entries.withLock { entries in
            guard let entry = entries[office], entry.generation == generation else { return nil }
            return entry.buffer
        }
    }

    func store(_ buffer: ByteBuffer, office: String, generation: Int) {
        entries.withLock { $0[office] = (generation, buffer) }
    }
}
