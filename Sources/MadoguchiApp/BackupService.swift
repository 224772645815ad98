import Foundation
import Logging
import MadoguchiCore
import MadoguchiMessaging
import MadoguchiStorage
import ServiceLifecycle

/// Takes the daily backup at `time` (Asia/Tokyo) into `directory`, keeping `keep` generations
/// (`MADOGUCHI_BACKUP_DIR`, `MADOGUCHI_BACKUP_TIME`, `MADOGUCHI_BACKUP_KEEP`). With several instances on PostgreSQL
/// set it on one of them.
struct BackupService: ServiceLifecycle.Service {
    let runtime: MadoguchiRuntime
    let directory: String
    let minuteOfDay: Int
    let keep: Int

    /// The next instant at `minuteOfDay` after `date`.
    static func next(after date: Date, minuteOfDay: Int) -> Date {
        let calendar = CityCalendar.gregorian
        let today = calendar.startOfDay(for: date).addingTimeInterval(Double(minuteOfDay) * 60)
        return today > date ? today : calendar.date(byAdding: .day, value: 1, to: today)!
    }

    func run() async throws {
        let logger = runtime.logger
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = runtime.clock.now()
                let wait = Self.next(after: now, minuteOfDay: minuteOfDay).timeIntervalSince(now)
                do { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) } catch { return }
                do {
                    let report = try await Backup.runAndRecord(runtime.database, url: runtime.database.url, to: directory, keep: keep)
                    logger.info("backup verified: \(report.file) (\(report.bytes) bytes)")
                } catch {
                    logger.error("backup failed: \(error)")
                }
            }
        }
    }
}
