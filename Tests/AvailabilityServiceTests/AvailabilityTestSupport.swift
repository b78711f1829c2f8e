import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Postgres
import Redis
import Testing
import TestSupport
@testable import AvailabilityService
@testable import ServiceRuntime


/// The availability service against the real local stack, with a test clock and a cheap bcrypt.
enum TestService {
    static let secret = "availability-test-secret-0123456789abcdef"

    static func configuration(_ overrides: [String: String] = [:]) throws -> ServiceConfiguration {
        var environment = ProcessInfo.processInfo.environment
        if (environment["AUTH_SECRET"] ?? "").utf8.count < 32 { environment["AUTH_SECRET"] = secret }
        for (key, value) in overrides { environment[key] = value }
        return try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 0)
    }

    /// Builds the service and runs `body` with a client for its router.
    static func run<Value: Sendable>(
        clock: TestClock = TestClock(Date()),
        environment: [String: String] = [:],
        _ body: @Sendable (Client) async throws -> Value
    ) async throws -> Value {
        let configuration = try configuration(environment)
        let definition = AvailabilityService.definition(now: { clock.now }, passwordHashCost: 4)
        let app = try await buildApplication(definition, configuration: configuration, logger: Logger(label: "availability-test"))
        return try await app.test(.router) { client in
            try await body(Client(client: client))
        }
    }

    /// The test database, for rows another service would write (bookings, busy time).
    @discardableResult
    static func withDatabase<Value: Sendable>(_ body: (PostgresClient) async throws -> Value) async throws -> Value {
        let configuration = try configuration()
        let client = PostgresClient(configuration: .init(url: configuration.databaseURL, maxConnections: 2), logger: Logger(label: "test-db"))
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The Redis of the stack.
    @discardableResult
    static func withRedis<Value: Sendable>(_ body: (RedisClient) async throws -> Value) async throws -> Value {
        let configuration = try configuration()
        let redis = RedisClient(configuration: configuration.redis, logger: Logger(label: "test-redis"))
        do {
            let value = try await body(redis)
            try await redis.shutdown()
            return value
        } catch {
            try? await redis.shutdown()
            throw error
        }
    }
}

/// A decoded response: status, headers and the body as JSON.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    subscript(key: String) -> Any? { json[key] }

    /// The `errors[].field` of a problem.
    var fieldErrors: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    var code: String? { json["code"] as? String }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(body.utf8))
    }
}

/// A small client over the router test client.
struct Client: Sendable {
    let client: any TestClientProtocol

    func request(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json != nil { fields[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// A request whose body is exactly `bytes` (sent as `application/json`, whatever they are).
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, bytes: [UInt8]) async throws -> Reply {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let token { fields[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: fields, body: ByteBuffer(bytes: bytes)) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    func get(_ uri: String, token: String? = nil) async throws -> Reply { try await request(.get, uri, token: token) }
    func post(_ uri: String, token: String? = nil, _ json: String) async throws -> Reply { try await request(.post, uri, token: token, json: json) }
    func put(_ uri: String, token: String? = nil, _ json: String) async throws -> Reply { try await request(.put, uri, token: token, json: json) }
    func patch(_ uri: String, token: String? = nil, _ json: String) async throws -> Reply { try await request(.patch, uri, token: token, json: json) }
    func delete(_ uri: String, token: String? = nil) async throws -> Reply { try await request(.delete, uri, token: token) }

    /// A freshly registered host, logged in.
    struct Host: Sendable {
        var id: String
        var token: String
        var email: String
        var slug: String
        var timeZone: String
    }

    func registerHost(timeZone: String = "America/New_York", name: String = "Test Host") async throws -> Host {
        let email = "host-\(UUID().uuidString.lowercased())@example.com"
        let created = try await post("/api/users", #"{"email": "\#(email)", "password": "correct horse", "name": "\#(name)", "time_zone": "\#(timeZone)"}"#)
        #expect(created.status == .created, "\(created.body)")
        let login = try await post("/api/auth/login", #"{"email": "\#(email)", "password": "correct horse"}"#)
        #expect(login.status == .ok, "\(login.body)")
        return Host(
            id: created["id"] as? String ?? "", token: login["access_token"] as? String ?? "", email: email,
            slug: created["slug"] as? String ?? "", timeZone: timeZone
        )
    }

    /// A meeting type of `host`; `fields` are extra JSON members.
    func createMeetingType(_ host: Host, slug: String = "intro", duration: Int = 30, fields: String = "") async throws -> String {
        let extra = fields.isEmpty ? "" : ", " + fields
        let reply = try await post("/api/meeting-types", token: host.token, #"{"name": "Intro", "slug": "\#(slug)", "duration_minutes": \#(duration)\#(extra)}"#)
        #expect(reply.status == .created, "\(reply.body)")
        return reply["id"] as? String ?? ""
    }

    /// Replaces `host`'s weekly rules with `(day, start, end)` windows.
    func setRules(_ host: Host, _ rules: [(Int, String, String)]) async throws {
        let items = rules.map { #"{"day_of_week": \#($0.0), "start_time": "\#($0.1)", "end_time": "\#($0.2)"}"# }.joined(separator: ",")
        let reply = try await put("/api/availability/rules", token: host.token, #"{"rules": [\#(items)]}"#)
        #expect(reply.status == .ok, "\(reply.body)")
    }

    /// Waits until every `availability.changed` event of `host` has been consumed: the consumer bumps
    /// the generation once more for each, which would turn the next expected cache hit into a miss.
    func settle(_ host: Host) async throws {
        // Generous: the shared queue may still hold a backlog from earlier tests, and retries wait.
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let pending = try await TestService.withDatabase { db in
                try await db.query("""
                    SELECT count(*) AS pending FROM outbox o
                    WHERE o.type = 'availability.changed' AND o.body ILIKE \("%" + host.id + "%")
                      AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = 'availability.events' AND p.event_id = o.id)
                    """)[0].decode("pending", as: Int.self)
            }
            if pending == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("availability.changed events of \(host.id) were not consumed within 90 s")
    }

    /// Monday to Friday, 09:00–17:00.
    func setWorkingHours(_ host: Host) async throws {
        try await setRules(host, (1...5).map { ($0, "09:00", "17:00") })
    }

    /// The slots of one date.
    func slots(_ meetingType: String, date: String, timezone: String? = nil) async throws -> Reply {
        var uri = "/api/availability/slots?meeting_type_id=\(meetingType)&date=\(date)"
        if let timezone { uri += "&timezone=\(timezone)" }
        return try await get(uri)
    }
}

/// One slot as the API lists it.
struct SlotBody: Decodable, Equatable, Sendable {
    var start: String
    var end: String
    var startTime: String
    var endTime: String
}

struct DayBody: Decodable, Sendable {
    var date: String
    var timezone: String
    var meetingTypeId: String
    var slots: [SlotBody]
}

struct RangeBody: Decodable, Sendable {
    struct Day: Decodable, Sendable {
        var date: String
        var slots: [SlotBody]
    }

    var timezone: String
    var meetingTypeId: String
    var days: [Day]
}

/// `2026-03-02T12:00:00Z` and the like.
func instant(_ text: String) -> Date {
    RFC3339.parse(text)!
}
