import ServiceRuntime

/// The integration service's part of the contract, served at `/openapi.json`.
enum IntegrationOpenAPI {
    static let document = OpenAPIDocument.make(
        title: "Rendezvous integration service",
        paths: #"""
        "/api/integrations": {
          "get": {
            "summary": "The host's connected calendars.",
            "security": [{"bearer": []}],
            "responses": {
              "200": {"description": "one page (next_cursor is null)", "content": {"application/json": {"schema": {
                "type": "object", "required": ["data", "next_cursor"],
                "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Integration"}}, "next_cursor": {"type": ["string", "null"]}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/integrations/{provider}/authorize": {
          "post": {
            "summary": "Starts the OAuth 2.0 authorization-code flow with state and PKCE (S256); send the host's browser to authorization_url.",
            "security": [{"bearer": []}],
            "parameters": [{"name": "provider", "in": "path", "required": true, "schema": {"type": "string", "enum": ["google", "microsoft"]}}],
            "responses": {
              "200": {"description": "the provider's authorization URL; state is single-use and expires in 10 minutes", "content": {"application/json": {"schema": {
                "type": "object", "required": ["authorization_url", "state", "expires_at"],
                "properties": {"authorization_url": {"type": "string", "format": "uri"}, "state": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"description": "unknown provider", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "503": {"description": "the provider is not configured on this server", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          }
        },
        "/api/integrations/{provider}/callback": {
          "get": {
            "summary": "Where the provider redirects the browser: exchanges the code (with the PKCE verifier), stores the tokens encrypted, picks the primary calendar, starts the first sync and push.",
            "parameters": [
              {"name": "provider", "in": "path", "required": true, "schema": {"type": "string", "enum": ["google", "microsoft"]}},
              {"name": "code", "in": "query", "schema": {"type": "string"}},
              {"name": "state", "in": "query", "schema": {"type": "string"}},
              {"name": "error", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {
              "200": {"description": "the connected calendar (a client that does not ask for text/html)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Integration"}}}},
              "303": {"description": "a browser (Accept: text/html) is sent back to the console: /host/calendars?connected={provider}, or /host/calendars?error={code}&provider={provider} for any of the errors below", "headers": {"Location": {"schema": {"type": "string"}}}},
              "403": {"description": "the host or the provider declined (error=…)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "404": {"description": "unknown provider", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "422": {"description": "code or state missing; state unknown, expired or used; the provider refused the code", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "503": {"description": "the provider is unavailable or not configured", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          }
        },
        "/api/integrations/caldav": {
          "post": {
            "summary": "Connects a CalDAV calendar (RFC 4791): discovers the calendar, or checks calendar_url; the password is stored encrypted.",
            "security": [{"bearer": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
              "type": "object", "required": ["server_url", "username", "password"],
              "properties": {"server_url": {"type": "string", "format": "uri"}, "username": {"type": "string"}, "password": {"type": "string"}, "calendar_url": {"type": "string", "format": "uri"}}}}}},
            "responses": {
              "201": {"description": "the connected calendar", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Integration"}}}},
              "400": {"$ref": "#/components/responses/MalformedJSON"},
              "401": {"$ref": "#/components/responses/Problem"},
              "422": {"description": "validation_failed: invalid fields (each named, see the ValidationFailed response), credentials rejected, no calendar found, server unreachable", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          }
        },
        "/api/integrations/{id}/sync": {
          "post": {
            "summary": "Asks for a sync now (it runs behind the response).",
            "security": [{"bearer": []}],
            "parameters": [{"name": "id", "in": "path", "required": true, "description": "either case", "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
              "202": {"description": "queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Integration"}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"description": "no such integration, or another host's", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "409": {"description": "the integration needs a new authorization first", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          }
        },
        "/api/integrations/{id}": {
          "delete": {
            "summary": "Disconnects: stops the push channel and deletes the synced busy time.",
            "security": [{"bearer": []}],
            "parameters": [{"name": "id", "in": "path", "required": true, "description": "either case", "schema": {"type": "string", "format": "uuid"}}],
            "responses": {
              "204": {"description": "disconnected"},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"description": "no such integration, or another host's", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          }
        },
        "/api/webhooks/google-calendar": {
          "post": {
            "summary": "Google Calendar push (X-Goog-Channel-ID, X-Goog-Channel-Token, X-Goog-Resource-ID, X-Goog-Resource-State); sync is the handshake, exists/not_exists ask for a sync.",
            "responses": {
              "200": {"description": "accepted"},
              "403": {"description": "the channel token does not match", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "404": {"description": "unknown channel", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
          }
        },
        "/api/webhooks/microsoft-graph": {
          "post": {
            "summary": "Microsoft Graph change and lifecycle notifications; ?validationToken= is the subscription handshake, echoed as text/plain.",
            "parameters": [{"name": "validationToken", "in": "query", "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "the validation token, echoed", "content": {"text/plain": {"schema": {"type": "string"}}}},
              "202": {"description": "notifications accepted (items with an unknown subscription or a wrong clientState are dropped)"},
              "400": {"$ref": "#/components/responses/MalformedJSON"}
            }
          }
        }
        """#,
        schemas: #"""
        "Integration": {
          "type": "object",
          "required": ["id", "provider", "calendar_id", "status", "last_synced_at"],
          "properties": {
            "id": {"$ref": "#/components/schemas/Uuid"},
            "provider": {"type": "string", "enum": ["google", "microsoft", "caldav"]},
            "account": {"type": "string"},
            "calendar_id": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "needs_reauth", "error"]},
            "last_synced_at": {"type": ["string", "null"], "format": "date-time"},
            "last_sync_error": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"}
          }
        }
        """#
    )
}
