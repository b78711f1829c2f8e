import Curl
import Foundation

/// Tokens from an OAuth 2.0 token endpoint (RFC 6749 §5.1).
package struct OAuthTokens: Sendable, Equatable {
    package var accessToken: String
    /// Google returns one only on the first exchange; Microsoft returns a new one on every refresh.
    package var refreshToken: String?
    package var expiresAt: Date
}

/// The token endpoint calls: the authorization-code exchange with the PKCE verifier, and refresh.
/// Both are form-encoded POSTs, as Google and the Microsoft identity platform document.
package struct OAuthTokenClient: Sendable {
    let http: ProviderHTTP
    let settings: IntegrationSettings.OAuthProvider

    package init(http: ProviderHTTP, settings: IntegrationSettings.OAuthProvider) {
        self.http = http
        self.settings = settings
    }

    package func exchange(code: String, verifier: String, redirectURI: String, now: Date = Date()) async throws -> OAuthTokens {
        try await request([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("client_id", settings.clientID), ("client_secret", settings.clientSecret), ("code_verifier", verifier),
        ], now: now)
    }

    package func refresh(refreshToken: String, now: Date = Date()) async throws -> OAuthTokens {
        try await request([
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken),
            ("client_id", settings.clientID), ("client_secret", settings.clientSecret),
            ("scope", settings.scopes.joined(separator: " ")),
        ], now: now)
    }

    private struct TokenResponse: Decodable {
        var access_token: String
        var refresh_token: String?
        var expires_in: Int?
    }

    private struct ErrorResponse: Decodable {
        var error: String
        var error_description: String?
    }

    private func request(_ fields: [(String, String)], now: Date) async throws -> OAuthTokens {
        var request = HTTPClientRequest.form(url: settings.tokenURL, fields: fields)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await http.send(request)
        if response.isSuccess {
            guard let token = try? response.decode(TokenResponse.self), !token.access_token.isEmpty else {
                throw ProviderError.rejected(status: response.status, detail: "token response without access_token")
            }
            return OAuthTokens(
                accessToken: token.access_token, refreshToken: token.refresh_token,
                expiresAt: now.addingTimeInterval(TimeInterval(token.expires_in ?? 3600))
            )
        }
        // RFC 6749 §5.2: 400 with {"error": "invalid_grant"} means the code or refresh token is
        // revoked, expired or used; the host has to connect again.
        if let failure = try? response.decode(ErrorResponse.self) {
            if failure.error == "invalid_grant" {
                throw ProviderError.invalidGrant(failure.error_description ?? "invalid_grant")
            }
            if (500 ... 599).contains(response.status) || response.status == 429 {
                throw ProviderHTTP.error(for: response)
            }
            throw ProviderError.rejected(status: response.status, detail: failure.error + (failure.error_description.map { ": \($0)" } ?? ""))
        }
        throw ProviderHTTP.error(for: response)
    }
}
