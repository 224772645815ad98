import Foundation
import Hummingbird
import HTTPTypes
import MadoguchiCore
import ServiceLifecycle
import Synchronization

/// `GET /events/offices/{office}`: the office's live events as Server-Sent Events.
///
/// A stream starts with `retry:` and a `status` snapshot, replays what the client missed after its
/// `Last-Event-ID`, then sends every event as it is committed (each with the office status after it, so a screen
/// only ever renders the latest status), and a comment line as heartbeat. It ends when the client goes away and when
/// the server shuts down. Messages carry no ticket tokens: lobby screens are public.
struct LiveEventsController {
    let dependencies: WebDependencies
    let heartbeat: Duration
    /// Every screen of an office receives the same live message for an event: format it once, not once per screen.
    let formatted = FormattedMessages()

    /// Most events replayed on resume; a client further behind starts from the snapshot it gets anyway.
    static let replayLimit = 500

    func register(on router: Router<AppRequestContext>) {
        router.get("events/offices/:office", use: stream)
        router.get("events/city", use: cityStream)
    }

    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let officeID = try context.parameters.require("office")
        guard dependencies.layout.current.office(officeID) != nil else { throw DomainError.officeNotFound(officeID) }
        let lastEventID = request.headers[Self.lastEventIDHeader].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let device = Self.device(of: request, officeID: officeID, dependencies: dependencies)
        // Subscribe before reading the snapshot and the replay, so nothing committed in between is lost; the
        // replayed sequences are remembered to skip their live copies.
        let events = dependencies.events.subscribe(officeID: officeID)
        let dependencies = self.dependencies
        let heartbeat = self.heartbeat
        let formatted = self.formatted

        return Self.eventStream(request: request, context: context, heartbeat: heartbeat, presence: dependencies.devices.presence, device: device) { outbox in
            var replayed = Set<Int64>()
            if let (status, _) = dependencies.projection.status(officeID: officeID) {
                outbox.yield(SSEMessage.format(event: "status", id: nil, data: try JSONIO.encoder.encode(status)))
            }
            if let lastEventID {
                for event in try await dependencies.queue.events(officeID: officeID, after: lastEventID, limit: Self.replayLimit) {
                    if let sequence = event.sequence { replayed.insert(sequence) }
                    // Formatted afresh: a replayed event carries today's status, never an older one.
                    outbox.yield(try SSEMessage.format(event, dependencies: dependencies))
                }
            }
            for await event in events where !(event.sequence.map(replayed.contains) ?? false) {
                outbox.yield(try formatted.message(for: event) { try SSEMessage.format(event, dependencies: dependencies) })
            }
        }
    }

    /// `GET /events/city`: the status of every office as it changes (the public front page compares offices).
    /// Each message is an event `status` whose data is one office's OfficeStatus.
    @Sendable func cityStream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let events = dependencies.events.subscribe(officeID: EventHub.everyOffice)
        let dependencies = self.dependencies
        return Self.eventStream(request: request, context: context, heartbeat: heartbeat, presence: dependencies.devices.presence, device: nil) { outbox in
            for office in dependencies.layout.current.offices {
                if let (status, _) = dependencies.projection.status(officeID: office.id) {
                    outbox.yield(SSEMessage.format(event: "status", id: nil, data: try JSONIO.encoder.encode(status)))
                }
            }
            for await event in events {
                if let (status, _) = dependencies.projection.status(officeID: event.officeID) {
                    outbox.yield(SSEMessage.format(event: "status", id: event.sequence, data: try JSONIO.encoder.encode(status)))
                }
            }
        }
    }

    /// The plumbing of every live stream: `retry:` first, then what `feed` yields, heartbeats, device presence; it
    /// ends when the client goes away and when the server shuts down.
    static func eventStream(
        request: Request, context: AppRequestContext, heartbeat: Duration, presence: DevicePresenceTracker,
        device: (kind: DevicePresence.Kind, id: String)?,
        feed: @escaping @Sendable (AsyncStream<String>.Continuation) async throws -> Void
    ) -> Response {
        let (messages, outbox) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[Self.accelBufferingHeader] = "no"  // tell nginx-style proxies not to buffer the stream
        let logger = context.logger
        return Response(
            status: .ok, headers: headers,
            body: .init { writer in
                if let device {
                    do { try await presence.connected(device.kind, device.id) } catch { logger.warning("device presence not recorded: \(error)") }
                }
                let feeder = Task {
                    outbox.yield("retry: 2000\n\n")
                    try await feed(outbox)
                    outbox.finish()
                }
                let beats = Task {
                    let clock = ContinuousClock()
                    var lastPresence = clock.now
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        outbox.yield(": heartbeat\n\n")
                        if let device, clock.now - lastPresence >= DevicePresenceTracker.refreshInterval {
                            lastPresence = clock.now
                            do { try await presence.stillConnected(device.kind, device.id) } catch { logger.warning("device presence not recorded: \(error)") }
                        }
                    }
                }
                defer {
                    feeder.cancel()
                    beats.cancel()
                }
                var failure: (any Error)?
                do {
                    try await request.body.consumeWithInboundCloseHandler { _ in
                        try await withGracefulShutdownHandler {
                            for await message in messages {
                                try await writer.write(ByteBuffer(string: message))
                            }
                        } onGracefulShutdown: {
                            outbox.finish()
                        }
                    } onInboundClosed: {
                        outbox.finish()
                    }
                } catch {
                    failure = error
                }
                // However the stream ended (also by a failed write to a vanished client), the device is seen leaving.
                if let device {
                    do { try await presence.disconnected(device.kind, device.id) } catch { logger.warning("device presence not recorded: \(error)") }
                }
                if let failure { throw failure }
                try await writer.finish(nil)
            })
    }

    /// `?device=kind:id` names the screen that opened the stream (staff see which screens are connected); it counts
    /// only when this browser is that device, registered by staff (`DeviceAccess`), and the device is of this office:
    /// anyone may open a public stream, but nobody can make a screen look connected.
    static func device(of request: Request, officeID: String, dependencies: WebDependencies) -> (kind: DevicePresence.Kind, id: String)? {
        guard let value = request.uri.queryParameters["device"] else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = DevicePresence.Kind(rawValue: parts[0]) else { return nil }
        let named = DeviceIdentity(kind: kind, id: parts[1])
        guard DeviceAccess.device(of: request, dependencies: dependencies) == named,
            dependencies.layout.current.office(of: named) == officeID
        else { return nil }
        return (kind, parts[1])
    }

    static let lastEventIDHeader = HTTPField.Name("Last-Event-ID")!
    static let accelBufferingHeader = HTTPField.Name("X-Accel-Buffering")!
}

/// The formatted messages of the most recent events, by sequence.
final class FormattedMessages: Sendable {
    private let recent = Mutex<(messages: [Int64: String], order: [Int64])>(([:], []))
    private let capacity = 256

    func message(for event: DomainEvent, format: () throws -> String) rethrows -> String {
        guard let sequence = event.sequence else { return try format() }
        if let message = recent.withLock({ $0.messages[sequence] }) { return message }
        let message = try format()
        recent.withLock { recent in
            guard recent.messages.updateValue(message, forKey: sequence) == nil else { return }
            recent.order.append(sequence)
            if recent.order.count > capacity { recent.messages[recent.order.removeFirst()] = nil }
        }
        return message
    }
}

/// The wire form of one live message.
enum SSEMessage {
    /// A ticket as public screens may show it: no token, no internal id.
    struct PublicTicket: Encodable {
        let number: Int
        let displayNumber: String
        let service: String
        let stage: String
        let state: TicketState
        let counter: String?
    }

    struct Payload: Encodable {
        let sequence: Int64?
        let kind: DomainEventKind
        let office: String
        let occurredAt: Date
        let counter: String?
        let ticket: PublicTicket?
        /// For service closures and kiosk menu changes.
        let service: String?
        let kiosk: String?
        let menuSet: String?
        let message: String?
        /// For calls and recalls: what displays show and voices say, in every visitor language.
        let announcements: [Announcement]?
        let status: OfficeStatus?
    }

    static func format(_ event: DomainEvent, dependencies: WebDependencies) throws -> String {
        let ticket = event.ticket.map {
            PublicTicket(
                number: $0.number, displayNumber: $0.displayNumber, service: $0.serviceID, stage: $0.stageID,
                state: $0.state, counter: $0.counterID)
        }
        var announcements: [Announcement]?
        if event.kind == .ticketCalled || event.kind == .ticketRecalled, let called = event.ticket,
            let counter = event.counterID.flatMap(dependencies.layout.current.counter)
        {
            let counterNumber = AnnouncementComposer.counterNumber(fromName: counter.name)
            announcements = AnnouncementLanguage.allCases.map {
                AnnouncementComposer.call(displayNumber: called.displayNumber, counterNumber: counterNumber, counterName: counter.name, language: $0)
            }
        }
        let payload = Payload(
            sequence: event.sequence, kind: event.kind, office: event.officeID, occurredAt: event.occurredAt,
            counter: event.counterID, ticket: ticket, service: event.serviceID, kiosk: event.kioskID,
            menuSet: event.menuSetID, message: event.message, announcements: announcements,
            status: dependencies.projection.status(officeID: event.officeID)?.status)
        return format(event: event.kind.rawValue, id: event.sequence, data: try JSONIO.encoder.encode(payload))
    }

    /// `data` is one line of JSON (the encoder never writes raw newlines), so one `data:` field suffices.
    static func format(event: String, id: Int64?, data: Data) -> String {
        var message = ""
        if let id { message += "id: \(id)\n" }
        message += "event: \(event)\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"
        return message
    }
}
