import Foundation
import Testing

@testable import Redis

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
    /// Spawned with `posix_spawn` and reaped with `waitpid` on a thread of its own, through a
    /// shell that first closes every inherited descriptor above 2: otherwise the daemonized
    /// redis-server keeps copies of this process's descriptors (our own Redis sockets, and
    /// whatever Foundation's `Process` watches — measured here, `Process` reported the script's
    /// exit only when that redis-server died, minutes later).
    static func run(_ arguments: String...) async throws {
        let closeDescriptors = #"for fd in /proc/self/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null; fi; done; exec "$@""#
        let command = ["/bin/bash", "-c", closeDescriptors, "stack", self.script.path] + arguments
        let clock = ContinuousClock()
        let start = clock.now
        let status: Int32 = try await RedisTestEnvironment.onDedicatedThread {
            let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, command[0], nil, nil, argv, environ)
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
