import Foundation
import Postgres
import SchedulingCore

/// One connected calendar as the service works with it (secrets still sealed).
package struct IntegrationRecord: Sendable, Equatable {
    package enum Status: String, Sendable, Codable {
        case active
        case needsReauth = "needs_reauth"
        case error
    }

    package var id: UUID
    package var hostUserID: UUID
    package var provider: Provider
    package var account: String
    package var calendarID: String
    package var serverURL: String?
    package var status: Status
    package var sealedSecret: String
    package var sealedAccessToken: String?
    package var accessTokenExpiresAt: Date?
    package var syncCursor: String?
    package var lastSyncedAt: Date?
    package var lastSyncError: String?
    package var consecutiveFailures: Int
    package var staleSince: Date?
    package var createdAt: Date
    /// When the whole window was last read (incremental syncs miss events that move into it).
    package var lastFullSyncAt: Date?
    /// The sync lease this record was claimed with (set by ``IntegrationRepository/claimSync``).
    package var leaseToken: UUID?
    /// The host's IANA zone (all-day events are busy for the host-local day).
    package var hostTimeZone: String

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        hostUserID = try row.decode("host_user_id")
        provider = Provider(rawValue: try row.decode("provider", as: String.self)) ?? .caldav
        account = try row.decode("account")
        calendarID = try row.decode("calendar_id")
        serverURL = try row.decode("server_url", as: String?.self)
        status = Status(rawValue: try row.decode("status", as: String.self)) ?? .error
        sealedSecret = try row.decode("sealed_secret")
        sealedAccessToken = try row.decode("sealed_access_token", as: String?.self)
        accessTokenExpiresAt = try row.decode("access_token_expires_at", as: Date?.self)
        syncCursor = try row.decode("sync_cursor", as: String?.self)
        lastSyncedAt = try row.decode("last_synced_at", as: Date?.self)
        lastSyncError = try row.decode("last_sync_error", as: String?.self)
        consecutiveFailures = try row.decode("consecutive_failures")
        staleSince = try row.decode("stale_since", as: Date?.self)
        createdAt = try row.decode("created_at")
        lastFullSyncAt = try row.decode("last_full_sync_at", as: Date?.self)
        leaseToken = try row.decode("sync_lease_token", as: UUID?.self)
        hostTimeZone = try row.decode("time_zone")
    }

    package var timeZone: TimeZone { NamedTimeZone(stored: hostTimeZone)?.timeZone ?? TimeZone(secondsFromGMT: 0)! }
}

/// A push channel (Google watch channel or Graph subscription).
package struct PushChannelRecord: Sendable, Equatable {
    package var channelID: String
    package var integrationID: UUID
    package var provider: Provider
    package var resourceID: String?
    package var tokenHash: String
    package var expiresAt: Date

    init(row: PostgresRow) throws {
        channelID = try row.decode("channel_id")
        integrationID = try row.decode("integration_id")
        provider = Provider(rawValue: try row.decode("provider", as: String.self)) ?? .google
        resourceID = try row.decode("resource_id", as: String?.self)
        tokenHash = try row.decode("token_hash")
        expiresAt = try row.decode("expires_at")
    }
}

/// The SQL of `calendar_integrations`, and of the busy time a sync writes for one
/// (`external_busy_intervals`). Push channels, OAuth states and meeting links have their own.
package enum IntegrationRepository {
    static let columns = """
        i.id, i.host_user_id, i.provider, i.account, i.calendar_id, i.server_url, i.status, i.sealed_secret,
        i.sealed_access_token, i.access_token_expires_at, i.sync_cursor, i.last_synced_at, i.last_sync_error,
        i.consecutive_failures, i.stale_since, i.created_at, i.last_full_sync_at, i.sync_lease_token, u.time_zone
        """

    // MARK: Integrations

    /// The integration, whoever owns it.
    package static func find(_ id: UUID, in session: PostgresSession) async throws -> IntegrationRecord? {
        try await session.query("""
            SELECT \(unescaped: columns) FROM calendar_integrations i JOIN users u ON u.id = i.host_user_id WHERE i.id = \(id)
            """).first.map(IntegrationRecord.init)
    }

    /// The integration if `host` owns it (another host's id looks like one that does not exist).
    package static func find(_ id: UUID, host: UUID, in session: PostgresSession) async throws -> IntegrationRecord? {
        try await session.query("""
            SELECT \(unescaped: columns) FROM calendar_integrations i JOIN users u ON u.id = i.host_user_id
            WHERE i.id = \(id) AND i.host_user_id = \(host)
            """).first.map(IntegrationRecord.init)
    }

    package static func list(host: UUID, in session: PostgresSession) async throws -> [IntegrationRecord] {
        try await session.query("""
            SELECT \(unescaped: columns) FROM calendar_integrations i JOIN users u ON u.id = i.host_user_id
            WHERE i.host_user_id = \(host) ORDER BY i.created_at, i.id
            """).map(IntegrationRecord.init)
    }

    /// The host's integrations that accept writes, oldest first.
    package static func active(host: UUID, in session: PostgresSession) async throws -> [IntegrationRecord] {
        try await session.query("""
            SELECT \(unescaped: columns) FROM calendar_integrations i JOIN users u ON u.id = i.host_user_id
            WHERE i.host_user_id = \(host) AND i.status = 'active' ORDER BY i.created_at, i.id
            """).map(IntegrationRecord.init)
    }

    /// Whether the user exists (a host deleted since its token was issued cannot connect anything).
    package static func userExists(_ id: UUID, in session: PostgresSession) async throws -> Bool {
        try await !session.query("SELECT 1 FROM users WHERE id = \(id)").isEmpty
    }

    /// Stores a connected calendar: a new row, or (connecting the same calendar again, e.g. after
    /// `needs_reauth`) the existing one with the new secret, active again. `seal` seals a secret
    /// for the row's id. Returns the id and whether the row is new.
    package static func connect(
        host: UUID, provider: Provider, account: String, calendarID: String, serverURL: String?,
        secret: String, accessToken: String?, accessTokenExpiresAt: Date?, keyID: Int,
        seal: (String, UUID) throws -> String,
        in session: PostgresSession
    ) async throws -> (id: UUID, created: Bool) {
        let existing = try await session.query("""
            SELECT id FROM calendar_integrations
            WHERE host_user_id = \(host) AND provider = \(provider.rawValue) AND account = \(account) AND calendar_id = \(calendarID)
            FOR UPDATE
            """).first.map { try $0.decode("id", as: UUID.self) }
        let id = existing ?? UUID()
        let sealedSecret = try seal(secret, id)
        let sealedAccess = try accessToken.map { try seal($0, id) }
        if existing == nil {
            try await session.query("""
                INSERT INTO calendar_integrations
                    (id, host_user_id, provider, account, calendar_id, server_url, sealed_secret, secret_key_id,
                     sealed_access_token, access_token_key_id, access_token_expires_at, sync_requested_at)
                VALUES (\(id), \(host), \(provider.rawValue), \(account), \(calendarID), \(serverURL), \(sealedSecret), \(keyID),
                        \(sealedAccess), \(sealedAccess == nil ? nil : keyID), \(accessTokenExpiresAt), now())
                """)
        } else {
            try await session.query("""
                UPDATE calendar_integrations SET
                    status = 'active', server_url = \(serverURL), sealed_secret = \(sealedSecret), secret_key_id = \(keyID),
                    sealed_access_token = \(sealedAccess), access_token_key_id = \(sealedAccess == nil ? nil : keyID),
                    access_token_expires_at = \(accessTokenExpiresAt), sync_cursor = NULL, consecutive_failures = 0,
                    retry_not_before = NULL, last_sync_error = NULL, stale_since = NULL, sync_requested_at = now(), updated_at = now()
                WHERE id = \(id)
                """)
        }
        return (id, existing == nil)
    }

    /// Deletes the integration; its busy intervals, channels and links go with it (cascade).
    package static func delete(_ id: UUID, in session: PostgresSession) async throws {
        try await session.query("DELETE FROM calendar_integrations WHERE id = \(id)")
    }

    /// Locks the row for a token refresh (one refresh at a time per integration, across instances);
    /// `NO KEY UPDATE`, so rows that reference it (busy time, links, channels) can still be written.
    package static func lockForRefresh(_ id: UUID, in session: PostgresSession) async throws -> IntegrationRecord? {
        try await session.query("""
            SELECT \(unescaped: columns) FROM calendar_integrations i JOIN users u ON u.id = i.host_user_id
            WHERE i.id = \(id) FOR NO KEY UPDATE OF i
            """).first.map(IntegrationRecord.init)
    }

    package static func storeTokens(
        _ id: UUID, sealedAccessToken: String, expiresAt: Date, sealedRefreshToken: String?, keyID: Int, in session: PostgresSession
    ) async throws {
        try await session.query("""
            UPDATE calendar_integrations SET
                sealed_access_token = \(sealedAccessToken), access_token_key_id = \(keyID), access_token_expires_at = \(expiresAt),
                sealed_secret = coalesce(\(sealedRefreshToken), sealed_secret),
                secret_key_id = CASE WHEN \(sealedRefreshToken)::text IS NULL THEN secret_key_id ELSE \(keyID) END,
                updated_at = now()
            WHERE id = \(id)
            """)
    }

    /// Marks the integration `needs_reauth` and its busy data stale; true when it was not already.
    package static func markNeedsReauth(_ id: UUID, reason: String, in session: PostgresSession) async throws -> Bool {
        try await session.query("""
            UPDATE calendar_integrations SET status = 'needs_reauth', stale_since = coalesce(stale_since, now()),
                last_sync_error = \(reason), sealed_access_token = NULL, access_token_expires_at = NULL, updated_at = now()
            WHERE id = \(id) AND status <> 'needs_reauth'
            """).affectedRows == 1
    }

    // MARK: Sync bookkeeping

    /// Asks for a sync of the integration (a push, the poller, a host); the sync coalesces requests.
    package static func requestSync(_ id: UUID, in session: PostgresSession) async throws {
        try await session.query("""
            UPDATE calendar_integrations SET sync_requested_at = now() WHERE id = \(id) AND sync_requested_at IS NULL
            """)
    }

    /// Takes the sync lease when no other instance holds it and no backoff is running (unless
    /// `ignoringBackoff`); clears the request flag. Nil: not now.
    package static func claimSync(_ id: UUID, lease: Duration, ignoringBackoff: Bool, in session: PostgresSession) async throws -> IntegrationRecord? {
        let seconds = Double(lease.components.seconds)
        let rows = try await session.query("""
            UPDATE calendar_integrations i SET sync_lease_until = now() + make_interval(secs => \(seconds)), sync_requested_at = NULL,
                sync_lease_token = \(UUID())
            FROM users u
            WHERE i.id = \(id) AND u.id = i.host_user_id AND i.status <> 'needs_reauth'
              AND (i.sync_lease_until IS NULL OR i.sync_lease_until < now())
              AND (\(ignoringBackoff) OR i.retry_not_before IS NULL OR i.retry_not_before <= now())
            RETURNING \(unescaped: columns)
            """)
        return try rows.first.map(IntegrationRecord.init)
    }

    /// Gives the lease back if `token` still holds it (a sync that outlived its lease must not
    /// clear the lease another instance took since); true when another sync was asked for meanwhile.
    package static func releaseSync(_ id: UUID, token: UUID?, in session: PostgresSession) async throws -> Bool {
        let rows = try await session.query("""
            UPDATE calendar_integrations SET sync_lease_until = NULL, sync_lease_token = NULL
            WHERE id = \(id) AND sync_lease_token = \(token)
            RETURNING sync_requested_at IS NOT NULL AS again
            """)
        return try rows.first?.decode("again", as: Bool.self) ?? false
    }

    /// Writes what a sync read. Returns whether any stored busy block changed.
    package static func apply(
        _ changes: CalendarChanges, to integration: IntegrationRecord, ignoring ownEvents: Set<String>, in session: PostgresSession
    ) async throws -> Bool {
        let busy = changes.busy.filter { !ownEvents.contains($0.externalID) && !$0.externalID.hasSuffix("@rendezvous") }
        var changed = 0
        if changes.kind == .full {
            let keep = busy.map(\.externalID)
            changed += try await session.query("""
                DELETE FROM external_busy_intervals WHERE integration_id = \(integration.id) AND NOT (external_event_id = ANY(\(keep)::text[]))
                """).affectedRows
        } else if !changes.removedIDs.isEmpty {
            changed += try await session.query("""
                DELETE FROM external_busy_intervals WHERE integration_id = \(integration.id) AND external_event_id = ANY(\(changes.removedIDs)::text[])
                """).affectedRows
        }
        if !busy.isEmpty {
            // Insert new blocks and move changed ones; unchanged rows are not touched (and not counted).
            changed += try await session.query("""
                INSERT INTO external_busy_intervals (host_user_id, integration_id, external_event_id, start_time, end_time)
                SELECT \(integration.hostUserID), \(integration.id), e.id, e.s, e.e
                FROM unnest(\(busy.map(\.externalID))::text[], \(busy.map(\.start))::timestamptz[], \(busy.map(\.end))::timestamptz[]) AS e (id, s, e)
                ON CONFLICT (integration_id, external_event_id) DO UPDATE
                    SET start_time = excluded.start_time, end_time = excluded.end_time, updated_at = now()
                    WHERE external_busy_intervals.start_time <> excluded.start_time OR external_busy_intervals.end_time <> excluded.end_time
                """).affectedRows
        }
        // A meeting the service wrote whose link committed after this sync read it (the write-back
        // and the sync run concurrently) must not stay behind as busy time.
        changed += try await session.query("""
            DELETE FROM external_busy_intervals b USING calendar_event_links l
            WHERE b.integration_id = \(integration.id) AND l.integration_id = b.integration_id AND l.external_event_id = b.external_event_id
            """).affectedRows
        return changed > 0
    }

    /// A sync succeeded: new cursor, active (unless the grant was revoked meanwhile), failures cleared.
    package static func recordSuccess(_ id: UUID, cursor: String?, full: Bool, in session: PostgresSession) async throws {
        try await session.query("""
            UPDATE calendar_integrations SET sync_cursor = \(cursor), last_synced_at = now(), last_sync_error = NULL,
                consecutive_failures = 0, retry_not_before = NULL,
                status = CASE WHEN status = 'needs_reauth' THEN status ELSE 'active' END,
                stale_since = CASE WHEN status = 'needs_reauth' THEN stale_since END,
                last_full_sync_at = CASE WHEN \(full) THEN now() ELSE last_full_sync_at END,
                updated_at = now()
            WHERE id = \(id)
            """)
    }

    /// A sync failed for a reason that may pass: back off until `retryAt`; after `errorAfter` failures in a row the status is `error`.
    package static func recordFailure(_ id: UUID, error: String, retryAt: Date, errorAfter: Int, in session: PostgresSession) async throws {
        try await session.query("""
            UPDATE calendar_integrations SET last_sync_error = \(error), consecutive_failures = consecutive_failures + 1,
                retry_not_before = \(retryAt), stale_since = coalesce(stale_since, now()),
                status = CASE WHEN consecutive_failures + 1 >= \(errorAfter) AND status = 'active' THEN 'error' ELSE status END,
                updated_at = now()
            WHERE id = \(id)
            """)
    }

    /// Integrations to sync now: asked for, never synced, older than `staleAfter`, or a push
    /// integration without a live channel; not in backoff, not leased, not needing a new grant.
    package static func dueForSync(staleAfter: Duration, limit: Int, hosts: [UUID]? = nil, in session: PostgresSession) async throws -> [UUID] {
        let seconds = Double(staleAfter.components.seconds)
        return try await session.query("""
            SELECT i.id FROM calendar_integrations i
            WHERE i.status <> 'needs_reauth'
              AND (\(hosts == nil) OR i.host_user_id = ANY(\(hosts ?? [])::uuid[]))
              AND (i.retry_not_before IS NULL OR i.retry_not_before <= now())
              AND (i.sync_lease_until IS NULL OR i.sync_lease_until < now())
              AND (i.sync_requested_at IS NOT NULL
                   OR i.last_synced_at IS NULL
                   OR i.last_synced_at < now() - make_interval(secs => \(seconds))
                   OR (i.provider <> 'caldav' AND NOT EXISTS (
                        SELECT 1 FROM calendar_push_channels c WHERE c.integration_id = i.id AND c.expires_at > now())
                       AND i.last_synced_at < now() - make_interval(secs => \(min(seconds, 60.0)))))
            ORDER BY i.last_synced_at NULLS FIRST
            LIMIT \(limit)
            """).map { try $0.decode("id", as: UUID.self) }
    }
}
