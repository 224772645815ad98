import ArgumentParser
import Foundation
import Synchronization
import Hummingbird
import Logging
import MadoguchiCore
import MadoguchiDevices
import MadoguchiStorage
import MadoguchiWeb
import ServiceLifecycle

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "空のデータベースにデモの市を読み込みます。--history で過去の利用実績も作ります。")
    @OptionGroup var settingsOptions: SettingsOptions
    @Option(help: "昨日までの過去の日数分の利用実績（1年で約700万件）を作ります（統計とベンチマーク用）。") var history: Int?
    @Option(help: "1年あたりの発券数（--history と一緒に）") var ticketsPerYear = 7_000_000

    func validate() throws {
        if let history, !(1...800).contains(history) { throw ValidationError("--history は1から800（日）で指定してください。") }
        guard (1_000...50_000_000).contains(ticketsPerYear) else { throw ValidationError("--tickets-per-year は1000から5000万で指定してください。") }
    }

    func run() async throws {
        let settings = try await settingsOptions.settings()
        let url = settings.database
        // The real key ring: the demo's imported reservation IDs carry sealed dates of birth.
        try await MadoguchiRuntime.using(
            url, migrate: true,
            cipher: try DataKeys.cipher(for: settings)
        ) { runtime in
            let loaded = try await DemoLoader.loadIfEmpty(runtime)
            if !loaded, history == nil {
                throw ValidationError("データベースは空ではありません。デモは空のデータベースにだけ読み込めます。")
            }
            if loaded {
                print(
                    "デモの市を読み込みました: 窓口 \(runtime.layout.current.offices.count) か所、業務 \(runtime.layout.current.services.count)、カウンター \(runtime.layout.current.counters.count)"
                )
            }
            if let history { try await generateHistory(days: history, runtime: runtime) }
        }
    }

    private func generateHistory(days: Int, runtime: MadoguchiRuntime) async throws {
        let writer = SQLHistoryWriter(database: runtime.database)
        let dates = HistoryGenerator.businessDays(last: days, before: runtime.clock.now())
        guard let first = dates.first, let last = dates.last else { return }
        let (from, to) = (CityCalendar.businessDate(of: first), CityCalendar.businessDate(of: last))
        if try await writer.hasTickets(from: from, to: to) {
            throw ValidationError("\(from)〜\(to) には既に番号札の記録があります。履歴は記録のない期間にだけ作れます。")
        }
        var generator = HistoryGenerator(layout: runtime.layout.current)
        generator.ticketsPerYear = ticketsPerYear
        let started = Date()
        var written = 0
        let progress = ProgressBar(total: dates.count, label: "履歴を作成")
        for (index, date) in dates.enumerated() {
            let day = generator.day(date, index: index)
            try await writer.append(tickets: day.tickets, records: day.records)
            written += day.tickets.count
            progress.update(index + 1, detail: "\(written.formatted())件")
        }
        progress.finish()
        print("\(from)〜\(to) の \(dates.count) 営業日に \(written.formatted()) 件の番号札を作りました（\(Int(Date().timeIntervalSince(started)))秒）。")
        let rollupStarted = Date()
        let rollupProgress = ProgressBar(total: dates.count, label: "日ごとの集計")
        try await SQLStatisticsStore(database: runtime.database).rollUp(from: from, to: to) { done, total in
            rollupProgress.update(done, of: total, detail: "")
        }
        rollupProgress.finish()
        print("日ごとの集計を作りました（\(Int(Date().timeIntervalSince(rollupStarted)))秒）。")
    }
}

enum DemoLoader {
    /// Loads the demo city and its demo users when no office is configured yet.
    static func loadIfEmpty(_ runtime: MadoguchiRuntime) async throws -> Bool {
        let layouts = SQLLayoutStore(database: runtime.database)
        guard try await layouts.isEmpty() else { return false }
        try await layouts.add(DemoCity.layout)
        for user in DemoCity.users where try await runtime.staffAccess.users.user(login: user.login) == nil {
            _ = try await runtime.staffAccess.addUser(login: user.login, role: user.role, officeIDs: user.offices, password: user.password)
        }
        _ = try await runtime.reservations.store.importIDs(DemoCity.reservationIDs, at: runtime.clock.now())
        let addresses = SQLAddressDirectory(database: runtime.database)
        if try await addresses.count() == 0 { try await addresses.replace(with: DemoAddresses.addresses, progress: { _ in }) }
        for office in DemoCity.layout.offices where try await runtime.cases.store.phrases(officeID: office.id).isEmpty {
            try await runtime.cases.store.setPhrases(DemoCases.phrases, officeID: office.id)
        }
        try await runtime.rebuildProjection()
        return true
    }
}
