import Hummingbird

/// Liveness for load balancers and the benchmark baseline.
struct HealthController {
    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in Self.ok }
        router.get("readyz") { _, _ in Self.ok }
    }

    private static let ok: Response = {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }()
}
