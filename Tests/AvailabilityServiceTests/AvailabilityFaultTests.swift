import Foundation
import Testing

/// Stops the stack's Redis, so it runs only in the serial fault pass of `scripts/test`.
@Suite("Fault: slots without Redis", .serialized, .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1"))
struct AvailabilityFaultTests {
    static let stack = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/stack").path

    /// Runs `scripts/stack ARGUMENTS` through a shell that closes inherited descriptors (the
    /// daemonized server would otherwise hold ours, and Foundation's `Process` waits for them).
    static func stack(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let closeDescriptors = #"for fd in /proc/self/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null; fi; done; exec "$@""#
        process.arguments = ["-c", closeDescriptors, "stack", stack] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "scripts/stack \(arguments)")
    }

    @Test("Redis stops: slots are computed and answered (miss), /ready says Redis is down; it starts: the cache works again")
    func slotsWithoutRedis() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await SlotsTests.workingHost(client)
            #expect(try await client.slots(type, date: "2026-03-03").cache == "miss")
            #expect(try await client.slots(type, date: "2026-03-03").cache == "hit")

            try Self.stack("stop", "redis")
            do {
                for _ in 0..<3 {
                    let reply = try await client.slots(type, date: "2026-03-03")
                    #expect(reply.status == .ok)
                    #expect(reply.cache == "miss")
                    #expect(reply.starts == SlotsTests.workingDay)
                }
                let ready = try await client.get("/ready")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.body.contains(#""redis":"unavailable""#))
            } catch {
                try Self.stack("start", "redis")
                throw error
            }
            try Self.stack("start", "redis")

            // The pool reconnects on its own: within a few seconds answers are cached again.
            let deadline = ContinuousClock.now + .seconds(15)
            var last: String?
            while ContinuousClock.now < deadline {
                last = try await client.slots(type, date: "2026-03-03").cache
                if last == "hit" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(last == "hit")
        }
    }
}
