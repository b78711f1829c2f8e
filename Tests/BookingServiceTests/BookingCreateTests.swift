import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import BookingService

/// Sends one request and returns its status and body.
func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer? = nil, headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, Data) {
    try await client.execute(uri: uri, method: method, headers: headers, body: body) { ($0.status, Data(buffer: $0.body)) }
}

/// The status of a `send` result.
func status(_ result: (HTTPResponse.Status, Data)) -> HTTPResponse.Status { result.0 }

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

@Suite("Booking: create")
struct BookingCreateTests {
    @Test("a free slot books with the contract's shape; the same slot again is 409 slot_unavailable")
    func createsAndRefusesTheSameSlot() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)))
            #expect(status == .created)
            let booking = try JSONDecoder.test.decode(BookingJSON.self, from: data)
            #expect(booking.status == "confirmed")
            #expect(booking.startTime == f.at(10))
            #expect(booking.endTime == f.at(10.5))
            #expect(booking.hostUserId == f.hostID)
            #expect(booking.version == 1)
            #expect(booking.cancelToken?.count == 43)
            #expect(booking.inviteeTimezone == "Europe/Berlin")
            let (again, problem) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10), email: "other@example.com"))
            #expect(again == .conflict)
            let v16 = try JSONDecoder.test.decode(ProblemBody.self, from: problem).code
            #expect(v16 == "slot_unavailable")
            // Overlapping but different start.
            let (overlap, _) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10.25)))
            #expect(overlap == .conflict)
            // The next free slot still books.
            let (next, _) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10.5)))
            #expect(next == .created)
        }
        let v17 = try await f.confirmedCount()
        #expect(v17 == 2)
        try await f.close()
    }

    @Test("a start that is not an offered slot is 409", arguments: [
        ("outside hours", 8.0, 0), ("ends after hours", 16.75, 0), ("off the grid", 10.1, 0), ("weekend", 10.0, 5),
        ("in the past", -170.0 * 24, 0),
    ])
    func notOffered(_ name: String, hours: Double, dayOffset: Int) async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(hours, dayOffset: dayOffset)))
            #expect(status == .conflict, "\(name)")
            let v18 = try JSONDecoder.test.decode(ProblemBody.self, from: data).code
            #expect(v18 == "slot_unavailable")
        }
        try await f.close()
    }

    @Test("notice, booking window, daily cap and buffers are enforced")
    func meetingTypeRules() async throws {
        let noticeHost = try await BookingFixture.make(notice: 60 * 24 * 30)
        let windowHost = try await BookingFixture.make(window: 2)  // Monday 10:00 is 2 days 22 hours past the clock
        let capHost = try await BookingFixture.make(cap: 2)
        let bufferHost = try await BookingFixture.make(bufferBefore: 15, bufferAfter: 30)
        try await BookingFixture.app().test(.router) { client in
            let s1 = try await send(client, .post, "/api/bookings", body: noticeHost.body(start: noticeHost.at(10))).0
            #expect(s1 == .conflict)
            let s2 = try await send(client, .post, "/api/bookings", body: windowHost.body(start: windowHost.at(10))).0
            #expect(s2 == .conflict)
            let s3 = try await send(client, .post, "/api/bookings", body: capHost.body(start: capHost.at(9))).0
            #expect(s3 == .created)
            let s4 = try await send(client, .post, "/api/bookings", body: capHost.body(start: capHost.at(11))).0
            #expect(s4 == .created)
            let s5 = try await send(client, .post, "/api/bookings", body: capHost.body(start: capHost.at(13))).0
            #expect(s5 == .conflict)
            let s6 = try await send(client, .post, "/api/bookings", body: capHost.body(start: capHost.at(13, dayOffset: 1))).0
            #expect(s6 == .created)
            // 10:00-10:30 booked with 15 min before and 30 min after: 10:45 is blocked
            // and 11:00 (the new buffer before overlaps it), 11:15 is the first free start after it.
            let s7 = try await send(client, .post, "/api/bookings", body: bufferHost.body(start: bufferHost.at(10))).0
            #expect(s7 == .created)
            let s8 = try await send(client, .post, "/api/bookings", body: bufferHost.body(start: bufferHost.at(10.75))).0
            #expect(s8 == .conflict)
            let s9 = try await send(client, .post, "/api/bookings", body: bufferHost.body(start: bufferHost.at(11.25))).0
            #expect(s9 == .created)
            let s10 = try await send(client, .post, "/api/bookings", body: bufferHost.body(start: bufferHost.at(9.25))).0
            #expect(s10 == .conflict)
        }
        for f in [noticeHost, windowHost, capHost, bufferHost] { try await f.close() }
    }

    @Test("a booking keeps the duration and buffers it was made with")
    func keepsItsTerms() async throws {
        let f = try await BookingFixture.make(bufferAfter: 30)
        try await BookingFixture.app().test(.router) { client in
            let s11 = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10))).0
            #expect(s11 == .created)
            try await f.db.query("UPDATE meeting_types SET duration_minutes = 60, buffer_after_minutes = 0 WHERE id = \(f.meetingTypeID)")
            // The old booking still blocks 10:00-10:30 plus its own 30 minutes after: 11:00 is free, 10:45 is not.
            let s12 = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10.75))).0
            #expect(s12 == .conflict)
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(11)))
            #expect(status == .created)
            #expect(try JSONDecoder.test.decode(BookingJSON.self, from: data).endTime == f.at(12))
        }
        let rows = try await f.db.query("SELECT end_time - start_time = interval '30 minutes' AS short, buffer_after_minutes FROM bookings WHERE host_user_id = \(f.hostID) ORDER BY start_time")
        let v19 = try rows[0].decode("short", as: Bool.self)
        #expect(v19)
        let v20 = try rows[0].decode("buffer_after_minutes", as: Int.self)
        #expect(v20 == 30)
        let v21 = try rows[1].decode("buffer_after_minutes", as: Int.self)
        #expect(v21 == 0)
        try await f.close()
    }

    @Test("every field is validated before anything is locked", arguments: [
        (["meeting_type_id": "nope"], "meeting_type_id"),
        (["start_time": "2026-13-01T10:00:00Z"], "start_time"),
        (["start_time": "tomorrow"], "start_time"),
        (["invitee_name": "  "], "invitee_name"),
        (["invitee_name": String(repeating: "x", count: 201)], "invitee_name"),
        (["invitee_email": "not-an-email"], "invitee_email"),
        (["invitee_email": "a b@example.com"], "invitee_email"),
        (["invitee_timezone": "Mars/Olympus"], "invitee_timezone"),
        (["meeting_type_id": "00000000-0000-0000-0000-000000000000"], "meeting_type_id"),
    ] as [([String: String], String)])
    func validation(overrides: [String: String], field: String) async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10), extra: overrides))
            #expect(status == .unprocessableContent)
            let problem = try JSONDecoder.test.decode(ProblemBody.self, from: data)
            #expect(problem.code == "validation_failed")
            #expect(problem.errors?.map(\.field) == [field])
        }
        let v22 = try await f.confirmedCount()
        #expect(v22 == 0)
        try await f.close()
    }

    @Test("malformed bodies are 400, missing and mistyped fields 422, an inactive type 422")
    func malformed() async throws {
        let f = try await BookingFixture.make()
        let inactive = try await BookingFixture.make(active: false)
        try await BookingFixture.app().test(.router) { client in
            for raw in ["{not json", "[]", ""] {
                let (status, data) = try await send(client, .post, "/api/bookings", body: ByteBuffer(string: raw))
                #expect(status == .badRequest)
                let v23 = try JSONDecoder.test.decode(ProblemBody.self, from: data).code
                #expect(v23 == "malformed_json")
            }
            let (missing, data) = try await send(client, .post, "/api/bookings", body: ByteBuffer(string: #"{"meeting_type_id": "x"}"#))
            #expect(missing == .unprocessableContent)
            let v24 = try JSONDecoder.test.decode(ProblemBody.self, from: data).errors?.first?.field
            #expect(v24 == "start_time")
            let (mistyped, _) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10), extra: ["answers": ["q": 1]]))
            #expect(mistyped == .unprocessableContent)
            let (status, body) = try await send(client, .post, "/api/bookings", body: inactive.body(start: inactive.at(10)))
            #expect(status == .unprocessableContent)
            let v25 = try JSONDecoder.test.decode(ProblemBody.self, from: body).errors?.first?.field
            #expect(v25 == "meeting_type_id")
        }
        try await f.close()
        try await inactive.close()
    }

    @Test("a slot in the host's zone across DST: New York 09:00 is 13:00 UTC in summer and 14:00 in winter")
    func hostZone() async throws {
        let f = try await BookingFixture.make(zone: "America/New_York", rules: (0...6).map { ($0, "09:00", "17:00") }, window: 365)
        try await BookingFixture.app().test(.router) { client in
            // The next 15 July and 15 January after the service's clock: both within its 365-day window.
            let year = Calendar(identifier: .gregorian).component(.year, from: BookingFixture.now)
            let month = Calendar(identifier: .gregorian).component(.month, from: BookingFixture.now)
            let july = month < 7 ? year : year + 1
            let january = year + 1
            let s13 = try await send(client, .post, "/api/bookings", body: f.body(start: "\(july)-07-15T13:00:00Z")).0
            #expect(s13 == .created)
            let s14 = try await send(client, .post, "/api/bookings", body: f.body(start: "\(july)-07-15T12:45:00Z")).0
            #expect(s14 == .conflict)
            let s15 = try await send(client, .post, "/api/bookings", body: f.body(start: "\(january)-01-15T13:00:00Z")).0
            #expect(s15 == .conflict)
        }
        try await f.close()
    }
}
