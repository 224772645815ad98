import Foundation
import MadoguchiCore

/// Every fixed word of the visitor screens (kiosk, lobby monitor, printed ticket) in the four visitor languages.
/// Service names and free texts come translated from configuration.
struct VisitorText: Sendable {
    let language: Language
    let htmlLang: String
    /// The language's own name, for the switch buttons.
    let languageName: String
    let chooseService: String
    let waitingLabel: String
    /// `{n}` is replaced by the number of people.
    let peopleFormat: String
    let estimateLabel: String
    /// `{n}` is replaced by minutes.
    let minutesFormat: String
    let noEstimate: String
    let closedLabel: String
    let takeYourTicket: String
    let yourNumber: String
    let aheadFormat: String
    let close: String
    let printing: String
    let issueFailed: String
    /// For staff, on a kiosk browser nobody registered: it issues within the public limits and prints no agent jobs.
    let deviceNotRegistered: String
    let connectionLost: String
    let nowCalling: String
    let counterLabel: String
    let waitingByService: String
    let absentHeading: String
    let noAbsent: String
    let noCalls: String
    let laterStagesLabel: String
    let ticketNotes: [String]
    /// Column heading of the lobby's table.
    let serviceLabel: String
    /// `{stage}` and `{n}`: 「審査待ち 2人」.
    let laterStageFormat: String
    /// The lobby's line of older calls.
    let earlierCalls: String
    let checkInCodeLabel: String
    /// The counter display between visitors.
    let preparing: String
    /// On the printed ticket.
    let validToday: String
    /// `{counters}`: where the visitor will be called.
    let calledAtFormat: String

    /// The issue time on a ticket, as the language writes dates: 「2026年12月2日(水) 14:05」, "Wed 2 Dec 2026, 14:05".
    func dateTime(_ date: Date) -> String {
        let c = CityCalendar.gregorian.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        let (year, month, day, weekday) = (c.year ?? 0, c.month ?? 1, c.day ?? 1, (c.weekday ?? 1) - 1)
        let time = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        switch language {
        case .ja: return "\(year)年\(month)月\(day)日(\(["日", "月", "火", "水", "木", "金", "土"][weekday])) \(time)"
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][weekday]) \(day) \(months[month - 1]) \(year), \(time)"
        case .zhHans: return "\(year)年\(month)月\(day)日（周\(["日", "一", "二", "三", "四", "五", "六"][weekday])）\(time)"
        case .ko: return "\(year)년 \(month)월 \(day)일 (\(["일", "월", "화", "수", "목", "금", "토"][weekday])) \(time)"
        }
    }

    func people(_ count: Int) -> String { Self.counted(peopleFormat, count) }
    func minutes(_ value: Int?) -> String { value.map { Self.counted(minutesFormat, $0) } ?? noEstimate }
    func ahead(_ count: Int) -> String { Self.counted(aheadFormat, count) }
    func laterStage(_ stage: String, _ count: Int) -> String {
        Self.counted(laterStageFormat, count).replacingOccurrences(of: "{stage}", with: stage)
    }

    /// A count in words. A format holds one form for every number, or `one|other`, or `zero|one|other` (English
    /// says "1 person" but "2 people", and "soon" rather than "about 0 min"); `{n}` is the number. live.js's
    /// `Madoguchi.format` reads the same formats on the screens.
    static func counted(_ format: String, _ count: Int) -> String {
        let forms = format.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let form =
            switch (forms.count, count) {
            case (3, 0): forms[0]
            case (3, 1): forms[1]
            case (3, _): forms[2]
            case (2, 1): forms[0]
            case (2, _): forms[1]
            default: format
            }
        return form.replacingOccurrences(of: "{n}", with: String(count))
    }

    /// The fixed words of the lobby and counter displays by key, for the screens that alternate languages.
    var displayWords: [String: String] {
        [
            "nowCalling": nowCalling, "waitingByService": waitingByService, "absentHeading": absentHeading, "noCalls": noCalls,
            "serviceLabel": serviceLabel, "waitingLabel": waitingLabel, "estimateLabel": estimateLabel, "earlierCalls": earlierCalls,
            "checkInCodeLabel": checkInCodeLabel, "preparing": preparing, "connectionLost": connectionLost,
            "peopleFormat": peopleFormat, "minutesFormat": minutesFormat, "noEstimate": noEstimate, "laterStageFormat": laterStageFormat
        ]
    }

    static func of(_ language: Language) -> VisitorText {
        switch language {
        case .ja: ja
        case .en: en
        case .zhHans: zhHans
        case .ko: ko
        }
    }

    static let ja = VisitorText(
        language: .ja, htmlLang: "ja", languageName: "日本語", chooseService: "ご用件のボタンを押してください",
        waitingLabel: "お待ちの方", peopleFormat: "{n}人", estimateLabel: "待ち時間の目安", minutesFormat: "まもなく|約{n}分|約{n}分",
        noEstimate: "ー", closedLabel: "本日の受付は終了しました", takeYourTicket: "番号札をお取りください", yourNumber: "あなたの番号",
        aheadFormat: "あなたの前に {n} 人お待ちです", close: "閉じる", printing: "印刷しています…",
        issueFailed: "発券できませんでした。職員にお声がけください。",
        deviceNotRegistered: "この端末は発券機として登録されていません（職員の方は「機器の接続状況」で登録してください）。", connectionLost: "接続が切れています（自動で再接続します）",
        nowCalling: "お呼びしている番号", counterLabel: "窓口", waitingByService: "お待ちの状況",
        absentHeading: "お呼びしましたがいらっしゃいませんでした", noAbsent: "ありません", noCalls: "ただいまお呼びしている番号はありません",
        laterStagesLabel: "このあとの待ち",
        ticketNotes: ["番号をお呼びするまで、お近くでお待ちください。", "QRコードから待ち状況を確認できます。"],
        serviceLabel: "業務", laterStageFormat: "{stage}待ち {n}人", earlierCalls: "これまでにお呼びした番号",
        checkInCodeLabel: "ウェブ番号札の到着確認番号", preparing: "ただいま準備中です",
        validToday: "この番号札は本日のみ有効です", calledAtFormat: "お呼びする窓口：{counters}")

    static let en = VisitorText(
        language: .en, htmlLang: "en", languageName: "English", chooseService: "Please touch the service you need",
        waitingLabel: "Waiting", peopleFormat: "{n} person|{n} people", estimateLabel: "Estimated wait", minutesFormat: "soon|about {n} min|about {n} min",
        noEstimate: "–", closedLabel: "Closed for today", takeYourTicket: "Please take your ticket", yourNumber: "Your number",
        aheadFormat: "Nobody is ahead of you|1 person is ahead of you|{n} people are ahead of you", close: "Close", printing: "Printing…",
        issueFailed: "The ticket could not be issued. Please ask a member of staff.",
        deviceNotRegistered: "This screen is not registered as a ticket machine (staff: register it on the device status page).",
        connectionLost: "Connection lost (reconnecting automatically)", nowCalling: "Now calling", counterLabel: "Counter",
        waitingByService: "Waiting now", absentHeading: "Called but not present", noAbsent: "None",
        noCalls: "No number is being called now", laterStagesLabel: "Waiting at later steps",
        ticketNotes: ["Please wait nearby until your number is called.", "Scan the QR code to see your place in line."],
        serviceLabel: "Service", laterStageFormat: "{stage}: {n} waiting", earlierCalls: "Called before",
        checkInCodeLabel: "Arrival code for web tickets", preparing: "Preparing – please wait",
        validToday: "Valid today only", calledAtFormat: "You will be called to: {counters}")

    static let zhHans = VisitorText(
        language: .zhHans, htmlLang: "zh-Hans", languageName: "简体中文", chooseService: "请按下您要办理的业务",
        waitingLabel: "等候人数", peopleFormat: "{n}人", estimateLabel: "预计等候时间", minutesFormat: "即将|约{n}分钟|约{n}分钟",
        noEstimate: "–", closedLabel: "今日受理已结束", takeYourTicket: "请取号码牌", yourNumber: "您的号码",
        aheadFormat: "您前面还有 {n} 人", close: "关闭", printing: "正在打印…", issueFailed: "无法取号，请咨询工作人员。",
        deviceNotRegistered: "此终端尚未登记为取号机（工作人员请在设备状态页面登记）。",
        connectionLost: "连接已断开（正在自动重新连接）", nowCalling: "正在叫号", counterLabel: "窗口", waitingByService: "等候情况",
        absentHeading: "已叫号但未到场", noAbsent: "无", noCalls: "目前没有叫号", laterStagesLabel: "后续等候",
        ticketNotes: ["叫号前请在附近等候。", "扫描二维码可查看等候情况。"],
        serviceLabel: "业务", laterStageFormat: "{stage}等候 {n}人", earlierCalls: "此前叫过的号码",
        checkInCodeLabel: "网上号码牌到达确认码", preparing: "正在准备，请稍候",
        validToday: "本号码牌仅限当日有效", calledAtFormat: "叫号窗口：{counters}")

    static let ko = VisitorText(
        language: .ko, htmlLang: "ko", languageName: "한국어", chooseService: "용건의 버튼을 눌러 주세요",
        waitingLabel: "대기 인원", peopleFormat: "{n}명", estimateLabel: "예상 대기 시간", minutesFormat: "곧|약 {n}분|약 {n}분",
        noEstimate: "–", closedLabel: "오늘 접수는 종료되었습니다", takeYourTicket: "번호표를 받아 주세요", yourNumber: "고객님의 번호",
        aheadFormat: "앞에 {n}명이 기다리고 있습니다", close: "닫기", printing: "인쇄 중…", issueFailed: "발권하지 못했습니다. 직원에게 문의해 주세요.",
        deviceNotRegistered: "이 단말기는 발권기로 등록되어 있지 않습니다(직원은 기기 상태 화면에서 등록해 주세요).",
        connectionLost: "연결이 끊어졌습니다 (자동으로 다시 연결합니다)", nowCalling: "호출 중인 번호", counterLabel: "창구",
        waitingByService: "대기 현황", absentHeading: "호출했으나 오시지 않은 번호", noAbsent: "없음", noCalls: "현재 호출 중인 번호가 없습니다",
        laterStagesLabel: "다음 단계 대기",
        ticketNotes: ["번호를 부를 때까지 가까이에서 기다려 주세요.", "QR 코드로 대기 상황을 확인할 수 있습니다."],
        serviceLabel: "업무", laterStageFormat: "{stage} 대기 {n}명", earlierCalls: "앞서 호출한 번호",
        checkInCodeLabel: "웹 번호표 도착 확인 번호", preparing: "준비 중입니다",
        validToday: "이 번호표는 당일에 한해 유효합니다", calledAtFormat: "호출 창구: {counters}")
}

/// Times as Japanese screens show them (`14:05`), in the city's time zone.
enum ClockText {
    static func hoursMinutes(_ date: Date) -> String {
        let parts = CityCalendar.gregorian.dateComponents([.hour, .minute], from: date)
        return String(format: "%d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
    /// `2026-12-10 14:05`.
    static func dateTime(_ date: Date) -> String {
        let parts = CityCalendar.gregorian.dateComponents([.hour, .minute], from: date)
        return CityCalendar.businessDate(of: date) + String(format: " %02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
    static func hoursMinutesSeconds(_ date: Date) -> String {
        let parts = CityCalendar.gregorian.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}
