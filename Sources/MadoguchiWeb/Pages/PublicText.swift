import Foundation
import MadoguchiCore

/// Fixed words of the public pages (`/`, `/offices/{office}`, `/t/{token}`) in the four visitor languages.
struct PublicText: Sendable {
    let siteTitle: String
    let lastUpdated: String
    let procedureLabel: String
    let allProcedures: String
    let compare: String
    /// `{office}` and `{n}` are replaced.
    let recommendMinutes: String
    /// When no office has an estimate yet: `{office}` and `{n}` (people waiting).
    let recommendWaiting: String
    let rankingHeading: String
    let details: String
    let serviceLabel: String
    let noScriptNote: String
    let ticketTitle: String
    let peopleAheadLabel: String
    let stageLabel: String
    let stateWaiting: String
    /// `{counter}` is replaced.
    let stateCalled: String
    let stateHeld: String
    let statePassed: String
    let stateDone: String
    let stateCancelled: String
    let backToOffice: String
    let closedToday: String
    let notifyHeading: String
    /// `{n}` is replaced by the threshold.
    let notifyIntro: String
    let emailLabel: String
    let phoneLabel: String
    let notifySubmit: String
    let notifyDone: String
    let notifyInvalid: String
    /// Beside the one field that is wrong, naming it.
    let emailInvalid: String
    let phoneInvalid: String
    let contactOneOnly: String
    let notifyStop: String
    let notifyStopped: String
    let notifyPrivacy: String
    /// Shown beside the stop button when a contact is registered for this ticket.
    let notifyRegistered: String
    /// The page of a ticket address that leads nowhere (mistyped, or of another day).
    let unknownTicketTitle: String
    let unknownTicketBody: String
    let webHeading: String
    let contactLabel: String
    let takeTicket: String
    /// `{daily}`, `{hourly}` and `{hold}` are replaced.
    let webRules: String
    let webClosed: String
    let checkInHeading: String
    let checkInIntro: String
    let codeLabel: String
    let checkInSubmit: String
    let checkedIn: String
    /// Opening hours on the office page; `{time}` is replaced.
    let hoursHeading: String
    let openUntil: String
    let opensAt: String
    let closedAllDay: String
    /// Sunday first, as `weekday` numbers 1…7.
    let weekdayNames: [String]
    let weekdaySeparator: String
    /// The link to the booking site.
    let reserveLink: String
    let errors: [String: String]

    static func of(_ language: Language) -> PublicText {
        switch language {
        case .ja: ja
        case .en: en
        case .zhHans: zhHans
        case .ko: ko
        }
    }

    static let ja = PublicText(
        siteTitle: "窓口の待ち状況", lastUpdated: "最終更新", procedureLabel: "お手続き", allProcedures: "すべて表示",
        compare: "空いている窓口を探す", recommendMinutes: "このお手続きは{office}なら待ち時間は約{n}分です",
        recommendWaiting: "このお手続きは{office}が空いています（{n}人待ち）", rankingHeading: "待ち時間の短い順",
        details: "詳しく見る", serviceLabel: "お手続き", noScriptNote: "最新の状況はページを再読み込みしてください。",
        ticketTitle: "あなたの番号札", peopleAheadLabel: "あなたの前に", stageLabel: "現在の段階",
        stateWaiting: "お呼びするまでお待ちください", stateCalled: "お呼びしています。{counter}へお越しください",
        stateHeld: "保留中です。職員がお呼びします", statePassed: "番号が過ぎました。職員にお声がけください",
        stateDone: "お手続きは終了しました", stateCancelled: "この番号札は取り消されました", backToOffice: "窓口の待ち状況へ",
        closedToday: "本日の受付は終了しました",
        notifyHeading: "順番が近づいたらお知らせします", notifyIntro: "あなたの前が{n}人になったときと、お呼びしたときにお知らせします。どちらか一方を入力してください。",
        emailLabel: "メールアドレス", phoneLabel: "携帯電話番号（SMS）", notifySubmit: "お知らせを受け取る",
        notifyDone: "登録しました。順番が近づいたらお知らせします。", notifyInvalid: "メールアドレスまたは携帯電話番号（070・080・090で始まる11桁）を正しく入力してください。",
        emailInvalid: "メールアドレスの形が正しくありません。「@」の前後を確かめてください（例: hanako@example.jp）。", phoneInvalid: "携帯電話番号は070・080・090で始まる11桁の数字で入力してください（例: 09012345678）。",
        contactOneOnly: "メールアドレスと携帯電話番号のどちらか一方だけを入力してください。",
        notifyStop: "お知らせを止める", notifyStopped: "お知らせを止めました。",
        notifyPrivacy: "連絡先は暗号化して保存し、お呼びした時点（遅くとも本日中）に消去します。",
        notifyRegistered: "お知らせの連絡先が登録されています。", unknownTicketTitle: "この番号札は見つかりません",
        unknownTicketBody: "番号札は発行した日だけ有効です。アドレスが途中で切れているか、古い番号札の記録がすでに消去されています。お手続きがまだのときは、新しい番号札を取るか、窓口の職員にお声がけください。",
        webHeading: "ウェブで番号札を取る", contactLabel: "メールアドレスまたは携帯電話番号", takeTicket: "番号札を取る",
        webRules: "1日{daily}枚・1時間{hourly}枚まで、連絡先ごとに1枚までです。窓口に着いたら、表示されている番号で到着確認をしてください。順番が来ても到着確認がないときは{hold}分お待ちし、その後は不在の扱いになります。",
        webClosed: "ただいまウェブ発券の受付時間外です。", checkInHeading: "到着確認", checkInIntro: "窓口（発券機・待合モニター）に表示されている4桁の番号を入力してください。発券機で番号札のQRコードを読み取っても確認できます。",
        codeLabel: "到着確認の番号", checkInSubmit: "到着しました", checkedIn: "到着確認が済んでいます。",
        hoursHeading: "受付時間", openUntil: "ただいま受付中です（{time}まで）", opensAt: "本日は{time}から受付します", closedAllDay: "本日は休業日です",
        weekdayNames: ["日", "月", "火", "水", "木", "金", "土"], weekdaySeparator: "・", reserveLink: "窓口の予約（来庁日時の予約）",
        errors: [
            "quota_reached": "本日（またはこの時間帯）のウェブ発券の上限に達しました。", "already_has_ticket": "この連絡先では、すでにお待ちの番号札があります。",
            "closed": "ただいまウェブ発券を受け付けていません。", "invalid_check_in_code": "到着確認の番号が違います。", "rate_limited": "操作が多すぎます。しばらくしてからお試しください。"
        ])

    static let en = PublicText(
        siteTitle: "Waiting times at the city offices", lastUpdated: "Last updated", procedureLabel: "Procedure",
        allProcedures: "Show all", compare: "Find the shortest wait", recommendMinutes: "For this procedure, {office} has a wait of about {n} min.",
        recommendWaiting: "For this procedure, {office} is the least busy ({n} waiting).", rankingHeading: "Shortest wait first",
        details: "Details", serviceLabel: "Procedure", noScriptNote: "Reload the page for the latest figures.",
        ticketTitle: "Your ticket", peopleAheadLabel: "Ahead of you", stageLabel: "Current step",
        stateWaiting: "Please wait until your number is called", stateCalled: "Your number is being called. Please go to {counter}.",
        stateHeld: "On hold. Staff will call you.", statePassed: "Your number has passed. Please speak to a member of staff.",
        stateDone: "Your procedure is complete", stateCancelled: "This ticket was cancelled", backToOffice: "Waiting times of the office",
        closedToday: "Closed for today",
        notifyHeading: "Get told when your turn is near",
        notifyIntro: "We tell you when {n} people are ahead of you and when we call you. Enter one of the two.",
        emailLabel: "E-mail address", phoneLabel: "Mobile number (SMS)", notifySubmit: "Notify me",
        notifyDone: "Registered. We will tell you when your turn is near.",
        notifyInvalid: "Please enter a valid e-mail address or a Japanese mobile number (11 digits starting 070, 080 or 090).",
        emailInvalid: "This e-mail address is not valid. Check the parts before and after “@” (for example hanako@example.jp).",
        phoneInvalid: "Enter the mobile number as 11 digits starting 070, 080 or 090 (for example 09012345678).",
        contactOneOnly: "Enter either an e-mail address or a mobile number, not both.",
        notifyStop: "Stop notifications", notifyStopped: "Notifications stopped.",
        notifyPrivacy: "Your contact is stored encrypted and erased when you are called (at the latest at the end of today).",
        notifyRegistered: "A contact is registered for notifications.", unknownTicketTitle: "This ticket cannot be found",
        unknownTicketBody:
            "A ticket is valid only on the day it was issued. The address may have been cut short, or the record of an old ticket has been erased. If your procedure is not done yet, please take a new number or ask a member of staff.",
        webHeading: "Take a number online", contactLabel: "E-mail address or mobile number", takeTicket: "Take a number",
        webRules:
            "Up to {daily} a day and {hourly} an hour, one per contact. When you arrive, check in with the code shown at the office. If your turn comes before you check in, we wait {hold} minutes, then your number counts as absent.",
        webClosed: "Online numbers are not available at this time.", checkInHeading: "Check in",
        checkInIntro: "Enter the 4-digit code shown at the office (kiosk, waiting-room screen), or scan your ticket's QR code at the kiosk.",
        codeLabel: "Check-in code", checkInSubmit: "I have arrived", checkedIn: "You have checked in.",
        hoursHeading: "Opening hours", openUntil: "Open now (until {time})", opensAt: "Opens today at {time}", closedAllDay: "Closed today",
        weekdayNames: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], weekdaySeparator: ", ", reserveLink: "Book a visit",
        errors: [
            "quota_reached": "Today's (or this hour's) online numbers are all taken.", "already_has_ticket": "This contact already has a number waiting.",
            "closed": "Online numbers are not available now.", "invalid_check_in_code": "That check-in code is not right.",
            "rate_limited": "Too many attempts. Please try again later."
        ])

    static let zhHans = PublicText(
        siteTitle: "窗口等候情况", lastUpdated: "最后更新", procedureLabel: "办理业务", allProcedures: "显示全部",
        compare: "查找等候时间短的窗口", recommendMinutes: "办理此业务，{office}的等候时间约为{n}分钟",
        recommendWaiting: "办理此业务，{office}人较少（{n}人等候）", rankingHeading: "按等候时间排序",
        details: "查看详情", serviceLabel: "业务", noScriptNote: "请重新加载页面以查看最新情况。",
        ticketTitle: "您的号码牌", peopleAheadLabel: "您前面还有", stageLabel: "当前步骤",
        stateWaiting: "叫号前请稍候", stateCalled: "正在叫您的号码，请前往{counter}",
        stateHeld: "已保留，工作人员会叫您", statePassed: "您的号码已过，请联系工作人员",
        stateDone: "业务已办理完毕", stateCancelled: "此号码牌已取消", backToOffice: "返回窗口等候情况",
        closedToday: "今日受理已结束",
        notifyHeading: "快轮到时通知您", notifyIntro: "当您前面还剩{n}人时以及叫号时通知您。请输入其中一项。",
        emailLabel: "电子邮箱", phoneLabel: "手机号码（短信）", notifySubmit: "接收通知",
        notifyDone: "已登记。快轮到时会通知您。", notifyInvalid: "请正确输入电子邮箱或手机号码（以070、080、090开头的11位）。", emailInvalid: "电子邮箱格式不正确。请检查“@”前后的内容（例：hanako@example.jp）。",
        phoneInvalid: "手机号码请输入以070、080、090开头的11位数字（例：09012345678）。", contactOneOnly: "请只输入电子邮箱或手机号码中的一项。",
        notifyStop: "停止通知", notifyStopped: "已停止通知。",
        notifyPrivacy: "联系方式加密保存，叫号时（最迟今日内）删除。",
        notifyRegistered: "已登记通知的联系方式。", unknownTicketTitle: "找不到此号码牌", unknownTicketBody: "号码牌仅在发放当天有效。网址可能不完整，或旧号码牌的记录已被删除。如尚未办理，请重新取号，或咨询窗口工作人员。",
        webHeading: "在线取号", contactLabel: "电子邮箱或手机号码", takeTicket: "取号",
        webRules: "每天最多{daily}个、每小时最多{hourly}个，每个联系方式限1个。到达后请用窗口显示的号码确认到达。轮到时仍未确认到达的，保留{hold}分钟后视为未到。",
        webClosed: "现在不受理在线取号。", checkInHeading: "到达确认", checkInIntro: "请输入窗口（取号机、候客显示屏）显示的4位数字，或在取号机扫描号码牌的二维码。",
        codeLabel: "到达确认号码", checkInSubmit: "我已到达", checkedIn: "已确认到达。",
        hoursHeading: "受理时间", openUntil: "正在受理（至{time}）", opensAt: "今日{time}开始受理", closedAllDay: "今日休息",
        weekdayNames: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"], weekdaySeparator: "、", reserveLink: "预约来厅",
        errors: [
            "quota_reached": "今日（或本时段）在线取号已满。", "already_has_ticket": "此联系方式已有等候中的号码。",
            "closed": "现在不受理在线取号。", "invalid_check_in_code": "到达确认号码不正确。", "rate_limited": "操作过多，请稍后再试。"
        ])

    static let ko = PublicText(
        siteTitle: "창구 대기 현황", lastUpdated: "최종 갱신", procedureLabel: "용건", allProcedures: "모두 표시",
        compare: "대기가 짧은 창구 찾기", recommendMinutes: "이 용건은 {office}에서 대기 시간이 약 {n}분입니다",
        recommendWaiting: "이 용건은 {office}이 한산합니다 ({n}명 대기)", rankingHeading: "대기 시간이 짧은 순",
        details: "자세히 보기", serviceLabel: "용건", noScriptNote: "최신 현황은 페이지를 새로 고쳐 주세요.",
        ticketTitle: "고객님의 번호표", peopleAheadLabel: "앞 대기 인원", stageLabel: "현재 단계",
        stateWaiting: "번호를 부를 때까지 기다려 주세요", stateCalled: "호출 중입니다. {counter}(으)로 와 주세요",
        stateHeld: "보류 중입니다. 직원이 호출합니다", statePassed: "번호가 지났습니다. 직원에게 말씀해 주세요",
        stateDone: "용건이 완료되었습니다", stateCancelled: "이 번호표는 취소되었습니다", backToOffice: "창구 대기 현황으로",
        closedToday: "오늘 접수는 종료되었습니다",
        notifyHeading: "차례가 가까워지면 알려 드립니다", notifyIntro: "앞 대기 인원이 {n}명이 되었을 때와 호출할 때 알려 드립니다. 둘 중 하나를 입력해 주세요.",
        emailLabel: "이메일 주소", phoneLabel: "휴대전화 번호 (SMS)", notifySubmit: "알림 받기",
        notifyDone: "등록되었습니다. 차례가 가까워지면 알려 드립니다.", notifyInvalid: "이메일 주소 또는 휴대전화 번호(070·080·090으로 시작하는 11자리)를 올바르게 입력해 주세요.",
        emailInvalid: "이메일 주소 형식이 올바르지 않습니다. “@” 앞뒤를 확인해 주세요(예: hanako@example.jp).",
        phoneInvalid: "휴대전화 번호는 070·080·090으로 시작하는 11자리 숫자로 입력해 주세요(예: 09012345678).", contactOneOnly: "이메일 주소와 휴대전화 번호 중 하나만 입력해 주세요.",
        notifyStop: "알림 중지", notifyStopped: "알림을 중지했습니다.",
        notifyPrivacy: "연락처는 암호화하여 저장하며 호출 시점(늦어도 오늘 중)에 삭제합니다.",
        notifyRegistered: "알림 연락처가 등록되어 있습니다.", unknownTicketTitle: "이 번호표를 찾을 수 없습니다",
        unknownTicketBody: "번호표는 발급한 날에만 유효합니다. 주소가 잘렸거나 오래된 번호표의 기록이 이미 삭제되었습니다. 용건이 아직 끝나지 않았다면 번호표를 다시 받거나 창구 직원에게 문의해 주세요.",
        webHeading: "온라인으로 번호표 받기", contactLabel: "이메일 주소 또는 휴대전화 번호", takeTicket: "번호표 받기",
        webRules: "하루 {daily}장, 1시간 {hourly}장까지, 연락처당 1장입니다. 도착하면 창구에 표시된 번호로 도착 확인을 해 주세요. 차례가 되어도 도착 확인이 없으면 {hold}분 보류 후 부재 처리됩니다.",
        webClosed: "지금은 온라인 발권 시간이 아닙니다.", checkInHeading: "도착 확인", checkInIntro: "창구(발권기·대기실 모니터)에 표시된 4자리 번호를 입력하거나, 발권기에서 번호표의 QR 코드를 읽혀 주세요.",
        codeLabel: "도착 확인 번호", checkInSubmit: "도착했습니다", checkedIn: "도착 확인이 되었습니다.",
        hoursHeading: "접수 시간", openUntil: "지금 접수 중입니다({time}까지)", opensAt: "오늘은 {time}부터 접수합니다", closedAllDay: "오늘은 휴무일입니다",
        weekdayNames: ["일", "월", "화", "수", "목", "금", "토"], weekdaySeparator: "·", reserveLink: "방문 예약",
        errors: [
            "quota_reached": "오늘(또는 이 시간대) 온라인 발권이 마감되었습니다.", "already_has_ticket": "이 연락처로 이미 대기 중인 번호표가 있습니다.",
            "closed": "지금은 온라인 발권을 받지 않습니다.", "invalid_check_in_code": "도착 확인 번호가 다릅니다.", "rate_limited": "조작이 너무 많습니다. 잠시 후 다시 시도해 주세요."
        ])

    /// `月〜金 8:30–17:15` for each group of days with the same hours.
    func weeklyHours(_ hours: [OpeningHours]) -> [String] {
        OfficeOpening.weekly(hours).map { group in
            "\(weekdays(group.weekdays)) \(Self.clock(group.from))–\(Self.clock(group.until))"
        }
    }

    /// Three or more days in a row read as a range (月〜金), others one by one.
    func weekdays(_ days: [Int]) -> String {
        let order = [2, 3, 4, 5, 6, 7, 1]
        let positions = days.compactMap { order.firstIndex(of: $0) }.sorted()
        var runs: [[Int]] = []
        for position in positions {
            if let last = runs.last?.last, last + 1 == position { runs[runs.count - 1].append(position) } else { runs.append([position]) }
        }
        let name = { (position: Int) in self.weekdayNames[order[position] - 1] }
        return runs.map { run in
            run.count >= 3 ? "\(name(run[0]))〜\(name(run[run.count - 1]))" : run.map(name).joined(separator: weekdaySeparator)
        }.joined(separator: weekdaySeparator)
    }

    func opening(_ opening: OfficeOpening) -> String {
        switch opening {
        case .openUntil(let minute): openUntil.replacingOccurrences(of: "{time}", with: Self.clock(minute))
        case .opensAt(let minute): opensAt.replacingOccurrences(of: "{time}", with: Self.clock(minute))
        case .finished: closedToday
        case .closedToday: closedAllDay
        }
    }

    static func clock(_ minute: Int) -> String { "\(minute / 60):" + String(format: "%02d", minute % 60) }

    func state(_ state: TicketState, counterName: String) -> String {
        switch state {
        case .waiting: stateWaiting
        case .called: stateCalled.replacingOccurrences(of: "{counter}", with: counterName)
        case .held: stateHeld
        case .absent: statePassed
        case .done: stateDone
        case .cancelled: stateCancelled
        }
    }

    /// The visitor's wording of an error code a form came back with; empty for none or an unknown one.
    func message(forError code: String?) -> String {
        guard let code else { return "" }
        return code == "invalid_contact" ? notifyInvalid : errors[code] ?? ""
    }

    func recommendation(office: String, minutes: Int?, waiting: Int) -> String {
        (minutes == nil ? recommendWaiting : recommendMinutes)
            .replacingOccurrences(of: "{office}", with: office)
            .replacingOccurrences(of: "{n}", with: String(minutes ?? waiting))
    }
}
