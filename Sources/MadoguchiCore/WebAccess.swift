import Foundation
import Synchronization

public struct WebAccessCount: Codable, Sendable, Equatable {
    public var page: String
    public var hits: Int
    public init(page: String, hits: Int) { self.page = page; self.hits = hits }
}

/// The kinds of public page whose views are counted (S1): the stored key, and the name staff read in reports.
public enum PublicPageKind: String, Sendable, CaseIterable {
    case home
    case office
    case ticket
    case webTicket = "web_ticket"
    case reserve
    case reservation

    public var japaneseName: String {
        switch self {
        case .home: "待ち状況（トップ）"
        case .office: "窓口ごとの待ち状況"
        case .ticket: "番号札のページ"
        case .webTicket: "ウェブ発券"
        case .reserve: "予約の受付（手続きの一覧）"
        case .reservation: "予約の完了"
        }
    }

    /// The report name of a stored key; a key from an older version keeps a readable label instead of its code.
    public static func name(ofKey key: String) -> String { PublicPageKind(rawValue: key)?.japaneseName ?? "その他のページ（\(key)）" }
}

/// A public page view counted for statistics: the day, the kind of page and its office ('' for city-wide pages).
public struct WebAccessKey: Hashable, Sendable {
    public var businessDate: String
    public var page: String
    public var officeID: String
    public init(businessDate: String, page: String, officeID: String) {
        self.businessDate = businessDate
        self.page = page
        self.officeID = officeID
    }
}

/// Page views counted in memory and written in batches, so a busy public page costs no database write per view.
public final class WebAccessCounter: Sendable {
    private let counts = Mutex<[WebAccessKey: Int]>([:])
    private let clock: any WallClock
    public init(clock: any WallClock) { self.clock = clock }

    public func count(_ page: PublicPageKind, officeID: String = "") {
        let key = WebAccessKey(businessDate: CityCalendar.businessDate(of: clock.now()), page: page.rawValue, officeID: officeID)
        counts.withLock { $0[key, default: 0] += 1 }
    }

    /// What was counted since the last call; the caller writes it (and gives it back with `restore` on failure).
    public func drain() -> [WebAccessKey: Int] {
        counts.withLock {
            let taken = $0; $0 = [:]; return taken
        }
    }

    public func restore(_ taken: [WebAccessKey: Int]) {
        counts.withLock { for (key, hits) in taken { $0[key, default: 0] += hits } }
    }
}
