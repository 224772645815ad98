import Foundation
import Hummingbird

/// Serves the API description shipped as a resource.
struct OpenAPIController {
    private static let document: ByteBuffer? = Bundle.module.url(forResource: "openapi", withExtension: "yaml")
        .flatMap { try? Data(contentsOf: $0) }.map { ByteBuffer(data: $0) }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("openapi.yaml") { _, _ in
            guard let document = Self.document else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: document))
        }
    }
}
