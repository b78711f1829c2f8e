import Cryptography
import Curl
import Foundation

/// The authorization-code flow with PKCE (RFC 6749, RFC 7636) and refresh, for one registered
/// client and one user, as a value type: the fakes keep it under their lock and map its
/// failures to each provider's error bodies.
struct OAuthAuthority: Sendable {
    /// A code handed out at the authorize endpoint.
    struct PendingCode: Sendable {
        var redirectURI: String
        var challenge: String
        var scope: String
        var issuedAt: Date
        var redeemed = false
    }

    /// Tokens the token endpoint grants.
    struct Grant: Sendable {
        var accessToken: String
        var refreshToken: String?
        var scope: String
        var expiresIn: Int
    }

    /// Why an authorize request is refused (an error page, not a redirect).
    enum AuthorizeOutcome: Sendable {
        case redirect(location: String)
        case refused(reason: String)
    }

    /// Why a token request fails.
    enum TokenFailure: Error, Sendable, Equatable {
        case invalidRequest(missing: String)
        case unsupportedGrantType(String)
        case invalidClient
        case unknownCode
        case codeAlreadyRedeemed
        case redirectMismatch
        case verifierMismatch
        case refreshTokenRevoked
    }

    let clientID: String
    let clientSecret: String
    /// Microsoft issues a new refresh token with every refresh; Google does not.
    let rotatesRefreshTokens: Bool
    /// Prefixes that make tokens look like the provider's (`ya29.`, `1//`, `4/`).
    let prefixes: (code: String, access: String, refresh: String)

    /// `expires_in` of new access tokens, and how long they work.
    var accessTokenLifetime = 3599
    /// Whether the user refuses consent (`error=access_denied`).
    var userDenies = false
    /// Successful refresh grants so far.
    var refreshCount = 0

    private var codes: [String: PendingCode] = [:]
    private var refreshTokens: [String: String] = [:] // token → scope
    private var accessTokens: [String: Date] = [:] // token → expiry

    init(clientID: String, clientSecret: String, rotatesRefreshTokens: Bool, prefixes: (code: String, access: String, refresh: String)) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.rotatesRefreshTokens = rotatesRefreshTokens
        self.prefixes = prefixes
    }

    /// Checks an authorize request and, when acceptable, consents (or denies) at once.
    mutating func authorize(_ request: FakeRequest, now: Date, extraRedirectItems: [(String, String)] = []) -> AuthorizeOutcome {
        guard request.query("client_id") == clientID else { return .refused(reason: "The OAuth client was not found.") }
        guard let redirectURI = request.query("redirect_uri"), !redirectURI.isEmpty else {
            return .refused(reason: "Missing required parameter: redirect_uri")
        }
        guard let responseType = request.query("response_type") else { return .refused(reason: "Missing required parameter: response_type") }
        guard responseType == "code" else { return .refused(reason: "Unsupported response type: \(responseType)") }
        guard let challenge = request.query("code_challenge"), !challenge.isEmpty else {
            return .refused(reason: "Missing required parameter: code_challenge")
        }
        guard request.query("code_challenge_method") == "S256" else { return .refused(reason: "Invalid code_challenge_method: only S256 is accepted.") }
        let state = request.query("state")
        var items: [(String, String)]
        if userDenies {
            items = [("error", "access_denied")]
        } else {
            let code = prefixes.code + FakeIdentifiers.random()
            codes[code] = PendingCode(redirectURI: redirectURI, challenge: challenge, scope: request.query("scope") ?? "", issuedAt: now)
            items = [("code", code)]
        }
        if let state { items.append(("state", state)) }
        if !userDenies { items += extraRedirectItems }
        let separator = redirectURI.contains("?") ? "&" : "?"
        return .redirect(location: redirectURI + separator + FormURLEncoder.encode(items))
    }

    /// Answers a token request (`authorization_code` or `refresh_token`).
    mutating func token(_ fields: [String: String], now: Date) -> Result<Grant, TokenFailure> {
        guard let grantType = fields["grant_type"] else { return .failure(.invalidRequest(missing: "grant_type")) }
        guard fields["client_id"] == clientID, fields["client_secret"] == clientSecret else { return .failure(.invalidClient) }
        switch grantType {
        case "authorization_code":
            for name in ["code", "redirect_uri", "code_verifier"] where fields[name] == nil {
                return .failure(.invalidRequest(missing: name))
            }
            guard let code = fields["code"], var pending = codes[code], now.timeIntervalSince(pending.issuedAt) < 600 else {
                return .failure(.unknownCode)
            }
            guard !pending.redeemed else { return .failure(.codeAlreadyRedeemed) }
            // A code is spent by any attempt to redeem it, as the providers do.
            pending.redeemed = true
            codes[code] = pending
            guard fields["redirect_uri"] == pending.redirectURI else { return .failure(.redirectMismatch) }
            let computed = Base64URL.encode(SHA256.hash(Array(fields["code_verifier"]!.utf8)))
            guard computed == pending.challenge else { return .failure(.verifierMismatch) }
            let refreshToken = prefixes.refresh + FakeIdentifiers.random(bytes: 32)
            refreshTokens[refreshToken] = pending.scope
            return .success(Grant(accessToken: issueAccessToken(now: now), refreshToken: refreshToken, scope: pending.scope, expiresIn: accessTokenLifetime))
        case "refresh_token":
            guard let token = fields["refresh_token"] else { return .failure(.invalidRequest(missing: "refresh_token")) }
            guard let scope = refreshTokens[token] else { return .failure(.refreshTokenRevoked) }
            refreshCount += 1
            var newRefreshToken: String?
            if rotatesRefreshTokens {
                let rotated = prefixes.refresh + FakeIdentifiers.random(bytes: 32)
                refreshTokens[rotated] = scope
                newRefreshToken = rotated
            }
            return .success(Grant(accessToken: issueAccessToken(now: now), refreshToken: newRefreshToken, scope: scope, expiresIn: accessTokenLifetime))
        default:
            return .failure(.unsupportedGrantType(grantType))
        }
    }

    /// Whether `authorization` is `Bearer <token>` with a token that works at `now`.
    func acceptsBearer(_ authorization: String?, now: Date) -> Bool {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return false }
        let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let expiry = accessTokens[token] else { return false }
        return now < expiry
    }

    /// Makes every refresh token fail with `invalid_grant`, and every access token too.
    mutating func revokeRefreshTokens() {
        refreshTokens.removeAll()
        accessTokens.removeAll()
    }

    /// Makes every access token issued so far fail until the client refreshes.
    mutating func expireAccessTokens() {
        accessTokens.removeAll()
    }

    /// A token valid for ``accessTokenLifetime`` from `now`.
    mutating func issueAccessToken(now: Date) -> String {
        let token = prefixes.access + FakeIdentifiers.random(bytes: 32)
        accessTokens[token] = now.addingTimeInterval(TimeInterval(accessTokenLifetime))
        return token
    }
}
