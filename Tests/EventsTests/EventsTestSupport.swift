import AMQP
import Events
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime
import Testing
import TestSupport

/// Connections, names and small tools shared by the events tests.
enum EventsTestSupport {
    /// The test database: `DATABASE_URL`, or the local stack's `rendezvous_test`.
    static var databaseURL: String { TestEnvironment.databaseURL }



    /// A client on the test database with the bundled migrations applied (0003 creates the outbox).
    static func database(maxConnections: Int = 8) async throws -> PostgresClient {
        try await TestEnvironment.migratedDatabase(application: "events-tests", requiring: ["outbox", "processed_events"], maxConnections: maxConnections)
    }


    /// A table of the test's own that handlers write their effects to: one row per application.
    static func createEffectsTable(_ client: PostgresClient, tag: String) async throws -> String {
        let table = "events_effects_\(tag)"
        try await client.query(PostgresQuery(unsafeSQL: """
            CREATE TABLE \(table) (event_id uuid NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """))
        return table
    }

    /// Counts `(all rows, distinct event ids)` in an effects table.
    static func countEffects(_ client: PostgresClient, table: String) async throws -> (total: Int, distinct: Int) {
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_ids FROM \(table)"))
        return (try rows[0].decode("total", as: Int.self), try rows[0].decode("distinct_ids", as: Int.self))
    }

    /// Drops what a test made: its effects table, its queues.
    static func cleanUp(_ client: PostgresClient, table: String?, queues: [String], amqp: AMQPConnection) async {
        if let table { _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)")) }
        for queue in queues { _ = try? await amqp.deleteQueue(queue) }
    }



}

/// The data of the tests' own events.
struct TestChange: Codable, Sendable, Equatable {
    var sequence: Int
    var note: String

    enum CodingKeys: String, CodingKey {
        case sequence
        case note
    }
}

/// Records what a consumer reported before each ack, for tests to wait on.
actor OutcomeLog {
    private(set) var entries: [(id: UUID, outcome: EventConsumer.Outcome, attempt: Int, redelivered: Bool)] = []

    func append(_ event: ReceivedEvent, _ outcome: EventConsumer.Outcome) {
        entries.append((event.id, outcome, event.attempt, event.redelivered))
    }

    func count(_ outcome: EventConsumer.Outcome) -> Int {
        entries.filter { $0.outcome == outcome }.count
    }
}

/// Runs `services` in the background while `body` runs, then cancels them and waits for them to end.
func withServices<Result: Sendable>(_ services: [any Service], _ body: () async throws -> Result) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for service in services {
            group.addTask { try await service.run() }
        }
        do {
            let result = try await body()
            group.cancelAll()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            try? await group.waitForAll()
            throw error
        }
    }
}


/// A count several tasks add to.
final class SharedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add(_ amount: Int = 1) { lock.withLock { count += amount } }
    var value: Int { lock.withLock { count } }
}
