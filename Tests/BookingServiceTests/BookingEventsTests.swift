import Cryptography
import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing
@testable import BookingService

@Suite("Booking: events in the outbox")
struct BookingEventsTests {
    @Test("create, reschedule and cancel each write their event in the same transaction; the token travels sealed")
    func events() async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let (_, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)), headers: [.requestID: "req-events-1"])
            let booking = try JSONDecoder.test.decode(BookingJSON.self, from: data)
            let move = ByteBuffer(string: #"{"start_time": "\#(f.at(11))", "version": 1}"#)
            let (_, movedData) = try await send(client, .post, "/api/bookings/\(booking.id)/reschedule", body: move, headers: bearer(f.hostToken))
            let moved = try JSONDecoder.test.decode(BookingJSON.self, from: movedData)
            _ = try await send(client, .post, "/api/bookings/\(moved.id)/cancel", body: ByteBuffer(string: #"{"reason": "ill"}"#), headers: bearer(f.hostToken))
            // A refused booking writes nothing.
            _ = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(3)))

            let rows = try await f.db.query("""
                SELECT type, body, request_id FROM outbox
                WHERE lower(body::jsonb #>> '{data,booking,host_user_id}') = \(f.hostID.uuidString.lowercased())
                ORDER BY position
                """)
            let types = try rows.map { try $0.decode("type", as: String.self) }
            #expect(types == ["booking.created", "booking.rescheduled", "booking.cancelled"])
            let e1 = try rows[0].decode("request_id", as: String?.self)
            #expect(e1 == "req-events-1")

            struct Envelope: Decodable {
                struct Data: Decodable {
                    struct Snapshot: Decodable { let id: UUID; let status: String; let version: Int }
                    let booking: Snapshot
                    let sealedCancelToken: String?
                    let reason: String?
                    let cancelledBy: String?
                }
                let type: String
                let data: Data
            }
            let envelopes = try rows.map { try JSONDecoder.test.decode(Envelope.self, from: Data(try $0.decode("body", as: String.self).utf8)) }
            let key = try EncryptionKey(id: 1, bytes: Hex.decode(BookingFixture.encryptionKeyHex))
            let sealed = try #require(envelopes[0].data.sealedCancelToken)
            let opened = try AESGCM.open(serialized: Base64URL.decode(sealed), using: key, associatedData: Array(booking.id.uuidString.lowercased().utf8))
            #expect(String(decoding: opened, as: UTF8.self) == booking.cancelToken)
            let outboxBody = try rows[0].decode("body", as: String.self)
            #expect(!outboxBody.contains(booking.cancelToken!))
            #expect(envelopes[1].data.booking.id == moved.id)
            #expect(envelopes[2].data.booking.status == "cancelled")
            #expect(envelopes[2].data.reason == "ill")
            #expect(envelopes[2].data.cancelledBy == "host")
        }
        try await f.close()
    }
}
