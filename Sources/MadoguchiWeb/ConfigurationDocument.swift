import Foundation
import MadoguchiCore
import Yams

/// Reads and writes the whole configuration as JSON or YAML (X4). Both are read through libyaml (Yams), so a fault
/// names its line and column in either: syntax errors where the parser stopped, type errors at the value, and
/// rule faults at the object they are about.
public enum ConfigurationDocument {
    public enum Format: String, Sendable { case json, yaml }

    public static func export(_ layout: OfficeLayout, as format: Format) throws -> String {
        let configuration = CityConfiguration(layout)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(configuration), as: UTF8.self) + "\n"
        case .yaml:
            var options = YAMLEncoder.Options()
            options.allowUnicode = true
            options.sortKeys = true
            let encoder = YAMLEncoder()
            encoder.options = options
            return "# Madoguchi 設定（madoguchi config import または /admin/settings で読み込めます）\n" + (try encoder.encode(configuration))
        }
    }

    /// The configuration in `text`, or every fault found with its place. Nothing is stored here.
    public static func parse(_ text: String) -> Result<CityConfiguration, ConfigurationRejected> {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return .failure(ConfigurationRejected([ConfigurationFault(message: "設定が空です。")]))
            }
            node = composed
        } catch let error as YamlError {
            return .failure(ConfigurationRejected([syntaxFault(error)]))
        } catch {
            return .failure(ConfigurationRejected([ConfigurationFault(message: "設定を読めません: \(error)")]))
        }
        let configuration: CityConfiguration
        do {
            configuration = try YAMLDecoder().decode(CityConfiguration.self, from: node)
        } catch let error as DecodingError {
            return .failure(ConfigurationRejected([decodingFault(error, in: node)]))
        } catch {
            return .failure(ConfigurationRejected([ConfigurationFault(message: "設定を読めません: \(error)")]))
        }
        let faults = configuration.faults().map { fault in
            var placed = fault
            if let collection = fault.collection, let mark = self.node(at: collection.split(separator: ".").map(String.init) + (fault.index.map { [String($0)] } ?? []), in: node)?.mark {
                placed.line = mark.line
                placed.column = mark.column
            }
            return placed
        }
        return faults.isEmpty ? .success(configuration) : .failure(ConfigurationRejected(faults))
    }

    static func syntaxFault(_ error: YamlError) -> ConfigurationFault {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigurationFault(message: "書式の誤り（\(problem)）", line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationFault(message: "同じ項目が重複しています: \(duplicates.joined(separator: ", "))", line: context.mark.line, column: context.mark.column)
        default:
            return ConfigurationFault(message: "書式の誤り（\(error)）")
        }
    }

    static func decodingFault(_ error: DecodingError, in root: Node) -> ConfigurationFault {
        let (path, message): ([any CodingKey], String) = switch error {
        case .keyNotFound(let key, let context): (context.codingPath, "項目「\(key.stringValue)」がありません。")
        case .typeMismatch(_, let context): (context.codingPath, "値の種類が違います（\(context.debugDescription)）。")
        case .valueNotFound(_, let context): (context.codingPath, "値がありません。")
        case .dataCorrupted(let context): (context.codingPath, "値が正しくありません（\(context.debugDescription)）。")
        @unknown default: ([], "設定を読めません。")
        }
        let components = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        // The deepest node that exists: a missing key is reported at the object that lacks it.
        var mark: Mark?
        for length in stride(from: components.count, through: 0, by: -1) {
            if let found = node(at: Array(components.prefix(length)), in: root)?.mark { mark = found; break }
        }
        return ConfigurationFault(collection: components.isEmpty ? nil : components.joined(separator: "."), message: message,
                                  line: mark?.line, column: mark?.column)
    }

    /// The node at a path of mapping keys and sequence indexes.
    static func node(at path: [String], in root: Node) -> Node? {
        var current = root
        for component in path {
            switch current {
            case .mapping(let mapping):
                guard let next = mapping.first(where: { $0.key.string == component })?.value else { return nil }
                current = next
            case .sequence(let sequence):
                guard let index = Int(component), index >= 0, index < sequence.count else { return nil }
                current = Array(sequence)[index]
            default:
                return nil
            }
        }
        return current
    }
}

public struct ConfigurationRejected: Error, Sendable, CustomStringConvertible {
    public let faults: [ConfigurationFault]
    public init(_ faults: [ConfigurationFault]) { self.faults = faults }
    public var description: String { "設定を読み込めません（何も変更していません）:\n" + faults.map { "- \($0)" }.joined(separator: "\n") }
}
