import Foundation
import Hummingbird
import Testing
@testable import AvailabilityService
@testable import ServiceRuntime

@Suite("Accounts: register, log in, me")
struct AccountTests {
    @Test("registering answers 201 with the user; the slug comes from the name; the password never shows")
    func register() async throws {
        try await TestService.run { client in
            let email = "Ada-\(UUID().uuidString.prefix(8))@Example.com"
            let reply = try await client.post("/api/users", #"{"email": "\#(email)", "password": "analytical", "name": "Ada Lovelace", "time_zone": "Europe/London"}"#)
            #expect(reply.status == .created)
            #expect(Set(reply.json.keys) == ["id", "email", "name", "time_zone", "slug", "created_at"])
            #expect(reply["email"] as? String == email)
            #expect(reply["time_zone"] as? String == "Europe/London")
            let slug = try #require(reply["slug"] as? String)
            #expect(slug == "ada-lovelace" || slug.hasPrefix("ada-lovelace-"))
            #expect(RFC3339.parse(reply["created_at"] as? String ?? "") != nil)
            #expect(!reply.body.contains("analytical"))
        }
    }

    @Test("a duplicate email, in any case, is 409 conflict; a taken chosen slug is 409; a taken derived slug gets a suffix")
    func duplicates() async throws {
        try await TestService.run { client in
            let email = "dup-\(UUID().uuidString.prefix(8))@example.com"
            let slug = "s-\(UUID().uuidString.prefix(8).lowercased())"
            let first = try await client.post("/api/users", #"{"email": "\#(email)", "password": "12345678", "name": "Dup", "time_zone": "UTC", "slug": "\#(slug)"}"#)
            #expect(first.status == .created)
            let again = try await client.post("/api/users", #"{"email": "\#(email.uppercased())", "password": "12345678", "name": "Dup", "time_zone": "UTC"}"#)
            #expect(again.status == .conflict)
            #expect(again.code == "conflict")
            let taken = try await client.post("/api/users", #"{"email": "x\#(email)", "password": "12345678", "name": "Dup", "time_zone": "UTC", "slug": "\#(slug)"}"#)
            #expect(taken.status == .conflict)
            // The name derives the slug that the first user chose: the second gets a suffix.
            let derived = try await client.post("/api/users", #"{"email": "y\#(email)", "password": "12345678", "name": "\#(slug)", "time_zone": "UTC"}"#)
            #expect(derived.status == .created)
            let derivedSlug = try #require(derived["slug"] as? String)
            #expect(derivedSlug.hasPrefix(slug + "-"))
        }
    }

    @Test("every invalid field of a registration is named in one 422", arguments: [
        (#"{"email": "not-an-email", "password": "12345678", "name": "A", "time_zone": "UTC"}"#, ["email"]),
        (#"{"email": "a@example.com", "password": "short", "name": "A", "time_zone": "UTC"}"#, ["password"]),
        (#"{"email": "a@example.com", "password": "12345678", "name": "  ", "time_zone": "UTC"}"#, ["name"]),
        (#"{"email": "a@example.com", "password": "12345678", "name": "A", "time_zone": "Mars/Olympus"}"#, ["time_zone"]),
        (#"{"email": "a@example.com", "password": "12345678", "name": "A", "time_zone": "UTC", "slug": "Bad Slug"}"#, ["slug"]),
        (#"{"email": "bad", "password": "1", "name": "", "time_zone": "Nowhere", "slug": "_"}"#, ["email", "password", "name", "time_zone", "slug"]),
        (#"{"password": "12345678", "name": "A", "time_zone": "UTC"}"#, ["email"]),
        (#"{"email": "a@example.com", "password": 12345678, "name": "A", "time_zone": "UTC"}"#, ["password"]),
    ])
    func registrationValidation(body: String, fields: [String]) async throws {
        try await TestService.run { client in
            let reply = try await client.post("/api/users", body)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.code == "validation_failed")
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(reply.fieldErrors == fields)
        }
    }

    @Test("a body that is not a JSON object is 400 malformed_json")
    func malformed() async throws {
        try await TestService.run { client in
            for body in ["{not json", "[1]", ""] {
                let reply = try await client.post("/api/users", body)
                #expect(reply.status == .badRequest)
                #expect(reply.code == "malformed_json")
            }
        }
    }

    @Test("login returns a bearer token for an hour; a wrong password or unknown email is 401; the email's case does not matter")
    func login() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let ok = try await client.post("/api/auth/login", #"{"email": "\#(host.email.uppercased())", "password": "correct horse"}"#)
            #expect(ok.status == .ok)
            #expect(ok["token_type"] as? String == "Bearer")
            #expect(ok["expires_in"] as? Int == 3600)
            #expect((ok["user"] as? [String: Any])?["id"] as? String == host.id)
            #expect(!(ok["access_token"] as? String ?? "").isEmpty)
            let wrong = try await client.post("/api/auth/login", #"{"email": "\#(host.email)", "password": "wrong horse"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.code == "unauthorized")
            let unknown = try await client.post("/api/auth/login", #"{"email": "nobody-\#(UUID())@example.com", "password": "correct horse"}"#)
            #expect(unknown.status == .unauthorized)
            let missing = try await client.post("/api/auth/login", #"{"email": "\#(host.email)"}"#)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors == ["password"])
        }
    }

    @Test("me needs a valid token: none, a malformed, a forged and an expired one are 401")
    func meNeedsAValidToken() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let me = try await client.get("/api/users/me", token: host.token)
            #expect(me.status == .ok)
            #expect(me["id"] as? String == host.id)
            #expect(me["email"] as? String == host.email)

            let none = try await client.get("/api/users/me")
            #expect(none.status == .unauthorized)
            #expect(none.code == "unauthorized")
            #expect(try await client.get("/api/users/me", token: "not-a-jwt").status == .unauthorized)
            let forged = await AccessTokens(secret: "another-secret-another-secret-another-secret")
            let forgedToken = try await forged.issue(for: UUID(uuidString: host.id)!)
            #expect(try await client.get("/api/users/me", token: forgedToken).status == .unauthorized)
            let configuration = try TestService.configuration()
            let tokens = await AccessTokens(secret: configuration.authSecret)
            let expired = try await tokens.issue(for: UUID(uuidString: host.id)!, now: Date().addingTimeInterval(-7200))
            #expect(try await client.get("/api/users/me", token: expired).status == .unauthorized)
            let patch = try await client.patch("/api/users/me", token: expired, #"{"name": "x"}"#)
            #expect(patch.status == .unauthorized)
        }
    }

    @Test("PATCH me changes the name and the zone; the weekly rules keep their wall-clock times")
    func updateMe() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost(timeZone: "America/New_York")
            try await client.setWorkingHours(host)
            let renamed = try await client.patch("/api/users/me", token: host.token, #"{"name": "Renamed"}"#)
            #expect(renamed.status == .ok)
            #expect(renamed["name"] as? String == "Renamed")
            #expect(renamed["time_zone"] as? String == "America/New_York")
            let moved = try await client.patch("/api/users/me", token: host.token, #"{"time_zone": "Asia/Tokyo"}"#)
            #expect(moved.status == .ok)
            #expect(moved["time_zone"] as? String == "Asia/Tokyo")
            #expect(moved["name"] as? String == "Renamed")
            let rules = try await client.get("/api/availability/rules", token: host.token)
            #expect(rules["time_zone"] as? String == "Asia/Tokyo")
            let first = (rules["rules"] as? [[String: Any]])?.first
            #expect(first?["start_time"] as? String == "09:00")
            #expect(first?["end_time"] as? String == "17:00")
            let bad = try await client.patch("/api/users/me", token: host.token, #"{"name": "", "time_zone": "Nowhere/City"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.fieldErrors == ["name", "time_zone"])
        }
    }
}
