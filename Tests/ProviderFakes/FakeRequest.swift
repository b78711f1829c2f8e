import Foundation

/// One request as a fake received it; the fakes' request logs hold these.
package struct FakeRequest: Sendable {
    /// The method token, e.g. `GET`.
    package var method: String
    /// The path, percent-decoded, without the query.
    package var path: String
    /// The query's items in order, decoded (`+` as space).
    package var queryItems: [(name: String, value: String)]
    /// The header fields in order.
    package var headers: [(name: String, value: String)]
    /// The body as received.
    package var body: [UInt8]
    /// When it arrived (the fake's clock).
    package var time: Date

    /// The first query item named `name`.
    package func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The first header named `name` (any case).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as `application/x-www-form-urlencoded` fields, first occurrence of each name.
    package var formFields: [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in Self.decodeForm(String(decoding: body, as: UTF8.self)) where fields[name] == nil {
            fields[name] = value
        }
        return fields
    }

    /// The body as JSON, or `nil`.
    package var json: JSONValue? { JSONValue.parse(body) }

    /// The path's segments (empty ones dropped).
    var segments: [String] { path.split(separator: "/").map(String.init) }

    /// Decodes `name=value&…` with `+` as space and percent escapes.
    static func decodeForm(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
