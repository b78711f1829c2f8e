import Curl
import Foundation
import SchedulingCore

/// Microsoft Graph v1.0: the calendar calls the service makes, as Microsoft documents them.
package struct MicrosoftGraphClient: Sendable {
    let http: ProviderHTTP
    /// `…/v1.0`.
    let baseURL: String
    var pageSize = 100

    package init(http: ProviderHTTP, baseURL: String, pageSize: Int = 100) {
        self.http = http
        self.baseURL = baseURL
        self.pageSize = pageSize
    }

    private func headers(_ token: String) -> HTTPClientHeaders {
        var headers = ProviderHTTP.bearer(token)
        headers.add(name: "Prefer", value: "outlook.timezone=\"UTC\"")
        headers.add(name: "Prefer", value: "odata.maxpagesize=\(pageSize)")
        return headers
    }

    /// The default calendar's id and its owner's address.
    package func primaryCalendar(accessToken: String) async throws -> (id: String, account: String) {
        struct Owner: Decodable { var address: String? }
        struct Calendar: Decodable { var id: String; var owner: Owner? }
        let response = try await http.expectSuccess(HTTPClientRequest(url: ProviderHTTP.url(baseURL, "/me/calendar"), headers: headers(accessToken)), goneMeans: .notFound)
        let calendar = try decode(Calendar.self, response)
        return (calendar.id, calendar.owner?.address ?? calendar.id)
    }

    // MARK: Reading busy time

    struct Time: Decodable { var dateTime: String; var timeZone: String? }
    struct Removed: Decodable { var reason: String? }
    struct Event: Decodable {
        var id: String
        var removed: Removed?
        var isCancelled: Bool?
        var isAllDay: Bool?
        var showAs: String?
        var start: Time?
        var end: Time?

        enum CodingKeys: String, CodingKey {
            case id, isCancelled, isAllDay, showAs, start, end
            case removed = "@removed"
        }
    }

    struct Page: Decodable {
        var value: [Event]
        var nextLink: String?
        var deltaLink: String?

        enum CodingKeys: String, CodingKey {
            case value
            case nextLink = "@odata.nextLink"
            case deltaLink = "@odata.deltaLink"
        }
    }

    /// `calendarView/delta`: with a delta link, the changes since (incremental); without, every
    /// event in the window (full). Follows `@odata.nextLink` to the end, where `@odata.deltaLink`
    /// is the next cursor; an expired delta token throws `.cursorExpired` (410).
    package func changes(calendarID: String, deltaLink: String?, window: SyncWindow, hostTimeZone: TimeZone, accessToken: String) async throws -> CalendarChanges {
        var url = deltaLink ?? ProviderHTTP.url(
            baseURL, "/me/calendars/\(ProviderHTTP.segment(calendarID))/calendarView/delta",
            query: [("startDateTime", RFC3339Instant.string(from: window.start)), ("endDateTime", RFC3339Instant.string(from: window.end))]
        )
        var accumulated = ChangeAccumulator()
        while true {
            // The links carry the provider's state; never send the token anywhere but the configured Graph.
            guard url.hasPrefix(baseURL.hasSuffix("/") ? baseURL : baseURL + "/") else {
                throw ProviderError.rejected(status: 0, detail: "Graph link outside the configured base URL")
            }
            let response = try await http.expectSuccess(HTTPClientRequest(url: url, headers: headers(accessToken)))
            let page = try decode(Page.self, response)
            for event in page.value {
                if let block = Self.busyBlock(event, hostTimeZone: hostTimeZone), block.start < window.end, block.end > window.start {
                    accumulated.busy(block)
                } else {
                    accumulated.removed(event.id)
                }
            }
            if let next = page.nextLink {
                url = next
            } else {
                return accumulated.changes(kind: deltaLink == nil ? .full : .incremental, cursor: page.deltaLink)
            }
        }
    }

    /// The busy block of an event, or nil (removed, cancelled, free, working elsewhere).
    static func busyBlock(_ event: Event, hostTimeZone: TimeZone) -> ExternalBusyEvent? {
        guard event.removed == nil, event.isCancelled != true, let start = event.start, let end = event.end else { return nil }
        switch event.showAs ?? "busy" {
        case "free", "workingElsewhere": return nil
        default: break
        }
        if event.isAllDay == true,
           let first = LocalDate(String(start.dateTime.prefix(10))), let last = LocalDate(String(end.dateTime.prefix(10))) {
            let (from, to) = ProviderTime.allDay(from: first, to: last, in: hostTimeZone)
            return ExternalBusyEvent(externalID: event.id, start: from, end: to)
        }
        let startZone = ProviderTime.zone(start.timeZone) ?? TimeZone(identifier: "UTC")!
        let endZone = ProviderTime.zone(end.timeZone) ?? TimeZone(identifier: "UTC")!
        guard let from = ProviderTime.wallClock(start.dateTime, in: startZone), let to = ProviderTime.wallClock(end.dateTime, in: endZone), to > from else {
            return nil
        }
        return ExternalBusyEvent(externalID: event.id, start: from, end: to)
    }

    // MARK: Writing meetings

    struct EventBody: Encodable {
        struct Body: Encodable { var contentType = "text"; var content: String }
        struct Time: Encodable { var dateTime: String; var timeZone = "UTC" }
        struct Address: Encodable { var address: String; var name: String }
        struct Attendee: Encodable { var emailAddress: Address; var type = "required" }
        var subject: String
        var body: Body
        var start: Time
        var end: Time
        var attendees: [Attendee]
        var showAs = "busy"
        var transactionId: String?
    }

    static func body(_ meeting: CalendarMeeting, transaction: Bool) -> EventBody {
        EventBody(
            subject: meeting.title, body: .init(content: meeting.description),
            start: .init(dateTime: ProviderTime.graphUTC(meeting.start)), end: .init(dateTime: ProviderTime.graphUTC(meeting.end)),
            attendees: [.init(emailAddress: .init(address: meeting.inviteeEmail, name: meeting.inviteeName))],
            // Graph does not create a second event for a POST with a transactionId it has seen.
            transactionId: transaction ? meeting.bookingID.uuidString.lowercased() : nil
        )
    }

    /// `POST /me/calendars/{id}/events`; returns the event id.
    package func insert(_ meeting: CalendarMeeting, calendarID: String, accessToken: String) async throws -> String {
        struct Created: Decodable { var id: String }
        let request = try HTTPClientRequest.json(
            .post, url: ProviderHTTP.url(baseURL, "/me/calendars/\(ProviderHTTP.segment(calendarID))/events"),
            body: Self.body(meeting, transaction: true), headers: headers(accessToken)
        )
        return try decode(Created.self, try await http.expectSuccess(request, goneMeans: .notFound)).id
    }

    /// `PATCH /me/events/{id}`.
    package func update(eventID: String, _ meeting: CalendarMeeting, accessToken: String) async throws {
        let request = try HTTPClientRequest.json(
            .patch, url: ProviderHTTP.url(baseURL, "/me/events/\(ProviderHTTP.segment(eventID))"),
            body: Self.body(meeting, transaction: false), headers: headers(accessToken)
        )
        _ = try await http.expectSuccess(request, goneMeans: .notFound)
    }

    /// `DELETE /me/events/{id}`; an event already gone counts as deleted.
    package func delete(eventID: String, accessToken: String) async throws {
        do {
            _ = try await http.expectSuccess(
                HTTPClientRequest(method: .delete, url: ProviderHTTP.url(baseURL, "/me/events/\(ProviderHTTP.segment(eventID))"), headers: headers(accessToken)),
                goneMeans: .notFound
            )
        } catch ProviderError.notFound {
            return
        }
    }

    // MARK: Subscriptions

    /// `POST /subscriptions` on the calendar's events (Graph first calls the notification URL
    /// with `validationToken`); returns the subscription id and its expiry.
    package func subscribe(
        calendarID: String, notificationURL: String, clientState: String, lifetime: Duration, accessToken: String
    ) async throws -> (id: String, expiresAt: Date) {
        struct Body: Encodable {
            var changeType = "created,updated,deleted"
            var notificationUrl: String
            var lifecycleNotificationUrl: String
            var resource: String
            var expirationDateTime: String
            var clientState: String
        }
        struct Created: Decodable { var id: String; var expirationDateTime: String? }
        let expiry = Date().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let request = try HTTPClientRequest.json(
            .post, url: ProviderHTTP.url(baseURL, "/subscriptions"),
            body: Body(
                notificationUrl: notificationURL, lifecycleNotificationUrl: notificationURL,
                resource: "me/calendars/\(calendarID)/events", expirationDateTime: RFC3339Instant.string(from: expiry), clientState: clientState
            ),
            headers: ProviderHTTP.bearer(accessToken)
        )
        var slow = request
        slow.timeout = .seconds(30)  // Graph waits for our validation answer before it answers
        let created = try decode(Created.self, try await http.expectSuccess(slow, goneMeans: .notFound))
        return (created.id, created.expirationDateTime.flatMap(Self.graphDate) ?? expiry)
    }

    /// `PATCH /subscriptions/{id}` with a new expiry (renewal, and the answer to `reauthorizationRequired`).
    package func renew(subscriptionID: String, lifetime: Duration, accessToken: String) async throws -> Date {
        let expiry = Date().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let request = try HTTPClientRequest.json(
            .patch, url: ProviderHTTP.url(baseURL, "/subscriptions/\(ProviderHTTP.segment(subscriptionID))"),
            body: ["expirationDateTime": RFC3339Instant.string(from: expiry)], headers: ProviderHTTP.bearer(accessToken)
        )
        _ = try await http.expectSuccess(request, goneMeans: .notFound)
        return expiry
    }

    /// `DELETE /subscriptions/{id}`; an unknown subscription counts as deleted.
    package func unsubscribe(subscriptionID: String, accessToken: String) async throws {
        do {
            _ = try await http.expectSuccess(
                HTTPClientRequest(method: .delete, url: ProviderHTTP.url(baseURL, "/subscriptions/\(ProviderHTTP.segment(subscriptionID))"), headers: ProviderHTTP.bearer(accessToken)),
                goneMeans: .notFound
            )
        } catch ProviderError.notFound {
            return
        }
    }

    /// Graph instants: RFC 3339 with up to 7 fractional digits.
    static func graphDate(_ text: String) -> Date? {
        if let date = RFC3339Instant.date(from: text) { return date }
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let zone = text[dot...].firstIndex { $0 == "Z" || $0 == "+" || $0 == "-" }
        return RFC3339Instant.date(from: String(text[..<dot]) + (zone.map { String(text[$0...]) } ?? "Z"))
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPClientResponse) throws -> Value {
        do {
            return try response.decode(type)
        } catch {
            throw ProviderError.rejected(status: response.status, detail: "unexpected response body: \(error)")
        }
    }
}
