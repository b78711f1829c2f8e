import Events
import Foundation
import Logging
import Postgres
import ServiceRuntime

/// What connecting, syncing and disconnecting a calendar does, decided here; the controllers
/// parse requests and turn ``Failure``s into problems. Work a request starts but does not wait
/// for (the first sync, the push channel) goes to the service group's ``BackgroundWork``.
struct IntegrationWorkflow: Sendable {
    let database: PostgresClient
    let flow: OAuthFlow
    let gateway: CalendarGateway
    let vault: CredentialVault
    let coordinator: SyncCoordinator
    let channels: PushChannels
    let work: BackgroundWork
    let logger: Logger

    /// Why a connection was not made.
    enum Failure: Error {
        /// The OAuth `state` is unknown, expired or already used.
        case invalidState
        /// The provider has no client configured on this server.
        case notConfigured
        /// The provider granted no refresh token (no offline access).
        case noRefreshToken
        /// The provider, or the CalDAV server, refused or could not be reached.
        case provider(ProviderError)
    }

    // MARK: Connect

    /// Finishes an OAuth flow: exchanges `code` (with the flow's PKCE verifier), reads the primary
    /// calendar with the new token, stores the tokens sealed, and starts the first sync and push.
    func finishOAuth(provider: Provider, code: String, state: String, requestID: String) async throws -> IntegrationRecord {
        let finished: OAuthFlow.Finished
        do {
            finished = try await flow.finish(provider: provider, code: code, state: state)
        } catch OAuthFlow.Failure.invalidState {
            throw Failure.invalidState
        } catch OAuthFlow.Failure.notConfigured {
            throw Failure.notConfigured
        } catch let error as ProviderError {
            throw Failure.provider(error)
        }
        guard let refreshToken = finished.tokens.refreshToken else { throw Failure.noRefreshToken }
        let calendar: (id: String, account: String)
        do {
            switch provider {
            case .google:
                guard let google = gateway.google else { throw Failure.notConfigured }
                let primary = try await google.primaryCalendar(accessToken: finished.tokens.accessToken)
                calendar = (primary.id, primary.id)
            case .microsoft:
                guard let microsoft = gateway.microsoft else { throw Failure.notConfigured }
                calendar = try await microsoft.primaryCalendar(accessToken: finished.tokens.accessToken)
            case .caldav:
                throw Failure.notConfigured
            }
        } catch let error as ProviderError {
            throw Failure.provider(error)
        }
        return try await connect(
            host: finished.host, provider: provider, account: calendar.account, calendarID: calendar.id, serverURL: nil,
            secret: refreshToken, accessToken: finished.tokens.accessToken, expiresAt: finished.tokens.expiresAt, requestID: requestID
        )
    }

    /// Spends the `state` of a flow the host declined (or the provider refused).
    func abandonOAuth(provider: Provider, state: String) async {
        _ = try? await database.withConnection {
            try await OAuthStateRepository.consumeState(hash: CredentialVault.digest(state), provider: provider, in: $0)
        }
    }

    /// Connects a CalDAV calendar: checks `calendarURL`, or discovers the account's calendar, then
    /// stores the password sealed and starts the first sync.
    func connectCalDAV(
        host: UUID, serverURL: String, username: String, password: String, calendarURL: String?, requestID: String
    ) async throws -> IntegrationRecord {
        let client = CalDAVClient(http: gateway.curl, serverURL: serverURL, username: username, password: password)
        let calendar: String
        do {
            if let calendarURL {
                try await client.verifyCalendar(calendarURL)
                calendar = calendarURL
            } else {
                calendar = try await client.discoverCalendar()
            }
        } catch let error as ProviderError {
            throw Failure.provider(error)
        }
        return try await connect(
            host: host, provider: .caldav, account: username, calendarID: calendar, serverURL: serverURL,
            secret: password, accessToken: nil, expiresAt: nil, requestID: requestID
        )
    }

    // MARK: Sync and disconnect

    /// Asks for a sync of `record` now, past any backoff.
    func requestSync(_ record: IntegrationRecord) async throws {
        try await database.withConnection { try await IntegrationRepository.requestSync(record.id, in: $0) }
        await coordinator.request(record.id, ignoringBackoff: true)
    }

    /// Stops the pushes (best effort: a channel we cannot stop expires on its own), deletes the
    /// integration and its busy time, and tells the availability service the host's slots changed.
    func disconnect(_ record: IntegrationRecord, requestID: String) async throws {
        let channelList = try await database.withConnection { try await PushChannelRepository.channels(integration: record.id, in: $0) }
        for channel in channelList {
            try? await channels.stop(channel, of: record)
        }
        try await database.withTransaction { session in
            try await IntegrationRepository.delete(record.id, in: session)
            try await Outbox.enqueue(
                CalendarSynced(hostUserID: record.hostUserID, integrationID: record.id, provider: record.provider.rawValue, changed: true),
                requestID: requestID, in: session
            )
        }
        logger.info("calendar disconnected", metadata: ["integration": "\(record.id.uuidString.lowercased())", "provider": "\(record.provider.rawValue)"])
    }

    // MARK: Subscriptions

    /// Renews (reauthorizationRequired) or replaces (subscriptionRemoved) a subscription, behind the response.
    func renew(_ channel: PushChannelRecord, recreate: Bool) {
        let database = database
        let channels = channels
        let logger = logger
        work.submit("subscription lifecycle") {
            do {
                guard let record = try await database.withConnection({ try await IntegrationRepository.find(channel.integrationID, in: $0) }),
                      record.status == .active else { return }
                if recreate {
                    try await database.withConnection { try await PushChannelRepository.deleteChannel(channel.channelID, in: $0) }
                    try await channels.register(record)
                } else {
                    try await channels.renew(channel, of: record)
                }
            } catch {
                logger.notice("subscription lifecycle handling failed; the poller covers the integration", metadata: [
                    "subscription": "\(channel.channelID)", "error": "\(String(reflecting: error))",
                ])
            }
        }
    }

    // MARK: Steps

    private func connect(
        host: UUID, provider: Provider, account: String, calendarID: String, serverURL: String?,
        secret: String, accessToken: String?, expiresAt: Date?, requestID: String
    ) async throws -> IntegrationRecord {
        let vault = vault
        let record = try await database.withTransaction { session in
            let (id, _) = try await IntegrationRepository.connect(
                host: host, provider: provider, account: account, calendarID: calendarID, serverURL: serverURL,
                secret: secret, accessToken: accessToken, accessTokenExpiresAt: expiresAt, keyID: vault.keyID,
                seal: { try vault.seal($0, for: $1) }, in: session
            )
            guard let record = try await IntegrationRepository.find(id, in: session) else { throw Problem.notFound() }
            return record
        }
        startWork(record)
        return record
    }

    /// The first sync and the push channel, behind the response.
    private func startWork(_ record: IntegrationRecord) {
        let coordinator = coordinator
        let channels = channels
        let logger = logger
        let database = database
        work.submit("first sync and push channel") {
            await coordinator.request(record.id, ignoringBackoff: true)
            guard record.provider.usesOAuth else { return }
            do {
                for channel in try await database.withConnection({ try await PushChannelRepository.channels(integration: record.id, in: $0) }) {
                    try await channels.stop(channel, of: record)
                }
                try await channels.register(record)
            } catch {
                logger.notice("push registration failed; the poller covers the integration", metadata: [
                    "integration": "\(record.id.uuidString.lowercased())", "error": "\(String(reflecting: error))",
                ])
            }
        }
    }
}
