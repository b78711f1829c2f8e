import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import BookingService

@Suite("Booking: operator endpoints")
struct BookingOperatorTests {
    @Test("/openapi.json describes exactly the booking routes; /metrics carries the design's booking metrics")
    func operatorEndpoints() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (_, spec) = try await send(client, .get, "/openapi.json")
            let object = try JSONSerialization.jsonObject(with: spec) as? [String: Any]
            let paths = Set(((object?["paths"] as? [String: Any]) ?? [:]).keys.filter { $0.hasPrefix("/api/") })
            #expect(paths == ["/api/bookings", "/api/bookings/{id}", "/api/bookings/{id}/cancel", "/api/bookings/{id}/reschedule"])

            _ = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)))
            _ = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)))
            let (_, metrics) = try await send(client, .get, "/metrics")
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(text.contains(#"calendly_booking_operations_total{operation="create",status="success"}"#))
            #expect(text.contains(#"calendly_booking_operations_total{operation="create",status="slot_unavailable"}"#))
            #expect(text.contains(#"calendly_booking_creation_duration_seconds_bucket{le="0.1"}"#))
            #expect(text.contains(#"calendly_booking_creation_duration_seconds_bucket{le="2.5"}"#))
            #expect(text.contains("calendly_double_booking_prevented_total"))
        }
        try await f.close()
    }
}
