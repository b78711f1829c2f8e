import Foundation

/// `booking.created`: an invitee booked a slot.
package struct BookingCreated: DomainEvent, Equatable {
    package static let type = "booking.created"
    package static let version = 1

    /// The new booking.
    package var booking: BookingSnapshot
    /// The invitee's cancel token sealed with AES-256-GCM under `TOKEN_ENCRYPTION_KEY`, base64url
    /// (the notifier opens it to build the cancel and reschedule links).
    package var sealedCancelToken: String?

    /// The event from its parts.
    package init(booking: BookingSnapshot, sealedCancelToken: String?) {
        self.booking = booking
        self.sealedCancelToken = sealedCancelToken
    }

    enum CodingKeys: String, CodingKey {
        case booking
        case sealedCancelToken = "sealed_cancel_token"
    }
}
