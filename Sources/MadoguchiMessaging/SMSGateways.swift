import AsyncHTTPClient
import Foundation
import MadoguchiCore
import NIOCore
import NIOHTTP1

/// Which SMS gateway, from `MADOGUCHI_SMS_URL`:
/// - `webhook+https://sms.example.jp/send?token=SECRET`: POST `{"to": "+81…", "text": "…"}` as JSON, the token as
///   `Authorization: Bearer`;
/// - `twilio+https://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=%2B815012345678`: Twilio's Messages REST API.
public enum SMSGatewaySettings: Sendable, Equatable {
    case webhook(url: String, token: String?)
    case twilio(baseURL: String, accountSID: String, authToken: String, from: String)

    public struct ParseError: Error, CustomStringConvertible { public let description: String }

    public init(parsing text: String) throws {
        guard let plus = text.firstIndex(of: "+"), var url = URLComponents(string: String(text[text.index(after: plus)...])),
            let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else {
            throw ParseError(description: "MADOGUCHI_SMS_URL は webhook+https://… か twilio+https://SID:TOKEN@api.twilio.com?from=… で指定してください。")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch text[..<plus] {
        case "webhook":
            url.queryItems = url.queryItems?.filter { $0.name != "token" }
            if url.queryItems?.isEmpty == true { url.queryItems = nil }
            self = .webhook(url: url.string ?? "", token: query["token"])
        case "twilio":
            guard let sid = url.user, let token = url.password, let from = query["from"], !from.isEmpty else {
                throw ParseError(description: "twilio の MADOGUCHI_SMS_URL には SID:TOKEN@ と ?from=送信元番号 が必要です。")
            }
            url.user = nil
            url.password = nil
            url.queryItems = nil
            url.path = ""
            self = .twilio(baseURL: url.string ?? "", accountSID: sid, authToken: token, from: from)
        default:
            throw ParseError(description: "SMS の種類は webhook か twilio です。")
        }
    }
}

/// Sends SMS through a gateway over HTTPS with AsyncHTTPClient.
public struct SMSGateway: MessageSender {
    public let settings: SMSGatewaySettings
    let client: HTTPClient

    public init(settings: SMSGatewaySettings, client: HTTPClient = .shared) {
        self.settings = settings
        self.client = client
    }

    public struct GatewayError: Error, CustomStringConvertible { public let description: String }

    public func send(_ message: OutgoingMessage) async throws {
        var request: HTTPClientRequest
        switch settings {
        case .webhook(let url, let token):
            request = HTTPClientRequest(url: url)
            request.headers.add(name: "Content-Type", value: "application/json")
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            struct Body: Encodable { let to: String; let text: String }
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONEncoder().encode(Body(to: message.recipient, text: message.body)))))
        case .twilio(let baseURL, let sid, let token, let from):
            request = HTTPClientRequest(url: "\(baseURL)/2010-04-01/Accounts/\(sid)/Messages.json")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(sid):\(token)".utf8).base64EncodedString())
            let form = [("To", message.recipient), ("From", from), ("Body", message.body)]
                .map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: form))
        }
        request.method = .POST
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(20))
        } catch {
            throw GatewayError(description: "SMS ゲートウェイに接続できません: \(error)")
        }
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw GatewayError(description: "SMS ゲートウェイが \(response.status.code) を返しました: \(String(buffer: body).prefix(200))")
        }
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
    }
}
