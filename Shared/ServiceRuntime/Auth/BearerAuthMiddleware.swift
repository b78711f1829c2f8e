import Foundation
import Hummingbird

/// Reads `Authorization: Bearer <token>` and, when the token verifies, records its host in the
/// context. It never rejects by itself: routes that need a host call `context.requireHost()`, so
/// public routes (slots, bookings with an invitee token) share the same router.
package struct BearerAuthMiddleware: RouterMiddleware {
    package typealias Context = ServiceRequestContext
    let tokens: AccessTokens

    package init(tokens: AccessTokens) {
        self.tokens = tokens
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            context.presentedCredentials = true
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                context.authenticatedUserID = await tokens.verify(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        if let host = context.authenticatedUserID {
            context.logger[metadataKey: "host.id"] = .string(host.uuidString.lowercased())
        }
        return try await next(request, context)
    }
}

extension ServiceRequestContext {
    /// The authenticated host, or a `401` problem.
    package func requireHost() throws -> UUID {
        guard let host = authenticatedUserID else { throw Problem.unauthorized() }
        return host
    }
}
