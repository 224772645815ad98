import Foundation
import Hummingbird
import Mustache

/// Server-rendered pages: one model struct per page, one Mustache template (in Resources/templates), and templates
/// never compute. Mustache escapes every `{{value}}` for HTML.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads every template shipped with the module; a missing or broken template stops start-up, not a request.
    init() throws {
        var library = MustacheLibrary()
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "templates missing from the bundle")
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
    }

    func page(_ template: String, _ model: some Sendable) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else { throw HTTPError(.internalServerError) }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Static assets shipped with the module (CSS, JS, sounds), read once at start-up.
struct StaticAssets: Sendable {
    private let files: [String: (type: String, body: ByteBuffer)]

    init() throws {
        guard let directory = Bundle.module.url(forResource: "static", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "static assets missing from the bundle")
        }
        var files: [String: (String, ByteBuffer)] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let type =
                switch (file as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                // With nosniff a browser draws an image only under its own type (the city's emblem).
                case "svg": "image/svg+xml"
                default: "application/octet-stream"
                }
            files[file] = (type, ByteBuffer(data: try Data(contentsOf: directory.appendingPathComponent(file))))
        }
        self.files = files
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.staticFile(.key)) { _, context in
            guard let file = self.files[try context.parameters.require("file")] else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = file.type
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.body))
        }
    }
}
