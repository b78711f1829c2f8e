import Foundation

/// `availability.changed`: something that shapes a host's free slots changed (caches must go).
package struct AvailabilityChanged: DomainEvent, Equatable {
    package static let type = "availability.changed"
    package static let version = 1

    /// What changed.
    package enum Reason: String, Codable, Sendable {
        /// The weekly rules.
        case rules
        /// The date overrides.
        case overrides
        /// A meeting type (duration, buffers, notice, horizon…).
        case meetingType = "meeting_type"
        /// The host's profile (time zone).
        case profile
    }

    /// The host whose availability changed.
    package var hostUserID: UUID
    /// What changed.
    package var reason: Reason

    /// The event from its parts.
    package init(hostUserID: UUID, reason: Reason) {
        self.hostUserID = hostUserID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case hostUserID = "host_user_id"
        case reason
    }
}
