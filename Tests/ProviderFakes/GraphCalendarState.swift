import Foundation

/// One Outlook calendar's events, delta sync states and subscriptions, as a value type the
/// Microsoft fake keeps under its lock. As in ``GoogleCalendarState``, every change bumps a
/// counter and a delta token remembers the counter (and the window) it was issued at.
struct GraphCalendarState: Sendable {
    /// An event (or the tombstone of a deleted one) and when it last changed.
    struct StoredEvent: Sendable {
        var resource: JSONValue
        var timing: FakeEventTiming
        var changedAt: Int
        var deleted = false
    }

    /// What a delta token or skip token stands for.
    struct SyncState: Sendable {
        var windowStart: Date
        var windowEnd: Date
        var items: [JSONValue]
        var offset: Int
        var pageSize: Int
        var mark: Int
    }

    /// A change notification subscription.
    struct Subscription: Sendable {
        var id: String
        var resource: String
        var changeTypes: [String]
        var clientState: String?
        var notificationURL: String
        var lifecycleNotificationURL: String?
        var expiration: Date
    }

    /// Why a request is refused.
    enum Failure: Error, Sendable {
        case badRequest(code: String, message: String)
        case syncStateNotFound
    }

    let calendarID: String
    let accountEmail: String
    /// Caps every delta page, to exercise paging; `nil` honours `Prefer: odata.maxpagesize`.
    var forcedPageSize: Int?
    private(set) var events: [String: StoredEvent] = [:]
    var subscriptions: [String: Subscription] = [:]
    private var changeCounter = 0
    private var deltaTokens: [String: (start: Date, end: Date, since: Int)] = [:]
    private var skipTokens: [String: SyncState] = [:]
    private var transactions: [String: String] = [:] // transactionId → event id

    init(calendarID: String, accountEmail: String) {
        self.calendarID = calendarID
        self.accountEmail = accountEmail
    }

    // MARK: Delta

    /// `calendarView/delta`; `linkBase` is the absolute URL the next and delta links start with.
    mutating func delta(_ request: FakeRequest, linkBase: String, preferredPageSize: Int?) throws -> JSONValue {
        var state: SyncState
        if let skipToken = request.query("$skiptoken") {
            guard let stored = skipTokens.removeValue(forKey: skipToken) else { throw Failure.syncStateNotFound }
            state = stored
        } else {
            let pageSize = min(preferredPageSize ?? 10, forcedPageSize ?? Int.max)
            if let deltaToken = request.query("$deltatoken") {
                guard let token = deltaTokens[deltaToken] else { throw Failure.syncStateNotFound }
                let changed = events.values.filter { $0.changedAt > token.since }.sorted { $0.changedAt < $1.changedAt }
                let items = changed.map { event -> JSONValue in
                    if event.deleted || !Self.overlaps(event.timing, token.start, token.end) { return Self.removed(event.resource["id"] ?? "") }
                    return event.resource
                }
                state = SyncState(windowStart: token.start, windowEnd: token.end, items: items, offset: 0, pageSize: pageSize, mark: changeCounter)
            } else {
                guard let startText = request.query("startDateTime"), let endText = request.query("endDateTime") else {
                    throw Failure.badRequest(code: "ErrorInvalidParameter", message: "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
                }
                guard let start = Self.parseBound(startText), let end = Self.parseBound(endText) else {
                    throw Failure.badRequest(code: "ErrorInvalidParameter", message: "The value of the parameter 'StartDateTime' or 'EndDateTime' is invalid.")
                }
                let matching = events.values.filter { !$0.deleted && Self.overlaps($0.timing, start, end) }.sorted {
                    (Self.start(of: $0.timing), $0.changedAt) < (Self.start(of: $1.timing), $1.changedAt)
                }
                state = SyncState(windowStart: start, windowEnd: end, items: matching.map(\.resource), offset: 0, pageSize: pageSize, mark: changeCounter)
            }
        }
        let end = min(state.offset + state.pageSize, state.items.count)
        var body: JSONValue = [
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
            "value": .array(Array(state.items[state.offset ..< end])),
        ]
        if end < state.items.count {
            let token = FakeIdentifiers.random(bytes: 32)
            state.offset = end
            skipTokens[token] = state
            body["@odata.nextLink"] = .string(linkBase + "?$skiptoken=" + token)
        } else {
            let token = FakeIdentifiers.random(bytes: 32)
            deltaTokens[token] = (state.windowStart, state.windowEnd, state.mark)
            body["@odata.deltaLink"] = .string(linkBase + "?$deltatoken=" + token)
        }
        return body
    }

    /// Makes every delta and skip token issued so far answer 410 `SyncStateNotFound`.
    mutating func invalidateSyncStates() {
        deltaTokens.removeAll()
        skipTokens.removeAll()
    }

    private static func removed(_ id: JSONValue) -> JSONValue {
        ["@odata.type": "#microsoft.graph.event", "id": id, "@removed": ["reason": "deleted"]]
    }

    /// Graph takes `startDateTime` with an offset, or without one as UTC.
    private static func parseBound(_ text: String) -> Date? {
        WireTime.parseInstant(text) ?? WireTime.parseLocal(text, in: .gmt)
    }

    private static func start(of timing: FakeEventTiming) -> Date {
        timing.interval(in: .gmt)?.start ?? .distantPast
    }

    private static func overlaps(_ timing: FakeEventTiming, _ start: Date, _ end: Date) -> Bool {
        guard let interval = timing.interval(in: .gmt) else { return false }
        return interval.end > start && interval.start < end
    }

    // MARK: Changing

    /// `POST …/events`: stores a new event; returns it and whether it is new (a repeated
    /// `transactionId` returns the event made the first time).
    mutating func create(_ body: JSONValue, now: Date) throws -> (event: JSONValue, isNew: Bool) {
        if let transaction = body["transactionId"]?.string, let id = transactions[transaction], let existing = events[id], !existing.deleted {
            return (existing.resource, false)
        }
        let id = "AAMkAGI2" + FakeIdentifiers.random(bytes: 48)
        var resource = body
        resource["id"] = .string(id)
        resource["createdDateTime"] = .string(WireTime.graphInstant(now))
        resource["iCalUId"] = .string("040000008200E00074C5B7101A82E008" + FakeIdentifiers.hex(bytes: 24).uppercased())
        let stored = try store(resource, id: id, now: now)
        if let transaction = body["transactionId"]?.string { transactions[transaction] = id }
        return (stored, true)
    }

    /// `PATCH …/events/{id}`: merges `body` into event `id`; `nil` when unknown.
    mutating func update(id: String, with body: JSONValue, now: Date) throws -> JSONValue? {
        guard let existing = events[id], !existing.deleted else { return nil }
        var resource = existing.resource
        for (key, value) in body.object ?? [:] where !["id", "createdDateTime", "iCalUId"].contains(key) { resource[key] = value }
        return try store(resource, id: id, now: now)
    }

    /// Deletes event `id` (a tombstone stays for delta); `false` when unknown.
    mutating func delete(id: String) -> Bool {
        guard var event = events[id], !event.deleted else { return false }
        changeCounter += 1
        event.deleted = true
        event.changedAt = changeCounter
        events[id] = event
        return true
    }

    /// The live event `id`.
    func event(_ id: String) -> StoredEvent? {
        events[id].flatMap { $0.deleted ? nil : $0 }
    }

    /// Validates `resource`'s times, writes them back in UTC and fills the server's fields.
    private mutating func store(_ resource: JSONValue, id: String, now: Date) throws -> JSONValue {
        var resource = resource
        let isAllDay = resource["isAllDay"]?.bool ?? false
        guard let start = try Self.instant(resource["start"], field: "Start"), let end = try Self.instant(resource["end"], field: "End") else {
            throw Failure.badRequest(code: "ErrorInvalidRequest", message: "Your request can't be completed. An event must have a start and an end.")
        }
        guard start <= end else {
            throw Failure.badRequest(code: "ErrorInvalidRequest", message: "Your request can't be completed. The end time must be after the start time.")
        }
        let timing: FakeEventTiming
        if isAllDay {
            let startLocal = resource["start"]?["dateTime"]?.string ?? "", endLocal = resource["end"]?["dateTime"]?.string ?? ""
            guard startLocal.dropFirst(10).hasPrefix("T00:00:00"), endLocal.dropFirst(10).hasPrefix("T00:00:00"), start < end else {
                throw Failure.badRequest(code: "ErrorPropertyValidationFailure", message: "At least one property failed validation.")
            }
            timing = .allDay(first: String(startLocal.prefix(10)), endExclusive: String(endLocal.prefix(10)))
            resource["start"] = ["dateTime": .string(String(startLocal.prefix(10)) + "T00:00:00.0000000"), "timeZone": "UTC"]
            resource["end"] = ["dateTime": .string(String(endLocal.prefix(10)) + "T00:00:00.0000000"), "timeZone": "UTC"]
        } else {
            timing = .timed(start: start, end: end)
            resource["start"] = ["dateTime": .string(WireTime.graphDateTime(start)), "timeZone": "UTC"]
            resource["end"] = ["dateTime": .string(WireTime.graphDateTime(end)), "timeZone": "UTC"]
        }
        if resource["originalStartTimeZone"] == nil { resource["originalStartTimeZone"] = resource["start"]?["timeZone"] ?? "UTC" }
        if resource["originalEndTimeZone"] == nil { resource["originalEndTimeZone"] = "UTC" }
        resource["isAllDay"] = .bool(isAllDay)
        resource["isCancelled"] = false
        resource["isOrganizer"] = true
        resource["type"] = "singleInstance"
        if resource["showAs"] == nil { resource["showAs"] = "busy" }
        if resource["subject"] == nil { resource["subject"] = "" }
        if resource["body"] == nil { resource["body"] = ["contentType": "html", "content": ""] }
        resource["bodyPreview"] = .string(String((resource["body"]?["content"]?.string ?? "").prefix(255)))
        if resource["attendees"] == nil { resource["attendees"] = [] }
        resource["organizer"] = ["emailAddress": ["name": .string(accountEmail), "address": .string(accountEmail)]]
        resource["importance"] = resource["importance"] ?? "normal"
        resource["sensitivity"] = resource["sensitivity"] ?? "normal"
        resource["seriesMasterId"] = nil
        resource["webLink"] = .string("https://outlook.office365.com/owa/?itemid=\(id)&exvsurl=1&path=/calendar/item")
        changeCounter += 1
        let changeKey = FakeIdentifiers.random(bytes: 18)
        resource["changeKey"] = .string(changeKey)
        resource["@odata.etag"] = .string("W/\"\(changeKey)\"")
        resource["lastModifiedDateTime"] = .string(WireTime.graphInstant(now))
        events[id] = StoredEvent(resource: resource, timing: timing, changedAt: changeCounter)
        return resource
    }

    /// A `dateTimeTimeZone` as an instant; `nil` when absent.
    private static func instant(_ value: JSONValue?, field: String) throws -> Date? {
        guard let value, let text = value["dateTime"]?.string else { return nil }
        let zoneName = value["timeZone"]?.string ?? "UTC"
        guard let zone = zoneName == "UTC" ? TimeZone.gmt : TimeZone(identifier: zoneName) else {
            throw Failure.badRequest(code: "TimeZoneNotSupportedException", message: "A valid TimeZone value must be specified. The following TimeZone value is not supported: '\(zoneName)'.")
        }
        guard let date = WireTime.parseLocal(text, in: zone) else {
            throw Failure.badRequest(code: "UnableToDeserializePostBody", message: "were unable to deserialize \(field)")
        }
        return date
    }
}
