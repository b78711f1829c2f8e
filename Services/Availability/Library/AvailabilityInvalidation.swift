import Foundation
import Logging
import Postgres

/// What every change to a host's offered slots does: an `availability.changed` event written in
/// the change's transaction, and the host's cached slots orphaned right after the commit.
struct AvailabilityInvalidation: Sendable {
    let cache: SlotCache

    /// Records, inside the change's transaction, that `host`'s availability changed.
    func record(host: UUID, reason: String, requestID: String, in session: PostgresSession) async throws {
        // The events module (outbox) is wired in here once it lands; see the service's report.
    }

    /// After the commit: drops `host`'s cached slots.
    func invalidate(host: UUID, logger: Logger) async {
        await cache.invalidate(host: host, logger: logger)
    }
}
