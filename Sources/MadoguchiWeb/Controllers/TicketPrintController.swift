import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiDevices

/// `GET /api/v1/tickets/{token}/escpos`: the ticket as ESC/POS bytes for a thermal printer (Q4).
struct TicketPrintController {
    let dependencies: WebDependencies
    let publicBaseURL: String

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("tickets/:token/escpos", use: escpos)
    }

    @Sendable func escpos(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let view = try await dependencies.ticketView(token: token)
        let layout = dependencies.layout.current
        // `?kiosk=` chooses whose fixed texts are printed (the print agent passes its kiosk).
        let kiosk = request.uri.queryParameters["kiosk"].flatMap { layout.kiosk(String($0)) }
        let printed = TicketPrinting.printedTicket(view, kiosk: kiosk, layout: layout, publicBaseURL: publicBaseURL)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: EscPos.ticket(printed))))
    }
}
