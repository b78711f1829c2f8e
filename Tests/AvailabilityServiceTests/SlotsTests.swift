import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import Redis
import ScheduleStore
import Testing
import TestSupport
@testable import AvailabilityService

/// Monday 2026-03-02, 12:00 UTC (07:00 in New York, before its switch to summer time on 2026-03-08).
let mondayNoon = instant("2026-03-02T12:00:00Z")

/// Writes the rows the booking and integration services would write, and bumps the generation as they do.
enum OtherServices {
    static func book(host: String, meetingType: String, start: String, minutes: Int = 30, bufferBefore: Int = 0, bufferAfter: Int = 0) async throws {
        let begin = instant(start)
        // The cancel token's hash is unique: a random one per row.
        let tokenHash = PostgresBytes((0..<32).map { _ in UInt8.random(in: 0...255) })
        try await TestService.withDatabase { db in
            try await db.query("""
                INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, buffer_before_minutes, buffer_after_minutes,
                                      status, invitee_name, invitee_email, invitee_timezone, cancel_token_hash)
                VALUES (\(UUID()), \(UUID(uuidString: host)!), \(UUID(uuidString: meetingType)!), \(begin), \(begin.addingTimeInterval(Double(minutes * 60))),
                        \(bufferBefore), \(bufferAfter), 'confirmed', 'Invitee', 'invitee@example.com', 'UTC', \(tokenHash))
                """)
        }
    }

    static func busy(host: String, from start: String, to end: String) async throws {
        try await TestService.withDatabase { db in
            // Busy time belongs to a connected calendar (one fake CalDAV integration per host).
            let hostID = UUID(uuidString: host)!
            let rows = try await db.query("""
                INSERT INTO calendar_integrations (id, host_user_id, provider, account, calendar_id, sealed_secret, secret_key_id)
                VALUES (\(UUID()), \(hostID), 'caldav', 'test', 'test-calendar', 'unused', 0)
                ON CONFLICT (host_user_id, provider, account, calendar_id) DO UPDATE SET updated_at = now()
                RETURNING id
                """)
            let integration = try rows[0].decode("id", as: UUID.self)
            try await db.query("""
                INSERT INTO external_busy_intervals (host_user_id, integration_id, external_event_id, start_time, end_time)
                VALUES (\(hostID), \(integration), \(UUID().uuidString), \(instant(start)), \(instant(end)))
                """)
        }
    }

    static func bumpGeneration(host: String) async throws {
        try await TestService.withRedis { redis in
            _ = try await redis.incr(SlotCacheKeys.generation(host: UUID(uuidString: host)!))
        }
    }
}

extension Reply {
    var day: DayBody { get throws { try decode(DayBody.self) } }
    var starts: [String] { (try? decode(DayBody.self).slots.map(\.start)) ?? [] }
    var cache: String? { headers[HTTPField.Name("X-Cache")!] }
}

@Suite("Slots")
struct SlotsTests {
    /// A New York host open Monday to Friday 09:00–17:00 with a 30-minute type on a 30-minute grid.
    static func workingHost(_ client: Client, fields: String = "") async throws -> (Client.Host, String) {
        let host = try await client.registerHost(timeZone: "America/New_York")
        try await client.setWorkingHours(host)
        let extra = fields.isEmpty ? "" : ", " + fields
        let type = try await client.createMeetingType(host, fields: #""slot_interval_minutes": 30\#(extra)"#)
        try await client.settle(host)
        return (host, type)
    }

    static let workingDay = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
                             "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]

    @Test("one date in the host's zone by default: ascending slots with local HH:mm and UTC instants; a miss then a hit")
    func oneDate() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await Self.workingHost(client)
            let first = try await client.slots(type, date: "2026-03-03")
            #expect(first.status == .ok)
            #expect(first.cache == "miss")
            #expect(first.headers[.contentType] == "application/json")
            let day = try first.day
            #expect(day.date == "2026-03-03")
            #expect(day.timezone == "America/New_York")
            #expect(day.meetingTypeId == type)
            #expect(day.slots.map(\.start) == Self.workingDay)
            #expect(day.slots.first == SlotBody(start: "09:00", end: "09:30", startTime: "2026-03-03T14:00:00Z", endTime: "2026-03-03T14:30:00Z"))
            #expect(day.slots.last?.endTime == "2026-03-03T22:00:00Z")

            let second = try await client.slots(type, date: "2026-03-03")
            #expect(second.cache == "hit")
            #expect(second.body == first.body)
            #expect(Set(second.json.keys) == ["date", "timezone", "meeting_type_id", "slots"])
        }
    }

    @Test("an invitee zone 14 hours ahead of the host's: its date gathers the host's evening and next morning")
    func farZone() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await Self.workingHost(client)
            let reply = try await client.slots(type, date: "2026-03-03", timezone: "Asia/Tokyo")
            #expect(reply.status == .ok)
            let day = try reply.day
            #expect(day.timezone == "Asia/Tokyo")
            // New York Monday 09:30–17:00 is Tokyo Tuesday 00:00–07:00 (09:00 is Monday 23:00 there);
            // New York Tuesday 09:00 is Tokyo Tuesday 23:00.
            let morning = (0..<14).map { String(format: "%02d:%02d", $0 / 2, $0 % 2 * 30) }
            #expect(day.slots.map(\.start) == morning + ["23:00", "23:30"])
            #expect(day.slots.first?.startTime == "2026-03-02T15:00:00Z")
            #expect(day.slots.last?.startTime == "2026-03-03T14:30:00Z")
            let monday = try await client.slots(type, date: "2026-03-02", timezone: "Asia/Tokyo")
            #expect(monday.starts == ["23:00", "23:30"])

            // And 25 hours apart: the same slots listed from Pago Pago (UTC−11) and Kiritimati (UTC+14).
            let west = try await client.get("/api/availability/slots?meeting_type_id=\(type)&start_date=2026-03-02&end_date=2026-03-08&timezone=Pacific/Pago_Pago").decode(RangeBody.self)
            let east = try await client.get("/api/availability/slots?meeting_type_id=\(type)&start_date=2026-03-03&end_date=2026-03-09&timezone=Pacific/Kiritimati").decode(RangeBody.self)
            #expect(west.days.flatMap(\.slots).map(\.startTime) == east.days.flatMap(\.slots).map(\.startTime))
            #expect(west.days.flatMap(\.slots).count == 16 * 5)
        }
    }

    @Test("a range lists every date, empty ones with no slots; a miss then a hit")
    func range() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await Self.workingHost(client)
            let uri = "/api/availability/slots?meeting_type_id=\(type)&start_date=2026-03-02&end_date=2026-03-08"
            let first = try await client.get(uri)
            #expect(first.status == .ok)
            #expect(first.cache == "miss")
            #expect(Set(first.json.keys) == ["timezone", "meeting_type_id", "days"])
            let range = try first.decode(RangeBody.self)
            #expect(range.days.map(\.date) == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"])
            #expect(range.days.map(\.slots.count) == [16, 16, 16, 16, 16, 0, 0])
            let second = try await client.get(uri)
            #expect(second.cache == "hit")
            #expect(second.body == first.body)
            // A single date read from the range's cache entries is a hit too.
            #expect(try await client.slots(type, date: "2026-03-04").cache == "hit")
            // 31 days is the most.
            let month = try await client.get("/api/availability/slots?meeting_type_id=\(type)&start_date=2026-03-02&end_date=2026-04-01")
            #expect(month.status == .ok)
            #expect(try month.decode(RangeBody.self).days.count == 31)
        }
    }

    @Test("malformed or missing parameters are 422 naming the parameter", arguments: [
        ("date=2026-03-03", ["meeting_type_id"]),
        ("meeting_type_id=nope&date=2026-03-03", ["meeting_type_id"]),
        ("meeting_type_id=TYPE", ["date"]),
        ("meeting_type_id=TYPE&date=03/03/2026", ["date"]),
        ("meeting_type_id=TYPE&date=2026-02-30", ["date"]),
        ("meeting_type_id=TYPE&date=2026-03-03&timezone=Mars/Base", ["timezone"]),
        ("meeting_type_id=TYPE&date=2026-03-03&timezone=EST5EDTX", ["timezone"]),
        ("meeting_type_id=TYPE&start_date=2026-03-02", ["end_date"]),
        ("meeting_type_id=TYPE&end_date=2026-03-02", ["start_date"]),
        ("meeting_type_id=TYPE&start_date=2026-03-10&end_date=2026-03-02", ["end_date"]),
        ("meeting_type_id=TYPE&start_date=2026-03-02&end_date=2026-04-02", ["end_date"]),
        ("meeting_type_id=TYPE&start_date=x&end_date=y", ["start_date", "end_date"]),
        ("meeting_type_id=TYPE&date=2026-03-03&start_date=2026-03-03&end_date=2026-03-04", ["date"]),
        ("meeting_type_id=bad&date=bad&timezone=bad", ["meeting_type_id", "timezone", "date"]),
    ])
    func invalidParameters(query: String, fields: [String]) async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let reply = try await client.get("/api/availability/slots?" + query.replacingOccurrences(of: "TYPE", with: UUID().uuidString))
            #expect(reply.status == .unprocessableContent, "\(reply.body)")
            #expect(reply.code == "validation_failed")
            #expect(reply.fieldErrors == fields)
        }
    }

    @Test("an unknown, inactive or deleted meeting type is 404")
    func unknownTypes() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (host, type) = try await Self.workingHost(client)
            #expect(try await client.slots(UUID().uuidString, date: "2026-03-03").status == .notFound)
            #expect(try await client.slots(type, date: "2026-03-03").status == .ok)
            _ = try await client.patch("/api/meeting-types/\(type)", token: host.token, #"{"is_active": false}"#)
            let inactive = try await client.slots(type, date: "2026-03-03")
            #expect(inactive.status == .notFound)
            #expect(inactive.code == "not_found")
            _ = try await client.patch("/api/meeting-types/\(type)", token: host.token, #"{"is_active": true}"#)
            #expect(try await client.slots(type, date: "2026-03-03").status == .ok)
            _ = try await client.delete("/api/meeting-types/\(type)", token: host.token)
            #expect(try await client.slots(type, date: "2026-03-03").status == .notFound)
        }
    }

    @Test("a date in the past or beyond the booking window is 200 with no slots")
    func pastAndFuture() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await Self.workingHost(client)
            let past = try await client.slots(type, date: "2026-02-23")
            #expect(past.status == .ok)
            #expect(past.starts.isEmpty)
            // 60 days after Monday noon is Friday 2026-05-01 12:00 UTC, before that day's 09:00 in New York.
            #expect(try await client.slots(type, date: "2026-04-30").starts.count == 16)
            #expect(try await client.slots(type, date: "2026-05-01").starts.isEmpty)
            #expect(try await client.slots(type, date: "2026-06-01").starts.isEmpty)
            #expect(try await client.slots(type, date: "9999-12-31").starts.isEmpty)
            #expect(try await client.slots(type, date: "0001-01-01").starts.isEmpty)
        }
    }

    @Test("a cached answer is filtered by the current time: minimum notice and the booking window move with the clock")
    func cachedAnswersFollowTheClock() async throws {
        let clock = TestClock(instant("2026-03-03T14:00:00Z"))  // Tuesday 09:00 in New York
        try await TestService.run(clock: clock) { client in
            let (_, type) = try await Self.workingHost(client, fields: #""min_notice_minutes": 120, "max_days_in_future": 7"#)
            let first = try await client.slots(type, date: "2026-03-03")
            #expect(first.cache == "miss")
            #expect(first.starts == Array(Self.workingDay.dropFirst(4)))
            clock.advance(by: 3600)
            let later = try await client.slots(type, date: "2026-03-03")
            #expect(later.cache == "hit")
            #expect(later.starts == Array(Self.workingDay.dropFirst(6)))
            clock.set(instant("2026-03-03T22:00:00Z"))
            let evening = try await client.slots(type, date: "2026-03-03")
            #expect(evening.cache == "hit")
            #expect(evening.starts.isEmpty)

            // The window: at Tuesday 14:00 UTC, 7 days reach next Tuesday 14:00 UTC (exclusive), which is
            // 10:00 in New York by then (summer time since Sunday).
            clock.set(instant("2026-03-03T14:00:00Z"))
            let nextWeek = try await client.slots(type, date: "2026-03-10")
            #expect(nextWeek.cache == "miss")
            #expect(nextWeek.starts == ["09:00", "09:30"])
            clock.advance(by: 3600)
            let anHourLater = try await client.slots(type, date: "2026-03-10")
            #expect(anHourLater.cache == "hit")
            #expect(anHourLater.starts == ["09:00", "09:30", "10:00", "10:30"])
        }
    }

    @Test("the days New York skips and repeats an hour, through the API")
    func daylightSaving() async throws {
        let clock = TestClock(instant("2026-03-01T00:00:00Z"))
        try await TestService.run(clock: clock) { client in
            let host = try await client.registerHost(timeZone: "America/New_York")
            try await client.setRules(host, [(0, "01:00", "04:00")])
            let type = try await client.createMeetingType(host, duration: 60, fields: #""slot_interval_minutes": 30, "max_days_in_future": 60"#)

            // 2026-03-08: 02:00–03:00 does not exist; 01:00 EST to 04:00 EDT is two hours.
            let spring = try await client.slots(type, date: "2026-03-08").day
            #expect(spring.slots == [
                SlotBody(start: "01:00", end: "03:00", startTime: "2026-03-08T06:00:00Z", endTime: "2026-03-08T07:00:00Z"),
                SlotBody(start: "01:30", end: "03:30", startTime: "2026-03-08T06:30:00Z", endTime: "2026-03-08T07:30:00Z"),
                SlotBody(start: "03:00", end: "04:00", startTime: "2026-03-08T07:00:00Z", endTime: "2026-03-08T08:00:00Z"),
            ])

            // 2026-11-01: 01:00–02:00 happens twice; 01:00 EDT to 03:00 EST is three hours, both 01:00s are slots.
            clock.set(instant("2026-10-15T00:00:00Z"))
            try await client.setRules(host, [(0, "01:00", "03:00")])
            let autumn = try await client.slots(type, date: "2026-11-01").day
            #expect(autumn.slots.map(\.start) == ["01:00", "01:30", "01:00", "01:30", "02:00"])
            #expect(autumn.slots.map(\.startTime) == [
                "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z",
            ])
            // Seen from UTC, the same slots fall on the same UTC date.
            let utc = try await client.slots(type, date: "2026-11-01", timezone: "UTC").day
            #expect(utc.slots.map(\.start) == ["05:00", "05:30", "06:00", "06:30", "07:00"])
        }
    }

    @Test("a rule change, an override or a meeting-type edit shows up in the very next answer")
    func scheduleChangesInvalidate() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (host, type) = try await Self.workingHost(client)
            #expect(try await client.slots(type, date: "2026-03-03").cache == "miss")
            #expect(try await client.slots(type, date: "2026-03-03").cache == "hit")

            try await client.setRules(host, [(2, "13:00", "15:00")])
            let afterRules = try await client.slots(type, date: "2026-03-03")
            #expect(afterRules.cache == "miss")
            #expect(afterRules.starts == ["13:00", "13:30", "14:00", "14:30"])

            _ = try await client.put("/api/availability/overrides/2026-03-03", token: host.token, #"{"intervals": [{"start_time": "08:00", "end_time": "09:00"}]}"#)
            #expect(try await client.slots(type, date: "2026-03-03").starts == ["08:00", "08:30"])
            _ = try await client.delete("/api/availability/overrides/2026-03-03", token: host.token)
            #expect(try await client.slots(type, date: "2026-03-03").starts == ["13:00", "13:30", "14:00", "14:30"])

            _ = try await client.patch("/api/meeting-types/\(type)", token: host.token, #"{"duration_minutes": 60}"#)
            #expect(try await client.slots(type, date: "2026-03-03").starts == ["13:00", "13:30", "14:00"])

            // The zone moves the same wall-clock rules: Tuesday 13:00 in London is 13:00 UTC.
            _ = try await client.patch("/api/users/me", token: host.token, #"{"time_zone": "Europe/London"}"#)
            let moved = try await client.slots(type, date: "2026-03-03").day
            #expect(moved.timezone == "Europe/London")
            #expect(moved.slots.first?.startTime == "2026-03-03T13:00:00Z")
        }
    }

    @Test("a booking row plus the generation bump the booking service does shows up in the very next answer, buffers included")
    func bookingsInvalidate() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (host, type) = try await Self.workingHost(client)
            #expect(try await client.slots(type, date: "2026-03-03").starts == Self.workingDay)
            #expect(try await client.slots(type, date: "2026-03-03").cache == "hit")

            // 10:00–10:30 New York with 30 minutes of buffer after it: 10:00 and 10:30 go.
            try await OtherServices.book(host: host.id, meetingType: type, start: "2026-03-03T15:00:00Z", bufferAfter: 30)
            try await OtherServices.bumpGeneration(host: host.id)
            let booked = try await client.slots(type, date: "2026-03-03")
            #expect(booked.cache == "miss")
            #expect(booked.starts == Self.workingDay.filter { $0 != "10:00" && $0 != "10:30" })

            // Busy time from a connected calendar: 14:00–15:00 New York.
            try await OtherServices.busy(host: host.id, from: "2026-03-03T19:00:00Z", to: "2026-03-03T20:00:00Z")
            try await OtherServices.bumpGeneration(host: host.id)
            let busy = try await client.slots(type, date: "2026-03-03")
            #expect(busy.starts == Self.workingDay.filter { !["10:00", "10:30", "14:00", "14:30"].contains($0) })
        }
    }

    @Test("the daily cap counts this type's bookings on the host's day")
    func dailyCap() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (host, type) = try await Self.workingHost(client, fields: #""max_bookings_per_day": 1"#)
            try await OtherServices.book(host: host.id, meetingType: type, start: "2026-03-04T15:00:00Z")
            try await OtherServices.bumpGeneration(host: host.id)
            #expect(try await client.slots(type, date: "2026-03-04").starts.isEmpty)
            #expect(try await client.slots(type, date: "2026-03-05").starts.count == 16)
        }
    }

    @Test("with Redis unreachable, slots are still computed and answered; /ready names Redis")
    func redisUnreachable() async throws {
        try await TestService.run(clock: TestClock(mondayNoon), environment: ["REDIS_URL": "redis://127.0.0.1:1/0"]) { client in
            let host = try await client.registerHost()
            try await client.setWorkingHours(host)
            let type = try await client.createMeetingType(host, fields: #""slot_interval_minutes": 30"#)
            for _ in 0..<2 {
                let reply = try await client.slots(type, date: "2026-03-03")
                #expect(reply.status == .ok)
                #expect(reply.cache == "miss")
                #expect(reply.starts == Self.workingDay)
            }
            let ready = try await client.get("/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.contains(#""redis":"unavailable""#))
        }
    }

    @Test("metrics count checks by cache_hit and time them in the design's buckets")
    func metrics() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (_, type) = try await Self.workingHost(client)
            _ = try await client.slots(type, date: "2026-03-03")
            _ = try await client.slots(type, date: "2026-03-03")
            let text = try await client.get("/metrics").body
            #expect(text.contains(#"calendly_availability_checks_total{cache_hit="true"}"#))
            #expect(text.contains(#"calendly_availability_checks_total{cache_hit="false"}"#))
            for bucket in ["0.05", "0.1", "0.2", "0.5", "1.0"] {
                #expect(text.contains(#"calendly_availability_calculation_duration_seconds_bucket{le="\#(bucket)"}"#), "bucket \(bucket)")
            }
            #expect(text.contains("/api/availability/slots"))
        }
    }
}
