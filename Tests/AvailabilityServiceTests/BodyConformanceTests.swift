import Foundation
import Hummingbird
import TestSupport
import Testing
@testable import AvailabilityService

/// Every route of the availability service that takes a body, against every malformed body
/// (`400 malformed_json`, and the resource reads back unchanged) and every wrong-typed field
/// (`422 validation_failed` naming that field and nothing else).
@Suite("Bodies: malformed JSON is 400 and writes nothing; a wrong type is 422 naming its field")
struct BodyConformanceTests {
    enum Route: String, CaseIterable, Sendable {
        case register, login, updateMe, createMeetingType, updateMeetingType, replaceRules, setOverride
    }

    /// A host with a meeting type and working hours, for the routes to change.
    struct World: Sendable {
        var host: Client.Host
        var meetingType: String
        var newEmail: String
    }

    static func world(_ client: Client) async throws -> World {
        let host = try await client.registerHost(timeZone: "Europe/Paris", name: "Body Host")
        let type = try await client.createMeetingType(host)
        try await client.setWorkingHours(host)
        return World(host: host, meetingType: type, newEmail: "new-\(UUID().uuidString.lowercased())@example.com")
    }

    static func request(_ route: Route, _ world: World) -> (method: HTTPRequest.Method, path: String, token: String?, valid: String) {
        switch route {
        case .register:
            return (.post, "/api/users", nil, #"{"email": "\#(world.newEmail)", "password": "12345678", "name": "New Host", "time_zone": "UTC", "slug": "s-\#(UUID().uuidString.prefix(8).lowercased())"}"#)
        case .login:
            return (.post, "/api/auth/login", nil, #"{"email": "\#(world.host.email)", "password": "correct horse"}"#)
        case .updateMe:
            return (.patch, "/api/users/me", world.host.token, #"{"name": "Changed Name", "time_zone": "Asia/Kolkata"}"#)
        case .createMeetingType:
            return (.post, "/api/meeting-types", world.host.token, #"""
                {"name": "Second", "slug": "second", "duration_minutes": 45, "buffer_before_minutes": 5, "buffer_after_minutes": 5,
                 "slot_interval_minutes": 15, "max_bookings_per_day": 4, "min_notice_minutes": 60, "max_days_in_future": 30,
                 "color": "#336699", "description": "More", "is_active": true}
                """#)
        case .updateMeetingType:
            return (.patch, "/api/meeting-types/\(world.meetingType)", world.host.token, #"""
                {"name": "Changed", "slug": "changed", "duration_minutes": 45, "buffer_before_minutes": 5, "buffer_after_minutes": 5,
                 "slot_interval_minutes": 15, "max_bookings_per_day": 4, "min_notice_minutes": 60, "max_days_in_future": 30,
                 "color": "#336699", "description": "More", "is_active": false}
                """#)
        case .replaceRules:
            return (.put, "/api/availability/rules", world.host.token, #"""
                {"rules": [{"day_of_week": 0, "start_time": "10:00", "end_time": "11:00"}, {"day_of_week": 2, "start_time": "10:00", "end_time": "11:00"},
                           {"day_of_week": 4, "start_time": "10:00", "end_time": "11:00"}]}
                """#)
        case .setOverride:
            return (.put, "/api/availability/overrides/2026-12-24", world.host.token,
                    #"{"intervals": [{"start_time": "08:00", "end_time": "09:00"}, {"start_time": "10:00", "end_time": "11:00"}]}"#)
        }
    }

    /// The fields of each route's body, by kind, and which of them may not be null.
    static func fields(_ route: Route) -> (fields: [BodyCorpus.Field], required: Set<String>) {
        let integers = ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes", "slot_interval_minutes", "max_bookings_per_day",
                        "min_notice_minutes", "max_days_in_future"]
        let typeFields = ["name", "slug", "color", "description"].map { BodyCorpus.Field($0, .string) }
            + integers.map { BodyCorpus.Field($0, .integer) } + [BodyCorpus.Field("is_active", .boolean)]
        switch route {
        case .register:
            return (["email", "password", "name", "time_zone", "slug"].map { BodyCorpus.Field($0, .string) }, ["email", "password", "name", "time_zone"])
        case .login:
            return (["email", "password"].map { BodyCorpus.Field($0, .string) }, ["email", "password"])
        case .updateMe:
            return (["name", "time_zone"].map { BodyCorpus.Field($0, .string) }, [])
        case .createMeetingType:
            return (typeFields, ["name", "slug", "duration_minutes"])
        case .updateMeetingType:
            // null clears max_bookings_per_day, color and description, and is refused for the others.
            return (typeFields, Set(typeFields.map(\.path)).subtracting(["max_bookings_per_day", "color", "description"]))
        case .replaceRules:
            let rule = [BodyCorpus.Field("rules[2].day_of_week", .integer), BodyCorpus.Field("rules[2].start_time", .string), BodyCorpus.Field("rules[2].end_time", .string)]
            return ([BodyCorpus.Field("rules", .array), BodyCorpus.Field("rules[1]", .object)] + rule, Set(["rules", "rules[1]"] + rule.map(\.path)))
        case .setOverride:
            let window = [BodyCorpus.Field("intervals[1].start_time", .string), BodyCorpus.Field("intervals[1].end_time", .string)]
            return ([BodyCorpus.Field("intervals", .array), BodyCorpus.Field("intervals[0]", .object)] + window, Set(["intervals", "intervals[0]"] + window.map(\.path)))
        }
    }

    /// What the route would have changed, read back through the API.
    static func snapshot(_ route: Route, _ world: World, _ client: Client) async throws -> String {
        switch route {
        case .register, .login:
            // A registration would let the new address log in.
            return "\(try await client.post("/api/auth/login", #"{"email": "\#(world.newEmail)", "password": "12345678"}"#).status)"
        case .updateMe:
            return try await client.get("/api/users/me", token: world.host.token).body
        case .createMeetingType:
            return try await client.get("/api/meeting-types", token: world.host.token).body
        case .updateMeetingType:
            return try await client.get("/api/meeting-types/\(world.meetingType)", token: world.host.token).body
        case .replaceRules:
            return try await client.get("/api/availability/rules", token: world.host.token).body
        case .setOverride:
            return try await client.get("/api/availability/overrides?from=2026-12-24&to=2026-12-24", token: world.host.token).body
        }
    }

    @Test("every malformed body is 400 malformed_json, and the resource reads back unchanged", arguments: Route.allCases)
    func malformed(route: Route) async throws {
        try await TestService.run { client in
            let world = try await Self.world(client)
            let (method, path, token, valid) = Self.request(route, world)
            let before = try await Self.snapshot(route, world, client)
            var failures: [String] = []
            for item in BodyCorpus.malformed(valid) {
                let reply = try await client.send(method, path, token: token, bytes: item.bytes)
                if reply.status != .badRequest || reply.code != "malformed_json" || reply.headers[.contentType] != "application/problem+json" {
                    failures.append("\(item.label): \(reply.status) \(reply.body)")
                }
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try await Self.snapshot(route, world, client) == before)
            // The valid body itself is taken (so the table tests the parser, not a refusal of the route).
            let accepted = try await client.send(method, path, token: token, bytes: Array(valid.utf8))
            #expect([.ok, .created].contains(accepted.status), "\(accepted.body)")
        }
    }

    @Test("a value of the wrong type in any field is 422 validation_failed naming exactly that field", arguments: Route.allCases)
    func wrongTypes(route: Route) async throws {
        try await TestService.run { client in
            let world = try await Self.world(client)
            let (method, path, token, valid) = Self.request(route, world)
            let (fields, required) = Self.fields(route)
            let before = try await Self.snapshot(route, world, client)
            var failures: [String] = []
            for item in BodyCorpus.wrongTypes(valid, fields: fields, required: required) {
                let reply = try await client.send(method, path, token: token, bytes: Array(item.body.utf8))
                if reply.status != .unprocessableContent || reply.code != "validation_failed" || reply.fieldErrors != [item.field] {
                    failures.append("\(item): \(reply.status) \(reply.body)")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) cases: \(failures)")
            #expect(try await Self.snapshot(route, world, client) == before)
        }
    }
}
