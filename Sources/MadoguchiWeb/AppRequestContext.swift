import Hummingbird
import MadoguchiCore

/// Request context of every route: the signed-in staff member, when there is one.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var staff: StaffUser?
    public var sessionToken: String?
    /// The client's address (the proxy's behind a load balancer), for rate limits.
    public let clientAddress: String

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// `user` acting from this request's address, as Core's use cases take them for permission checks and audit.
    public func by(_ user: StaffUser) -> Operator { .staff(user, address: clientAddress) }

    /// Request bodies of this API are small; anything larger is refused before decoding.
    public var maxUploadSize: Int { 64 * 1024 }
}
