import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("/staff/statistics reads at a glance (issue 15, item 20)")
struct StatisticsPageTests {
    @Test("on arrival the page shows today's figures per office, before any form is filled")
    func summaryOfTodayOnArrival() async throws {
        try await APITestHarness.run { h in
            _ = try await h.issue("a")
            _ = try await h.issue("a")
            let viewer = try await h.signIn(role: .statisticsViewer, offices: ["main"])
            let today = CityCalendar.businessDate(of: h.t.clock.now())
            let page = try await h.page("/staff/statistics", cookie: viewer)
            #expect(page.status == .ok)
            #expect(page.html.contains(#"<section id="today-summary""#))
            #expect(page.html.contains("本日（\(today)）のまとめ"))
            // the office's row counts the two tickets issued today
            let table = try #require(page.html.range(of: #"id="statistics-table""#))
            let row = String(page.html[table.upperBound...].prefix(2000))
            #expect(row.contains("<td>本庁舎</td>") && row.contains(#"<td class="number">2</td>"#))
            // and the downloads give the same summary, not another range
            #expect(page.html.contains("from=\(today)&amp;to=\(today)&amp;grouping=office") || page.html.contains("from=\(today)&to=\(today)&grouping=office"))
        }
    }

    @Test("page views are named in words in the report, never by their stored key")
    func pageViewsInWords() async throws {
        try await APITestHarness.run { h in
            for path in ["/", "/offices/main", "/reserve"] { _ = try await h.page(path) }
            try await h.t.runtime.webDependencies.staff.statistics.store.addWebAccess(h.t.runtime.webDependencies.webAccess.drain())
            let viewer = try await h.signIn(role: .statisticsViewer, offices: ["main"])
            let page = try await h.page("/staff/statistics", cookie: viewer)
            let table = String(try #require(page.html.range(of: #"id="web-table""#)).map { page.html[$0.upperBound...] }!.prefix(1500))
            #expect(table.contains("待ち状況（トップ）") && table.contains("窓口ごとの待ち状況") && table.contains("予約の受付（手続きの一覧）"))
            for kind in PublicPageKind.allCases { #expect(!table.contains("<td>\(kind.rawValue)</td>")) }
        }
    }

    @Test("a long name wraps inside the chart instead of running off its left edge")
    func chartLabelsFit() {
        let long = "マイナンバーカード交付・電子証明書の更新と暗証番号の再設定（予約制）"
        let chart = BarChart(
            title: "業務ごとの発券数", bars: [.init(label: long, value: 12_345, text: "12345件"), .init(label: "住民票", value: 3, text: "3件")],
            tableID: "「集計結果」"
        ).svg
        // every line of every label fits the label column the view box leaves for it
        let lines = BarChart.lines(of: long)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { BarChart.width(of: $0) <= BarChart.labelLimit })
        #expect(lines.joined().hasPrefix("マイナンバーカード交付・電子証明書の更新"))
        let viewBox = try? #require(chart.firstMatch(of: /viewBox="0 0 (\d+) (\d+)"/))
        let width = Double(viewBox?.output.1 ?? "0") ?? 0
        #expect(width >= BarChart.width(of: lines[0]) + 340 + BarChart.width(of: "12345件"))
        // the whole name stays available to a pointer and to assistive technology
        #expect(chart.contains("<title>\(long)</title>"))
    }
}
