import Foundation
import MadoguchiCore

/// The forms a city prints: the layouts shipped in `Forms/` and the city's own from a directory
/// (`MADOGUCHI_FORMS_DIR`), where a file with a shipped form's id replaces it and any other file adds a form. A
/// faulty file stops start-up with its name and faults rather than printing wrong.
public enum FormLibrary {
    public struct Faults: Error, CustomStringConvertible {
        public let faults: [String]
        public var description: String { "帳票レイアウトに誤りがあります:\n" + faults.joined(separator: "\n") }
    }

    /// The shipped order: the 住民異動届 first, then the related forms.
    static let shippedOrder = ["jumin-ido", "juminhyo-request", "inkan-registration", "kokuho", "jido-teate", "tenko"]

    public static func load(cityDirectory: String? = nil) throws -> FormCatalogue {
        var layouts: [FormLayout] = []
        var faults: [String] = []
        func read(_ url: URL) {
            do {
                let layout = try JSONDecoder().decode(FormLayout.self, from: try Data(contentsOf: url))
                let found = layout.faults(knownKeys: CaseFormValues.knownKeys)
                if found.isEmpty {
                    layouts.removeAll { $0.id == layout.id }
                    layouts.append(layout)
                } else {
                    faults += found.map { "\(url.lastPathComponent): \($0)" }
                }
            } catch let error as DecodingError {
                faults.append("\(url.lastPathComponent): JSON として読めません（\(describe(error))）")
            } catch {
                faults.append("\(url.lastPathComponent): 読めません（\(error.localizedDescription)）")
            }
        }
        guard let shipped = Bundle.module.url(forResource: "Forms", withExtension: nil) else { throw Faults(faults: ["同梱の帳票がありません。"]) }
        for url in try files(in: shipped) { read(url) }
        layouts.sort { (shippedOrder.firstIndex(of: $0.id) ?? 99, $0.id) < (shippedOrder.firstIndex(of: $1.id) ?? 99, $1.id) }
        if let cityDirectory, !cityDirectory.isEmpty {
            for url in try files(in: URL(fileURLWithPath: cityDirectory)) { read(url) }
        }
        guard faults.isEmpty else { throw Faults(faults: faults) }
        return FormCatalogue(layouts: layouts)
    }

    static func files(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "「\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))」がありません"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "「\(context.codingPath.map(\.stringValue).joined(separator: "."))」: \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
