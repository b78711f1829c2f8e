import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing
import TestSupport
@testable import BookingService

@Suite("Booking: races never double-book")
struct BookingRaceTests {
    /// Fires `count` bookings at once and returns their statuses.
    static func storm(_ client: some TestClientProtocol, _ f: BookingFixture, starts: [String]) async throws -> [HTTPResponse.Status] {
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for (index, start) in starts.enumerated() {
                group.addTask {
                    try await send(client, .post, "/api/bookings", body: f.body(start: start, email: "racer\(index)@example.com")).0
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("200 concurrent requests for one slot: exactly one 201, every other one 409, one row")
    func sameSlot() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let statuses = try await Self.storm(client, f, starts: Array(repeating: f.at(10), count: 200))
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 199)
        }
        let v1 = try await f.confirmedCount()
        #expect(v1 == 1)
        try await f.close()
    }

    @Test("200 concurrent requests for overlapping starts: no two confirmed bookings overlap")
    func overlappingStarts() async throws {
        let f = try await BookingFixture.make(duration: 60, interval: 15)
        try await BookingFixture.app().test(.router) { client in
            // 10:00, 10:15, … 12:45: every start overlaps three neighbours.
            let starts = (0..<200).map { f.at(10 + Double($0 % 12) * 0.25) }
            let statuses = try await Self.storm(client, f, starts: starts)
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict })
            // Which requests win depends on arrival order; at least two of these starts never overlap.
            #expect(statuses.filter { $0 == .created }.count >= 2)
        }
        let v2 = try await f.overlappingPairs()
        #expect(v2 == 0)
        try await f.close()
    }

    @Test("50 concurrent requests for 50 distinct free slots of one host all succeed")
    func distinctSlots() async throws {
        let f = try await BookingFixture.make(rules: (0...6).map { ($0, "00:00", "24:00") })
        try await BookingFixture.app().test(.router) { client in
            let starts = (0..<50).map { f.at(Double($0) * 0.5) }
            let statuses = try await Self.storm(client, f, starts: starts)
            #expect(statuses.filter { $0 == .created }.count == 50)
        }
        let v3 = try await f.confirmedCount()
        #expect(v3 == 50)
        try await f.close()
    }

    @Test("the constraint alone holds: concurrent direct inserts that bypass every other layer cannot overlap")
    func constraintAlone() async throws {
        let f = try await BookingFixture.make()
        let db = PostgresClient(configuration: .init(url: BookingFixture.databaseURL, maxConnections: 20, acquireTimeout: .seconds(120)), logger: .init(label: "raw"))
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let start = f.monday.addingTimeInterval(10 * 3600 + Double(index % 8) * 600)
                    do {
                        try await db.query("""
                            INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, status,
                                                  invitee_name, invitee_email, invitee_timezone, cancel_token_hash)
                            VALUES (\(UUID()), \(f.hostID), \(f.meetingTypeID), \(start), \(start.addingTimeInterval(1800)),
                                    'confirmed', 'Raw', 'raw@example.com', 'UTC', \(PostgresBytes(Array(UUID().uuidString.utf8)))::bytea)
                            """)
                        return true
                    } catch let error as PostgresError
                        where [.exclusionViolation, .uniqueViolation, .deadlockDetected].contains(error.kind) {
                        // Concurrent exclusion checks may also deadlock: PostgreSQL aborts one, which refuses it just the same.
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.contains(true))
        let v4 = try await f.overlappingPairs()
        #expect(v4 == 0)
        try await db.shutdown()
        try await f.close()
    }
}

/// Stops Redis, so it runs in the serial fault pass of `scripts/test`.
@Suite("Fault: booking without Redis", .serialized, .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1"))
struct BookingRedisFaultTests {
    @Test("with Redis stopped: one winner per slot, 50 distinct slots all book, idempotent replays still work")
    func withoutRedis() async throws {
        let same = try await BookingFixture.make()
        let distinct = try await BookingFixture.make(rules: (0...6).map { ($0, "00:00", "24:00") })
        try await Stack.run("stop", "redis")
        do {
            try await BookingFixture.app().test(.router) { client in
                let statuses = try await BookingRaceTests.storm(client, same, starts: Array(repeating: same.at(10), count: 200))
                #expect(statuses.filter { $0 == .created }.count == 1)
                #expect(statuses.filter { $0 == .conflict }.count == 199)
                let many = try await BookingRaceTests.storm(client, distinct, starts: (0..<50).map { distinct.at(Double($0) * 0.5) })
                #expect(many.filter { $0 == .created }.count == 50)
                let key: HTTPFields = [.init("Idempotency-Key")!: UUID().uuidString]
                let first = try await send(client, .post, "/api/bookings", body: same.body(start: same.at(11)), headers: key)
                let replay = try await send(client, .post, "/api/bookings", body: same.body(start: same.at(11)), headers: key)
                #expect(first.0 == .created && replay.0 == .created)
                #expect(first.1 == replay.1)
            }
        } catch {
            try await Stack.run("start", "redis")
            throw error
        }
        try await Stack.run("start", "redis")
        let v5 = try await same.confirmedCount()
        #expect(v5 == 2)
        let v6 = try await same.overlappingPairs()
        #expect(v6 == 0)
        try await same.close()
        try await distinct.close()
    }
}
