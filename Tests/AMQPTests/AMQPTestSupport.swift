import AMQP
import Foundation
import Logging
import Testing

/// Connection settings and small tools shared by the broker tests.
enum AMQPTestSupport {


    /// A name no other test (or earlier run) uses.
    static func freshName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }


}

/// Collects a consumer's deliveries, settling each as told, so tests can wait for counts.
actor DeliveryCollector {
    private(set) var deliveries: [AMQPDelivery] = []
    private var task: Task<Void, Never>?

    /// Starts iterating `consumer.deliveries`; `disposition` decides each settle (nil: leave it unsettled).
    func start(_ consumer: AMQPConsumer, disposition: @escaping @Sendable (AMQPDelivery) -> AMQPDisposition?) {
        task = Task {
            for await delivery in consumer.deliveries {
                if let decision = disposition(delivery) {
                    await consumer.settle(delivery, decision)
                }
                self.append(delivery)
            }
        }
    }

    private func append(_ delivery: AMQPDelivery) {
        deliveries.append(delivery)
    }

    /// Waits until at least `count` deliveries arrived or `timeout` passed; returns them all.
    func waitFor(count: Int, timeout: Duration = .seconds(10)) async -> [AMQPDelivery] {
        let deadline = ContinuousClock.now + timeout
        while deliveries.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return deliveries
    }

    /// Waits for the iteration to end (the consumer stopped).
    func finished() async {
        await task?.value
    }
}
