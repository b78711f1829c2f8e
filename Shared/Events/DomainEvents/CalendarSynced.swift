import Foundation

/// `calendar.synced`: a host's external calendar was synced.
package struct CalendarSynced: DomainEvent, Equatable {
    package static let type = "calendar.synced"
    package static let version = 1

    /// The host whose calendar was synced.
    package var hostUserID: UUID
    /// The calendar integration that was synced.
    package var integrationID: UUID
    /// `google`, `microsoft` or `caldav`.
    package var provider: String
    /// Whether the stored busy intervals changed (false: caches may stay).
    package var changed: Bool

    /// The event from its parts.
    package init(hostUserID: UUID, integrationID: UUID, provider: String, changed: Bool) {
        self.hostUserID = hostUserID
        self.integrationID = integrationID
        self.provider = provider
        self.changed = changed
    }

    enum CodingKeys: String, CodingKey {
        case hostUserID = "host_user_id"
        case integrationID = "integration_id"
        case provider
        case changed
    }
}
