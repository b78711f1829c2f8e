import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing
@testable import BookingService

private let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

private func book(_ client: some TestClientProtocol, _ f: BookingFixture, _ hours: Double, headers: HTTPFields = [:]) async throws -> BookingJSON {
    let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(hours)), headers: headers)
    #expect(status == .created)
    return try JSONDecoder.test.decode(BookingJSON.self, from: data)
}

private func problemCode(_ data: Data) -> String? {
    try? JSONDecoder.test.decode(ProblemBody.self, from: data).code
}

@Suite("Booking: idempotency")
struct BookingIdempotencyTests {
    @Test("the same key and JSON-equal body replays the first 201 byte for byte, even after a cancel")
    func replays() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let key: HTTPFields = [idempotencyHeader: UUID().uuidString]
            let (firstStatus, first) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)), headers: key)
            #expect(firstStatus == .created)
            // Same JSON value, other key order and white space.
            let reordered = """
                { "invitee_timezone":"Europe/Berlin",  "invitee_email":"ivy@example.com", "invitee_name":"Ivy Invitee",
                  "start_time":"\(f.at(10))", "meeting_type_id":"\(f.meetingTypeID.uuidString)" }
                """
            let (againStatus, again) = try await send(client, .post, "/api/bookings", body: ByteBuffer(string: reordered), headers: key)
            #expect(againStatus == .created)
            #expect(again == first)
            let booking = try JSONDecoder.test.decode(BookingJSON.self, from: first)
            let (cancelStatus, _) = try await send(client, .post, "/api/bookings/\(booking.id)/cancel", body: ByteBuffer(string: #"{"token": "\#(booking.cancelToken!)"}"#))
            #expect(cancelStatus == .ok)
            let (afterCancel, replay) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)), headers: key)
            #expect(afterCancel == .created)
            #expect(replay == first)
            // The replay also comes from PostgreSQL when the hot copy is gone.
            _ = try await client.execute(uri: "/health", method: .get) { _ in }
        }
        let rows = try await f.db.query("SELECT count(*)::int AS n FROM bookings WHERE host_user_id = \(f.hostID)")
        let count = try rows[0].decode("n", as: Int.self)
        #expect(count == 1)
        try await f.close()
    }

    @Test("the same key with another body is 422 idempotency_mismatch")
    func mismatch() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let key: HTTPFields = [idempotencyHeader: UUID().uuidString]
            _ = try await book(client, f, 10, headers: key)
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(11)), headers: key)
            #expect(status == .unprocessableContent)
            #expect(problemCode(data) == "idempotency_mismatch")
        }
        try await f.close()
    }

    @Test("a request that failed does not consume its key")
    func failureFreesTheKey() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let key: HTTPFields = [idempotencyHeader: UUID().uuidString]
            let (refused, _) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(8)), headers: key)
            #expect(refused == .conflict)
            // Another body with the same key is not a mismatch: the failed request left nothing.
            _ = try await book(client, f, 10, headers: key)
        }
        try await f.close()
    }

    @Test("50 concurrent requests with one key make one booking; the rest replay it or are told to retry")
    func concurrentSameKey() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let key: HTTPFields = [idempotencyHeader: UUID().uuidString]
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Data).self) { group in
                for _ in 0..<50 {
                    group.addTask { try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)), headers: key) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = results.filter { $0.0 == .created }
            #expect(!created.isEmpty)
            #expect(Set(created.map(\.1)).count == 1)
            let others = results.filter { $0.0 != .created }
            #expect(others.allSatisfy { $0.0 == .conflict && problemCode($0.1) == "idempotency_in_progress" })
        }
        let count = try await f.confirmedCount()
        #expect(count == 1)
        try await f.close()
    }

    @Test("a malformed key is 422")
    func malformedKey() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)), headers: [idempotencyHeader: String(repeating: "k", count: 300)])
            #expect(status == .unprocessableContent)
            #expect(problemCode(data) == "validation_failed")
        }
        try await f.close()
    }
}

@Suite("Booking: read, list, cancel, reschedule")
struct BookingLifecycleTests {
    @Test("the host and the invitee read a booking; anyone else gets 401 or 404")
    func readAccess() async throws {
        let f = try await BookingFixture.make()
        let other = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let booking = try await book(client, f, 10)
            let path = "/api/bookings/\(booking.id)"
            let r1 = try await send(client, .get, path, headers: bearer(f.hostToken)).0
            #expect(r1 == .ok)
            let (byToken, data) = try await send(client, .get, "\(path)?token=\(booking.cancelToken!)")
            #expect(byToken == .ok)
            let read = try JSONDecoder.test.decode(BookingJSON.self, from: data)
            #expect(read.cancelToken == nil)
            #expect(read.id == booking.id)
            let r2 = try await send(client, .get, path).0
            #expect(r2 == .unauthorized)
            let r3 = try await send(client, .get, path, headers: bearer("forged.token.here")).0
            #expect(r3 == .unauthorized)
            let r4 = try await send(client, .get, "\(path)?token=wrong").0
            #expect(r4 == .notFound)
            let r5 = try await send(client, .get, path, headers: bearer(other.hostToken)).0
            #expect(r5 == .notFound)
            let r6 = try await send(client, .get, "/api/bookings/\(UUID())", headers: bearer(f.hostToken)).0
            #expect(r6 == .notFound)
            let r7 = try await send(client, .get, "/api/bookings/not-a-uuid", headers: bearer(f.hostToken)).0
            #expect(r7 == .notFound)
            // Another host can neither cancel nor reschedule it.
            let r8 = try await send(client, .post, "\(path)/cancel", headers: bearer(other.hostToken)).0
            #expect(r8 == .notFound)
            let move = ByteBuffer(string: #"{"start_time": "\#(f.at(11))", "version": 1}"#)
            let r9 = try await send(client, .post, "\(path)/reschedule", body: move, headers: bearer(other.hostToken)).0
            #expect(r9 == .notFound)
        }
        try await f.close()
        try await other.close()
    }

    @Test("cancel by token or host; twice is a no-op; the slot is free again")
    func cancel() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let booking = try await book(client, f, 10)
            let body = ByteBuffer(string: #"{"token": "\#(booking.cancelToken!)", "reason": "conflict at work"}"#)
            let (status, data) = try await send(client, .post, "/api/bookings/\(booking.id)/cancel", body: body)
            #expect(status == .ok)
            let cancelled = try JSONDecoder.test.decode(BookingJSON.self, from: data)
            #expect(cancelled.status == "cancelled")
            #expect(cancelled.version == 2)
            let (twice, again) = try await send(client, .post, "/api/bookings/\(booking.id)/cancel", headers: bearer(f.hostToken))
            #expect(twice == .ok)
            let r10 = try JSONDecoder.test.decode(BookingJSON.self, from: again).version
            #expect(r10 == 2)
            let r11 = try await send(client, .post, "/api/bookings/\(booking.id)/cancel").0
            #expect(r11 == .unauthorized)
            let r12 = try await send(client, .post, "/api/bookings/\(booking.id)/cancel", body: ByteBuffer(string: "{nope")).0
            #expect(r12 == .badRequest)
            _ = try await book(client, f, 10)
        }
        try await f.close()
    }

    @Test("reschedule: a new booking with a new token; the old one is rescheduled and read-only; stale versions conflict")
    func reschedule() async throws {
        let f = try await BookingFixture.make(cap: 1)
        try await BookingFixture.app().test(.router) { client in
            let booking = try await book(client, f, 10)
            let path = "/api/bookings/\(booking.id)"
            // Moving by 15 minutes overlaps itself and its day is at the cap of 1: allowed, it does not block itself.
            let move = ByteBuffer(string: #"{"start_time": "\#(f.at(10.25))", "version": 1, "token": "\#(booking.cancelToken!)"}"#)
            let (status, data) = try await send(client, .post, "\(path)/reschedule", body: move)
            #expect(status == .ok)
            let moved = try JSONDecoder.test.decode(BookingJSON.self, from: data)
            #expect(moved.id != booking.id)
            #expect(moved.rescheduledFrom == booking.id)
            #expect(moved.version == 1)
            #expect(moved.startTime == f.at(10.25))
            #expect(moved.cancelToken != nil && moved.cancelToken != booking.cancelToken)
            // The old token still reads the old booking, which is now rescheduled, and manages nothing.
            let (oldRead, oldData) = try await send(client, .get, "\(path)?token=\(booking.cancelToken!)")
            #expect(oldRead == .ok)
            let r13 = try JSONDecoder.test.decode(BookingJSON.self, from: oldData).status
            #expect(r13 == "rescheduled")
            let r14 = try await send(client, .post, "\(path)/cancel", body: ByteBuffer(string: #"{"token": "\#(booking.cancelToken!)"}"#)).0
            #expect(r14 == .notFound)
            // A stale version of the new booking is a version conflict.
            let stale = ByteBuffer(string: #"{"start_time": "\#(f.at(12))", "version": 7}"#)
            let (conflict, conflictData) = try await send(client, .post, "/api/bookings/\(moved.id)/reschedule", body: stale, headers: bearer(f.hostToken))
            #expect(conflict == .conflict)
            #expect(problemCode(conflictData) == "version_conflict")
            // A time that is not offered is slot_unavailable.
            let closed = ByteBuffer(string: #"{"start_time": "\#(f.at(20))", "version": 1}"#)
            let (refused, refusedData) = try await send(client, .post, "/api/bookings/\(moved.id)/reschedule", body: closed, headers: bearer(f.hostToken))
            #expect(refused == .conflict)
            #expect(problemCode(refusedData) == "slot_unavailable")
        }
        let r15 = try await f.confirmedCount()
        #expect(r15 == 1)
        try await f.close()
    }

    /// How a booking stopped being confirmed, and who then asks to change it with which version.
    enum Ended: String, CaseIterable, Sendable { case cancelled, rescheduled }
    enum Asker: String, CaseIterable, Sendable { case host, invitee }

    @Test("a booking that is no longer confirmed is 409 version_conflict to whoever may read it, with its version or a stale one; only a moved booking's own token is 404",
          arguments: Ended.allCases, Asker.allCases)
    func noLongerConfirmed(ended: Ended, asker: Asker) async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let booking = try await book(client, f, 10)
            let path = "/api/bookings/\(booking.id.uuidString.lowercased())"
            let token = #", "token": "\#(booking.cancelToken!)""#
            switch ended {
            case .cancelled:
                #expect(try await send(client, .post, "\(path)/cancel", headers: bearer(f.hostToken)).0 == .ok)
            case .rescheduled:
                let move = ByteBuffer(string: #"{"start_time": "\#(f.at(11))", "version": 1}"#)
                #expect(try await send(client, .post, "\(path)/reschedule", body: move, headers: bearer(f.hostToken)).0 == .ok)
            }
            let (_, read) = try await send(client, .get, path, headers: bearer(f.hostToken))
            let current = try JSONDecoder.test.decode(BookingJSON.self, from: read)
            #expect(current.status == ended.rawValue)
            // The version it has now, the one it had, and one it never had.
            for version in Set([current.version, 1, 9]).sorted() {
                let body = ByteBuffer(string: #"{"start_time": "\#(f.at(12))", "version": \#(version)\#(asker == .invitee ? token : "")}"#)
                let (status, data) = try await send(client, .post, "\(path)/reschedule", body: body, headers: asker == .host ? bearer(f.hostToken) : [:])
                if asker == .invitee && ended == .rescheduled {
                    // The contract: a rescheduled booking's token reads it and manages nothing.
                    #expect(status == .notFound, "version \(version)")
                } else {
                    #expect(status == .conflict, "version \(version): \(String(decoding: data, as: UTF8.self))")
                    #expect(problemCode(data) == "version_conflict")
                }
            }
            // Cancelling: twice is a no-op; a moved booking is a conflict to its host.
            let cancel = ByteBuffer(string: asker == .invitee ? #"{"token": "\#(booking.cancelToken!)"}"# : "{}")
            let (cancelStatus, cancelData) = try await send(client, .post, "\(path)/cancel", body: cancel, headers: asker == .host ? bearer(f.hostToken) : [:])
            switch (ended, asker) {
            case (.cancelled, _): #expect(cancelStatus == .ok)
            case (.rescheduled, .host): #expect(cancelStatus == .conflict && problemCode(cancelData) == "version_conflict")
            case (.rescheduled, .invitee): #expect(cancelStatus == .notFound)
            }
        }
        #expect(try await f.confirmedCount() == (ended == .rescheduled ? 1 : 0))
        try await f.close()
    }

    @Test("the host lists its own bookings by start, filtered, a page at a time")
    func list() async throws {
        let f = try await BookingFixture.make()
        let other = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            var ids = [UUID]()
            for hour in [13.0, 9.0, 11.0, 10.0, 12.0] { ids.append(try await book(client, f, hour).id) }
            _ = try await book(client, other, 9)
            _ = try await send(client, .post, "/api/bookings/\(ids[0])/cancel", headers: bearer(f.hostToken))
            struct Page: Decodable { let data: [BookingJSON]; let nextCursor: String? }
            var seen = [String]()
            var cursor: String?
            repeat {
                let query = "/api/bookings?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let (status, data) = try await send(client, .get, query, headers: bearer(f.hostToken))
                #expect(status == .ok)
                let page = try JSONDecoder.test.decode(Page.self, from: data)
                seen += page.data.map(\.startTime)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == [9.0, 10, 11, 12, 13].map { f.at($0) })
            // The latest start first (past bookings), a page at a time with the same order.
            var latestFirst = [String]()
            cursor = nil
            repeat {
                let query = "/api/bookings?order=desc&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try JSONDecoder.test.decode(Page.self, from: try await send(client, .get, query, headers: bearer(f.hostToken)).1)
                latestFirst += page.data.map(\.startTime)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(latestFirst == [13.0, 12, 11, 10, 9].map { f.at($0) })
            #expect(try await send(client, .get, "/api/bookings?order=newest", headers: bearer(f.hostToken)).0 == .unprocessableContent)
            let (_, confirmed) = try await send(client, .get, "/api/bookings?status=confirmed&from=\(f.at(10))&to=\(f.at(12))", headers: bearer(f.hostToken))
            let r16 = try JSONDecoder.test.decode(Page.self, from: confirmed).data.map(\.startTime) == [f.at(10), f.at(11)]
            #expect(r16)
            let r17 = try await send(client, .get, "/api/bookings?status=maybe", headers: bearer(f.hostToken)).0
            #expect(r17 == .unprocessableContent)
            let r18 = try await send(client, .get, "/api/bookings?cursor=zzz", headers: bearer(f.hostToken)).0
            #expect(r18 == .unprocessableContent)
            let r19 = try await send(client, .get, "/api/bookings?from=yesterday", headers: bearer(f.hostToken)).0
            #expect(r19 == .unprocessableContent)
            let r20 = try await send(client, .get, "/api/bookings").0
            #expect(r20 == .unauthorized)
        }
        try await f.close()
        try await other.close()
    }
}
