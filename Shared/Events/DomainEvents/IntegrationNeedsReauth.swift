import Foundation

/// `integration.needs_reauth`: a provider revoked a calendar integration's token; the host must connect again.
package struct IntegrationNeedsReauth: DomainEvent, Equatable {
    package static let type = "integration.needs_reauth"
    package static let version = 1

    /// The host to notify.
    package var hostUserID: UUID
    /// The integration that needs a new authorization.
    package var integrationID: UUID
    /// `google`, `microsoft` or `caldav`.
    package var provider: String

    /// The event from its parts.
    package init(hostUserID: UUID, integrationID: UUID, provider: String) {
        self.hostUserID = hostUserID
        self.integrationID = integrationID
        self.provider = provider
    }

    enum CodingKeys: String, CodingKey {
        case hostUserID = "host_user_id"
        case integrationID = "integration_id"
        case provider
    }
}
