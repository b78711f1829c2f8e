import Foundation
import Hummingbird

/// A host account as the contract shows it: `{id, email, name, time_zone, slug, created_at}`.
struct User: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var email: String
    var name: String
    var timeZone: String
    var slug: String
    var createdAt: Date
}
