import Foundation
import Hummingbird

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
