import Foundation
import Logging
import Postgres

/// Registers, renews and stops provider push channels: Google watch channels (they cannot be
/// extended: a new channel replaces the old, then the old is stopped) and Graph subscriptions
/// (extended by PATCH). The channel token / clientState is a random secret; only its hash is kept.
package struct PushChannels: Sendable {
    let database: PostgresClient
    let gateway: CalendarGateway
    let settings: IntegrationSettings
    let logger: Logger

    package init(database: PostgresClient, gateway: CalendarGateway, settings: IntegrationSettings, logger: Logger) {
        self.database = database
        self.gateway = gateway
        self.settings = settings
        self.logger = logger
    }

    /// Graph limits calendar subscriptions to just under 7 days.
    var graphLifetime: Duration { min(settings.channelLifetime, .seconds(4230 * 60)) }

    /// Opens a channel for the integration (Google, Microsoft; CalDAV has none: the poller covers it).
    package func register(_ record: IntegrationRecord) async throws {
        switch record.provider {
        case .google:
            guard let google = gateway.google else { return }
            let channelID = UUID().uuidString.lowercased()
            let token = try CredentialVault.randomSecret()
            // Stored before the watch call: Google's first ("sync") message may arrive before it returns.
            try await database.withConnection { session in
                try await PushChannelRepository.insertChannel(
                    channelID: channelID, integration: record.id, provider: .google, resourceID: nil,
                    tokenHash: CredentialVault.digest(token), expiresAt: Date().addingTimeInterval(300), in: session
                )
            }
            do {
                let (resourceID, expiresAt) = try await gateway.withAccessToken(record) { accessToken in
                    try await google.watch(
                        calendarID: record.calendarID, channelID: channelID, address: settings.googleWebhookURL, token: token,
                        lifetime: settings.channelLifetime, accessToken: accessToken
                    )
                }
                try await database.withConnection { session in
                    try await PushChannelRepository.insertChannel(
                        channelID: channelID, integration: record.id, provider: .google, resourceID: resourceID,
                        tokenHash: CredentialVault.digest(token), expiresAt: expiresAt, in: session
                    )
                }
            } catch {
                _ = try? await database.withConnection { try await PushChannelRepository.deleteChannel(channelID, in: $0) }
                throw error
            }
        case .microsoft:
            guard let microsoft = gateway.microsoft else { return }
            let clientState = try CredentialVault.randomSecret()
            let (subscriptionID, expiresAt) = try await gateway.withAccessToken(record) { accessToken in
                try await microsoft.subscribe(
                    calendarID: record.calendarID, notificationURL: settings.microsoftWebhookURL, clientState: clientState,
                    lifetime: graphLifetime, accessToken: accessToken
                )
            }
            try await database.withConnection { session in
                try await PushChannelRepository.insertChannel(
                    channelID: subscriptionID, integration: record.id, provider: .microsoft, resourceID: nil,
                    tokenHash: CredentialVault.digest(clientState), expiresAt: expiresAt, in: session
                )
            }
        case .caldav:
            return
        }
        logger.info("push channel registered", metadata: ["integration": "\(record.id.uuidString.lowercased())", "provider": "\(record.provider.rawValue)"])
    }

    /// Extends a channel before it expires.
    package func renew(_ channel: PushChannelRecord, of record: IntegrationRecord) async throws {
        switch channel.provider {
        case .google:
            try await register(record)
            try await stop(channel, of: record)
        case .microsoft:
            guard let microsoft = gateway.microsoft else { return }
            do {
                let expiresAt = try await gateway.withAccessToken(record) { accessToken in
                    try await microsoft.renew(subscriptionID: channel.channelID, lifetime: graphLifetime, accessToken: accessToken)
                }
                try await database.withConnection { try await PushChannelRepository.updateChannelExpiry(channel.channelID, expiresAt: expiresAt, in: $0) }
            } catch ProviderError.notFound {
                // Graph removed it: open a new one.
                try await database.withConnection { try await PushChannelRepository.deleteChannel(channel.channelID, in: $0) }
                try await register(record)
            }
        case .caldav:
            return
        }
    }

    /// Stops a channel at the provider (best effort: it expires anyway) and forgets it.
    package func stop(_ channel: PushChannelRecord, of record: IntegrationRecord) async throws {
        do {
            switch channel.provider {
            case .google:
                if let google = gateway.google, let resourceID = channel.resourceID {
                    try await gateway.withAccessToken(record) { try await google.stop(channelID: channel.channelID, resourceID: resourceID, accessToken: $0) }
                }
            case .microsoft:
                if let microsoft = gateway.microsoft {
                    try await gateway.withAccessToken(record) { try await microsoft.unsubscribe(subscriptionID: channel.channelID, accessToken: $0) }
                }
            case .caldav:
                break
            }
        } catch {
            logger.notice("could not stop a push channel at the provider; it will expire", metadata: [
                "integration": "\(record.id.uuidString.lowercased())", "channel": "\(channel.channelID)", "error": "\(String(reflecting: error))",
            ])
        }
        try await database.withConnection { try await PushChannelRepository.deleteChannel(channel.channelID, in: $0) }
    }
}
