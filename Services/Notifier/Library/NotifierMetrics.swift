import Metrics

/// The notifier's metrics: outcomes by kind (never ids), the due-but-unsent backlog and its age.
struct NotifierMetrics: Sendable {
    /// `calendly_notifications_sent_total{kind}`.
    func sent(_ kind: NotificationKind) {
        Counter(label: "calendly_notifications_sent_total", dimensions: [("kind", kind.rawValue)]).increment()
    }

    /// `calendly_notifications_failed_total{kind}`: failed for good (after the last attempt, or a permanent refusal).
    func failed(_ kind: String) {
        Counter(label: "calendly_notifications_failed_total", dimensions: [("kind", kind)]).increment()
    }

    /// `calendly_notifications_retried_total{kind}`: attempts that will be tried again.
    func retried(_ kind: NotificationKind) {
        Counter(label: "calendly_notifications_retried_total", dimensions: [("kind", kind.rawValue)]).increment()
    }

    /// `calendly_notifications_skipped_total{kind}`: not sent because the booking changed since.
    func skipped(_ kind: NotificationKind) {
        Counter(label: "calendly_notifications_skipped_total", dimensions: [("kind", kind.rawValue)]).increment()
    }

    /// `calendly_notifications_unconfirmed_total{kind}`: the dispatcher died while SMTP had the message.
    func unconfirmed(_ kind: String) {
        Counter(label: "calendly_notifications_unconfirmed_total", dimensions: [("kind", kind)]).increment()
    }

    /// `calendly_notification_backlog`: due rows not sent yet (the alert: > 100 warning, > 500 critical).
    func backlog(_ count: Int) {
        Gauge(label: "calendly_notification_backlog").record(count)
    }

    /// `calendly_notification_backlog_oldest_age_seconds`: how long the oldest due row has waited.
    func backlogAge(_ seconds: Double) {
        Gauge(label: "calendly_notification_backlog_oldest_age_seconds").record(seconds)
    }

    /// `calendly_notification_delivery_lag_seconds`: due time → accepted by SMTP.
    func deliveryLag(_ seconds: Double) {
        Timer(label: "calendly_notification_delivery_lag_seconds", preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }
}
