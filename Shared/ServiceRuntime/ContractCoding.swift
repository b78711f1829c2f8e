import ContractJSON
import Foundation
import Hummingbird

extension ContractJSONEncoder {
    /// The contract's JSON: `snake_case` keys, sorted; whole-second UTC instants
    /// (`2026-03-10T14:00:00Z`); ids in RFC 9562's lower case.
    package static let contract = ContractJSONEncoder(keyEncoding: .convertToSnakeCase, dateEncoding: { RFC3339.format($0) })
}

extension ContractJSONDecoder {
    /// Reads the contract's JSON: `snake_case` keys; instants in any RFC 3339 offset; ids in either case.
    package static let contract = ContractJSONDecoder(keyDecoding: .convertFromSnakeCase, dateDecoding: { RFC3339.parse($0) })
}

/// Writes every response body with ``ContractJSONEncoder/contract``.
package struct ContractResponseEncoder: ResponseEncoder {
    package init() {}

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try ContractJSONEncoder.contract.encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// Decodes request bodies, telling "not JSON, or not a JSON object" (`400 malformed_json`) apart
/// from "a field is missing, null or of the wrong type" (`422 validation_failed`, naming the field
/// by its path: `duration_minutes`, `rules[2].start_time`, `answers.topic`).
///
/// Foundation's decoders cannot do either: they accept what RFC 8259 forbids (trailing commas, a
/// byte-order mark, UTF-16, duplicate keys, keeping the first), and report a number that does not
/// fit its field (`30.5` for an integer) with no path at all. ``StrictJSONParser`` and
/// ``ContractJSONDecoder`` do both, and no option of Foundation's does.
package struct ContractRequestDecoder: RequestDecoder {
    package init() {}

    package func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try Self.decode(type, from: buffer.readableBytesView)
    }

    /// Decodes `bytes` as the contract's JSON object of type `T`, throwing `Problem`s.
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        let value: JSONValue
        do {
            value = try StrictJSONParser.parse(bytes)
        } catch {
            throw Problem.malformedJSON("The request body is not valid JSON: \(error.description).")
        }
        guard case .object = value else {
            throw Problem.malformedJSON("The request body must be a JSON object, not \(value.kindDescription).")
        }
        do {
            return try ContractJSONDecoder.contract.decode(type, from: value)
        } catch let error as DecodingError {
            throw Problem.validation([fieldError(error)])
        }
    }

    /// The field a decoding error names, by its path in the body, and what is wrong with it.
    private static func fieldError(_ error: DecodingError) -> Problem.FieldError {
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: (context.codingPath + [key]).jsonPath, message: "is required")
        case .valueNotFound(_, let context):
            return .init(field: context.codingPath.jsonPath, message: "must not be null")
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            return .init(field: context.codingPath.jsonPath, message: context.debugDescription)
        @unknown default:
            return .init(field: "", message: "is invalid")
        }
    }
}

extension Request {
    /// Decodes the body as the contract's JSON, throwing `Problem`s (400/422) for bad input.
    package func decodeContract<T: Decodable>(_ type: T.Type, context: ServiceRequestContext) async throws -> T {
        try await ContractRequestDecoder().decode(type, from: self, context: context)
    }
}
