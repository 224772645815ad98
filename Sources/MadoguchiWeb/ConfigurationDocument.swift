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
            return "# Madoguchi 設定（madoguchi config import または /admin/settings で読み込めます）\n" + (try yaml(configuration, sortKeys: true))
        }
    }

    /// YAML as people read and edit it: Japanese as UTF-8 text, never as `\u7DF4\u99AC` escapes.
    public static func yaml(_ value: some Encodable, sortKeys: Bool = false) throws -> String {
        var options = YAMLEncoder.Options()
        options.allowUnicode = true
        options.sortKeys = sortKeys
        let encoder = YAMLEncoder()
        encoder.options = options
        return try encoder.encode(value)
    }

    /// The configuration in `text`, or every fault found with its place. Nothing is stored here.
    public static func parse(_ text: String) -> Result<CityConfiguration, ConfigurationRejected> {
        let node: Node
        let configuration: CityConfiguration
        switch decode(CityConfiguration.self, from: text) {
        case .failure(let rejected): return .failure(rejected)
        case .success(let decoded): (configuration, node) = decoded
        }
        let faults = configuration.faults().map { fault in
            var placed = fault
            if let collection = fault.collection,
                let mark = self.node(at: collection.split(separator: ".").map(String.init) + (fault.index.map { [String($0)] } ?? []), in: node)?.mark
            {
                placed.line = mark.line
                placed.column = mark.column
            }
            return placed
        }
        return faults.isEmpty ? .success(configuration) : .failure(ConfigurationRejected(faults))
    }

    /// The largest YAML or JSON text the server reads, and the most nodes it may hold.
    static let maximumNodes = 200_000

    /// Every YAML (or JSON) document the server reads comes through here: composed by libyaml, refused when it uses
    /// anchors and aliases (a few kilobytes of aliases expand to gigabytes: the "billion laughs") or holds more than
    /// `maximumNodes` nodes, then decoded; every fault carries its line and column.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) -> Result<(value: T, node: Node), ConfigurationRejected> {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: joiningSurrogateEscapes(text)) else {
                return .failure(ConfigurationRejected([ConfigurationFault(message: "設定が空です。")]))
            }
            node = composed
        } catch let error as YamlError {
            return .failure(ConfigurationRejected([syntaxFault(error)]))
        } catch {
            return .failure(ConfigurationRejected([ConfigurationFault(message: "設定を読めません: \(error)")]))
        }
        if let fault = expansionFault(node) { return .failure(ConfigurationRejected([fault])) }
        do {
            return .success((try YAMLDecoder().decode(T.self, from: node), node))
        } catch let error as DecodingError {
            return .failure(ConfigurationRejected([decodingFault(error, in: node)]))
        } catch {
            return .failure(ConfigurationRejected([ConfigurationFault(message: "設定を読めません: \(error)")]))
        }
    }

    /// JSON writes characters beyond the BMP (an icon such as 🏠) as a surrogate pair `\\ud83c\\udfe0`, which libyaml
    /// refuses; in a JSON document (it starts with `{`) each pair becomes the character it stands for. Columns after
    /// such a character on the same line then count it as one.
    static func joiningSurrogateEscapes(_ text: String) -> String {
        guard text.drop(while: \.isWhitespace).first == "{", text.contains("\\u") else { return text }
        let pattern = #"(?<!\\)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
        let result = NSMutableString(string: text)
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let h = UInt32(result.substring(with: match.range(at: 1)), radix: 16),
                let l = UInt32(result.substring(with: match.range(at: 2)), radix: 16),
                let scalar = Unicode.Scalar(0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00))
            else { continue }
            result.replaceCharacters(in: match.range, with: String(Character(scalar)))
        }
        return result as String
    }

    /// The first node met twice, or too many nodes. libyaml composes an alias as the very node it names, so a
    /// node seen again at the same place (kind, line, column) is an alias: the walk stops there, at its first
    /// repetition, before it could enter any expansion — it stays linear in the text.
    static func expansionFault(_ root: Node) -> ConfigurationFault? {
        struct Place: Hashable { let kind: Int; let line: Int; let column: Int }
        var pending = [root]
        var seen = Set<Place>()
        while let node = pending.popLast() {
            let kind =
                switch node {
                case .scalar: 0;
                case .mapping: 1;
                case .sequence: 2;
                case .alias: 3
                }
            if case .alias = node { return aliasFault(node) }
            if let mark = node.mark, !seen.insert(Place(kind: kind, line: mark.line, column: mark.column)).inserted { return aliasFault(node) }
            if seen.count > maximumNodes { return ConfigurationFault(message: "設定が大きすぎます（\(maximumNodes)項目まで）。") }
            switch node {
            case .mapping(let mapping): for (key, value) in mapping.reversed() { pending.append(value); pending.append(key) }
            case .sequence(let sequence): pending.append(contentsOf: sequence.reversed())
            default: break
            }
        }
        return nil
    }

    private static func aliasFault(_ node: Node) -> ConfigurationFault {
        ConfigurationFault(message: "アンカー（&）と別名（*）は使えません。値はそれぞれの場所に書いてください。", line: node.mark?.line, column: node.mark?.column)
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
        let (path, message): ([any CodingKey], String) =
            switch error {
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
        return ConfigurationFault(
            collection: components.isEmpty ? nil : components.joined(separator: "."), message: message,
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
