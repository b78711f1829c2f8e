import Events
import Foundation
import Testing

@Suite("Event envelopes and domain event data")
struct EventEnvelopeTests {
    static let booking = BookingSnapshot(
        id: UUID(uuidString: "7c9e6679-7425-40de-944b-e07fc1f90ae7")!,
        hostUserID: UUID(uuidString: "0b6f4a3e-7a4e-4a53-9a1e-1f2b3c4d5e6f")!,
        meetingTypeID: UUID(uuidString: "5f1d7a2c-3b4e-4c5d-8e9f-a0b1c2d3e4f5")!,
        status: "confirmed",
        startTime: Date(timeIntervalSince1970: 1_773_151_200),  // 2026-03-10T14:00:00Z
        endTime: Date(timeIntervalSince1970: 1_773_153_000),
        bufferBeforeMinutes: 5,
        bufferAfterMinutes: 10,
        inviteeName: "Ada Lovelace",
        inviteeEmail: "ada@example.com",
        inviteeTimezone: "Europe/London",
        answers: ["companyName": "Analytical Engines", "topic": "Notes/G"],
        version: 1
    )

    /// Encodes an envelope, checks the wire form, decodes it back.
    func roundTrip<Event: DomainEvent & Equatable>(_ event: Event) throws -> [String: Any] {
        let envelope = EventEnvelope(id: UUID(), occurredAt: Date(timeIntervalSince1970: 1_773_000_000.75), event: event)
        let json = try EventCoding.encoder.encodeData(envelope)
        let decoded = try EventCoding.decoder.decode(EventEnvelope<Event>.self, from: json)
        #expect(decoded.id == envelope.id)
        #expect(decoded.type == Event.type)
        #expect(decoded.version == Event.version)
        #expect(decoded.occurredAt == Date(timeIntervalSince1970: 1_773_000_000))  // whole seconds on the wire
        #expect(decoded.data == event)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == ["id", "type", "occurred_at", "version", "data"])
        #expect(object["occurred_at"] as? String == "2026-03-08T20:00:00Z")
        #expect(object["id"] as? String == envelope.id.uuidString.lowercased())
        return try #require(object["data"] as? [String: Any])
    }

    @Test("booking.created: snake_case keys, RFC 3339 instants, answers keys kept as they are")
    func bookingCreated() throws {
        let data = try roundTrip(BookingCreated(booking: Self.booking, sealedCancelToken: "c2VhbGVk"))
        #expect(data["sealed_cancel_token"] as? String == "c2VhbGVk")
        let booking = try #require(data["booking"] as? [String: Any])
        #expect(Set(booking.keys) == [
            "id", "host_user_id", "meeting_type_id", "status", "start_time", "end_time", "buffer_before_minutes",
            "buffer_after_minutes", "invitee_name", "invitee_email", "invitee_timezone", "answers", "version",
        ])
        #expect(booking["start_time"] as? String == "2026-03-10T14:00:00Z")
        #expect(booking["answers"] as? [String: String] == ["companyName": "Analytical Engines", "topic": "Notes/G"])
    }

    @Test("booking.cancelled and booking.rescheduled")
    func bookingChanges() throws {
        var cancelled = Self.booking
        cancelled.status = "cancelled"
        cancelled.version = 2
        let data = try roundTrip(BookingCancelled(booking: cancelled, reason: nil, cancelledBy: .invitee))
        #expect(data["cancelled_by"] as? String == "invitee")

        var next = Self.booking
        next.id = UUID()
        next.rescheduledFrom = Self.booking.id
        let rescheduled = try roundTrip(BookingRescheduled(previous: cancelled, booking: next, sealedCancelToken: nil))
        let booking = try #require(rescheduled["booking"] as? [String: Any])
        #expect(booking["rescheduled_from"] as? String == Self.booking.id.uuidString.lowercased())
    }

    @Test("availability.changed, calendar.synced, integration.needs_reauth")
    func otherEvents() throws {
        let host = UUID()
        let integration = UUID()
        let availability = try roundTrip(AvailabilityChanged(hostUserID: host, reason: .meetingType))
        #expect(availability["reason"] as? String == "meeting_type")
        #expect(availability["host_user_id"] as? String == host.uuidString.lowercased())
        let synced = try roundTrip(CalendarSynced(hostUserID: host, integrationID: integration, provider: "google", changed: true))
        #expect(synced["changed"] as? Bool == true)
        #expect(synced["integration_id"] as? String == integration.uuidString.lowercased())
        let reauth = try roundTrip(IntegrationNeedsReauth(hostUserID: host, integrationID: integration, provider: "caldav"))
        #expect(reauth["provider"] as? String == "caldav")
    }

    @Test("a fractional or offset RFC 3339 instant is read")
    func readsOtherInstantForms() throws {
        let json = #"{"id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","type":"availability.changed","occurred_at":"2026-03-10T15:00:00+01:00","version":1,"data":{"host_user_id":"0b6f4a3e-7a4e-4a53-9a1e-1f2b3c4d5e6f","reason":"rules"}}"#
        let envelope = try EventCoding.decoder.decode(EventEnvelope<AvailabilityChanged>.self, from: Data(json.utf8))
        #expect(envelope.occurredAt == Date(timeIntervalSince1970: 1_773_151_200))
        #expect(envelope.data.reason == .rules)
    }

    @Test("the topology names its retry and dead-letter queues and keeps its arguments stable")
    func topology() {
        let topology = EventTopology(queue: EventQueue.notifier, bindings: ["booking.*"])
        #expect(topology.maximumAttempts == 5)
        #expect(topology.queueNames == [
            "notifier.events", "notifier.events.retry.1", "notifier.events.retry.2", "notifier.events.retry.3",
            "notifier.events.retry.4", "notifier.events.dead",
        ])
        let amqp = topology.amqpTopology
        #expect(amqp.exchanges == [EventTopology.exchange])
        #expect(amqp.queues.map(\.kind) == Array(repeating: .quorum, count: 6))
        #expect(amqp.queues[1].messageTTLMilliseconds == 1_000)
        #expect(amqp.queues[4].messageTTLMilliseconds == 300_000)
        #expect(amqp.queues[1].deadLetterRoutingKey == "notifier.events")
        #expect(amqp.queues[0].deadLetterRoutingKey == "notifier.events.dead")
        #expect(amqp == EventTopology(queue: EventQueue.notifier, bindings: ["booking.*"]).amqpTopology)
    }
}
