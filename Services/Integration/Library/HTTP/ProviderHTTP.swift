import Curl
import Foundation
import Retrying

/// Sends provider requests and sorts every answer into a success or a ``ProviderError``.
package struct ProviderHTTP: Sendable {
    let client: CurlHTTPClient
    /// Per-request timeout: a provider that hangs counts as down (the last synced data stays).
    var timeout: Duration = .seconds(20)

    package init(client: CurlHTTPClient, timeout: Duration = .seconds(20)) {
        self.client = client
        self.timeout = timeout
    }

    /// Sends the request; transport failures become `.unavailable`, never a crash or a hang.
    package func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        var request = request
        request.timeout = timeout
        request.connectTimeout = .seconds(5)
        do {
            return try await client.execute(request)
        } catch let error as HTTPClientError {
            throw ProviderError.unavailable(String(describing: error.kind))
        }
    }

    /// Sends and requires a 2xx, else throws the mapped error. `goneMeans` says what 410 is for this call.
    package func expectSuccess(_ request: HTTPClientRequest, goneMeans: ProviderError = .cursorExpired) async throws -> HTTPClientResponse {
        let response = try await send(request)
        if response.isSuccess { return response }
        throw Self.error(for: response, goneMeans: goneMeans)
    }

    /// The error an unsuccessful provider answer means.
    package static func error(for response: HTTPClientResponse, goneMeans: ProviderError = .cursorExpired) -> ProviderError {
        let text = response.bodyText
        switch response.status {
        case 401:
            return .unauthorized
        case 429:
            return .rateLimited(retryAfter: retryAfter(response.headers))
        case 403 where text.contains("RateLimitExceeded") || text.contains("rateLimitExceeded") || text.contains("quotaExceeded"):
            // Google signals per-user limits as 403 with a usageLimits reason.
            return .rateLimited(retryAfter: retryAfter(response.headers))
        case 404:
            return .notFound
        case 410:
            return goneMeans
        case 500 ... 599:
            if response.status == 503, let wait = retryAfter(response.headers) { return .rateLimited(retryAfter: wait) }
            return .unavailable("HTTP \(response.status)")
        default:
            return .rejected(status: response.status, detail: String(text.prefix(300)))
        }
    }

    /// The response's `Retry-After` (seconds or an HTTP date); nil when absent or unreadable.
    package static func retryAfter(_ headers: HTTPClientHeaders, now: Date = Date()) -> Duration? {
        headers.first(name: "Retry-After").flatMap { RetryAfter.parse($0, now: now) }
    }

    /// `base` + `path` + the query items, percent-encoded.
    package static func url(_ base: String, _ path: String, query: [(String, String)] = []) -> String {
        let joined = (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
        guard !query.isEmpty else { return joined }
        return joined + (joined.contains("?") ? "&" : "?") + FormURLEncoder.encode(query)
    }

    /// A path segment, percent-encoded (calendar ids are email addresses, may hold `#`).
    package static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#@"))) ?? value
    }

    static func bearer(_ token: String) -> HTTPClientHeaders {
        ["Authorization": "Bearer \(token)", "Accept": "application/json"]
    }
}
