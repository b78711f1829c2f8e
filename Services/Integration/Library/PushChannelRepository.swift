import Foundation
import Postgres

/// The SQL of `calendar_push_channels`: Google watch channels and Graph subscriptions.
package enum PushChannelRepository {
    package static func insertChannel(
        channelID: String, integration: UUID, provider: Provider, resourceID: String?, tokenHash: String, expiresAt: Date,
        in session: PostgresSession
    ) async throws {
        try await session.query("""
            INSERT INTO calendar_push_channels (channel_id, integration_id, provider, resource_id, token_hash, expires_at)
            VALUES (\(channelID), \(integration), \(provider.rawValue), \(resourceID), \(tokenHash), \(expiresAt))
            ON CONFLICT (channel_id) DO UPDATE SET resource_id = excluded.resource_id, token_hash = excluded.token_hash,
                expires_at = excluded.expires_at
            """)
    }

    package static func channel(_ id: String, in session: PostgresSession) async throws -> PushChannelRecord? {
        try await session.query("SELECT * FROM calendar_push_channels WHERE channel_id = \(id)").first.map(PushChannelRecord.init)
    }

    package static func channels(integration: UUID, in session: PostgresSession) async throws -> [PushChannelRecord] {
        try await session.query("SELECT * FROM calendar_push_channels WHERE integration_id = \(integration)").map(PushChannelRecord.init)
    }

    /// Channels of active OAuth integrations that expire within `within`.
    package static func expiringChannels(within: Duration, hosts: [UUID]? = nil, in session: PostgresSession) async throws -> [PushChannelRecord] {
        let seconds = Double(within.components.seconds)
        return try await session.query("""
            SELECT c.* FROM calendar_push_channels c JOIN calendar_integrations i ON i.id = c.integration_id
            WHERE i.status = 'active' AND c.expires_at < now() + make_interval(secs => \(seconds))
              AND (\(hosts == nil) OR i.host_user_id = ANY(\(hosts ?? [])::uuid[]))
            ORDER BY c.expires_at LIMIT 100
            """).map(PushChannelRecord.init)
    }

    /// Active OAuth integrations with no channel at all (registration failed, or a channel was removed).
    package static func withoutChannel(limit: Int, hosts: [UUID]? = nil, in session: PostgresSession) async throws -> [UUID] {
        try await session.query("""
            SELECT i.id FROM calendar_integrations i
            WHERE i.status = 'active' AND i.provider IN ('google', 'microsoft')
              AND (\(hosts == nil) OR i.host_user_id = ANY(\(hosts ?? [])::uuid[]))
              AND NOT EXISTS (SELECT 1 FROM calendar_push_channels c WHERE c.integration_id = i.id)
              AND (i.retry_not_before IS NULL OR i.retry_not_before <= now())
            LIMIT \(limit)
            """).map { try $0.decode("id", as: UUID.self) }
    }

    package static func updateChannelExpiry(_ id: String, expiresAt: Date, in session: PostgresSession) async throws {
        try await session.query("UPDATE calendar_push_channels SET expires_at = \(expiresAt) WHERE channel_id = \(id)")
    }

    package static func deleteChannel(_ id: String, in session: PostgresSession) async throws {
        try await session.query("DELETE FROM calendar_push_channels WHERE channel_id = \(id)")
    }
}
