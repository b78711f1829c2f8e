import Events
import Foundation
import Logging
import Postgres

/// What every change to a host's offered slots does: an `availability.changed` event written in
/// the change's transaction, and the host's cached slots orphaned right after the commit.
struct AvailabilityInvalidation: Sendable {
    let cache: SlotCache

    /// Records, inside the change's transaction, that `host`'s availability changed.
    func record(host: UUID, reason: AvailabilityChanged.Reason, requestID: String, in session: PostgresSession) async throws {
        try await Outbox.enqueue(AvailabilityChanged(hostUserID: host, reason: reason), requestID: requestID, in: session)
    }

    /// After the commit: drops `host`'s cached slots.
    func invalidate(host: UUID, logger: Logger) async {
        await cache.invalidate(host: host, logger: logger)
    }
}
