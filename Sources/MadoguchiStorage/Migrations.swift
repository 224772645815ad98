import Foundation
import SQLKit

/// One numbered, append-only schema change with the same meaning on SQLite and PostgreSQL.
struct Migration: Sendable {
    let version: Int
    let name: String
    /// Statements run in order, in one transaction. `{{ID}}` becomes the dialect's auto-increment primary key.
    let statements: [String]
}

/// Applies pending migrations; `madoguchi migrate` runs it, and SQLite servers run it at start-up.
public enum Migrator {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "queue, configuration, staff",
            statements: [
                """
                CREATE TABLE offices (id TEXT PRIMARY KEY, name TEXT NOT NULL, position BIGINT NOT NULL)
                """,
                """
                CREATE TABLE services (
                  id TEXT PRIMARY KEY, office_id TEXT NOT NULL REFERENCES offices(id), name TEXT NOT NULL,
                  prefix TEXT NOT NULL, range_lower BIGINT NOT NULL, range_upper BIGINT NOT NULL, position BIGINT NOT NULL,
                  CHECK (range_lower >= 0 AND range_lower <= range_upper))
                """,
                """
                CREATE TABLE stages (
                  id TEXT PRIMARY KEY, service_id TEXT NOT NULL REFERENCES services(id), name TEXT NOT NULL, position BIGINT NOT NULL)
                """,
                """
                CREATE TABLE counters (id TEXT PRIMARY KEY, office_id TEXT NOT NULL REFERENCES offices(id), name TEXT NOT NULL, position BIGINT NOT NULL)
                """,
                """
                CREATE TABLE counter_stages (
                  counter_id TEXT NOT NULL REFERENCES counters(id), stage_id TEXT NOT NULL REFERENCES stages(id),
                  position BIGINT NOT NULL, PRIMARY KEY (counter_id, stage_id))
                """,
                """
                CREATE TABLE counter_states (
                  counter_id TEXT PRIMARY KEY, is_open BIGINT NOT NULL DEFAULT 0, opened_on TEXT, version BIGINT NOT NULL DEFAULT 0)
                """,
                """
                CREATE TABLE number_sequences (
                  service_id TEXT NOT NULL, business_date TEXT NOT NULL, last_number BIGINT, issued BIGINT NOT NULL,
                  PRIMARY KEY (service_id, business_date))
                """,
                """
                CREATE TABLE tickets (
                  id TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, office_id TEXT NOT NULL, service_id TEXT NOT NULL,
                  business_date TEXT NOT NULL, number BIGINT NOT NULL, display_number TEXT NOT NULL, priority BIGINT NOT NULL,
                  state TEXT NOT NULL, stage_id TEXT NOT NULL, counter_id TEXT, assigned_counter_id TEXT, sequence BIGINT NOT NULL,
                  issued_at BIGINT NOT NULL, queued_at BIGINT NOT NULL, called_at BIGINT, version BIGINT NOT NULL,
                  CHECK (state IN ('waiting', 'called', 'held', 'absent', 'done', 'cancelled')))
                """,
                // The database itself refuses a duplicate active number, a duplicate sequence, and a counter serving two
                // tickets at once: the last line of defence under concurrency.
                """
                CREATE UNIQUE INDEX tickets_active_number ON tickets (service_id, business_date, number)
                  WHERE state IN ('waiting', 'called', 'held', 'absent')
                """,
                "CREATE UNIQUE INDEX tickets_sequence ON tickets (service_id, business_date, sequence)",
                "CREATE UNIQUE INDEX tickets_one_called_per_counter ON tickets (counter_id, business_date) WHERE state = 'called'",
                "CREATE INDEX tickets_line ON tickets (business_date, state, stage_id)",
                "CREATE INDEX tickets_office_number ON tickets (office_id, business_date, number)",
                """
                CREATE TABLE service_records (
                  id {{ID}}, ticket_id TEXT NOT NULL, service_id TEXT NOT NULL, stage_id TEXT NOT NULL, counter_id TEXT NOT NULL,
                  business_date TEXT NOT NULL, called_at BIGINT NOT NULL, finished_at BIGINT NOT NULL)
                """,
                "CREATE INDEX service_records_stage ON service_records (stage_id, id)",
                """
                CREATE TABLE events (
                  sequence {{ID}}, office_id TEXT NOT NULL, kind TEXT NOT NULL, occurred_at BIGINT NOT NULL, payload TEXT NOT NULL)
                """,
                "CREATE INDEX events_office ON events (office_id, sequence)",
                """
                CREATE TABLE users (
                  id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
                  failed_sign_ins BIGINT NOT NULL DEFAULT 0, locked_until BIGINT, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE user_offices (
                  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, office_id TEXT NOT NULL, PRIMARY KEY (user_id, office_id))
                """,
                """
                CREATE TABLE sessions (
                  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL)
                """
            ]),
        Migration(
            version: 2, name: "devices: kiosks, monitors, print jobs, presence; service names and ticket style",
            statements: [
                "ALTER TABLE services ADD COLUMN names TEXT NOT NULL DEFAULT '{}'",
                "ALTER TABLE services ADD COLUMN ticket_style TEXT NOT NULL DEFAULT 'single'",
                // Device objects are stored whole as JSON: their shape grows with the screens, their identity does not.
                """
                CREATE TABLE kiosks (
                  id TEXT PRIMARY KEY, office_id TEXT NOT NULL REFERENCES offices(id), config TEXT NOT NULL, position BIGINT NOT NULL)
                """,
                """
                CREATE TABLE monitors (
                  id TEXT PRIMARY KEY, office_id TEXT NOT NULL REFERENCES offices(id), kind TEXT NOT NULL, config TEXT NOT NULL,
                  position BIGINT NOT NULL)
                """,
                """
                CREATE TABLE service_closures (
                  service_id TEXT NOT NULL, business_date TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (service_id, business_date))
                """,
                """
                CREATE TABLE kiosk_menu_choices (
                  kiosk_id TEXT NOT NULL, business_date TEXT NOT NULL, menu_set_id TEXT NOT NULL, PRIMARY KEY (kiosk_id, business_date))
                """,
                """
                CREATE TABLE print_jobs (
                  id {{ID}}, ticket_id TEXT NOT NULL UNIQUE, kiosk_id TEXT NOT NULL, business_date TEXT NOT NULL, created_at BIGINT NOT NULL,
                  printed_at BIGINT)
                """,
                "CREATE INDEX print_jobs_pending ON print_jobs (kiosk_id, business_date, printed_at)",
                """
                CREATE TABLE print_agent_keys (kiosk_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE device_presence (
                  kind TEXT NOT NULL, device_id TEXT NOT NULL, last_seen_at BIGINT NOT NULL, connected BIGINT NOT NULL,
                  state TEXT, detail TEXT, PRIMARY KEY (kind, device_id))
                """
            ]),
        Migration(
            version: 3, name: "public web: procedures, notifications and their outbox, web tickets, audit log",
            statements: [
                "ALTER TABLE services ADD COLUMN procedure_key TEXT",
                "ALTER TABLE services ADD COLUMN notification_settings TEXT",
                // Contacts are stored only encrypted (AES-GCM, `contact_enc`) and set to NULL once their purpose ends.
                """
                CREATE TABLE notification_subscriptions (
                  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, office_id TEXT NOT NULL, service_id TEXT NOT NULL,
                  business_date TEXT NOT NULL, channel TEXT NOT NULL, contact_enc TEXT, contact_masked TEXT NOT NULL,
                  language TEXT NOT NULL, sent_ahead BIGINT NOT NULL DEFAULT 0, sent_called BIGINT NOT NULL DEFAULT 0,
                  created_at BIGINT NOT NULL, erased_at BIGINT, UNIQUE (ticket_id, channel))
                """,
                "CREATE INDEX notification_subscriptions_office ON notification_subscriptions (office_id, business_date)",
                """
                CREATE TABLE outbox (
                  id {{ID}}, subscription_id TEXT NOT NULL, ticket_id TEXT NOT NULL, business_date TEXT NOT NULL, channel TEXT NOT NULL,
                  kind TEXT NOT NULL, recipient_enc TEXT, subject TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
                  attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, lease_until BIGINT, last_error TEXT,
                  created_at BIGINT NOT NULL, sent_at BIGINT,
                  CHECK (state IN ('pending', 'sending', 'sent', 'failed')))
                """,
                "CREATE INDEX outbox_due ON outbox (state, next_attempt_at)",
                "ALTER TABLE services ADD COLUMN web_ticketing TEXT",
                "ALTER TABLE offices ADD COLUMN hours TEXT",
                // NULL for ordinary tickets; 0/1 for web tickets (checked in or not).
                "ALTER TABLE tickets ADD COLUMN web_checked_in BIGINT",
                "ALTER TABLE tickets ADD COLUMN web_hold_until BIGINT",
                // A keyed digest of the contact a web ticket was taken with (one active web ticket per contact); purged daily.
                """
                CREATE TABLE web_ticket_contacts (
                  ticket_id TEXT PRIMARY KEY, business_date TEXT NOT NULL, contact_digest TEXT NOT NULL)
                """,
                "CREATE INDEX web_ticket_contacts_digest ON web_ticket_contacts (contact_digest, business_date)",
                """
                CREATE TABLE audit_log (
                  sequence BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
                  address TEXT NOT NULL, detail TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                "CREATE INDEX audit_log_at ON audit_log (at)",
                """
                CREATE TABLE backup_runs (
                  id {{ID}}, at BIGINT NOT NULL, file TEXT NOT NULL, bytes BIGINT NOT NULL, verified BIGINT NOT NULL, message TEXT NOT NULL)
                """
            ]),
        Migration(
            version: 4, name: "administration: roles, statistics facts, web access counts, report definitions",
            statements: [
                "ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE offices ADD COLUMN closed_days TEXT",
                // Statistics facts (S1): each stage visit knows its office, when it joined the stage's line and who served it.
                "ALTER TABLE service_records ADD COLUMN office_id TEXT",
                "ALTER TABLE service_records ADD COLUMN queued_at BIGINT",
                "ALTER TABLE service_records ADD COLUMN staff_id TEXT",
                "CREATE INDEX service_records_date ON service_records (business_date, office_id)",
                "CREATE INDEX service_records_ticket ON service_records (ticket_id)",
                // The wait the visitor was told at issue, for predicted versus actual (S2).
                "ALTER TABLE tickets ADD COLUMN predicted_wait_s BIGINT",
                "CREATE INDEX tickets_date_office ON tickets (business_date, office_id)",
                """
                CREATE TABLE web_access (
                  business_date TEXT NOT NULL, page TEXT NOT NULL, office_id TEXT NOT NULL, hits BIGINT NOT NULL,
                  PRIMARY KEY (business_date, page, office_id))
                """,
                // Daily rollups of past days (S1): reports read these instead of millions of rows. A wait histogram
                // (`seconds:count,…`) per group keeps medians and percentiles exact to the second across any range.
                """
                CREATE TABLE stat_visits (
                  business_date TEXT NOT NULL, office_id TEXT NOT NULL, service_id TEXT NOT NULL, procedure_key TEXT NOT NULL,
                  stage_id TEXT NOT NULL, counter_id TEXT NOT NULL, staff_id TEXT NOT NULL, visits BIGINT NOT NULL,
                  wait_sum BIGINT NOT NULL, service_sum BIGINT NOT NULL, waits TEXT NOT NULL)
                """,
                "CREATE INDEX stat_visits_date ON stat_visits (business_date)",
                """
                CREATE TABLE stat_tickets (
                  business_date TEXT NOT NULL, office_id TEXT NOT NULL, service_id TEXT NOT NULL, procedure_key TEXT NOT NULL,
                  hour BIGINT NOT NULL, issued BIGINT NOT NULL, served BIGINT NOT NULL, absent BIGINT NOT NULL, cancelled BIGINT NOT NULL,
                  predicted_sum BIGINT NOT NULL, predicted_count BIGINT NOT NULL, first_wait_sum BIGINT NOT NULL, first_wait_count BIGINT NOT NULL)
                """,
                "CREATE INDEX stat_tickets_date ON stat_tickets (business_date)",
                "CREATE TABLE stat_days (business_date TEXT PRIMARY KEY, rolled_at BIGINT NOT NULL)",
                """
                CREATE TABLE report_definitions (
                  id TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL)
                """
            ]),
        Migration(
            version: 5, name: "web reservations: settings, imported IDs, seats, bookings",
            statements: [
                "CREATE TABLE reservation_settings (id BIGINT PRIMARY KEY, document TEXT NOT NULL)",
                // Imported MyNumber-card pickup IDs (R4); the date of birth only sealed.
                """
                CREATE TABLE reservation_ids (
                  id TEXT PRIMARY KEY, office_code TEXT NOT NULL, birth_date_enc TEXT, imported_at BIGINT NOT NULL)
                """,
                // Seats taken per slot (R5): a booking adds one only `WHERE booked < capacity`, in its transaction.
                """
                CREATE TABLE reservation_slots (
                  procedure_id TEXT NOT NULL, office_id TEXT NOT NULL, start TEXT NOT NULL, booked BIGINT NOT NULL,
                  PRIMARY KEY (procedure_id, office_id, start), CHECK (booked >= 0))
                """,
                """
                CREATE TABLE reservations (
                  code TEXT PRIMARY KEY, procedure_id TEXT NOT NULL, office_id TEXT NOT NULL, start TEXT NOT NULL, slot_date TEXT NOT NULL,
                  reservation_id TEXT, phone_enc TEXT, email_enc TEXT, language TEXT NOT NULL, password_digest TEXT, failed_attempts BIGINT NOT NULL DEFAULT 0,
                  locked_until BIGINT, status TEXT NOT NULL, booked_by TEXT NOT NULL, created_at BIGINT NOT NULL, changed_at BIGINT,
                  cancelled_at BIGINT, cancel_reason TEXT, cancelled_by TEXT, checked_in_at BIGINT, ticket_id TEXT, ticket_number TEXT,
                  reminder_queued BIGINT NOT NULL DEFAULT 0, contact_erased_at BIGINT, hold_until BIGINT,
                  CHECK (status IN ('held', 'booked', 'cancelled', 'checked_in', 'lapsed')))
                """,
                // One active booking per reservation ID (R4, R5): the database refuses a second one.
                "CREATE UNIQUE INDEX reservations_one_active_per_id ON reservations (reservation_id) WHERE status = 'booked'",
                "CREATE INDEX reservations_slot ON reservations (slot_date, office_id, procedure_id)",
                "CREATE INDEX reservations_id ON reservations (reservation_id)",
                // A seat held while the visitor fills in the form (R5): released when the hold runs out.
                "CREATE INDEX reservations_holds ON reservations (hold_until) WHERE status = 'held'"
            ]),
        Migration(
            version: 6, name: "postal addresses (Japan Post KEN_ALL) for the no-writing counter",
            statements: [
                """
                CREATE TABLE postal_addresses (
                  id {{ID}}, postal_code TEXT NOT NULL, jis_code TEXT NOT NULL, prefecture TEXT NOT NULL, city TEXT NOT NULL, town TEXT NOT NULL,
                  town_note TEXT NOT NULL, prefecture_kana TEXT NOT NULL, city_kana TEXT NOT NULL, town_kana TEXT NOT NULL)
                """,
                "CREATE INDEX postal_addresses_code ON postal_addresses (postal_code)",
                "CREATE INDEX postal_addresses_place ON postal_addresses (prefecture, city, town)"
            ]),
        // Personal data (the case, notes, file names, files, PDFs) is sealed with the data key; office, procedure,
        // status and times stay readable for searching and for the reports that outlive the purge (K7).
        Migration(
            version: 7, name: "no-writing counter: resident cases, workflow, attachments, stored documents, remark phrases",
            statements: [
                """
                CREATE TABLE resident_cases (
                  id TEXT PRIMARY KEY, office_id TEXT NOT NULL, procedure TEXT NOT NULL, status TEXT NOT NULL,
                  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, completed_at BIGINT, created_by TEXT NOT NULL,
                  payload_enc TEXT, search_enc TEXT, purged_at BIGINT,
                  CHECK (status IN ('received', 'on_hold', 'sent_back', 'completed')))
                """,
                "CREATE INDEX resident_cases_office_created ON resident_cases (office_id, created_at)",
                "CREATE INDEX resident_cases_completed ON resident_cases (completed_at)",
                "CREATE INDEX resident_cases_updated ON resident_cases (updated_at) WHERE purged_at IS NULL",
                """
                CREATE TABLE resident_case_history (
                  id {{ID}}, case_id TEXT NOT NULL REFERENCES resident_cases(id), at BIGINT NOT NULL, actor TEXT NOT NULL,
                  status TEXT NOT NULL, note_enc TEXT NOT NULL)
                """,
                "CREATE INDEX resident_case_history_case ON resident_case_history (case_id, id)",
                """
                CREATE TABLE resident_case_attachments (
                  id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES resident_cases(id), file_name_enc TEXT NOT NULL,
                  content_type TEXT NOT NULL, bytes BIGINT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL, data_enc TEXT NOT NULL)
                """,
                "CREATE INDEX resident_case_attachments_case ON resident_case_attachments (case_id, at)",
                """
                CREATE TABLE resident_case_documents (
                  case_id TEXT NOT NULL REFERENCES resident_cases(id), form TEXT NOT NULL, variant TEXT NOT NULL, pdf_enc TEXT NOT NULL,
                  PRIMARY KEY (case_id, form, variant))
                """,
                "CREATE TABLE case_phrases (position BIGINT PRIMARY KEY, text TEXT NOT NULL)"
            ]),
        // Attempt counts shared by every instance (sign-ins, reservation checks, ticket issuing, sign-ups); keys are
        // keyed digests. The audit chain's head goes into each backup record, an anchor outside the audit table.
        Migration(
            version: 8, name: "security: shared attempt counts, audit anchors in backup records, remark phrases per office",
            statements: [
                "CREATE TABLE attempt_counts (key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, count BIGINT NOT NULL)",
                "CREATE INDEX attempt_counts_window ON attempt_counts (window_start)",
                "ALTER TABLE backup_runs ADD COLUMN audit_sequence BIGINT",
                "ALTER TABLE backup_runs ADD COLUMN audit_mac TEXT",
                // Remark phrases belong to an office (its manager edits them); each office starts with the former city-wide list.
                """
                CREATE TABLE office_case_phrases (
                  office_id TEXT NOT NULL, position BIGINT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (office_id, position))
                """,
                "INSERT INTO office_case_phrases (office_id, position, text) SELECT o.id, p.position, p.text FROM offices o CROSS JOIN case_phrases p",
                "DROP TABLE case_phrases"
            ]),
        Migration(
            version: 9, name: "visitor languages for office, stage and counter names; kiosk icon and colour per service",
            statements: [
                "ALTER TABLE offices ADD COLUMN names TEXT",
                "ALTER TABLE stages ADD COLUMN names TEXT",
                "ALTER TABLE counters ADD COLUMN names TEXT",
                "ALTER TABLE services ADD COLUMN icon TEXT",
                "ALTER TABLE services ADD COLUMN colour TEXT"
            ]),
        // Its own migration: databases already at version 9 must gain the table too.
        Migration(
            version: 10, name: "the city's name and emblem for page headers",
            statements: [
                "CREATE TABLE city_profile (id BIGINT PRIMARY KEY, document TEXT NOT NULL)"
            ])
    ]

    /// Arbitrary constant naming the PostgreSQL advisory lock that serialises migrations across instances.
    static let advisoryLockKey = 7_715_000_001

    /// Applies every pending migration in one transaction; returns the versions applied.
    @discardableResult
    public static func migrate(_ database: Database) async throws -> [Int] {
        let isPostgres = database.kind == .postgres
        return try await database.withConnection { db in
            if isPostgres { try await db.raw("SELECT pg_advisory_lock(\(literal: advisoryLockKey))").run() }
            do {
                try await db.raw("BEGIN").run()
                try await db.raw(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                    """
                ).run()
                let applied = Set(try await db.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
                var newlyApplied: [Int] = []
                for migration in all where !applied.contains(migration.version) {
                    for statement in migration.statements {
                        let sql = statement.replacingOccurrences(
                            of: "{{ID}}", with: isPostgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT")
                        try await db.raw(SQLQueryString(sql)).run()
                    }
                    try await db.raw(
                        """
                        INSERT INTO schema_migrations (version, name, applied_at)
                        VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamp.micros(Date())))
                        """
                    ).run()
                    newlyApplied.append(migration.version)
                }
                try await db.raw("COMMIT").run()
                if isPostgres { try await db.raw("SELECT pg_advisory_unlock(\(literal: advisoryLockKey))").run() }
                return newlyApplied
            } catch {
                try? await db.raw("ROLLBACK").run()
                if isPostgres { try? await db.raw("SELECT pg_advisory_unlock(\(literal: advisoryLockKey))").run() }
                throw error
            }
        }
    }

    /// Versions not yet applied; a server on a shared database refuses to start while any are pending.
    public static func pendingVersions(_ database: Database) async throws -> [Int] {
        try await database.withConnection { db in
            let exists: Bool
            switch database.kind {
            case .sqlite:
                exists = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil
            case .postgres:
                exists = try await db.raw("SELECT tablename FROM pg_tables WHERE tablename = 'schema_migrations'").first() != nil
            }
            guard exists else { return all.map(\.version) }
            let applied = Set(try await db.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
            return all.map(\.version).filter { !applied.contains($0) }
        }
    }
}

/// Instants are stored as whole microseconds since 1970 (BIGINT) on both databases.
enum Timestamp {
    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
    static func date(_ micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }
}
