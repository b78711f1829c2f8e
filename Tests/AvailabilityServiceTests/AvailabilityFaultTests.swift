import Foundation
import Testing
import TestSupport

/// Stops the stack's Redis, so it runs only in the serial fault pass of `scripts/test`.
@Suite("Fault: slots without Redis", .serialized, .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1"))
struct AvailabilityFaultTests {
    @Test("Redis stops: slots are computed and answered (miss), /ready says Redis is down; it starts: the cache works again")
    func slotsWithoutRedis() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await SlotsTests.workingHost(client)
            #expect(try await client.slots(type, date: "2026-03-03").cache == "miss")
            #expect(try await client.slots(type, date: "2026-03-03").cache == "hit")

            try await Stack.run("stop", "redis")
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
                try await Stack.run("start", "redis")
                throw error
            }
            try await Stack.run("start", "redis")

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
