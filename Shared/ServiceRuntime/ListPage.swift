import Foundation
import Hummingbird
import ServiceLifecycle

/// The contract's list: `{"data": [...], "next_cursor": "…" | null}`: `next_cursor` is written
/// as `null` on the last page, never left out. One envelope for every list of every service.
package struct ListPage<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    package var data: [Item]
    package var nextCursor: String?

    package init(data: [Item], nextCursor: String? = nil) {
        self.data = data
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A service that does `action` once the group shuts down: closing a client after the services
/// that use it have stopped (the group stops its services in reverse order).
package struct OnShutdown: Service {
    private let action: @Sendable () async throws -> Void

    package init(_ action: @escaping @Sendable () async throws -> Void) {
        self.action = action
    }

    package func run() async throws {
        try? await gracefulShutdown()
        try await action()
    }
}
