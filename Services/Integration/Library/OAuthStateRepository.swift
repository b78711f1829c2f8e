import Foundation
import Postgres

/// The SQL of the OAuth `state`s of flows in progress (single use, expiring).
package enum OAuthStateRepository {
    package static func insertState(
        hash: String, host: UUID, provider: Provider, sealedVerifier: String, redirectURI: String, expiresAt: Date, in session: PostgresSession
    ) async throws {
        try await session.query("""
            INSERT INTO oauth_states (state_hash, host_user_id, provider, sealed_code_verifier, redirect_uri, expires_at)
            VALUES (\(hash), \(host), \(provider.rawValue), \(sealedVerifier), \(redirectURI), \(expiresAt))
            """)
    }

    /// Takes the state (single use): nil when unknown, used, expired or for another provider.
    package static func consumeState(
        hash: String, provider: Provider, in session: PostgresSession
    ) async throws -> (host: UUID, sealedVerifier: String, redirectURI: String)? {
        let rows = try await session.query("""
            DELETE FROM oauth_states WHERE state_hash = \(hash)
            RETURNING host_user_id, provider, sealed_code_verifier, redirect_uri, expires_at > now() AS live
            """)
        guard let row = rows.first, try row.decode("live", as: Bool.self), try row.decode("provider", as: String.self) == provider.rawValue else {
            return nil
        }
        return (try row.decode("host_user_id"), try row.decode("sealed_code_verifier"), try row.decode("redirect_uri"))
    }

    @discardableResult
    package static func purgeExpiredStates(in session: PostgresSession) async throws -> Int {
        try await session.query("DELETE FROM oauth_states WHERE expires_at < now()").affectedRows
    }
}
