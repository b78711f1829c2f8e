import ContractJSON
import Foundation
import Hummingbird

/// An error answered as `application/problem+json` with one of the contract's stable codes.
package struct Problem: HTTPResponseError, Sendable, Encodable {
    /// One offending field of a `validation_failed` problem.
    package struct FieldError: Sendable, Codable, Equatable {
        package var field: String
        package var message: String

        package init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    package var status: HTTPResponse.Status
    /// The contract's machine word (`validation_failed`, `slot_unavailable`, …).
    package var code: String
    package var title: String
    package var detail: String
    package var errors: [FieldError]?
    /// Extra headers (e.g. `Retry-After`).
    package var headers: HTTPFields

    package init(status: HTTPResponse.Status, code: String, title: String? = nil, detail: String, errors: [FieldError]? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, errors
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("about:blank", forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(Int(status.code), forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(errors, forKey: .errors)
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try ContractJSONEncoder.contract.encode(self)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Problem {
    /// 400 `malformed_json`: the body is not JSON, or not a JSON object.
    package static func malformedJSON(_ detail: String = "The request body is not a JSON object.") -> Problem {
        Problem(status: .badRequest, code: "malformed_json", detail: detail)
    }

    /// 422 `validation_failed` with one entry per offending field.
    package static func validation(_ errors: [FieldError]) -> Problem {
        Problem(status: .unprocessableContent, code: "validation_failed", title: "Validation Failed",
                detail: "One or more fields are invalid.", errors: errors)
    }

    /// 422 `validation_failed` for one field.
    package static func validation(field: String, _ message: String) -> Problem {
        validation([FieldError(field: field, message: message)])
    }

    /// 401 `unauthorized`.
    package static func unauthorized(_ detail: String = "A valid bearer token is required.") -> Problem {
        Problem(status: .unauthorized, code: "unauthorized", detail: detail,
                headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 403 `forbidden`.
    package static func forbidden(_ detail: String = "This action is not allowed.") -> Problem {
        Problem(status: .forbidden, code: "forbidden", detail: detail)
    }

    /// 404 `not_found`: also what another host's resource looks like.
    package static func notFound(_ detail: String = "The resource does not exist.") -> Problem {
        Problem(status: .notFound, code: "not_found", detail: detail)
    }

    /// 409 `conflict`: a duplicate unique value.
    package static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, code: "conflict", detail: detail)
    }

    /// 503 `unavailable`: a dependency does not answer.
    package static func unavailable(_ detail: String = "A dependency is unavailable; try again shortly.") -> Problem {
        Problem(status: .serviceUnavailable, code: "unavailable", detail: detail, headers: [.retryAfter: "1"])
    }
}
