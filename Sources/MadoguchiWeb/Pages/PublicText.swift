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
    let notifyStop: String
    let notifyStopped: String
    let notifyPrivacy: String

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
        notifyStop: "お知らせを止める", notifyStopped: "お知らせを止めました。",
        notifyPrivacy: "連絡先は暗号化して保存し、お呼びした時点（遅くとも本日中）に消去します。")

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
        notifyHeading: "Get told when your turn is near", notifyIntro: "We tell you when {n} people are ahead of you and when we call you. Enter one of the two.",
        emailLabel: "E-mail address", phoneLabel: "Mobile number (SMS)", notifySubmit: "Notify me",
        notifyDone: "Registered. We will tell you when your turn is near.", notifyInvalid: "Please enter a valid e-mail address or a Japanese mobile number (11 digits starting 070, 080 or 090).",
        notifyStop: "Stop notifications", notifyStopped: "Notifications stopped.",
        notifyPrivacy: "Your contact is stored encrypted and erased when you are called (at the latest at the end of today).")

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
        notifyDone: "已登记。快轮到时会通知您。", notifyInvalid: "请正确输入电子邮箱或手机号码（以070、080、090开头的11位）。",
        notifyStop: "停止通知", notifyStopped: "已停止通知。",
        notifyPrivacy: "联系方式加密保存，叫号时（最迟今日内）删除。")

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
        notifyStop: "알림 중지", notifyStopped: "알림을 중지했습니다.",
        notifyPrivacy: "연락처는 암호화하여 저장하며 호출 시점(늦어도 오늘 중)에 삭제합니다.")

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

    func recommendation(office: String, minutes: Int?, waiting: Int) -> String {
        (minutes == nil ? recommendWaiting : recommendMinutes)
            .replacingOccurrences(of: "{office}", with: office)
            .replacingOccurrences(of: "{n}", with: String(minutes ?? waiting))
    }
}
