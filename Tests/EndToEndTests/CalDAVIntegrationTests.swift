import Curl
import Foundation
import Postgres
import ServiceRuntime
import Testing
import TestSupport
@testable import IntegrationService

/// CalDAV end to end against a real server (Radicale from `scripts/stack`): connect through the
/// API, busy time read into the slots, a booking written as an iCalendar object and deleted on cancel.
@Suite(.timeLimit(.minutes(3)))
struct CalDAVIntegrationTests {
    static var server: String { ProcessInfo.processInfo.environment["CALDAV_TEST_URL"] ?? "http://127.0.0.1:55232" }

    /// A fresh calendar collection for the test, with one busy event.
    static func calendar(_ h: IntegrationHarness, busyAt start: Date) async throws -> String {
        let url = "\(server)/rendezvous/it-\(h.tag)/"
        let client = CalDAVClient(http: h.http, serverURL: server, username: "rendezvous", password: "rendezvous")
        // The account's lasting default calendar, which discovery prefers (see CalDAVRadicaleTests).
        try? await client.makeCalendar(url: "\(server)/rendezvous/calendar/", displayName: "Calendar")
        try await client.makeCalendar(url: url, displayName: "Integration \(h.tag)")
        try await put(h, url + "busy-\(h.tag).ics", ics: """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Rendezvous tests//EN\r
            BEGIN:VEVENT\r
            UID:busy-\(h.tag)@example.com\r
            DTSTAMP:20260101T000000Z\r
            DTSTART:\(stamp(start))\r
            DTEND:\(stamp(start.addingTimeInterval(3600)))\r
            SUMMARY:Dentist\r
            END:VEVENT\r
            END:VCALENDAR\r

            """)
        return url
    }

    static func put(_ h: IntegrationHarness, _ url: String, ics: String) async throws {
        var request = HTTPClientRequest(method: .put, url: url, body: Array(ics.utf8))
        request.headers.add(name: "Content-Type", value: "text/calendar; charset=utf-8")
        request.headers.add(name: "Authorization", value: "Basic " + Data("rendezvous:rendezvous".utf8).base64EncodedString())
        let response = try await h.http.execute(request)
        #expect((200 ..< 300).contains(response.status), "PUT \(url): \(response.status)")
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func removeCalendar(_ h: IntegrationHarness) async {
        let client = CalDAVClient(http: h.http, serverURL: server, username: "rendezvous", password: "rendezvous")
        try? await client.deleteObject(href: "\(server)/rendezvous/it-\(h.tag)/")
    }

    @Test func connectSyncAndWriteBack() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let day = h.workday()
            let ten = day.midnight.addingTimeInterval(10 * 3600)
            let calendarURL = try await Self.calendar(h, busyAt: ten)

            // A calendar on another origin than the server: the password is never sent there.
            let elsewhere = try await h.request(
                .post, h.integration.baseURL + "/api/integrations/caldav", token: h.hostToken,
                json: #"{"server_url":"\#(Self.server)","username":"rendezvous","password":"rendezvous","calendar_url":"http://localhost:1/cal/"}"#
            )
            #expect(elsewhere.status == 422)
            // Wrong password: a 422 naming the field, nothing stored.
            let wrong = try await h.request(
                .post, h.integration.baseURL + "/api/integrations/caldav", token: h.hostToken,
                json: #"{"server_url":"\#(Self.server)","username":"rendezvous","password":"wrong","calendar_url":"\#(calendarURL)"}"#
            )
            #expect(wrong.status == 422)

            let reply = try await h.request(
                .post, h.integration.baseURL + "/api/integrations/caldav", token: h.hostToken,
                json: #"{"server_url":"\#(Self.server)","username":"rendezvous","password":"rendezvous","calendar_url":"\#(calendarURL)"}"#
            )
            #expect(reply.status == 201, "\(reply.text)")
            #expect(try reply.json()["provider"] as? String == "caldav")
            #expect(try reply.json()["calendar_id"] as? String == calendarURL)
            let id = try await h.integrationID()
            let stored = try #require(try await h.db.query("SELECT * FROM calendar_integrations WHERE id = \(id)").first)
            #expect(!stored.values.compactMap { $0 }.joined().contains("rendezvous:rendezvous"))
            #expect(try stored.decode("sealed_secret", as: String.self) != "rendezvous")

            #expect(try await eventually { try await h.busy().count == 1 })
            #expect(try await h.busy().first?.start == ten)
            #expect(try await eventually(timeout: .seconds(5)) { !(try await h.slots(on: day.date).contains(ten)) })
            await h.settle(id)

            // A booking is written to the server as an iCalendar object, and removed when cancelled.
            let start = day.midnight.addingTimeInterval(14 * 3600)
            let booking = try await h.book(start)
            let bookingID = try #require(booking["id"] as? String)
            let client = CalDAVClient(http: h.http, serverURL: Self.server, username: "rendezvous", password: "rendezvous")
            let window = SyncWindow(start: day.midnight, end: day.midnight.addingTimeInterval(86_400))
            #expect(try await eventually {
                try await client.busyEvents(calendarURL: calendarURL, window: window, hostTimeZone: TimeZone(identifier: "UTC")!)
                    .contains { $0.start == start && $0.externalID.hasPrefix(bookingID.lowercased()) }
            })
            // The next sync does not read our own meeting back as busy time.
            _ = try await h.request(.post, h.integration.baseURL + "/api/integrations/\(id.uuidString.lowercased())/sync", token: h.hostToken)
            await h.settle(id)
            #expect(try await h.busy().count == 1)

            let cancel = try await h.request(.post, h.booking.baseURL + "/api/bookings/\(bookingID)/cancel", token: h.hostToken, json: "{}")
            #expect(cancel.status == 200)
            #expect(try await eventually {
                try await !client.busyEvents(calendarURL: calendarURL, window: window, hostTimeZone: TimeZone(identifier: "UTC")!)
                    .contains { $0.start == start }
            })
        } catch {
            await Self.removeCalendar(h)
            await h.stop()
            throw error
        }
        await Self.removeCalendar(h)
        await h.stop()
    }

    /// Discovery from the server URL alone finds a calendar of the account.
    @Test func discoveryFromTheServerURL() async throws {
        let h = try await IntegrationHarness.start()
        do {
            _ = try await Self.calendar(h, busyAt: h.workday().midnight.addingTimeInterval(9 * 3600))
            let reply = try await h.request(
                .post, h.integration.baseURL + "/api/integrations/caldav", token: h.hostToken,
                json: #"{"server_url":"\#(Self.server)","username":"rendezvous","password":"rendezvous"}"#
            )
            #expect(reply.status == 201, "\(reply.text)")
            let calendar = try #require(try reply.json()["calendar_id"] as? String)
            #expect(calendar == Self.server + "/rendezvous/calendar/")
        } catch {
            await Self.removeCalendar(h)
            await h.stop()
            throw error
        }
        await Self.removeCalendar(h)
        await h.stop()
    }
}
