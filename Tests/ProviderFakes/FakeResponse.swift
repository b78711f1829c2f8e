/// What a fake answers to one request.
package struct FakeResponse: Sendable {
    /// The status code.
    package var status: Int
    /// Header fields in order.
    package var headers: [(name: String, value: String)]
    /// The body.
    package var body: [UInt8]

    /// A response with any parts.
    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `value` as `application/json; charset=UTF-8`.
    static func json(_ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json; charset=UTF-8")] + headers, body: value.encoded)
    }

    /// Plain text, as the providers' HTML error pages stand in for.
    static func text(_ status: Int, _ text: String) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    /// A `302 Found` to `location`.
    static func redirect(to location: String) -> FakeResponse {
        FakeResponse(status: 302, headers: [("Location", location)])
    }

    /// No content.
    static let noContent = FakeResponse(status: 204)
}
