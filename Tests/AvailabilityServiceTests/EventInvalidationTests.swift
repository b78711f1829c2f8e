import Events
import Foundation
import Postgres
import Testing
import TestSupport
@testable import AvailabilityService

@Suite("Events: cache invalidation through availability.events")
struct EventInvalidationTests {
    /// Polls the slots of `date` until `condition` holds, for at most 20 s (the relay and the
    /// consumer work on their own schedule).
    static func eventually(_ client: Client, _ type: String, date: String, _ condition: ([String]) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if condition(try await client.slots(type, date: date).starts) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("a booking.created event (with no bump by its producer) invalidates the host's cached slots")
    func bookingCreated() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let (host, type) = try await SlotsTests.workingHost(client)
            #expect(try await client.slots(type, date: "2026-03-03").starts == SlotsTests.workingDay)
            #expect(try await client.slots(type, date: "2026-03-03").cache == "hit")

            // The booking service's commit, minus its own generation bump: the row and the event.
            try await OtherServices.book(host: host.id, meetingType: type, start: "2026-03-03T15:00:00Z")
            let snapshot = BookingSnapshot(
                id: UUID(), hostUserID: UUID(uuidString: host.id)!, meetingTypeID: UUID(uuidString: type)!, status: "confirmed",
                startTime: instant("2026-03-03T15:00:00Z"), endTime: instant("2026-03-03T15:30:00Z"), bufferBeforeMinutes: 0,
                bufferAfterMinutes: 0, inviteeName: "Invitee", inviteeEmail: "invitee@example.com", inviteeTimezone: "UTC",
                answers: [:], version: 1
            )
            try await TestService.withDatabase { db in
                try await db.withTransaction { session in
                    try await Outbox.enqueue(BookingCreated(booking: snapshot, sealedCancelToken: nil), requestID: "test", in: session)
                }
            }
            let gone = try await Self.eventually(client, type, date: "2026-03-03") { !$0.contains("10:00") }
            #expect(gone, "the consumer never invalidated the cache")
        }
    }

    @Test("a rule change writes availability.changed into the outbox in its transaction")
    func ruleChangeWritesTheEvent() async throws {
        try await TestService.run(clock: TestClock(mondayNoon)) { client in
            let host = try await client.registerHost()
            try await client.setWorkingHours(host)
            let bodies = try await TestService.withDatabase { db in
                try await db.query("""
                    SELECT body FROM outbox WHERE type = 'availability.changed' AND body ILIKE \("%" + host.id + "%")
                    """).map { try $0.decode("body", as: String.self) }
            }
            #expect(bodies.count == 1)
            #expect(bodies.first?.contains(#""reason":"rules""#) == true)
        }
    }
}
