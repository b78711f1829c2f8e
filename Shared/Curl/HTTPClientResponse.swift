/// An HTTP response: any status, 4xx and 5xx included, arrives as a response, not an error.
package struct HTTPClientResponse: Sendable {
    /// The status code of the final response (after redirects, when followed).
    package var status: Int
    /// The final response's header fields.
    package var headers: HTTPClientHeaders
    /// The body, decoded from any transfer encoding (but not decompressed).
    package var body: [UInt8]

    /// A response (the client makes these; tests may too).
    package init(status: Int, headers: HTTPClientHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    package var isSuccess: Bool { (200 ..< 300).contains(status) }

    /// The body as UTF-8 text (invalid sequences replaced).
    package var bodyText: String { String(decoding: body, as: UTF8.self) }
}
