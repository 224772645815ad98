import Foundation
import Hummingbird
import MadoguchiCore

/// A visitor's own booking: signing in with its code and password, seeing, changing and cancelling it, and its
/// calendar file.
extension ReservePagesController {
    // MARK: Managing one's own booking

    @Sendable func manageForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = ReserveText.of(Self.language(request))
        let notice = request.uri.queryParameters["notice"] == "cancelled" ? t.cancelledNotice : ""
        var model = model(
            request, heading: t.manageHeading, path: "/reserve/manage",
            error: request.uri.queryParameters["error"].flatMap { code in
                code == "reservation_locked" ? ReservationRefusal.locked : code == "wrong_password" ? .wrongPassword : nil
            }, notice: notice)
        model.manageForm = true
        model.backHref = SiteURL.reserve.href(["lang": model.lang])
        return try renderer.page("reserve", model)
    }

    struct ManageForm: Decodable { let key: String?; let password: String?; let lang: String? }

    @Sendable func manageSignIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(ManageForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        do {
            let found = try await service.authenticate(codeOrID: form.key ?? "", password: form.password ?? "", client: context.clientAddress)
            let token = ManageToken.make(code: found.code, digest: dependencies.keyedDigest, now: dependencies.clock.now())
            return Self.redirect(
                SiteURL.reserveManageBooking.href(["lang": lang]),
                cookie: Cookie(
                    name: Self.manageCookie, value: token, maxAge: 1800, path: "/reserve", secure: secureCookies, httpOnly: true,
                    sameSite: .strict))
        } catch let refusal as ReservationRefusal {
            return Self.redirect(SiteURL.reserveManage.href(["lang": lang, "error": refusal == .locked ? "reservation_locked" : "wrong_password"]))
        }
    }

    @Sendable func booking(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(request), lang = language.rawValue
        let t = ReserveText.of(language)
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        let layout = dependencies.layout.current
        let notice = request.uri.queryParameters["notice"] == "changed" ? t.changedNotice : ""
        var model = model(
            request, heading: t.bookingHeading, path: "/reserve/manage/booking",
            error: request.uri.queryParameters["error"].flatMap { Self.refusal(code: String($0)) }, notice: notice)
        let procedure = layout.reservations.procedure(found.procedureID)
        model.summary = [
            Summary(
                procedure: procedure?.name(in: language) ?? found.procedureID, office: layout.officeName(found.officeID, in: language),
                date: "\(ReserveText.of(Self.language(request)).date(found.start.date)) \(found.start.clockText)")
        ]
        let open =
            found.status == .booked
            && procedure.map {
                ReservationRules(layout: layout).changeOpen($0, officeID: found.officeID, start: found.start, now: dependencies.clock.now())
            } ?? false
        model.booking = [bookingView(found, language: language, canChange: open)]
        if found.status != .booked {
            model = self.model(request, heading: t.bookingHeading, path: "/reserve/manage/booking", error: .notActive)
            model.backHref = SiteURL.reserve.href(["lang": lang])
        } else if !open {
            model = self.model(request, heading: t.bookingHeading, path: "/reserve/manage/booking", errorText: t.changeClosed)
            model.summary = [
                Summary(
                    procedure: procedure?.name(in: language) ?? found.procedureID, office: layout.officeName(found.officeID, in: language),
                    date: "\(ReserveText.of(Self.language(request)).date(found.start.date)) \(found.start.clockText)")
            ]
        }
        return try renderer.page("reserve", model)
    }

    struct CancelForm: Decodable { let lang: String?; let confirmed: String? }

    /// Cancelling asks once more, on a page of its own: a booking cancelled by a slip cannot be restored.
    @Sendable func cancelConfirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(request), lang = language.rawValue
        let b = BookingText.of(language)
        guard let found = try await managed(request), found.status == .booked else { return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang])) }
        let layout = dependencies.layout.current
        var model = model(request, heading: b.cancelConfirmHeading, path: "/reserve/manage/cancel")
        model.summary = [
            Summary(
                procedure: layout.reservations.procedure(found.procedureID)?.name(in: language) ?? found.procedureID,
                office: layout.officeName(found.officeID, in: language),
                date: "\(ReserveText.of(language).date(found.start.date)) \(found.start.clockText)")
        ]
        model.cancelConfirm = true
        return try renderer.page("reserve", model)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(CancelForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        guard form.confirmed == "1" else { return Self.redirect(SiteURL.reserveManageCancel.href(["lang": lang])) }
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        do {
            _ = try await service.cancel(code: found.code, reason: "")
        } catch let refusal as ReservationRefusal {
            return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang, "error": refusal.code]))
        }
        return Self.redirect(
            SiteURL.reserveManage.href(["lang": lang, "notice": "cancelled"]),
            cookie: Cookie(name: Self.manageCookie, value: "", maxAge: 0, path: "/reserve", secure: secureCookies, httpOnly: true, sameSite: .strict))
    }

    @Sendable func changeConfirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(request), lang = language.rawValue
        let t = ReserveText.of(language)
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        guard let start = request.uri.queryParameters["start"].flatMap({ SlotTime(parsing: String($0)) }) else {
            return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang]))
        }
        let layout = dependencies.layout.current
        var model = model(request, heading: t.confirmHeading, path: "/reserve/manage/change", extraQuery: "&start=\(start.description)")
        let text = ReserveText.of(language)
        model.summary = [
            Summary(
                procedure: layout.reservations.procedure(found.procedureID)?.name(in: language) ?? found.procedureID,
                office: layout.officeName(found.officeID, in: language), date: "\(text.date(start.date)) \(start.clockText)",
                previousDate: "\(text.date(found.start.date)) \(found.start.clockText)")
        ]
        model.changeConfirm = [Field(name: "start", value: start.description), Field(name: "lang", value: lang)]
        model.backHref = SiteURL.reserveProcedure(.value(found.procedureID)).href(["change": "1", "date": start.date, "lang": lang], fragment: "times")
        return try renderer.page("reserve", model)
    }

    /// The booking as an `.ics` file for the visitor's calendar.
    @Sendable func calendarFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let language = Self.language(request)
        let notFound = APIError(.notFound, code: "reservation_not_found", message: "この予約は見つかりません。")
        guard code.count <= 32, let key = request.uri.queryParameters["k"], Self.calendarKey(code, dependencies.keyedDigest) == String(key),
            let found = try await service.booking(code: code), found.status == .booked
        else { throw notFound }
        let layout = dependencies.layout.current
        let procedure = layout.reservations.procedure(found.procedureID)
        let minutes =
            procedure.flatMap { procedure in
                ReservationRules(layout: layout).slots(procedure, officeID: found.officeID, date: found.start.date).first { $0.start == found.start }?.minutes
            } ?? 30
        let b = BookingText.of(language)
        var details = b.calendarDetails.replacingOccurrences(of: "{code}", with: found.code)
            .replacingOccurrences(of: "{url}", with: try service.manageURL)
        let bring = procedure?.bringList(in: language) ?? []
        if !bring.isEmpty { details += "\n\n\(b.bringHeading):\n" + bring.map { "・\($0)" }.joined(separator: "\n") }
        let office = layout.office(found.officeID)
        let invite = CalendarInvite(
            uid: "\(found.code)@madoguchi", start: found.start.instant, minutes: minutes,
            summary: procedure?.name(in: language) ?? found.procedureID,
            location: [layout.city.name(in: language), office?.name(in: language) ?? found.officeID].filter { !$0.isEmpty }.joined(separator: " "),
            details: details, stamp: dependencies.clock.now())
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"reservation-\(found.code).ics\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: invite.ics)))
    }

    struct ChangeForm: Decodable { let start: String; let lang: String? }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(ChangeForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        do {
            _ = try await service.change(code: found.code, to: form.start)
        } catch let refusal as ReservationRefusal {
            let date = SlotTime(parsing: form.start)?.date ?? ""
            return Self.redirect(
                SiteURL.reserveProcedure(.value(found.procedureID)).href(["change": "1", "date": date, "lang": lang, "error": refusal.code], fragment: "times"))
        }
        return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang, "notice": "changed"]))
    }
}

/// `CODE.EXPIRY.SIGNATURE`: proof for 30 minutes that the holder gave the booking's password.
enum ManageToken {
    static func make(code: String, digest: any KeyedDigest, now: Date) -> String {
        let expiry = Int(now.timeIntervalSince1970) + 1800
        return "\(code).\(expiry).\(digest.digest("reserve-manage:\(code):\(expiry)"))"
    }

    static func code(in token: String, digest: any KeyedDigest, now: Date) -> String? {
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 3, let expiry = Int(parts[1]), expiry > Int(now.timeIntervalSince1970),
            digest.digest("reserve-manage:\(parts[0]):\(expiry)") == parts[2]
        else { return nil }
        return parts[0]
    }
}
