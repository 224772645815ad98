import Hummingbird
import MadoguchiCore

/// Request context of every route: the signed-in staff member, when there is one.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var staff: StaffUser?
    public var sessionToken: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Request bodies of this API are small; anything larger is refused before decoding.
    public var maxUploadSize: Int { 64 * 1024 }
}
