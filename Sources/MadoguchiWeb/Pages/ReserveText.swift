import MadoguchiCore

/// Fixed words of the booking site `/reserve` (R2, R3, R6) in the four visitor languages.
struct ReserveText: Sendable {
    let language: Language
    let title: String
    let intro: String
    let manageLink: String
    let chooseProcedure: String
    let idHeading: String
    let idLabel: String
    let idHelp: String
    let next: String
    let chooseOffice: String
    /// `{office}` is replaced.
    let saturdayNote: String
    let chooseDay: String
    let previousMonth: String
    let nextMonth: String
    let weekdays: [String]
    let legend: String
    /// Words for ○, △ and × (screen readers and the calendar's labels).
    let markNames: [String]
    let chooseTime: String
    let noTimes: String
    let detailsHeading: String
    let birthDateLabel: String
    let birthDateHelp: String
    let phoneLabel: String
    let emailLabel: String
    let passwordLabel: String
    let passwordHelp: String
    let passwordAgainLabel: String
    let confirm: String
    let confirmHeading: String
    let book: String
    let back: String
    let doneHeading: String
    let doneCode: String
    let doneNote: String
    let procedureLabel: String
    let officeLabel: String
    let dateLabel: String
    let manageHeading: String
    let keyLabel: String
    let show: String
    let bookingHeading: String
    let changeLink: String
    let cancelHeading: String
    let cancelButton: String
    let cancelledNotice: String
    let changedNotice: String
    let changeClosed: String
    let privacy: String
    let passwordsDiffer: String
    /// `{time}` is replaced by the time the hold runs out.
    let heldNotice: String
    let errors: [String: String]
    /// `{month}` and `{year}` are replaced.
    let monthFormat: String
    /// `12月3日（木）`, `Thu 3 Dec`, `12月3日（周四）`, `12월 3일 (목)`.
    func date(_ text: String) -> String { JapaneseDate.text(text, in: language) }

    static func of(_ language: Language) -> ReserveText {
        switch language {
        case .ja: ja
        case .en: en
        case .zhHans: zhHans
        case .ko: ko
        }
    }

    func month(_ month: String) -> String {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let m = Int(parts[1]) else { return month }
        return monthFormat.replacingOccurrences(of: "{year}", with: String(parts[0])).replacingOccurrences(of: "{month}", with: String(m))
    }

    /// Heading of the summary of every fault of a form, above the form.
    var faultsHeading: String {
        switch language {
        case .ja: "入力内容を確認してください"
        case .en: "Please check what you entered"
        case .zhHans: "请检查输入的内容"
        case .ko: "입력 내용을 확인해 주세요"
        }
    }

    /// The visitor's language for a refusal; Japanese where no translation exists.
    func message(_ refusal: ReservationRefusal) -> String {
        if case .invalidField = refusal, let text = errors["invalid_\(fieldName(refusal))"] { return text }
        return errors[refusal.code] ?? refusal.message
    }

    private func fieldName(_ refusal: ReservationRefusal) -> String {
        if case .invalidField(let field, _) = refusal { return field }
        return ""
    }

    static let ja = ReserveText(
        language: .ja, title: "窓口の予約", intro: "来庁の日時を予約できます。空きは ○（空きあり）・△（残りわずか）・×（満員・受付外）で表示します。",
        manageLink: "予約の確認・変更・取消", chooseProcedure: "お手続きを選んでください",
        idHeading: "予約番号の入力", idLabel: "予約番号（英数字8桁）", idHelp: "通知書に記載の予約番号を入力してください。", next: "次へ",
        chooseOffice: "窓口を選んでください", saturdayNote: "土曜日は{office}でも受け取れます。",
        chooseDay: "日にちを選んでください", previousMonth: "前の月", nextMonth: "次の月", weekdays: ["日", "月", "火", "水", "木", "金", "土"],
        legend: "○ 空きあり　△ 残りわずか　× 満員・受付外", markNames: ["空きあり", "残りわずか", "予約できません"], chooseTime: "時間を選んでください", noTimes: "この日は予約できる時間がありません。",
        detailsHeading: "連絡先とパスワード", birthDateLabel: "生年月日", birthDateHelp: "本人確認のため入力してください。例: 1985-04-12、昭和60年4月12日、S60.4.12",
        phoneLabel: "電話番号", emailLabel: "メールアドレス", passwordLabel: "パスワード（数字4桁）",
        passwordHelp: "予約の確認・変更・取消に使います。ご自身で決めてください。", passwordAgainLabel: "パスワード（確認のため、もう一度）",
        confirm: "確認する", confirmHeading: "予約内容の確認", book: "予約する", back: "戻る",
        doneHeading: "予約が完了しました", doneCode: "予約コード", doneNote: "確認のメールをお送りしました。予約コードは変更・取消のときに使います。",
        procedureLabel: "お手続き", officeLabel: "窓口", dateLabel: "日時",
        manageHeading: "予約の確認・変更・取消", keyLabel: "予約コードまたは予約番号", show: "予約を表示",
        bookingHeading: "ご予約の内容", changeLink: "日時を変更する", cancelHeading: "予約を取り消す", cancelButton: "予約を取り消す",
        cancelledNotice: "予約を取り消しました。確認のメールをお送りしました。", changedNotice: "日時を変更しました。確認のメールをお送りしました。",
        changeClosed: "ウェブでの変更・取消の受付は終了しました。お手数ですが窓口へお電話ください。",
        privacy: "電話番号とメールアドレスは暗号化して保存し、予約日の後に消去します。",
        passwordsDiffer: "確認のパスワードが一致しません。",
        heldNotice: "この時間を{time}まで確保しています。それまでに予約を済ませてください。",
        errors: [:], monthFormat: "{year}年{month}月")

    static let en = ReserveText(
        language: .en, title: "Counter reservations", intro: "Book a time to visit. Availability: ○ open, △ few left, × full or not bookable.",
        manageLink: "View, change or cancel a booking", chooseProcedure: "Choose a procedure",
        idHeading: "Reservation ID", idLabel: "Reservation ID (8 letters or digits)", idHelp: "Enter the reservation ID printed on your notice.",
        next: "Next", chooseOffice: "Choose an office", saturdayNote: "On Saturdays you can also come to {office}.",
        chooseDay: "Choose a day", previousMonth: "Previous month", nextMonth: "Next month", weekdays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        legend: "○ open　△ few left　× full or not bookable", markNames: ["open", "few left", "not available"], chooseTime: "Choose a time",
        noTimes: "No times can be booked on this day.",
        detailsHeading: "Contact details and password", birthDateLabel: "Date of birth",
        birthDateHelp: "Needed to confirm your identity. E.g. 1985-04-12 or 12/04/1985 (day/month/year).",
        phoneLabel: "Phone number", emailLabel: "E-mail address", passwordLabel: "Password (4 digits)",
        passwordHelp: "Choose your own; you need it to view, change or cancel.", passwordAgainLabel: "Password again",
        confirm: "Review", confirmHeading: "Review your booking", book: "Book", back: "Back",
        doneHeading: "Your booking is confirmed", doneCode: "Booking code",
        doneNote: "We sent you a confirmation e-mail. Keep the booking code to change or cancel.",
        procedureLabel: "Procedure", officeLabel: "Office", dateLabel: "Date and time",
        manageHeading: "View, change or cancel a booking", keyLabel: "Booking code or reservation ID", show: "Show booking",
        bookingHeading: "Your booking", changeLink: "Change the time", cancelHeading: "Cancel the booking", cancelButton: "Cancel the booking",
        cancelledNotice: "Your booking is cancelled. We sent you an e-mail.", changedNotice: "The time is changed. We sent you an e-mail.",
        changeClosed: "Changes on the web have closed. Please call the office.",
        privacy: "Your phone number and e-mail address are stored encrypted and erased after the booking date.",
        passwordsDiffer: "The two passwords differ.",
        heldNotice: "This time is held for you until {time}. Please finish booking before then.",
        errors: [
            "slot_full": "This time has just filled up. Please choose another.", "id_already_booked": "This reservation ID already has a booking.",
            "outside_window": "This date cannot be booked now.", "wrong_office": "This reservation ID cannot be booked at this office.",
            "unknown_id": "The reservation ID or date of birth does not match our records. Check the 8 characters on your notice and your date of birth.",
            "birth_date_mismatch": "The reservation ID or date of birth does not match our records.",
            "too_many_attempts": "Too many failed checks: please try again in about 15 minutes.",
            "wrong_password": "The booking code or password is wrong.", "reservation_not_found": "The booking code or password is wrong.",
            "reservation_locked": "Too many wrong passwords: try again in 30 minutes.",
            "change_closed": "Changes on the web have closed. Please call the office.",
            "invalid_phone": "Enter a phone number of 10 or 11 digits starting with 0.", "invalid_email": "Enter a valid e-mail address.",
            "invalid_birthDate": "This is not a date we can read. E.g. 1985-04-12 or 12/04/1985 (day/month/year).",
            "invalid_password": "The password is 4 digits.", "no_such_slot": "There is no slot at that time."
        ], monthFormat: "{year}-{month}")

    static let zhHans = ReserveText(
        language: .zhHans, title: "窗口预约", intro: "可以预约来厅时间。空位显示：○ 有空位、△ 所剩无几、× 已满或不可预约。",
        manageLink: "确认·变更·取消预约", chooseProcedure: "请选择手续",
        idHeading: "输入预约号码", idLabel: "预约号码（8位英文字母或数字）", idHelp: "请输入通知书上的预约号码。", next: "下一步",
        chooseOffice: "请选择窗口", saturdayNote: "星期六也可以在{office}领取。",
        chooseDay: "请选择日期", previousMonth: "上个月", nextMonth: "下个月", weekdays: ["日", "一", "二", "三", "四", "五", "六"],
        legend: "○ 有空位　△ 所剩无几　× 已满·不可预约", markNames: ["有空位", "所剩无几", "不可预约"], chooseTime: "请选择时间", noTimes: "这一天没有可预约的时间。",
        detailsHeading: "联系方式和密码", birthDateLabel: "出生日期", birthDateHelp: "用于确认本人身份。例：1985-04-12 或 1985年4月12日",
        phoneLabel: "电话号码", emailLabel: "电子邮箱", passwordLabel: "密码（4位数字）",
        passwordHelp: "请自行设定，确认·变更·取消时使用。", passwordAgainLabel: "再次输入密码",
        confirm: "确认", confirmHeading: "确认预约内容", book: "预约", back: "返回",
        doneHeading: "预约完成", doneCode: "预约代码", doneNote: "已发送确认邮件。变更或取消时需要预约代码。",
        procedureLabel: "手续", officeLabel: "窗口", dateLabel: "日期时间",
        manageHeading: "确认·变更·取消预约", keyLabel: "预约代码或预约号码", show: "显示预约",
        bookingHeading: "预约内容", changeLink: "变更时间", cancelHeading: "取消预约", cancelButton: "取消预约",
        cancelledNotice: "预约已取消，已发送确认邮件。", changedNotice: "时间已变更，已发送确认邮件。",
        changeClosed: "网上变更·取消已截止，请致电窗口。",
        privacy: "电话号码和电子邮箱加密保存，并在预约日之后删除。",
        passwordsDiffer: "两次输入的密码不一致。",
        heldNotice: "已为您保留该时间至{time}，请在此之前完成预约。",
        errors: [
            "slot_full": "该时间已满，请选择其他时间。", "id_already_booked": "该预约号码已有预约。", "outside_window": "现在不能预约这一天。",
            "wrong_office": "该预约号码不能在此窗口预约。", "unknown_id": "预约号码或出生日期与登记不一致，请确认通知书上的8位字符和出生日期。", "too_many_attempts": "确认失败次数过多，请约15分钟后再试。",
            "birth_date_mismatch": "预约号码或出生日期与登记不一致。", "wrong_password": "预约代码或密码错误。", "reservation_not_found": "预约代码或密码错误。",
            "reservation_locked": "密码错误次数过多，请30分钟后再试。", "change_closed": "网上变更·取消已截止，请致电窗口。",
            "invalid_birthDate": "无法识别为日期。例：1985-04-12",
            "invalid_phone": "请输入以0开头的10位或11位电话号码。", "invalid_email": "请输入正确的电子邮箱。", "invalid_password": "密码为4位数字。",
            "no_such_slot": "该时间没有预约名额。"
        ], monthFormat: "{year}年{month}月")

    static let ko = ReserveText(
        language: .ko, title: "창구 예약", intro: "방문 일시를 예약할 수 있습니다. 빈자리: ○ 여유, △ 얼마 남지 않음, × 마감·접수 불가.",
        manageLink: "예약 확인·변경·취소", chooseProcedure: "수속을 선택하세요",
        idHeading: "예약번호 입력", idLabel: "예약번호(영문·숫자 8자리)", idHelp: "통지서에 적힌 예약번호를 입력하세요.", next: "다음",
        chooseOffice: "창구를 선택하세요", saturdayNote: "토요일에는 {office}에서도 수령할 수 있습니다.",
        chooseDay: "날짜를 선택하세요", previousMonth: "이전 달", nextMonth: "다음 달", weekdays: ["일", "월", "화", "수", "목", "금", "토"],
        legend: "○ 여유　△ 얼마 남지 않음　× 마감·접수 불가", markNames: ["여유", "얼마 남지 않음", "예약 불가"], chooseTime: "시간을 선택하세요", noTimes: "이 날은 예약할 수 있는 시간이 없습니다.",
        detailsHeading: "연락처와 비밀번호", birthDateLabel: "생년월일", birthDateHelp: "본인 확인을 위해 입력하세요. 예: 1985-04-12",
        phoneLabel: "전화번호", emailLabel: "이메일 주소", passwordLabel: "비밀번호(숫자 4자리)",
        passwordHelp: "직접 정하세요. 확인·변경·취소할 때 사용합니다.", passwordAgainLabel: "비밀번호 다시 입력",
        confirm: "확인", confirmHeading: "예약 내용 확인", book: "예약하기", back: "돌아가기",
        doneHeading: "예약이 완료되었습니다", doneCode: "예약 코드", doneNote: "확인 메일을 보냈습니다. 변경·취소할 때 예약 코드가 필요합니다.",
        procedureLabel: "수속", officeLabel: "창구", dateLabel: "일시",
        manageHeading: "예약 확인·변경·취소", keyLabel: "예약 코드 또는 예약번호", show: "예약 보기",
        bookingHeading: "예약 내용", changeLink: "일시 변경", cancelHeading: "예약 취소", cancelButton: "예약 취소",
        cancelledNotice: "예약을 취소했습니다. 확인 메일을 보냈습니다.", changedNotice: "일시를 변경했습니다. 확인 메일을 보냈습니다.",
        changeClosed: "웹에서의 변경·취소 접수가 끝났습니다. 창구로 전화해 주세요.",
        privacy: "전화번호와 이메일 주소는 암호화하여 저장하며 예약일 이후 삭제합니다.",
        passwordsDiffer: "확인용 비밀번호가 일치하지 않습니다.",
        heldNotice: "이 시간을 {time}까지 확보해 두었습니다. 그 전에 예약을 마쳐 주세요.",
        errors: [
            "slot_full": "이 시간은 마감되었습니다. 다른 시간을 선택하세요.", "id_already_booked": "이 예약번호로 이미 예약이 있습니다.",
            "outside_window": "지금은 이 날짜를 예약할 수 없습니다.", "wrong_office": "이 예약번호는 이 창구에서 예약할 수 없습니다.",
            "unknown_id": "예약번호 또는 생년월일이 등록 내용과 일치하지 않습니다. 통지서의 8자리와 생년월일을 확인하세요.", "birth_date_mismatch": "예약번호 또는 생년월일이 등록 내용과 일치하지 않습니다.",
            "too_many_attempts": "확인에 여러 번 실패했습니다. 약 15분 후에 다시 시도하세요.",
            "wrong_password": "예약 코드 또는 비밀번호가 틀립니다.", "reservation_not_found": "예약 코드 또는 비밀번호가 틀립니다.",
            "reservation_locked": "비밀번호를 여러 번 틀렸습니다. 30분 후에 다시 시도하세요.", "change_closed": "웹에서의 변경·취소 접수가 끝났습니다. 창구로 전화해 주세요.",
            "invalid_birthDate": "날짜로 읽을 수 없습니다. 예: 1985-04-12",
            "invalid_phone": "0으로 시작하는 10자리 또는 11자리 전화번호를 입력하세요.", "invalid_email": "올바른 이메일 주소를 입력하세요.",
            "invalid_password": "비밀번호는 숫자 4자리입니다.", "no_such_slot": "그 시간에는 예약 자리가 없습니다."
        ], monthFormat: "{year}년 {month}월")
}

/// Words of the booking's confirmation, calendar entry, cancellation and change in the four visitor languages.
struct BookingText: Sendable {
    let bringHeading: String
    let calendarLink: String
    let cancelConfirmHeading: String
    let cancelConfirmBody: String
    let cancelConfirmButton: String
    let keepBooking: String
    let changeFrom: String
    let changeTo: String
    /// The calendar entry's description: `{code}` and `{url}` are replaced.
    let calendarDetails: String

    static func of(_ language: Language) -> BookingText {
        switch language {
        case .ja: ja
        case .en: en
        case .zhHans: zhHans
        case .ko: ko
        }
    }

    static let ja = BookingText(
        bringHeading: "当日お持ちいただくもの", calendarLink: "カレンダーに追加（.ics）", cancelConfirmHeading: "この予約を取り消しますか？",
        cancelConfirmBody: "取り消すと元に戻せません。同じ日時が空いているとは限りません。", cancelConfirmButton: "はい、取り消します",
        keepBooking: "取り消さずに戻る", changeFrom: "変更前", changeTo: "変更後",
        calendarDetails: "予約番号: {code}\n予約の確認・変更・取消: {url}")
    static let en = BookingText(
        bringHeading: "Please bring", calendarLink: "Add to calendar (.ics)", cancelConfirmHeading: "Cancel this booking?",
        cancelConfirmBody: "A cancelled booking cannot be restored, and the same time may not be free again.", cancelConfirmButton: "Yes, cancel it",
        keepBooking: "Keep my booking", changeFrom: "Before", changeTo: "After",
        calendarDetails: "Booking code: {code}\nView, change or cancel: {url}")
    static let zhHans = BookingText(
        bringHeading: "当天请携带", calendarLink: "添加到日历（.ics）", cancelConfirmHeading: "要取消此预约吗？",
        cancelConfirmBody: "取消后无法恢复，相同时间不一定还有空位。", cancelConfirmButton: "是的，取消",
        keepBooking: "不取消，返回", changeFrom: "变更前", changeTo: "变更后",
        calendarDetails: "预约号码：{code}\n确认·变更·取消预约：{url}")
    static let ko = BookingText(
        bringHeading: "당일 지참하실 것", calendarLink: "캘린더에 추가(.ics)", cancelConfirmHeading: "이 예약을 취소하시겠습니까?",
        cancelConfirmBody: "취소하면 되돌릴 수 없으며, 같은 일시가 다시 비어 있다는 보장이 없습니다.", cancelConfirmButton: "네, 취소합니다",
        keepBooking: "취소하지 않고 돌아가기", changeFrom: "변경 전", changeTo: "변경 후",
        calendarDetails: "예약 번호: {code}\n예약 확인·변경·취소: {url}")
}
