// TEMPORARY STUB (not committed): replaced by the CalDAV branch.
import Curl
import Foundation
package struct CalDAVClient: Sendable {
    package init(http: CurlHTTPClient, serverURL: String, username: String, password: String) {}
    package func discoverCalendar() async throws -> String { "" }
    package func verifyCalendar(_ url: String) async throws {}
    package func busyEvents(calendarURL: String, window: SyncWindow, hostTimeZone: TimeZone) async throws -> [ExternalBusyEvent] { [] }
    package func calendarTag(calendarURL: String) async throws -> String? { nil }
    package func putMeeting(_ meeting: CalendarMeeting, calendarURL: String) async throws -> String { "" }
    package func deleteObject(href: String) async throws {}
}
