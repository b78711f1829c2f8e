import Foundation
import Postgres
import Testing
import TestSupport
@testable import NotifierService

/// Booking commit → confirmation accepted by SMTP, through the whole path: outbox, relay,
/// RabbitMQ, the notifier's consumer transaction, the dispatcher, the local SMTP sink.
/// Enabled by `NOTIFIER_BENCHMARK=1` (`scripts/bench-notifier` runs it in a release build).
@Suite("Notifier benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["NOTIFIER_BENCHMARK"] == "1"))
struct NotifierBenchmark {
    static var count: Int { Int(ProcessInfo.processInfo.environment["NOTIFIER_BENCHMARK_BOOKINGS"] ?? "") ?? 500 }
    static var rate: Double { Double(ProcessInfo.processInfo.environment["NOTIFIER_BENCHMARK_RATE"] ?? "") ?? 25 }

    @Test("paced bookings: commit → invitee's confirmation accepted by SMTP, p50/p99")
    func pacedLatency() async throws {
        let f = try await NotifierFixture.make()
        let count = Self.count
        let interval = 1 / Self.rate
        // The service's own dispatcher settings: woken by LISTEN, polling every 2 s.
        let options = f.options(dispatcher: .init())
        let (commits, drained) = try await NotifierFlowTests.withNotifier(f, options: options) { _ in
            let first = NotifierFixture.hoursAhead(24 * 90)
            var commits: [UUID: Date] = [:]
            let clock = ContinuousClock()
            let began = clock.now
            for index in 0..<count {
                let due = began + .seconds(interval * Double(index))
                if clock.now < due { try await Task.sleep(until: due, clock: clock) }
                let (booking, _) = try await f.book(start: first.addingTimeInterval(Double(index) * 3600), email: "bench-\(f.tag)-\(index)@example.com")
                commits[booking.id] = Date()
            }
            let drained = try await eventually(timeout: .seconds(120)) {
                let rows = try await f.db.query("""
                    SELECT count(*)::int AS n FROM scheduled_notifications WHERE host_user_id = \(f.hostID) AND kind = 'confirmation' AND status = 'sent'
                    """)
                return try rows[0].decode("n", as: Int.self) == 2 * count
            }
            return (commits, drained)
        }
        #expect(drained)
        let rows = try await f.db.query("""
            SELECT booking_id, sent_at FROM scheduled_notifications
            WHERE host_user_id = \(f.hostID) AND kind = 'confirmation' AND recipient_role = 'invitee' AND status = 'sent'
            """)
        var latencies: [Double] = []
        for row in rows {
            let id = try row.decode("booking_id", as: UUID.self)
            guard let committed = commits[id], let sent = try row.decode("sent_at", as: Date?.self) else { continue }
            latencies.append(sent.timeIntervalSince(committed) * 1000)
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(String(format: "NOTIFIER BENCHMARK: %d bookings at %.0f/s, commit → invitee confirmation accepted by SMTP: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                     latencies.count, Self.rate, percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? .nan))
        #expect(latencies.count == count)
        await f.cleanUp()
    }

    @Test("a burst: bookings committed at once, time until every confirmation is accepted")
    func burst() async throws {
        let f = try await NotifierFixture.make()
        let count = Self.count
        let options = f.options(dispatcher: .init())
        let elapsed = try await NotifierFlowTests.withNotifier(f, options: options) { _ in
            let first = NotifierFixture.hoursAhead(24 * 120)
            let clock = ContinuousClock()
            let began = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for index in stride(from: worker, to: count, by: 4) {
                            _ = try await f.book(start: first.addingTimeInterval(Double(index) * 3600), email: "burst-\(f.tag)-\(index)@example.com")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let committed = clock.now - began
            let drained = try await eventually(timeout: .seconds(180)) {
                let rows = try await f.db.query("""
                    SELECT count(*)::int AS n FROM scheduled_notifications WHERE host_user_id = \(f.hostID) AND kind = 'confirmation' AND status = 'sent'
                    """)
                return try rows[0].decode("n", as: Int.self) == 2 * count
            }
            #expect(drained)
            return (committed, clock.now - began)
        }
        let seconds = Double(elapsed.1.components.seconds) + Double(elapsed.1.components.attoseconds) / 1e18
        let commitSeconds = Double(elapsed.0.components.seconds) + Double(elapsed.0.components.attoseconds) / 1e18
        print(String(format: "NOTIFIER BENCHMARK: burst of %d bookings (%d emails) committed in %.1f s, all confirmations accepted after %.1f s: %.0f emails/s",
                     count, 2 * count, commitSeconds, seconds, Double(2 * count) / seconds))
        await f.cleanUp()
    }
}
