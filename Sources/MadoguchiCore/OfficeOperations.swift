import Foundation

/// The day-to-day settings an office's own staff change (opening hours, notification rules, a kiosk's menu, a
/// service closed for the day) and the registering of its screens: each checked against the operator's permission
/// at that office, audited with before and after, and announced so every instance's screens follow.
public struct OfficeOperations: Sendable {
    let settings: any NotificationSettingsStore
    let queue: QueueService
    let projection: QueueProjection
    let layout: LayoutSource
    let audit: AuditTrail

    public init(
        settings: any NotificationSettingsStore, queue: QueueService, projection: QueueProjection, layout: LayoutSource, audit: any AuditLog,
        clock: any WallClock
    ) {
        self.settings = settings
        self.queue = queue
        self.projection = projection
        self.layout = layout
        self.audit = AuditTrail(log: audit, clock: clock)
    }

    func office(_ id: String, by actor: Operator, needs permission: Permission) throws -> Office {
        guard let office = layout.current.office(id) else { throw DomainError.officeNotFound(id) }
        guard actor.may(permission, at: office.id) else { throw AccessError.forbidden }
        return office
    }

    func service(_ id: String, by actor: Operator, needs permission: Permission) throws -> Service {
        guard let service = layout.current.service(id) else { throw DomainError.serviceNotFound(id) }
        guard actor.may(permission, at: service.officeID) else { throw AccessError.forbidden }
        return service
    }

    /// Replaces an office's opening hours (weekdays 1 = Sunday … 7 = Saturday, minutes 0…1440, from < until).
    public func setHours(_ hours: [OpeningHours], officeID: String, by actor: Operator) async throws {
        let office = try office(officeID, by: actor, needs: .configureOffices)
        guard hours.allSatisfy({ $0.from >= 0 && $0.until <= 1440 && $0.from < $0.until && $0.weekdays.allSatisfy((1...7).contains) }) else {
            throw DomainError.invalidHours
        }
        try await settings.setHours(hours, officeID: office.id)
        try await audit.record("settings.hours", by: actor, target: office.id, detail: AuditTrail.change(before: office.hours, after: hours))
        try await queue.announceConfigurationChange(officeID: office.id)
    }

    /// Replaces a service's notification rules and templates after checking them.
    public func setNotifications(_ rules: NotificationSettings, serviceID: String, by actor: Operator) async throws {
        let service = try service(serviceID, by: actor, needs: .editNotificationTemplates)
        let faults = rules.validate()
        guard faults.isEmpty else { throw DomainError.invalidNotificationSettings(faults) }
        try await settings.setNotifications(rules, serviceID: service.id)
        try await audit.record(
            "settings.notifications", by: actor, target: service.id, detail: AuditTrail.change(before: service.notifications, after: rules))
        try await queue.announceConfigurationChange(officeID: service.officeID)
    }

    /// Shows a kiosk another of its menu sets (nil: the one its schedule names).
    public func setKioskMenu(kioskID: String, menuSetID: String?, by actor: Operator) async throws {
        guard let kiosk = layout.current.kiosk(kioskID) else { throw DomainError.kioskNotFound(kioskID) }
        guard actor.may(.manageDevices, at: kiosk.officeID) else { throw AccessError.forbidden }
        let before = projection.menuChoice(kioskID: kiosk.id)
        try await queue.setKioskMenu(kioskID: kiosk.id, menuSetID: menuSetID)
        try await audit.record("kiosk.menu", by: actor, target: kiosk.id, detail: AuditTrail.change(before: before, after: menuSetID))
    }

    /// Closes a service for the rest of the day with a message for visitors (nil reopens it).
    public func setServiceClosed(serviceID: String, message: String?, by actor: Operator) async throws {
        let service = try service(serviceID, by: actor, needs: .manageDevices)
        let message = message.map { String($0.prefix(200)) }
        let before = projection.closure(serviceID: service.id)
        try await queue.setServiceClosed(serviceID: service.id, message: message)
        try await audit.record("service.closure", by: actor, target: service.id, detail: AuditTrail.change(before: before, after: message))
    }

    /// Checks that the operator may register `device` as one of their office's screens and audits it; returns the
    /// office. The credential itself (a signed cookie) is the web layer's.
    public func registerDevice(_ device: DeviceIdentity, by actor: Operator) async throws -> String {
        guard let officeID = layout.current.office(of: device) else { throw DomainError.kioskNotFound(device.id) }
        guard actor.may(.manageDevices, at: officeID) else { throw AccessError.forbidden }
        try await audit.record("device.registered", by: actor, target: "\(device.kind.rawValue):\(device.id)")
        return officeID
    }
}
