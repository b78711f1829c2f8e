import Cryptography
import Curl
import Foundation
import Logging
import Postgres

/// The OAuth 2.0 authorization-code flow with `state` and PKCE (RFC 7636, S256), for Google and Microsoft.
///
/// `start` makes a random single-use `state` bound to the host (only its SHA-256 is stored, with
/// a 10-minute expiry) and a random PKCE verifier (stored sealed; only its S256 challenge leaves
/// the server); `finish` takes the state back (deleting it: a second use fails), exchanges the
/// code with the verifier, and returns the tokens for the host the state was made for.
package struct OAuthFlow: Sendable {
    let database: PostgresClient
    let vault: CredentialVault
    let settings: IntegrationSettings
    let http: ProviderHTTP
    static let stateLifetime: TimeInterval = 600

    package struct Started: Sendable {
        package var authorizationURL: String
        package var state: String
        package var expiresAt: Date
    }

    package struct Finished: Sendable {
        package var host: UUID
        package var tokens: OAuthTokens
    }

    package enum Failure: Error, Equatable {
        case notConfigured
        /// The state is unknown, used, expired, or was made for another provider.
        case invalidState
    }

    package func start(provider: Provider, host: UUID, now: Date = Date()) async throws -> Started {
        guard let oauth = settings.oauth(provider) else { throw Failure.notConfigured }
        let state = try CredentialVault.randomSecret()
        let verifier = try CredentialVault.randomSecret()  // 43 characters of [A-Za-z0-9_-], as RFC 7636 asks
        let challenge = Base64URL.encode(SHA256.hash(Array(verifier.utf8)))
        let stateHash = CredentialVault.digest(state)
        let redirectURI = settings.redirectURI(for: provider)
        let expiresAt = now.addingTimeInterval(Self.stateLifetime)
        try await database.withConnection { session in
            try await OAuthStateRepository.insertState(
                hash: stateHash, host: host, provider: provider, sealedVerifier: try vault.seal(verifier, boundTo: stateHash),
                redirectURI: redirectURI, expiresAt: expiresAt, in: session
            )
        }
        var query: [(String, String)] = [
            ("client_id", oauth.clientID), ("redirect_uri", redirectURI), ("response_type", "code"),
            ("scope", oauth.scopes.joined(separator: " ")), ("state", state),
            ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        switch provider {
        case .google: query += [("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true")]
        case .microsoft: query += [("response_mode", "query")]
        case .caldav: break
        }
        return Started(authorizationURL: ProviderHTTP.url(oauth.authorizeURL, "", query: query), state: state, expiresAt: expiresAt)
    }

    package func finish(provider: Provider, code: String, state: String) async throws -> Finished {
        guard let oauth = settings.oauth(provider) else { throw Failure.notConfigured }
        let stateHash = CredentialVault.digest(state)
        guard let taken = try await database.withConnection({ try await OAuthStateRepository.consumeState(hash: stateHash, provider: provider, in: $0) }) else {
            throw Failure.invalidState
        }
        let verifier = try vault.open(taken.sealedVerifier, boundTo: stateHash)
        let tokens = try await OAuthTokenClient(http: http, settings: oauth).exchange(code: code, verifier: verifier, redirectURI: taken.redirectURI)
        return Finished(host: taken.host, tokens: tokens)
    }
}
