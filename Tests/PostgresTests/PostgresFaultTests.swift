import Foundation
import Testing
import TestSupport
@testable import Postgres

/// Stops and starts the real server, so it runs only in the serial fault pass of `scripts/test`.
@Suite("Fault: PostgreSQL restarts", .serialized, .enabled(if: FaultTests.enabled))
struct PostgresFaultTests {
    @Test("the pool reconnects after the server restarts, and in-flight calls fail typed, not hang")
    func reconnectsAfterRestart() async throws {
        let db = TestDatabase.client(maxConnections: 4)
        // Fill the pool with live connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await db.query("SELECT pg_sleep(0.01)") } }
            try await group.waitForAll()
        }
        try await Stack.run("stop", "postgres")
        do {
            try await db.ping()
            Issue.record("a query succeeded with the server stopped")
        } catch let error as PostgresError {
            #expect([.connectionLost, .connectionFailed].contains(error.kind))
        }
        try await Stack.run("start", "postgres")
        // At most the connections that were idle during the outage fail once; then it works.
        var recovered = false
        for _ in 0..<10 {
            if (try? await db.ping()) != nil { recovered = true; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(recovered)
        for _ in 0..<20 { try await db.ping() }
        try await db.shutdown()
    }
}

/// Whether this run may stop and start servers (`scripts/test` sets it for its serial pass).
enum FaultTests {
    static let enabled = ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1"
}
