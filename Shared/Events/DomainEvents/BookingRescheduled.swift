import Foundation

/// `booking.rescheduled`: a booking moved to a new slot (a new booking replaces the old one).
package struct BookingRescheduled: DomainEvent, Equatable {
    package static let type = "booking.rescheduled"
    package static let version = 1

    /// The booking that was replaced (`status` is `rescheduled`).
    package var previous: BookingSnapshot
    /// The new booking (`rescheduled_from` is `previous.id`).
    package var booking: BookingSnapshot
    /// The new booking's cancel token, sealed as in ``BookingCreated/sealedCancelToken``.
    package var sealedCancelToken: String?

    /// The event from its parts.
    package init(previous: BookingSnapshot, booking: BookingSnapshot, sealedCancelToken: String?) {
        self.previous = previous
        self.booking = booking
        self.sealedCancelToken = sealedCancelToken
    }

    enum CodingKeys: String, CodingKey {
        case previous
        case booking
        case sealedCancelToken = "sealed_cancel_token"
    }
}
