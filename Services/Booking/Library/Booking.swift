import Foundation
import Hummingbird
import Postgres

/// A booking as stored: the resource of `/api/bookings`.
struct Booking: Sendable, Equatable {
    enum Status: String, Sendable, Codable {
        case confirmed, cancelled, rescheduled
    }

    var id: UUID
    var status: Status
    var meetingTypeID: UUID
    var hostUserID: UUID
    var startTime: Date
    var endTime: Date
    var bufferBeforeMinutes: Int
    var bufferAfterMinutes: Int
    var inviteeName: String
    var inviteeEmail: String
    var inviteeTimezone: String
    var answers: [String: String]
    var version: Int
    var rescheduledFrom: UUID?
    var cancelReason: String?
    var cancelledAt: Date?
    var createdAt: Date
    var cancelTokenHash: [UInt8]

    /// The columns `init(row:)` reads.
    static let columns = """
        id, status, meeting_type_id, host_user_id, start_time, end_time, buffer_before_minutes, buffer_after_minutes,
        invitee_name, invitee_email, invitee_timezone, answers, version, rescheduled_from, cancel_reason, cancelled_at,
        created_at, cancel_token_hash
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id", as: UUID.self)
        guard let status = Status(rawValue: try row.decode("status", as: String.self)) else {
            throw PostgresError(kind: .decoding, message: "unknown booking status")
        }
        self.status = status
        meetingTypeID = try row.decode("meeting_type_id", as: UUID.self)
        hostUserID = try row.decode("host_user_id", as: UUID.self)
        startTime = try row.decode("start_time", as: Date.self)
        endTime = try row.decode("end_time", as: Date.self)
        bufferBeforeMinutes = try row.decode("buffer_before_minutes", as: Int.self)
        bufferAfterMinutes = try row.decode("buffer_after_minutes", as: Int.self)
        inviteeName = try row.decode("invitee_name", as: String.self)
        inviteeEmail = try row.decode("invitee_email", as: String.self)
        inviteeTimezone = try row.decode("invitee_timezone", as: String.self)
        answers = try row.decode("answers", as: PostgresJSON.self).decode([String: String].self)
        version = try row.decode("version", as: Int.self)
        rescheduledFrom = try row.decode("rescheduled_from", as: UUID?.self)
        cancelReason = try row.decode("cancel_reason", as: String?.self)
        cancelledAt = try row.decode("cancelled_at", as: Date?.self)
        createdAt = try row.decode("created_at", as: Date.self)
        cancelTokenHash = try row.decode("cancel_token_hash", as: PostgresBytes.self).bytes
    }

    init(
        id: UUID, status: Status, meetingTypeID: UUID, hostUserID: UUID, startTime: Date, endTime: Date,
        bufferBeforeMinutes: Int, bufferAfterMinutes: Int, inviteeName: String, inviteeEmail: String,
        inviteeTimezone: String, answers: [String: String], version: Int, rescheduledFrom: UUID?,
        createdAt: Date, cancelTokenHash: [UInt8]
    ) {
        self.id = id
        self.status = status
        self.meetingTypeID = meetingTypeID
        self.hostUserID = hostUserID
        self.startTime = startTime
        self.endTime = endTime
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.inviteeName = inviteeName
        self.inviteeEmail = inviteeEmail
        self.inviteeTimezone = inviteeTimezone
        self.answers = answers
        self.version = version
        self.rescheduledFrom = rescheduledFrom
        self.cancelReason = nil
        self.cancelledAt = nil
        self.createdAt = createdAt
        self.cancelTokenHash = cancelTokenHash
    }
}

/// The JSON of a booking; `cancel_token` only in the responses that create one.
struct BookingResponse: ResponseEncodable, Codable, Sendable, Equatable {
    var id: UUID
    var status: Booking.Status
    var meetingTypeId: UUID
    var hostUserId: UUID
    var startTime: Date
    var endTime: Date
    var inviteeName: String
    var inviteeEmail: String
    var inviteeTimezone: String
    var answers: [String: String]
    var version: Int
    var rescheduledFrom: UUID?
    var cancelReason: String?
    var cancelledAt: Date?
    var cancelToken: String?
    var createdAt: Date

    init(_ booking: Booking, cancelToken: String? = nil) {
        id = booking.id
        status = booking.status
        meetingTypeId = booking.meetingTypeID
        hostUserId = booking.hostUserID
        startTime = booking.startTime
        endTime = booking.endTime
        inviteeName = booking.inviteeName
        inviteeEmail = booking.inviteeEmail
        inviteeTimezone = booking.inviteeTimezone
        answers = booking.answers
        version = booking.version
        rescheduledFrom = booking.rescheduledFrom
        cancelReason = booking.cancelReason
        cancelledAt = booking.cancelledAt
        self.cancelToken = cancelToken
        createdAt = booking.createdAt
    }
}
