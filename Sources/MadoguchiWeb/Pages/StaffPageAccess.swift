import Foundation
import Hummingbird
import MadoguchiCore

/// The one gate of every staff and admin page: signed out → the sign-in page (and back); an initial password →
/// the password page first; a role without the permission → 403. Office limits are checked by each page.
enum StaffPageAccess {
    static func user(_ request: Request, dependencies: WebDependencies, permission: Permission?) async throws -> StaffUser {
        let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let next = here.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))) ?? "/"
        guard let user = try await StaffAuthentication.user(of: request, dependencies: dependencies) else {
            guard request.method == .get else { throw APIError.notSignedIn }
            throw PageRedirect(location: SiteURL.staffSignIn.path + "?next=\(next)")
        }
        if user.mustChangePassword {
            // A form post would be lost on the way; only pages are sent round.
            guard request.method == .get else { throw APIError.passwordChangeRequired }
            throw PageRedirect(location: SiteURL.staffPassword.path + "?next=\(next)")
        }
        if let permission, !user.role.permissions.contains(permission) { throw APIError.forbidden }
        return user
    }
}

/// Sends the browser elsewhere (303); thrown by page guards and answered by `APIErrorMiddleware`.
struct PageRedirect: Error {
    let location: String
    var response: Response { Response(status: .seeOther, headers: [.location: location]) }
}
