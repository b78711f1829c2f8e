import Cryptography
import Curl
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ProviderFakes
import ServiceLifecycle
import Testing
import TestSupport

/// Walks both provider fakes over HTTP with `CurlHTTPClient`, as the integration service will.
@Suite struct ProviderFakesTests {
    let client = CurlHTTPClient()

    // MARK: Google

    @Test func googleAuthorizationCodeWithPKCERefreshAndRevoke() async throws {
        let google = try await FakeGoogle.start()
        defer { Task { await google.shutdown(); try? await client.shutdown() } }

        // Refused before any redirect: unknown client, missing challenge, plain challenge method.
        for query in [
            "client_id=nobody&redirect_uri=http%3A%2F%2Fapp%2Fcb&response_type=code&code_challenge=x&code_challenge_method=S256",
            "client_id=\(google.clientID)&redirect_uri=http%3A%2F%2Fapp%2Fcb&response_type=code",
            "client_id=\(google.clientID)&redirect_uri=http%3A%2F%2Fapp%2Fcb&response_type=code&code_challenge=x&code_challenge_method=plain",
            "client_id=\(google.clientID)&redirect_uri=http%3A%2F%2Fapp%2Fcb&response_type=token&code_challenge=x&code_challenge_method=S256",
        ] {
            let response = try await client.execute(HTTPClientRequest(url: google.authorizeURL + "?" + query))
            #expect(response.status == 400)
        }

        // A wrong verifier fails (and spends the code, as Google does).
        let first = try await authorize(google.authorizeURL, clientID: google.clientID, redirectURI: "http://app.test/cb?from=google")
        #expect(first.location.hasPrefix("http://app.test/cb?from=google&code="))
        #expect(first.items["state"] == first.state)
        let wrong = try await client.execute(.form(url: google.tokenURL, fields: [
            ("grant_type", "authorization_code"), ("code", first.items["code"] ?? ""), ("client_id", google.clientID),
            ("client_secret", google.clientSecret), ("redirect_uri", "http://app.test/cb?from=google"), ("code_verifier", "not-the-verifier-at-all-but-long-enough-43chars"),
        ]))
        #expect(wrong.status == 400)
        #expect(try wrong.decode(TokenError.self).error == "invalid_grant")

        let grant = try await authorize(google.authorizeURL, clientID: google.clientID, redirectURI: "http://app.test/cb")
        let exchange: HTTPClientRequest = .form(url: google.tokenURL, fields: [
            ("grant_type", "authorization_code"), ("code", grant.items["code"] ?? ""), ("client_id", google.clientID),
            ("client_secret", google.clientSecret), ("redirect_uri", "http://app.test/cb"), ("code_verifier", grant.verifier),
        ])
        let tokens = try await client.execute(exchange)
        #expect(tokens.status == 200)
        let body = try tokens.decode(TokenResponse.self)
        #expect(body.token_type == "Bearer")
        #expect(body.expires_in == 3599)
        #expect(body.scope == "https://www.googleapis.com/auth/calendar.events")
        let refreshToken = try #require(body.refresh_token)

        let reused = try await client.execute(exchange)
        #expect(reused.status == 400)
        #expect(try reused.decode(TokenError.self).error == "invalid_grant")

        let refreshed = try await client.execute(.form(url: google.tokenURL, fields: [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", google.clientID), ("client_secret", google.clientSecret),
        ]))
        #expect(refreshed.status == 200)
        let refreshedBody = try refreshed.decode(TokenResponse.self)
        #expect(refreshedBody.refresh_token == nil)
        #expect(refreshedBody.access_token != body.access_token)
        #expect(google.refreshCount == 1)

        let badSecret = try await client.execute(.form(url: google.tokenURL, fields: [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", google.clientID), ("client_secret", "wrong"),
        ]))
        #expect(badSecret.status == 401)
        #expect(try badSecret.decode(TokenError.self) == TokenError(error: "invalid_client", error_description: "Unauthorized"))

        google.revokeRefreshTokens()
        let revoked = try await client.execute(.form(url: google.tokenURL, fields: [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", google.clientID), ("client_secret", google.clientSecret),
        ]))
        #expect(revoked.status == 400)
        #expect(try revoked.decode(TokenError.self) == TokenError(error: "invalid_grant", error_description: "Token has been expired or revoked."))

        google.userDeniesConsent = true
        let denied = try await authorize(google.authorizeURL, clientID: google.clientID, redirectURI: "http://app.test/cb")
        #expect(denied.items["error"] == "access_denied")
        #expect(denied.items["code"] == nil)
    }

    @Test func googleEventsListPagesSyncsIncrementallyAndRequiresFullSyncAfterInvalidation() async throws {
        let google = try await FakeGoogle.start()
        defer { Task { await google.shutdown(); try? await client.shutdown() } }
        let token = try await googleAccessToken(google)
        let day = try #require(ISO8601DateFormatter().date(from: "2026-03-10T09:00:00Z"))
        var ids: [String] = []
        for hour in 0 ..< 4 {
            ids.append(try await google.addEvent(.timed(start: day.addingTimeInterval(Double(hour) * 3600), end: day.addingTimeInterval(Double(hour) * 3600 + 1800)), title: "Meeting \(hour)"))
        }
        ids.append(try await google.addEvent(.allDay(first: "2026-03-11", endExclusive: "2026-03-12"), title: "Holiday", busy: false))
        try await google.addEvent(.timed(start: day.addingTimeInterval(-30 * 86400), end: day.addingTimeInterval(-30 * 86400 + 3600)), title: "Out of window")
        google.pageSize = 2

        let events = google.calendarAPIURL + "/calendars/primary/events"
        var url = events + "?singleEvents=true&timeMin=2026-03-09T00:00:00Z&timeMax=2026-03-16T00:00:00Z"
        var seen: [GoogleEvent] = []
        var pages = 0
        var syncToken: String?
        while true {
            let response = try await client.execute(HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(token)"]))
            #expect(response.status == 200)
            let page = try response.decode(GoogleEventList.self)
            #expect(page.kind == "calendar#events")
            #expect(page.accessRole == "owner")
            pages += 1
            seen += page.items
            if let next = page.nextPageToken {
                #expect(page.nextSyncToken == nil)
                url = events + "?singleEvents=true&timeMin=2026-03-09T00:00:00Z&timeMax=2026-03-16T00:00:00Z&pageToken=\(next)"
            } else {
                syncToken = page.nextSyncToken
                break
            }
        }
        #expect(pages == 3)
        #expect(seen.map(\.id) == ids)
        #expect(seen.last?.start.date == "2026-03-11")
        #expect(seen.last?.transparency == "transparent")
        #expect(seen.first?.start.dateTime == "2026-03-10T09:00:00Z")
        let sync = try #require(syncToken)

        try await google.deleteEvent(id: ids[1])
        try await google.updateEvent(id: ids[2], title: "Renamed")
        let incremental = try await client.execute(HTTPClientRequest(url: events + "?syncToken=\(sync)", headers: ["Authorization": "Bearer \(token)"]))
        #expect(incremental.status == 200)
        let changes = try incremental.decode(GoogleEventList.self)
        #expect(changes.items.map(\.id) == [ids[1], ids[2]])
        #expect(changes.items.first?.status == "cancelled")
        #expect(changes.items.last?.summary == "Renamed")
        let nextSync = try #require(changes.nextSyncToken)

        let mixed = try await client.execute(HTTPClientRequest(url: events + "?syncToken=\(nextSync)&timeMin=2026-03-09T00:00:00Z", headers: ["Authorization": "Bearer \(token)"]))
        #expect(mixed.status == 400)

        google.invalidateSyncTokens()
        let gone = try await client.execute(HTTPClientRequest(url: events + "?syncToken=\(nextSync)", headers: ["Authorization": "Bearer \(token)"]))
        #expect(gone.status == 410)
        let error = try gone.decode(GoogleErrorBody.self).error
        #expect(error.code == 410)
        #expect(error.status == "GONE")
        #expect(error.errors.first?.reason == "fullSyncRequired")
        #expect(error.errors.first?.domain == "calendar")

        google.expireAccessTokens()
        let expired = try await client.execute(HTTPClientRequest(url: events, headers: ["Authorization": "Bearer \(token)"]))
        #expect(expired.status == 401)
        let unauthenticated = try expired.decode(GoogleErrorBody.self).error
        #expect(unauthenticated.status == "UNAUTHENTICATED")
        #expect(unauthenticated.errors.first?.reason == "authError")
    }

    @Test func googleInsertAndDeleteThroughTheAPI() async throws {
        let google = try await FakeGoogle.start()
        defer { Task { await google.shutdown(); try? await client.shutdown() } }
        let token = try await googleAccessToken(google)
        let events = google.calendarAPIURL + "/calendars/primary/events"
        let inserted = try await client.execute(.json(url: events, body: [
            "summary": "Intro call", "description": "Booked via Rendezvous",
            "start": ["dateTime": "2026-03-10T15:00:00+01:00"], "end": ["dateTime": "2026-03-10T15:30:00+01:00"],
            "attendees": [["email": "guest@example.org"]],
        ] as JSONValue, headers: ["Authorization": "Bearer \(token)"]))
        #expect(inserted.status == 200)
        let event = try inserted.decode(GoogleEvent.self)
        #expect(event.start.dateTime == "2026-03-10T14:00:00Z")
        let stored = try #require(google.events().first)
        #expect(stored.title == "Intro call")
        #expect(stored.attendees == ["guest@example.org"])
        #expect(stored.description == "Booked via Rendezvous")

        let delete = HTTPClientRequest(method: .delete, url: events + "/" + event.id, headers: ["Authorization": "Bearer \(token)"])
        #expect(try await client.execute(delete).status == 204)
        #expect(try await client.execute(delete).status == 410)
        #expect(try await client.execute(HTTPClientRequest(method: .delete, url: events + "/nosuchevent", headers: ["Authorization": "Bearer \(token)"])).status == 404)
        #expect(google.events().isEmpty)
    }

    @Test func googleWatchSendsSyncThenExistsPushes() async throws {
        let google = try await FakeGoogle.start()
        defer { Task { await google.shutdown(); try? await client.shutdown() } }
        let token = try await googleAccessToken(google)
        try await withReceiver { receiver in
            let watch = try await client.execute(.json(url: google.calendarAPIURL + "/calendars/primary/events/watch", body: [
                "id": "channel-1", "type": "web_hook", "address": .string(receiver.url + "/push"), "token": "secret-token",
            ] as JSONValue, headers: ["Authorization": "Bearer \(token)"]))
            #expect(watch.status == 200)
            let channel = try watch.decode(GoogleChannelBody.self)
            #expect(channel.kind == "api#channel")
            #expect(channel.token == "secret-token")
            let expiration = try #require(Int64(channel.expiration))
            #expect(abs(Double(expiration) / 1000 - Date().addingTimeInterval(7 * 86400).timeIntervalSince1970) < 60)
            await google.waitForPushes()

            try await google.addEvent(.timed(start: Date(), end: Date().addingTimeInterval(600)))
            google.pushesEnabled = false
            try await google.addEvent(.timed(start: Date(), end: Date().addingTimeInterval(600)))

            let received = receiver.received
            #expect(received.count == 2)
            #expect(received.first?.header("X-Goog-Resource-State") == "sync")
            #expect(received.first?.header("X-Goog-Message-Number") == "1")
            #expect(received.first?.header("X-Goog-Channel-Token") == "secret-token")
            #expect(received.first?.header("X-Goog-Resource-ID") == channel.resourceId)
            #expect(received.last?.header("X-Goog-Resource-State") == "exists")
            #expect(received.last?.header("X-Goog-Message-Number") == "2")
            #expect(received.last?.header("X-Goog-Channel-Expiration")?.hasSuffix(" GMT") == true)
            #expect(google.pushes.map(\.status) == [200, 200])

            let stop = try HTTPClientRequest.json(url: google.calendarAPIURL + "/channels/stop", body: ["id": "channel-1", "resourceId": .string(channel.resourceId)] as JSONValue, headers: ["Authorization": "Bearer \(token)"])
            #expect(try await client.execute(stop).status == 204)
            #expect(try await client.execute(stop).status == 404)
            #expect(google.channels.isEmpty)
        }
    }

    @Test func googleRateLimitCarriesRetryAfter() async throws {
        let google = try await FakeGoogle.start()
        defer { Task { await google.shutdown(); try? await client.shutdown() } }
        let token = try await googleAccessToken(google)
        google.failNextRequests(count: 1, status: 429, retryAfter: 7)
        let request = HTTPClientRequest(url: google.calendarAPIURL + "/calendars/primary", headers: ["Authorization": "Bearer \(token)"])
        let limited = try await client.execute(request)
        #expect(limited.status == 429)
        #expect(limited.headers.first(name: "Retry-After") == "7")
        let error = try limited.decode(GoogleErrorBody.self).error
        #expect(error.status == "RESOURCE_EXHAUSTED")
        #expect(error.errors.first?.reason == "rateLimitExceeded")
        let calendar = try await client.execute(request)
        #expect(calendar.status == 200)
        #expect(try calendar.decode(JSONValue.self)["id"]?.string == "host@example.com")
        #expect(google.requests.filter { $0.path == "/calendar/v3/calendars/primary" }.count == 2)
    }

    // MARK: Microsoft

    @Test func microsoftAuthorizationCodeRotatesRefreshTokens() async throws {
        let microsoft = try await FakeMicrosoft.start()
        defer { Task { await microsoft.shutdown(); try? await client.shutdown() } }
        let grant = try await authorize(microsoft.authorizeURL, clientID: microsoft.clientID, redirectURI: "http://app.test/ms", extra: "&response_mode=query")
        #expect(grant.items["session_state"] != nil)
        let wrong = try await client.execute(.form(url: microsoft.tokenURL, fields: [
            ("grant_type", "authorization_code"), ("code", grant.items["code"] ?? ""), ("client_id", microsoft.clientID), ("client_secret", microsoft.clientSecret),
            ("redirect_uri", "http://app.test/ms"), ("code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier"), ("scope", "offline_access Calendars.ReadWrite"),
        ]))
        #expect(wrong.status == 400)
        #expect(try wrong.decode(TokenError.self).error == "invalid_grant")

        let body = try await microsoftTokens(microsoft)
        let firstRefresh = try #require(body.refresh_token)
        #expect(body.ext_expires_in == 3599)
        let refreshed = try await client.execute(.form(url: microsoft.tokenURL, fields: [
            ("grant_type", "refresh_token"), ("refresh_token", firstRefresh), ("client_id", microsoft.clientID),
            ("client_secret", microsoft.clientSecret), ("scope", "offline_access Calendars.ReadWrite"),
        ]))
        #expect(refreshed.status == 200)
        let rotated = try #require(try refreshed.decode(TokenResponse.self).refresh_token)
        #expect(rotated != firstRefresh)

        microsoft.revokeRefreshTokens()
        let revoked = try await client.execute(.form(url: microsoft.tokenURL, fields: [
            ("grant_type", "refresh_token"), ("refresh_token", rotated), ("client_id", microsoft.clientID), ("client_secret", microsoft.clientSecret),
        ]))
        #expect(revoked.status == 400)
        let error = try revoked.decode(JSONValue.self)
        #expect(error["error"]?.string == "invalid_grant")
        #expect(error["error_codes"] == [70000])
        #expect(error["error_description"]?.string?.hasPrefix("AADSTS70000: The provided grant has expired due to it being revoked") == true)
    }

    @Test func graphDeltaPagesThenReportsRemovalsAndSyncStateLoss() async throws {
        let microsoft = try await FakeMicrosoft.start()
        defer { Task { await microsoft.shutdown(); try? await client.shutdown() } }
        let token = try await microsoftTokens(microsoft).access_token
        let day = try #require(ISO8601DateFormatter().date(from: "2026-03-10T09:00:00Z"))
        var ids: [String] = []
        for hour in 0 ..< 3 {
            ids.append(try await microsoft.addEvent(.timed(start: day.addingTimeInterval(Double(hour) * 3600), end: day.addingTimeInterval(Double(hour) * 3600 + 1800)), title: "Call \(hour)", tentative: hour == 1))
        }
        let headers: HTTPClientHeaders = ["Authorization": "Bearer \(token)", "Prefer": "odata.maxpagesize=2", "Prefer": "outlook.timezone=\"UTC\""]
        var url = microsoft.graphURL + "/me/calendarView/delta?startDateTime=2026-03-09T00:00:00Z&endDateTime=2026-03-16T00:00:00Z"
        var values: [JSONValue] = []
        var pages = 0
        var deltaLink: String?
        while deltaLink == nil {
            let response = try await client.execute(HTTPClientRequest(url: url, headers: headers))
            #expect(response.status == 200)
            let page = try response.decode(JSONValue.self)
            pages += 1
            values += page["value"]?.array ?? []
            if let next = page["@odata.nextLink"]?.string {
                #expect(next.hasPrefix(microsoft.graphURL + "/me/calendarView/delta?$skiptoken="))
                url = next
            } else {
                deltaLink = page["@odata.deltaLink"]?.string
            }
        }
        #expect(pages == 2)
        #expect(values.compactMap { $0["id"]?.string } == ids)
        #expect(values.first?["start"] == ["dateTime": "2026-03-10T09:00:00.0000000", "timeZone": "UTC"])
        #expect(values[1]["showAs"]?.string == "tentative")
        #expect(values.first?["type"]?.string == "singleInstance")
        let link = try #require(deltaLink)
        #expect(link.hasPrefix(microsoft.graphURL + "/me/calendarView/delta?$deltatoken="))

        try await microsoft.deleteEvent(id: ids[0])
        let changes = try await client.execute(HTTPClientRequest(url: link, headers: headers)).decode(JSONValue.self)
        #expect(changes["value"] == [["@odata.type": "#microsoft.graph.event", "id": .string(ids[0]), "@removed": ["reason": "deleted"]]])
        let nextLink = try #require(changes["@odata.deltaLink"]?.string)

        microsoft.invalidateSyncTokens()
        let gone = try await client.execute(HTTPClientRequest(url: nextLink, headers: headers))
        #expect(gone.status == 410)
        #expect(try gone.decode(JSONValue.self)["error"]?["code"]?.string == "SyncStateNotFound")

        microsoft.failNextRequests(count: 1, status: 429, retryAfter: 3)
        let limited = try await client.execute(HTTPClientRequest(url: microsoft.graphURL + "/me/calendar", headers: headers))
        #expect(limited.status == 429)
        #expect(limited.headers.first(name: "Retry-After") == "3")
        #expect(try limited.decode(JSONValue.self)["error"]?["code"]?.string == "TooManyRequests")
        let calendar = try await client.execute(HTTPClientRequest(url: microsoft.graphURL + "/me/calendar", headers: headers))
        #expect(try calendar.decode(JSONValue.self)["owner"]?["address"]?.string == "host@example.com")

        microsoft.expireAccessTokens()
        let expired = try await client.execute(HTTPClientRequest(url: microsoft.graphURL + "/me/calendar", headers: headers))
        #expect(expired.status == 401)
        #expect(try expired.decode(JSONValue.self)["error"]?["code"]?.string == "InvalidAuthenticationToken")
    }

    @Test func graphSubscriptionNeedsTheValidationEchoThenNotifies() async throws {
        let microsoft = try await FakeMicrosoft.start()
        defer { Task { await microsoft.shutdown(); try? await client.shutdown() } }
        let token = try await microsoftTokens(microsoft).access_token
        try await withReceiver { receiver in
            let expiration = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2 * 86400))
            func subscribe(_ path: String) async throws -> HTTPClientResponse {
                try await client.execute(.json(url: microsoft.graphURL + "/subscriptions", body: [
                    "changeType": "created,updated,deleted", "notificationUrl": .string(receiver.url + path),
                    "lifecycleNotificationUrl": .string(receiver.url + path), "resource": "me/events",
                    "expirationDateTime": .string(expiration), "clientState": "client-secret-state",
                ] as JSONValue, headers: ["Authorization": "Bearer \(token)"]))
            }
            let refused = try await subscribe("/silent")
            #expect(refused.status == 400)
            #expect(try refused.decode(JSONValue.self)["error"]?["message"]?.string == "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.")

            let created = try await subscribe("/push")
            #expect(created.status == 201)
            let subscription = try created.decode(JSONValue.self)
            let subscriptionID = try #require(subscription["id"]?.string)
            #expect(subscription["clientState"]?.string == "client-secret-state")
            #expect(microsoft.subscriptions.map(\.id) == [subscriptionID])

            let eventID = try await microsoft.addEvent(.allDay(first: "2026-03-10", endExclusive: "2026-03-11"), title: "Offsite")
            let notification = try #require(receiver.received.last?.json?["value"]?.array?.first)
            #expect(notification["subscriptionId"]?.string == subscriptionID)
            #expect(notification["changeType"]?.string == "created")
            #expect(notification["clientState"]?.string == "client-secret-state")
            #expect(notification["resource"]?.string == "Users/\(microsoft.userID)/Events/\(eventID)")
            #expect(notification["resourceData"]?["id"]?.string == eventID)
            #expect(microsoft.notifications.last?.status == 202)
            #expect(microsoft.events().first?.timing == .allDay(first: "2026-03-10", endExclusive: "2026-03-11"))

            let lifecycle = try #require(await microsoft.sendLifecycle(subscriptionID: subscriptionID, event: "reauthorizationRequired"))
            #expect(lifecycle.status == 202)
            #expect(receiver.received.last?.json?["value"]?.array?.first?["lifecycleEvent"]?.string == "reauthorizationRequired")

            let delete = HTTPClientRequest(method: .delete, url: microsoft.graphURL + "/subscriptions/" + subscriptionID, headers: ["Authorization": "Bearer \(token)"])
            #expect(try await client.execute(delete).status == 204)
            #expect(try await client.execute(delete).status == 404)
        }
    }

    // MARK: Client side of the flows

    struct Authorization {
        var location: String
        var items: [String: String]
        var verifier: String
        var state: String
    }

    /// Follows the consent redirect the way a browser would hand it to the service.
    func authorize(_ authorizeURL: String, clientID: String, redirectURI: String, extra: String = "") async throws -> Authorization {
        let verifier = Base64URL.encode(try SecureRandom.bytes(count: 32))
        let challenge = Base64URL.encode(SHA256.hash(Array(verifier.utf8)))
        let state = Base64URL.encode(try SecureRandom.bytes(count: 12))
        let query = FormURLEncoder.encode([
            ("client_id", clientID), ("redirect_uri", redirectURI), ("response_type", "code"),
            ("scope", "https://www.googleapis.com/auth/calendar.events"), ("state", state),
            ("code_challenge", challenge), ("code_challenge_method", "S256"), ("access_type", "offline"), ("prompt", "consent"),
        ])
        let response = try await client.execute(HTTPClientRequest(url: authorizeURL + "?" + query + extra))
        #expect(response.status == 302)
        let location = try #require(response.headers.first(name: "Location"))
        let components = try #require(URLComponents(string: location))
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] { items[item.name] = item.value }
        return Authorization(location: location, items: items, verifier: verifier, state: state)
    }

    func googleAccessToken(_ google: FakeGoogle) async throws -> String {
        let grant = try await authorize(google.authorizeURL, clientID: google.clientID, redirectURI: "http://app.test/cb")
        let response = try await client.execute(.form(url: google.tokenURL, fields: [
            ("grant_type", "authorization_code"), ("code", grant.items["code"] ?? ""), ("client_id", google.clientID),
            ("client_secret", google.clientSecret), ("redirect_uri", "http://app.test/cb"), ("code_verifier", grant.verifier),
        ]))
        return try response.decode(TokenResponse.self).access_token
    }

    func microsoftTokens(_ microsoft: FakeMicrosoft) async throws -> TokenResponse {
        let grant = try await authorize(microsoft.authorizeURL, clientID: microsoft.clientID, redirectURI: "http://app.test/ms", extra: "&response_mode=query")
        let response = try await client.execute(.form(url: microsoft.tokenURL, fields: [
            ("grant_type", "authorization_code"), ("code", grant.items["code"] ?? ""), ("client_id", microsoft.clientID), ("client_secret", microsoft.clientSecret),
            ("redirect_uri", "http://app.test/ms"), ("code_verifier", grant.verifier), ("scope", "offline_access Calendars.ReadWrite"),
        ]))
        #expect(response.status == 200)
        return try response.decode(TokenResponse.self)
    }
}

// MARK: Wire shapes the tests read

struct TokenResponse: Decodable {
    var access_token: String
    var expires_in: Int
    var ext_expires_in: Int?
    var refresh_token: String?
    var scope: String
    var token_type: String
}

struct TokenError: Decodable, Equatable {
    var error: String
    var error_description: String?
}

struct GoogleEventList: Decodable {
    var kind: String
    var accessRole: String
    var items: [GoogleEvent]
    var nextPageToken: String?
    var nextSyncToken: String?
}

struct GoogleEvent: Decodable {
    struct Time: Decodable {
        var dateTime: String?
        var date: String?
    }

    var id: String
    var status: String
    var summary: String?
    var transparency: String?
    var start: Time
    var end: Time

    enum CodingKeys: CodingKey { case id, status, summary, transparency, start, end }

    init(from decoder: any Decoder) throws {
        // Cancelled events in an incremental list carry no times.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(String.self, forKey: .status)
        summary = try container.decodeIfPresent(String.self, forKey: .summary)
        transparency = try container.decodeIfPresent(String.self, forKey: .transparency)
        start = try container.decodeIfPresent(Time.self, forKey: .start) ?? Time()
        end = try container.decodeIfPresent(Time.self, forKey: .end) ?? Time()
    }
}

struct GoogleErrorBody: Decodable {
    struct Item: Decodable {
        var domain: String
        var reason: String
    }

    struct Detail: Decodable {
        var code: Int
        var message: String
        var errors: [Item]
        var status: String?
    }

    var error: Detail
}

struct GoogleChannelBody: Decodable {
    var kind: String
    var id: String
    var resourceId: String
    var token: String?
    var expiration: String
}

// MARK: A receiver for pushes and notifications

/// A request the receiver got.
struct ReceivedPush: Sendable {
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var json: JSONValue? { JSONValue.parse(body) }
}

/// Where the receiver listens and what it got.
struct Receiver: Sendable {
    var url: String
    let log: NIOLockedValueBox<[ReceivedPush]>
    var received: [ReceivedPush] { log.withLockedValue { $0 } }
}

/// A Hummingbird server on `127.0.0.1` for the duration of `body`: `POST /push` echoes a Graph
/// `validationToken` as Graph requires and otherwise records the request and answers 202;
/// `POST /silent` answers 200 with a body that is not the token.
func withReceiver(_ body: (Receiver) async throws -> Void) async throws {
    let log = NIOLockedValueBox<[ReceivedPush]>([])
    let router = Router()
    router.post("/push") { request, _ -> Response in
        if let token = request.uri.queryParameters.get("validationToken") {
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: token)))
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        log.withLockedValue {
            $0.append(ReceivedPush(path: request.uri.path, headers: request.headers.map { ($0.name.rawName, $0.value) }, body: Array(buffer: buffer)))
        }
        return Response(status: request.headers[values: .init("X-Goog-Channel-ID")!].isEmpty ? .accepted : .ok)
    }
    router.post("/silent") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
    }
    try await withLocalServer(router, label: "provider-fakes-tests.receiver") { url in
        try await body(Receiver(url: url, log: log))
    }
}
