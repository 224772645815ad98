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

    public static let currentFormat = 1

    public init(_ layout: OfficeLayout) {
        format = Self.currentFormat
        offices = layout.offices
        services = layout.services
        counters = layout.counters
        kiosks = layout.kiosks
        monitors = layout.monitors
    }

    public var layout: OfficeLayout {
        OfficeLayout(offices: offices, services: services, counters: counters, kiosks: kiosks, monitors: monitors)
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

    public var description: String {
        let place = line.map { l in column.map { "\(l)行\($0)列" } ?? "\(l)行" }
        let path = collection.map { c in index.map { "\(c)[\($0)]" } ?? c }
        return [place, path].compactMap { $0 }.joined(separator: " ") + (place == nil && path == nil ? "" : ": ") + message
    }
}

extension CityConfiguration {
    /// The faults of `validate()`, each placed at the object it names (`service 'juki': …` → `services[i]`).
    public func faults() -> [ConfigurationFault] {
        let collections: [String: (String, [String])] = [
            "office": ("offices", offices.map(\.id)), "service": ("services", services.map(\.id)),
            "counter": ("counters", counters.map(\.id)), "kiosk": ("kiosks", kiosks.map(\.id)), "monitor": ("monitors", monitors.map(\.id)),
        ]
        var faults: [ConfigurationFault] = []
        if format != Self.currentFormat { faults.append(ConfigurationFault(collection: "format", message: "形式の番号は \(Self.currentFormat) です。")) }
        for text in layout.validate() {
            // Faults begin with `kind 'id'`; a stage is placed at the service whose route holds it.
            let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { faults.append(ConfigurationFault(message: text)); continue }
            let kind = parts[0].trimmingCharacters(in: .whitespaces)
            let id = String(parts[1])
            if kind == "stage", let index = services.firstIndex(where: { $0.route.contains { $0.id == id } }) {
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
