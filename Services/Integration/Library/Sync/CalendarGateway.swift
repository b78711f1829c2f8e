import Curl
import Foundation

/// One door to every provider: reads busy time and writes meetings for an integration, with a
/// valid access token (refreshed before expiry, and once more after a 401) or CalDAV credentials.
package struct CalendarGateway: Sendable {
    let settings: IntegrationSettings
    let http: ProviderHTTP
    let curl: CurlHTTPClient
    let vault: CredentialVault
    let tokens: TokenManager

    package init(settings: IntegrationSettings, http: ProviderHTTP, curl: CurlHTTPClient, vault: CredentialVault, tokens: TokenManager) {
        self.settings = settings
        self.http = http
        self.curl = curl
        self.vault = vault
        self.tokens = tokens
    }

    var google: GoogleCalendarClient? { settings.google.map { GoogleCalendarClient(http: http, baseURL: $0.apiURL) } }
    var microsoft: MicrosoftGraphClient? { settings.microsoft.map { MicrosoftGraphClient(http: http, baseURL: $0.apiURL) } }

    func caldav(_ record: IntegrationRecord) throws -> CalDAVClient {
        CalDAVClient(http: curl, serverURL: record.serverURL ?? record.calendarID, username: record.account, password: try vault.open(record.sealedSecret, for: record.id))
    }

    /// Runs `body` with an access token; after a 401 refreshes once and runs it again.
    func withAccessToken<Result: Sendable>(_ record: IntegrationRecord, _ body: (String) async throws -> Result) async throws -> Result {
        let token = try await tokens.accessToken(for: record)
        do {
            return try await body(token)
        } catch ProviderError.unauthorized {
            let fresh = try await tokens.accessToken(for: record, rejected: token)
            return try await body(fresh)
        }
    }

    func notConfigured(_ provider: Provider) -> ProviderError {
        .rejected(status: 0, detail: "\(provider.rawValue) is not configured on this server")
    }

    /// What changed in the calendar since the record's cursor (or everything in the window).
    package func changes(_ record: IntegrationRecord, cursor: String?, window: SyncWindow) async throws -> CalendarChanges {
        switch record.provider {
        case .google:
            guard let google else { throw notConfigured(.google) }
            return try await withAccessToken(record) { token in
                try await google.changes(calendarID: record.calendarID, syncToken: cursor, window: window, hostTimeZone: record.timeZone, accessToken: token)
            }
        case .microsoft:
            guard let microsoft else { throw notConfigured(.microsoft) }
            return try await withAccessToken(record) { token in
                try await microsoft.changes(calendarID: record.calendarID, deltaLink: cursor, window: window, hostTimeZone: record.timeZone, accessToken: token)
            }
        case .caldav:
            // CalDAV has no portable delta: every sync reads the window (the ctag says when nothing changed).
            let client = try caldav(record)
            let tag = try await client.calendarTag(calendarURL: record.calendarID)
            if let tag, tag == cursor {
                return CalendarChanges(kind: .incremental, busy: [], cursor: tag)
            }
            let busy = try await client.busyEvents(calendarURL: record.calendarID, window: window, hostTimeZone: record.timeZone)
            return CalendarChanges(kind: .full, busy: busy, cursor: tag)
        }
    }

    /// Writes the meeting; returns the provider's id for it (CalDAV: the object's href).
    package func insert(_ meeting: CalendarMeeting, into record: IntegrationRecord) async throws -> String {
        switch record.provider {
        case .google:
            guard let google else { throw notConfigured(.google) }
            return try await withAccessToken(record) { try await google.insert(meeting, calendarID: record.calendarID, accessToken: $0) }
        case .microsoft:
            guard let microsoft else { throw notConfigured(.microsoft) }
            return try await withAccessToken(record) { try await microsoft.insert(meeting, calendarID: record.calendarID, accessToken: $0) }
        case .caldav:
            return try await caldav(record).putMeeting(meeting, calendarURL: record.calendarID)
        }
    }

    /// Moves the meeting written as `externalID`; returns its id afterwards (CalDAV writes a new object).
    package func update(_ externalID: String, to meeting: CalendarMeeting, in record: IntegrationRecord) async throws -> String {
        switch record.provider {
        case .google:
            guard let google else { throw notConfigured(.google) }
            try await withAccessToken(record) { try await google.update(eventID: externalID, meeting, calendarID: record.calendarID, accessToken: $0) }
            return externalID
        case .microsoft:
            guard let microsoft else { throw notConfigured(.microsoft) }
            try await withAccessToken(record) { try await microsoft.update(eventID: externalID, meeting, accessToken: $0) }
            return externalID
        case .caldav:
            let client = try caldav(record)
            let href = try await client.putMeeting(meeting, calendarURL: record.calendarID)
            if href != externalID { try await client.deleteObject(href: externalID) }
            return href
        }
    }

    /// Deletes the meeting written as `externalID` (already gone counts as deleted).
    package func delete(_ externalID: String, in record: IntegrationRecord) async throws {
        switch record.provider {
        case .google:
            guard let google else { throw notConfigured(.google) }
            try await withAccessToken(record) { try await google.delete(eventID: externalID, calendarID: record.calendarID, accessToken: $0) }
        case .microsoft:
            guard let microsoft else { throw notConfigured(.microsoft) }
            try await withAccessToken(record) { try await microsoft.delete(eventID: externalID, accessToken: $0) }
        case .caldav:
            do {
                try await caldav(record).deleteObject(href: externalID)
            } catch ProviderError.notFound {
                return
            }
        }
    }
}
