import Foundation
import ServiceRuntime

/// Who is asking about a booking: its host (bearer token) or its invitee (the cancel token).
enum BookingAccess: Sendable {
    case host(UUID)
    case invitee(token: String)

    /// The invitee's token when one is given, else the authenticated host, else `401`.
    init(context: ServiceRequestContext, token: String?) throws {
        if let token, !token.isEmpty {
            self = .invitee(token: token)
        } else if let host = context.authenticatedUserID {
            self = .host(host)
        } else {
            throw Problem.unauthorized("A host bearer token or the booking's token is required.")
        }
    }

    /// Whether this caller may see `booking`; anyone else gets the same `404` as a missing id.
    func mayRead(_ booking: Booking) -> Bool {
        switch self {
        case .host(let host): return booking.hostUserID == host
        case .invitee(let token): return CancelToken.matches(token, storedHash: booking.cancelTokenHash)
        }
    }

    /// Whether this caller may ask to change `booking`: a rescheduled booking's token still reads it
    /// but manages nothing (the contract's `404`). Whether the change is possible is another question:
    /// a booking that is no longer confirmed is a `409 version_conflict` to those who may ask.
    func mayManage(_ booking: Booking) -> Bool {
        guard mayRead(booking) else { return false }
        if case .invitee = self, booking.status == .rescheduled { return false }
        return true
    }

    /// `host` or `invitee`, for the cancellation event.
    var actor: String {
        if case .host = self { return "host" }
        return "invitee"
    }
}

extension Problem {
    /// 409 `slot_unavailable`: the start is not an offered slot (taken, outside hours, …).
    static var slotUnavailable: Problem {
        Problem(status: .conflict, code: "slot_unavailable", detail: "The requested time is not available.")
    }

    /// 409 `version_conflict`: the booking changed since the client read it.
    static var versionConflict: Problem {
        Problem(status: .conflict, code: "version_conflict", detail: "The booking has changed; read it again and retry.")
    }

    /// 404 for a booking the caller may not see, exactly as for one that does not exist.
    static var bookingNotFound: Problem { .notFound("The booking does not exist.") }
}
