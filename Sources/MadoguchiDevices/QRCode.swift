import CQRencode
import Foundation

/// A QR code symbol from libqrencode (Debian's libqrencode), for printable tickets and pages.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let size: Int
    /// Row-major, true for dark modules.
    public let modules: [Bool]

    public struct EncodingFailed: Error {}

    /// Encodes `text` as 8-bit data with error correction level M, in the smallest version that fits.
    public init(_ text: String) throws {
        guard let symbol = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { throw EncodingFailed() }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        // libqrencode sets bit 0 of each byte for a dark module; the other bits describe its role.
        let data = UnsafeBufferPointer(start: symbol.pointee.data, count: width * width)
        size = width
        modules = data.map { $0 & 1 == 1 }
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// An SVG drawing: one path of unit squares (runs of dark modules merged per row), crisp at any scale, with the
    /// 4-module quiet zone the standard requires.
    public func svg(title: String = "QRコード") -> String {
        let quiet = 4
        let side = size + 2 * quiet
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard isDark(row: row, column: column) else { column += 1; continue }
                let start = column
                while column < size && isDark(row: row, column: column) { column += 1 }
                path += "M\(start + quiet) \(row + quiet)h\(column - start)v1h-\(column - start)z"
            }
        }
        let escapedTitle = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges" role="img">\
            <title>\(escapedTitle)</title><rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
