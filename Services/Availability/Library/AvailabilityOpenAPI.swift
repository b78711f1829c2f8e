import ServiceRuntime

/// The availability service's OpenAPI 3.1 document: exactly the routes it serves.
enum AvailabilityOpenAPI {
    static let document = OpenAPIDocument.make(title: "Rendezvous availability service", paths: paths, schemas: schemas)

    private static let problemTemplate = ##"{"description": "%@", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}"##

    private static func problem(_ description: String) -> String {
        problemTemplate.replacingOccurrences(of: "%@", with: description)
    }

    private static func json(_ description: String, _ schema: String) -> String {
        ##"{"description": "\##(description)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}}"##
    }

    private static let bearer = #""security": [{"bearer": []}]"#
    private static let idParameter = #"{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    private static let dateParameter = #"{"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}}"#
    /// A route with a body: a malformed one is 400 before anything else is looked at.
    private static let malformed = ##""400": {"$ref": "#/components/responses/MalformedJSON"}"##
    private static let invalid = ##""422": {"$ref": "#/components/responses/ValidationFailed"}"##
    private static var hostErrors: String {
        "\"401\": \(problem("missing, malformed, forged or expired bearer token")), \(invalid)"
    }

    private static var paths: String {
        """
        "/api/users": {"post": {"summary": "Register a host.", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterRequest"}}}},
          "responses": {"201": \(json("the new user", "User")), \(malformed), "409": \(problem("conflict: the email or the chosen slug is taken")), \(invalid)}}},
        "/api/auth/login": {"post": {"summary": "Exchange email and password for a bearer token (1 hour).", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LoginRequest"}}}},
          "responses": {"200": \(json("a token", "LoginResponse")), \(malformed), "401": \(problem("unauthorized: wrong email or password")), \(invalid)}}},
        "/api/users/me": {
          "get": {"summary": "The authenticated host.", \(bearer), "responses": {"200": \(json("the user", "User")), "401": \(problem("unauthorized"))}},
          "patch": {"summary": "Change the name or the time zone (weekly rules keep their wall-clock times).", \(bearer),
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateUserRequest"}}}},
            "responses": {"200": \(json("the user", "User")), \(malformed), \(hostErrors)}}},
        "/api/meeting-types": {
          "post": {"summary": "Create a meeting type.", \(bearer), "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MeetingTypeInput"}}}},
            "responses": {"201": \(json("the meeting type", "MeetingType")), \(malformed), "409": \(problem("conflict: the host already has this slug")), \(hostErrors)}},
          "get": {"summary": "The host's own meeting types, in creation order.", \(bearer),
            "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}},
                           {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": \(json("a page", "MeetingTypePage")), \(hostErrors)}}},
        "/api/meeting-types/{id}": {
          "parameters": [\(idParameter)],
          "get": {"summary": "A meeting type: the whole resource for its owner; for anyone else the public view of an active type (an inactive or deleted one is 404).",
            "security": [{}, {"bearer": []}],
            "responses": {"200": {"description": "MeetingType for the owner, PublicMeetingType otherwise", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/MeetingType"}, {"$ref": "#/components/schemas/PublicMeetingType"}]}}}},
                          "404": \(problem("not_found"))}},
          "patch": {"summary": "Change some fields (null clears max_bookings_per_day, color, description).", \(bearer),
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MeetingTypePatch"}}}},
            "responses": {"200": \(json("the meeting type", "MeetingType")), \(malformed), "404": \(problem("not_found: missing, deleted or another host's")), "409": \(problem("conflict: slug taken")), \(hostErrors)}},
          "delete": {"summary": "Delete a meeting type (its bookings keep it; its slug is free again).", \(bearer),
            "responses": {"204": {"description": "deleted"}, "401": \(problem("unauthorized")), "404": \(problem("not_found"))}}},
        "/api/public/{user_slug}": {"get": {"summary": "A host's booking page: the host and its active meeting types, in creation order.",
          "parameters": [{"name": "user_slug", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": \(json("the host and its active meeting types", "PublicHostPage")), "404": \(problem("not_found: no host has this slug"))}}},
        "/api/time-zones": {"get": {"summary": "Every time-zone name the API accepts (the server's tz database: zones and links), sorted. Cacheable for a day.",
          "responses": {"200": {"description": "the names", "content": {"application/json": {"schema": {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/TimeZoneName"}}}}}}}}}},
        "/api/public/{user_slug}/{type_slug}": {"get": {"summary": "The active meeting type a booking link names.",
          "parameters": [{"name": "user_slug", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "type_slug", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": \(json("the public meeting type", "PublicMeetingType")), "404": \(problem("not_found"))}}},
        "/api/availability/rules": {
          "get": {"summary": "The weekly schedule.", \(bearer), "responses": {"200": \(json("the schedule", "WeeklySchedule")), "401": \(problem("unauthorized"))}},
          "put": {"summary": "Replace the weekly schedule. Overlapping or reversed windows are 422; touching windows join.", \(bearer),
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RulesInput"}}}},
            "responses": {"200": \(json("the schedule", "WeeklySchedule")), \(malformed), \(hostErrors)}}},
        "/api/availability/overrides": {"get": {"summary": "Date overrides from `from` through `to`, by date.", \(bearer),
          "parameters": [{"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}}, {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                         {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 366, "default": 100}}, {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
          "responses": {"200": \(json("a page", "DateOverridePage")), \(hostErrors)}}},
        "/api/availability/overrides/{date}": {
          "parameters": [\(dateParameter)],
          "put": {"summary": "On this date the host's hours are exactly these intervals (none: closed all day).", \(bearer),
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OverrideInput"}}}},
            "responses": {"200": \(json("the override", "DateOverride")), \(malformed), \(hostErrors)}},
          "delete": {"summary": "Remove the override of this date.", \(bearer),
            "responses": {"204": {"description": "removed"}, "401": \(problem("unauthorized")), "404": \(problem("not_found")), \(invalid)}}},
        "/api/availability/slots": {"get": {"summary": "Offered slots for one date (date) or up to 31 dates (start_date, end_date inclusive), in the invitee's zone. A cached answer is filtered by the current time.",
          "parameters": [
            {"name": "meeting_type_id", "in": "query", "required": true, "schema": {"type": "string", "format": "uuid"}},
            {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
            {"name": "start_date", "in": "query", "schema": {"type": "string", "format": "date"}},
            {"name": "end_date", "in": "query", "schema": {"type": "string", "format": "date"}},
            {"name": "timezone", "in": "query", "description": "the zone to list dates and times in; the host's by default. Answers echo it as sent.", "schema": {"$ref": "#/components/schemas/TimeZoneName"}}],
          "responses": {
            "200": {"description": "DaySlotsResponse for date, RangeSlotsResponse for start_date/end_date",
              "headers": {"X-Cache": {"description": "hit when every date came from the cache", "schema": {"type": "string", "enum": ["hit", "miss"]}}},
              "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/DaySlotsResponse"}, {"$ref": "#/components/schemas/RangeSlotsResponse"}]}}}},
            "404": \(problem("not_found: unknown, deleted or inactive meeting type")),
            \(invalid)}}}
        """
    }

    private static let schemas = """
        "RegisterRequest": {"type": "object", "required": ["email", "password", "name", "time_zone"], "properties": {
          "email": {"type": "string", "format": "email"}, "password": {"type": "string", "minLength": 8}, "name": {"type": "string"},
          "time_zone": {"$ref": "#/components/schemas/TimeZoneName"}, "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$", "description": "not api, assets, host or bookings (paths the gateway serves)"}}},
        "LoginRequest": {"type": "object", "required": ["email", "password"], "properties": {"email": {"type": "string"}, "password": {"type": "string"}}},
        "UpdateUserRequest": {"type": "object", "properties": {"name": {"type": "string"}, "time_zone": {"$ref": "#/components/schemas/TimeZoneName"},
          "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$", "description": "the booking-link slug; not api, assets, host or bookings; 409 conflict when taken"}}},
        "User": {"type": "object", "required": ["id", "email", "name", "time_zone", "slug", "created_at"], "properties": {
          "id": {"$ref": "#/components/schemas/Uuid"}, "email": {"type": "string"}, "name": {"type": "string"}, "time_zone": {"$ref": "#/components/schemas/TimeZoneName"},
          "slug": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}},
        "LoginResponse": {"type": "object", "required": ["access_token", "token_type", "expires_in", "user"], "properties": {
          "access_token": {"type": "string"}, "token_type": {"type": "string", "enum": ["Bearer"]}, "expires_in": {"type": "integer"}, "user": {"$ref": "#/components/schemas/User"}}},
        "MeetingTypeInput": {"type": "object", "required": ["name", "slug", "duration_minutes"], "properties": {
          "name": {"type": "string"}, "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
          "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 720},
          "buffer_before_minutes": {"type": "integer", "minimum": 0, "maximum": 240, "default": 0},
          "buffer_after_minutes": {"type": "integer", "minimum": 0, "maximum": 240, "default": 0},
          "slot_interval_minutes": {"type": "integer", "minimum": 5, "maximum": 240, "default": 15},
          "max_bookings_per_day": {"type": ["integer", "null"], "minimum": 1},
          "min_notice_minutes": {"type": "integer", "minimum": 0, "default": 0},
          "max_days_in_future": {"type": "integer", "minimum": 1, "maximum": 365, "default": 60},
          "color": {"type": ["string", "null"]}, "description": {"type": ["string", "null"]}, "is_active": {"type": "boolean", "default": true}}},
        "MeetingTypePatch": {"type": "object", "description": "Any subset of MeetingTypeInput's fields.", "properties": {
          "name": {"type": "string"}, "slug": {"type": "string"}, "duration_minutes": {"type": "integer"}, "buffer_before_minutes": {"type": "integer"},
          "buffer_after_minutes": {"type": "integer"}, "slot_interval_minutes": {"type": "integer"}, "max_bookings_per_day": {"type": ["integer", "null"]},
          "min_notice_minutes": {"type": "integer"}, "max_days_in_future": {"type": "integer"}, "color": {"type": ["string", "null"]},
          "description": {"type": ["string", "null"]}, "is_active": {"type": "boolean"}}},
        "MeetingType": {"type": "object", "required": ["id", "user_id", "name", "slug", "description", "color", "duration_minutes", "buffer_before_minutes",
            "buffer_after_minutes", "slot_interval_minutes", "max_bookings_per_day", "min_notice_minutes", "max_days_in_future", "is_active", "created_at", "updated_at"],
          "properties": {
          "id": {"$ref": "#/components/schemas/Uuid"}, "user_id": {"$ref": "#/components/schemas/Uuid"}, "name": {"type": "string"}, "slug": {"type": "string"},
          "description": {"type": ["string", "null"]}, "color": {"type": ["string", "null"]}, "duration_minutes": {"type": "integer"},
          "buffer_before_minutes": {"type": "integer"}, "buffer_after_minutes": {"type": "integer"}, "slot_interval_minutes": {"type": "integer"},
          "max_bookings_per_day": {"type": ["integer", "null"]}, "min_notice_minutes": {"type": "integer"}, "max_days_in_future": {"type": "integer"},
          "is_active": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
        "MeetingTypePage": {"type": "object", "required": ["data", "next_cursor"], "properties": {
          "data": {"type": "array", "items": {"$ref": "#/components/schemas/MeetingType"}}, "next_cursor": {"type": ["string", "null"]}}},
        "PublicMeetingType": {"type": "object", "required": ["id", "name", "slug", "duration_minutes", "host"], "properties": {
          "id": {"$ref": "#/components/schemas/Uuid"}, "name": {"type": "string"}, "slug": {"type": "string"}, "description": {"type": ["string", "null"]},
          "color": {"type": ["string", "null"]}, "duration_minutes": {"type": "integer"}, "slot_interval_minutes": {"type": "integer"},
          "min_notice_minutes": {"type": "integer"}, "max_days_in_future": {"type": "integer"},
          "host": {"type": "object", "required": ["name", "slug", "time_zone"], "properties": {"name": {"type": "string"}, "slug": {"type": "string"}, "time_zone": {"$ref": "#/components/schemas/TimeZoneName"}}}}},
        "PublicHostPage": {"type": "object", "required": ["host", "meeting_types"], "properties": {
          "host": {"type": "object", "required": ["name", "slug", "time_zone"], "properties": {"name": {"type": "string"}, "slug": {"type": "string"}, "time_zone": {"$ref": "#/components/schemas/TimeZoneName"}}},
          "meeting_types": {"type": "array", "items": {"$ref": "#/components/schemas/PublicMeetingType"}}}},
        "Window": {"type": "object", "required": ["start_time", "end_time"], "properties": {
          "start_time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, "end_time": {"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"}}},
        "Rule": {"type": "object", "required": ["day_of_week", "start_time", "end_time"], "properties": {
          "day_of_week": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 = Sunday"},
          "start_time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:mm from 00:00 to 23:59 (24:00 ends a day and starts none)"},
          "end_time": {"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", "description": "HH:mm; 24:00 ends the day"}}},
        "RulesInput": {"type": "object", "required": ["rules"], "properties": {"rules": {"type": "array", "items": {"$ref": "#/components/schemas/Rule"}}}},
        "WeeklySchedule": {"type": "object", "required": ["time_zone", "rules"], "properties": {"time_zone": {"$ref": "#/components/schemas/TimeZoneName"}, "rules": {"type": "array", "items": {"$ref": "#/components/schemas/Rule"}}}},
        "OverrideInput": {"type": "object", "required": ["intervals"], "properties": {"intervals": {"type": "array", "items": {"$ref": "#/components/schemas/Window"}}}},
        "DateOverride": {"type": "object", "required": ["date", "intervals"], "properties": {"date": {"type": "string", "format": "date"}, "intervals": {"type": "array", "items": {"$ref": "#/components/schemas/Window"}}}},
        "DateOverridePage": {"type": "object", "required": ["data", "next_cursor"], "properties": {
          "data": {"type": "array", "items": {"$ref": "#/components/schemas/DateOverride"}}, "next_cursor": {"type": ["string", "null"]}}},
        "Slot": {"type": "object", "required": ["start", "end", "start_time", "end_time"], "properties": {
          "start": {"type": "string", "description": "HH:mm in timezone"}, "end": {"type": "string", "description": "HH:mm in timezone"},
          "start_time": {"type": "string", "format": "date-time"}, "end_time": {"type": "string", "format": "date-time"}}},
        "DaySlotsResponse": {"type": "object", "required": ["date", "timezone", "meeting_type_id", "slots"], "properties": {
          "date": {"type": "string", "format": "date"}, "timezone": {"$ref": "#/components/schemas/TimeZoneName"}, "meeting_type_id": {"$ref": "#/components/schemas/Uuid"},
          "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}}}},
        "RangeSlotsResponse": {"type": "object", "required": ["timezone", "meeting_type_id", "days"], "properties": {
          "timezone": {"$ref": "#/components/schemas/TimeZoneName"}, "meeting_type_id": {"$ref": "#/components/schemas/Uuid"},
          "days": {"type": "array", "items": {"type": "object", "required": ["date", "slots"], "properties": {
            "date": {"type": "string", "format": "date"}, "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}}}}}}}
        """
}
