import Metrics

/// The booking service's metrics, named as the design fixes them.
struct BookingMetrics: Sendable {
    /// `calendly_booking_operations_total{operation,status}`.
    func operation(_ operation: String, _ status: String) {
        Counter(label: "calendly_booking_operations_total", dimensions: [("operation", operation), ("status", status)]).increment()
    }

    /// `calendly_booking_creation_duration_seconds`.
    func creationDuration(_ duration: Duration) {
        Timer(label: "calendly_booking_creation_duration_seconds", preferredDisplayUnit: .seconds).record(duration: duration)
    }

    /// `calendly_double_booking_prevented_total`: a request lost a race for a slot that another booking holds.
    func doubleBookingPrevented(layer: String) {
        Counter(label: "calendly_double_booking_prevented_total").increment()
        Counter(label: "calendly_booking_conflicts_by_layer_total", dimensions: [("layer", layer)]).increment()
    }

    /// Requests that waited for the host lock, and whether they got it.
    func lockWait(acquired: Bool) {
        Counter(label: "calendly_booking_lock_waits_total", dimensions: [("acquired", acquired ? "true" : "false")]).increment()
    }

    /// Requests that went on without the Redis lock because Redis did not answer.
    func redisSkipped(_ what: String) {
        Counter(label: "calendly_booking_redis_skipped_total", dimensions: [("step", what)]).increment()
    }
}
