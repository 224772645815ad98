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
        } catch let error as ReservationIDFiles.Failure {
            switch error {
            case .rejected(let faults): return try ImportRejected(faults: faults).response(from: request, context: context)
            case .undecodable:
                return try APIError(.unprocessableContent, code: "invalid_encoding", message: "ファイルの文字コードは UTF-8 か Shift_JIS にしてください。")
                    .response(from: request, context: context)
            case .forbidden: return try APIError.forbidden.response(from: request, context: context)
            }
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
