import Foundation
import HTTPTypes
import Hummingbird

/// Takes `X-Request-ID` from the request (or makes one), puts it in every log line of the request
/// as `request.id`, and returns it on the response.
package struct RequestIDMiddleware: RouterMiddleware {
    package typealias Context = ServiceRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let incoming = request.headers[.requestID].flatMap { Self.isAcceptable($0) ? $0 : nil }
        let id = incoming ?? UUID().uuidString.lowercased()
        context.requestID = id
        context.logger[metadataKey: "request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// A client's id is kept only when it is short and printable, so logs stay one line each.
    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`.
    package static let requestID = HTTPField.Name("X-Request-ID")!
}
