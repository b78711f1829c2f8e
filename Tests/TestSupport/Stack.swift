import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the project's `scripts/stack` (start and stop PostgreSQL, Redis, RabbitMQ, …) from the
/// tests that prove faults are survived. The one runner every test target uses.
package enum Stack {
    /// `scripts/stack` of the repository that holds this file.
    package static let script: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .appendingPathComponent("scripts/stack")

    /// `scripts/stack ARGUMENTS…` failed.
    package struct Failure: Error, CustomStringConvertible {
        package let arguments: [String]
        package let status: Int32
        package var description: String { "scripts/stack \(arguments.joined(separator: " ")) exited \(status)" }
    }

    /// Runs `scripts/stack ARGUMENTS…`, waits for it, and throws if it exits non-zero.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid` on a thread of its own, through a
    /// shell that first closes every inherited descriptor above 2. A server the script starts
    /// daemonizes and would otherwise keep copies of this process's descriptors: our own client
    /// sockets, and the one Foundation's `Process` watches to notice the exit, which then reports
    /// the script's end only when that server dies, minutes later (it hung four tests before).
    package static func run(_ arguments: String...) async throws {
        try await run(arguments)
    }

    /// `run(_:)` with an array.
    package static func run(_ arguments: [String]) async throws {
        let status = try await status(arguments)
        guard status == 0 else { throw Failure(arguments: arguments, status: status) }
    }

    /// Runs `scripts/stack ARGUMENTS…` on a thread of its own (it blocks for seconds, and the
    /// cooperative pool, as many threads as cores, is what the code under test needs meanwhile);
    /// returns its exit status.
    package static func status(_ arguments: [String]) async throws -> Int32 {
        try await onThread { try runBlocking(arguments) }
    }

    /// Runs `scripts/stack ARGUMENTS…` on the calling thread and returns its exit status: for a
    /// `defer`, which cannot wait asynchronously.
    @discardableResult
    package static func runBlocking(_ arguments: [String]) throws -> Int32 {
        let closeDescriptors = #"for fd in /proc/self/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null; fi; done; exec "$@""#
        let command = ["/bin/bash", "-c", closeDescriptors, "stack", script.path] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], nil, nil, argv, environ)
        guard spawned == 0 else { throw Failure(arguments: arguments, status: -spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(arguments: arguments, status: -errno) }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Stops `component`, runs `body`, and starts the component again whatever `body` did.
    package static func withStopped<Value: Sendable>(_ component: String, _ body: () async throws -> Value) async throws -> Value {
        try await run("stop", component)
        let outcome: Result<Value, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        try await run("start", component)
        return try outcome.get()
    }

    /// Runs blocking `work` on a thread of its own, off Swift's cooperative pool.
    private static func onThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
