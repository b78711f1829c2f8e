import Foundation

/// One busy block read from a host's external calendar.
///
/// `externalID` is the provider's id of the event (for one occurrence of a recurring event, the
/// id of that occurrence), so an incremental sync can replace or remove exactly that block.
package struct ExternalBusyEvent: Sendable, Equatable {
    package var externalID: String
    package var start: Date
    package var end: Date

    package init(externalID: String, start: Date, end: Date) {
        self.externalID = externalID
        self.start = start
        self.end = end
    }
}

/// What one sync of a calendar read.
package struct CalendarChanges: Sendable, Equatable {
    /// `full`: `busy` is every busy block in the window and replaces what is stored.
    /// `incremental`: `busy` are blocks added or changed since the cursor, `removedIDs` the
    /// events that went away or stopped being busy (cancelled, made free).
    package enum Kind: Sendable, Equatable {
        case full
        case incremental
    }

    package var kind: Kind
    package var busy: [ExternalBusyEvent]
    package var removedIDs: [String]
    /// Where the next incremental sync starts (Google `nextSyncToken`, Graph `@odata.deltaLink`);
    /// nil when the provider has none (CalDAV: every sync is full).
    package var cursor: String?

    package init(kind: Kind, busy: [ExternalBusyEvent], removedIDs: [String] = [], cursor: String?) {
        self.kind = kind
        self.busy = busy
        self.removedIDs = removedIDs
        self.cursor = cursor
    }
}

/// The sync window: from the start of today (UTC) to `days` ahead.
package struct SyncWindow: Sendable, Equatable {
    package var start: Date
    package var end: Date

    package init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// The window the service keeps in sync: the past day (meetings running now) to 90 days ahead.
    package static func standard(now: Date = Date(), days: Int = 90) -> SyncWindow {
        SyncWindow(start: now.addingTimeInterval(-86_400), end: now.addingTimeInterval(Double(days) * 86_400))
    }
}

/// A provider call that did not succeed, sorted by what the caller should do about it.
package enum ProviderError: Error, Equatable, CustomStringConvertible {
    /// The access token was refused (401): refresh it once and try again.
    case unauthorized
    /// The refresh token or grant is revoked or expired (`invalid_grant`): the host must connect again.
    case invalidGrant(String)
    /// Rate limited (429, or 403 with a rate-limit reason): back off, at least `retryAfter` when given.
    case rateLimited(retryAfter: Duration?)
    /// The sync cursor is no longer valid (410 Gone): sync the whole window again.
    case cursorExpired
    /// The object does not exist (404, or 410 on a delete): treat a delete as done.
    case notFound
    /// The provider is down or unreachable (5xx, timeout, connection refused): keep the last data, retry later.
    case unavailable(String)
    /// Anything else the provider said no to; not retried automatically.
    case rejected(status: Int, detail: String)

    package var description: String {
        switch self {
        case .unauthorized: "provider refused the access token (401)"
        case let .invalidGrant(detail): "grant revoked or expired: \(detail)"
        case let .rateLimited(retryAfter): "rate limited" + (retryAfter.map { " (retry after \($0))" } ?? "")
        case .cursorExpired: "sync cursor expired (410)"
        case .notFound: "not found"
        case let .unavailable(detail): "provider unavailable: \(detail)"
        case let .rejected(status, detail): "provider rejected the request (\(status)): \(detail)"
        }
    }

    /// Whether a later attempt may succeed without anyone doing anything.
    package var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .unauthorized: true
        case .invalidGrant, .cursorExpired, .notFound, .rejected: false
        }
    }
}

/// The meeting the service writes into a host's calendar for a booking.
package struct CalendarMeeting: Sendable, Equatable {
    /// The booking's id; also the stable iCalendar UID (`<booking id>@rendezvous`).
    package var bookingID: UUID
    package var title: String
    package var description: String
    package var start: Date
    package var end: Date
    package var inviteeName: String
    package var inviteeEmail: String
    /// Rises with every reschedule (iCalendar SEQUENCE).
    package var sequence: Int

    package init(
        bookingID: UUID, title: String, description: String, start: Date, end: Date,
        inviteeName: String, inviteeEmail: String, sequence: Int = 0
    ) {
        self.bookingID = bookingID
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.inviteeName = inviteeName
        self.inviteeEmail = inviteeEmail
        self.sequence = sequence
    }

    package var icalendarUID: String { "\(bookingID.uuidString.lowercased())@rendezvous" }
}

/// Collects one sync's pages: an event that appears more than once (Graph delta may report an
/// item as updated and then removed) counts by its last appearance, so no id is both busy and
/// removed, and none is upserted twice in one statement.
struct ChangeAccumulator {
    private var busyByID: [String: ExternalBusyEvent] = [:]
    private var order: [String] = []
    private var removed: Set<String> = []

    mutating func busy(_ event: ExternalBusyEvent) {
        if busyByID[event.externalID] == nil { order.append(event.externalID) }
        busyByID[event.externalID] = event
        removed.remove(event.externalID)
    }

    mutating func removed(_ id: String) {
        busyByID[id] = nil
        removed.insert(id)
    }

    func changes(kind: CalendarChanges.Kind, cursor: String?) -> CalendarChanges {
        CalendarChanges(kind: kind, busy: order.compactMap { busyByID[$0] }, removedIDs: removed.sorted(), cursor: cursor)
    }
}
