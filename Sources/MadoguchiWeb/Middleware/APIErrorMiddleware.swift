import HTTPTypes
import Foundation
import Hummingbird
import Logging
import NIOCore
import MadoguchiCore

/// Turns every error into a JSON error answer with a stable code, so clients never see an empty or HTML body and
/// no internal detail leaks (X2). Unexpected errors are logged with the request id and answered with 500.
public struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as PageRedirect {
            return redirect.response
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as DomainError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as ImportRejected {
            return try error.response(from: request, context: context)
        } catch let error as ReservationRefusal {
            return try APIError(error).response(from: request, context: context)
        } catch let error as CaseError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as AccessError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as HTTPError {
            return try Self.translate(error).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError(.contentTooLarge, code: "body_too_large", message: "送信データが大きすぎます。").response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return try APIError(.internalServerError, code: "internal_error", message: "サーバーで問題が発生しました。時間をおいてお試しください。")
                .response(from: request, context: context)
        }
    }

    static func translate(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: APIError(.notFound, code: "not_found", message: "ページまたはAPIが見つかりません。")
        case .methodNotAllowed: APIError(.methodNotAllowed, code: "method_not_allowed", message: "このメソッドは使えません。")
        case .contentTooLarge: APIError(.contentTooLarge, code: "body_too_large", message: "送信データが大きすぎます。")
        case .badRequest: APIError(.badRequest, code: "bad_request", message: "リクエストの形式が正しくありません。")
        default: APIError(error.status, code: "http_\(error.status.code)", message: error.body ?? "リクエストを処理できませんでした。")
        }
    }
}

/// Headers every answer carries: no sniffing, no framing by other sites, no referrer; HSTS when the site is served
/// over HTTPS; and `Cache-Control: no-store` on everything but the static assets, since pages, JSON and exports
/// (CSV, Excel, PDF) may carry personal data that must not stay in a shared browser's or proxy's cache.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let https: Bool
    public init(https: Bool = false) { self.https = https }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers.append(contentsOf: securityHeaders)
        if https { response.headers.append(strictTransportSecurity) }
        if response.headers[.cacheControl] == nil, !request.uri.path.hasPrefix("/static/") { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Built once: creating header names validates their characters.
private let securityHeaders: [HTTPField] = [
    HTTPField(name: HTTPField.Name("X-Content-Type-Options")!, value: "nosniff"),
    // Same origin only: the kiosk prints its ticket page from a hidden frame of its own site.
    HTTPField(name: HTTPField.Name("X-Frame-Options")!, value: "SAMEORIGIN"),
    HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "no-referrer"),
]
private let strictTransportSecurity = HTTPField(name: HTTPField.Name("Strict-Transport-Security")!, value: "max-age=31536000")

/// Refuses state-changing requests a browser sends on behalf of another site (CSRF), without a token in every
/// form: browsers say where a request comes from in `Sec-Fetch-Site` (every current one) or `Origin`; only this
/// site's own pages may post. Clients that send neither (scripts, the print agent, curl) are not browsers and
/// carry no ambient cookie of a victim. The API also refuses the three content types a cross-site form or a
/// "simple" fetch may send without a CORS preflight (`text/plain`, form encodings): its bodies are JSON, CSV or
/// YAML, which another origin cannot send without asking first.
public struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Origins the site is reached at besides its own Host header (`https://madoguchi.city.example`).
    let trustedOrigins: Set<String>
    public init(trustedOrigins: [String] = []) {
        self.trustedOrigins = Set(trustedOrigins.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        if let site = request.headers[secFetchSiteHeader] {
            guard site == "same-origin" || site == "none" else { throw refusal }
        } else if let origin = request.headers[originHeader] {
            guard isOwn(origin: origin, host: request.head.authority) else { throw refusal }
        }
        if request.uri.path.hasPrefix("/api/"), let type = request.headers[.contentType]?.lowercased() {
            let essence = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"].contains(essence) {
                throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                               message: "この API には JSON（Content-Type: application/json）で送ってください。")
            }
        }
        return try await next(request, context)
    }

    private func isOwn(origin: String, host: String?) -> Bool {
        let origin = origin.lowercased()
        if trustedOrigins.contains(origin) { return true }
        guard let host = host?.lowercased(), let parsed = URLComponents(string: origin), let originHost = parsed.host else { return false }
        let originAuthority = parsed.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority == host
    }

    var refusal: APIError {
        APIError(.forbidden, code: "cross_site_request", message: "他のサイトからの操作は受け付けません。画面を開き直してからもう一度操作してください。")
    }
}

private let secFetchSiteHeader = HTTPField.Name("Sec-Fetch-Site")!
private let originHeader = HTTPField.Name("Origin")!
