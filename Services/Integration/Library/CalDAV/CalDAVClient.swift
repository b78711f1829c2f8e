import Curl
import Foundation
import ICalendar

/// A CalDAV (RFC 4791) client for one account: finds its calendar, reads busy time from it and
/// writes and removes the meetings Rendezvous books.
///
/// Every request sends HTTP Basic credentials. Failures are thrown as ``ProviderError``
/// (see ``ProviderError/calDAV(status:headers:now:)``); the client itself does not log.
package struct CalDAVClient: Sendable {
    /// The HTTP client requests go through (owned by the caller).
    package var http: CurlHTTPClient
    /// The URL the host gave: the server's root, a principal, or a calendar home.
    package var serverURL: String
    /// The account's user name.
    package var username: String
    /// The account's password (or app password); sent only in the `Authorization` header.
    package var password: String
    /// How long one request may take in all.
    package var timeout: Duration

    /// A client for the account `username` on `serverURL`.
    package init(http: CurlHTTPClient, serverURL: String, username: String, password: String, timeout: Duration = .seconds(30)) {
        self.http = http
        self.serverURL = serverURL
        self.username = username
        self.password = password
        self.timeout = timeout
    }

    // MARK: Discovery

    /// The URL of the calendar to use, found as RFC 6764 and RFC 4791 §6 describe: the
    /// `current-user-principal` of the server URL (or of `/.well-known/caldav`), that
    /// principal's `calendar-home-set`, and in it the calendar collections that take events;
    /// the one named `default` or `calendar` if there is one, else the first.
    ///
    /// Throws ``ProviderError/notFound`` when the account has no calendar for events.
    package func discoverCalendar() async throws -> String {
        let principal = try await currentUserPrincipal()
        let home = try await calendarHome(principal: principal)
        let candidates = try await eventCalendars(in: home)
        guard !candidates.isEmpty else { throw ProviderError.notFound }
        let preferred = candidates.first { candidate in
            let lastComponent = candidate.url.split(separator: "/").last.map(String.init)?.lowercased()
            let name = candidate.displayName?.lowercased()
            return ["default", "calendar"].contains(lastComponent) || ["default", "calendar"].contains(name)
        }
        return (preferred ?? candidates[0]).url
    }

    /// Checks that `url` (one the host typed) is a calendar collection that takes events.
    ///
    /// Throws ``ProviderError/notFound`` when it is something else, and the usual errors when
    /// the server cannot be asked.
    package func verifyCalendar(_ url: String) async throws {
        let multistatus = try await propfind(url, depth: 0, properties: Self.collectionProperties)
        guard let response = multistatus.responses.first, let calendar = Self.eventCalendar(response, base: url),
              Self.samePath(calendar.url, url)
        else { throw ProviderError.notFound }
    }

    // MARK: Reading busy time

    /// The busy blocks of the calendar at `calendarURL` that overlap `window`.
    ///
    /// One `calendar-query` REPORT for the events overlapping the window, read by an
    /// ``ICalendarBusyReader`` in `hostTimeZone`, which expands the simple recurrence rules itself.
    /// Objects with a rule it does not support are fetched again with a `calendar-multiget` that
    /// asks the server to expand them (`C:expand`, RFC 4791 §9.6.5); a server that fails that
    /// with a 500 leaves them at their first occurrence. Blocks are in the server's order, each id once.
    ///
    /// Local expansion first, because Radicale 3.9 expands a recurring event in a `TZID` across
    /// a DST change with the first instance's UTC offset (an hour off), and answers 500 for a
    /// recurring event in floating time.
    package func busyEvents(calendarURL: String, window: SyncWindow, hostTimeZone: TimeZone) async throws -> [ExternalBusyEvent] {
        let response = try await send("REPORT", calendarURL, depth: 1, xml: Self.calendarQuery(window))
        let reader = ICalendarBusyReader(hostTimeZone: hostTimeZone)
        let objects = try Self.calendarObjects(response)
        let needServer = objects.filter { reader.needsServerExpansion($0.data) }.map(\.href)
        let expanded = needServer.isEmpty ? [:] : try await serverExpanded(needServer, calendarURL: calendarURL, window: window)

        var seen: Set<String> = []
        var events: [ExternalBusyEvent] = []
        for object in objects {
            for event in reader.busyEvents(in: expanded[object.href] ?? object.data, expandingWithin: window)
            where event.start < window.end && event.end > window.start && seen.insert(event.externalID).inserted {
                events.append(event)
            }
        }
        return events
    }

    /// The objects at `hrefs` as the server expands them over `window`, by href; empty when the
    /// server fails the expansion with a 500.
    func serverExpanded(_ hrefs: [String], calendarURL: String, window: SyncWindow) async throws -> [String: String] {
        let (start, end) = Self.timeRange(window)
        let hrefElements = hrefs.map { "<D:href>\(Self.xmlEscaped($0))</D:href>" }.joined()
        let body = """
        <?xml version="1.0" encoding="utf-8"?>
        <C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
          <D:prop><C:calendar-data><C:expand start="\(start)" end="\(end)"/></C:calendar-data></D:prop>
          \(hrefElements)
        </C:calendar-multiget>
        """
        let response = try await send(
            "REPORT", calendarURL, headers: [("Content-Type", "application/xml; charset=utf-8"), ("Depth", "1")],
            body: Array(body.utf8), allowServerError: true
        )
        guard response.status != 500 else { return [:] }
        var result: [String: String] = [:]
        for object in try Self.calendarObjects(response) { result[object.href] = object.data }
        return result
    }

    /// The hrefs and `calendar-data` of a REPORT's multistatus.
    static func calendarObjects(_ response: HTTPClientResponse) throws -> [(href: String, data: String)] {
        guard let multistatus = WebDAVMultistatus(response.body) else {
            throw ProviderError.rejected(status: response.status, detail: "REPORT answer is not a multistatus")
        }
        return multistatus.responses.compactMap { object in
            object.property(WebDAV.caldav, "calendar-data").map { (object.href, $0.text) }
        }
    }

    /// A `calendar-query` for the events overlapping `window`, with their data.
    static func calendarQuery(_ window: SyncWindow) -> String {
        let (start, end) = timeRange(window)
        return """
        <?xml version="1.0" encoding="utf-8"?>
        <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
          <D:prop><D:getetag/><C:calendar-data/></D:prop>
          <C:filter>
            <C:comp-filter name="VCALENDAR">
              <C:comp-filter name="VEVENT"><C:time-range start="\(start)" end="\(end)"/></C:comp-filter>
            </C:comp-filter>
          </C:filter>
        </C:calendar-query>
        """
    }

    /// The window as CalDAV time-range bounds, whole seconds in UTC.
    static func timeRange(_ window: SyncWindow) -> (start: String, end: String) {
        (
            ICalendarDateTime.utcText(Int(window.start.timeIntervalSince1970.rounded(.down))),
            ICalendarDateTime.utcText(Int(window.end.timeIntervalSince1970.rounded(.up)))
        )
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A tag that changes whenever anything in the calendar changes: its `CS:getctag`, or its
    /// `DAV:sync-token` (RFC 6578) when it has no ctag; nil when it has neither. A sync can skip
    /// reading the events while the tag stays the same.
    package func calendarTag(calendarURL: String) async throws -> String? {
        let multistatus = try await propfind(calendarURL, depth: 0, properties: """
        <D:prop><CS:getctag/><D:sync-token/></D:prop>
        """)
        guard let response = multistatus.responses.first else { return nil }
        for (namespace, name) in [(WebDAV.calendarServer, "getctag"), (WebDAV.dav, "sync-token")] {
            if let value = response.property(namespace, name)?.text.trimmingCharacters(in: .whitespacesAndNewlines),
               !value.isEmpty {
                return value
            }
        }
        return nil
    }

    // MARK: Writing meetings

    /// Writes `meeting` as `<calendarURL>/<uid>.ics` (creating or replacing it) and returns that
    /// object's URL, which ``deleteObject(href:)`` takes.
    package func putMeeting(_ meeting: CalendarMeeting, calendarURL: String) async throws -> String {
        let name = meeting.icalendarUID.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentCharacters)
            ?? meeting.bookingID.uuidString.lowercased()
        let url = Self.directory(calendarURL) + name + ".ics"
        let body = ICalendarMeetingWriter.calendarObject(for: meeting)
        _ = try await send(
            .put, url, headers: [("Content-Type", "text/calendar; charset=utf-8")], body: Array(body.utf8)
        )
        return url
    }

    /// Deletes the object at `href` (a URL, or a path on the server); one that is already gone
    /// (404, 410) counts as deleted.
    package func deleteObject(href: String) async throws {
        do {
            _ = try await send(.delete, resolve(href))
        } catch ProviderError.notFound {
            return
        }
    }

    /// Creates a calendar collection for events at `url` (`MKCALENDAR`, RFC 4791 §5.3.1).
    package func makeCalendar(url: String, displayName: String) async throws {
        let escapedName = Self.xmlEscaped(displayName)
        let body = """
        <?xml version="1.0" encoding="utf-8"?>
        <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
          <D:set><D:prop>
            <D:displayname>\(escapedName)</D:displayname>
            <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
          </D:prop></D:set>
        </C:mkcalendar>
        """
        _ = try await send("MKCALENDAR", Self.directory(url), xml: body)
    }

    // MARK: Discovery steps

    /// The principal URL of the account.
    func currentUserPrincipal() async throws -> String {
        let properties = "<D:prop><D:current-user-principal/></D:prop>"
        for (url, follow) in [(serverURL, false), (resolve("/.well-known/caldav"), true)] {
            do {
                let multistatus = try await propfind(url, depth: 0, properties: properties, followRedirects: follow)
                if let href = multistatus.responses.first?.property(WebDAV.dav, "current-user-principal")?.hrefs.first {
                    return resolve(href, against: url)
                }
            } catch let error as ProviderError {
                // Wrong credentials or an unreachable server will not get better at another URL.
                switch error {
                case .invalidGrant, .unavailable, .rateLimited, .unauthorized: throw error
                case .notFound, .rejected, .cursorExpired: continue
                }
            }
        }
        // A server without RFC 5397: the given URL may itself be the principal or the home.
        return serverURL
    }

    /// The calendar home of `principal`, or the principal itself when it names none.
    func calendarHome(principal: String) async throws -> String {
        let multistatus = try await propfind(principal, depth: 0, properties: "<D:prop><C:calendar-home-set/></D:prop>")
        if let href = multistatus.responses.first?.property(WebDAV.caldav, "calendar-home-set")?.hrefs.first {
            return resolve(href, against: principal)
        }
        return principal
    }

    /// A calendar collection found in a home.
    struct DiscoveredCalendar: Equatable {
        var url: String
        var displayName: String?
    }

    /// The calendars in `home` (Depth 1) that take events.
    func eventCalendars(in home: String) async throws -> [DiscoveredCalendar] {
        let multistatus = try await propfind(home, depth: 1, properties: Self.collectionProperties)
        return multistatus.responses.compactMap { Self.eventCalendar($0, base: home) }
    }

    static let collectionProperties = """
    <D:prop><D:resourcetype/><D:displayname/><C:supported-calendar-component-set/></D:prop>
    """

    /// The calendar `response` describes, if it is a calendar that takes `VEVENT`s (a calendar
    /// that does not say which components it takes is taken to take all).
    static func eventCalendar(_ response: WebDAVMultistatus.Response, base: String) -> DiscoveredCalendar? {
        guard let type = response.property(WebDAV.dav, "resourcetype"),
              type.child(WebDAV.caldav, "calendar") != nil
        else { return nil }
        if let components = response.property(WebDAV.caldav, "supported-calendar-component-set"),
           !components.children.isEmpty,
           !components.children.contains(where: { $0.name == "comp" && $0.attributes["name"]?.uppercased() == "VEVENT" }) {
            return nil
        }
        let name = response.property(WebDAV.dav, "displayname")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return DiscoveredCalendar(url: resolve(response.href, base: base), displayName: name?.isEmpty == false ? name : nil)
    }

    // MARK: HTTP

    private func propfind(_ url: String, depth: Int, properties: String, followRedirects: Bool = false) async throws -> WebDAVMultistatus {
        let body = """
        <?xml version="1.0" encoding="utf-8"?>
        <D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">\(properties)</D:propfind>
        """
        let response = try await send("PROPFIND", url, depth: depth, xml: body, followRedirects: followRedirects)
        guard let multistatus = WebDAVMultistatus(response.body) else {
            throw ProviderError.rejected(status: response.status, detail: "PROPFIND answer is not a multistatus")
        }
        return multistatus
    }

    private func send(
        _ method: HTTPClientRequest.Method, _ url: String, depth: Int? = nil, xml: String, followRedirects: Bool = false
    ) async throws -> HTTPClientResponse {
        var headers: [(String, String)] = [("Content-Type", "application/xml; charset=utf-8")]
        if let depth { headers.append(("Depth", String(depth))) }
        return try await send(method, url, headers: headers, body: Array(xml.utf8), followRedirects: followRedirects)
    }

    /// Sends one request with credentials; a response that is not 2xx throws its ``ProviderError``
    /// (but a 500 is returned when `allowServerError`).
    private func send(
        _ method: HTTPClientRequest.Method, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        followRedirects: Bool = false, allowServerError: Bool = false
    ) async throws -> HTTPClientResponse {
        // The credentials go only to the server the host named: hrefs in its answers (principal,
        // home, calendars) that point elsewhere are refused, never followed (no SSRF, no leak).
        guard Self.sameOrigin(url, serverURL) else {
            throw ProviderError.rejected(status: 0, detail: "the server pointed outside its own origin")
        }
        var fields = HTTPClientHeaders(headers)
        fields.add(name: "Authorization", value: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
        let request = HTTPClientRequest(
            method: method, url: url, headers: fields, body: body, timeout: timeout, followRedirects: followRedirects
        )
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            throw ProviderError.calDAV(error)
        }
        guard response.isSuccess || (allowServerError && response.status == 500) else {
            throw ProviderError.calDAV(status: response.status, headers: response.headers)
        }
        return response
    }

    // MARK: URLs

    /// Whether two URLs share scheme, host and port.
    static func sameOrigin(_ lhs: String, _ rhs: String) -> Bool {
        func origin(_ text: String) -> (String, String, Int)? {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
            return (scheme, host, url.port ?? (scheme == "https" ? 443 : 80))
        }
        guard let a = origin(lhs), let b = origin(rhs) else { return false }
        return a == b
    }

    /// `href` (a path or a URL) as an absolute URL on the server.
    func resolve(_ href: String) -> String {
        resolve(href, against: serverURL)
    }

    private func resolve(_ href: String, against base: String) -> String {
        Self.resolve(href, base: base)
    }

    static func resolve(_ href: String, base: String) -> String {
        URL(string: href, relativeTo: URL(string: base))?.absoluteURL.absoluteString ?? href
    }

    /// `url` with one trailing slash, as a collection's URL is written.
    static func directory(_ url: String) -> String {
        url.hasSuffix("/") ? url : url + "/"
    }

    /// Whether two URLs name the same path (ignoring a trailing slash).
    static func samePath(_ lhs: String, _ rhs: String) -> Bool {
        func path(_ text: String) -> String {
            let path = URL(string: text)?.path ?? text
            return path.hasSuffix("/") ? String(path.dropLast()) : path
        }
        return path(lhs) == path(rhs)
    }

    /// Unreserved characters and `@`, which may stand in a path segment as they are.
    private static let pathSegmentCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@"
    )
}
