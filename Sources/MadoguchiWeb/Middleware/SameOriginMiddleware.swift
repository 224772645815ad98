import HTTPTypes
import Foundation
import Hummingbird
import Logging
import NIOCore
import MadoguchiCore

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
                throw APIError(
                    .unsupportedMediaType, code: "unsupported_media_type",
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

/// Built once: creating header names validates their characters.
private let secFetchSiteHeader = HTTPField.Name("Sec-Fetch-Site")!

private let originHeader = HTTPField.Name("Origin")!
