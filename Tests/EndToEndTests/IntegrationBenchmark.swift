import Foundation
import ProviderFakes
import Testing
import TestSupport
@testable import IntegrationService

/// Provider change → slot gone, through the whole path: the fake's push → the webhook → the
/// coalesced sync (events.list with the sync token) → busy rows + `calendar.synced` in one
/// transaction → relay → RabbitMQ → the availability service drops the host's cached slots →
/// the next look-up no longer offers the slot. Enabled by `INTEGRATION_BENCHMARK=1`
/// (`scripts/bench-integration`).
@Suite("Integration benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["INTEGRATION_BENCHMARK"] == "1"))
struct IntegrationBenchmark {
    static var count: Int { Int(ProcessInfo.processInfo.environment["INTEGRATION_BENCHMARK_PUSHES"] ?? "") ?? 100 }

    @Test("provider change + push → slot gone from GET /api/availability/slots, p50/p99")
    func pushToSlotGone() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { !h.google.channels.isEmpty })
            await h.settle(id)

            // Free 30-minute slots on weekdays ahead, 16 a day.
            var slots: [(date: String, start: Date)] = []
            var ahead = 2
            while slots.count < Self.count {
                let day = h.workday(daysAhead: ahead)
                for index in 0 ..< 16 where slots.count < Self.count {
                    slots.append((day.date, day.midnight.addingTimeInterval(9 * 3600 + Double(index) * 1800)))
                }
                ahead = Int(day.midnight.timeIntervalSinceNow / 86_400) + 2
            }
            var latencies: [Double] = []
            for slot in slots {
                // Warm the cache for that day, then change the calendar (the fake pushes at once).
                guard try await h.slots(on: slot.date).contains(slot.start) else { continue }
                let clock = ContinuousClock.now
                try await h.google.addEvent(.timed(start: slot.start, end: slot.start.addingTimeInterval(1800)), title: "Bench")
                // Polled every 2 ms (the shared `eventually` sleeps 50 ms, which would be most of the figure).
                var gone = false
                while !gone, ContinuousClock.now - clock < .seconds(10) {
                    gone = !(try await h.slots(on: slot.date).contains(slot.start))
                    if !gone { try await Task.sleep(for: .milliseconds(2)) }
                }
                #expect(gone)
                let elapsed = ContinuousClock.now - clock
                latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            latencies.sort()
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)] }
            print(String(
                format: "INTEGRATION BENCHMARK provider change → slot gone over %d pushes: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                latencies.count, percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? 0
            ))
            let syncs = h.google.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/events") }.count
            print("INTEGRATION BENCHMARK events.list calls: \(syncs) for \(latencies.count) pushes")
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }
}
