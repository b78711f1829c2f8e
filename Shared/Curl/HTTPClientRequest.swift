/// An HTTP request for ``CurlHTTPClient/execute(_:logger:)``.
package struct HTTPClientRequest: Sendable {
    /// An HTTP method; any token is allowed, the common ones have names.
    package struct Method: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The method token as sent, e.g. `GET`.
        package var rawValue: String
        /// A method from its token.
        package init(rawValue: String) { self.rawValue = rawValue }
        /// A method from a literal token.
        package init(stringLiteral value: String) { rawValue = value }
        /// The token.
        package var description: String { rawValue }

        /// `GET`.
        package static let get: Method = "GET"
        /// `HEAD`: the response has headers only.
        package static let head: Method = "HEAD"
        /// `POST`.
        package static let post: Method = "POST"
        /// `PUT`.
        package static let put: Method = "PUT"
        /// `PATCH`.
        package static let patch: Method = "PATCH"
        /// `DELETE`.
        package static let delete: Method = "DELETE"
        /// `OPTIONS`.
        package static let options: Method = "OPTIONS"
    }

    /// The method.
    package var method: Method
    /// The absolute `http://` or `https://` URL; other schemes are refused.
    package var url: String
    /// Header fields to send. libcurl adds `Host`, `Accept: */*`, `User-Agent` (from the
    /// client's configuration) and `Content-Length` unless set here; it adds no `Content-Type`.
    package var headers: HTTPClientHeaders
    /// The body, sent as is with its length; `nil` sends none.
    package var body: [UInt8]?
    /// How long connecting (DNS, TCP, TLS) may take.
    package var connectTimeout: Duration
    /// How long the whole exchange may take, connecting included.
    package var timeout: Duration
    /// Whether to follow `3xx` redirects (up to 10). Off by default: OAuth flows must see them.
    package var followRedirects: Bool
    /// The largest response body accepted; a larger one fails with `responseTooLarge`.
    package var maxResponseBodySize: Int

    /// The default for ``maxResponseBodySize``: 10 MiB.
    package static let defaultMaxResponseBodySize = 10 * 1024 * 1024

    /// A request; only the URL is required (a `GET` with no body, 10 s to connect, 30 s in all).
    package init(
        method: Method = .get,
        url: String,
        headers: HTTPClientHeaders = [:],
        body: [UInt8]? = nil,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30),
        followRedirects: Bool = false,
        maxResponseBodySize: Int = defaultMaxResponseBodySize
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.followRedirects = followRedirects
        self.maxResponseBodySize = maxResponseBodySize
    }
}
