import Events
import Foundation
import Logging
import Postgres

/// Writes bookings into the host's calendar: `booking.created` inserts the meeting (and keeps the
/// provider's event id), `booking.rescheduled` moves it, `booking.cancelled` deletes it.
///
/// The meeting goes into the host's oldest active integration. A provider failure never fails a
/// booking: a transient one (rate limit, outage) throws, and the event comes back through the
/// consumer's retry queues; a revoked grant marks the integration `needs_reauth`; anything else is
/// logged and counted. Inserts are idempotent at the provider (Google: our event id; Graph: the
/// transactionId; CalDAV: the object name), so a retry after a crash does not write twice.
package struct MeetingWriter: Sendable {
    let gateway: CalendarGateway
    let syncer: CalendarSyncer
    let logger: Logger
    let metrics = IntegrationMetrics()

    package init(gateway: CalendarGateway, syncer: CalendarSyncer, logger: Logger) {
        self.gateway = gateway
        self.syncer = syncer
        self.logger = logger
    }

    package func handle(_ event: ReceivedEvent, in session: PostgresSession) async throws {
        switch event.type {
        case BookingCreated.type:
            let created = try event.decode(BookingCreated.self)
            try await write(created.booking, in: session)
        case BookingRescheduled.type:
            let moved = try event.decode(BookingRescheduled.self)
            try await move(from: moved.previous, to: moved.booking, in: session)
        case BookingCancelled.type:
            let cancelled = try event.decode(BookingCancelled.self)
            try await remove(cancelled.booking.id, in: session)
        default:
            return
        }
    }

    func write(_ booking: BookingSnapshot, in session: PostgresSession) async throws {
        // The booking as it stands now: a created event retried after its cancellation writes nothing.
        let current = try await session.query("SELECT status FROM bookings WHERE id = \(booking.id)")
            .first.map { try $0.decode("status", as: String.self) }
        guard booking.status == "confirmed", current == nil || current == "confirmed",
              let target = try await IntegrationRepository.active(host: booking.hostUserID, in: session).first else { return }
        if try await MeetingLinkRepository.link(booking: booking.id, integration: target.id, in: session) != nil { return }
        let meeting = try await meeting(for: booking, in: session)
        guard let externalID = try await attempt(target, "insert", { try await gateway.insert(meeting, into: target) }) else { return }
        try await MeetingLinkRepository.insertLink(booking: booking.id, integration: target.id, externalID: externalID, in: session)
    }

    func move(from previous: BookingSnapshot, to booking: BookingSnapshot, in session: PostgresSession) async throws {
        let links = try await MeetingLinkRepository.links(booking: previous.id, in: session)
        guard !links.isEmpty else {
            try await write(booking, in: session)
            return
        }
        let meeting = try await meeting(for: booking, in: session)
        for link in links {
            guard let record = try await IntegrationRepository.find(link.integration, in: session), record.status == .active else { continue }
            let moved = meeting
            guard let externalID = try await attempt(record, "update", { try await gateway.update(link.externalID, to: moved, in: record) }) else {
                continue
            }
            try await MeetingLinkRepository.deleteLink(booking: previous.id, integration: record.id, in: session)
            try await MeetingLinkRepository.insertLink(booking: booking.id, integration: record.id, externalID: externalID, in: session)
        }
    }

    func remove(_ booking: UUID, in session: PostgresSession) async throws {
        for link in try await MeetingLinkRepository.links(booking: booking, in: session) {
            guard let record = try await IntegrationRepository.find(link.integration, in: session) else { continue }
            // An integration that cannot be written to now keeps the link: the meeting left in that
            // calendar is still known as ours, so no sync reads it back as busy time.
            guard record.status == .active else { continue }
            guard try await attempt(record, "delete", { try await gateway.delete(link.externalID, in: record); return "" }) != nil else { continue }
            try await MeetingLinkRepository.deleteLink(booking: booking, integration: record.id, in: session)
        }
    }

    /// Runs one provider write: the result, nil when it failed for good (logged, counted), or throws to retry later.
    private func attempt(_ record: IntegrationRecord, _ operation: String, _ body: () async throws -> String) async throws -> String? {
        let metadata: Logger.Metadata = ["integration": "\(record.id.uuidString.lowercased())", "provider": "\(record.provider.rawValue)", "operation": "\(operation)"]
        do {
            let result = try await body()
            metrics.write(record.provider, operation: operation, outcome: "ok")
            return result
        } catch let error as ProviderError {
            metrics.providerError(record.provider, error)
            switch error {
            case let .invalidGrant(reason):
                metrics.write(record.provider, operation: operation, outcome: "needs_reauth")
                await syncer.markNeedsReauth(record, reason: reason)
                return nil
            case .rateLimited, .unavailable, .unauthorized:
                metrics.write(record.provider, operation: operation, outcome: "retry")
                logger.notice("calendar write failed; retrying through the event retry path", metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
                throw error
            case .notFound, .rejected, .cursorExpired:
                metrics.write(record.provider, operation: operation, outcome: "failed")
                logger.warning("calendar write refused by the provider", metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
                return nil
            }
        }
    }

    /// The meeting as the host's calendar shows it.
    func meeting(for booking: BookingSnapshot, in session: PostgresSession) async throws -> CalendarMeeting {
        let name = try await session.query("SELECT name FROM meeting_types WHERE id = \(booking.meetingTypeID)")
            .first.map { try $0.decode("name", as: String.self) } ?? "Meeting"
        var lines = ["Booked with Rendezvous.", "", "Invitee: \(booking.inviteeName) <\(booking.inviteeEmail)>", "Invitee's time zone: \(booking.inviteeTimezone)"]
        for (question, answer) in booking.answers.sorted(by: { $0.key < $1.key }) {
            lines.append("\(question): \(answer)")
        }
        return CalendarMeeting(
            bookingID: booking.id, title: "\(name) with \(booking.inviteeName)", description: lines.joined(separator: "\n"),
            start: booking.startTime, end: booking.endTime, inviteeName: booking.inviteeName, inviteeEmail: booking.inviteeEmail,
            sequence: booking.version
        )
    }
}
