import Foundation

/// A printed form as data (K4): page size, fixed texts, boxes and lines, and where each value of a case goes. A city
/// changes its form by editing the JSON file, not code; docs/NO-WRITING-COUNTER.md describes the format. All
/// lengths are millimetres from the page's top-left corner.
public struct FormLayout: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var pageWidth: Double
    public var pageHeight: Double
    public var texts: [Text]
    public var boxes: [Box]
    public var lines: [Line]
    public var fields: [Field]
    /// Rows repeated for each person of a list (the household, its children …); more people than rows continue on
    /// another page with the same layout.
    public var rows: Rows?

    public struct Text: Codable, Sendable, Equatable {
        public var text: String
        public var x: Double, y: Double, w: Double, h: Double
        public var size: Double?
        public var align: Align?
    }

    public struct Box: Codable, Sendable, Equatable {
        public var x: Double, y: Double, w: Double, h: Double
        public var width: Double?
    }

    public struct Line: Codable, Sendable, Equatable {
        public var x1: Double, y1: Double, x2: Double, y2: Double
        public var width: Double?
    }

    public struct Field: Codable, Sendable, Equatable {
        /// A value's name (`newAddress`, `persons.kana` inside rows); see `CaseFormValues`.
        public var key: String
        public var x: Double, y: Double, w: Double, h: Double
        public var size: Double?
        public var align: Align?
    }

    public struct Rows: Codable, Sendable, Equatable {
        /// `persons`, `children` or `pupils`.
        public var list: String
        public var count: Int
        /// Distance from one row to the next, downwards.
        public var pitch: Double
        public var texts: [Text]?
        public var boxes: [Box]?
        public var fields: [Field]
    }

    public enum Align: String, Codable, Sendable { case left, center, right }

    public init(
        id: String, title: String, pageWidth: Double, pageHeight: Double, texts: [Text] = [], boxes: [Box] = [], lines: [Line] = [],
        fields: [Field] = [], rows: Rows? = nil
    ) {
        self.id = id
        self.title = title
        self.pageWidth = pageWidth
        self.pageHeight = pageHeight
        self.texts = texts
        self.boxes = boxes
        self.lines = lines
        self.fields = fields
        self.rows = rows
    }

    /// Every fault of a layout file, so a city's edit is refused with a reason rather than printed wrong.
    public func faults(knownKeys: Set<String>) -> [String] {
        var faults: [String] = []
        if !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) || id.isEmpty {
            faults.append("id「\(id)」は英小文字・数字・ハイフンで指定してください。")
        }
        if !(50...1200).contains(pageWidth) || !(50...1200).contains(pageHeight) { faults.append("用紙の大きさ（mm）が範囲外です。") }
        for field in fields where !knownKeys.contains(field.key) { faults.append("項目「\(field.key)」はありません。") }
        if let rows {
            if !["persons", "children", "pupils"].contains(rows.list) { faults.append("rows.list「\(rows.list)」は persons, children, pupils のどれかです。") }
            if rows.count < 1 { faults.append("rows.count は1以上です。") }
            for field in rows.fields where !knownKeys.contains("person." + field.key) { faults.append("行の項目「\(field.key)」はありません。") }
        }
        return faults
    }
}

/// A value placed on a page, with the case field it came from so the preview can jump to its input (K3 d).
public struct PlacedText: Sendable, Equatable {
    public var text: String
    public var x: Double, y: Double, w: Double, h: Double
    public var size: Double
    public var align: FormLayout.Align
    /// `persons[1].identity.familyName`; nil for the form's own fixed texts.
    public var fieldPath: String?
}

/// One page ready to draw, by the PDF renderer and by the HTML preview alike.
public struct ComposedPage: Sendable, Equatable {
    public var formID: String
    public var title: String
    public var width: Double
    public var height: Double
    public var texts: [PlacedText]
    public var boxes: [FormLayout.Box]
    public var lines: [FormLayout.Line]
}

/// Draws composed pages into one PDF document (cairo + pango with IPAmj Mincho in MadoguchiDocuments).
public protocol FormRenderer: Sendable {
    func pdf(_ pages: [ComposedPage]) throws -> Data
}

/// The forms a city prints, by id, in the order staff see them.
public struct FormCatalogue: Sendable {
    public var layouts: [FormLayout]
    public init(layouts: [FormLayout]) { self.layouts = layouts }
    public func layout(_ id: String) -> FormLayout? { layouts.first { $0.id == id } }
    /// The 住民異動届 itself; the others are related forms made from the same case.
    public static let mainFormID = "jumin-ido"
}

extension FormLayout {
    static let defaultSize = 10.0

    /// The pages of this form for one case's values.
    public func compose(_ values: CaseFormValues) -> [ComposedPage] {
        func place(_ field: Field, _ value: CaseFormValues.Value?, dy: Double = 0) -> PlacedText? {
            guard let value, !value.text.isEmpty else { return nil }
            return PlacedText(
                text: value.text, x: field.x, y: field.y + dy, w: field.w, h: field.h, size: field.size ?? Self.defaultSize,
                align: field.align ?? .left, fieldPath: value.path)
        }
        func fixed(_ text: Text, dy: Double = 0) -> PlacedText {
            PlacedText(text: text.text, x: text.x, y: text.y + dy, w: text.w, h: text.h, size: text.size ?? Self.defaultSize, align: text.align ?? .left)
        }
        let people = rows.map { values.lists[$0.list] ?? [] } ?? []
        let perPage = max(rows?.count ?? 1, 1)
        let pageCount = max(1, (people.count + perPage - 1) / perPage)
        return (0..<pageCount).map { pageIndex in
            var texts = self.texts.map { fixed($0) } + fields.compactMap { place($0, values.values[$0.key]) }
            var boxes = self.boxes
            if pageCount > 1 {
                texts.append(PlacedText(text: "（\(pageIndex + 1)／\(pageCount)枚目）", x: pageWidth - 50, y: 5, w: 40, h: 6, size: 9, align: .right))
            }
            if let rows {
                for slot in 0..<rows.count {
                    let dy = Double(slot) * rows.pitch
                    texts += (rows.texts ?? []).map { fixed($0, dy: dy) }
                    boxes += (rows.boxes ?? []).map { Box(x: $0.x, y: $0.y + dy, w: $0.w, h: $0.h, width: $0.width) }
                    let index = pageIndex * perPage + slot
                    guard index < people.count else { continue }
                    texts += rows.fields.compactMap { place($0, people[index][$0.key], dy: dy) }
                }
            }
            return ComposedPage(formID: id, title: title, width: pageWidth, height: pageHeight, texts: texts, boxes: boxes, lines: lines)
        }
    }
}
