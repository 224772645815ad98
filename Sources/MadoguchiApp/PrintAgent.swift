import AsyncHTTPClient
import Foundation
import Logging
import MadoguchiCore
import MadoguchiDevices
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// `madoguchi print-agent`: prints a kiosk's tickets on a thermal printer next to it (Q4).
///
/// The server keeps every ticket issued at the kiosk as a print job until the agent acknowledges it, so nothing is
/// lost while the agent or the printer is away: the agent prints the pending jobs oldest first whenever the
/// kiosk's office stream announces a new ticket, when it (re)connects, and every few seconds while a printer
/// fault lasts. A job is acknowledged right after the printer accepted its bytes, so it is not printed again; the
/// printer's state (ready, offline, paper out, cover open) is reported to staff whenever it changes.
public struct PrintAgent: Sendable {
    public let server: String
    public let kioskID: String
    public let key: String
    public let printer: ThermalPrinter
    public var retryInterval: Duration = .seconds(5)
    public var reconnectDelay: Duration = .seconds(2)
    let logger: Logger
    /// Set on graceful shutdown: the job being printed is finished and acknowledged, then the agent stops.
    let stopping = StopRequest()

    public init(server: String, kioskID: String, key: String, printer: ThermalPrinter, logger: Logger) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.kioskID = kioskID
        self.key = key
        self.printer = printer
        self.logger = logger
    }

    struct AgentFailure: Error, CustomStringConvertible {
        let description: String
        /// The HTTP status the server answered, if it answered.
        var status: UInt = 0
    }

    struct ErrorAnswer: Decodable { struct Body: Decodable { let message: String }; let error: Body }
    struct KioskInfo: Decodable { let id: String; let office: String; let name: String; let printMode: String }
    struct JobList: Decodable {
        struct Job: Decodable { let ticket: String; let displayNumber: String; let escpos: String }
        let jobs: [Job]
    }

    /// Runs as a service: SIGTERM or SIGINT lets the job being printed finish and be acknowledged first, so a
    /// stopped agent never leaves a printed ticket to be printed again.
    public func runUntilStopped(onReady: @Sendable @escaping (String) -> Void) async throws {
        struct AgentService: ServiceLifecycle.Service {
            let agent: PrintAgent
            let onReady: @Sendable (String) -> Void
            func run() async throws {
                try await withGracefulShutdownHandler {
                    try await agent.run(onReady: onReady)
                } onGracefulShutdown: {
                    agent.stopping.request()
                }
            }
        }
        let group = ServiceGroup(
            services: [AgentService(agent: self, onReady: onReady)], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
    }

    /// Runs until stopped or cancelled; `onReady` is called once the kiosk is known and the first round of printing is done.
    public func run(onReady: @Sendable @escaping (String) -> Void = { _ in }) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await run(client: client, onReady: onReady)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func run(client: HTTPClient, onReady: @Sendable @escaping (String) -> Void) async throws {
        let info: KioskInfo = try await json(client, "GET", "/api/v1/kiosks/\(kioskID)")
        guard info.printMode == "agent" else {
            throw AgentFailure(description: "発券機「\(info.name)」は印刷エージェントで印刷する設定ではありません（printMode: \(info.printMode)）。")
        }
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        stopping.onStop { wake.finish() }
        let state = PrinterStateReporter()
        try await drain(client, state: state)
        onReady(info.office)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await follow(client, office: info.office, wake: wake) }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: retryInterval)
                    wake.yield()
                }
            }
            group.addTask {
                // Not cancelled on shutdown: the loop ends when the wake stream is finished, between jobs.
                for await _ in wakes { try await drain(client, state: state) }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Prints every pending job; stops at the first printer fault and reports it.
    private func drain(_ client: HTTPClient, state: PrinterStateReporter) async throws {
        let list: JobList
        do {
            list = try await json(client, "GET", "/api/v1/kiosks/\(kioskID)/print-jobs")
        } catch let failure as AgentFailure where failure.status != 401 {
            logger.warning("\(failure.description)")  // server away: try again later
            return
        }
        for job in list.jobs where !stopping.requested {
            if await state.printedAwaitingAcknowledgement(job.ticket) {
                try await acknowledge(client, job, state: state)
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try await body(client, job.escpos)
            } catch {
                logger.warning("番号札 \(job.displayNumber) を取得できません: \(error)")
                return
            }
            do {
                try await printer.print(bytes)
            } catch let fault as PrinterError {
                logger.warning("\(fault.description)")
                try await report(client, state: state, fault.state, detail: fault.description)
                return
            }
            await state.printed(job.ticket)
            try await report(client, state: state, "ready", detail: nil)
            try await acknowledge(client, job, state: state)
            FileHandle.standardOutput.write(Data("印刷しました: \(job.displayNumber)\n".utf8))
        }
        if list.jobs.isEmpty, await state.current == nil {
            try await report(client, state: state, "ready", detail: nil)
        }
    }

    /// Tells the server a job is printed. Until that succeeds the agent remembers the job, so a server outage
    /// does not make it print the ticket again.
    private func acknowledge(_ client: HTTPClient, _ job: JobList.Job, state: PrinterStateReporter) async throws {
        do {
            _ = try await send(client, "POST", "/api/v1/kiosks/\(kioskID)/print-jobs/\(job.ticket)/printed")
            await state.acknowledged(job.ticket)
        } catch let failure as AgentFailure {
            logger.warning("\(failure.description)")
        }
    }

    private func report(_ client: HTTPClient, state: PrinterStateReporter, _ value: String, detail: String?) async throws {
        guard await state.change(to: value) else { return }
        struct Body: Encodable { let state: String; let detail: String? }
        do {
            _ = try await send(client, "PUT", "/api/v1/kiosks/\(kioskID)/printer", body: try JSONEncoder().encode(Body(state: value, detail: detail)))
            FileHandle.standardOutput.write(Data("プリンターの状態: \(value)\n".utf8))
        } catch {
            await state.forget()  // try again with the next report
            logger.warning("プリンターの状態を送れません: \(error)")
        }
    }

    /// Follows the office's live stream and wakes the printing loop on each new ticket and on every reconnect.
    private func follow(_ client: HTTPClient, office: String, wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                var request = HTTPClientRequest(url: "\(server)/events/offices/\(office)?device=printer:\(kioskID)")
                request.headers.add(name: "Accept", value: "text/event-stream")
                let response = try await client.execute(request, timeout: .hours(24))
                guard response.status == .ok else { throw AgentFailure(description: "ライブ配信に接続できません（\(response.status.code)）") }
                wake.yield()
                for try await buffer in response.body where String(buffer: buffer).contains("event: ticketIssued") {
                    wake.yield()
                }
            } catch {
                if Task.isCancelled { return }
                logger.info("ライブ配信が切れました。再接続します: \(error)")
            }
            try? await Task.sleep(for: reconnectDelay)
        }
    }

    // MARK: HTTP

    private func send(_ client: HTTPClient, _ method: String, _ path: String, body: Data? = nil) async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : server + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(10))
        } catch {
            throw AgentFailure(description: "サーバーに接続できません（\(server)）: \(error)")
        }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            let message = (try? JSONDecoder().decode(ErrorAnswer.self, from: Data(buffer: bytes)))?.error.message ?? String(buffer: bytes)
            throw AgentFailure(description: "サーバーが \(response.status.code) を返しました（\(path)）: \(message)", status: response.status.code)
        }
        return bytes
    }

    private func body(_ client: HTTPClient, _ path: String) async throws -> [UInt8] {
        Array(try await send(client, "GET", path).readableBytesView)
    }

    private func json<T: Decodable>(_ client: HTTPClient, _ method: String, _ path: String) async throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try await body(client, path)))
    }
}

/// A request to stop after the current job, from a signal handler to the printing loop.
final class StopRequest: Sendable {
    private let state = Mutex<(requested: Bool, handlers: [@Sendable () -> Void])>((false, []))
    var requested: Bool { state.withLock { $0.requested } }

    func onStop(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLock { state -> Bool in
            if !state.requested { state.handlers.append(handler) }
            return state.requested
        }
        if already { handler() }
    }

    func request() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.requested else { return [] }
            state.requested = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }
}

/// The printer state last told to the server (reported once per change), and tickets printed but not yet
/// acknowledged.
actor PrinterStateReporter {
    private(set) var current: String?
    private var unacknowledged: Set<String> = []
    func printed(_ ticket: String) { unacknowledged.insert(ticket) }
    func acknowledged(_ ticket: String) { unacknowledged.remove(ticket) }
    func printedAwaitingAcknowledgement(_ ticket: String) -> Bool { unacknowledged.contains(ticket) }
    func change(to state: String) -> Bool {
        guard state != current else { return false }
        current = state
        return true
    }
    func forget() { current = nil }
}
