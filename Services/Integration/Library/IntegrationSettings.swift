import Foundation
import ServiceRuntime

/// Where the providers are and how the service talks to them: every base URL is configuration,
/// so tests point the service at local fakes of the documented APIs.
package struct IntegrationSettings: Sendable {
    /// One OAuth provider's endpoints and registered client.
    package struct OAuthProvider: Sendable {
        package var clientID: String
        package var clientSecret: String
        package var authorizeURL: String
        package var tokenURL: String
        /// Google: the Calendar API base (`…/calendar/v3`); Microsoft: the Graph base (`…/v1.0`).
        package var apiURL: String
        package var scopes: [String]

        package init(clientID: String, clientSecret: String, authorizeURL: String, tokenURL: String, apiURL: String, scopes: [String]) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.authorizeURL = authorizeURL
            self.tokenURL = tokenURL
            self.apiURL = apiURL
            self.scopes = scopes
        }
    }

    /// nil: not configured on this server (authorize answers 503).
    package var google: OAuthProvider?
    package var microsoft: OAuthProvider?
    /// The public base the providers redirect the browser to (`…/api/integrations/{provider}/callback`).
    package var redirectBaseURL: String
    /// The public base the providers push to (`…/api/webhooks/…`).
    package var webhookBaseURL: String
    /// How often the poller looks for integrations to sync, channels to renew and states to expire.
    package var pollInterval: Duration
    /// A sync older than this is due again even without a push.
    package var staleAfter: Duration
    /// How far ahead busy time is synced.
    package var windowDays: Int
    /// How long a Google channel or Graph subscription is asked to live.
    package var channelLifetime: Duration
    /// Channels that expire sooner than this are renewed.
    package var channelRenewBefore: Duration
    /// First backoff after a rate limit (doubles per failure, capped at `maximumBackoff`).
    package var rateLimitBackoff: Duration
    /// First backoff after an outage (5xx, timeout).
    package var outageBackoff: Duration
    package var maximumBackoff: Duration
    /// Syncs running at once in this instance.
    package var syncConcurrency: Int

    package static let googleScopes = [
        "openid", "email",
        "https://www.googleapis.com/auth/calendar.readonly",
        "https://www.googleapis.com/auth/calendar.events",
    ]
    package static let microsoftScopes = ["offline_access", "openid", "email", "User.Read", "Calendars.ReadWrite"]

    package init(
        google: OAuthProvider?, microsoft: OAuthProvider?, redirectBaseURL: String, webhookBaseURL: String,
        pollInterval: Duration = .seconds(30), staleAfter: Duration = .seconds(600), windowDays: Int = 90,
        channelLifetime: Duration = .seconds(7 * 86_400), channelRenewBefore: Duration = .seconds(86_400),
        rateLimitBackoff: Duration = .seconds(60), outageBackoff: Duration = .seconds(30), maximumBackoff: Duration = .seconds(3600),
        syncConcurrency: Int = 4
    ) {
        self.google = google
        self.microsoft = microsoft
        self.redirectBaseURL = redirectBaseURL
        self.webhookBaseURL = webhookBaseURL
        self.pollInterval = pollInterval
        self.staleAfter = staleAfter
        self.windowDays = windowDays
        self.channelLifetime = channelLifetime
        self.channelRenewBefore = channelRenewBefore
        self.rateLimitBackoff = rateLimitBackoff
        self.outageBackoff = outageBackoff
        self.maximumBackoff = maximumBackoff
        self.syncConcurrency = syncConcurrency
    }

    /// From the environment: `GOOGLE_CLIENT_ID`/`_SECRET` (+ `GOOGLE_AUTH_URL`, `GOOGLE_TOKEN_URL`,
    /// `GOOGLE_CALENDAR_API_URL`), `MICROSOFT_CLIENT_ID`/`_SECRET` (+ `MICROSOFT_AUTH_URL`,
    /// `MICROSOFT_TOKEN_URL`, `MICROSOFT_GRAPH_API_URL`), `OAUTH_REDIRECT_BASE_URL` and `WEBHOOK_BASE_URL`
    /// (default `PUBLIC_BASE_URL`), `INTEGRATION_POLL_INTERVAL_SECONDS`, `SYNC_STALE_AFTER_SECONDS`, `SYNC_WINDOW_DAYS`.
    package static func fromEnvironment(_ configuration: ServiceConfiguration, reader: EnvironmentReader = EnvironmentReader()) throws -> IntegrationSettings {
        let web: Set<String> = ["http", "https"]
        func provider(_ prefix: String, authorize: String, token: String, apiName: String, api: String, scopes: [String]) throws -> OAuthProvider? {
            guard let id = reader.optionalString("\(prefix)_CLIENT_ID"), !id.isEmpty else { return nil }
            return OAuthProvider(
                clientID: id,
                clientSecret: try reader.string("\(prefix)_CLIENT_SECRET"),
                authorizeURL: try reader.url("\(prefix)_AUTH_URL", default: authorize, schemes: web),
                tokenURL: try reader.url("\(prefix)_TOKEN_URL", default: token, schemes: web),
                apiURL: try reader.url(apiName, default: api, schemes: web),
                scopes: scopes
            )
        }
        return IntegrationSettings(
            google: try provider(
                "GOOGLE", authorize: "https://accounts.google.com/o/oauth2/v2/auth", token: "https://oauth2.googleapis.com/token",
                apiName: "GOOGLE_CALENDAR_API_URL", api: "https://www.googleapis.com/calendar/v3", scopes: googleScopes
            ),
            microsoft: try provider(
                "MICROSOFT", authorize: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                token: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                apiName: "MICROSOFT_GRAPH_API_URL", api: "https://graph.microsoft.com/v1.0", scopes: microsoftScopes
            ),
            redirectBaseURL: try reader.url("OAUTH_REDIRECT_BASE_URL", default: configuration.publicBaseURL, schemes: web),
            webhookBaseURL: try reader.url("WEBHOOK_BASE_URL", default: configuration.publicBaseURL, schemes: web),
            pollInterval: .seconds(try reader.int("INTEGRATION_POLL_INTERVAL_SECONDS", default: 30, range: 1 ... 3600)),
            staleAfter: .seconds(try reader.int("SYNC_STALE_AFTER_SECONDS", default: 600, range: 10 ... 86_400)),
            windowDays: try reader.int("SYNC_WINDOW_DAYS", default: 90, range: 7 ... 366)
        )
    }

    /// The settings of one OAuth provider, or nil.
    package func oauth(_ provider: Provider) -> OAuthProvider? {
        switch provider {
        case .google: google
        case .microsoft: microsoft
        case .caldav: nil
        }
    }

    package func redirectURI(for provider: Provider) -> String {
        Self.join(redirectBaseURL, "/api/integrations/\(provider.rawValue)/callback")
    }

    package var googleWebhookURL: String { Self.join(webhookBaseURL, "/api/webhooks/google-calendar") }
    package var microsoftWebhookURL: String { Self.join(webhookBaseURL, "/api/webhooks/microsoft-graph") }

    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }
}

/// The three kinds of calendar a host can connect.
package enum Provider: String, Sendable, Codable, CaseIterable {
    case google
    case microsoft
    case caldav

    /// The OAuth providers (`/api/integrations/{provider}/authorize`).
    package var usesOAuth: Bool { self != .caldav }
}
