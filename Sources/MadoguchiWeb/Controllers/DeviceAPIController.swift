import Foundation
import Hummingbird
import MadoguchiCore

/// Kiosks, monitors and their printers: what a print agent needs (with the kiosk's agent key as bearer token), and
/// what staff change during the day (kiosk menu, service closures) and see (which devices are connected).
struct DeviceAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("kiosks/:kiosk", use: kioskInfo)
        api.get("kiosks/:kiosk/print-jobs", use: printJobs)
        api.post("kiosks/:kiosk/print-jobs/:ticket/printed", use: printed)
        api.put("kiosks/:kiosk/printer", use: printerState)
        let staff = api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.put("kiosks/:kiosk/menu", use: chooseMenu)
        staff.put("services/:service/closure", use: closeService)
        staff.delete("services/:service/closure", use: reopenService)
        staff.get("devices", use: devices)
    }

    struct KioskInfo: Encodable { let id: String; let office: String; let name: String; let printMode: PrintMode }

    @Sendable func kioskInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kiosk = try kiosk(context)
        return try JSONIO.response(KioskInfo(id: kiosk.id, office: kiosk.officeID, name: kiosk.name, printMode: kiosk.printMode))
    }

    private func kiosk(_ context: AppRequestContext) throws -> Kiosk {
        let id = try context.parameters.require("kiosk")
        guard let kiosk = dependencies.layout.current.kiosk(id) else { throw DomainError.kioskNotFound(id) }
        return kiosk
    }

    /// The kiosk of the path, when the request carries its print-agent key (`Authorization: Bearer …`).
    private func agentKiosk(_ request: Request, _ context: AppRequestContext) async throws -> Kiosk {
        let id = try kiosk(context).id
        guard let kiosk = try await dependencies.devices.printAgents.kiosk(id, authorization: request.headers[.authorization]) else {
            throw APIError(.unauthorized, code: "invalid_agent_key", message: "印刷エージェントの鍵が正しくありません。")
        }
        return kiosk
    }

    struct JobList: Encodable {
        struct Job: Encodable { let ticket: String; let displayNumber: String; let escpos: String }
        let jobs: [Job]
    }

    @Sendable func printJobs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kiosk = try await agentKiosk(request, context)
        let jobs = try await dependencies.devices.printAgents.pendingJobs(for: kiosk)
        return try JSONIO.response(
            JobList(
                jobs: jobs.map {
                    .init(ticket: $0.ticketID, displayNumber: $0.displayNumber, escpos: "/api/v1/tickets/\($0.token)/escpos?kiosk=\(kiosk.id)")
                }))
    }

    @Sendable func printed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kiosk = try await agentKiosk(request, context)
        let ticket = try context.parameters.require("ticket")
        guard try await dependencies.devices.printAgents.markPrinted(ticketID: ticket, for: kiosk) else {
            throw APIError(.notFound, code: "print_job_not_found", message: "この発券機の未印刷の番号札ではありません。")
        }
        return Response(status: .noContent)
    }

    struct PrinterState: Decodable { let state: String; let detail: String? }

    @Sendable func printerState(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kiosk = try await agentKiosk(request, context)
        let body = try await JSONIO.decode(PrinterState.self, from: request, context: context)
        try await dependencies.devices.printAgents.reportPrinter(state: body.state, detail: body.detail, for: kiosk)
        return Response(status: .noContent)
    }

    struct MenuChoice: Decodable { let menuSet: String? }

    @Sendable func chooseMenu(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kiosk = try kiosk(context)
        let user = try context.require(.manageDevices, at: kiosk.officeID)
        let body = try await JSONIO.decode(MenuChoice.self, from: request, context: context)
        try await dependencies.staff.offices.setKioskMenu(kioskID: kiosk.id, menuSetID: body.menuSet, by: context.by(user))
        return Response(status: .noContent)
    }

    struct Closure: Decodable { let message: String? }

    @Sendable func closeService(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (service, user) = try authorizedService(context)
        let body = try await JSONIO.decode(Closure.self, from: request, context: context)
        guard (body.message ?? "").count <= 200 else {
            throw APIError(.unprocessableContent, code: "message_too_long", message: "お知らせ文は200文字以内で入力してください。")
        }
        try await dependencies.staff.offices.setServiceClosed(serviceID: service.id, message: body.message ?? "", by: context.by(user))
        return Response(status: .noContent)
    }

    @Sendable func reopenService(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (service, user) = try authorizedService(context)
        try await dependencies.staff.offices.setServiceClosed(serviceID: service.id, message: nil, by: context.by(user))
        return Response(status: .noContent)
    }

    private func authorizedService(_ context: AppRequestContext) throws -> (Service, StaffUser) {
        let id = try context.parameters.require("service")
        guard let service = dependencies.layout.current.service(id) else { throw DomainError.serviceNotFound(id) }
        return (service, try context.require(.manageDevices, at: service.officeID))
    }

    @Sendable func devices(_ request: Request, context: AppRequestContext) async throws -> Response {
        let staff = try context.require(.manageDevices)
        return try JSONIO.response(try await DeviceOverview.make(dependencies, for: staff))
    }
}

/// Every configured device of the offices a staff member works at, with when it was last seen.
struct DeviceOverview: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let kind: DevicePresence.Kind
        let id: String
        let office: String
        let name: String
        let url: String
        let connected: Bool
        let lastSeenAt: Date?
        let state: String?
        let detail: String?
    }
    let devices: [Entry]

    static func make(_ dependencies: WebDependencies, for staff: StaffUser) async throws -> DeviceOverview {
        let layout = dependencies.layout.current
        let now = dependencies.clock.now()
        var seen: [String: DevicePresence] = [:]
        for presence in try await dependencies.devices.presence.presences() { seen["\(presence.kind.rawValue):\(presence.deviceID)"] = presence }
        func entry(_ kind: DevicePresence.Kind, _ id: String, _ office: String, _ name: String, _ url: String) -> Entry {
            let presence = seen["\(kind.rawValue):\(id)"]
            let fresh = presence.map { now.timeIntervalSince($0.lastSeenAt) < DevicePresenceTracker.staleAfter } ?? false
            return Entry(
                kind: kind, id: id, office: office, name: name, url: url, connected: (presence?.connected ?? false) && fresh,
                lastSeenAt: presence?.lastSeenAt, state: presence?.state, detail: presence?.detail)
        }
        var entries: [Entry] = []
        for kiosk in layout.kiosks where staff.may(.manageDevices, at: kiosk.officeID) {
            entries.append(entry(.kiosk, kiosk.id, kiosk.officeID, kiosk.name, SiteURL.kiosk(.value(kiosk.id)).path))
            if kiosk.printMode == .agent { entries.append(entry(.printer, kiosk.id, kiosk.officeID, kiosk.name + "のプリンター", "")) }
        }
        for monitor in layout.monitors where staff.may(.manageDevices, at: monitor.officeID) {
            let kind: DevicePresence.Kind = monitor.kind == .lobby ? .lobby : .backyard
            entries.append(
                entry(
                    kind, monitor.id, monitor.officeID, monitor.name,
                    (monitor.kind == .lobby ? SiteURL.displayLobby(.value(monitor.id)) : SiteURL.displayBackyard(.value(monitor.id))).path))
        }
        for counter in layout.counters where staff.may(.manageDevices, at: counter.officeID) {
            entries.append(entry(.counter, counter.id, counter.officeID, counter.name + "（表示器）", SiteURL.displayCounter(.value(counter.id)).path))
        }
        return DeviceOverview(devices: entries)
    }
}
