import Foundation
import Hummingbird
import MadoguchiCore

/// The whole configuration as one document (X4), for administrators: `GET /api/v1/configuration?format=json|yaml`
/// and `PUT /api/v1/configuration` with a JSON or YAML body, which replaces everything or nothing and answers 422
/// `invalid_configuration` with every fault's line, column and path.
struct ConfigurationAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        let staff = api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.get("configuration", use: export)
        staff.put("configuration", use: replace)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.configureCity)
        let format = ConfigurationDocument.Format(rawValue: request.query("format", default: "json"))
        guard let format else {
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "format は json または yaml です。")
        }
        let layout = try await dependencies.administration.configuration.export(dependencies.layout.current, format: format.rawValue, by: context.by(user))
        var headers = HTTPFields()
        headers[.contentType] = format == .json ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"madoguchi-configuration.\(format.rawValue)\""
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: try ConfigurationDocument.export(layout, as: format))))
    }

    struct FaultAnswer: Encodable { let line: Int?; let column: Int?; let path: String?; let message: String }
    struct Rejection: Encodable {
        struct Detail: Encodable { let code: String; let message: String; let faults: [FaultAnswer] }
        let error: Detail
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.configureCity)
        let text = String(buffer: try await request.body.collect(upTo: 4 * 1024 * 1024))
        switch ConfigurationDocument.parse(text) {
        case .failure(let rejected):
            let answer = Rejection(
                error: .init(
                    code: "invalid_configuration", message: "設定に誤りがあるため、何も変更していません。",
                    faults: rejected.faults.map {
                        FaultAnswer(line: $0.line, column: $0.column, path: $0.path, message: $0.message)
                    }))
            var response = try JSONIO.response(answer)
            response.status = .unprocessableContent
            return response
        case .success(let configuration):
            try await dependencies.administration.configuration.replace(
                dependencies.layout.current, with: configuration, by: .staff(user, address: context.clientAddress),
                action: "settings.import", target: "city")
            return Response(status: .noContent)
        }
    }
}
