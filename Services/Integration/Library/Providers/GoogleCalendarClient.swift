import Curl
import Foundation
import SchedulingCore

/// Google Calendar API v3: the calls the service makes, as Google documents them.
package struct GoogleCalendarClient: Sendable {
    let http: ProviderHTTP
    /// `…/calendar/v3`.
    let baseURL: String
    /// Page size of events.list (Google's maximum is 2500).
    var pageSize = 250

    package init(http: ProviderHTTP, baseURL: String, pageSize: Int = 250) {
        self.http = http
        self.baseURL = baseURL
        self.pageSize = pageSize
    }

    /// The primary calendar's id (the account's email) and zone.
    package func primaryCalendar(accessToken: String) async throws -> (id: String, timeZone: String?) {
        struct Calendar: Decodable { var id: String; var timeZone: String? }
        let response = try await http.expectSuccess(HTTPClientRequest(
            url: ProviderHTTP.url(baseURL, "/calendars/primary"), headers: ProviderHTTP.bearer(accessToken)
        ), goneMeans: .notFound)
        let calendar = try decode(Calendar.self, response)
        return (calendar.id, calendar.timeZone)
    }

    // MARK: Reading busy time

    struct EventTime: Decodable {
        var dateTime: String?
        var date: String?
        var timeZone: String?
    }

    struct Event: Decodable {
        var id: String
        var status: String?
        var transparency: String?
        var start: EventTime?
        var end: EventTime?
    }

    struct EventList: Decodable {
        var items: [Event]?
        var nextPageToken: String?
        var nextSyncToken: String?
    }

    /// Reads the calendar: with a sync token, what changed since (incremental); without one, every
    /// event in the window (full). `events.list` with `singleEvents=true` (recurring events as
    /// instances), paged; a stale sync token throws `.cursorExpired` (410: the caller syncs in full).
    package func changes(calendarID: String, syncToken: String?, window: SyncWindow, hostTimeZone: TimeZone, accessToken: String) async throws -> CalendarChanges {
        var accumulated = ChangeAccumulator()
        var pageToken: String?
        repeat {
            var query: [(String, String)] = [("singleEvents", "true"), ("maxResults", String(pageSize))]
            if let syncToken {
                // Google: timeMin/timeMax cannot go with a syncToken; deleted events come as "cancelled".
                query.append(("syncToken", syncToken))
            } else {
                query += [
                    ("timeMin", RFC3339Instant.string(from: window.start)), ("timeMax", RFC3339Instant.string(from: window.end)),
                    ("showDeleted", "false"),
                ]
            }
            if let pageToken { query.append(("pageToken", pageToken)) }
            let response = try await http.expectSuccess(HTTPClientRequest(
                url: ProviderHTTP.url(baseURL, "/calendars/\(ProviderHTTP.segment(calendarID))/events", query: query),
                headers: ProviderHTTP.bearer(accessToken)
            ))
            let page = try decode(EventList.self, response)
            for event in page.items ?? [] {
                if let block = Self.busyBlock(event, hostTimeZone: hostTimeZone), block.start < window.end, block.end > window.start {
                    accumulated.busy(block)
                } else {
                    accumulated.removed(event.id)
                }
            }
            pageToken = page.nextPageToken
            if pageToken == nil {
                return accumulated.changes(kind: syncToken == nil ? .full : .incremental, cursor: page.nextSyncToken)
            }
        } while true
    }

    /// The busy block of an event, or nil when it does not make the host busy (cancelled, free).
    static func busyBlock(_ event: Event, hostTimeZone: TimeZone) -> ExternalBusyEvent? {
        guard event.status != "cancelled", event.transparency != "transparent", let start = event.start, let end = event.end else {
            return nil
        }
        if let startDate = start.date.flatMap(LocalDate.init), let endDate = end.date.flatMap(LocalDate.init) {
            let (from, to) = ProviderTime.allDay(from: startDate, to: endDate, in: hostTimeZone)
            return ExternalBusyEvent(externalID: event.id, start: from, end: to)
        }
        guard let from = start.dateTime.flatMap(RFC3339Instant.date(from:)), let to = end.dateTime.flatMap(RFC3339Instant.date(from:)), to > from else {
            return nil
        }
        return ExternalBusyEvent(externalID: event.id, start: from, end: to)
    }

    // MARK: Writing meetings

    struct EventBody: Encodable {
        struct Time: Encodable { var dateTime: String; var timeZone = "UTC" }
        struct Attendee: Encodable { var email: String; var displayName: String }
        struct Properties: Encodable { var `private`: [String: String] }
        var id: String?
        var summary: String
        var description: String
        var start: Time
        var end: Time
        var attendees: [Attendee]
        var extendedProperties: Properties
        var transparency = "opaque"
        var status = "confirmed"
        var sequence: Int
    }

    static func body(_ meeting: CalendarMeeting, withID: Bool) -> EventBody {
        EventBody(
            id: withID ? eventID(for: meeting.bookingID) : nil,
            summary: meeting.title, description: meeting.description,
            start: .init(dateTime: RFC3339Instant.string(from: meeting.start)), end: .init(dateTime: RFC3339Instant.string(from: meeting.end)),
            attendees: [.init(email: meeting.inviteeEmail, displayName: meeting.inviteeName)],
            extendedProperties: .init(private: ["rendezvous_booking_id": meeting.bookingID.uuidString.lowercased()]),
            sequence: meeting.sequence
        )
    }

    /// Our id for the booking's event: Google accepts client ids in base32hex (0-9, a-v), so a
    /// retried insert of the same booking is a 409, not a second event.
    static func eventID(for booking: UUID) -> String {
        "rdv" + booking.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// `events.insert`; returns the event id.
    package func insert(_ meeting: CalendarMeeting, calendarID: String, accessToken: String) async throws -> String {
        struct Created: Decodable { var id: String }
        let request = try HTTPClientRequest.json(
            .post, url: ProviderHTTP.url(baseURL, "/calendars/\(ProviderHTTP.segment(calendarID))/events", query: [("sendUpdates", "none")]),
            body: Self.body(meeting, withID: true), headers: ProviderHTTP.bearer(accessToken)
        )
        let response = try await http.send(request)
        if response.status == 409 { return Self.eventID(for: meeting.bookingID) }  // inserted by an earlier attempt
        guard response.isSuccess else { throw ProviderHTTP.error(for: response, goneMeans: .notFound) }
        return try decode(Created.self, response).id
    }

    /// `events.patch` of the time, title and description.
    package func update(eventID: String, _ meeting: CalendarMeeting, calendarID: String, accessToken: String) async throws {
        let request = try HTTPClientRequest.json(
            .patch,
            url: ProviderHTTP.url(baseURL, "/calendars/\(ProviderHTTP.segment(calendarID))/events/\(ProviderHTTP.segment(eventID))", query: [("sendUpdates", "none")]),
            body: Self.body(meeting, withID: false), headers: ProviderHTTP.bearer(accessToken)
        )
        _ = try await http.expectSuccess(request, goneMeans: .notFound)
    }

    /// `events.delete`; an event already gone (404, 410) counts as deleted.
    package func delete(eventID: String, calendarID: String, accessToken: String) async throws {
        let request = HTTPClientRequest(
            method: .delete,
            url: ProviderHTTP.url(baseURL, "/calendars/\(ProviderHTTP.segment(calendarID))/events/\(ProviderHTTP.segment(eventID))", query: [("sendUpdates", "none")]),
            headers: ProviderHTTP.bearer(accessToken)
        )
        do {
            _ = try await http.expectSuccess(request, goneMeans: .notFound)
        } catch ProviderError.notFound {
            return
        }
    }

    // MARK: Push channels

    /// `events.watch`: a web_hook channel to `address`; returns Google's resource id and the expiry.
    package func watch(
        calendarID: String, channelID: String, address: String, token: String, lifetime: Duration, accessToken: String
    ) async throws -> (resourceID: String, expiresAt: Date) {
        struct Body: Encodable {
            var id: String
            var type = "web_hook"
            var address: String
            var token: String
            var params: [String: String]
        }
        struct Channel: Decodable { var resourceId: String; var expiration: String? }
        let request = try HTTPClientRequest.json(
            .post, url: ProviderHTTP.url(baseURL, "/calendars/\(ProviderHTTP.segment(calendarID))/events/watch"),
            body: Body(id: channelID, address: address, token: token, params: ["ttl": String(lifetime.components.seconds)]),
            headers: ProviderHTTP.bearer(accessToken)
        )
        let channel = try decode(Channel.self, try await http.expectSuccess(request, goneMeans: .notFound))
        let expiry = channel.expiration.flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) }
            ?? Date().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        return (channel.resourceId, expiry)
    }

    /// `channels.stop`; an unknown channel counts as stopped.
    package func stop(channelID: String, resourceID: String, accessToken: String) async throws {
        let request = try HTTPClientRequest.json(
            .post, url: ProviderHTTP.url(baseURL, "/channels/stop"),
            body: ["id": channelID, "resourceId": resourceID], headers: ProviderHTTP.bearer(accessToken)
        )
        do {
            _ = try await http.expectSuccess(request, goneMeans: .notFound)
        } catch ProviderError.notFound {
            return
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPClientResponse) throws -> Value {
        do {
            return try response.decode(type)
        } catch {
            throw ProviderError.rejected(status: response.status, detail: "unexpected response body: \(error)")
        }
    }
}
