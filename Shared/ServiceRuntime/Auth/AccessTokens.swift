import Foundation
import JWTKit

/// Issues and verifies the hosts' bearer tokens: HS256 JWTs signed with `AUTH_SECRET`.
///
/// Every service verifies tokens locally with the same secret, so no service calls another to
/// authenticate a request.
package struct AccessTokens: Sendable {
    /// The claims a token carries.
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var iss: IssuerClaim

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired()
            guard iss.value == AccessTokens.issuer else {
                throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer")
            }
        }
    }

    static let issuer = "rendezvous"

    private let keys: JWTKeyCollection
    /// How long a token is valid.
    package let lifetime: Duration

    /// - Parameters:
    ///   - secret: `AUTH_SECRET`, at least 32 bytes.
    ///   - lifetime: the token's validity (`expires_in` of the login response).
    package init(secret: String, lifetime: Duration = .seconds(3600)) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    /// A signed token for `userID`, valid from `now` for `lifetime`.
    package func issue(for userID: UUID, now: Date = Date()) async throws -> String {
        let claims = Claims(
            sub: .init(value: userID.uuidString.lowercased()),
            exp: .init(value: now.addingTimeInterval(Double(lifetime.components.seconds))),
            iat: .init(value: now),
            iss: .init(value: Self.issuer)
        )
        return try await keys.sign(claims)
    }

    /// The user a token names, or `nil` for a malformed, forged or expired token.
    package func verify(_ token: String) async -> UUID? {
        guard let claims = try? await keys.verify(token, as: Claims.self) else { return nil }
        return UUID(uuidString: claims.sub.value)
    }
}
