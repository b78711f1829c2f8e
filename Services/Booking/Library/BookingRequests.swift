import Foundation
import SchedulingCore
import ServiceRuntime

/// `POST /api/bookings`, validated: every field error is collected into one 422.
struct CreateBookingRequest: Sendable {
    /// The body as it arrives; strings are checked here so each error names its field.
    struct Body: Decodable {
        var meetingTypeId: String
        var startTime: String
        var inviteeName: String
        var inviteeEmail: String
        var inviteeTimezone: String
        var answers: [String: String]?
    }

    var meetingTypeID: UUID
    var startTime: Date
    var inviteeName: String
    var inviteeEmail: String
    var inviteeTimezone: String
    var answers: [String: String]

    init(_ body: Body) throws {
        var errors = FieldErrors()
        let meetingTypeID = UUID(uuidString: body.meetingTypeId)
        if meetingTypeID == nil { errors.add("meeting_type_id", "must be a UUID") }
        let start = BookingValidation.instant(body.startTime, field: "start_time", into: &errors)
        let name = BookingValidation.name(body.inviteeName, into: &errors)
        let email = BookingValidation.email(body.inviteeEmail, into: &errors)
        BookingValidation.timeZone(body.inviteeTimezone, field: "invitee_timezone", into: &errors)
        BookingValidation.answers(body.answers ?? [:], into: &errors)
        guard errors.isEmpty, let meetingTypeID, let start else { throw Problem.validation(errors.errors) }
        self.meetingTypeID = meetingTypeID
        self.startTime = start
        self.inviteeName = name
        self.inviteeEmail = email
        self.inviteeTimezone = body.inviteeTimezone
        self.answers = body.answers ?? [:]
    }
}

/// `POST /api/bookings/{id}/cancel`.
struct CancelBookingRequest: Decodable, Sendable {
    var reason: String?
    var token: String?

    func validated() throws -> CancelBookingRequest {
        if let reason, reason.count > 1000 {
            throw Problem.validation(field: "reason", "must be at most 1000 characters")
        }
        return self
    }
}

/// `POST /api/bookings/{id}/reschedule`.
struct RescheduleBookingRequest: Sendable {
    struct Body: Decodable {
        var startTime: String
        var version: Int
        var token: String?
    }

    var startTime: Date
    var version: Int
    var token: String?

    init(_ body: Body) throws {
        var errors = FieldErrors()
        let start = BookingValidation.instant(body.startTime, field: "start_time", into: &errors)
        if body.version < 1 { errors.add("version", "must be a positive integer") }
        guard errors.isEmpty, let start else { throw Problem.validation(errors.errors) }
        startTime = start
        version = body.version
        token = body.token
    }
}

/// Field rules shared by the booking requests.
enum BookingValidation {
    static func instant(_ text: String, field: String, into errors: inout FieldErrors) -> Date? {
        guard let date = RFC3339.parse(text) else {
            errors.add(field, "must be an RFC 3339 instant such as 2026-03-10T14:00:00Z")
            return nil
        }
        return date
    }

    static func name(_ text: String, into errors: inout FieldErrors) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.add("invitee_name", "must not be empty")
        } else if trimmed.count > 200 {
            errors.add("invitee_name", "must be at most 200 characters")
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.add("invitee_name", "must not contain control characters")
        }
        return trimmed
    }

    /// A pragmatic address check: one `@`, a dotted domain, no spaces or control characters.
    static func email(_ text: String, into errors: inout FieldErrors) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let valid = trimmed.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[0].count <= 64
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !trimmed.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
        if !valid { errors.add("invitee_email", "must be an email address") }
        return trimmed
    }

    static func timeZone(_ text: String, field: String, into errors: inout FieldErrors) {
        if NamedTimeZone(text) == nil {
            errors.add(field, NamedTimeZone.invalidMessage)
        }
    }

    static func answers(_ answers: [String: String], into errors: inout FieldErrors) {
        if answers.count > 50 {
            errors.add("answers", "must have at most 50 entries")
        }
        for (key, value) in answers where key.count > 200 || value.count > 5000 {
            errors.add("answers.\(key.prefix(50))", "is too long")
        }
    }
}
