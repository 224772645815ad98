import Foundation

/// The whole configuration as one document (X4): what `/admin/settings` exports and imports as JSON or YAML, and
/// what `madoguchi config export|import` reads and writes. Importing replaces everything at once or nothing.
public struct CityConfiguration: Codable, Sendable, Equatable {
    /// The document format, for later changes of shape.
    public var format: Int
    public var offices: [Office]
    public var services: [Service]
    public var counters: [Counter]
    public var kiosks: [Kiosk]
    public var monitors: [Monitor]
    /// Web reservations (R1); absent in documents written before reservations existed.
    public var reservations: ReservationSettings?
    /// The city's name and emblem; absent in older documents.
    public var city: CityProfile?

    public static let currentFormat = 1

    public init(_ layout: OfficeLayout) {
        format = Self.currentFormat
        offices = layout.offices
        services = layout.services
        counters = layout.counters
        kiosks = layout.kiosks
        monitors = layout.monitors
        reservations = layout.reservations
        city = layout.city == .unnamed ? nil : layout.city
    }

    public var layout: OfficeLayout {
        OfficeLayout(
            offices: offices, services: services, counters: counters, kiosks: kiosks, monitors: monitors,
            reservations: reservations ?? .empty, city: city ?? .unnamed)
    }
}

/// Replaces the stored configuration; every instance reloads it through a `configurationChanged` event.
public protocol ConfigurationStore: Sendable {
    /// Validates and stores the whole layout in one transaction: all of it or nothing.
    func replace(with layout: OfficeLayout) async throws
}

/// A fault of a configuration, with where it is: the collection and index of the object (`services`, 3), and
/// the text of `OfficeLayout.validate()`.
public struct ConfigurationFault: Sendable, Equatable, CustomStringConvertible {
    public var collection: String?
    public var index: Int?
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(collection: String? = nil, index: Int? = nil, message: String, line: Int? = nil, column: Int? = nil) {
        self.collection = collection
        self.index = index
        self.message = message
        self.line = line
        self.column = column
    }

    /// `services[3]`, `name`, or nil.
    public var path: String? {
        guard let collection else { return nil }
        guard let index else { return collection }
        return "\(collection)[\(index)]"
    }

    public var description: String {
        let place = line.map { l in column.map { "\(l)行\($0)列" } ?? "\(l)行" }
        return [place, path].compactMap { $0 }.joined(separator: " ") + (place == nil && path == nil ? "" : ": ") + message
    }
}

extension CityConfiguration {
    /// The faults of `validate()`, each placed at the object it names (`service 'juki': …` → `services[i]`).
    public func faults() -> [ConfigurationFault] {
        let collections: [String: (String, [String])] = [
            "office": ("offices", offices.map(\.id)), "service": ("services", services.map(\.id)),
            "counter": ("counters", counters.map(\.id)), "kiosk": ("kiosks", kiosks.map(\.id)), "monitor": ("monitors", monitors.map(\.id))
        ]
        let procedureIDs = reservations?.procedures.map(\.id) ?? []
        var faults: [ConfigurationFault] = []
        if format != Self.currentFormat { faults.append(ConfigurationFault(collection: "format", message: "形式の番号は \(Self.currentFormat) です。")) }
        for text in layout.validate() {
            // Faults begin with `kind 'id'`; a stage is placed at the service whose route holds it.
            let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { faults.append(ConfigurationFault(message: text)); continue }
            let kind = parts[0].trimmingCharacters(in: .whitespaces)
            let id = String(parts[1])
            if kind == "city" {
                faults.append(ConfigurationFault(collection: "city", message: text))
            } else if kind == "reservation" {
                // `reservation 'juki-card'` is a procedure; `reservation 'officeCodes'` a key of the settings.
                if let index = procedureIDs.firstIndex(of: id) {
                    faults.append(ConfigurationFault(collection: "reservations.procedures", index: index, message: text))
                } else {
                    faults.append(ConfigurationFault(collection: "reservations", message: text))
                }
            } else if kind == "stage", let index = services.firstIndex(where: { $0.route.contains { $0.id == id } }) {
                faults.append(ConfigurationFault(collection: "services", index: index, message: text))
            } else if let (collection, ids) = collections[kind], let index = ids.firstIndex(of: id) {
                faults.append(ConfigurationFault(collection: collection, index: index, message: text))
            } else {
                faults.append(ConfigurationFault(message: text))
            }
        }
        return faults
    }
}

/// Edits made from the settings screen, each keeping the configuration whole: removing a service also takes it
/// off kiosk menus, monitors and counters; a new office starts with a kiosk and a lobby monitor; a new service
/// joins its office's kiosk menus. Validation happens after, on the whole result.
extension CityConfiguration {
    public mutating func addOffice(id: String, name: String) {
        offices.append(Office(id: id, name: name))
        kiosks.append(
            Kiosk(
                id: "\(id)-kiosk", officeID: id, name: "発券機", menuSets: [MenuSet(id: "all", name: "すべての業務", serviceIDs: [])],
                defaultMenuSetID: "all"))
        monitors.append(Monitor(id: "\(id)-lobby", officeID: id, kind: .lobby, name: "待合モニター"))
    }

    public mutating func updateOffice(_ office: Office) {
        if let index = offices.firstIndex(where: { $0.id == office.id }) { offices[index] = office }
    }

    public mutating func removeOffice(_ id: String) {
        for service in services where service.officeID == id { removeService(service.id) }
        offices.removeAll { $0.id == id }
        counters.removeAll { $0.officeID == id }
        kiosks.removeAll { $0.officeID == id }
        monitors.removeAll { $0.officeID == id }
    }

    /// Replaces the service with the same id, or adds it (and puts it on every menu of its office's kiosks).
    public mutating func upsertService(_ service: Service) {
        if let index = services.firstIndex(where: { $0.id == service.id }) {
            let removedStages = Set(services[index].route.map(\.id)).subtracting(service.route.map(\.id))
            services[index] = service
            for i in counters.indices { counters[i].stageIDs.removeAll { removedStages.contains($0) } }
        } else {
            services.append(service)
            for i in kiosks.indices where kiosks[i].officeID == service.officeID {
                for j in kiosks[i].menuSets.indices { kiosks[i].menuSets[j].serviceIDs.append(service.id) }
            }
        }
    }

    public mutating func removeService(_ id: String) {
        guard let service = services.first(where: { $0.id == id }) else { return }
        let stages = Set(service.route.map(\.id))
        services.removeAll { $0.id == id }
        for i in counters.indices { counters[i].stageIDs.removeAll { stages.contains($0) } }
        for i in kiosks.indices { for j in kiosks[i].menuSets.indices { kiosks[i].menuSets[j].serviceIDs.removeAll { $0 == id } } }
        for i in monitors.indices { monitors[i].serviceIDs.removeAll { $0 == id } }
    }

    public mutating func upsertCounter(_ counter: Counter) {
        if let index = counters.firstIndex(where: { $0.id == counter.id }) { counters[index] = counter } else { counters.append(counter) }
    }

    public mutating func removeCounter(_ id: String) { counters.removeAll { $0.id == id } }

    public mutating func upsertKiosk(_ kiosk: Kiosk) {
        if let index = kiosks.firstIndex(where: { $0.id == kiosk.id }) { kiosks[index] = kiosk } else { kiosks.append(kiosk) }
    }

    public mutating func removeKiosk(_ id: String) { kiosks.removeAll { $0.id == id } }

    public mutating func upsertMonitor(_ monitor: Monitor) {
        if let index = monitors.firstIndex(where: { $0.id == monitor.id }) { monitors[index] = monitor } else { monitors.append(monitor) }
    }

    public mutating func removeMonitor(_ id: String) { monitors.removeAll { $0.id == id } }
}

extension CityConfiguration {
    /// What changed against `before`: the objects that differ on each side (for the audit log's before and after)
    /// and the offices they belong to (whose screens must reload). A change of order only names every office.
    public func difference(from before: CityConfiguration) -> (before: CityConfiguration, after: CityConfiguration, officeIDs: Set<String>) {
        func changed<T: Equatable>(_ old: [T], _ new: [T]) -> (removed: [T], added: [T]) {
            (old.filter { !new.contains($0) }, new.filter { !old.contains($0) })
        }
        var old = before, new = self
        let offices = changed(before.offices, offices), services = changed(before.services, services)
        let counters = changed(before.counters, counters), kiosks = changed(before.kiosks, kiosks)
        let monitors = changed(before.monitors, monitors)
        (old.offices, new.offices) = offices
        (old.services, new.services) = services
        (old.counters, new.counters) = counters
        (old.kiosks, new.kiosks) = kiosks
        (old.monitors, new.monitors) = monitors
        if before.reservations ?? .empty == reservations ?? .empty { (old.reservations, new.reservations) = (nil, nil) }
        if before.city == city { (old.city, new.city) = (nil, nil) }
        var officeIDs = Set((offices.removed + offices.added).map(\.id))
        officeIDs.formUnion((services.removed + services.added).map(\.officeID))
        officeIDs.formUnion((counters.removed + counters.added).map(\.officeID))
        officeIDs.formUnion((kiosks.removed + kiosks.added).map(\.officeID))
        officeIDs.formUnion((monitors.removed + monitors.added).map(\.officeID))
        if let reservations = new.reservations { officeIDs.formUnion((reservations.procedures + (old.reservations?.procedures ?? [])).flatMap(\.offices)) }
        if officeIDs.isEmpty, self != before { officeIDs = Set((before.offices + self.offices).map(\.id)) }
        return (old, new, officeIDs)
    }
}
