import Foundation
import Metrics

/// The integration service's metrics (labels are providers and outcomes, never ids).
struct IntegrationMetrics: Sendable {
    /// `calendly_calendar_sync_lag_seconds{provider}`: from the moment a sync became due (push
    /// received, host asked, poll found the data stale) to its busy data committed.
    func syncLag(_ provider: Provider, seconds: Double) {
        Timer(label: "calendly_calendar_sync_lag_seconds", dimensions: [("provider", provider.rawValue)])
            .recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    /// `calendly_calendar_syncs_total{provider,outcome}`: changed, unchanged, rate_limited, unavailable, needs_reauth, failed.
    func sync(_ provider: Provider, outcome: String) {
        Counter(label: "calendly_calendar_syncs_total", dimensions: [("provider", provider.rawValue), ("outcome", outcome)]).increment()
    }

    /// `calendly_calendar_full_resyncs_total{provider}`: a cursor expired (410) and the whole window was read again.
    func fullResync(_ provider: Provider) {
        Counter(label: "calendly_calendar_full_resyncs_total", dimensions: [("provider", provider.rawValue)]).increment()
    }

    /// `calendly_calendar_provider_errors_total{provider,kind}`.
    func providerError(_ provider: Provider, _ error: ProviderError) {
        let kind = switch error {
        case .unauthorized: "unauthorized"
        case .invalidGrant: "invalid_grant"
        case .rateLimited: "rate_limited"
        case .cursorExpired: "cursor_expired"
        case .notFound: "not_found"
        case .unavailable: "unavailable"
        case .rejected: "rejected"
        }
        Counter(label: "calendly_calendar_provider_errors_total", dimensions: [("provider", provider.rawValue), ("kind", kind)]).increment()
    }

    /// `calendly_calendar_token_refreshes_total{provider,outcome}`.
    func tokenRefresh(_ provider: Provider, outcome: String) {
        Counter(label: "calendly_calendar_token_refreshes_total", dimensions: [("provider", provider.rawValue), ("outcome", outcome)]).increment()
    }

    /// `calendly_calendar_webhooks_total{provider,outcome}`: accepted, handshake, unknown_channel, bad_token, ignored.
    func webhook(_ provider: Provider, outcome: String) {
        Counter(label: "calendly_calendar_webhooks_total", dimensions: [("provider", provider.rawValue), ("outcome", outcome)]).increment()
    }

    /// `calendly_calendar_writes_total{provider,operation,outcome}`: meetings written back.
    func write(_ provider: Provider, operation: String, outcome: String) {
        Counter(label: "calendly_calendar_writes_total", dimensions: [("provider", provider.rawValue), ("operation", operation), ("outcome", outcome)]).increment()
    }

    /// `calendly_calendar_integrations_needing_reauth`: sampled by the poller.
    func needingReauth(_ count: Int) {
        Gauge(label: "calendly_calendar_integrations_needing_reauth").record(count)
    }
}
