import ServiceRuntime

/// The booking service's part of the contract, served at `/openapi.json`.
enum BookingOpenAPI {
    static let document = OpenAPIDocument.make(
        title: "Rendezvous booking service",
        paths: #"""
        "/api/bookings": {
          "post": {
            "summary": "Book an offered slot (public).",
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 255}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateBooking"}}}},
            "responses": {
              "201": {"description": "booked (or the replay of the first response for this Idempotency-Key)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "400": {"$ref": "#/components/responses/MalformedJSON"},
              "409": {"description": "slot_unavailable, or idempotency_in_progress (with Retry-After)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "422": {"description": "validation_failed (errors names each offending field: see the ValidationFailed response), or idempotency_mismatch", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          },
          "get": {
            "summary": "The host's own bookings, ordered by start.",
            "security": [{"bearer": []}],
            "parameters": [
              {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["confirmed", "cancelled", "rescheduled"]}},
              {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "order", "in": "query", "description": "asc: by start (the contract's order); desc: the latest start first, for past bookings. Send the same order with a cursor.", "schema": {"type": "string", "enum": ["asc", "desc"], "default": "asc"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
              {"name": "cursor", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {
              "200": {"description": "a page", "content": {"application/json": {"schema": {"type": "object", "required": ["data", "next_cursor"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}}, "next_cursor": {"type": ["string", "null"]}}}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/ValidationFailed"}
            }
          }
        },
        "/api/bookings/{id}": {
          "get": {
            "summary": "One booking, for its host (bearer) or its invitee (?token=).",
            "parameters": [{"name": "id", "in": "path", "required": true, "description": "either case", "schema": {"type": "string", "format": "uuid"}}, {"name": "token", "in": "query", "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "the booking", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/bookings/{id}/cancel": {
          "post": {
            "summary": "Cancel (host bearer or invitee token); cancelling twice is a no-op; a booking moved elsewhere is 409 version_conflict to its host and 404 to its old token.",
            "parameters": [{"name": "id", "in": "path", "required": true, "description": "either case", "schema": {"type": "string", "format": "uuid"}}],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 1000}, "token": {"type": "string"}}}}}},
            "responses": {
              "200": {"description": "the cancelled booking", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "400": {"$ref": "#/components/responses/MalformedJSON"},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"$ref": "#/components/responses/Problem"},
              "409": {"description": "version_conflict: the booking was rescheduled", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "422": {"$ref": "#/components/responses/ValidationFailed"}
            }
          }
        },
        "/api/bookings/{id}/reschedule": {
          "post": {
            "summary": "Move to another offered slot: a new booking; the old one becomes rescheduled.",
            "parameters": [{"name": "id", "in": "path", "required": true, "description": "either case", "schema": {"type": "string", "format": "uuid"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["start_time", "version"], "properties": {"start_time": {"type": "string", "format": "date-time"}, "version": {"type": "integer", "minimum": 1}, "token": {"type": "string"}}}}}},
            "responses": {
              "200": {"description": "the new booking, with its cancel_token and rescheduled_from", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "400": {"$ref": "#/components/responses/MalformedJSON"},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"description": "not_found: no such booking for this caller, or the token of a booking already rescheduled (it reads the booking and manages nothing)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "409": {"description": "version_conflict: a stale version, or a booking that is no longer confirmed (cancelled or rescheduled), whatever version is sent; slot_unavailable: the time is not offered", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "422": {"$ref": "#/components/responses/ValidationFailed"}
            }
          }
        }
        """#,
        schemas: #"""
        "CreateBooking": {
          "type": "object",
          "required": ["meeting_type_id", "start_time", "invitee_name", "invitee_email", "invitee_timezone"],
          "properties": {
            "meeting_type_id": {"type": "string", "format": "uuid", "description": "either case"}, "start_time": {"type": "string", "format": "date-time"},
            "invitee_name": {"type": "string", "minLength": 1, "maxLength": 200}, "invitee_email": {"type": "string", "format": "email"},
            "invitee_timezone": {"$ref": "#/components/schemas/TimeZoneName"},
            "answers": {"type": "object", "additionalProperties": {"type": "string"}}
          }
        },
        "Booking": {
          "type": "object",
          "required": ["id", "status", "meeting_type_id", "host_user_id", "start_time", "end_time", "invitee_name", "invitee_email", "invitee_timezone", "answers", "version", "created_at"],
          "properties": {
            "id": {"$ref": "#/components/schemas/Uuid"}, "status": {"type": "string", "enum": ["confirmed", "cancelled", "rescheduled"]},
            "meeting_type_id": {"$ref": "#/components/schemas/Uuid"}, "host_user_id": {"$ref": "#/components/schemas/Uuid"},
            "start_time": {"type": "string", "format": "date-time"}, "end_time": {"type": "string", "format": "date-time"},
            "invitee_name": {"type": "string"}, "invitee_email": {"type": "string"}, "invitee_timezone": {"$ref": "#/components/schemas/TimeZoneName"},
            "answers": {"type": "object", "additionalProperties": {"type": "string"}}, "version": {"type": "integer"},
            "cancel_token": {"type": "string", "description": "only when the booking is created or rescheduled"},
            "rescheduled_from": {"$ref": "#/components/schemas/Uuid"}, "cancel_reason": {"type": "string"},
            "cancelled_at": {"type": "string", "format": "date-time"}, "created_at": {"type": "string", "format": "date-time"}
          }
        }
        """#
    )
}
