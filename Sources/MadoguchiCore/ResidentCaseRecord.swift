import Foundation

/// Where a 住民異動届 case is in the back office's workflow (K5 r–t).
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case received, onHold = "on_hold", sentBack = "sent_back", completed

    public var japaneseName: String {
        switch self {
        case .received: "受付中"
        case .onHold: "保留"
        case .sentBack: "差戻"
        case .completed: "完了"
        }
    }

    /// Only a case still being worked on may be edited; a completed one is a record.
    public var isEditable: Bool { self != .completed }
}

/// One step of the workflow: who moved the case to which state, when, and why.
public struct CaseHistoryEntry: Codable, Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var status: CaseStatus
    public var note: String
    public init(at: Date, actor: String, status: CaseStatus, note: String = "") {
        self.at = at
        self.actor = actor
        self.status = status
        self.note = note
    }
}

/// A document handed in with the case (転出証明書, 在留カードの写し …): PDF, JPEG or PNG.
public struct CaseAttachment: Codable, Sendable, Equatable {
    public var id: String
    public var fileName: String
    public var contentType: String
    public var bytes: Int
    public var at: Date
    public var actor: String
    public init(id: String, fileName: String, contentType: String, bytes: Int, at: Date, actor: String) {
        self.id = id
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
        self.at = at
        self.actor = actor
    }

    public static let allowedTypes = ["application/pdf", "image/jpeg", "image/png"]
    public static let maxBytes = 10 * 1024 * 1024

    /// The content type the file's own first bytes show, when it is one of the allowed ones: a name or a header is
    /// not trusted for what gets stored beside a resident's case.
    public static func detectedType(of data: Data) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) { return "application/pdf" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }
}

/// A case as the document store keeps it (K5): the notification, its workflow and its attachments.
public struct CaseRecord: Codable, Sendable, Equatable {
    public var id: String
    public var officeID: String
    public var status: CaseStatus
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?
    public var createdBy: String
    public var residentCase: ResidentCase
    public var history: [CaseHistoryEntry]
    public var attachments: [CaseAttachment]

    public init(
        id: String, officeID: String, status: CaseStatus = .received, createdAt: Date, updatedAt: Date, completedAt: Date? = nil,
        createdBy: String, residentCase: ResidentCase, history: [CaseHistoryEntry] = [], attachments: [CaseAttachment] = []
    ) {
        self.id = id
        self.officeID = officeID
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.createdBy = createdBy
        self.residentCase = residentCase
        self.history = history
        self.attachments = attachments
    }

    /// Whether the case matches a free-text search: name, kana (hiragana and katakana alike), memo or remarks.
    public func matches(text: String) -> Bool { CaseQuery(officeIDs: [], text: text).matches(searchText: Self.searchText(of: residentCase)) }

    /// What a search looks in, normalised once when the case is saved (names, kana, householder, memo, remarks;
    /// birth dates on a line of their own), so a search opens this short text rather than decoding every case.
    public static func searchText(of c: ResidentCase) -> String {
        var fields = [c.memo, c.remarks, c.householder]
        for person in c.persons {
            let id = person.identity
            fields += [id.familyName + id.givenName, id.familyNameKana + id.givenNameKana]
        }
        let births = c.persons.map(\.identity.birthDate).joined(separator: " ")
        return fields.map(searchable).filter { !$0.isEmpty }.joined(separator: "\u{1F}") + "\n" + births
    }

    /// Without spaces, half-width letters and digits, katakana as hiragana.
    static func searchable(_ text: String) -> String {
        let half = ResidentNumbers.halfWidth(text).replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "　", with: "")
        return String(
            String.UnicodeScalarView(
                half.unicodeScalars.map { scalar in
                    (0x30A1...0x30F6).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0x60)! : scalar
                })
        ).lowercased()
    }
}

/// What the document store is searched by (K5 q). Dates are business dates of reception, inclusive.
public struct CaseQuery: Sendable, Equatable {
    public var officeIDs: [String]
    public var text: String = ""
    public var birthDate: String = ""
    public var from: String = ""
    public var through: String = ""
    public var procedure: MovingProcedure?
    public var status: CaseStatus?
    public var limit = 200
    /// `from` and `through` are dates of completion rather than of reception (exports).
    public var datesOfCompletion = false
    public init(
        officeIDs: [String], text: String = "", birthDate: String = "", from: String = "", through: String = "",
        procedure: MovingProcedure? = nil, status: CaseStatus? = nil, limit: Int = 200
    ) {
        self.officeIDs = officeIDs
        self.text = text
        self.birthDate = birthDate
        self.from = from
        self.through = through
        self.procedure = procedure
        self.status = status
        self.limit = limit
    }

    /// Whether the search needs the sealed search text (the database answers the rest).
    public var searchesSealedText: Bool { !text.isEmpty || !birthDate.isEmpty }

    /// The parts of the search the database cannot answer on sealed data, on a case's `CaseRecord.searchText`.
    public func matches(searchText: String) -> Bool {
        let parts = searchText.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let needle = CaseRecord.searchable(text)
        if !needle.isEmpty, !(parts.first.map { $0.contains(needle) } ?? false) { return false }
        if !birthDate.isEmpty, !(parts.count > 1 && parts[1].split(separator: " ").contains { $0 == birthDate }) { return false }
        return true
    }
}

/// A PDF kept with a completed case: the original, or the masked copy one role sees (K5 u–w).
public struct CaseDocument: Sendable, Equatable {
    public var form: String
    /// `original`, or `masked:ROLE`.
    public var variant: String
    public var pdf: Data
    public init(form: String, variant: String, pdf: Data) {
        self.form = form
        self.variant = variant
        self.pdf = pdf
    }
}

/// What reports count a case by; kept after the personal data is purged (K7).
public struct CaseFact: Sendable, Equatable {
    public var officeID: String
    public var procedure: MovingProcedure
    public var createdAt: Date
    public var completedAt: Date?
    public init(officeID: String, procedure: MovingProcedure, createdAt: Date, completedAt: Date?) {
        self.officeID = officeID
        self.procedure = procedure
        self.createdAt = createdAt
        self.completedAt = completedAt
    }
}

public enum CaseError: Error, Equatable, Sendable {
    case notFound
    case notEditable
    /// The case still has errors: it cannot be completed.
    case invalid([CaseFault])
    case attachmentRejected(String)
    case unknownForm(String)
    /// More than 200 phrases, or one longer than 200 characters.
    case invalidPhrases
}

/// The document store (K5). Personal data is sealed where it is stored; metadata (office, procedure, status, dates)
/// stays readable so searches narrow down before anything is opened, and so reports survive the purge.
public protocol CaseStore: Sendable {
    func create(_ record: CaseRecord) async throws
    /// Replaces the notification of a case that is still editable; throws `CaseError.notEditable` otherwise.
    func update(id: String, residentCase: ResidentCase, at: Date) async throws
    /// Moves the case and records the step; with `documents` (completion) the PDFs are stored in the same transaction.
    func setStatus(id: String, entry: CaseHistoryEntry, documents: [CaseDocument]) async throws
    func record(id: String) async throws -> CaseRecord?
    func search(_ query: CaseQuery) async throws -> [CaseRecord]
    func addAttachment(caseID: String, attachment: CaseAttachment, data: Data) async throws
    func attachmentData(caseID: String, attachmentID: String) async throws -> Data?
    func document(caseID: String, form: String, variant: String) async throws -> Data?
    func documentForms(caseID: String) async throws -> [String]
    func facts(from: Date, to: Date, officeIDs: [String]) async throws -> [CaseFact]
    /// An office's template phrases for remarks (K3 p); its manager edits them.
    func phrases(officeID: String) async throws -> [String]
    func setPhrases(_ phrases: [String], officeID: String) async throws
    /// Erases the personal data, documents and attachments of cases last changed before `cutoff`; returns how many.
    func purge(changedBefore cutoff: Date) async throws -> Int
}
