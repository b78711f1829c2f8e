import Events
import Foundation
import Logging
import Postgres

/// Turns events into rows of `scheduled_notifications`, inside the consumer's transaction (so
/// the rows commit together with the event's `processed_events` row: exactly once per event).
///
/// - `booking.created`: confirmations to the invitee and the host; reminders 24 h and 1 h before
///   the start to both, for those still in the future when the booking was made.
/// - `booking.cancelled`: what still waits for the booking is cancelled; cancellations to both.
/// - `booking.rescheduled`: what waits for the old booking is cancelled; reschedule emails to
///   both (old and new time); reminders for the new booking.
/// - `integration.needs_reauth`: "reconnect your calendar" to the host.
///
/// Nothing is sent here; the ``NotificationDispatcher`` sends due rows.
package struct NotificationScheduler: Sendable {
    let directory: NotificationDirectory
    let repository: ScheduledNotificationRepository
    let logger: Logger

    /// Applies one event with the consumer's session; types it does not handle are ignored.
    package func handle(_ event: ReceivedEvent, in session: PostgresSession) async throws {
        switch event.type {
        case BookingCreated.type:
            try await created(try event.decode(BookingCreated.self), at: event.occurredAt, in: session)
        case BookingCancelled.type:
            try await cancelled(try event.decode(BookingCancelled.self), at: event.occurredAt, in: session)
        case BookingRescheduled.type:
            try await rescheduled(try event.decode(BookingRescheduled.self), at: event.occurredAt, in: session)
        case IntegrationNeedsReauth.type:
            try await needsReauth(try event.decode(IntegrationNeedsReauth.self), eventID: event.id, at: event.occurredAt, in: session)
        default:
            return
        }
    }

    func created(_ event: BookingCreated, at occurredAt: Date, in session: PostgresSession) async throws {
        let booking = event.booking
        let host = try await requireHost(booking.hostUserID, in: session)
        let chain = try await directory.rescheduleChain(endingAt: booking.id, in: session)
        let payload = NotificationPayload(
            booking: booking, sealedCancelToken: event.sealedCancelToken,
            calendarUID: Self.calendarUID(chain.root), calendarSequence: chain.moves
        )
        try await schedule(.confirmation, booking: booking, host: host, payload: payload, dueAt: occurredAt, sequence: chain.moves, in: session)
        try await scheduleReminders(booking: booking, host: host, payload: payload, madeAt: occurredAt, sequence: chain.moves, in: session)
    }

    func cancelled(_ event: BookingCancelled, at occurredAt: Date, in session: PostgresSession) async throws {
        let booking = event.booking
        let host = try await requireHost(booking.hostUserID, in: session)
        let dropped = try await repository.cancelPending(bookingID: booking.id, in: session)
        let chain = try await directory.rescheduleChain(endingAt: booking.id, in: session)
        // A cancellation outranks the request it cancels (RFC 5546: a higher SEQUENCE).
        let payload = NotificationPayload(
            booking: booking, reason: event.reason, cancelledBy: event.cancelledBy.rawValue,
            calendarUID: Self.calendarUID(chain.root), calendarSequence: chain.moves + 1
        )
        try await schedule(.cancellation, booking: booking, host: host, payload: payload, dueAt: occurredAt, sequence: chain.moves + 1, in: session)
        logger.debug("cancellation scheduled", metadata: ["booking.id": "\(booking.id.uuidString.lowercased())", "notifications.cancelled": "\(dropped)"])
    }

    func rescheduled(_ event: BookingRescheduled, at occurredAt: Date, in session: PostgresSession) async throws {
        let booking = event.booking
        let host = try await requireHost(booking.hostUserID, in: session)
        try await repository.cancelPending(bookingID: event.previous.id, in: session)
        var chain = try await directory.rescheduleChain(endingAt: booking.id, in: session)
        if chain.root == booking.id && chain.moves == 0 {
            // The new booking is not readable (yet): it follows the previous one.
            let previous = try await directory.rescheduleChain(endingAt: event.previous.id, in: session)
            chain = (previous.root, previous.moves + 1)
        }
        let payload = NotificationPayload(
            booking: booking, previous: event.previous, sealedCancelToken: event.sealedCancelToken,
            calendarUID: Self.calendarUID(chain.root), calendarSequence: chain.moves
        )
        try await schedule(.reschedule, booking: booking, host: host, payload: payload, dueAt: occurredAt, sequence: chain.moves, in: session)
        try await scheduleReminders(booking: booking, host: host, payload: payload, madeAt: occurredAt, sequence: chain.moves, in: session)
    }

    func needsReauth(_ event: IntegrationNeedsReauth, eventID: UUID, at occurredAt: Date, in session: PostgresSession) async throws {
        let host = try await requireHost(event.hostUserID, in: session)
        let payload = NotificationPayload(integrationID: event.integrationID, provider: event.provider)
        try await repository.insert(ScheduledNotification(
            dedupeKey: "integration:\(event.integrationID.uuidString.lowercased()):reconnect_calendar:host:\(eventID.uuidString.lowercased())",
            bookingID: nil, hostUserID: event.hostUserID, kind: .reconnectCalendar, role: .host,
            recipient: host.email, payload: payload, dueAt: occurredAt
        ), in: session)
    }

    /// Reminders whose due time is still ahead of the moment the booking was made.
    private func scheduleReminders(
        booking: BookingSnapshot, host: NotificationDirectory.Host, payload: NotificationPayload, madeAt: Date, sequence: Int,
        in session: PostgresSession
    ) async throws {
        for kind in [NotificationKind.reminder24h, .reminder1h] {
            guard let lead = kind.reminderLead else { continue }
            let due = booking.startTime.addingTimeInterval(-lead)
            guard due > madeAt else { continue }
            try await schedule(kind, booking: booking, host: host, payload: payload, dueAt: due, sequence: sequence, in: session)
        }
    }

    /// One row for the invitee and one for the host.
    private func schedule(
        _ kind: NotificationKind, booking: BookingSnapshot, host: NotificationDirectory.Host, payload: NotificationPayload,
        dueAt: Date, sequence: Int, in session: PostgresSession
    ) async throws {
        for (role, recipient) in [(RecipientRole.invitee, booking.inviteeEmail), (.host, host.email)] {
            try await repository.insert(ScheduledNotification(
                dedupeKey: "booking:\(booking.id.uuidString.lowercased()):\(kind.rawValue):\(role.rawValue):\(sequence)",
                bookingID: booking.id, hostUserID: booking.hostUserID, kind: kind, role: role,
                recipient: recipient, payload: payload, dueAt: dueAt
            ), in: session)
        }
    }

    private func requireHost(_ id: UUID, in session: PostgresSession) async throws -> NotificationDirectory.Host {
        guard let host = try await directory.host(id, in: session) else { throw UnknownHost(id: id) }
        return host
    }

    /// The iCalendar `UID` of a meeting: its first booking's id.
    static func calendarUID(_ root: UUID) -> String {
        "\(root.uuidString.lowercased())@rendezvous"
    }
}

/// An event names a host the `users` table does not have (retried, then dead-lettered).
struct UnknownHost: Error, CustomStringConvertible {
    var id: UUID
    var description: String { "unknown host" }
}
