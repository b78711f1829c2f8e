import Metrics

/// A consumer's metrics, labelled by queue (and outcome): never by event id.
struct ConsumerMetrics: Sendable {
    let processed: Counter
    let duplicates: Counter
    let retried: Counter
    let deadLettered: Counter
    let handling: Metrics.Timer

    init(queue: String) {
        func outcome(_ name: String) -> Counter {
            Counter(label: "calendly_events_consumed_total", dimensions: [("queue", queue), ("outcome", name)])
        }
        processed = outcome("processed")
        duplicates = outcome("duplicate")
        retried = outcome("retried")
        deadLettered = outcome("dead_lettered")
        handling = Metrics.Timer(label: "calendly_event_handling_duration_seconds", dimensions: [("queue", queue)])
    }

    /// Messages waiting in one of the consumer's queues (work, retry, dead letters).
    static func depth(of queue: String) -> Gauge {
        Gauge(label: "calendly_queue_depth", dimensions: [("queue", queue)])
    }
}
