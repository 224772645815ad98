/// The line at the top of a page that says what just happened (a notice) or what went wrong (an error), the same
/// on every page: a notice is a `status` for screen readers, an error an `alert`, each with its id for links and
/// tests (`banner.mustache`). Faults of one field stay beside that field instead.
struct Banner: Sendable {
    let notice: String
    let hasNotice: Bool
    let noticeID: String
    let error: String
    let hasError: Bool
    let errorID: String

    /// `page` prefixes the ids (`reservations` → `reservations-notice`, `reservations-error`).
    init(_ page: String, notice: String = "", error: String = "") {
        self.init(notice: notice, error: error, noticeID: "\(page)-notice", errorID: "\(page)-error")
    }

    init(notice: String, error: String, noticeID: String, errorID: String) {
        self.notice = notice
        hasNotice = !notice.isEmpty
        self.noticeID = noticeID
        self.error = error
        hasError = !error.isEmpty
        self.errorID = errorID
    }
}
