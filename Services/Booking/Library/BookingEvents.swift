import Cryptography
import Events
import Foundation
import Postgres

/// Writes the booking events into the outbox, in the transaction of the change they describe.
///
/// The invitee's cancel token travels sealed (AES-256-GCM under `TOKEN_ENCRYPTION_KEY`, the
/// booking id as associated data): the notifier needs it for the links, and nothing on the
/// way (outbox rows, the broker) holds it in the clear.
struct BookingEvents: Sendable {
    let encryptionKey: EncryptionKey

    /// The `booking.created` outbox row, written in the booking's own INSERT statement.
    func created(_ booking: Booking, cancelToken: String, requestID: String) throws -> Outbox.Row {
        let event = BookingCreated(booking: snapshot(booking), sealedCancelToken: try seal(cancelToken, for: booking.id))
        return try Outbox.row(event, requestID: requestID)
    }

    func cancelled(_ booking: Booking, reason: String?, by actor: String, requestID: String, in session: PostgresSession) async throws {
        let event = BookingCancelled(booking: snapshot(booking), reason: reason, cancelledBy: actor == "host" ? .host : .invitee)
        try await Outbox.enqueue(event, requestID: requestID, in: session)
    }

    func rescheduled(from previous: Booking, to booking: Booking, cancelToken: String, requestID: String, in session: PostgresSession) async throws {
        let event = BookingRescheduled(
            previous: snapshot(previous), booking: snapshot(booking), sealedCancelToken: try seal(cancelToken, for: booking.id)
        )
        try await Outbox.enqueue(event, requestID: requestID, in: session)
    }

    /// Base64url of the sealed token; the notifier opens it with the same key and the booking id.
    func seal(_ token: String, for bookingID: UUID) throws -> String {
        let associated = Array(bookingID.uuidString.lowercased().utf8)
        return Base64URL.encode(try AESGCM.seal(Array(token.utf8), using: encryptionKey, associatedData: associated).serialized)
    }

    private func snapshot(_ booking: Booking) -> BookingSnapshot {
        BookingSnapshot(
            id: booking.id, hostUserID: booking.hostUserID, meetingTypeID: booking.meetingTypeID,
            status: booking.status.rawValue, startTime: booking.startTime, endTime: booking.endTime,
            bufferBeforeMinutes: booking.bufferBeforeMinutes, bufferAfterMinutes: booking.bufferAfterMinutes,
            inviteeName: booking.inviteeName, inviteeEmail: booking.inviteeEmail, inviteeTimezone: booking.inviteeTimezone,
            answers: booking.answers, version: booking.version, rescheduledFrom: booking.rescheduledFrom
        )
    }
}
