import Foundation
import Logging
import Postgres
import Testing
@testable import ServiceRuntime

@Suite("Migrations under an advisory lock")
struct DatabaseMigratorTests {
    let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "postgres://rendezvous:rendezvous@127.0.0.1:55432/rendezvous_test"

    @Test("concurrent migrators apply each file exactly once, and a second run applies nothing")
    func concurrentAndIdempotent() async throws {
        let tag = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        let migrator = DatabaseMigrator(migrations: [
            .init(version: "t\(tag)-2", name: "t\(tag)-2_rows", sql: "INSERT INTO mig_\(tag) VALUES (1); INSERT INTO mig_\(tag) VALUES (2);"),
            .init(version: "t\(tag)-1", name: "t\(tag)-1_table", sql: "CREATE TABLE mig_\(tag) (n int PRIMARY KEY);"),
        ])
        let clients = (0..<4).map { _ in
            PostgresClient(configuration: .init(url: url, maxConnections: 2), logger: Logger(label: "test"))
        }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for client in clients {
                group.addTask { try await migrator.migrate(client, logger: Logger(label: "test")) }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(applied.sorted() == ["t\(tag)-1", "t\(tag)-2"])
        #expect(try await migrator.migrate(clients[0], logger: Logger(label: "test")).isEmpty)
        let rows = try await clients[0].query(PostgresQuery(unsafeSQL: "SELECT count(*)::int AS n FROM mig_\(tag)"))
        #expect(try rows[0].decode("n", as: Int.self) == 2)
        try await clients[0].query(PostgresQuery(unsafeSQL: "DROP TABLE mig_\(tag)"))
        try await clients[0].query("DELETE FROM schema_migrations WHERE version LIKE \("t\(tag)-%")")
        for client in clients { try await client.shutdown() }
    }

    @Test("a failing migration rolls back whole and is not recorded")
    func failingMigrationRollsBack() async throws {
        let tag = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        let client = PostgresClient(configuration: .init(url: url, maxConnections: 1), logger: Logger(label: "test"))
        let migrator = DatabaseMigrator(migrations: [
            .init(version: "f\(tag)", name: "f\(tag)_broken", sql: "CREATE TABLE mig_\(tag) (n int); SELECT no_such_function();"),
        ])
        await #expect(throws: PostgresError.self) { try await migrator.migrate(client, logger: Logger(label: "test")) }
        let rows = try await client.query("SELECT to_regclass(\("mig_\(tag)")) IS NULL AS gone, (SELECT count(*) FROM schema_migrations WHERE version = \("f\(tag)"))::int AS n")
        #expect(try rows[0].decode("gone", as: Bool.self))
        #expect(try rows[0].decode("n", as: Int.self) == 0)
        // The lock was released: another run gets it at once.
        try await client.query("SELECT pg_advisory_unlock_all()")
        try await client.shutdown()
    }

    @Test("the bundled migrations create the booking constraint")
    func bundledMigrations() async throws {
        let client = PostgresClient(configuration: .init(url: url, maxConnections: 1), logger: Logger(label: "test"))
        try await DatabaseMigrator.bundled().migrate(client, logger: Logger(label: "test"))
        let rows = try await client.query("SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'bookings_no_overlap' AND contype = 'x'")
        #expect(try rows[0].decode("n", as: Int.self) == 1)

        // The constraint itself: overlapping confirmed bookings of one host cannot both exist.
        let host = UUID()
        try await client.query("""
            INSERT INTO users (id, email, password_hash, name, time_zone, slug)
            VALUES (\(host), \("\(host)@example.com"), 'x', 'Host', 'UTC', \(host.uuidString.lowercased()))
            """)
        let meetingType = UUID()
        try await client.query("""
            INSERT INTO meeting_types (id, user_id, name, slug, duration_minutes)
            VALUES (\(meetingType), \(host), 'Intro', 'intro', 30)
            """)
        func book(_ start: String, _ end: String, status: String = "confirmed") async throws {
            try await client.query("""
                INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, status,
                                      invitee_name, invitee_email, invitee_timezone, cancel_token_hash)
                VALUES (\(UUID()), \(host), \(meetingType), \(start)::timestamptz, \(end)::timestamptz, \(status),
                        'Ivy', 'ivy@example.com', 'UTC', \(PostgresBytes(Array(UUID().uuidString.utf8)))::bytea)
                """)
        }
        try await book("2030-01-01T10:00:00Z", "2030-01-01T10:30:00Z")
        try await book("2030-01-01T10:30:00Z", "2030-01-01T11:00:00Z")  // touching is fine
        try await book("2030-01-01T10:15:00Z", "2030-01-01T10:45:00Z", status: "cancelled")
        do {
            try await book("2030-01-01T10:15:00Z", "2030-01-01T10:45:00Z")
            Issue.record("an overlapping confirmed booking was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .exclusionViolation)
        }
        try await client.shutdown()
    }
}
