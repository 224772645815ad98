import Foundation
import Hummingbird
import MadoguchiCore

/// An error answer of the JSON API: `{"error": {"code": "snake_case_code", "message": "日本語の説明"}}`.
public struct APIError: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        // A person's browser on a page (not the API or a stream) gets a page with the message and a way back.
        let path = request.uri.path
        if !path.hasPrefix("/api/"), !path.hasPrefix("/events/"), request.headers[.accept]?.contains("text/html") == true {
            return htmlResponse()
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    func htmlResponse() -> Response {
        let escaped = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        let html = """
            <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escaped)</title><link rel="stylesheet" href="/static/public.css"></head>
            <body class="public"><main><h1>\(escaped)</h1><p><a href="/">窓口の待ち状況へ / Waiting times</a></p></main></body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    var body: Data {
        struct Envelope: Encodable {
            struct Detail: Encodable { let code: String; let message: String }
            let error: Detail
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(Envelope(error: .init(code: code, message: message)))) ?? Data()
    }
}

extension APIError {
    static let notSignedIn = APIError(.unauthorized, code: "not_signed_in", message: "サインインしてください。")
    static let forbidden = APIError(.forbidden, code: "forbidden", message: "この操作をする権限がありません（役割または担当の窓口が違います）。")
    static let passwordChangeRequired = APIError(
        .forbidden, code: "password_change_required", message: "初期パスワードのままです。先にパスワードを変更してください（/staff/password）。")

    /// The one place domain errors become HTTP answers.
    init(_ error: DomainError) {
        switch error {
        case .officeNotFound(let id): self.init(.notFound, code: "office_not_found", message: "窓口「\(id)」は見つかりません。")
        case .serviceNotFound(let id): self.init(.notFound, code: "service_not_found", message: "業務「\(id)」は見つかりません。")
        case .counterNotFound(let id): self.init(.notFound, code: "counter_not_found", message: "窓口カウンター「\(id)」は見つかりません。")
        case .stageNotFound(let id): self.init(.notFound, code: "stage_not_found", message: "段階「\(id)」は見つかりません。")
        case .ticketNotFound: self.init(.notFound, code: "ticket_not_found", message: "該当する本日の番号札は見つかりません。")
        case .webTicketingClosed(let reason): self.init(.unprocessableContent, code: "closed", message: reason)
        case .quotaReached:
            self.init(.conflict, code: "quota_reached", message: "本日（またはこの時間帯）のウェブ発券の上限に達しました。窓口の発券機をご利用ください。")
        case .alreadyHasTicket:
            self.init(.conflict, code: "already_has_ticket", message: "この連絡先では、すでにお待ちの番号札があります。")
        case .invalidPrinterState:
            self.init(
                .unprocessableContent, code: "invalid_printer_state", message: "state は ready, offline, paper_out, cover_open, error のいずれかです。")
        case .invalidHours:
            self.init(.unprocessableContent, code: "invalid_hours", message: "曜日（1=日曜〜7=土曜）と時刻（0〜1440分、開始＜終了）を正しく指定してください。")
        case .invalidNotificationSettings(let faults):
            self.init(.unprocessableContent, code: "invalid_notification_settings", message: faults.joined(separator: "／"))
        case .invalidCheckInCode:
            self.init(.unprocessableContent, code: "invalid_check_in_code", message: "到着確認の番号が違います。窓口に表示されている4桁の番号を入力してください。")
        case .notCheckedIn(let number):
            self.init(.conflict, code: "not_checked_in", message: "番号 \(number) はまだ到着確認がされていません。")
        case .invalidContact:
            self.init(
                .unprocessableContent, code: "invalid_contact",
                message: "メールアドレスまたは携帯電話番号（070・080・090で始まる11桁）を正しく入力してください。")
        case .kioskNotFound(let id): self.init(.notFound, code: "kiosk_not_found", message: "発券機「\(id)」は見つかりません。")
        case .monitorNotFound(let id): self.init(.notFound, code: "monitor_not_found", message: "表示モニター「\(id)」は見つかりません。")
        case .menuSetNotFound(let id):
            self.init(.unprocessableContent, code: "menu_set_not_found", message: "メニュー「\(id)」はこの発券機にありません。")
        case .serviceClosed(_, let message):
            self.init(
                .unprocessableContent, code: "service_closed",
                message: message.isEmpty ? "この業務の本日の受付は終了しました。" : message)
        case .numberOutOfRange(let number):
            self.init(.unprocessableContent, code: "number_out_of_range", message: "番号 \(number) はこのカウンターの業務の番号範囲外です。")
        case .numberRangeExhausted:
            self.init(.conflict, code: "number_range_exhausted", message: "発券できる番号がありません。お待ちの方の呼出後にもう一度お試しください。")
        case .noCurrentTicket: self.init(.conflict, code: "no_current_ticket", message: "このカウンターで対応中の番号はありません。")
        case .ticketNotCallable(let number, let state):
            self.init(.conflict, code: "ticket_not_callable", message: "番号 \(number) は\(state.japanese)のため呼び出せません。")
        case .ticketNotCalled(let number, let state):
            self.init(.conflict, code: "ticket_not_called", message: "番号 \(number) は\(state.japanese)のため、この操作はできません。")
        case .ticketNotActive(let number, let state):
            self.init(.conflict, code: "ticket_not_active", message: "番号 \(number) は\(state.japanese)のため取り消せません。")
        case .stageNotServed(_, let stage):
            self.init(.conflict, code: "stage_not_served", message: "この番号は別の段階（\(stage)）で待っています。このカウンターでは呼び出せません。")
        case .stageInOtherOffice: self.init(.unprocessableContent, code: "stage_in_other_office", message: "他の窓口の段階には回せません。")
        case .counterInOtherOffice: self.init(.unprocessableContent, code: "counter_in_other_office", message: "他の窓口のカウンターには回せません。")
        case .invalidTransferTarget: self.init(.unprocessableContent, code: "invalid_transfer_target", message: "回し先が正しくありません。")
        case .conflict: self.init(.conflict, code: "concurrent_update", message: "同時に別の操作が行われました。もう一度お試しください。")
        case .tooManySignUps: self.init(.tooManyRequests, code: "rate_limited", message: "お知らせの登録が多すぎます。しばらくしてからお試しください。")
        case .tooManyTickets:
            self.init(.tooManyRequests, code: "rate_limited", message: "短い時間に番号札の発行が多すぎます。窓口の発券機をご利用ください。")
        }
    }

    init(_ refusal: ReservationRefusal) {
        let status: HTTPResponse.Status =
            switch refusal {
            case .slotFull, .idAlreadyBooked, .notActive: .conflict
            case .procedureNotFound, .notFound: .notFound
            case .wrongPassword: .forbidden
            case .locked, .tooManyAttempts: .tooManyRequests
            default: .unprocessableContent
            }
        self.init(status, code: refusal.code, message: refusal.message)
    }

    init(_ error: AccessError) {
        switch error {
        case .invalidCredentials: self.init(.unauthorized, code: "invalid_credentials", message: "ログインIDまたはパスワードが正しくありません。")
        case .accountLocked:
            self.init(.unauthorized, code: "account_locked", message: "サインインに続けて失敗したため、アカウントを15分間ロックしています。")
        case .notSignedIn: self = .notSignedIn
        case .forbidden: self = .forbidden
        case .loginTaken(let login): self.init(.conflict, code: "login_taken", message: "ログインID「\(login)」は既に使われています。")
        case .invalidLogin: self.init(.unprocessableContent, code: "invalid_login", message: "ログインIDは英数字と . _ - @ の64文字以内です。")
        case .weakPassword:
            self.init(
                .unprocessableContent, code: "weak_password",
                message: "パスワードは10文字以上で4種類以上の文字を含め、よく使われる言葉や並び（1234567890、password など）やログインIDを避けてください。")
        case .tooManyAttempts:
            self.init(.tooManyRequests, code: "rate_limited", message: "短い時間にサインインの試みが多すぎます。しばらくしてからお試しください。")
        }
    }
}

extension TicketState {
    /// The state as staff read it in messages.
    public var japanese: String {
        switch self {
        case .waiting: "お待ち"
        case .called: "呼出中"
        case .held: "保留中"
        case .absent: "不在"
        case .done: "完了済み"
        case .cancelled: "取消済み"
        }
    }
}
