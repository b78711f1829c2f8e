import Events
import Foundation
import Retrying
import Logging
import Postgres

/// Syncs one integration's busy time into `external_busy_intervals`.
///
/// One sync at a time per integration across instances: a sync first takes the row's lease
/// (`sync_lease_until`); a request that finds it taken leaves `sync_requested_at` set, and the
/// holder runs once more when it finishes, so a burst of pushes costs one or two syncs, never
/// one each. The error matrix: a revoked grant marks the integration `needs_reauth` (its busy
/// data stays, marked stale) and emits `integration.needs_reauth`; a rate limit backs off
/// exponentially from 60 s, honouring `Retry-After`; an outage keeps the last data and backs off
/// from 30 s; an expired cursor (410) syncs the whole window again.
package struct CalendarSyncer: Sendable {
    /// What a sync did.
    package enum Outcome: String, Sendable, Equatable {
        case changed
        case unchanged
        /// Another instance holds the lease, a backoff is running, or the integration needs a new grant.
        case skipped
        case rateLimited = "rate_limited"
        case unavailable
        case needsReauth = "needs_reauth"
        case failed
        case gone
    }

    let database: PostgresClient
    let gateway: CalendarGateway
    let settings: IntegrationSettings
    let logger: Logger
    let metrics = IntegrationMetrics()
    let now: @Sendable () -> Date
    /// How long a sync may hold the lease (a crashed instance's lease runs out).
    static let lease: Duration = .seconds(300)
    /// Incremental syncs only report changes: an unchanged event that moves into the window as the
    /// days pass would never be read, so the whole window is read again at least this often.
    static let fullSyncEvery: TimeInterval = 24 * 3600
    /// Failures in a row after which the status becomes `error`.
    static let errorAfter = 5

    package init(database: PostgresClient, gateway: CalendarGateway, settings: IntegrationSettings, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.gateway = gateway
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// Syncs the integration now, and again while more syncs were asked for meanwhile.
    /// `dueSince` is when the sync became due (for the lag metric); `ignoringBackoff` is for a host's explicit request.
    @discardableResult
    package func sync(_ id: UUID, dueSince: Date? = nil, ignoringBackoff: Bool = false) async -> Outcome {
        var outcome = Outcome.skipped
        var due = dueSince ?? now()
        for round in 0 ..< 5 {
            let claimed: IntegrationRecord?
            do {
                claimed = try await database.withConnection { session in
                    let record = try await IntegrationRepository.claimSync(id, lease: Self.lease, ignoringBackoff: ignoringBackoff || round > 0, in: session)
                    if record == nil { try await IntegrationRepository.requestSync(id, in: session) }
                    return record
                }
            } catch {
                logger.warning("sync claim failed", metadata: ["integration": "\(id.uuidString.lowercased())", "error": "\(String(reflecting: error))"])
                return .failed
            }
            guard let record = claimed else { return round == 0 ? .skipped : outcome }
            outcome = await syncClaimed(record, dueSince: due)
            let again = (try? await database.withConnection { try await IntegrationRepository.releaseSync(id, token: record.leaseToken, in: $0) }) ?? false
            guard again, outcome == .changed || outcome == .unchanged else { break }
            due = now()
        }
        return outcome
    }

    private func syncClaimed(_ record: IntegrationRecord, dueSince: Date) async -> Outcome {
        let window = SyncWindow.standard(now: now(), days: settings.windowDays)
        var metadata: Logger.Metadata = ["integration": "\(record.id.uuidString.lowercased())", "provider": "\(record.provider.rawValue)"]
        do {
            var changes: CalendarChanges
            let fullDue = record.lastFullSyncAt.map { now().timeIntervalSince($0) > Self.fullSyncEvery } ?? true
            let cursor = fullDue ? nil : record.syncCursor
            do {
                changes = try await gateway.changes(record, cursor: cursor, window: window)
            } catch ProviderError.cursorExpired where cursor != nil {
                // 410 Gone: the sync token or delta link expired; read the whole window again.
                metrics.fullResync(record.provider)
                logger.info("sync cursor expired, full resync", metadata: metadata)
                changes = try await gateway.changes(record, cursor: nil, window: window)
            }
            let finalChanges = changes
            let changed: Bool = try await database.withTransaction { session in
                let own = try await MeetingLinkRepository.ownEventIDs(integration: record.id, in: session)
                let changed = try await IntegrationRepository.apply(finalChanges, to: record, ignoring: own, in: session)
                try await IntegrationRepository.recordSuccess(record.id, cursor: finalChanges.cursor, full: finalChanges.kind == .full, in: session)
                if changed || record.staleSince != nil {
                    try await Outbox.enqueue(
                        CalendarSynced(hostUserID: record.hostUserID, integrationID: record.id, provider: record.provider.rawValue, changed: true),
                        requestID: nil, in: session
                    )
                }
                return changed
            }
            metrics.syncLag(record.provider, seconds: now().timeIntervalSince(dueSince))
            metrics.sync(record.provider, outcome: changed ? "changed" : "unchanged")
            metadata["busy"] = "\(changes.busy.count)"
            metadata["removed"] = "\(changes.removedIDs.count)"
            logger.debug("calendar synced", metadata: metadata)
            return changed ? .changed : .unchanged
        } catch let error as ProviderError {
            metrics.providerError(record.provider, error)
            return await handle(error, record: record, metadata: metadata)
        } catch {
            logger.error("sync failed", metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
            await backOff(record, error: "\(error)", base: settings.outageBackoff, at: nil)
            metrics.sync(record.provider, outcome: "failed")
            return .failed
        }
    }

    private func handle(_ error: ProviderError, record: IntegrationRecord, metadata: Logger.Metadata) async -> Outcome {
        let metadata = metadata.merging(["error": "\(String(reflecting: error))"]) { $1 }
        switch error {
        case let .invalidGrant(reason):
            logger.warning("grant revoked: integration needs a new authorization", metadata: metadata)
            await markNeedsReauth(record, reason: reason)
            metrics.sync(record.provider, outcome: "needs_reauth")
            return .needsReauth
        case let .rateLimited(retryAfter):
            logger.notice("rate limited by the provider, backing off", metadata: metadata)
            await backOff(record, error: error.description, base: settings.rateLimitBackoff, at: retryAfter)
            metrics.sync(record.provider, outcome: "rate_limited")
            return .rateLimited
        case .notFound:
            // The calendar itself is gone (deleted at the provider): the host must pick another.
            logger.warning("calendar not found at the provider", metadata: metadata)
            await backOff(record, error: "the calendar no longer exists at the provider", base: settings.outageBackoff, at: nil)
            metrics.sync(record.provider, outcome: "failed")
            return .gone
        case .unavailable, .unauthorized, .cursorExpired, .rejected:
            logger.notice("provider unavailable, keeping the last synced data", metadata: metadata)
            await backOff(record, error: error.description, base: settings.outageBackoff, at: nil)
            metrics.sync(record.provider, outcome: "unavailable")
            return .unavailable
        }
    }

    /// Exponential backoff from `base` (doubling per failure in a row, capped), at least `at`.
    private func backOff(_ record: IntegrationRecord, error: String, base: Duration, at minimum: Duration?) async {
        let backoff = Backoff(initial: base, maximum: max(base, settings.maximumBackoff))
        var wait = backoff.delay(afterFailures: record.consecutiveFailures + 1)
        if let minimum { wait = max(wait, minimum) }
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        do {
            try await database.withConnection { session in
                try await IntegrationRepository.recordFailure(
                    record.id, error: String(error.prefix(500)), retryAt: now().addingTimeInterval(seconds), errorAfter: Self.errorAfter, in: session
                )
            }
        } catch {
            logger.error("could not record a sync failure", metadata: ["integration": "\(record.id.uuidString.lowercased())", "error": "\(String(reflecting: error))"])
        }
    }

    /// `needs_reauth`, and (once) the event that makes the notifier email the host.
    func markNeedsReauth(_ record: IntegrationRecord, reason: String) async {
        do {
            try await database.withTransaction { session in
                if try await IntegrationRepository.markNeedsReauth(record.id, reason: String(reason.prefix(500)), in: session) {
                    try await Outbox.enqueue(
                        IntegrationNeedsReauth(hostUserID: record.hostUserID, integrationID: record.id, provider: record.provider.rawValue),
                        requestID: nil, in: session
                    )
                }
            }
        } catch {
            logger.error("could not mark the integration needs_reauth", metadata: ["integration": "\(record.id.uuidString.lowercased())", "error": "\(String(reflecting: error))"])
        }
    }
}
