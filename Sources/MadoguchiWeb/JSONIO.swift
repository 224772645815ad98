import Foundation
import Hummingbird
import MadoguchiCore

/// Reading request bodies and writing JSON answers, with precise 400 answers for malformed input.
enum JSONIO {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Format.string(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        guard !data.isEmpty else { throw APIError(.badRequest, code: "missing_body", message: "リクエスト本文（JSON）がありません。") }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw APIError(.badRequest, code: "invalid_json", message: "リクエスト本文が正しいJSONではありません。")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError(.badRequest, code: "missing_field", message: "項目「\(key.stringValue)」がありません。")
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError(.badRequest, code: "invalid_field_type", message: "項目「\(context.codingPath.map(\.stringValue).joined(separator: "."))」の型が正しくありません。")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError(.badRequest, code: "invalid_field_type", message: "項目「\(context.codingPath.map(\.stringValue).joined(separator: "."))」に値がありません。")
        } catch {
            throw APIError(.badRequest, code: "invalid_request", message: "リクエストの内容が正しくありません。")
        }
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(data: try encoder.encode(value), status: status)
    }

    static func response(data: Data, status: HTTPResponse.Status = .ok) -> Response {
        response(buffer: ByteBuffer(data: data), status: status)
    }

    static func response(buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: jsonHeaders, body: .init(byteBuffer: buffer))
    }

    private static let jsonHeaders: HTTPFields = {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return headers
    }()
}

/// RFC 3339 timestamps with milliseconds in Japan time (`2026-11-24T09:00:00.000+09:00`), as the API writes them.
enum ISO8601Format {
    private static let utcStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// Japan has no daylight saving time, so the offset is fixed; shifting by it and formatting as UTC avoids a
    /// time-zone lookup per value.
    static func string(_ date: Date) -> String {
        let shifted = date.addingTimeInterval(9 * 3600).formatted(utcStyle)
        return shifted.dropLast() + "+09:00"
    }
}
