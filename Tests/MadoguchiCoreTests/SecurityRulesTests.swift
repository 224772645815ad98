import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Security rules in Core (issue 14)")
struct SecurityRulesTests {
    @Test(
        "every CSV cell a spreadsheet would run as a formula is written as text",
        arguments: [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+1+cmd", "'+1+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""), ("-5", "-5"), ("+0.5", "+0.5"), ("山田 太郎", "山田 太郎"), ("a,b", "\"a,b\"")
        ])
    func csvCells(value: String, written: String) {
        #expect(CSVText.field(value) == written)
        #expect(CSVText.line([value, "x"]) == written + ",x\r\n")
    }

    @Test(
        "e-mail addresses: the practical form is accepted with its domain in lower case; formulas, quotes and pipes are not",
        arguments: [
            ("Taro.Yamada+q@Example.JP", "Taro.Yamada+q@example.jp"), (" hanako@city.nerima.tokyo.jp ", "hanako@city.nerima.tokyo.jp"),
            ("=cmd|'/c calc'!A0@example.jp", nil), ("-x@example.jp", nil), ("a..b@example.jp", nil), ("a@example", nil), ("a@-x.jp", nil),
            ("\"q\"@example.jp", nil), ("a@b@example.jp", nil), ("taro@example.j1", nil)
        ] as [(String, String?)])
    func email(text: String, normalized: String?) {
        #expect(EmailAddress.normalized(text) == normalized)
    }

    @Test("one contact whatever the case of its e-mail address")
    func contactIdentity() throws {
        #expect(try Contact(email: "Taro@Example.jp").identity == (try Contact(email: "taro@example.JP").identity))
    }

    @Test(
        "staff passwords: runs and repeated blocks are refused as well as short ones",
        arguments: [
            ("1234567890", false), ("9876543210", false), ("abcdefghij", false), ("abcabcabca", false), ("aaaaaaaaaa", false), ("short", false),
            ("correct horse battery", true), ("窓口の合言葉はさくらです", true), ("Madoguchi2026!", true)
        ])
    func passwords(password: String, acceptable: Bool) {
        #expect(SignInPolicy.isAcceptablePassword(password) == acceptable)
    }

    struct Digest: KeyedDigest {
        let key: String
        func digest(_ text: String) -> String {
            String((key + text).utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }, radix: 16)
        }
    }

    @Test("a device credential names its device until it is altered, forged with another key, or a year and a month old")
    func deviceCredential() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let device = DeviceIdentity(kind: .kiosk, id: "seki-kiosk")
        let credential = DeviceCredential.make(for: device, at: now, digest: Digest(key: "server"))
        #expect(DeviceCredential.device(in: credential, at: now, digest: Digest(key: "server")) == device)
        #expect(DeviceCredential.device(in: credential, at: now, digest: Digest(key: "other")) == nil)
        #expect(
            DeviceCredential.device(in: credential.replacingOccurrences(of: "seki-kiosk", with: "nerima-kiosk"), at: now, digest: Digest(key: "server")) == nil)
        #expect(DeviceCredential.device(in: credential, at: now.addingTimeInterval(401 * 86_400), digest: Digest(key: "server")) == nil)
    }

    @Test("a session ends twelve hours after sign-in however busy it is")
    func absoluteLifetime() async throws {
        let clock = TestClock()
        let access = StaffAccessService(
            users: StaffAccessTests.Users(), sessions: StaffAccessTests.Sessions(), hasher: StaffAccessTests.ReversingHasher(),
            clock: clock)
        _ = try await access.addUser(login: "ito", role: .staff, officeIDs: ["main"], password: "a long passphrase")
        let (_, token) = try await access.signIn(login: "ito", password: "a long passphrase")
        for _ in 0..<24 {  // 11 h 36 min
            clock.advance(seconds: 29 * 60)
            #expect(try await access.user(sessionToken: token) != nil)
        }
        clock.advance(seconds: 29 * 60)  // 12 h 5 min after sign-in, active all along
        #expect(try await access.user(sessionToken: token) == nil)
    }
}
