import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Where a kiosk's thermal printer is: `tcp://HOST:PORT` (network printers listen on 9100) or a device path
/// (`/dev/usb/lp0`).
public enum PrinterAddress: Sendable, Equatable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case device(path: String)

    public init(parsing text: String) throws {
        if text.hasPrefix("tcp://") {
            let rest = text.dropFirst("tcp://".count)
            let parts = rest.split(separator: ":", maxSplits: 1)
            guard let host = parts.first.map(String.init), !host.isEmpty else { throw PrinterError.badAddress(text) }
            let port = parts.count == 2 ? Int(parts[1]) : 9100
            guard let port, (1...65535).contains(port) else { throw PrinterError.badAddress(text) }
            self = .tcp(host: host, port: port)
        } else if text.hasPrefix("/") {
            self = .device(path: text)
        } else {
            throw PrinterError.badAddress(text)
        }
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        case .device(let path): path
        }
    }
}

/// Why a printer did not print; `state` is what staff are shown.
public enum PrinterError: Error, Equatable, CustomStringConvertible {
    case badAddress(String)
    case offline(String)
    case paperOut
    case coverOpen

    public var state: String {
        switch self {
        case .badAddress, .offline: "offline"
        case .paperOut: "paper_out"
        case .coverOpen: "cover_open"
        }
    }

    public var description: String {
        switch self {
        case .badAddress(let text): "プリンターの指定が正しくありません: \(text)（tcp://ホスト:ポート か デバイスのパス）"
        case .offline(let reason): "プリンターに接続できません: \(reason)"
        case .paperOut: "プリンターの用紙が切れています"
        case .coverOpen: "プリンターのカバーが開いています"
        }
    }
}

/// Sends ESC/POS bytes to a printer. Over TCP it first asks the printer's state with the real-time status
/// commands (DLE EOT 2: offline cause, DLE EOT 4: roll paper sensor), so a ticket is never sent into a printer
/// without paper; a printer that does not answer them (or a device file) is printed to directly.
public struct ThermalPrinter: Sendable {
    public let address: PrinterAddress
    public var statusTimeout: TimeAmount = .seconds(2)
    public var connectTimeout: TimeAmount = .seconds(3)

    public init(address: PrinterAddress) { self.address = address }

    static let offlineCauseQuery: [UInt8] = [0x10, 0x04, 0x02]
    static let paperSensorQuery: [UInt8] = [0x10, 0x04, 0x04]

    /// Checks the printer and prints; throws a `PrinterError` when nothing was printed.
    public func print(_ bytes: [UInt8]) async throws {
        switch address {
        case .device(let path):
            guard let handle = FileHandle(forWritingAtPath: path) else { throw PrinterError.offline("\(path) を開けません") }
            defer { try? handle.close() }
            do { try handle.write(contentsOf: Data(bytes)) } catch { throw PrinterError.offline("\(error)") }
        case .tcp(let host, let port):
            try await printOverTCP(bytes, host: host, port: port)
        }
    }

    private func printOverTCP(_ bytes: [UInt8], host: String, port: Int) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(connectTimeout)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            throw PrinterError.offline("\(host):\(port) \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            let replies = ReplyBytes()
            let reader = Task {
                for try await buffer in inbound { replies.received(Array(buffer.readableBytesView)) }
            }
            defer { reader.cancel() }
            if let cause = try await ask(Self.offlineCauseQuery, outbound: outbound, replies: replies) {
                if cause & 0x04 != 0 { throw PrinterError.coverOpen }
                if cause & 0x20 != 0 { throw PrinterError.paperOut }
                if let sensor = try await ask(Self.paperSensorQuery, outbound: outbound, replies: replies), sensor & 0x60 == 0x60 {
                    throw PrinterError.paperOut
                }
            }
            do {
                try await outbound.write(ByteBuffer(bytes: bytes))
            } catch {
                throw PrinterError.offline("\(error)")
            }
        }
    }

    /// Sends a status query and waits briefly for its one-byte answer; nil when the printer does not answer.
    private func ask(_ query: [UInt8], outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, replies: ReplyBytes) async throws -> UInt8? {
        do { try await outbound.write(ByteBuffer(bytes: query)) } catch { throw PrinterError.offline("\(error)") }
        return await replies.next(timeout: .nanoseconds(statusTimeout.nanoseconds))
    }
}

/// Bytes a printer sent back, handed out one at a time to a waiter that gives up after a timeout.
final class ReplyBytes: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var waiter: CheckedContinuation<UInt8?, Never>?
        /// Each wait has a number, so a timer that fires before its wait is registered still ends that wait.
        var wait = 0
        var expiredWait = -1
    }
    private let state = Mutex(State())

    func received(_ bytes: [UInt8]) {
        for byte in bytes {
            let waiter = state.withLock { state -> CheckedContinuation<UInt8?, Never>? in
                if let waiter = state.waiter {
                    state.waiter = nil
                    return waiter
                }
                state.bytes.append(byte)
                return nil
            }
            waiter?.resume(returning: byte)
        }
    }

    func next(timeout: Duration) async -> UInt8? {
        let wait = state.withLock { state in
            state.wait += 1
            return state.wait
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            let waiter = state.withLock { state -> CheckedContinuation<UInt8?, Never>? in
                guard state.wait == wait else { return nil }
                state.expiredWait = wait
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> UInt8?? in
                if !state.bytes.isEmpty { return .some(state.bytes.removeFirst()) }
                if state.expiredWait == wait { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }
}
