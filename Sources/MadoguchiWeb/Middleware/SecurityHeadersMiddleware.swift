import HTTPTypes
import Foundation
import Hummingbird
import Logging
import NIOCore
import MadoguchiCore

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
    HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "no-referrer")
]

private let strictTransportSecurity = HTTPField(name: HTTPField.Name("Strict-Transport-Security")!, value: "max-age=31536000")
