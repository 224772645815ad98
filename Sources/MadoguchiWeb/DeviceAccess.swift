import Foundation
import Hummingbird
import MadoguchiCore

/// Registered screens (`DeviceCredential` in an HttpOnly cookie) and what they may do that a visitor's browser may
/// not: issue tickets without the public limits, ask for print jobs, show the check-in code, count as connected.
enum DeviceAccess {
    static func cookieName(secure: Bool) -> String { secure ? "__Host-madoguchi_device" : "madoguchi_device" }

    /// The device this browser was registered as, if any.
    static func device(of request: Request, dependencies: WebDependencies) -> DeviceIdentity? {
        guard let value = request.cookies[cookieName(secure: dependencies.secureCookies)]?.value else { return nil }
        return DeviceCredential.device(in: value, at: dependencies.clock.now(), digest: dependencies.keyedDigest)
    }

    static func cookie(for device: DeviceIdentity, dependencies: WebDependencies, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName(secure: secure), value: DeviceCredential.make(for: device, at: dependencies.clock.now(), digest: dependencies.keyedDigest),
            maxAge: Int(DeviceCredential.lifetime), path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Whether the page is shown on a screen inside the office: a device registered there, or a signed-in member
    /// of staff of the office. Only such screens show the day's check-in code.
    static func isInOffice(_ request: Request, officeID: String, dependencies: WebDependencies) async -> Bool {
        if let device = device(of: request, dependencies: dependencies), dependencies.layout.current.office(of: device) == officeID { return true }
        guard let staff = try? await StaffAuthentication.user(of: request, dependencies: dependencies), !staff.mustChangePassword else { return false }
        return staff.mayWork(at: officeID)
    }
}

/// Who may take a number how often (Q2, W5): registered kiosks (their cookie or their print agent's key) and
/// signed-in staff of the office without limit; anyone else a few per client address and, over all such clients,
/// a bounded number per service, so a script can neither exhaust a day's numbers nor block the kiosks.
struct TicketIssuing: Sendable {
    let dependencies: WebDependencies
    let perClient: RateLimiter
    let perService: RateLimiter

    init(dependencies: WebDependencies, settings: WebSettings) {
        self.dependencies = dependencies
        perClient = RateLimiter("public-tickets-client", limit: settings.publicTicketsPerClientPer10Minutes, window: 600, counter: dependencies.attempts)
        perService = RateLimiter("public-tickets-service", limit: settings.publicTicketsPerServicePer10Minutes, window: 600, counter: dependencies.attempts)
    }

    /// Checks the request's right to a ticket of `serviceID` at `officeID`; returns the kiosk that may print it
    /// (`claimedKiosk` only when the request proves it is that kiosk, or comes from staff of the office).
    func admit(_ request: Request, context: AppRequestContext, officeID: String, serviceID: String, claimedKiosk: String?) async throws -> String? {
        let layout = dependencies.layout.current
        let kiosk = claimedKiosk.flatMap(layout.kiosk).flatMap { $0.officeID == officeID ? $0 : nil }
        if let device = DeviceAccess.device(of: request, dependencies: dependencies), device.kind == .kiosk,
            let registered = layout.kiosk(device.id), registered.officeID == officeID
        {
            return registered.id
        }
        if let kiosk, try await dependencies.devices.printAgents.kiosk(kiosk.id, authorization: request.headers[.authorization]) != nil {
            return kiosk.id
        }
        if let staff = try await StaffAuthentication.user(of: request, dependencies: dependencies), !staff.mustChangePassword,
            staff.may(.operateCounters, at: officeID) || staff.may(.manageDevices, at: officeID)
        {
            return kiosk?.id
        }
        let now = dependencies.clock.now()
        do {
            try await perClient.admit(context.clientAddress, at: now)
            try await perService.admit(serviceID, at: now)
        } catch {
            throw DomainError.tooManyTickets
        }
        return nil
    }
}
