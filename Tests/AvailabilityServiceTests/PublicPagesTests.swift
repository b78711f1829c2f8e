import Foundation
import Hummingbird
import SchedulingCore
import Testing
@testable import AvailabilityService

/// What the web pages read besides the contract's routes: a host's page, the zone list, and a
/// host's own slug.
@Suite("Public pages: a host's meeting types, the zone list, slugs")
struct PublicPagesTests {
    @Test("GET /api/public/{user_slug} lists the host's active meeting types in creation order; an unknown host is 404")
    func hostPage() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost(timeZone: "Asia/Kolkata", name: "Page Host")
            let first = try await client.createMeetingType(host, slug: "first")
            let second = try await client.createMeetingType(host, slug: "second", duration: 60)
            let hidden = try await client.createMeetingType(host, slug: "hidden", fields: #""is_active": false"#)
            let gone = try await client.createMeetingType(host, slug: "gone")
            #expect(try await client.delete("/api/meeting-types/\(gone)", token: host.token).status == .noContent)
            let page = try await client.get("/api/public/\(host.slug)")
            #expect(page.status == .ok)
            let hostJSON = page["host"] as? [String: Any]
            #expect(hostJSON?["name"] as? String == "Page Host")
            #expect(hostJSON?["time_zone"] as? String == "Asia/Kolkata")
            let types = page["meeting_types"] as? [[String: Any]] ?? []
            #expect(types.map { $0["id"] as? String } == [first, second])
            #expect(!types.contains { $0["id"] as? String == hidden })
            #expect(types.last?["duration_minutes"] as? Int == 60)
            #expect(try await client.get("/api/public/nobody-\(UUID().uuidString.prefix(8).lowercased())").status == .notFound)
        }
    }

    @Test("GET /api/time-zones lists exactly the names the API accepts, sorted, cacheable")
    func zoneList() async throws {
        try await TestService.run { client in
            let reply = try await client.get("/api/time-zones")
            #expect(reply.status == .ok)
            #expect(reply.headers[.cacheControl] == "public, max-age=86400")
            let names = reply["data"] as? [String] ?? []
            #expect(names == TimeZoneDatabase.system.names.sorted())
            #expect(names.contains("Asia/Kolkata"))
        }
    }

    @Test("a host changes its slug; a taken one is 409; the gateway's own paths and malformed ones are 422", arguments: [
        "api", "assets", "host", "bookings", "Upper", "with space", "", String(repeating: "a", count: 65),
    ])
    func slugs(refused: String) async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let other = try await client.registerHost()
            let fresh = "s-\(UUID().uuidString.prefix(8).lowercased())"
            let changed = try await client.patch("/api/users/me", token: host.token, #"{"slug": "\#(fresh)"}"#)
            #expect(changed.status == .ok && changed["slug"] as? String == fresh, "\(changed.body)")
            #expect(try await client.get("/api/public/\(fresh)").status == .ok)
            let taken = try await client.patch("/api/users/me", token: other.token, #"{"slug": "\#(fresh)"}"#)
            #expect(taken.status == .conflict && taken.code == "conflict")
            let bad = try await client.patch("/api/users/me", token: host.token, #"{"slug": "\#(refused)"}"#)
            #expect(bad.status == .unprocessableContent && bad.fieldErrors == ["slug"], "\(bad.body)")
            let register = try await client.post("/api/users", #"{"email": "r-\#(UUID().uuidString)@example.com", "password": "12345678", "name": "R", "time_zone": "UTC", "slug": "\#(refused)"}"#)
            #expect(register.status == .unprocessableContent && register.fieldErrors == ["slug"])
            #expect(try await client.get("/api/users/me", token: host.token)["slug"] as? String == fresh)
        }
    }

    @Test("a name that derives a reserved slug gets another")
    func derivedSlugAvoidsReserved() async throws {
        try await TestService.run { client in
            let reply = try await client.post("/api/users", #"{"email": "h-\#(UUID().uuidString)@example.com", "password": "12345678", "name": "Host", "time_zone": "UTC"}"#)
            #expect(reply.status == .created)
            let slug = reply["slug"] as? String ?? ""
            #expect(slug != "host" && slug.hasPrefix("host-"))
        }
    }
}
