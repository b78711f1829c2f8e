import Foundation
import Testing
@testable import Postgres

@Suite("PostgreSQL client against the real server")
struct PostgresClientTests {
    @Test("every interpolated value is a bound parameter, and types round-trip")
    func typesRoundTrip() async throws {
        let db = TestDatabase.client()
        let id = UUID()
        let instant = Date(timeIntervalSince1970: 1_700_000_123.456789)
        let hostile = "Robert'); DROP TABLE users;--"
        let rows = try await db.query("""
            SELECT \(id)::uuid AS id, \(hostile)::text AS name, \(42)::int AS n, \(Int64.max)::bigint AS big,
                   \(true)::bool AS yes, \(instant)::timestamptz AS at, \(String?.none)::text AS missing,
                   DATE '2024-03-10' AS day, TIME '24:00' AS end_of_day,
                   tstzrange('2024-01-01 10:00Z', '2024-01-01 11:00Z') AS span,
                   '{"a": [1, 2]}'::jsonb AS doc, \(PostgresBytes([0, 1, 254, 255]))::bytea AS raw,
                   \([UUID(), id])::uuid[] @> ARRAY[\(id)::uuid] AS contains
            """)
        let row = try #require(rows.first)
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(try row.decode("name", as: String.self) == hostile)
        #expect(try row.decode("n", as: Int.self) == 42)
        #expect(try row.decode("big", as: Int64.self) == .max)
        #expect(try row.decode("yes", as: Bool.self))
        #expect(abs(try row.decode("at", as: Date.self).timeIntervalSince(instant)) < 0.000_001)
        #expect(try row.decode("missing", as: String?.self) == nil)
        #expect(try row.decode("day", as: PostgresDate.self) == PostgresDate(year: 2024, month: 3, day: 10))
        #expect(try row.decode("end_of_day", as: PostgresTime.self).secondsSinceMidnight == 86_400)
        let span = try row.decode("span", as: PostgresRange.self)
        #expect(span.lower == Date(timeIntervalSince1970: 1_704_103_200))
        #expect(span.upper == Date(timeIntervalSince1970: 1_704_106_800))
        #expect(span.lowerInclusive && !span.upperInclusive)
        struct Doc: Decodable, Equatable { let a: [Int] }
        #expect(try row.decode("doc", as: PostgresJSON.self).decode(Doc.self) == Doc(a: [1, 2]))
        #expect(try row.decode("raw", as: PostgresBytes.self).bytes == [0, 1, 254, 255])
        #expect(try row.decode("contains", as: Bool.self))
        #expect(throws: PostgresError.self) { try row.decode("missing", as: String.self) }
        try await db.shutdown()
    }

    @Test("200 concurrent queries through a pool of 8 connections all succeed")
    func concurrentQueriesShareABoundedPool() async throws {
        let db = TestDatabase.client(maxConnections: 8)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let rows = try await db.query("SELECT \(i)::int + 1 AS n, pg_sleep(0.005)")
                    return try rows[0].decode("n", as: Int.self)
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.sorted() == Array(1...200))
        try await db.shutdown()
    }

    @Test("the pool never opens more than its maximum")
    func poolIsBounded() async throws {
        let name = "pool-bound-\(UUID().uuidString.prefix(8))"
        let db = PostgresClient(
            configuration: PostgresConfiguration(url: TestDatabase.url, maxConnections: 3, applicationName: name),
            logger: .init(label: "test")
        )
        let observer = TestDatabase.client(maxConnections: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 {
                group.addTask { try await db.query("SELECT pg_sleep(0.02)") }
            }
            try await group.waitForAll()
        }
        let rows = try await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = \(name)")
        #expect(try rows[0].decode("n", as: Int.self) == 3)
        try await db.shutdown()
        try await observer.shutdown()
    }

    @Test("a transaction that throws leaves nothing behind; one that returns commits")
    func transactionRollsBackOnThrow() async throws {
        let db = TestDatabase.client()
        let table = TestDatabase.freshTable("tx")
        try await db.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id int PRIMARY KEY)"))
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await db.withTransaction { tx in
                try await tx.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1)"))
                throw Boom()
            }
        }
        try await db.withTransaction { tx in
            try await tx.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (2)"))
        }
        let rows = try await db.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(table) ORDER BY id"))
        #expect(try rows.map { try $0.decode("id", as: Int.self) } == [2])
        try await db.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"))
        try await db.shutdown()
    }

    @Test("constraint violations arrive as typed errors")
    func constraintViolationsAreTyped() async throws {
        let db = TestDatabase.client()
        let table = TestDatabase.freshTable("excl")
        try await db.query(PostgresQuery(unsafeSQL: """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            """))
        try await db.query(PostgresQuery(unsafeSQL: """
            CREATE TABLE \(table) (
                host uuid NOT NULL, email text UNIQUE, during tstzrange NOT NULL,
                EXCLUDE USING gist (host WITH =, during WITH &&)
            )
            """))
        let host = UUID()
        let insert = { (email: String, from: String, to: String) in
            PostgresQuery(unsafeSQL: "INSERT INTO \(table) (host, email, during) VALUES ($1, $2, tstzrange($3::timestamptz, $4::timestamptz))",
                          binds: [host.postgresText, email, from, to])
        }
        try await db.query(insert("a@x", "2024-01-01 10:00Z", "2024-01-01 11:00Z"))
        // Touching ranges do not overlap under half-open semantics.
        try await db.query(insert("b@x", "2024-01-01 11:00Z", "2024-01-01 12:00Z"))
        do {
            try await db.query(insert("c@x", "2024-01-01 10:30Z", "2024-01-01 11:30Z"))
            Issue.record("an overlapping row was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .exclusionViolation)
            #expect(error.sqlState == "23P01")
            #expect(error.constraint != nil)
            #expect("\(error)" == "PostgresError(exclusionViolation)")
        }
        do {
            try await db.query(insert("a@x", "2024-02-01 10:00Z", "2024-02-01 11:00Z"))
            Issue.record("a duplicate email was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .uniqueViolation)
            #expect(error.sqlState == "23505")
        }
        await #expect(throws: PostgresError.self) { try await db.query("SELECT * FROM no_such_table_here") }
        // The connection that saw errors is still usable.
        try await db.ping()
        try await db.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"))
        try await db.shutdown()
    }

    @Test("a serialization failure is typed so callers can retry")
    func serializationFailureIsTyped() async throws {
        let db = TestDatabase.client(maxConnections: 2)
        let table = TestDatabase.freshTable("ser")
        try await db.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id int PRIMARY KEY, n int)"))
        try await db.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1, 0)"))
        let (firstRead, secondDone) = (AsyncStream<Void>.makeStream(), AsyncStream<Void>.makeStream())
        async let first: Void = db.withTransaction(isolation: "SERIALIZABLE") { tx in
            try await tx.query(PostgresQuery(unsafeSQL: "SELECT n FROM \(table) WHERE id = 1"))
            firstRead.continuation.yield()
            for await _ in secondDone.stream { break }
            try await tx.query(PostgresQuery(unsafeSQL: "UPDATE \(table) SET n = n + 1 WHERE id = 1"))
        }
        for await _ in firstRead.stream { break }
        try await db.withTransaction(isolation: "SERIALIZABLE") { tx in
            try await tx.query(PostgresQuery(unsafeSQL: "UPDATE \(table) SET n = n + 10 WHERE id = 1"))
        }
        secondDone.continuation.yield()
        do {
            try await first
            Issue.record("the conflicting serializable transaction committed")
        } catch let error as PostgresError {
            #expect(error.kind == .serializationFailure)
        }
        try await db.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"))
        try await db.shutdown()
    }

    @Test("a caller waits a bounded time for a connection")
    func acquireTimesOut() async throws {
        let db = PostgresClient(
            configuration: PostgresConfiguration(url: TestDatabase.url, maxConnections: 1, acquireTimeout: .milliseconds(100)),
            logger: .init(label: "test")
        )
        async let long: PostgresRows = db.query("SELECT pg_sleep(0.5)")
        try await Task.sleep(for: .milliseconds(50))
        do {
            try await db.query("SELECT 1")
            Issue.record("expected a pool timeout")
        } catch let error as PostgresError {
            #expect(error.kind == .poolTimeout)
        }
        _ = try await long
        try await db.ping()
        try await db.shutdown()
    }

    @Test("a bad address fails with connectionFailed, not a hang")
    func connectFailure() async throws {
        let db = PostgresClient(
            configuration: PostgresConfiguration(url: "postgres://nobody:nothing@127.0.0.1:1/none"),
            logger: .init(label: "test")
        )
        do {
            try await db.ping()
            Issue.record("expected a connection failure")
        } catch let error as PostgresError {
            #expect(error.kind == .connectionFailed)
        }
        try await db.shutdown()
    }
}
