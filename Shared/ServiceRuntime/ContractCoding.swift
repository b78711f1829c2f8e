import Foundation
import Hummingbird

extension JSONEncoder {
    /// The contract's JSON: `snake_case` keys and whole-second UTC instants (`2026-03-10T14:00:00Z`).
    package static var contract: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }
}

extension JSONDecoder {
    /// Reads the contract's JSON: `snake_case` keys; instants in any RFC 3339 offset.
    package static var contract: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an RFC 3339 instant")
            }
            return date
        }
        return decoder
    }
}

/// Decodes request bodies, telling "not a JSON object" (`400 malformed_json`) apart from "a field is
/// missing or of the wrong type" (`422 validation_failed`, naming the field).
package struct ContractRequestDecoder: RequestDecoder {
    package init() {}

    package func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try Self.decode(type, from: Data(buffer: buffer))
    }

    /// Decodes `data` as the contract's JSON object of type `T`, throwing `Problem`s.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              object is [String: Any]
        else {
            throw Problem.malformedJSON()
        }
        do {
            return try JSONDecoder.contract.decode(type, from: data)
        } catch let error as DecodingError {
            throw Problem.validation([fieldError(error)])
        }
    }

    private static func fieldError(_ error: DecodingError) -> Problem.FieldError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? snakeCase(key.stringValue) }
            return parts.reduce("") { acc, part in
                part.hasPrefix("[") || acc.isEmpty ? acc + part : acc + "." + part
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context.codingPath, key), message: "is required")
        case .valueNotFound(_, let context):
            return .init(field: path(context.codingPath), message: "must not be null")
        case .typeMismatch(let type, let context):
            return .init(field: path(context.codingPath), message: "must be \(describe(type))")
        case .dataCorrupted(let context):
            return .init(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(field: "", message: "is invalid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int32.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        case is [Any].Type: return "an array"
        default: return "of the right type"
        }
    }

    /// Coding keys arrive camel-cased (the decoder converts from snake_case); errors name the wire field.
    private static func snakeCase(_ key: String) -> String {
        var out = ""
        for ch in key {
            if ch.isUppercase {
                out += "_" + ch.lowercased()
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

extension Request {
    /// Decodes the body as the contract's JSON, throwing `Problem`s (400/422) for bad input.
    package func decodeContract<T: Decodable>(_ type: T.Type, context: ServiceRequestContext) async throws -> T {
        try await ContractRequestDecoder().decode(type, from: self, context: context)
    }
}
