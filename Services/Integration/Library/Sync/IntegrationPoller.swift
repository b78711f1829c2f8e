import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// The safety net under push: every `pollInterval` it asks for a sync of every integration whose
/// last sync is older than `staleAfter`, that never synced, that asked for one, or whose push
/// channel is missing; renews channels that expire within a day; opens channels that are missing;
/// and deletes expired OAuth states.
package struct IntegrationPoller: Service {
    let database: PostgresClient
    let coordinator: SyncCoordinator
    let channels: PushChannels
    let settings: IntegrationSettings
    let logger: Logger
    let metrics = IntegrationMetrics()
    /// Only these hosts' integrations (tests share one database); nil: all.
    let hosts: [UUID]?

    package init(
        database: PostgresClient, coordinator: SyncCoordinator, channels: PushChannels, settings: IntegrationSettings,
        logger: Logger, hosts: [UUID]? = nil
    ) {
        self.hosts = hosts
        self.database = database
        self.coordinator = coordinator
        self.channels = channels
        self.settings = settings
        self.logger = logger
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await pollOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
        }
    }

    /// One round (tests call it directly).
    package func pollOnce() async {
        do {
            let due = try await database.withConnection { session in
                try await IntegrationRepository.dueForSync(staleAfter: settings.staleAfter, limit: 200, hosts: hosts, in: session)
            }
            for id in due { await coordinator.request(id) }

            let expiring = try await database.withConnection { session in
                try await PushChannelRepository.expiringChannels(within: settings.channelRenewBefore, hosts: hosts, in: session)
            }
            for channel in expiring {
                guard let record = try await database.withConnection({ try await IntegrationRepository.find(channel.integrationID, in: $0) }) else { continue }
                do {
                    try await channels.renew(channel, of: record)
                } catch {
                    logger.notice("push channel renewal failed; the poller covers the integration", metadata: [
                        "integration": "\(record.id.uuidString.lowercased())", "error": "\(String(reflecting: error))",
                    ])
                }
            }

            let missing = try await database.withConnection { session in
                try await PushChannelRepository.withoutChannel(limit: 50, hosts: hosts, in: session)
            }
            for id in missing {
                guard let record = try await database.withConnection({ try await IntegrationRepository.find(id, in: $0) }) else { continue }
                do {
                    try await channels.register(record)
                } catch {
                    logger.debug("push channel registration failed; polling instead", metadata: ["integration": "\(id.uuidString.lowercased())", "error": "\(String(reflecting: error))"])
                }
            }

            let (purged, reauth) = try await database.withConnection { session in
                let purged = try await OAuthStateRepository.purgeExpiredStates(in: session)
                let reauth = try await session.query("SELECT count(*) AS n FROM calendar_integrations WHERE status = 'needs_reauth'")
                return (purged, try reauth.first?.decode("n", as: Int.self) ?? 0)
            }
            metrics.needingReauth(reauth)
            if purged > 0 { logger.debug("expired OAuth states deleted", metadata: ["count": "\(purged)"]) }
        } catch {
            logger.warning("poll round failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
