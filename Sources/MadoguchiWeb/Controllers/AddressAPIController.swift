import Foundation
import Hummingbird
import MadoguchiCore

/// Address entry for the no-writing counter (K3 i, j): postal code → address, lists from 都道府県 down, and search by
/// the first characters of 都道府県, 市区町村 and 町域. For signed-in counter staff.
struct AddressAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        let staff = api.group("addresses").add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.get(use: byPostalCode)
        staff.get("prefectures", use: prefectures)
        staff.get("cities", use: cities)
        staff.get("towns", use: towns)
        staff.get("search", use: search)
    }

    var directory: any AddressDirectory { dependencies.visitors.addresses }

    @Sendable func byPostalCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.operateCounters)
        let code = ResidentNumbers.digits(request.query("postal"))
        guard code.count == 7, code.allSatisfy(\.isNumber) else {
            throw APIError(.unprocessableContent, code: "invalid_postal_code", message: "郵便番号は数字7桁で指定してください（例: 176-0002）。")
        }
        return try JSONIO.response(["addresses": try await directory.addresses(postalCode: code)])
    }

    @Sendable func prefectures(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.operateCounters)
        return try JSONIO.response(["prefectures": try await directory.prefectures()])
    }

    @Sendable func cities(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.operateCounters)
        return try JSONIO.response(["cities": try await directory.cities(prefecture: request.query("prefecture"))])
    }

    @Sendable func towns(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.operateCounters)
        return try JSONIO.response(["addresses": try await directory.towns(prefecture: request.query("prefecture"), city: request.query("city"))])
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.operateCounters)
        let limit = Int(request.query("limit")) ?? 50
        return try JSONIO.response([
            "addresses": try await directory.search(
                prefecture: request.query("prefecture"), city: request.query("city"), town: request.query("town"), limit: limit)
        ])
    }
}
