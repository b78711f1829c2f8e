import Foundation

/// One Google calendar's events, sync tokens, page cursors and push channels, as a value type
/// the fake keeps under its lock. Every change bumps a counter; a sync token remembers the
/// counter when it was issued, so an incremental list is "everything changed after it".
struct GoogleCalendarState: Sendable {
    /// An event and when it last changed.
    struct StoredEvent: Sendable {
        var resource: JSONValue
        var timing: FakeEventTiming
        var changedAt: Int
    }

    /// Where a paged list goes on.
    struct PageCursor: Sendable {
        var ids: [String]
        var offset: Int
        var pageSize: Int
        var syncMark: Int
    }

    /// A watch channel (`events.watch`).
    struct Channel: Sendable {
        var id: String
        var resourceID: String
        var resourceURI: String
        var address: String
        var token: String?
        var expiration: Date
        var messageNumber: Int
    }

    /// Why a list request is refused.
    enum ListFailure: Error, Sendable {
        case badRequest(String)
        case syncTokenInvalid
    }

    let calendarID: String
    let timeZone: TimeZone
    /// Overrides `maxResults` when smaller, to exercise paging.
    var forcedPageSize: Int?
    private(set) var events: [String: StoredEvent] = [:]
    private(set) var channels: [String: Channel] = [:]
    private var changeCounter = 0
    private var lastChange: Date
    private var syncTokens: [String: Int] = [:]
    private var pages: [String: PageCursor] = [:]

    init(calendarID: String, timeZone: TimeZone, now: Date) {
        self.calendarID = calendarID
        self.timeZone = timeZone
        lastChange = now
    }

    // MARK: Reading

    /// `events.list`.
    mutating func list(_ request: FakeRequest) throws -> JSONValue {
        var cursor: PageCursor
        if let pageToken = request.query("pageToken") {
            guard let stored = pages.removeValue(forKey: pageToken) else { throw ListFailure.badRequest("Invalid page token value.") }
            cursor = stored
        } else {
            let requested = request.query("maxResults").flatMap(Int.init) ?? 250
            guard requested > 0 else { throw ListFailure.badRequest("Invalid value '\(requested)'. Values must be within the range: [1, 2500]") }
            let pageSize = min(min(requested, 2500), forcedPageSize ?? Int.max)
            if let syncToken = request.query("syncToken") {
                for name in ["timeMin", "timeMax", "updatedMin", "q", "orderBy", "iCalUID"] where request.query(name) != nil {
                    throw ListFailure.badRequest("The parameter \(name) cannot be used together with syncToken.")
                }
                guard let since = syncTokens[syncToken] else { throw ListFailure.syncTokenInvalid }
                let changed = events.values.filter { $0.changedAt > since }.sorted { $0.changedAt < $1.changedAt }
                cursor = PageCursor(ids: changed.map { $0.resource["id"]?.string ?? "" }, offset: 0, pageSize: pageSize, syncMark: changeCounter)
            } else {
                var timeMin: Date?, timeMax: Date?
                if let text = request.query("timeMin") {
                    guard let date = WireTime.parseInstant(text) else { throw ListFailure.badRequest("Bad Request") }
                    timeMin = date
                }
                if let text = request.query("timeMax") {
                    guard let date = WireTime.parseInstant(text) else { throw ListFailure.badRequest("Bad Request") }
                    timeMax = date
                }
                let showDeleted = request.query("showDeleted") == "true"
                let matching = events.values.filter { event in
                    if !showDeleted && event.resource["status"]?.string == "cancelled" { return false }
                    guard let interval = event.timing.interval(in: timeZone) else { return false }
                    if let timeMin, interval.end <= timeMin { return false }
                    if let timeMax, interval.start >= timeMax { return false }
                    return true
                }
                let sorted = matching.sorted {
                    ($0.timing.interval(in: timeZone)?.start ?? .distantPast, $0.changedAt)
                        < ($1.timing.interval(in: timeZone)?.start ?? .distantPast, $1.changedAt)
                }
                cursor = PageCursor(ids: sorted.map { $0.resource["id"]?.string ?? "" }, offset: 0, pageSize: pageSize, syncMark: changeCounter)
            }
        }
        let end = min(cursor.offset + cursor.pageSize, cursor.ids.count)
        let items = cursor.ids[cursor.offset ..< end].compactMap { events[$0].map(Self.listed) }
        var body: JSONValue = [
            "kind": "calendar#events",
            "etag": .string("\"\(WireTime.milliseconds(lastChange))\""),
            "summary": .string(calendarID),
            "description": "",
            "updated": .string(WireTime.rfc3339Milliseconds(lastChange)),
            "timeZone": .string(timeZone.identifier),
            "accessRole": "owner",
            "defaultReminders": [],
            "items": .array(items),
        ]
        if end < cursor.ids.count {
            let token = FakeIdentifiers.random()
            cursor.offset = end
            pages[token] = cursor
            body["nextPageToken"] = .string(token)
        } else {
            let token = "CP" + FakeIdentifiers.random()
            syncTokens[token] = cursor.syncMark
            body["nextSyncToken"] = .string(token)
        }
        return body
    }

    /// A cancelled event in a list carries little more than its id, as Google's do.
    private static func listed(_ event: StoredEvent) -> JSONValue {
        guard event.resource["status"]?.string == "cancelled" else { return event.resource }
        return ["kind": "calendar#event", "etag": event.resource["etag"] ?? "", "id": event.resource["id"] ?? "", "status": "cancelled"]
    }

    /// The resource of event `id`, cancelled ones included.
    func event(_ id: String) -> StoredEvent? { events[id] }

    /// Makes every sync token issued so far fail with 410.
    mutating func invalidateSyncTokens() {
        syncTokens.removeAll()
    }

    // MARK: Changing

    /// Stores a new event built from `resource` (an `events.insert` body); returns it.
    mutating func insert(_ resource: JSONValue, now: Date) throws -> JSONValue {
        var id = resource["id"]?.string ?? FakeIdentifiers.hex()
        if events[id] != nil { id = FakeIdentifiers.hex() }
        var stored = resource
        stored["id"] = .string(id)
        stored["created"] = .string(WireTime.rfc3339Milliseconds(now))
        if stored["iCalUID"] == nil { stored["iCalUID"] = .string("\(id)@google.com") }
        return try store(stored, id: id, now: now)
    }

    /// `events.update` (replace) or, with `merge`, `events.patch`.
    mutating func modify(id: String, with resource: JSONValue, merge: Bool, now: Date) throws -> JSONValue? {
        guard let existing = events[id] else { return nil }
        var updated: JSONValue
        if merge {
            updated = existing.resource
            for (key, value) in resource.object ?? [:] { updated[key] = value }
        } else {
            updated = resource
            for key in ["created", "iCalUID", "creator", "organizer"] { updated[key] = existing.resource[key] }
        }
        updated["id"] = .string(id)
        return try store(updated, id: id, now: now)
    }

    /// Cancels event `id` (kept for incremental sync); `false` when unknown or already cancelled.
    mutating func cancel(id: String, now: Date) -> Bool {
        guard var event = events[id], event.resource["status"]?.string != "cancelled" else { return false }
        event.resource["status"] = "cancelled"
        touch(&event, now: now)
        events[id] = event
        return true
    }

    /// Validates and normalises `resource`, then stores it as changed now.
    private mutating func store(_ resource: JSONValue, id: String, now: Date) throws -> JSONValue {
        var resource = resource
        guard let start = resource["start"], let startTime = Self.time(start) else { throw ListFailure.badRequest("Missing start time.") }
        guard let end = resource["end"], let endTime = Self.time(end) else { throw ListFailure.badRequest("Missing end time.") }
        let timing: FakeEventTiming
        switch (startTime, endTime) {
        case (.instant(let from), .instant(let to)):
            guard from <= to else { throw ListFailure.badRequest("The specified time range is empty.") }
            timing = .timed(start: from, end: to)
            resource["start"] = Self.wire(start, instant: from)
            resource["end"] = Self.wire(end, instant: to)
        case (.day(let from), .day(let to)):
            guard from < to else { throw ListFailure.badRequest("The specified time range is empty.") }
            timing = .allDay(first: from, endExclusive: to)
        default:
            throw ListFailure.badRequest("Invalid start time.")
        }
        resource["kind"] = "calendar#event"
        if resource["status"] == nil { resource["status"] = "confirmed" }
        if resource["transparency"]?.string == "opaque" { resource["transparency"] = nil }
        if resource["created"] == nil { resource["created"] = .string(WireTime.rfc3339Milliseconds(now)) }
        resource["creator"] = ["email": .string(calendarID), "self": true]
        resource["organizer"] = ["email": .string(calendarID), "self": true]
        resource["htmlLink"] = .string("https://www.google.com/calendar/event?eid=\(id)")
        resource["eventType"] = "default"
        if resource["reminders"] == nil { resource["reminders"] = ["useDefault": true] }
        if resource["sequence"] == nil { resource["sequence"] = 0 }
        var event = StoredEvent(resource: resource, timing: timing, changedAt: 0)
        touch(&event, now: now)
        events[id] = event
        return event.resource
    }

    /// Marks `event` changed now: a new etag and `updated`.
    private mutating func touch(_ event: inout StoredEvent, now: Date) {
        changeCounter += 1
        lastChange = now
        event.changedAt = changeCounter
        event.resource["updated"] = .string(WireTime.rfc3339Milliseconds(now))
        event.resource["etag"] = .string("\"\(WireTime.milliseconds(now) * 1000 + Int64(changeCounter % 1000))\"")
    }

    private enum WireStart { case instant(Date), day(String) }

    private static func time(_ value: JSONValue) -> WireStart? {
        if let text = value["dateTime"]?.string, let date = WireTime.parseInstant(text) { return .instant(date) }
        if let day = value["date"]?.string, day.count == 10 { return .day(day) }
        return nil
    }

    /// `{"dateTime": "…Z"}`, keeping a given `timeZone`.
    private static func wire(_ value: JSONValue, instant: Date) -> JSONValue {
        var wire: JSONValue = ["dateTime": .string(WireTime.rfc3339(instant))]
        if let zone = value["timeZone"] { wire["timeZone"] = zone }
        return wire
    }

    // MARK: Channels

    /// Adds a channel.
    mutating func addChannel(_ channel: Channel) {
        channels[channel.id] = channel
    }

    /// Removes channel `id` if `resourceID` matches; `false` when there is no such channel.
    mutating func stopChannel(id: String, resourceID: String) -> Bool {
        guard let channel = channels[id], channel.resourceID == resourceID else { return false }
        channels[id] = nil
        return true
    }

    /// The next message number of channel `id` (the sync message is 1).
    mutating func nextMessageNumber(channel id: String) -> Int? {
        guard var channel = channels[id] else { return nil }
        channel.messageNumber += 1
        channels[id] = channel
        return channel.messageNumber
    }
}
