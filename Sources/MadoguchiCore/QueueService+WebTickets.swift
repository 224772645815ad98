import Foundation

/// Web tickets (W5): taken from a phone before arriving, held until checked in at the office, released when not.
extension QueueService {
    // MARK: Web tickets (W5)

    /// Issue a ticket taken on the web, within the service's rules: opening hours, daily and hourly quotas, one
    /// active web ticket per contact (compared by keyed digest).
    public func issueWebTicket(officeID: String, serviceID: String, contactDigest: String) async throws -> Ticket {
        let layout = layout.current
        guard let office = layout.office(officeID) else { throw DomainError.officeNotFound(officeID) }
        guard let service = layout.service(serviceID), service.officeID == officeID else { throw DomainError.serviceNotFound(serviceID) }
        guard let rules = service.webTicketing else { throw DomainError.webTicketingClosed(reason: "この業務はウェブ発券を行っていません。") }
        let now = clock.now().truncatedToMicroseconds
        guard office.isOpen(at: now) else {
            throw DomainError.webTicketingClosed(reason: "受付時間外です。開庁時間内にお取りください。")
        }
        let businessDate = CityCalendar.businessDate(of: now)
        let hourStart = CityCalendar.gregorian.dateInterval(of: .hour, for: now)?.start ?? now
        return try await run { tx in
            if let message = try await tx.serviceClosure(serviceID: service.id, businessDate: businessDate) {
                throw DomainError.webTicketingClosed(reason: message.isEmpty ? "この業務の本日の受付は終了しました。" : message)
            }
            let counts = try await tx.webTicketCounts(serviceID: service.id, businessDate: businessDate, hourStart: hourStart)
            guard counts.day < rules.dailyQuota, counts.hour < rules.hourlyQuota else { throw DomainError.quotaReached }
            guard try await !tx.hasActiveWebTicket(contactDigest: contactDigest, businessDate: businessDate) else {
                throw DomainError.alreadyHasTicket
            }
            let ticket = try await insertNewTicket(
                of: service, priority: false, web: WebTicketInfo(checkedIn: !rules.checkInRequired),
                businessDate: businessDate, now: now, tx: tx)
            try await tx.recordWebContact(ticketID: ticket.id, contactDigest: contactDigest, businessDate: businessDate)
            return (ticket, [DomainEvent(kind: .ticketIssued, officeID: officeID, occurredAt: now, ticket: ticket)])
        }
    }

    /// The holder of a web ticket has arrived. A ticket held because its turn came first goes back to its place.
    public func checkIn(token: String) async throws -> Ticket {
        guard let stored = try await store.ticket(token: token), stored.businessDate == CityCalendar.businessDate(of: clock.now()) else {
            throw DomainError.ticketNotFound
        }
        let now = clock.now().truncatedToMicroseconds
        return try await run { tx in
            guard
                let ticket = try await tx.activeTickets(officeID: stored.officeID, number: stored.number, businessDate: stored.businessDate)
                    .first(where: { $0.id == stored.id })
            else {
                throw DomainError.ticketNotActive(displayNumber: stored.displayNumber, state: stored.state)
            }
            guard let web = ticket.web, !web.checkedIn else { return (ticket, []) }
            var arrived = ticket
            arrived.web = WebTicketInfo(checkedIn: true)
            switch ticket.state {
            case .waiting: break
            case .held where web.holdUntil != nil: arrived.state = .waiting  // back to its place: queuedAt is kept
            default: throw DomainError.ticketNotActive(displayNumber: ticket.displayNumber, state: ticket.state)
            }
            arrived.version += 1
            try await save(arrived, replacing: ticket, tx: tx)
            return (arrived, [DomainEvent(kind: .ticketCheckedIn, officeID: ticket.officeID, occurredAt: now, ticket: arrived)])
        }
    }

    /// Marks absent the web tickets held for check-in past their time; returns how many.
    @discardableResult
    public func expireWebHolds() async throws -> Int {
        let now = clock.now().truncatedToMicroseconds
        let businessDate = CityCalendar.businessDate(of: now)
        return try await run { tx in
            var events: [DomainEvent] = []
            for ticket in try await tx.expiredWebHolds(businessDate: businessDate, now: now) {
                var absent = ticket
                absent.state = .absent
                absent.version += 1
                try await save(absent, replacing: ticket, tx: tx)
                events.append(DomainEvent(kind: .ticketMarkedAbsent, officeID: ticket.officeID, occurredAt: now, ticket: absent))
            }
            return (events.count, events)
        }
    }
}
