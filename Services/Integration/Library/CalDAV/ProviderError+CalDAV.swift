import Curl
import Foundation

extension ProviderError {
    /// The error for a CalDAV response that did not succeed.
    ///
    /// 401/403 mean the stored username and password no longer work, and nothing but the host
    /// entering them again helps: `invalidGrant`. 429 is `rateLimited`; a 503 with `Retry-After`
    /// too (so its delay reaches the caller), without it `unavailable` like every other 5xx.
    /// 404/410 are `notFound`; anything else is `rejected`.
    package static func calDAV(status: Int, headers: HTTPClientHeaders, now: Date = Date()) -> ProviderError {
        switch status {
        case 401, 403:
            return .invalidGrant("credentials rejected")
        case 404, 410:
            return .notFound
        case 429:
            return .rateLimited(retryAfter: ProviderHTTP.retryAfter(headers, now: now))
        case 503 where ProviderHTTP.retryAfter(headers, now: now) != nil:
            return .rateLimited(retryAfter: ProviderHTTP.retryAfter(headers, now: now))
        case 500 ..< 600:
            return .unavailable("server answered \(status)")
        default:
            return .rejected(status: status, detail: "CalDAV request failed")
        }
    }

    /// The error for an exchange that got no response: the server is unreachable or slow
    /// (`unavailable`), or the request could not be sent at all (`rejected`, status 0).
    package static func calDAV(_ error: HTTPClientError) -> ProviderError {
        switch error.kind {
        case .timeout, .couldNotConnect, .couldNotResolveHost, .connectionLost, .tls, .shutdown:
            return .unavailable("\(error.kind)")
        case .responseTooLarge:
            return .rejected(status: 0, detail: "response too large")
        case .invalidRequest:
            return .rejected(status: 0, detail: "invalid request (check the server URL)")
        case let .other(code):
            return .unavailable("curl error \(code)")
        }
    }
}
