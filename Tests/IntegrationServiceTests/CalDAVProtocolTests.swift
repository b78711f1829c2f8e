import Curl
import Foundation
@testable import IntegrationService
import Testing

/// The parts of the CalDAV client that need no server: error mapping and multistatus parsing.
@Suite struct CalDAVProtocolTests {
    @Test(arguments: [
        (401, ProviderError.invalidGrant("credentials rejected")),
        (403, .invalidGrant("credentials rejected")),
        (404, .notFound),
        (410, .notFound),
        (429, .rateLimited(retryAfter: nil)),
        (500, .unavailable("server answered 500")),
        (502, .unavailable("server answered 502")),
        (503, .unavailable("server answered 503")),
        (400, .rejected(status: 400, detail: "CalDAV request failed")),
        (412, .rejected(status: 412, detail: "CalDAV request failed")),
    ])
    func mapsStatuses(status: Int, error: ProviderError) {
        #expect(ProviderError.calDAV(status: status, headers: [:]) == error)
    }

    @Test func readsRetryAfterAsSecondsOrADate() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)  // Fri, 15 Jan 2027 08:00:00 GMT
        #expect(ProviderError.calDAV(status: 429, headers: ["Retry-After": "120"], now: now) == .rateLimited(retryAfter: .seconds(120)))
        #expect(ProviderError.calDAV(status: 503, headers: ["Retry-After": "Fri, 15 Jan 2027 08:01:30 GMT"], now: now)
            == .rateLimited(retryAfter: .seconds(90)))
        #expect(ProviderError.calDAV(status: 503, headers: ["Retry-After": "soon"], now: now) == .unavailable("server answered 503"))
    }

    @Test(arguments: [
        (HTTPClientError.Kind.couldNotConnect, true),
        (.timeout, true),
        (.couldNotResolveHost, true),
        (.connectionLost, true),
        (.invalidRequest, false),
        (.responseTooLarge, false),
    ])
    func mapsTransportFailures(kind: HTTPClientError.Kind, transient: Bool) {
        #expect(ProviderError.calDAV(HTTPClientError(kind: kind)).isTransient == transient)
    }

    @Test func parsesAMultistatusWithPrefixesCDATAAndFailedProperties() throws {
        let body = """
        <?xml version="1.0" encoding="UTF-8"?>
        <d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/">
          <d:response>
            <d:href>/cal/home/work/</d:href>
            <d:propstat>
              <d:prop>
                <d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>
                <d:displayname>Work &amp; more</d:displayname>
                <cal:supported-calendar-component-set><cal:comp name="VEVENT"/></cal:supported-calendar-component-set>
              </d:prop>
              <d:status>HTTP/1.1 200 OK</d:status>
            </d:propstat>
            <d:propstat>
              <d:prop><cs:getctag/></d:prop>
              <d:status>HTTP/1.1 404 Not Found</d:status>
            </d:propstat>
          </d:response>
          <d:response>
            <d:href>/cal/home/tasks/</d:href>
            <d:propstat><d:prop>
              <d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>
              <cal:supported-calendar-component-set><cal:comp name="VTODO"/></cal:supported-calendar-component-set>
            </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
          </d:response>
          <d:response>
            <d:href>/cal/home/e1.ics</d:href>
            <d:propstat><d:prop><cal:calendar-data><![CDATA[BEGIN:VCALENDAR
        END:VCALENDAR
        ]]></cal:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
          </d:response>
        </d:multistatus>
        """
        let multistatus = try #require(WebDAVMultistatus(Array(body.utf8)))
        #expect(multistatus.responses.map(\.href) == ["/cal/home/work/", "/cal/home/tasks/", "/cal/home/e1.ics"])
        #expect(multistatus.responses[0].property(WebDAV.calendarServer, "getctag") == nil)
        #expect(multistatus.responses[2].property(WebDAV.caldav, "calendar-data")?.text == "BEGIN:VCALENDAR\nEND:VCALENDAR\n")

        let calendars = multistatus.responses.compactMap { CalDAVClient.eventCalendar($0, base: "https://cal.example.com/dav/") }
        #expect(calendars == [CalDAVClient.DiscoveredCalendar(url: "https://cal.example.com/cal/home/work/", displayName: "Work & more")])
    }

    @Test func refusesBodiesThatAreNotAMultistatus() {
        #expect(WebDAVMultistatus(Array("<html><body>login</body></html>".utf8)) == nil)
        #expect(WebDAVMultistatus(Array("not xml".utf8)) == nil)
    }
}
