import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MadoguchiStorage
import MadoguchiTestSupport
import Testing

@testable import MadoguchiApp

@Suite("Settings")
struct SettingsTests {
    /// A settings file in a fresh temporary directory.
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-settings-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a flag beats the environment, the environment beats the file, the file beats the default")
    func layers() async throws {
        let path = try file("http:\n  port: 9000\n  host: 0.0.0.0\nsession.idle.minutes: 45\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ["MADOGUCHI_CONFIG_FILE": path, "MADOGUCHI_HTTP_PORT": "9100"]

        let withFlag = try await MadoguchiSettings.load(flags: [.httpPort: "9200"], environment: environment)
        let withoutFlag = try await MadoguchiSettings.load(environment: environment)
        let fileOnly = try await MadoguchiSettings.load(flags: [.configFile: path], environment: [:])
        let defaults = try await MadoguchiSettings.load(environment: [:])

        let ports: [Int] = [withFlag.port, withoutFlag.port, fileOnly.port, defaults.port]
        #expect(ports == [9200, 9100, 9000, 8080])
        // nested (http: host:) and dotted (session.idle.minutes:) keys both read from the file
        #expect(fileOnly.host == "0.0.0.0" && defaults.host == "127.0.0.1")
        #expect(fileOnly.signInPolicy.idleTimeout == 45 * 60 && defaults.signInPolicy.idleTimeout == 30 * 60)
        #expect(defaults.publicBaseURL == "http://127.0.0.1:8080")
    }

    @Test("every setting is read from the environment variable the table names")
    func environmentNames() async throws {
        for setting in Setting.allCases where setting != .configFile {
            let reader = MadoguchiSettings.reader(flags: [:], environment: [setting.environmentVariable: "value-\(setting.rawValue)"])
            #expect(reader.string(forKey: .init(setting.rawValue)) == "value-\(setting.rawValue)", "\(setting.environmentVariable)")
        }
    }

    @Test("every fault is named with its setting at once, and secrets are never echoed")
    func faults() async throws {
        let environment = [
            "MADOGUCHI_HTTP_PORT": "eighty", "MADOGUCHI_SECURE_COOKIES": "maybe", "MADOGUCHI_AUDIT_RETENTION_DAYS": "30",
            "MADOGUCHI_BACKUP_DIR": "/var/backups/madoguchi", "MADOGUCHI_BACKUP_KEEP": "0", "MADOGUCHI_CASE_MASKS": "admin=everything",
            "MADOGUCHI_DATA_KEYS": "k1:not-a-secret-key-TOPSECRET", "MADOGUCHI_DATABASE_URL": "mysql://root:TOPSECRET@db/madoguchi"
        ]
        let error = await #expect(throws: SettingsFaults.self) { try await MadoguchiSettings.load(environment: environment) }
        let faults = try #require(error).faults
        for name in [
            "MADOGUCHI_HTTP_PORT", "MADOGUCHI_SECURE_COOKIES", "MADOGUCHI_AUDIT_RETENTION_DAYS", "MADOGUCHI_BACKUP_KEEP", "MADOGUCHI_CASE_MASKS",
            "MADOGUCHI_DATA_KEYS", "MADOGUCHI_DATABASE_URL"
        ] {
            #expect(faults.filter { $0.contains("/ \(name)") }.count == 1, "\(name) in \(faults)")
        }
        #expect(faults.count == 7)
        #expect(faults.contains { $0.contains("「eighty」") })
        #expect(!error!.description.contains("TOPSECRET"))
    }

    @Test("a settings file that is missing or is not YAML stops the start with its name")
    func badFile() async throws {
        let broken = try file("http: [port\n")
        defer { try? FileManager.default.removeItem(atPath: broken) }
        for path in [broken, "/nonexistent/madoguchi.yaml"] {
            let error = await #expect(throws: SettingsFaults.self) { try await MadoguchiSettings.load(flags: [.configFile: path], environment: [:]) }
            #expect(error?.faults.first?.contains(path) == true)
        }
    }

    @Test("README's settings table is the one the code reads")
    func readmeTable() throws {
        let readme = try String(
            contentsOfFile: #filePath.replacingOccurrences(of: "Tests/MadoguchiAppTests/SettingsTests.swift", with: "README.md"), encoding: .utf8)
        #expect(readme.contains(Setting.markdownTable + "\n"), "regenerate README's table from Setting.markdownTable")
    }

    @Test("the application built from settings serves with them: the HTTPS header only when the site is served over HTTPS")
    func application() async throws {
        for (value, https) in [("true", true), ("0", false)] {
            let settings = try await MadoguchiSettings.load(environment: ["MADOGUCHI_SECURE_COOKIES": value])
            try await TestRuntime.with(.sqlite) { t in
                let app = try buildApplication(settings: settings, runtime: t.runtime)
                try await app.test(.router) { client in
                    try await client.execute(uri: "/healthz", method: .get) { response in
                        #expect(response.status == .ok)
                        #expect((response.headers[HTTPField.Name("Strict-Transport-Security")!] != nil) == https)
                    }
                }
            }
        }
    }
}
