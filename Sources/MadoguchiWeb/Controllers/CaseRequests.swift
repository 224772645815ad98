import Foundation
import Hummingbird
import MadoguchiCore

/// What the staff form's pages and the case API read from a request and answer alike.
enum CaseRequests {
    /// The `:case` path parameter; an over-long one is simply not a case.
    static func caseID(_ context: AppRequestContext) throws -> String {
        let id = try context.parameters.require("case")
        guard id.count <= 64 else { throw CaseError.notFound }
        return id
    }

    /// The PDF of the forms chosen by `form=` (the 住民異動届 when none), printed for the user (the use case audits it).
    static func print(
        _ request: Request, context: AppRequestContext, user: StaffUser, service: ResidentCaseService
    ) async throws -> Response {
        let id = try caseID(context)
        let forms = request.uri.queryParameters.getAll("form").map { String($0) }
        let chosen = forms.isEmpty ? [FormCatalogue.mainFormID] : forms
        let pdf = try await service.print(id: id, forms: chosen, by: context.by(user))
        var headers = HTTPFields()
        headers[.contentType] = "application/pdf"
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "inline; filename=\"case-\(id.prefix(8)).pdf\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: pdf)))
    }
}
