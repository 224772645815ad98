import Foundation
import MadoguchiCore
import SQLKit

/// Offices, services, stages and counters as configured.
public struct SQLLayoutStore: NotificationSettingsStore, ConfigurationStore {
    let database: Database
    public init(database: Database) { self.database = database }

    public func load() async throws -> OfficeLayout {
        try await database.withConnection { db in
            let offices = try await db.raw("SELECT id, name, hours, closed_days, names FROM offices ORDER BY position, id").all().map {
                Office(
                    id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self),
                    hours: try $0.decode(column: "hours", as: String?.self).map {
                        try JSONDecoder().decode([OpeningHours].self, from: Data($0.utf8))
                    } ?? OpeningHours.weekdays,
                    closedDays: try $0.decode(column: "closed_days", as: String?.self).map {
                        try JSONDecoder().decode([String].self, from: Data($0.utf8))
                    } ?? [],
                    names: try Self.names($0) ?? .empty)
            }
            var stagesByService: [String: [Stage]] = [:]
            for row in try await db.raw("SELECT id, service_id, name, names FROM stages ORDER BY position, id").all() {
                stagesByService[try row.decode(column: "service_id", as: String.self), default: []]
                    .append(
                        Stage(
                            id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                            names: try Self.names(row)))
            }
            let services = try await db.raw("SELECT * FROM services ORDER BY position, id").all().map { row in
                let id = try row.decode(column: "id", as: String.self)
                var service = Service(
                    id: id, officeID: try row.decode(column: "office_id", as: String.self), name: try row.decode(column: "name", as: String.self),
                    prefix: try row.decode(column: "prefix", as: String.self),
                    numberRange: NumberRange(try row.decode(column: "range_lower", as: Int.self), try row.decode(column: "range_upper", as: Int.self)),
                    route: stagesByService[id] ?? [],
                    names: try JSONDecoder().decode(LocalizedText.self, from: Data(try row.decode(column: "names", as: String.self).utf8)),
                    ticketStyle: TicketStyle(rawValue: try row.decode(column: "ticket_style", as: String.self)) ?? .single,
                    procedure: try row.decode(column: "procedure_key", as: String?.self),
                    notifications: try row.decode(column: "notification_settings", as: String?.self).map {
                        try JSONDecoder().decode(NotificationSettings.self, from: Data($0.utf8))
                    } ?? .standard,
                    webTicketing: try row.decode(column: "web_ticketing", as: String?.self).map {
                        try JSONDecoder().decode(WebTicketingRules.self, from: Data($0.utf8))
                    })
                service.icon = try row.decode(column: "icon", as: String?.self)
                service.colour = try row.decode(column: "colour", as: String?.self)
                return service
            }
            var stagesByCounter: [String: [String]] = [:]
            for row in try await db.raw("SELECT counter_id, stage_id FROM counter_stages ORDER BY position, stage_id").all() {
                stagesByCounter[try row.decode(column: "counter_id", as: String.self), default: []].append(try row.decode(column: "stage_id", as: String.self))
            }
            let counters = try await db.raw("SELECT id, office_id, name, names FROM counters ORDER BY position, id").all().map { row in
                let id = try row.decode(column: "id", as: String.self)
                return Counter(
                    id: id, officeID: try row.decode(column: "office_id", as: String.self),
                    name: try row.decode(column: "name", as: String.self), stageIDs: stagesByCounter[id] ?? [],
                    names: try Self.names(row))
            }
            let kiosks = try await db.raw("SELECT config FROM kiosks ORDER BY position, id").all().map {
                try JSONDecoder().decode(Kiosk.self, from: Data(try $0.decode(column: "config", as: String.self).utf8))
            }
            let monitors = try await db.raw("SELECT config FROM monitors ORDER BY position, id").all().map {
                try JSONDecoder().decode(Monitor.self, from: Data(try $0.decode(column: "config", as: String.self).utf8))
            }
            let reservations =
                try await db.raw("SELECT document FROM reservation_settings WHERE id = 1").first().map {
                    try JSONDecoder().decode(ReservationSettings.self, from: Data(try $0.decode(column: "document", as: String.self).utf8))
                } ?? .empty
            let city =
                try await db.raw("SELECT document FROM city_profile WHERE id = 1").first().map {
                    try JSONDecoder().decode(CityProfile.self, from: Data(try $0.decode(column: "document", as: String.self).utf8))
                } ?? .unnamed
            return OfficeLayout(
                offices: offices, services: services, counters: counters, kiosks: kiosks, monitors: monitors,
                reservations: reservations, city: city)
        }
    }

    public func isEmpty() async throws -> Bool {
        try await database.withConnection { db in try await db.raw("SELECT id FROM offices LIMIT 1").first() == nil }
    }

    /// Adds a whole layout in one transaction: all of it or nothing.
    public func add(_ layout: OfficeLayout) async throws {
        let faults = layout.validate()
        guard faults.isEmpty else { throw LayoutRejected(faults: faults) }
        try await database.transaction { db in try await Self.insert(layout, db) }
    }

    /// Replaces the whole configuration in one transaction. Tickets and history keep their ids, so a service that
    /// comes back later finds its statistics again.
    public func replace(with layout: OfficeLayout) async throws {
        let faults = layout.validate()
        guard faults.isEmpty else { throw LayoutRejected(faults: faults) }
        try await database.transaction { db in
            for table in ["counter_stages", "stages", "counters", "kiosks", "monitors", "services", "offices", "reservation_settings", "city_profile"] {
                try await db.raw("DELETE FROM \(ident: table)").run()
            }
            try await Self.insert(layout, db)
        }
    }

    private static func insert(_ layout: OfficeLayout, _ db: any SQLDatabase) async throws {
        for (position, office) in layout.offices.enumerated() {
            try await db.raw(
                """
                INSERT INTO offices (id, name, position, hours, closed_days, names)
                VALUES (\(bind: office.id), \(bind: office.name), \(bind: position), \(bind: try Self.json(office.hours)),
                  \(bind: office.closedDays.isEmpty ? nil : try Self.json(office.closedDays.sorted())),
                  \(bind: office.names.isEmpty ? nil : try Self.json(office.names)))
                """
            ).run()
        }
        for (position, service) in layout.services.enumerated() {
            try await db.raw(
                """
                INSERT INTO services (id, office_id, name, prefix, range_lower, range_upper, position, names, ticket_style, procedure_key, notification_settings, web_ticketing, icon, colour)
                VALUES (\(bind: service.id), \(bind: service.officeID), \(bind: service.name), \(bind: service.prefix),
                  \(bind: service.numberRange.lowerBound), \(bind: service.numberRange.upperBound), \(bind: position),
                  \(bind: try Self.json(service.names)), \(bind: service.ticketStyle.rawValue), \(bind: service.procedure),
                  \(bind: service.notifications == .standard ? nil : try Self.json(service.notifications)),
                  \(bind: try service.webTicketing.map(Self.json)), \(bind: service.icon), \(bind: service.colour))
                """
            ).run()
            for (stagePosition, stage) in service.route.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO stages (id, service_id, name, position, names)
                    VALUES (\(bind: stage.id), \(bind: service.id), \(bind: stage.name), \(bind: stagePosition), \(bind: try stage.names.map(Self.json)))
                    """
                ).run()
            }
        }
        for (position, counter) in layout.counters.enumerated() {
            try await db.raw(
                """
                INSERT INTO counters (id, office_id, name, position, names)
                VALUES (\(bind: counter.id), \(bind: counter.officeID), \(bind: counter.name), \(bind: position), \(bind: try counter.names.map(Self.json)))
                """
            ).run()
            for (stagePosition, stageID) in counter.stageIDs.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO counter_stages (counter_id, stage_id, position) VALUES (\(bind: counter.id), \(bind: stageID), \(bind: stagePosition))
                    """
                ).run()
            }
        }
        for (position, kiosk) in layout.kiosks.enumerated() {
            try await db.raw(
                """
                INSERT INTO kiosks (id, office_id, config, position)
                VALUES (\(bind: kiosk.id), \(bind: kiosk.officeID), \(bind: try Self.json(kiosk)), \(bind: position))
                """
            ).run()
        }
        for (position, monitor) in layout.monitors.enumerated() {
            try await db.raw(
                """
                INSERT INTO monitors (id, office_id, kind, config, position)
                VALUES (\(bind: monitor.id), \(bind: monitor.officeID), \(bind: monitor.kind.rawValue), \(bind: try Self.json(monitor)), \(bind: position))
                """
            ).run()
        }
        if layout.city != .unnamed {
            try await db.raw("INSERT INTO city_profile (id, document) VALUES (1, \(bind: try Self.json(layout.city)))").run()
        }
        if layout.reservations != .empty {
            try await db.raw("INSERT INTO reservation_settings (id, document) VALUES (1, \(bind: try Self.json(layout.reservations)))").run()
        }
    }

    /// Changes an office's opening hours.
    public func setHours(_ hours: [OpeningHours], officeID: String) async throws {
        try await database.withConnection { db in
            try await db.raw("UPDATE offices SET hours = \(bind: try Self.json(hours)) WHERE id = \(bind: officeID)").run()
        }
    }

    /// Changes one service's notification threshold and texts.
    public func setNotifications(_ settings: NotificationSettings, serviceID: String) async throws {
        let faults = settings.validate()
        guard faults.isEmpty else { throw LayoutRejected(faults: faults) }
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE services SET notification_settings = \(bind: try Self.json(settings)) WHERE id = \(bind: serviceID)
                """
            ).run()
        }
    }

    /// A row's `names` column: translations of its name, or nil.
    private static func names(_ row: any SQLRow) throws -> LocalizedText? {
        try row.decode(column: "names", as: String?.self).map { try JSONDecoder().decode(LocalizedText.self, from: Data($0.utf8)) }
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

public struct LayoutRejected: Error, CustomStringConvertible {
    public let faults: [String]
    public var description: String { "設定に誤りがあります:\n" + faults.map { "- " + $0 }.joined(separator: "\n") }
}
