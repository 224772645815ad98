import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("openapi.yaml and the router describe the same API (issue 16, item 2)")
struct OpenAPIRoutesTests {
    /// `GET /api/v1/offices/{office}` for each operation of the document.
    static func documented(_ text: String) -> Set<String> {
        var operations = Set<String>(), path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let match = line.wholeMatch(of: #/  (/[^:\s]*):\s*/#) { path = String(match.1); continue }
            if line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  /") { path = nil }
            if !line.hasPrefix(" ") { path = nil }
            if let path, let match = line.wholeMatch(of: #/    (get|put|post|delete|patch|head):.*/#) {
                operations.insert("\(match.1.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test("every /api/v1 and /events route is documented, and every documented operation is routed")
    func sameOperations() async throws {
        try await APITestHarness.run { h in
            let router = try buildRouter(h.t.runtime.webDependencies)
            let routed = Set(
                router.routes.compactMap { route -> String? in
                    // Hummingbird writes parameters as `:name`; OpenAPI as `{name}`.
                    let path =
                        "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    guard path.hasPrefix("/api/v1/") || path.hasPrefix("/events/") || path == "/healthz" else { return nil }
                    return "\(route.method.rawValue) \(path)"
                })
            let document = try await h.request(.get, "/api/v1/openapi.yaml")
            let documented = Self.documented(String(decoding: document.body, as: UTF8.self))
            #expect(routed.subtracting(documented).sorted() == [], "routed but not in openapi.yaml")
            #expect(documented.subtracting(routed).sorted() == [], "in openapi.yaml but not routed")
            #expect(documented.count > 40)
        }
    }
}
