import Foundation
import HTTPTypes
import Hummingbird
import MadoguchiCore

/// The one CSV download of every export: UTF-8 with a byte-order mark (so Excel opens it as UTF-8), or Shift_JIS
/// for systems limited to JIS X 0208 through Core's substitution (the city's table, else 〓), never dropping a
/// character silently: the number of characters replaced is in `X-Madoguchi-Outside-JIS`.
enum CSVDownload {
    static let outsideJISHeader = HTTPField.Name("X-Madoguchi-Outside-JIS")!

    static func response(_ text: String, filename: String, shiftJIS: Bool = false, substitution: JISX0208Substitution = JISX0208Substitution())
        -> Response
    {
        guard shiftJIS else { return file(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), charset: "utf-8", filename: filename) }
        let (data, replacements) = substitution.shiftJIS(text)
        var response = file(data, charset: "Shift_JIS", filename: filename)
        response.headers[outsideJISHeader] = String(replacements.count)
        return response
    }

    /// A CSV file already encoded (the resident-records export, whose receiving system takes no byte-order mark).
    static func file(_ data: Data, charset: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=\(charset)"
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
