import Foundation
import MadoguchiDevices
import Testing

@Suite("QR codes (libqrencode)")
struct QRCodeTests {
    /// Draws the symbol as a plain PBM bitmap (8 pixels a module, quiet zone included) and reads it back with
    /// zbarimg, an independent decoder.
    func decode(_ code: QRCode) throws -> String {
        let scale = 8, quiet = 4
        let side = (code.size + 2 * quiet) * scale
        var pixels = ""
        for y in 0..<side {
            for x in 0..<side {
                let row = y / scale - quiet, column = x / scale - quiet
                let dark = row >= 0 && row < code.size && column >= 0 && column < code.size && code.isDark(row: row, column: column)
                pixels += dark ? "1 " : "0 "
            }
            pixels += "\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pbm")
        try "P1\n\(side) \(side)\n\(pixels)".write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    @Test(
        "a ticket page URL round-trips through an independent decoder",
        arguments: [
            "http://127.0.0.1:8080/t/AbCdEfGh23456789jkmnpq", "https://madoguchi.city.nerima.tokyo.jp/t/Zpm8QpqG6rNFCgvgwQbUnK"
        ])
    func roundTrip(url: String) throws {
        let code = try QRCode(url)
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0, "a valid version's size")
        #expect(try decode(code) == url)
    }

    @Test("Japanese text is carried as UTF-8")
    func japanese() throws {
        #expect(try decode(QRCode("練馬区民事務所 A012")) == "練馬区民事務所 A012")
    }

    @Test("the SVG has the symbol's size plus the quiet zone and a title for screen readers")
    func svg() throws {
        let code = try QRCode("https://example.jp/t/x")
        let svg = code.svg(title: "番号札のページ")
        #expect(svg.contains("viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
        #expect(svg.contains("<title>番号札のページ</title>") && svg.hasPrefix("<svg"))
    }
}
