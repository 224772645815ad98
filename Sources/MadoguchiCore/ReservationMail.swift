import Foundation

/// The texts of booking e-mails (R7). `{code}`, `{procedure}`, `{office}`, `{date}`, `{time}`, `{url}` and
/// `{reason}` are replaced.
public struct ReservationMailTemplates: Codable, Sendable, Equatable {
    public struct Text: Codable, Sendable, Equatable {
        public var subject: String
        public var body: String
        public init(subject: String, body: String) {
            self.subject = subject
            self.body = body
        }
    }
    public var booked: Text
    public var changed: Text
    public var cancelled: Text
    public var reminder: Text

    public init(booked: Text, changed: Text, cancelled: Text, reminder: Text) {
        self.booked = booked
        self.changed = changed
        self.cancelled = cancelled
        self.reminder = reminder
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let standard = Self.standard
        booked = try c.decodeIfPresent(Text.self, forKey: .booked) ?? standard.booked
        changed = try c.decodeIfPresent(Text.self, forKey: .changed) ?? standard.changed
        cancelled = try c.decodeIfPresent(Text.self, forKey: .cancelled) ?? standard.cancelled
        reminder = try c.decodeIfPresent(Text.self, forKey: .reminder) ?? standard.reminder
    }

    static let footer = """

        予約コード: {code}
        お手続き: {procedure}
        窓口: {office}
        日時: {date} {time}

        予約の確認・変更・取消: {url}
        （予約番号または予約コードと、ご自身で決めた4桁のパスワードが必要です）

        このメールは送信専用です。
        """

    public static let standard = ReservationMailTemplates(
        booked: Text(
            subject: "【予約完了】{procedure} {date} {time}",
            body: "ご予約を承りました。当日は予約時刻までに窓口へお越しください。\n" + footer),
        changed: Text(subject: "【予約変更】{procedure} {date} {time}", body: "ご予約の日時を変更しました。\n" + footer),
        cancelled: Text(subject: "【予約取消】{procedure} {date} {time}", body: "ご予約を取り消しました。{reason}\n" + footer),
        reminder: Text(
            subject: "【明日のご予約】{procedure} {date} {time}",
            body: "明日はご予約の日です。予約時刻までに窓口へお越しください。\n" + footer))

    public static func standard(in language: Language) -> ReservationMailTemplates {
        switch language {
        case .ja: standard
        case .en: english
        case .zhHans: chinese
        case .ko: korean
        }
    }

    static let english = ReservationMailTemplates(
        booked: Text(
            subject: "Booking confirmed: {procedure}, {date} {time}",
            body: "Your booking is confirmed. Please come to the office by the booked time.\n"
                + Self.footer(
                    [
                        "Booking code", "Procedure", "Office", "Date and time", "View, change or cancel",
                        "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."
                    ])),
        changed: Text(
            subject: "Booking changed: {procedure}, {date} {time}",
            body: "The time of your booking has been changed.\n"
                + Self.footer(
                    [
                        "Booking code", "Procedure", "Office", "Date and time", "View, change or cancel",
                        "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."
                    ])),
        cancelled: Text(
            subject: "Booking cancelled: {procedure}, {date} {time}",
            body: "Your booking has been cancelled.{reason}\n"
                + Self.footer(
                    [
                        "Booking code", "Procedure", "Office", "Date and time", "View, change or cancel",
                        "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."
                    ])),
        reminder: Text(
            subject: "Tomorrow: {procedure}, {date} {time}",
            body: "Your booking is tomorrow. Please come to the office by the booked time.\n"
                + Self.footer(
                    [
                        "Booking code", "Procedure", "Office", "Date and time", "View, change or cancel",
                        "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."
                    ])))

    static let chinese = ReservationMailTemplates(
        booked: Text(subject: "【预约完成】{procedure} {date} {time}", body: "预约已完成。请在预约时间前到窗口办理。\n" + Self.footer(chineseLabels)),
        changed: Text(subject: "【预约变更】{procedure} {date} {time}", body: "预约时间已变更。\n" + Self.footer(chineseLabels)),
        cancelled: Text(subject: "【预约取消】{procedure} {date} {time}", body: "预约已取消。{reason}\n" + Self.footer(chineseLabels)),
        reminder: Text(subject: "【明天的预约】{procedure} {date} {time}", body: "明天是您的预约日。请在预约时间前到窗口办理。\n" + Self.footer(chineseLabels)))
    static let chineseLabels = ["预约代码", "手续", "窗口", "日期时间", "确认·变更·取消预约", "（需要预约代码或预约号码，以及您设定的4位密码）", "本邮件为系统自动发送，请勿回复。"]

    static let korean = ReservationMailTemplates(
        booked: Text(subject: "【예약 완료】{procedure} {date} {time}", body: "예약이 완료되었습니다. 예약 시간까지 창구로 와 주세요.\n" + Self.footer(koreanLabels)),
        changed: Text(subject: "【예약 변경】{procedure} {date} {time}", body: "예약 일시를 변경했습니다.\n" + Self.footer(koreanLabels)),
        cancelled: Text(subject: "【예약 취소】{procedure} {date} {time}", body: "예약을 취소했습니다.{reason}\n" + Self.footer(koreanLabels)),
        reminder: Text(subject: "【내일 예약】{procedure} {date} {time}", body: "내일은 예약일입니다. 예약 시간까지 창구로 와 주세요.\n" + Self.footer(koreanLabels)))
    static let koreanLabels = ["예약 코드", "수속", "창구", "일시", "예약 확인·변경·취소", "(예약 코드 또는 예약번호와 직접 정한 4자리 비밀번호가 필요합니다)", "이 메일은 발신 전용입니다."]

    /// The details block under each message: code, procedure, office, date, and where to manage the booking.
    static func footer(_ labels: [String]) -> String {
        """

        \(labels[0]): {code}
        \(labels[1]): {procedure}
        \(labels[2]): {office}
        \(labels[3]): {date} {time}

        \(labels[4]): {url}
        \(labels[5])

        \(labels[6])
        """
    }

    public func text(_ kind: ReservationMailKind) -> Text {
        switch kind {
        case .booked: booked
        case .changed: changed
        case .cancelled: cancelled
        case .reminder: reminder
        }
    }
}

public enum ReservationMailKind: String, Sendable, Codable {
    case booked, changed, cancelled, reminder
}
