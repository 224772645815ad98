import Foundation

/// A screen of an office that staff registered on this browser: a kiosk, a monitor or a counter display.
public struct DeviceIdentity: Sendable, Equatable, Hashable {
    public var kind: DevicePresence.Kind
    public var id: String
    public init(kind: DevicePresence.Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// The proof a browser carries that staff registered it as a device (kept in an HttpOnly cookie): the device,
/// when it was registered, and a keyed digest of both, so nobody can make one without the server's key. What a
/// registered device may do that a visitor's phone may not: issue tickets without the public limits, ask for
/// print jobs, show the day's check-in code, and count as connected on `/staff/devices`.
public enum DeviceCredential {
    /// Registered devices are renewed by staff once a year at most.
    public static let lifetime: TimeInterval = 400 * 86_400

    public static func make(for device: DeviceIdentity, at now: Date, digest: any KeyedDigest) -> String {
        let body = "\(device.kind.rawValue).\(device.id).\(Int64(now.timeIntervalSince1970))"
        return body + "." + digest.digest("device-credential:" + body)
    }

    /// The device a credential names, or nil when it is forged, altered or older than `lifetime`.
    public static func device(in credential: String, at now: Date, digest: any KeyedDigest) -> DeviceIdentity? {
        let parts = credential.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard credential.count <= 300, parts.count == 4, let kind = DevicePresence.Kind(rawValue: parts[0]), Slug.isValid(parts[1]),
            let issued = Int64(parts[2])
        else { return nil }
        let body = parts[0...2].joined(separator: ".")
        let expected = digest.digest("device-credential:" + body)
        // Compare every byte, so timing does not reveal how much of a forgery was right.
        guard expected.utf8.count == parts[3].utf8.count, zip(expected.utf8, parts[3].utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        let age = now.timeIntervalSince1970 - Double(issued)
        guard age >= -300, age <= lifetime else { return nil }
        return DeviceIdentity(kind: kind, id: parts[1])
    }
}

extension OfficeLayout {
    /// The office a configured device belongs to.
    public func office(of device: DeviceIdentity) -> String? {
        switch device.kind {
        case .kiosk, .printer: kiosk(device.id)?.officeID
        case .lobby, .backyard: monitor(device.id).flatMap { $0.kind.rawValue == device.kind.rawValue ? $0.officeID : nil }
        case .counter: counter(device.id)?.officeID
        }
    }
}
