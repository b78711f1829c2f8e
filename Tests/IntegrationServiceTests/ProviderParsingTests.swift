import Curl
import Foundation
import SchedulingCore
import Testing
@testable import IntegrationService

/// How provider answers become busy blocks and errors, without a network.
@Suite struct ProviderParsingTests {
    let london = TimeZone(identifier: "Europe/London")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func google(_ json: String) throws -> GoogleCalendarClient.Event {
        try JSONDecoder().decode(GoogleCalendarClient.Event.self, from: Data(json.utf8))
    }

    func graph(_ json: String) throws -> MicrosoftGraphClient.Event {
        try JSONDecoder().decode(MicrosoftGraphClient.Event.self, from: Data(json.utf8))
    }

    @Test func googleTimedEventsWithOffsets() throws {
        let event = try google(#"{"id":"a","status":"confirmed","start":{"dateTime":"2026-03-10T09:00:00-04:00"},"end":{"dateTime":"2026-03-10T10:30:00-04:00"}}"#)
        let block = try #require(GoogleCalendarClient.busyBlock(event, hostTimeZone: london))
        #expect(block.start == RFC3339Instant.date(from: "2026-03-10T13:00:00Z"))
        #expect(block.end == RFC3339Instant.date(from: "2026-03-10T14:30:00Z"))
    }

    @Test func googleFreeCancelledAndBrokenEventsAreNotBusy() throws {
        #expect(GoogleCalendarClient.busyBlock(try google(#"{"id":"a","transparency":"transparent","start":{"dateTime":"2026-03-10T09:00:00Z"},"end":{"dateTime":"2026-03-10T10:00:00Z"}}"#), hostTimeZone: london) == nil)
        #expect(GoogleCalendarClient.busyBlock(try google(#"{"id":"a","status":"cancelled"}"#), hostTimeZone: london) == nil)
        #expect(GoogleCalendarClient.busyBlock(try google(#"{"id":"a","start":{"dateTime":"2026-03-10T10:00:00Z"},"end":{"dateTime":"2026-03-10T09:00:00Z"}}"#), hostTimeZone: london) == nil)
        // Tentative still holds the time.
        #expect(GoogleCalendarClient.busyBlock(try google(#"{"id":"a","status":"tentative","start":{"dateTime":"2026-03-10T09:00:00Z"},"end":{"dateTime":"2026-03-10T10:00:00Z"}}"#), hostTimeZone: london) != nil)
    }

    /// An all-day event is the host's whole local day, 23 hours on the day the clocks go forward.
    @Test func allDayEventsFollowTheHostZoneAcrossDST() throws {
        let event = try google(#"{"id":"a","start":{"date":"2026-03-08"},"end":{"date":"2026-03-09"}}"#)
        let block = try #require(GoogleCalendarClient.busyBlock(event, hostTimeZone: newYork))
        #expect(block.start == RFC3339Instant.date(from: "2026-03-08T05:00:00Z"))
        #expect(block.end == RFC3339Instant.date(from: "2026-03-09T04:00:00Z"))
        let twoDays = try google(#"{"id":"b","start":{"date":"2026-03-27"},"end":{"date":"2026-03-29"}}"#)
        let london = try #require(GoogleCalendarClient.busyBlock(twoDays, hostTimeZone: london))
        #expect(london.start == RFC3339Instant.date(from: "2026-03-27T00:00:00Z"))
        // London springs forward at 01:00 UTC on the 29th: its midnight is still 00:00 UTC.
        #expect(london.end == RFC3339Instant.date(from: "2026-03-29T00:00:00Z"))
    }

    @Test func graphEvents() throws {
        let busy = try graph(#"{"id":"g","showAs":"busy","isAllDay":false,"start":{"dateTime":"2026-03-10T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-03-10T14:30:00.0000000","timeZone":"UTC"}}"#)
        let block = try #require(MicrosoftGraphClient.busyBlock(busy, hostTimeZone: london))
        #expect(block.start == RFC3339Instant.date(from: "2026-03-10T14:00:00Z"))
        #expect(block.end == RFC3339Instant.date(from: "2026-03-10T14:30:00Z"))
        // A zone Graph names (when it ignores the UTC preference) is honoured.
        let zoned = try graph(#"{"id":"z","start":{"dateTime":"2026-07-01T09:00:00.0000000","timeZone":"Europe/Berlin"},"end":{"dateTime":"2026-07-01T10:00:00.0000000","timeZone":"Europe/Berlin"}}"#)
        #expect(MicrosoftGraphClient.busyBlock(zoned, hostTimeZone: london)?.start == RFC3339Instant.date(from: "2026-07-01T07:00:00Z"))
        for json in [
            #"{"id":"f","showAs":"free","start":{"dateTime":"2026-03-10T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-03-10T15:00:00.0000000","timeZone":"UTC"}}"#,
            #"{"id":"w","showAs":"workingElsewhere","start":{"dateTime":"2026-03-10T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-03-10T15:00:00.0000000","timeZone":"UTC"}}"#,
            #"{"id":"c","isCancelled":true,"start":{"dateTime":"2026-03-10T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-03-10T15:00:00.0000000","timeZone":"UTC"}}"#,
            ##"{"@odata.type":"#microsoft.graph.event","id":"r","@removed":{"reason":"deleted"}}"##,
        ] {
            #expect(MicrosoftGraphClient.busyBlock(try graph(json), hostTimeZone: london) == nil, "\(json)")
        }
        let allDay = try graph(#"{"id":"d","isAllDay":true,"showAs":"oof","start":{"dateTime":"2026-03-10T00:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-03-11T00:00:00.0000000","timeZone":"UTC"}}"#)
        #expect(MicrosoftGraphClient.busyBlock(allDay, hostTimeZone: newYork)?.start == RFC3339Instant.date(from: "2026-03-10T04:00:00Z"))
    }

    @Test func errorMatrix() {
        func error(_ status: Int, _ body: String = "", headers: HTTPClientHeaders = [:]) -> ProviderError {
            ProviderHTTP.error(for: HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8)))
        }
        #expect(error(401) == .unauthorized)
        #expect(error(429, headers: ["Retry-After": "120"]) == .rateLimited(retryAfter: .seconds(120)))
        #expect(error(429) == .rateLimited(retryAfter: nil))
        #expect(error(403, #"{"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded"}]}}"#) == .rateLimited(retryAfter: nil))
        #expect(error(403, #"{"error":{"code":403,"message":"Forbidden"}}"#) == .rejected(status: 403, detail: #"{"error":{"code":403,"message":"Forbidden"}}"#))
        #expect(error(410) == .cursorExpired)
        #expect(error(404) == .notFound)
        #expect(error(502) == .unavailable("HTTP 502"))
        #expect(error(503, headers: ["Retry-After": "30"]) == .rateLimited(retryAfter: .seconds(30)))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let date = "Tue, 14 Nov 2023 22:15:20 GMT"  // now + 120 s
        #expect(ProviderHTTP.retryAfter(["Retry-After": date], now: now) == .seconds(120))
        #expect(ProviderHTTP.retryAfter(["Retry-After": "soon"], now: now) == nil)
    }

    @Test func graphInstantsWithSevenDigitFractions() throws {
        let fractional = try #require(MicrosoftGraphClient.graphDate("2026-03-10T14:00:00.1234567Z"))
        #expect(abs(fractional.timeIntervalSince(RFC3339Instant.date(from: "2026-03-10T14:00:00Z")!)) < 1)
        #expect(MicrosoftGraphClient.graphDate("2026-03-10T14:00:00Z") == RFC3339Instant.date(from: "2026-03-10T14:00:00Z"))
        #expect(ProviderTime.graphUTC(RFC3339Instant.date(from: "2026-03-10T14:00:00Z")!) == "2026-03-10T14:00:00.0000000")
    }

    @Test func sealedSecretsAreBoundToTheirRow() throws {
        let vault = CredentialVault(key: try .random(id: 7))
        let a = UUID()
        let sealed = try vault.seal("refresh-token", for: a)
        #expect(!sealed.contains("refresh-token"))
        #expect(try vault.open(sealed, for: a) == "refresh-token")
        #expect(throws: (any Error).self) { try vault.open(sealed, for: UUID()) }
        #expect(try vault.seal("refresh-token", for: a) != sealed, "a fresh nonce per seal")
        #expect(CredentialVault.matches("token", digest: CredentialVault.digest("token")))
        #expect(!CredentialVault.matches("token2", digest: CredentialVault.digest("token")))
    }
}
