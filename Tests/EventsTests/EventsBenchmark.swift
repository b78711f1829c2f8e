import AMQP
import Events
import Foundation
import Postgres
import Testing
import TestSupport

/// Events per second and commit → consumer latency through outbox → relay → RabbitMQ → consumer.
/// Runs only with `EVENTS_BENCHMARK=1`, best in a release build: `scripts/bench-events`.
@Suite("Events benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["EVENTS_BENCHMARK"] == "1"))
struct EventsBenchmark {
    /// When each event committed and when its consumer's transaction committed.
    final class Stopwatch: @unchecked Sendable {
        private let lock = NSLock()
        private var committed: [UUID: ContinuousClock.Instant] = [:]
        private var consumed: [UUID: ContinuousClock.Instant] = [:]
        private var sequences: [Int] = []

        func commit(_ id: UUID, at instant: ContinuousClock.Instant) { lock.withLock { committed[id] = instant } }
        func consume(_ id: UUID, sequence: Int, at instant: ContinuousClock.Instant) {
            lock.withLock {
                consumed[id] = instant
                sequences.append(sequence)
            }
        }

        /// Deliveries that came after a later event of the same producer (producer = sequence mod `producers`).
        func outOfOrder(producers: Int) -> Int {
            lock.withLock {
                var highest = [Int](repeating: -1, count: producers)
                var count = 0
                for sequence in sequences {
                    if sequence < highest[sequence % producers] { count += 1 }
                    highest[sequence % producers] = max(highest[sequence % producers], sequence)
                }
                return count
            }
        }
        var consumedCount: Int { lock.withLock { consumed.count } }

        /// Sorted latencies, the first commit and the last consumption.
        func summary() -> (latencies: [Duration], first: ContinuousClock.Instant, lastCommit: ContinuousClock.Instant, last: ContinuousClock.Instant) {
            lock.withLock {
                let latencies = consumed.compactMap { id, end in committed[id].map { end - $0 } }.sorted()
                return (latencies, committed.values.min()!, committed.values.max()!, consumed.values.max()!)
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f ms", seconds(duration) * 1000)
    }

    /// Commits `total` events from `producers` tasks (one event per transaction, paced by `interval`
    /// per producer when given), waits for all to be consumed, and prints the figures.
    func run(label: String, total: Int, producers: Int, interval: Duration?, concurrency: Int) async throws {
        let database = try await EventsTestSupport.database(maxConnections: 16)
        let tag = freshTag()
        let type = "test.\(tag).bench"
        let table = try await EventsTestSupport.createEffectsTable(database, tag: tag)
        let stopwatch = Stopwatch()
        let configuration = try TestEnvironment.amqpConfiguration()
        let consumer = EventConsumer(
            queue: "test.events.\(tag)", bindings: [type], database: database, amqpConfiguration: configuration,
            logger: testLogger("bench.consumer"),
            configuration: .init(prefetch: 64, concurrency: concurrency, beforeAck: { event, _ in
                let now = ContinuousClock.now
                stopwatch.consume(event.id, sequence: (try? event.decode(TestChange.self).sequence) ?? 0, at: now)
            })
        ) { event, session in
            try await session.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) (event_id) VALUES ($1)", binds: [event.id.postgresText]))
        }
        let amqp = AMQPConnection(configuration: configuration, logger: testLogger("bench.amqp"))
        try await amqp.declare(consumer.topology.amqpTopology)
        let relay = OutboxRelay(database: database, amqp: amqp, logger: testLogger("bench.relay"), databaseURL: EventsTestSupport.databaseURL)
        try await withServices([consumer, relay]) {
            try await Task.sleep(for: .milliseconds(500))  // both connected and idle
            try await withThrowingTaskGroup(of: Void.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        for index in stride(from: producer, to: total, by: producers) {
                            let id = try await database.withTransaction { session in
                                try await Outbox.enqueue(type: type, version: 1, data: TestChange(sequence: index, note: "bench"), requestID: nil, in: session)
                            }
                            stopwatch.commit(id, at: .now)
                            if let interval { try await Task.sleep(for: interval) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let done = await eventually(timeout: .seconds(300)) { stopwatch.consumedCount >= total }
            #expect(done)
        }
        // The relay's share: from the first row written to the last one confirmed.
        let relayed = try await database.query("""
            SELECT EXTRACT(EPOCH FROM max(published_at) - min(created_at))::float8 AS seconds FROM outbox WHERE type = \(type)
            """)
        let relaySeconds = try relayed[0].decode("seconds", as: Double.self)
        let (latencies, first, lastCommit, last) = stopwatch.summary()
        let rate = Double(total) / Self.seconds(last - first)
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print("EVENTS BENCHMARK [\(label), \(total) events, \(producers) producers, consumer concurrency \(concurrency)]: "
              + "\(Int(rate)) events/s commit→consumed; latency commit→consumer commit p50 \(Self.milliseconds(p50)), "
              + "p99 \(Self.milliseconds(p99)), max \(Self.milliseconds(latencies.last!)); "
              + "relay alone \(Int(Double(total) / relaySeconds)) events/s (first row written → last row confirmed); "
              + "producers committed \(Int(Double(total) / Self.seconds(lastCommit - first))) events/s; "
              + "\(stopwatch.outOfOrder(producers: producers)) deliveries behind a later event of their producer")
        #expect(try await EventsTestSupport.countEffects(database, table: table).total == total)
        await EventsTestSupport.cleanUp(database, table: table, queues: consumer.topology.queueNames, amqp: amqp)
        await amqp.close()
        try await database.shutdown()
    }

    @Test("paced load: latency from commit to the consumer's commit")
    func pacedLatency() async throws {
        // About 200 events/s: 4 producers, one commit every 20 ms each.
        try await run(label: "paced ~200/s", total: 2_000, producers: 4, interval: .milliseconds(20), concurrency: 1)
    }

    @Test("saturation: events per second through outbox → broker → consumer", arguments: [1, 4])
    func throughput(concurrency: Int) async throws {
        try await run(label: "saturated", total: 10_000, producers: 8, interval: nil, concurrency: concurrency)
    }
}
