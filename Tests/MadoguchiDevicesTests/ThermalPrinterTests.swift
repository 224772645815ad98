import Foundation
import MadoguchiDevices
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A printer on a local TCP port: answers DLE EOT queries as configured (or not at all) and keeps what it got.
final class ListeningPrinter: Sendable {
    enum Answers: Sendable { case ready, paperOut, coverOpen, silent }
    let received = Mutex<[UInt8]>([])
    let closed: AsyncStream<Void>
    private let closedContinuation: AsyncStream<Void>.Continuation
    let answers: Answers
    /// Set once in `init`, before any other use.
    nonisolated(unsafe) private var channel: (any Channel)?

    init(answers: Answers) async throws {
        self.answers = answers
        (closed, closedContinuation) = AsyncStream<Void>.makeStream()
        let printer = self
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(printer: printer)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    var port: Int { channel!.localAddress!.port! }

    func stop() async throws { try await channel!.close() }

    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let printer: ListeningPrinter
        init(printer: ListeningPrinter) { self.printer = printer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            var bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            while bytes.count >= 3, bytes[0] == 0x10, bytes[1] == 0x04 {
                let n = bytes[2]
                bytes.removeFirst(3)
                let answer: UInt8? =
                    switch printer.answers {
                    case .ready: 0x12
                    case .paperOut: n == 2 ? 0x32 : 0x72
                    case .coverOpen: n == 2 ? 0x16 : 0x12
                    case .silent: nil
                    }
                if let answer { context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [answer])), promise: nil) }
            }
            printer.received.withLock { $0 += bytes }
        }

        func channelInactive(context: ChannelHandlerContext) {
            printer.closedContinuation.yield()
        }
    }
}

@Suite("Thermal printer over TCP")
struct ThermalPrinterTests {
    let ticket: [UInt8] = EscPos.initialize + EscPos.text("受付番号 A001") + EscPos.partialCut

    @Test("a ready printer gets the ticket after answering its status")
    func ready() async throws {
        let device = try await ListeningPrinter(answers: .ready)
        try await ThermalPrinter(address: .tcp(host: "127.0.0.1", port: device.port)).print(ticket)
        var closed = device.closed.makeAsyncIterator()
        _ = await closed.next()
        #expect(device.received.withLock { $0 } == ticket)
        try await device.stop()
    }

    @Test("out of paper or cover open: nothing is sent, and the fault is named")
    func faults() async throws {
        for (answers, fault) in [(ListeningPrinter.Answers.paperOut, PrinterError.paperOut), (.coverOpen, .coverOpen)] {
            let device = try await ListeningPrinter(answers: answers)
            await #expect(throws: fault) { try await ThermalPrinter(address: .tcp(host: "127.0.0.1", port: device.port)).print(ticket) }
            var closed = device.closed.makeAsyncIterator()
            _ = await closed.next()
            #expect(device.received.withLock { $0 }.isEmpty)
            try await device.stop()
        }
    }

    @Test("a printer that does not answer status queries is printed to after a short wait")
    func silent() async throws {
        let device = try await ListeningPrinter(answers: .silent)
        var printer = ThermalPrinter(address: .tcp(host: "127.0.0.1", port: device.port))
        printer.statusTimeout = .milliseconds(100)
        try await printer.print(ticket)
        var closed = device.closed.makeAsyncIterator()
        _ = await closed.next()
        #expect(device.received.withLock { $0 } == ticket)
        try await device.stop()
    }

    @Test("nobody listening: offline")
    func offline() async throws {
        let device = try await ListeningPrinter(answers: .ready)
        let port = device.port
        try await device.stop()
        await #expect {
            try await ThermalPrinter(address: .tcp(host: "127.0.0.1", port: port)).print(ticket)
        } throws: { error in
            (error as? PrinterError)?.state == "offline"
        }
    }

    @Test("printer addresses: tcp with or without port, device paths; anything else is refused")
    func addresses() throws {
        #expect(try PrinterAddress(parsing: "tcp://192.0.2.1:9100") == .tcp(host: "192.0.2.1", port: 9100))
        #expect(try PrinterAddress(parsing: "tcp://printer.local") == .tcp(host: "printer.local", port: 9100))
        #expect(try PrinterAddress(parsing: "/dev/usb/lp0") == .device(path: "/dev/usb/lp0"))
        for bad in ["lp0", "tcp://", "tcp://h:0", "tcp://h:99999", "http://h"] {
            #expect(throws: PrinterError.self) { try PrinterAddress(parsing: bad) }
        }
    }
}
