import Metrics

/// The relay's metrics: backlog, publishes, failures and the time rows waited.
struct OutboxMetrics: Sendable {
    /// Unsent rows, sampled by the relay.
    let backlog = Gauge(label: "calendly_outbox_backlog")
    /// Age in seconds of the oldest unsent row (0 when none), sampled by the relay.
    let oldestAge = Gauge(label: "calendly_outbox_oldest_age_seconds")
    /// Events published and confirmed by the broker.
    let published = Counter(label: "calendly_outbox_published_total")
    /// Publish attempts that failed (the rows stay unsent and are retried).
    let failures = Counter(label: "calendly_outbox_publish_failures_total")
    /// From the row's insert to the broker's confirm.
    let publishLag = Metrics.Timer(label: "calendly_outbox_publish_lag_seconds")
}
