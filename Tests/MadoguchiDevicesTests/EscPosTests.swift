import Foundation
import MadoguchiCore
import MadoguchiDevices
import Testing

/// Reads ESC/POS bytes back the way a printer would, for the commands tickets use.
struct EscPosReader {
    var lines: [String] = []
    var qrData: [UInt8]?
    var qrModel: UInt8?
    var qrErrorCorrection: UInt8?
    var cut: [UInt8]?
    var sizes: [UInt8] = []
    var initialized = false
    var shiftJISSelected = false

    init(_ bytes: [UInt8]) throws {
        var i = 0
        var text: [UInt8] = []
        func take(_ n: Int) throws -> [UInt8] {
            guard i + n <= bytes.count else { throw ReadError.truncated(at: i) }
            defer { i += n }
            return Array(bytes[i..<i + n])
        }
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x1B:
                let command = try take(2)[1]
                switch command {
                case 0x40: initialized = true
                case 0x74, 0x52, 0x61, 0x64: _ = try take(1)
                default: throw ReadError.unknown(command: [0x1B, command], at: i)
                }
            case 0x1C:
                let command = try take(2)[1]
                switch command {
                case 0x43: shiftJISSelected = try take(1)[0] == 0x01
                case 0x26, 0x2E: break
                default: throw ReadError.unknown(command: [0x1C, command], at: i)
                }
            case 0x1D:
                let command = try take(2)[1]
                switch command {
                case 0x21: sizes.append(try take(1)[0])
                case 0x56: cut = [0x1D, 0x56] + (try take(2))
                case 0x28:
                    let header = try take(3)  // k pL pH
                    let length = Int(header[1]) + Int(header[2]) * 256
                    let body = try take(length)
                    guard header[0] == 0x6B, body[0] == 0x31 else { throw ReadError.unknown(command: [0x1D, 0x28], at: i) }
                    switch body[1] {
                    case 0x41: qrModel = body[2]
                    case 0x45: qrErrorCorrection = body[2]
                    case 0x50: qrData = Array(body[3...])
                    default: break
                    }
                default: throw ReadError.unknown(command: [0x1D, command], at: i)
                }
            case 0x0A:
                lines.append(String(data: Data(text), encoding: .shiftJIS) ?? "<invalid>")
                text = []
                i += 1
            default:
                text.append(byte)
                i += 1
            }
        }
    }

    enum ReadError: Error { case truncated(at: Int), unknown(command: [UInt8], at: Int) }
}

@Suite("ESC/POS tickets (Q4)")
struct EscPosTests {
    let ticket = PrintedTicket(
        officeName: "練馬区民事務所", serviceName: "住民票・印鑑証明", displayNumber: "B301",
        issuedAt: Date(timeIntervalSince1970: 1_795_478_700),  // 2026-11-24 09:05 JST
        peopleAhead: 4, pageURL: "https://madoguchi.example.jp/t/AbCdEf123", notes: PrintedTicket.defaultNotes)

    @Test("a ticket prints its office, service, number, people ahead, time, QR of its page and notes, then cuts")
    func ticketContent() throws {
        let printed = try EscPosReader(EscPos.ticket(ticket))
        #expect(printed.initialized && printed.shiftJISSelected)
        #expect(printed.lines.contains("練馬区民事務所") && printed.lines.contains("住民票・印鑑証明"))
        #expect(printed.lines.contains("B301") && printed.lines.contains("受付番号"))
        #expect(printed.lines.contains("あなたの前に 4 人お待ちです"))
        #expect(printed.lines.contains("2026年11月24日(火) 09:05"))
        #expect(printed.lines.contains(PrintedTicket.defaultNotes[0]))
        #expect(printed.qrData.map { String(decoding: $0, as: UTF8.self) } == ticket.pageURL)
        #expect(printed.qrModel == 0x32 && printed.qrErrorCorrection == 0x31)
        #expect(printed.cut == [0x1D, 0x56, 0x42, 0x00])
        #expect(printed.sizes.contains(0x55), "the number is printed at 6× size")
    }

    @Test("characters outside Shift_JIS are mapped to look-alikes or the geta mark, never dropped")
    func shiftJIS() throws {
        #expect(ShiftJIS.encode("〜") == ShiftJIS.encode("～"))
        #expect(ShiftJIS.encode("𠮷野") == [0x81, 0xAC] + ShiftJIS.encode("野"))
        #expect(ShiftJIS.encode("受付") == [0x8E, 0xF3, 0x95, 0x74])
    }

    @Test("QR data longer than 252 bytes uses the two-byte length")
    func longQR() throws {
        let data = Array(repeating: UInt8(ascii: "a"), count: 300)
        let printed = try EscPosReader(EscPos.qrCode(data))
        #expect(printed.qrData == data)
    }
}
