import Foundation
import MadoguchiCore

/// JSON form of stored events: instants as whole microseconds, so a ticket read back from an event orders exactly
/// as the same ticket read from its table row.
enum EventCoding {
    static func encode(_ event: DomainEvent) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.micros(date))
        }
        return String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    static func decode(_ payload: String) throws -> DomainEvent {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Timestamp.date(try decoder.singleValueContainer().decode(Int64.self))
        }
        return try decoder.decode(DomainEvent.self, from: Data(payload.utf8))
    }
}
