import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Testing
@testable import ServiceRuntime

/// A service with a few routes that exercise the shared error handling.
private func testDefinition() -> ServiceDefinition {
    ServiceDefinition(name: "runtime-test", defaultPort: 0, openAPIDocument: OpenAPIDocument.make(title: "test")) { router, deps in
        struct Body: Decodable { let name: String; let durationMinutes: Int; let tags: [String]? }
        struct Echo: ResponseEncodable { let name: String; let durationMinutes: Int; let at: Date }
        router.post("/api/echo") { request, context in
            let body = try await request.decodeContract(Body.self, context: context)
            return Echo(name: body.name, durationMinutes: body.durationMinutes, at: Date(timeIntervalSince1970: 1_773_151_200.9))
        }
        router.get("/api/boom") { _, _ -> String in
            struct Secret: Error { let password = "hunter2" }
            throw Secret()
        }
        router.get("/api/duplicate") { _, _ -> String in
            throw PostgresError(kind: .uniqueViolation, sqlState: "23505", constraint: "users_email_key", message: "dup")
        }
    }
}

private func configuration(_ overrides: [String: String] = [:]) throws -> ServiceConfiguration {
    var environment = ProcessInfo.processInfo.environment
    environment["AUTH_SECRET"] = "test-secret-test-secret-test-secret-1234"
    environment["MIGRATE_ON_START"] = "false"
    for (key, value) in overrides { environment[key] = value }
    return try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 0)
}

private struct ProblemBody: Decodable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String
    let errors: [Problem.FieldError]?
}

@Suite("Service runtime: problems, request ids, operator endpoints")
struct ServiceRuntimeTests {
    @Test("an unknown path is a problem-JSON 404")
    func unknownPath() async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: response.body))
                #expect(problem.code == "not_found")
                #expect(problem.status == 404)
            }
        }
    }

    @Test("bodies that are not a JSON object are 400 malformed_json", arguments: ["{not json", "[1, 2]", "\"text\"", "", "null"])
    func malformedBodies(body: String) async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/echo", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: response.body))
                #expect(problem.code == "malformed_json")
            }
        }
    }

    @Test("a missing or mistyped field is 422 validation_failed naming the wire field", arguments: [
        (#"{"duration_minutes": 30}"#, "name", "is required"),
        (#"{"name": "x", "duration_minutes": "thirty"}"#, "duration_minutes", "must be an integer, not a string"),
        (#"{"name": "x", "duration_minutes": 30.5}"#, "duration_minutes", "must be an integer"),
        (#"{"name": "a\u0000b", "duration_minutes": 30}"#, "name", #"must not contain the NUL character (\u0000)"#),
        (#"{"name": null, "duration_minutes": 30}"#, "name", "must not be null"),
        (#"{"name": "x", "duration_minutes": 30, "tags": ["a", 1]}"#, "tags[1]", "must be a string, not a number"),
    ])
    func fieldErrors(body: String, field: String, message: String) async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/echo", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: response.body))
                #expect(problem.code == "validation_failed")
                #expect(problem.errors == [Problem.FieldError(field: field, message: message)])
            }
        }
    }

    @Test("responses use snake_case and whole-second UTC instants")
    func contractEncoding() async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/echo", method: .post, body: ByteBuffer(string: #"{"name": "a", "duration_minutes": 30}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"at":"2026-03-10T14:00:00Z","duration_minutes":30,"name":"a"}"#)
            }
        }
    }

    @Test("an unexpected error is a generic 500 that leaks nothing; a duplicate is 409 conflict")
    func errorMapping() async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(!String(buffer: response.body).contains("hunter2"))
            }
            try await client.execute(uri: "/api/duplicate", method: .get) { response in
                #expect(response.status == .conflict)
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: response.body))
                #expect(problem.code == "conflict")
                #expect(!problem.detail.contains("users_email_key"))
            }
        }
    }

    @Test("X-Request-ID is kept when sane, made when absent or unfit")
    func requestIDs() async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: "req-123"]) { response in
                #expect(response.headers[.requestID] == "req-123")
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(UUID(uuidString: response.headers[.requestID] ?? "") != nil)
            }
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: String(repeating: "x", count: 500)]) { response in
                #expect(response.headers[.requestID]?.count == 36)
            }
        }
    }

    @Test("/ready names PostgreSQL when it does not answer, and /health still answers")
    func readinessNamesTheFailingDependency() async throws {
        let config = try configuration(["DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/none"])
        let app = try await buildApplication(testDefinition(), configuration: config, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let text = String(buffer: response.body)
                #expect(text.contains(#""postgres":"unavailable""#))
                #expect(text.contains("\"code\":\"unavailable\""))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/ready is 200 against the real stack; /metrics and /openapi.json answer")
    func operatorEndpoints() async throws {
        let app = try await buildApplication(testDefinition(), configuration: configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("hb_requests"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(object?["openapi"] as? String == "3.1.0")
            }
        }
    }
}

@Suite("Configuration from the environment")
struct ServiceConfigurationTests {
    @Test("a missing secret stops the service naming the variable")
    func missingSecret() {
        #expect(throws: ConfigurationError(variable: "AUTH_SECRET", reason: "is required but not set")) {
            try ServiceConfiguration(environment: EnvironmentReader([:]), defaultPort: 8081)
        }
    }

    @Test("invalid values name their variable", arguments: [
        ("PORT", "eighty"), ("PORT", "70000"), ("DATABASE_URL", "mysql://x@y/z"), ("REDIS_URL", "not a url"), ("AUTH_SECRET", "short"),
    ])
    func invalidValues(variable: String, value: String) {
        var environment = ["AUTH_SECRET": String(repeating: "s", count: 32)]
        environment[variable] = value
        do {
            _ = try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 8081)
            Issue.record("accepted \(variable)=\(value)")
        } catch let error as ConfigurationError {
            #expect(error.variable == variable)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("defaults point at the local stack")
    func defaults() throws {
        let config = try ServiceConfiguration(environment: EnvironmentReader(["AUTH_SECRET": String(repeating: "s", count: 32)]), defaultPort: 8082)
        #expect(config.port == 8082)
        #expect(config.databaseURL.contains(":55432/"))
        #expect(config.redisURL == "redis://127.0.0.1:56379/0")
        #expect(config.amqpURL == "amqp://guest:guest@127.0.0.1:55672/")
        #expect(config.databaseReplicaURL == nil)
    }
}

@Suite("RFC 3339 instants")
struct RFC3339Tests {
    @Test("valid instants normalise to UTC", arguments: [
        ("2026-03-10T14:00:00Z", 1_773_151_200.0),
        ("2026-03-10T10:00:00-04:00", 1_773_151_200.0),
        ("2026-03-10T19:30:00+05:30", 1_773_151_200.0),
        ("2026-03-10T14:00:00.250Z", 1_773_151_200.25),
        ("2024-02-29T00:00:00z", 1_709_164_800.0),
    ])
    func parses(text: String, epoch: Double) {
        #expect(RFC3339.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test("invalid instants are rejected", arguments: [
        "2026-03-10", "2026-03-10T14:00:00", "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T00:00:00Z",
        "2026-03-10T24:00:00Z", "2026-03-10T14:00Z", "2026-03-10T14:00:00+0400", "2026-03-10T14:00:00.Z", " 2026-03-10T14:00:00Z", "",
    ])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("formatting is whole-second UTC")
    func formats() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_773_151_200.999)) == "2026-03-10T14:00:00Z")
    }
}
