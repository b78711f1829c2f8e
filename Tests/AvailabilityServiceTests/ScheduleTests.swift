import Foundation
import Hummingbird
import Testing

@Suite("Weekly rules and date overrides")
struct ScheduleTests {
    @Test("PUT replaces the weekly rules and answers them by day and start with the host's zone; GET returns the same")
    func replaceRules() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost(timeZone: "Europe/Berlin")
            let body = """
                {"rules": [{"day_of_week": 3, "start_time": "13:00", "end_time": "17:00"},
                           {"day_of_week": 3, "start_time": "09:00", "end_time": "13:00"},
                           {"day_of_week": 5, "start_time": "20:00", "end_time": "24:00"},
                           {"day_of_week": 6, "start_time": "00:00", "end_time": "02:00"}]}
                """
            let reply = try await client.put("/api/availability/rules", token: host.token, body)
            #expect(reply.status == .ok, "\(reply.body)")
            #expect(reply["time_zone"] as? String == "Europe/Berlin")
            let rules = reply["rules"] as? [[String: Any]] ?? []
            #expect(rules.map { "\($0["day_of_week"] ?? "")-\($0["start_time"] ?? "")-\($0["end_time"] ?? "")" }
                == ["3-09:00-13:00", "3-13:00-17:00", "5-20:00-24:00", "6-00:00-02:00"])
            let read = try await client.get("/api/availability/rules", token: host.token)
            #expect(read.body == reply.body)

            let cleared = try await client.put("/api/availability/rules", token: host.token, #"{"rules": []}"#)
            #expect((cleared["rules"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("overlapping, reversed and malformed windows are 422 naming each offending field", arguments: [
        (#"[{"day_of_week": 1, "start_time": "09:00", "end_time": "12:00"}, {"day_of_week": 1, "start_time": "11:00", "end_time": "14:00"}]"#,
         ["rules[1].start_time"]),
        (#"[{"day_of_week": 1, "start_time": "12:00", "end_time": "09:00"}]"#, ["rules[0].end_time"]),
        (#"[{"day_of_week": 1, "start_time": "09:00", "end_time": "09:00"}]"#, ["rules[0].end_time"]),
        (#"[{"day_of_week": 7, "start_time": "09:00", "end_time": "10:00"}]"#, ["rules[0].day_of_week"]),
        (#"[{"day_of_week": 1, "start_time": "9am", "end_time": "25:00"}]"#, ["rules[0].start_time", "rules[0].end_time"]),
        (#"[{"day_of_week": 1, "start_time": "22:00", "end_time": "02:00"}]"#, ["rules[0].end_time"]),
        (#"[{"day_of_week": -1, "start_time": "x", "end_time": "10:00"}, {"day_of_week": 2, "start_time": "10:00", "end_time": "09:00"}]"#,
         ["rules[0].start_time", "rules[0].day_of_week", "rules[1].end_time"]),
        (#"[{"day_of_week": "monday", "start_time": "09:00", "end_time": "10:00"}]"#, ["rules[0].day_of_week"]),
        (#"[{"start_time": "09:00", "end_time": "10:00"}]"#, ["rules[0].day_of_week"]),
        // 24:00 ends a day and starts none: a start of 24:00 is the start's error, not the end's.
        (#"[{"day_of_week": 1, "start_time": "24:00", "end_time": "24:00"}]"#, ["rules[0].start_time"]),
        (#"[{"day_of_week": 1, "start_time": "24:00", "end_time": "09:00"}]"#, ["rules[0].start_time"]),
        (#"[{"day_of_week": 1, "start_time": "24:00", "end_time": "25:00"}]"#, ["rules[0].start_time", "rules[0].end_time"]),
        (#"[{"day_of_week": 1, "start_time": "09:00", "end_time": "10:00"}, {"day_of_week": 1, "start_time": "24:00", "end_time": "24:00"}]"#,
         ["rules[1].start_time"]),
    ])
    func invalidRules(rules: String, fields: [String]) async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let reply = try await client.put("/api/availability/rules", token: host.token, #"{"rules": \#(rules)}"#)
            #expect(reply.status == .unprocessableContent, "\(reply.body)")
            #expect(reply.code == "validation_failed")
            #expect(reply.fieldErrors == fields)
        }
    }

    @Test("touching windows are accepted")
    func touchingWindows() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            try await client.setRules(host, [(1, "09:00", "12:00"), (1, "12:00", "15:00"), (2, "18:00", "24:00"), (3, "00:00", "06:00")])
        }
    }

    @Test("an override is set, listed by date range, replaced and deleted")
    func overrides() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let set = try await client.put("/api/availability/overrides/2026-12-24", token: host.token,
                                           #"{"intervals": [{"start_time": "14:00", "end_time": "16:00"}, {"start_time": "09:00", "end_time": "12:00"}]}"#)
            #expect(set.status == .ok, "\(set.body)")
            #expect(set.body == #"{"date":"2026-12-24","intervals":[{"end_time":"12:00","start_time":"09:00"},{"end_time":"16:00","start_time":"14:00"}]}"#)
            let closed = try await client.put("/api/availability/overrides/2026-12-25", token: host.token, #"{"intervals": []}"#)
            #expect(closed.status == .ok)
            _ = try await client.put("/api/availability/overrides/2027-01-05", token: host.token, #"{"intervals": []}"#)

            let december = try await client.get("/api/availability/overrides?from=2026-12-01&to=2026-12-31", token: host.token)
            #expect(december.status == .ok)
            let dates = (december["data"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
            #expect(dates == ["2026-12-24", "2026-12-25"])
            #expect(december["next_cursor"] is NSNull)

            let paged = try await client.get("/api/availability/overrides?limit=1", token: host.token)
            let cursor = try #require(paged["next_cursor"] as? String)
            // Opaque to clients; a cursor this API did not make is a 422 naming it.
            #expect(try await client.get("/api/availability/overrides?cursor=2026-12-24", token: host.token).fieldErrors == ["cursor"])
            let next = try await client.get("/api/availability/overrides?limit=5&cursor=\(cursor)", token: host.token)
            #expect((next["data"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String } == ["2026-12-25", "2027-01-05"])

            let replaced = try await client.put("/api/availability/overrides/2026-12-24", token: host.token, #"{"intervals": [{"start_time": "10:00", "end_time": "11:00"}]}"#)
            #expect((replaced["intervals"] as? [[String: Any]])?.count == 1)

            #expect(try await client.delete("/api/availability/overrides/2026-12-24", token: host.token).status == .noContent)
            #expect(try await client.delete("/api/availability/overrides/2026-12-24", token: host.token).status == .notFound)
            let after = try await client.get("/api/availability/overrides?from=2026-12-01&to=2026-12-31", token: host.token)
            #expect((after["data"] as? [[String: Any]] ?? []).count == 1)
        }
    }

    @Test("invalid overrides and query parameters are 422 naming the field")
    func invalidOverrides() async throws {
        try await TestService.run { client in
            let host = try await client.registerHost()
            let badDate = try await client.put("/api/availability/overrides/2026-02-30", token: host.token, #"{"intervals": []}"#)
            #expect(badDate.status == .unprocessableContent)
            #expect(badDate.fieldErrors == ["date"])
            let overlapping = try await client.put("/api/availability/overrides/2026-12-24", token: host.token,
                                                   #"{"intervals": [{"start_time": "09:00", "end_time": "12:00"}, {"start_time": "10:00", "end_time": "11:00"}, {"start_time": "15:00", "end_time": "14:00"}]}"#)
            #expect(overlapping.fieldErrors == ["intervals[1].start_time", "intervals[2].end_time"])
            let midnightStart = try await client.put("/api/availability/overrides/2026-12-24", token: host.token,
                                                     #"{"intervals": [{"start_time": "08:00", "end_time": "09:00"}, {"start_time": "24:00", "end_time": "24:00"}]}"#)
            #expect(midnightStart.fieldErrors == ["intervals[1].start_time"])
            let malformed = try await client.put("/api/availability/overrides/2026-12-24", token: host.token, #"{"intervals": [{"start_time": "9:00", "end_time": "10:00"}]}"#)
            #expect(malformed.fieldErrors == ["intervals[0].start_time"])
            let missing = try await client.put("/api/availability/overrides/2026-12-24", token: host.token, #"{}"#)
            #expect(missing.fieldErrors == ["intervals"])
            let query = try await client.get("/api/availability/overrides?from=yesterday&to=2026-13-01", token: host.token)
            #expect(query.fieldErrors == ["from", "to"])
            let reversed = try await client.get("/api/availability/overrides?from=2026-12-10&to=2026-12-01", token: host.token)
            #expect(reversed.fieldErrors == ["to"])
            #expect(try await client.delete("/api/availability/overrides/tomorrow", token: host.token).status == .unprocessableContent)
        }
    }

    @Test("every schedule route is 401 without a valid token", arguments: [
        ("GET", "/api/availability/rules"), ("PUT", "/api/availability/rules"), ("GET", "/api/availability/overrides"),
        ("PUT", "/api/availability/overrides/2026-12-24"), ("DELETE", "/api/availability/overrides/2026-12-24"),
        ("GET", "/api/users/me"), ("PATCH", "/api/users/me"), ("GET", "/api/meeting-types"), ("POST", "/api/meeting-types"),
    ])
    func needsToken(method: String, path: String) async throws {
        try await TestService.run { client in
            for token in [nil, "garbage"] {
                let body: String? = ["PUT", "PATCH", "POST"].contains(method) ? "{}" : nil
                let reply = try await client.request(HTTPRequest.Method(method)!, path, token: token, json: body)
                #expect(reply.status == .unauthorized, "\(method) \(path)")
                #expect(reply.code == "unauthorized")
            }
        }
    }
}
