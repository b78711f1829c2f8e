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
            return .rateLimited(retryAfter: retryAfter(headers, now: now))
        case 503 where retryAfter(headers, now: now) != nil:
            return .rateLimited(retryAfter: retryAfter(headers, now: now))
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

    /// `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3); nil when absent or unreadable.
    static func retryAfter(_ headers: HTTPClientHeaders, now: Date) -> Duration? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
    }
}
