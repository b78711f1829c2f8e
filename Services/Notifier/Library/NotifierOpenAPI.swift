import ServiceRuntime

/// The notifier's part of the contract, served at `/openapi.json`.
enum NotifierOpenAPI {
    static let document = OpenAPIDocument.make(
        title: "Rendezvous notifier service",
        paths: #"""
        "/api/notifications": {
          "get": {
            "summary": "The audit log of the emails about one of the host's own bookings, oldest first.",
            "security": [{"bearer": []}],
            "parameters": [{"name": "booking_id", "in": "query", "required": true, "description": "either case", "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
              "200": {"description": "the booking's emails (one page: next_cursor is null)", "content": {"application/json": {"schema": {
                "type": "object", "required": ["data", "next_cursor"],
                "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/EmailNotification"}}, "next_cursor": {"type": ["string", "null"]}}}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"description": "no such booking, or another host's", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "422": {"$ref": "#/components/responses/ValidationFailed"}
            }
          }
        }
        """#,
        schemas: #"""
        "EmailNotification": {
          "type": "object",
          "required": ["id", "booking_id", "recipient", "type", "subject", "status", "sent_at"],
          "properties": {
            "id": {"$ref": "#/components/schemas/Uuid"},
            "booking_id": {"oneOf": [{"$ref": "#/components/schemas/Uuid"}, {"type": "null"}]},
            "recipient": {"type": "string", "format": "email"},
            "type": {"type": "string", "enum": ["confirmation", "reminder_24h", "reminder_1h", "cancellation", "reschedule", "reconnect_calendar"]},
            "subject": {"type": "string"},
            "status": {"type": "string", "enum": ["sent", "failed", "unconfirmed"], "description": "unconfirmed: the notifier stopped while the SMTP server had the message; it is not sent again"},
            "sent_at": {"type": ["string", "null"], "format": "date-time"}
          }
        }
        """#
    )
}
