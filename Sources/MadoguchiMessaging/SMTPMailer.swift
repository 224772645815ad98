import Foundation
import MadoguchiCore
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to send mail: `MADOGUCHI_SMTP_URL=smtp://user:pass@host:587?from=madoguchi@city.example.jp`
/// (STARTTLS when the server offers it; `?starttls=required` refuses to send without it, `?starttls=off` never
/// uses it), or `smtps://…:465` for TLS from the first byte.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable { case none, startTLSIfOffered, startTLSRequired, implicitTLS }
    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var from: String
    /// Accept any certificate (a test server's self-signed one); never for production.
    public var insecureTLS = false

    public struct ParseError: Error, CustomStringConvertible { public let description: String }

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, from: String) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
    }

    public init(parsing text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["smtp", "smtps"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw ParseError(description: "MADOGUCHI_SMTP_URL は smtp://ユーザー:パスワード@ホスト:587?from=送信元 の形で指定してください。")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        guard let from = query["from"], (try? Contact(email: from)) != nil else {
            throw ParseError(description: "MADOGUCHI_SMTP_URL に送信元アドレス（?from=…）を指定してください。")
        }
        let security: Security
        if scheme == "smtps" {
            security = .implicitTLS
        } else {
            security =
                switch query["starttls"] {
                case "required": .startTLSRequired
                case "off": .none
                default: .startTLSIfOffered
                }
        }
        self.init(
            host: host, port: url.port ?? (scheme == "smtps" ? 465 : 587), security: security,
            username: url.user?.removingPercentEncoding, password: url.password?.removingPercentEncoding, from: from)
        insecureTLS = query["tls"] == "insecure"
    }
}

/// An SMTP client (RFC 5321) with STARTTLS and AUTH PLAIN, written here on SwiftNIO because no maintained Swift SMTP
/// library for Linux is available to this project. Messages are UTF-8 text, Base64-encoded.
public struct SMTPMailer: MessageSender {
    public let settings: SMTPSettings
    public var timeout: Duration = .seconds(30)

    public init(settings: SMTPSettings) { self.settings = settings }

    public struct SMTPError: Error, CustomStringConvertible {
        public let description: String
    }

    public func send(_ message: OutgoingMessage) async throws {
        let settings = self.settings
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.deliver(message, settings: settings) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPError(description: "SMTP サーバー \(settings.host) が時間内に応答しません")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    static func tlsHandler(_ settings: SMTPSettings) throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if settings.insecureTLS { configuration.certificateVerification = .none }
        // SNI takes names only; a server given by address is verified against its certificate's IP entries.
        let isAddress = settings.host.contains(":") || settings.host.allSatisfy { $0.isNumber || $0 == "." }
        return try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: isAddress ? nil : settings.host)
    }

    static func deliver(_ message: OutgoingMessage, settings: SMTPSettings) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .implicitTLS { try channel.pipeline.syncOperations.addHandler(try tlsHandler(settings)) }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(description: "SMTP サーバー \(settings.host):\(settings.port) に接続できません: \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = Session(replies: inbound.makeAsyncIterator(), outbound: outbound)
            _ = try await session.expect([220])
            let heloName = "madoguchi.local"
            var capabilities = try await session.command("EHLO \(heloName)", expect: 250)
            let offersTLS = capabilities.contains { $0.uppercased().hasPrefix("STARTTLS") }
            if settings.security == .startTLSRequired || (settings.security == .startTLSIfOffered && offersTLS) {
                guard offersTLS else { throw SMTPError(description: "SMTP サーバーが STARTTLS に対応していません") }
                _ = try await session.command("STARTTLS", expect: 220)
                try await channel.channel.eventLoop.submit {
                    try channel.channel.pipeline.syncOperations.addHandler(try tlsHandler(settings), position: .first)
                }.get()
                capabilities = try await session.command("EHLO \(heloName)", expect: 250)
            }
            if let username = settings.username, let password = settings.password {
                let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                _ = try await session.command("AUTH PLAIN \(token)", expect: 235, redacted: "AUTH PLAIN ***")
            }
            _ = try await session.command("MAIL FROM:<\(settings.from)>", expect: 250)
            _ = try await session.command("RCPT TO:<\(message.recipient)>", expect: 250, 251, redacted: "RCPT TO:<***>")
            _ = try await session.command("DATA", expect: 354)
            _ = try await session.command(Self.rfc5322(message, from: settings.from) + "\r\n.", expect: 250, redacted: "(message)")
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    /// The message as sent: UTF-8 headers encoded per RFC 2047, the body in Base64 (so no line needs dot-stuffing).
    static func rfc5322(_ message: OutgoingMessage, from: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)", "To: \(message.recipient)", "Subject: \(subject)", "Date: \(formatter.string(from: Date()))",
            "Message-ID: <\(UUID().uuidString.lowercased())@madoguchi>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", body
        ].joined(separator: "\r\n")
    }

    /// Commands and multi-line replies over one connection.
    struct Session {
        var replies: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var pending = ""

        /// Reads one reply (all its lines) and checks its code; returns the text of its lines.
        mutating func expect(_ codes: [Int], after command: String = "(greeting)") async throws -> [String] {
            var lines: [String] = []
            while true {
                while let end = pending.range(of: "\r\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    lines.append(line)
                    let chars = Array(line)
                    if chars.count < 4 || chars[3] == " " {
                        guard let code = Int(String(chars.prefix(3))), codes.contains(code) else {
                            throw SMTPError(description: "SMTP サーバーが \(command) を受け付けませんでした: \(line)")
                        }
                        return lines.map { String($0.dropFirst(4)) }
                    }
                }
                guard var buffer = try await replies.next() else {
                    throw SMTPError(description: "SMTP サーバーが接続を閉じました（\(command) の後）")
                }
                pending += buffer.readString(length: buffer.readableBytes) ?? ""
            }
        }

        mutating func command(_ text: String, expect codes: Int..., redacted: String? = nil) async throws -> [String] {
            try await outbound.write(ByteBuffer(string: text + "\r\n"))
            return try await expect(codes, after: redacted ?? text)
        }
    }
}
