import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
@testable import BookingService

/// Every booking route that takes a body, against every malformed body (`400 malformed_json`,
/// nothing booked, cancelled or moved) and every wrong-typed field (`422` naming that field).
@Suite("Booking: malformed bodies are 400 and change nothing; a wrong type is 422 naming its field")
struct BookingBodyConformanceTests {
    enum Route: String, CaseIterable, Sendable { case create, cancel, reschedule }

    static func request(_ route: Route, _ f: BookingFixture, booking: BookingJSON) -> (path: String, valid: String) {
        let id = booking.id.uuidString.lowercased()
        switch route {
        case .create:
            return ("/api/bookings", #"""
                {"invitee_name": "Ivy Invitee", "meeting_type_id": "\#(f.meetingTypeID.uuidString.lowercased())", "start_time": "\#(f.at(12))",
                 "invitee_email": "ivy@example.com", "invitee_timezone": "Asia/Kolkata", "answers": {"topic": "Plans", "notes": "none"}}
                """#)
        case .cancel:
            return ("/api/bookings/\(id)/cancel", #"{"reason": "Cannot make it", "token": "\#(booking.cancelToken!)"}"#)
        case .reschedule:
            return ("/api/bookings/\(id)/reschedule", #"{"token": "\#(booking.cancelToken!)", "start_time": "\#(f.at(13))", "version": 1}"#)
        }
    }

    static func fields(_ route: Route) -> (fields: [BodyCorpus.Field], required: Set<String>) {
        switch route {
        case .create:
            let strings = ["meeting_type_id", "start_time", "invitee_name", "invitee_email", "invitee_timezone"]
            return (strings.map { BodyCorpus.Field($0, .string) } + [BodyCorpus.Field("answers", .object), BodyCorpus.Field("answers.topic", .string)],
                    Set(strings + ["answers.topic"]))
        case .cancel:
            return ([BodyCorpus.Field("reason", .string), BodyCorpus.Field("token", .string)], [])
        case .reschedule:
            return ([BodyCorpus.Field("start_time", .string), BodyCorpus.Field("version", .integer), BodyCorpus.Field("token", .string)], ["start_time", "version"])
        }
    }

    /// The host's bookings as the host reads them: nothing may have been added, cancelled or moved.
    static func snapshot(_ client: some TestClientProtocol, _ f: BookingFixture) async throws -> String {
        String(decoding: try await send(client, .get, "/api/bookings", headers: bearer(f.hostToken)).1, as: UTF8.self)
    }

    static func book(_ client: some TestClientProtocol, _ f: BookingFixture) async throws -> BookingJSON {
        let (status, data) = try await send(client, .post, "/api/bookings", body: f.body(start: f.at(10)))
        #expect(status == .created)
        return try JSONDecoder.test.decode(BookingJSON.self, from: data)
    }

    @Test("every malformed body is 400 malformed_json and changes nothing", arguments: Route.allCases)
    func malformed(route: Route) async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let booking = try await Self.book(client, f)
            let (path, valid) = Self.request(route, f, booking: booking)
            let before = try await Self.snapshot(client, f)
            var failures: [String] = []
            // An empty body is an empty object for a cancel (it needs nothing else).
            for item in BodyCorpus.malformed(valid) where !(route == .cancel && item.label == "empty") {
                let (status, data) = try await send(client, .post, path, body: ByteBuffer(bytes: item.bytes), headers: [.contentType: "application/json"])
                let problem = try? JSONDecoder.test.decode(ProblemBody.self, from: data)
                if status != .badRequest || problem?.code != "malformed_json" {
                    failures.append("\(item.label): \(status) \(String(decoding: data, as: UTF8.self))")
                }
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try await Self.snapshot(client, f) == before)
            let (accepted, data) = try await send(client, .post, path, body: ByteBuffer(string: valid), headers: [.contentType: "application/json"])
            #expect([.ok, .created].contains(accepted), "\(String(decoding: data, as: UTF8.self))")
        }
        try await f.close()
    }

    @Test("a value of the wrong type in any field is 422 validation_failed naming exactly that field", arguments: Route.allCases)
    func wrongTypes(route: Route) async throws {
        let f = try await BookingFixture.make()
        try await BookingFixture.app().test(.router) { client in
            let booking = try await Self.book(client, f)
            let (path, valid) = Self.request(route, f, booking: booking)
            let (fields, required) = Self.fields(route)
            let before = try await Self.snapshot(client, f)
            var failures: [String] = []
            for item in BodyCorpus.wrongTypes(valid, fields: fields, required: required) {
                let (status, data) = try await send(client, .post, path, body: ByteBuffer(string: item.body), headers: [.contentType: "application/json"])
                let problem = try? JSONDecoder.test.decode(ProblemBody.self, from: data)
                if status != .unprocessableContent || problem?.code != "validation_failed" || problem?.errors?.map(\.field) != [item.field] {
                    failures.append("\(item): \(status) \(String(decoding: data, as: UTF8.self))")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) cases: \(failures)")
            #expect(try await Self.snapshot(client, f) == before)
        }
        try await f.close()
    }
}
