import Foundation
import Logging
import Postgres

/// Hands out valid access tokens: a token that expires within 5 minutes is refreshed first.
///
/// One refresh at a time per integration, even under concurrent syncs and write-backs: within this
/// instance callers share one refresh task; across instances the refresh runs with the
/// integration's row locked (`SELECT … FOR UPDATE`), and a caller that got the lock after another
/// instance refreshed finds the new token and uses it.
package actor TokenManager {
    let database: PostgresClient
    let vault: CredentialVault
    let settings: IntegrationSettings
    let http: ProviderHTTP
    let metrics = IntegrationMetrics()
    let logger: Logger
    let now: @Sendable () -> Date
    /// Refresh this long before expiry.
    static let margin: TimeInterval = 300

    private var refreshing: [UUID: Task<String, any Error>] = [:]

    package init(database: PostgresClient, vault: CredentialVault, settings: IntegrationSettings, http: ProviderHTTP, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.vault = vault
        self.settings = settings
        self.http = http
        self.logger = logger
        self.now = now
    }

    /// A usable access token. `rejected` is a token the provider just refused (401): refresh
    /// unless someone already replaced it. Throws `ProviderError.invalidGrant` when the grant is gone.
    package func accessToken(for record: IntegrationRecord, rejected: String? = nil) async throws -> String {
        if rejected == nil, let sealed = record.sealedAccessToken, let expiry = record.accessTokenExpiresAt,
           expiry.timeIntervalSince(now()) > Self.margin {
            return try vault.open(sealed, for: record.id)
        }
        if let running = refreshing[record.id] {
            return try await running.value
        }
        let task = Task { try await self.refresh(record, rejected: rejected) }  // unstructured: one refresh every caller awaits
        refreshing[record.id] = task
        defer { refreshing[record.id] = nil }
        return try await task.value
    }

    private func refresh(_ record: IntegrationRecord, rejected: String?) async throws -> String {
        guard let oauth = settings.oauth(record.provider) else {
            throw ProviderError.rejected(status: 0, detail: "\(record.provider.rawValue) is not configured")
        }
        let vault = vault
        let now = now
        let client = OAuthTokenClient(http: http, settings: oauth)
        do {
            let token: String = try await database.withTransaction { session in
                guard let current = try await IntegrationRepository.lockForRefresh(record.id, in: session) else {
                    throw ProviderError.notFound
                }
                guard current.status != .needsReauth else { throw ProviderError.invalidGrant("integration needs a new authorization") }
                // Another caller (or instance) refreshed while we waited for the lock.
                if let sealed = current.sealedAccessToken, let expiry = current.accessTokenExpiresAt, expiry.timeIntervalSince(now()) > Self.margin {
                    let token = try vault.open(sealed, for: record.id)
                    if token != rejected { return token }
                }
                let refreshToken = try vault.open(current.sealedSecret, for: record.id)
                let tokens = try await client.refresh(refreshToken: refreshToken, now: now())
                try await IntegrationRepository.storeTokens(
                    record.id, sealedAccessToken: try vault.seal(tokens.accessToken, for: record.id), expiresAt: tokens.expiresAt,
                    sealedRefreshToken: try tokens.refreshToken.map { try vault.seal($0, for: record.id) }, keyID: vault.keyID, in: session
                )
                return tokens.accessToken
            }
            metrics.tokenRefresh(record.provider, outcome: "refreshed")
            return token
        } catch let error as ProviderError {
            metrics.tokenRefresh(record.provider, outcome: {
                if case .invalidGrant = error { return "invalid_grant" }
                return "failed"
            }())
            throw error
        }
    }
}
