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
            "responses": {"Problem": {"description": "an error (problem JSON with a stable code)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
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
              }\(extraSchemas)
            }
          }
        }
        """
    }
}
