import Foundation
import Hummingbird
import Testing

@Suite("Meeting types")
struct MeetingTypeTests {
    static let allFields: Set<String> = [
        "id", "user_id", "name", "slug", "description", "color", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes",
        "slot_interval_minutes", "max_bookings_per_day", "min_notice_minutes", "max_days_in_future", "is_active", "created_at", "updated_at",
    ]

    @Test("creating answers 201 with every field, the contract's defaults filled in and absent optionals as null")
    func createWithDefaults() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let reply = try await client.post("/api/meeting-types", token: host.token, #"{"name": "Intro call", "slug": "intro", "duration_minutes": 30}"#)
            #expect(reply.status == .created)
            #expect(Set(reply.json.keys) == Self.allFields)
            #expect(reply["user_id"] as? String == host.id)
            #expect(reply["buffer_before_minutes"] as? Int == 0)
            #expect(reply["buffer_after_minutes"] as? Int == 0)
            #expect(reply["slot_interval_minutes"] as? Int == 15)
            #expect(reply["min_notice_minutes"] as? Int == 0)
            #expect(reply["max_days_in_future"] as? Int == 60)
            #expect(reply["is_active"] as? Bool == true)
            #expect(reply["max_bookings_per_day"] is NSNull)
            #expect(reply["color"] is NSNull)
            #expect(reply["description"] is NSNull)

            let full = try await client.post("/api/meeting-types", token: host.token, """
                {"name": "Deep dive", "slug": "deep-dive", "duration_minutes": 90, "buffer_before_minutes": 10, "buffer_after_minutes": 15,
                 "slot_interval_minutes": 30, "max_bookings_per_day": 3, "min_notice_minutes": 120, "max_days_in_future": 30,
                 "color": "#336699", "description": "Bring questions", "is_active": false}
                """)
            #expect(full.status == .created)
            #expect(full["max_bookings_per_day"] as? Int == 3)
            #expect(full["color"] as? String == "#336699")
            #expect(full["is_active"] as? Bool == false)
        }
    }

    @Test("every out-of-range field is named in one 422", arguments: [
        (#""duration_minutes": 4"#, ["duration_minutes"]),
        (#""duration_minutes": 721"#, ["duration_minutes"]),
        (#""duration_minutes": 30, "buffer_before_minutes": -1"#, ["buffer_before_minutes"]),
        (#""duration_minutes": 30, "buffer_after_minutes": 241"#, ["buffer_after_minutes"]),
        (#""duration_minutes": 30, "slot_interval_minutes": 4"#, ["slot_interval_minutes"]),
        (#""duration_minutes": 30, "slot_interval_minutes": 241"#, ["slot_interval_minutes"]),
        (#""duration_minutes": 30, "min_notice_minutes": -5"#, ["min_notice_minutes"]),
        (#""duration_minutes": 30, "max_days_in_future": 0"#, ["max_days_in_future"]),
        (#""duration_minutes": 30, "max_days_in_future": 366"#, ["max_days_in_future"]),
        (#""duration_minutes": 30, "max_bookings_per_day": 0"#, ["max_bookings_per_day"]),
        (#""duration_minutes": 0, "buffer_before_minutes": 999, "max_days_in_future": 0"#, ["duration_minutes", "buffer_before_minutes", "max_days_in_future"]),
        (#""duration_minutes": "thirty""#, ["duration_minutes"]),
    ])
    func validation(members: String, fields: [String]) async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let reply = try await client.post("/api/meeting-types", token: host.token, #"{"name": "X", "slug": "x", \#(members)}"#)
            #expect(reply.status == .unprocessableContent, "\(reply.body)")
            #expect(reply.code == "validation_failed")
            #expect(reply.fieldErrors == fields)
        }
    }

    @Test("the slug must be [a-z0-9-] and the name non-empty")
    func slugAndName() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let reply = try await client.post("/api/meeting-types", token: host.token, #"{"name": "", "slug": "Intro Call", "duration_minutes": 30}"#)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.fieldErrors == ["name", "slug"])
        }
    }

    @Test("a slug is unique per host: 409 for the same host, fine for another, free again after a delete")
    func slugUniqueness() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let other = try await client.registerHost()
            let id = try await client.createMeetingType(host, slug: "chat")
            let again = try await client.post("/api/meeting-types", token: host.token, #"{"name": "Chat", "slug": "chat", "duration_minutes": 30}"#)
            #expect(again.status == .conflict)
            #expect(again.code == "conflict")
            _ = try await client.createMeetingType(other, slug: "chat")
            let second = try await client.createMeetingType(host, slug: "chat-2")
            let renamed = try await client.patch("/api/meeting-types/\(second)", token: host.token, #"{"slug": "chat"}"#)
            #expect(renamed.status == .conflict)
            #expect(try await client.delete("/api/meeting-types/\(id)", token: host.token).status == .noContent)
            _ = try await client.createMeetingType(host, slug: "chat")
        }
    }

    @Test("the list shows only the host's own types, in pages")
    func listOwn() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let other = try await client.registerHost()
            var ids: [String] = []
            for index in 0..<3 { ids.append(try await client.createMeetingType(host, slug: "t\(index)")) }
            _ = try await client.createMeetingType(other, slug: "theirs")
            let all = try await client.get("/api/meeting-types", token: host.token)
            #expect(all.status == .ok)
            let data = all["data"] as? [[String: Any]] ?? []
            #expect(data.compactMap { $0["id"] as? String } == ids)
            #expect(all["next_cursor"] is NSNull)

            let firstPage = try await client.get("/api/meeting-types?limit=2", token: host.token)
            #expect((firstPage["data"] as? [[String: Any]])?.count == 2)
            let cursor = try #require(firstPage["next_cursor"] as? String)
            let secondPage = try await client.get("/api/meeting-types?limit=2&cursor=\(cursor)", token: host.token)
            #expect((secondPage["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2]])
            #expect(secondPage["next_cursor"] is NSNull)

            #expect(try await client.get("/api/meeting-types").status == .unauthorized)
            let badLimit = try await client.get("/api/meeting-types?limit=0&cursor=nope", token: host.token)
            #expect(badLimit.fieldErrors == ["limit", "cursor"])
        }
    }

    @Test("GET by id: the owner sees everything; anyone else the public view of an active type; inactive or deleted is 404 to them")
    func showPublicAndOwn() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost(timeZone: "Europe/Paris", name: "Marie Curie")
            let other = try await client.registerHost()
            let id = try await client.createMeetingType(host, fields: #""buffer_before_minutes": 5, "description": "Hello""#)
            let own = try await client.get("/api/meeting-types/\(id)", token: host.token)
            #expect(own.status == .ok)
            #expect(Set(own.json.keys) == Self.allFields)

            for token in [nil, other.token] {
                let shown = try await client.get("/api/meeting-types/\(id)", token: token)
                #expect(shown.status == .ok)
                #expect(shown["buffer_before_minutes"] == nil)
                #expect(shown["description"] as? String == "Hello")
                let hostInfo = shown["host"] as? [String: Any]
                #expect(hostInfo?["name"] as? String == "Marie Curie")
                #expect(hostInfo?["time_zone"] as? String == "Europe/Paris")
                #expect(hostInfo?["slug"] as? String == host.slug)
            }

            #expect(try await client.patch("/api/meeting-types/\(id)", token: host.token, #"{"is_active": false}"#).status == .ok)
            #expect(try await client.get("/api/meeting-types/\(id)").status == .notFound)
            #expect(try await client.get("/api/meeting-types/\(id)", token: other.token).status == .notFound)
            #expect(try await client.get("/api/meeting-types/\(id)", token: host.token).status == .ok)

            #expect(try await client.delete("/api/meeting-types/\(id)", token: host.token).status == .noContent)
            #expect(try await client.get("/api/meeting-types/\(id)", token: host.token).status == .notFound)
            #expect(try await client.get("/api/meeting-types/\(UUID())").status == .notFound)
            #expect(try await client.get("/api/meeting-types/not-a-uuid").status == .notFound)
        }
    }

    @Test("PATCH changes only the fields sent; null clears a nullable field and is 422 for the others")
    func patch() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let id = try await client.createMeetingType(host, fields: ##""color": "#ff0000", "max_bookings_per_day": 2"##)
            let changed = try await client.patch("/api/meeting-types/\(id)", token: host.token, #"{"duration_minutes": 45, "color": null, "max_bookings_per_day": null}"#)
            #expect(changed.status == .ok)
            #expect(changed["duration_minutes"] as? Int == 45)
            #expect(changed["color"] is NSNull)
            #expect(changed["max_bookings_per_day"] is NSNull)
            #expect(changed["name"] as? String == "Intro")

            let nulled = try await client.patch("/api/meeting-types/\(id)", token: host.token, #"{"duration_minutes": null}"#)
            #expect(nulled.status == .unprocessableContent)
            #expect(nulled.fieldErrors == ["duration_minutes"])
            let invalid = try await client.patch("/api/meeting-types/\(id)", token: host.token, #"{"slot_interval_minutes": 1, "max_days_in_future": 400}"#)
            #expect(invalid.fieldErrors == ["slot_interval_minutes", "max_days_in_future"])
        }
    }

    @Test("another host's meeting type is 404 to PATCH and DELETE, exactly like a missing one; no token is 401")
    func otherHostsType() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let other = try await client.registerHost()
            let id = try await client.createMeetingType(host)
            let patched = try await client.patch("/api/meeting-types/\(id)", token: other.token, #"{"name": "Mine now"}"#)
            #expect(patched.status == .notFound)
            #expect(patched.code == "not_found")
            #expect(try await client.delete("/api/meeting-types/\(id)", token: other.token).status == .notFound)
            #expect(try await client.patch("/api/meeting-types/\(UUID())", token: other.token, #"{"name": "x"}"#).status == .notFound)
            #expect(try await client.patch("/api/meeting-types/\(id)", #"{"name": "x"}"#).status == .unauthorized)
            #expect(try await client.delete("/api/meeting-types/\(id)").status == .unauthorized)
            #expect(try await client.post("/api/meeting-types", #"{"name": "x", "slug": "x", "duration_minutes": 30}"#).status == .unauthorized)
            #expect(try await client.get("/api/meeting-types/\(id)", token: host.token)["name"] as? String == "Intro")
            #expect(try await client.delete("/api/meeting-types/\(id)", token: host.token).status == .noContent)
            #expect(try await client.delete("/api/meeting-types/\(id)", token: host.token).status == .notFound)
        }
    }

    @Test("the public link resolves an active type by the host's and the type's slugs")
    func publicLink() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost(name: "Link Host")
            let id = try await client.createMeetingType(host, slug: "coffee")
            let found = try await client.get("/api/public/\(host.slug)/coffee")
            #expect(found.status == .ok)
            #expect(found["id"] as? String == id)
            #expect((found["host"] as? [String: Any])?["name"] as? String == "Link Host")
            #expect(try await client.get("/api/public/\(host.slug)/tea").status == .notFound)
            #expect(try await client.get("/api/public/nobody-\(UUID().uuidString.prefix(6).lowercased())/coffee").status == .notFound)
            _ = try await client.patch("/api/meeting-types/\(id)", token: host.token, #"{"is_active": false}"#)
            #expect(try await client.get("/api/public/\(host.slug)/coffee").status == .notFound)
        }
    }
}
