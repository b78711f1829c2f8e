import Foundation

extension HTTPClientRequest {
    /// A request whose body is `value` as JSON, with `Content-Type` and `Accept` set to
    /// `application/json`. Throws the encoder's `EncodingError`.
    package static func json(
        _ method: Method = .post,
        url: String,
        body value: some Encodable,
        headers: HTTPClientHeaders = [:],
        encoder: JSONEncoder = JSONEncoder()
    ) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(method: method, url: url, headers: headers, body: Array(try encoder.encode(value)))
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        if !request.headers.contains(name: "Accept") { request.headers.add(name: "Accept", value: "application/json") }
        return request
    }

    /// A request whose body is `fields` form-encoded (``FormURLEncoder``), with
    /// `Content-Type: application/x-www-form-urlencoded`, as OAuth token endpoints expect.
    package static func form(
        _ method: Method = .post,
        url: String,
        fields: [(String, String)],
        headers: HTTPClientHeaders = [:]
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(method: method, url: url, headers: headers, body: Array(FormURLEncoder.encode(fields).utf8))
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
        return request
    }
}

extension HTTPClientResponse {
    /// Decodes the body as JSON, whatever the status; check ``status`` first. Throws the
    /// decoder's `DecodingError`.
    package func decode<Value: Decodable>(_ type: Value.Type = Value.self, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(body))
    }
}
