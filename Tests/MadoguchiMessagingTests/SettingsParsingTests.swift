import Foundation
import MadoguchiCore
@testable import MadoguchiMessaging
import Testing

@Suite("Messaging configuration")
struct SettingsParsingTests {
    @Test("SMTP URLs: STARTTLS by default, required or off on request, implicit TLS for smtps; credentials decoded")
    func smtp() throws {
        let plain = try SMTPSettings(parsing: "smtp://user%40city:p%40ss@mail.city.example.jp:587?from=madoguchi@city.example.jp")
        #expect(plain.host == "mail.city.example.jp" && plain.port == 587 && plain.security == .startTLSIfOffered)
        #expect(plain.username == "user@city" && plain.password == "p@ss" && plain.from == "madoguchi@city.example.jp")
        #expect(try SMTPSettings(parsing: "smtp://h?from=a@b.jp&starttls=required").security == .startTLSRequired)
        #expect(try SMTPSettings(parsing: "smtp://h?from=a@b.jp&starttls=off").security == SMTPSettings.Security.none)
        let tls = try SMTPSettings(parsing: "smtps://h?from=a@b.jp")
        #expect(tls.security == .implicitTLS && tls.port == 465)
        for bad in ["http://h?from=a@b.jp", "smtp://h", "smtp://h?from=nobody", "smtp://?from=a@b.jp"] {
            #expect(throws: SMTPSettings.ParseError.self) { try SMTPSettings(parsing: bad) }
        }
    }

    @Test("the message is UTF-8 in Base64 with an RFC 2047 subject, so no line needs dot-stuffing")
    func message() throws {
        let text = SMTPMailer.rfc5322(
            OutgoingMessage(id: 1, channel: .email, recipient: "a@b.jp", subject: "番号 A012", body: ".\n行頭の点", attempts: 0),
            from: "m@city.example.jp")
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2 && parts[0].contains("Subject: =?UTF-8?B?") && parts[0].contains("Content-Transfer-Encoding: base64"))
        #expect(String(decoding: Data(base64Encoded: parts[1].replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self) == ".\n行頭の点")
        #expect(!parts[1].split(separator: "\r\n").contains { $0.hasPrefix(".") })
    }

    @Test("SMS gateway URLs: a webhook with its token taken out of the URL, or Twilio with account, token and sender")
    func sms() throws {
        #expect(try SMSGatewaySettings(parsing: "webhook+https://sms.example.jp/send?token=abc") == .webhook(url: "https://sms.example.jp/send", token: "abc"))
        #expect(
            try SMSGatewaySettings(parsing: "twilio+https://AC1:tok@api.twilio.com?from=%2B815012345678")
                == .twilio(baseURL: "https://api.twilio.com", accountSID: "AC1", authToken: "tok", from: "+815012345678"))
        for bad in ["https://sms.example.jp", "carrier+https://x", "twilio+https://api.twilio.com?from=1", "webhook+ftp://x"] {
            #expect(throws: SMSGatewaySettings.ParseError.self) { try SMSGatewaySettings(parsing: bad) }
        }
    }
}
