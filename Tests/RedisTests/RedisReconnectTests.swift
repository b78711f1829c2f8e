import Foundation
import Testing

@testable import Redis

extension RedisTests {
    /// Stops and restarts the shared Redis through `scripts/stack`; serialized with every other
    /// Redis suite by ``RedisTests``, and Redis is started again even when an expectation fails.
    @Suite("Reconnect after a Redis restart", .serialized)
    struct ReconnectTests {
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

                try await Stack.withRedisStopped {
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
                try await Stack.expectRecovery(of: redis)
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
                try await Stack.withRedisStopped {}

                // The first call may land on a connection to the old server and throw; it drops
                // every idle connection with it, so the next call works.
                let failures = try await Stack.expectRecovery(of: redis)
                #expect(failures <= 1, "more failed calls than the one stale connection explains")
            }
        }
    }
}

/// Runs `scripts/stack` from the repository that holds this file.
enum Stack {
    static let script: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // RedisTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("scripts/stack")

    /// Stops Redis, runs `body`, and starts Redis again whatever `body` did.
    static func withRedisStopped(_ body: () async throws -> Void) async throws {
        try await self.run("stop", "redis")
        let outcome: Result<Void, any Error>
        do {
            try await body()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try await self.run("start", "redis")
        try outcome.get()
    }

    /// Pings through `redis` until it answers, for at most 15 s, and returns how many calls failed
    /// on a stale connection (`connectionLost`).
    ///
    /// Redis is shared with other test targets that may stop it too, so this waits rather than
    /// demanding that the very next call succeeds; "connection refused" means the server is down,
    /// not that the pool kept a dead connection, so it is not counted.
    @discardableResult
    static func expectRecovery(of redis: RedisClient) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(15))
        var failures = 0
        while true {
            do {
                let pong = try await redis.ping()
                #expect(pong == "PONG")
                print("client answered again after \(failures) call(s) on stale connections")
                return failures
            } catch let error as RedisError {
                if case .connectionLost = error { failures += 1 }
                print("call after the restart threw \(String(reflecting: error))")
                if clock.now >= deadline {
                    Issue.record("the client did not recover within 15 s")
                    throw error
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Runs `scripts/stack ARGUMENTS…` and throws if it exits non-zero.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid` on a thread of its own rather than
    /// through Foundation's `Process`: measured here, `Process` reported the script's exit only
    /// when a later SIGCHLD arrived (minutes later), after the daemonized redis-server died.
    static func run(_ arguments: String...) async throws {
        let path = self.script.path
        let clock = ContinuousClock()
        let start = clock.now
        let status: Int32 = try await RedisTestEnvironment.onDedicatedThread {
            let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, path, nil, nil, argv, environ)
            guard spawned == 0 else { throw StackFailure(arguments: arguments, status: -spawned) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 {
                guard errno == EINTR else { throw StackFailure(arguments: arguments, status: -errno) }
            }
            // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
            return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }
        print("scripts/stack \(arguments.joined(separator: " ")) exited \(status) after \(clock.now - start)")
        guard status == 0 else { throw StackFailure(arguments: arguments, status: status) }
    }

    struct StackFailure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        var description: String { "scripts/stack \(arguments.joined(separator: " ")) exited \(status)" }
    }
}
