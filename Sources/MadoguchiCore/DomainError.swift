/// Everything a use case can refuse. Web maps each case to an HTTP status, a stable code and a Japanese message.
public enum DomainError: Error, Equatable, Sendable {
    case officeNotFound(String)
    case serviceNotFound(String)
    case counterNotFound(String)
    case stageNotFound(String)
    case ticketNotFound
    case invalidContact
    /// Web tickets: not offered, outside opening hours, or the service closed for the day.
    case webTicketingClosed(reason: String)
    case quotaReached
    case alreadyHasTicket
    case invalidCheckInCode
    /// Opening hours with a weekday outside 1…7 or a time outside 0…1440 minutes, or ending before they start.
    case invalidHours
    /// A print agent reported a printer state outside `PrintAgents.printerStates`.
    case invalidPrinterState
    /// Each fault of a service's notification settings.
    case invalidNotificationSettings([String])
    case notCheckedIn(displayNumber: String)
    case kioskNotFound(String)
    case monitorNotFound(String)
    case menuSetNotFound(String)
    case serviceClosed(serviceID: String, message: String)
    case numberOutOfRange(number: Int)
    case numberRangeExhausted(serviceID: String)
    case noCurrentTicket(counterID: String)
    case ticketNotCallable(displayNumber: String, state: TicketState)
    case ticketNotCalled(displayNumber: String, state: TicketState)
    case ticketNotActive(displayNumber: String, state: TicketState)
    case stageNotServed(counterID: String, stageID: String)
    case stageInOtherOffice(stageID: String)
    case counterInOtherOffice(counterID: String)
    case invalidTransferTarget
    /// A concurrent change won every retry; the caller may try again.
    case conflict
    /// Too many notification sign-ups for the ticket, from the client or for the contact.
    case tooManySignUps
    /// Too many tickets taken without a registered kiosk or staff session, by the client or for the service.
    case tooManyTickets
}
