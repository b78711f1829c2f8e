import Foundation

/// Builds a service's OpenAPI 3.1 document: its own paths plus the operator endpoints and the
/// shared `Problem` schema every service answers errors with.
package enum OpenAPIDocument {
    /// - Parameters:
    ///   - title: e.g. "Rendezvous booking service".
    ///   - paths: the service's `paths` entries as JSON object members (without the outer braces), or "".
    ///   - schemas: extra `components.schemas` members, or "".
    package static func make(title: String, paths: String = "", schemas: String = "") -> String {
        let servicePaths = paths.isEmpty ? "" : paths + ","
        let extraSchemas = schemas.isEmpty ? "" : "," + schemas
        return """
        {
          "openapi": "3.1.0",
          "info": {"title": "\(title)", "version": "1.0.0"},
          "paths": {
            \(servicePaths)
            "/health": {"get": {"summary": "The process is alive.", "responses": {"200": {"description": "alive"}}}},
            "/ready": {"get": {"summary": "PostgreSQL, Redis and RabbitMQ answer.", "responses": {
              "200": {"description": "ready"},
              "503": {"description": "a dependency is down; the body names it", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
            "/metrics": {"get": {"summary": "Prometheus text exposition.", "responses": {"200": {"description": "metrics", "content": {"text/plain": {}}}}}},
            "/openapi.json": {"get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3.1"}}}}
          },
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
              "Problem": {"description": "an error (problem JSON with a stable code)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "MalformedJSON": {"description": "malformed_json: the body is not JSON as RFC 8259 defines it, or not a JSON object. Refused, and nothing is written: trailing commas, comments, single quotes, unquoted keys, NaN and Infinity, leading zeros, a value followed by more text, invalid UTF-8, a byte-order mark or UTF-16, raw control characters in strings, lone surrogates, duplicate keys in one object, nesting deeper than 256, and a top-level value that is not an object.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "ValidationFailed": {"description": "validation_failed: errors lists each offending field by its path in the body or its parameter name (duration_minutes, rules[2].start_time, answers.topic, timezone): missing, null where a value is due, a value of another JSON type, a fraction or a number out of range where an integer is due, or a value out of its range (an unknown zone name, a malformed date, time or instant).", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ValidationProblem"}}}}
            },
            "schemas": {
              "Problem": {
                "type": "object",
                "required": ["type", "title", "status", "detail", "code"],
                "properties": {
                  "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                  "detail": {"type": "string"},
                  "code": {"type": "string", "enum": ["malformed_json", "validation_failed", "unauthorized", "forbidden", "not_found", "conflict", "slot_unavailable", "version_conflict", "idempotency_in_progress", "idempotency_mismatch", "rate_limited", "unavailable", "payload_too_large"]},
                  "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
                }
              },
              "ValidationProblem": {
                "allOf": [{"$ref": "#/components/schemas/Problem"}],
                "required": ["errors"],
                "properties": {"code": {"const": "validation_failed"}, "errors": {"type": "array", "minItems": 1}}
              },
              "Uuid": {
                "type": "string", "format": "uuid", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                "description": "An id in RFC 9562's lower-case form, the same in every body, header, link and event. Requests may write ids in either case."
              },
              "TimeZoneName": {
                "type": "string", "minLength": 1,
                "description": "A name of the IANA time-zone database as the server's tzdata package has it: every zone and every link (Asia/Kolkata and Asia/Calcutta, America/Argentina/Buenos_Aires and America/Buenos_Aires, US/Pacific, CET, UTC, Etc/GMT+5). Names are case-sensitive; anything else (Mars/Olympus, utc+5, GMT+5, an empty string) is 422 naming the field. Answers give back the name exactly as it was sent.",
                "examples": ["America/New_York", "Asia/Kolkata", "UTC"]
              }\(extraSchemas)
            }
          }
        }
        """
    }
}
