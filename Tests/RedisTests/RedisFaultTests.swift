import Foundation
import Testing
import TestSupport

@testable import Redis

/// Stops and restarts the shared Redis through `scripts/stack`, so it runs only in the serial
/// fault pass of `scripts/test` (`RENDEZVOUS_FAULT_TESTS=1`); Redis is started again even when
/// an expectation fails.
@Suite(
    "Fault: Redis client across a Redis restart",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1", "set RENDEZVOUS_FAULT_TESTS=1"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: Stack.script.path), "needs scripts/stack"),
    .timeLimit(.minutes(2))
)
struct RedisFaultTests {
    @Test func aCallDuringTheOutageThrowsAndTheSameClientRecovers() async throws {
        let prefix = RedisTestEnvironment.keyPrefix()
        var configuration = try RedisTestEnvironment.configuration(maximumConnections: 4)
        configuration.commandTimeout = .milliseconds(500)
        try await RedisTestEnvironment.withClient(configuration) { redis in
            // Open several connections so stale idle ones exist when the server goes away.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await redis.ping() } }
                try await group.waitForAll()
            }
            try await redis.set(prefix + "before", "1")

            try await Stack.withStopped("redis") {
                let clock = ContinuousClock()
                for attempt in 0..<2 {
                    let start = clock.now
                    let error = await #expect(throws: RedisError.self) { try await redis.ping() }
                    let elapsed = clock.now - start
                    print("call \(attempt) during the outage threw \(String(reflecting: error)) after \(elapsed)")
                    #expect(elapsed < .seconds(2))
                    switch error {
                    case .connectionLost?, .connectionFailed?, .timeout?: break
                    default: Issue.record("unexpected error \(String(describing: error))")
                    }
                }
            }

            // Same client, no recreation: the stale connections were dropped.
            try await RedisRecovery.expectRecovery(of: redis)
            #expect(try await redis.set(prefix + "after", "2"))
            #expect(try await redis.getString(prefix + "after") == "2")
            try await redis.delete(prefix + "before", prefix + "after")
        }
    }

    @Test func aRestartBetweenCallsCostsAtMostOneFailedCall() async throws {
        var configuration = try RedisTestEnvironment.configuration(maximumConnections: 4)
        configuration.commandTimeout = .milliseconds(500)
        try await RedisTestEnvironment.withClient(configuration) { redis in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await redis.ping() } }
                try await group.waitForAll()
            }
            try await Stack.withStopped("redis") {}

            // The first call may land on a connection to the old server and throw; it drops
            // every idle connection with it, so the next call works.
            let failures = try await RedisRecovery.expectRecovery(of: redis)
            #expect(failures <= 1, "more failed calls than the one stale connection explains")
        }
    }
}
