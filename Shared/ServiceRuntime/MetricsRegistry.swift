import Metrics
import Prometheus

/// The process's Prometheus registry, bootstrapped into swift-metrics once.
///
/// swift-metrics has one global backend per process, so this is the one process-wide value the
/// runtime keeps; everything else is passed in.
package enum MetricsRegistry {
    /// Histogram buckets the design fixes for named timers (seconds).
    static let timerBuckets: [String: [Duration]] = [
        "calendly_booking_creation_duration_seconds": [0.1, 0.25, 0.5, 1, 2.5, 5].map { .milliseconds(Int($0 * 1000)) },
        "calendly_availability_calculation_duration_seconds": [0.05, 0.1, 0.2, 0.5, 1].map { .milliseconds(Int($0 * 1000)) },
        "calendly_calendar_sync_lag_seconds": [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900].map { .milliseconds(Int($0 * 1000)) },
    ]

    /// The registry `/metrics` renders.
    package static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = timerBuckets
        factory.defaultDurationHistogramBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map { .milliseconds(Int($0 * 1000)) }
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}
