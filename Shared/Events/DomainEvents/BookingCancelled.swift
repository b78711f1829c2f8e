import Foundation

/// `booking.cancelled`: the host or the invitee cancelled a booking.
package struct BookingCancelled: DomainEvent, Equatable {
    package static let type = "booking.cancelled"
    package static let version = 1

    /// Who cancelled.
    package enum CancelledBy: String, Codable, Sendable {
        /// The host, through the authenticated API.
        case host
        /// The invitee, with the cancel token.
        case invitee
    }

    /// The booking after cancellation (`status` is `cancelled`).
    package var booking: BookingSnapshot
    /// The reason given, if any.
    package var reason: String?
    /// Who cancelled.
    package var cancelledBy: CancelledBy

    /// The event from its parts.
    package init(booking: BookingSnapshot, reason: String?, cancelledBy: CancelledBy) {
        self.booking = booking
        self.reason = reason
        self.cancelledBy = cancelledBy
    }

    enum CodingKeys: String, CodingKey {
        case booking
        case reason
        case cancelledBy = "cancelled_by"
    }
}
