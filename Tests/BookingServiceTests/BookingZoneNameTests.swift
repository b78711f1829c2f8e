import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SchedulingCore
import Testing
@testable import BookingService

@Suite("Booking: every zone name of the tz database as the invitee's zone")
struct BookingZoneNameTests {
    @Test("a booking takes every zone name as invitee_timezone and answers with it unchanged, also when read back")
    func everyZone() async throws {
        let names = TimeZoneDatabase.system.names.sorted()
        #expect(names.count >= 590)
        // Open around the clock, 15-minute meetings: one slot per name, a week of them.
        let f = try await BookingFixture.make(rules: (0...6).map { ($0, "00:00", "24:00") }, duration: 15)
        try await BookingFixture.app().test(.router) { client in
            var failures: [String] = []
            for (index, name) in names.enumerated() {
                let body = f.body(start: f.at(Double(index) * 0.25), email: "zone-\(index)@example.com", extra: ["invitee_timezone": name])
                let (status, data) = try await send(client, .post, "/api/bookings", body: body)
                guard status == .created, let booking = try? JSONDecoder.test.decode(BookingJSON.self, from: data) else {
                    failures.append("\(name): \(status) \(String(decoding: data, as: UTF8.self))")
                    continue
                }
                if booking.inviteeTimezone != name { failures.append("\(name): answered \(booking.inviteeTimezone)") }
                let token = booking.cancelToken ?? ""
                let (_, read) = try await send(client, .get, "/api/bookings/\(booking.id.uuidString.lowercased())?token=\(token)")
                if (try? JSONDecoder.test.decode(BookingJSON.self, from: read))?.inviteeTimezone != name {
                    failures.append("\(name): read back \(String(decoding: read, as: UTF8.self))")
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(20))")
        }
        #expect(try await f.confirmedCount() == names.count)
        try await f.close()
    }

    @Test("an invitee_timezone that is in no tz database is 422 naming it, and books nothing", arguments: [
        "", "Mars/Olympus", "utc+5", "GMT+5", "asia/kolkata", "localtime", "Europe/",
    ])
    func unknownZone(name: String) async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10), extra: ["invitee_timezone": name]))
            #expect(status == .unprocessableContent)
            let problem = try JSONDecoder.test.decode(ProblemBody.self, from: data)
            #expect(problem.code == "validation_failed")
            #expect(problem.errors?.map(\.field) == ["invitee_timezone"])
        }
        #expect(try await f.confirmedCount() == 0)
        try await f.close()
    }
}
