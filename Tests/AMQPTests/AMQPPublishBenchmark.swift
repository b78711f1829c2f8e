import AMQP
import Foundation
import Testing
import TestSupport

/// Publish-with-confirm latency and throughput; runs only with `AMQP_BENCHMARK=1`
/// (best in a release build: `swift test -c release --filter AMQPPublishBenchmark`).
@Suite("AMQP publish benchmark", .enabled(if: ProcessInfo.processInfo.environment["AMQP_BENCHMARK"] == "1"))
struct AMQPPublishBenchmark {
    @Test("publish + confirm: sequential latency and concurrent throughput", arguments: [AMQPQueue.Kind.classic, .quorum])
    func publishWithConfirms(kind: AMQPQueue.Kind) async throws {
        let configuration = try TestEnvironment.amqpConfiguration()
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("bench"))
        let queue = AMQPTestSupport.freshName("bench-\(kind.rawValue)")
        try await connection.declare(AMQPQueue(name: queue, kind: kind))
        let body = Array(repeating: UInt8(ascii: "x"), count: 512)
        let properties = AMQPMessageProperties(messageID: "bench", contentType: "application/json", headers: ["x-attempt": 1])
        let clock = ContinuousClock()

        // Warm up, then one at a time: each publish waits for its own confirm.
        for _ in 0..<100 { try await connection.publish(exchange: "", routingKey: queue, body: body, properties: properties) }
        var latencies: [Duration] = []
        for _ in 0..<1_000 {
            let start = clock.now
            try await connection.publish(exchange: "", routingKey: queue, body: body, properties: properties)
            latencies.append(clock.now - start)
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[latencies.count * 99 / 100]

        // Many in flight: confirms come back in batches (`multiple`).
        let total = 10_000
        let inFlight = 100
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                if index >= inFlight { try await group.next() }
                group.addTask { try await connection.publish(exchange: "", routingKey: queue, body: body, properties: properties) }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        let rate = Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        print("AMQP benchmark [\(kind.rawValue), 512 B persistent]: sequential p50 \(p50), p99 \(p99); \(total) with \(inFlight) in flight: \(Int(rate)) msgs/s")
        #expect(try await connection.messageCount(queue: queue) == UInt32(100 + 1_000 + total))
        try await connection.deleteQueue(queue)
        await connection.close()
    }
}
