import Foundation

extension ReceivedEvent {
    /// The host the event is about: every domain event names one. `nil` for a type this module
    /// does not define (a newer producer's event), which a consumer then handles by its type alone.
    package func hostUserID() throws -> UUID? {
        switch type {
        case BookingCreated.type: try decode(BookingCreated.self).booking.hostUserID
        case BookingCancelled.type: try decode(BookingCancelled.self).booking.hostUserID
        case BookingRescheduled.type: try decode(BookingRescheduled.self).booking.hostUserID
        case AvailabilityChanged.type: try decode(AvailabilityChanged.self).hostUserID
        case CalendarSynced.type: try decode(CalendarSynced.self).hostUserID
        case IntegrationNeedsReauth.type: try decode(IntegrationNeedsReauth.self).hostUserID
        default: nil
        }
    }
}
