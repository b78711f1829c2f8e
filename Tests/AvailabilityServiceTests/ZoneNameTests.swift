import Foundation
import Hummingbird
import SchedulingCore
import Testing
import TestSupport
@testable import AvailabilityService

/// Every name of the machine's tz database (`SchedulingCoreTests` proves the list is exactly the
/// system's TZif zone files) through every route that takes a zone, echoed as sent.
@Suite("Zone names: every name of the tz database, everywhere a zone is taken")
struct ZoneNameTests {
    static let names = TimeZoneDatabase.system.names.sorted()

    /// A zone name as a query value (`Etc/GMT+5`'s `+` would read as a space).
    static func query(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-")) ?? name
    }

    @Test("registration takes every zone name and answers with it unchanged")
    func registration() async throws {
        #expect(Self.names.count >= 590)
        try await TestService.run { client in
            var failures: [String] = []
            for name in Self.names {
                let email = "zone-\(UUID().uuidString.lowercased())@example.com"
                let reply = try await client.post("/api/users", #"{"email": "\#(email)", "password": "12345678", "name": "Zone Host", "time_zone": "\#(name)"}"#)
                if reply.status != .created || reply["time_zone"] as? String != name { failures.append("\(name): \(reply.status) \(reply.body)") }
            }
            #expect(failures.isEmpty, "\(failures.prefix(20))")
        }
    }

    @Test("PATCH /api/users/me, GET /api/users/me and the slots (by default and by parameter) echo every zone name")
    func profileAndSlots() async throws {
        try await TestService.run(clock: TestClock(instant("2026-03-02T12:00:00Z"))) { client in
            let host = try await client.registerHost(timeZone: "America/New_York")
            let type = try await client.createMeetingType(host)
            try await client.setWorkingHours(host)
            var failures: [String] = []
            for name in Self.names {
                let patched = try await client.patch("/api/users/me", token: host.token, #"{"time_zone": "\#(name)"}"#)
                if patched.status != .ok || patched["time_zone"] as? String != name { failures.append("PATCH \(name): \(patched.status) \(patched.body)") }
                let me = try await client.get("/api/users/me", token: host.token)
                if me["time_zone"] as? String != name { failures.append("me \(name): \(me.body)") }
                let rules = try await client.get("/api/availability/rules", token: host.token)
                if rules["time_zone"] as? String != name { failures.append("rules \(name): \(rules.body)") }
                let byDefault = try await client.slots(type, date: "2026-03-10")
                if byDefault.status != .ok || byDefault["timezone"] as? String != name { failures.append("default slots \(name): \(byDefault.status) \(byDefault.body.prefix(200))") }
                let named = try await client.slots(type, date: "2026-03-10", timezone: Self.query(name))
                if named.status != .ok || named["timezone"] as? String != name { failures.append("slots \(name): \(named.status) \(named.body.prefix(200))") }
                let range = try await client.get("/api/availability/slots?meeting_type_id=\(type)&start_date=2026-03-09&end_date=2026-03-10&timezone=\(Self.query(name))")
                if range.status != .ok || range["timezone"] as? String != name { failures.append("range \(name): \(range.status) \(range.body.prefix(200))") }
            }
            #expect(failures.isEmpty, "\(failures.prefix(20))")
        }
    }

    @Test("slots listed in an alias equal those listed in its target, and a host in an alias is offered its target's slots")
    func aliasesEqualTargets() async throws {
        let samples = ["Asia/Calcutta", "America/Buenos_Aires", "Asia/Saigon", "Asia/Istanbul", "Canada/Pacific", "Australia/NSW",
                       "Brazil/East", "US/Eastern", "UTC", "GMT", "Etc/UCT", "Europe/Kiev", "Pacific/Samoa", "Asia/Katmandu"]
        let links = TimeZoneDatabase.system.links
        try await TestService.run(clock: TestClock(instant("2026-03-02T12:00:00Z"))) { client in
            for alias in samples {
                let target = try #require(links[alias], "\(alias) is not a link here")
                // Around the northern spring change and a southern autumn one.
                let listing = "start_date=2026-03-07&end_date=2026-04-06"
                let host = try await client.registerHost(timeZone: "Europe/London")
                let type = try await client.createMeetingType(host)
                try await client.setRules(host, (0...6).flatMap { [($0, "00:00", "02:30"), ($0, "09:00", "17:00")] })
                let viaAlias = try await client.get("/api/availability/slots?meeting_type_id=\(type)&\(listing)&timezone=\(Self.query(alias))")
                let viaTarget = try await client.get("/api/availability/slots?meeting_type_id=\(type)&\(listing)&timezone=\(Self.query(target))")
                #expect(viaAlias.status == .ok && viaTarget.status == .ok)
                #expect(try viaAlias.decode(RangeBody.self).days.map(\.slots) == viaTarget.decode(RangeBody.self).days.map(\.slots), "\(alias) → \(target)")

                // Hosts whose rules are written in the alias and in the target.
                var offered: [[[SlotBody]]] = []
                for zone in [alias, target] {
                    let zoned = try await client.registerHost(timeZone: zone)
                    let zonedType = try await client.createMeetingType(zoned)
                    try await client.setRules(zoned, (0...6).flatMap { [($0, "00:00", "02:30"), ($0, "09:00", "17:00")] })
                    let reply = try await client.get("/api/availability/slots?meeting_type_id=\(zonedType)&\(listing)&timezone=UTC")
                    offered.append(try reply.decode(RangeBody.self).days.map(\.slots))
                }
                #expect(offered[0] == offered[1], "a host in \(alias) and one in \(target)")
                #expect(!offered[0].joined().isEmpty)
            }
        }
    }

    @Test("a name that is in no tz database is 422 naming the field, wherever a zone is taken", arguments: [
        "", "Mars/Olympus", "utc+5", "GMT+5", "asia/kolkata", "localtime", "posix/UTC", " UTC", "Europe/",
    ])
    func unknownNames(name: String) async throws {
        try await TestService.run { client in
            let register = try await client.post("/api/users", #"{"email": "z-\#(UUID().uuidString)@example.com", "password": "12345678", "name": "Z", "time_zone": "\#(name)"}"#)
            #expect(register.status == .unprocessableContent && register.fieldErrors == ["time_zone"], "\(register.body)")
            let host = try await client.registerHost(timeZone: "Europe/Paris")
            let patch = try await client.patch("/api/users/me", token: host.token, #"{"time_zone": "\#(name)"}"#)
            #expect(patch.status == .unprocessableContent && patch.fieldErrors == ["time_zone"], "\(patch.body)")
            #expect(try await client.get("/api/users/me", token: host.token)["time_zone"] as? String == "Europe/Paris")
            let type = try await client.createMeetingType(host)
            let slots = try await client.slots(type, date: "2026-03-10", timezone: Self.query(name))
            #expect(slots.status == .unprocessableContent && slots.fieldErrors == ["timezone"], "\(slots.body)")
        }
    }
}
