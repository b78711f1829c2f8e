import Curl
import Foundation
import NIOConcurrencyHelpers

/// A local Google OAuth 2.0 + Calendar API v3 for one account with one primary calendar,
/// speaking Google's documented wire formats on `127.0.0.1`.
///
/// Start it with ``start(clientID:clientSecret:accountEmail:timeZone:now:)``, point the service
/// under test at ``authorizeURL``, ``tokenURL`` and ``calendarAPIURL``, and drive it with the
/// test controls (`addEvent`, `revokeRefreshTokens`, `failNextRequests`, …). Call
/// ``shutdown()`` at the end.
package final class FakeGoogle: Sendable {
    /// `http://127.0.0.1:PORT`.
    package let baseURL: String
    /// The consent screen: `baseURL/o/oauth2/v2/auth`.
    package var authorizeURL: String { baseURL + "/o/oauth2/v2/auth" }
    /// The token endpoint: `baseURL/token`.
    package var tokenURL: String { baseURL + "/token" }
    /// The Calendar API root: `baseURL/calendar/v3`.
    package var calendarAPIURL: String { baseURL + "/calendar/v3" }
    /// The one registered OAuth client.
    package let clientID: String
    /// Its secret.
    package let clientSecret: String
    /// The account's email, which is also its primary calendar's id.
    package let accountEmail: String
    /// The primary calendar's id.
    package var calendarID: String { accountEmail }

    private struct State: Sendable {
        var oauth: OAuthAuthority
        var calendar: GoogleCalendarState
        var pushesEnabled = true
        var channelLifetime: TimeInterval = 7 * 24 * 3600
        var failures = FakeFailurePlan()
        var log: [FakeRequest] = []
    }

    private let server: FakeHTTPServer
    private let state: NIOLockedValueBox<State>
    private let deliveries: FakeDeliveries
    private let now: @Sendable () -> Date

    private init(server: FakeHTTPServer, state: State, clientID: String, clientSecret: String, accountEmail: String, now: @escaping @Sendable () -> Date) {
        self.server = server
        self.baseURL = server.baseURL
        self.state = NIOLockedValueBox(state)
        self.deliveries = FakeDeliveries(userAgent: "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)", now: now)
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.accountEmail = accountEmail
        self.now = now
    }

    /// Starts a fake listening on `127.0.0.1` at a free port.
    package static func start(
        clientID: String = "rendezvous-test.apps.googleusercontent.com",
        clientSecret: String = "GOCSPX-fake-secret",
        accountEmail: String = "host@example.com",
        timeZone: String = "Europe/London",
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> FakeGoogle {
        let server = try await FakeHTTPServer.start(label: "provider-fakes.google", now: now)
        let state = State(
            oauth: OAuthAuthority(clientID: clientID, clientSecret: clientSecret, rotatesRefreshTokens: false, prefixes: ("4/0A", "ya29.a0", "1//0g")),
            calendar: GoogleCalendarState(calendarID: accountEmail, timeZone: TimeZone(identifier: timeZone) ?? .gmt, now: now())
        )
        let fake = FakeGoogle(server: server, state: state, clientID: clientID, clientSecret: clientSecret, accountEmail: accountEmail, now: now)
        server.route { [weak fake] request in await fake?.handle(request) ?? .text(503, "Service Unavailable") }
        return fake
    }

    /// Stops the server after the pushes under way.
    package func shutdown() async {
        await server.shutdown()
        await deliveries.shutdown()
    }

    // MARK: Knobs

    /// Whether changes send pushes; `false` simulates missed pushes.
    package var pushesEnabled: Bool {
        get { state.withLockedValue { $0.pushesEnabled } }
        set { state.withLockedValue { $0.pushesEnabled = newValue } }
    }

    /// Whether the user refuses consent: authorize redirects with `error=access_denied`.
    package var userDeniesConsent: Bool {
        get { state.withLockedValue { $0.oauth.userDenies } }
        set { state.withLockedValue { $0.oauth.userDenies = newValue } }
    }

    /// `expires_in` of new access tokens, and how long they work (default 3599 s).
    package var accessTokenLifetime: Int {
        get { state.withLockedValue { $0.oauth.accessTokenLifetime } }
        set { state.withLockedValue { $0.oauth.accessTokenLifetime = newValue } }
    }

    /// The longest channel lifetime granted (default 7 days).
    package var channelLifetime: TimeInterval {
        get { state.withLockedValue { $0.channelLifetime } }
        set { state.withLockedValue { $0.channelLifetime = newValue } }
    }

    /// Caps every `events.list` page at this many items, to exercise paging; `nil` honours `maxResults`.
    package var pageSize: Int? {
        get { state.withLockedValue { $0.calendar.forcedPageSize } }
        set { state.withLockedValue { $0.calendar.forcedPageSize = newValue } }
    }

    /// Successful `refresh_token` grants so far.
    package var refreshCount: Int { state.withLockedValue { $0.oauth.refreshCount } }

    /// Every request received, in order (OAuth and API).
    package var requests: [FakeRequest] { state.withLockedValue { $0.log } }

    /// Every push sent so far (the `sync` ones included), with the receiver's status.
    package var pushes: [FakeDelivery] { deliveries.all }

    /// The active (unexpired, unstopped) channels.
    package var channels: [FakeChannel] {
        let now = now()
        return state.withLockedValue { state in
            state.calendar.channels.values.filter { $0.expiration > now }.sorted { $0.id < $1.id }.map {
                FakeChannel(id: $0.id, resourceID: $0.resourceID, address: $0.address, token: $0.token, expiration: $0.expiration)
            }
        }
    }

    /// Waits until pushes caused by API calls have been delivered.
    package func waitForPushes() async {
        await deliveries.settle()
    }

    // MARK: Test controls

    /// Adds an event to the calendar (and pushes); returns its id.
    @discardableResult
    package func addEvent(
        _ timing: FakeEventTiming, title: String = "Busy", busy: Bool = true, tentative: Bool = false,
        description: String? = nil, attendees: [String] = []
    ) async throws -> String {
        let resource = Self.resource(timing: timing, title: title, busy: busy, tentative: tentative, description: description, attendees: attendees)
        let stored = try change { state, now in try state.calendar.insert(resource, now: now) }
        await pushChanges(inBackground: false)
        return stored["id"]?.string ?? ""
    }

    /// Changes the given parts of event `id` (and pushes).
    package func updateEvent(
        id: String, timing: FakeEventTiming? = nil, title: String? = nil, busy: Bool? = nil, tentative: Bool? = nil,
        description: String? = nil, attendees: [String]? = nil
    ) async throws {
        var patch: JSONValue = [:]
        if let timing {
            let full = Self.resource(timing: timing, title: "", busy: true, tentative: false, description: nil, attendees: [])
            patch["start"] = full["start"]
            patch["end"] = full["end"]
        }
        if let title { patch["summary"] = .string(title) }
        if let busy { patch["transparency"] = busy ? "opaque" : "transparent" }
        if let tentative { patch["status"] = tentative ? "tentative" : "confirmed" }
        if let description { patch["description"] = .string(description) }
        if let attendees { patch["attendees"] = .array(attendees.map { ["email": .string($0), "responseStatus": "needsAction"] }) }
        let result = try change { state, now in try state.calendar.modify(id: id, with: patch, merge: true, now: now) }
        guard result != nil else { throw FakeControlError.unknownEvent(id) }
        await pushChanges(inBackground: false)
    }

    /// Cancels event `id` (kept as `status: cancelled` for incremental sync) and pushes.
    package func deleteEvent(id: String) async throws {
        let cancelled = state.withLockedValue { $0.calendar.cancel(id: id, now: now()) }
        guard cancelled else { throw FakeControlError.unknownEvent(id) }
        await pushChanges(inBackground: false)
    }

    /// The events in the calendar now, cancelled ones only when asked.
    package func events(includingCancelled: Bool = false) -> [FakeCalendarEvent] {
        state.withLockedValue { state in
            state.calendar.events.values.compactMap { stored -> FakeCalendarEvent? in
                let resource = stored.resource
                let cancelled = resource["status"]?.string == "cancelled"
                if cancelled && !includingCancelled { return nil }
                return FakeCalendarEvent(
                    id: resource["id"]?.string ?? "",
                    title: resource["summary"]?.string,
                    timing: stored.timing,
                    isBusy: resource["transparency"]?.string != "transparent",
                    isTentative: resource["status"]?.string == "tentative",
                    isCancelled: cancelled,
                    description: resource["description"]?.string,
                    attendees: (resource["attendees"]?.array ?? []).compactMap { $0["email"]?.string },
                    resource: resource
                )
            }.sorted { ($0.timing.interval(in: .gmt)?.start ?? .distantPast) < ($1.timing.interval(in: .gmt)?.start ?? .distantPast) }
        }
    }

    /// Makes every sync token issued so far answer 410 (`fullSyncRequired`).
    package func invalidateSyncTokens() {
        state.withLockedValue { $0.calendar.invalidateSyncTokens() }
    }

    /// Revokes every refresh token (→ `invalid_grant`) and the access tokens with them.
    package func revokeRefreshTokens() {
        state.withLockedValue { $0.oauth.revokeRefreshTokens() }
    }

    /// Makes every access token issued so far answer 401 until the client refreshes.
    package func expireAccessTokens() {
        state.withLockedValue { $0.oauth.expireAccessTokens() }
    }

    /// Makes the next `count` Calendar API calls fail with `status` (429 or 503 bodies as
    /// Google sends them), with `Retry-After: retryAfter` seconds when given.
    package func failNextRequests(count: Int, status: Int = 429, retryAfter: Int? = nil) {
        state.withLockedValue { $0.failures = FakeFailurePlan(remaining: count, status: status, retryAfter: retryAfter) }
    }

    /// Sends one push by hand: to channel `channelID` if active, with its token unless `token`
    /// is given; for an unknown id, `address` says where (a forged or stale push).
    @discardableResult
    package func sendPush(channelID: String, state resourceState: String = "exists", token: String? = nil, address: String? = nil) async -> FakeDelivery? {
        let channel = state.withLockedValue { state -> (GoogleCalendarState.Channel, Int)? in
            guard let channel = state.calendar.channels[channelID], let number = state.calendar.nextMessageNumber(channel: channelID) else { return nil }
            return (channel, number)
        }
        if let (channel, number) = channel {
            return await deliveries.send(push(channel, state: resourceState, number: number, token: token ?? channel.token), channelID: channelID, kind: resourceState)
        }
        guard let address else { return nil }
        let stranger = GoogleCalendarState.Channel(
            id: channelID, resourceID: FakeIdentifiers.random(bytes: 20), resourceURI: calendarAPIURL + "/calendars/\(calendarID)/events?alt=json",
            address: address, token: token, expiration: now().addingTimeInterval(3600), messageNumber: 0
        )
        return await deliveries.send(push(stranger, state: resourceState, number: 1, token: token), channelID: channelID, kind: resourceState)
    }

    // MARK: Serving

    private func handle(_ request: FakeRequest) async -> FakeResponse {
        state.withLockedValue { $0.log.append(request) }
        let segments = request.segments
        switch (request.method, segments) {
        case ("GET", ["o", "oauth2", "v2", "auth"]):
            return authorize(request)
        case ("POST", ["token"]):
            return token(request)
        case (_, let path) where path.starts(with: ["calendar", "v3"]):
            return await calendarAPI(request, path: Array(path.dropFirst(2)))
        default:
            return Self.apiError(404, "Not Found", reason: "notFound")
        }
    }

    private func authorize(_ request: FakeRequest) -> FakeResponse {
        let outcome = state.withLockedValue { $0.oauth.authorize(request, now: now()) }
        switch outcome {
        case .redirect(let location): return .redirect(to: location)
        case .refused(let reason): return .text(400, "Error 400: invalid_request\n\(reason)")
        }
    }

    private func token(_ request: FakeRequest) -> FakeResponse {
        let result = state.withLockedValue { $0.oauth.token(request.formFields, now: now()) }
        switch result {
        case .success(let grant):
            var body: JSONValue = [
                "access_token": .string(grant.accessToken), "expires_in": .int(grant.expiresIn),
                "scope": .string(grant.scope), "token_type": "Bearer",
            ]
            if let refresh = grant.refreshToken { body["refresh_token"] = .string(refresh) }
            return .json(200, body, headers: [("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"), ("Pragma", "no-cache")])
        case .failure(let failure):
            switch failure {
            case .invalidRequest(let missing):
                return .json(400, ["error": "invalid_request", "error_description": .string("Missing required parameter: \(missing)")])
            case .unsupportedGrantType(let type):
                return .json(400, ["error": "unsupported_grant_type", "error_description": .string("Invalid grant_type: \(type)")])
            case .invalidClient:
                return .json(401, ["error": "invalid_client", "error_description": "Unauthorized"])
            case .unknownCode, .codeAlreadyRedeemed:
                return .json(400, ["error": "invalid_grant", "error_description": "Malformed auth code."])
            case .redirectMismatch:
                return .json(400, ["error": "redirect_uri_mismatch", "error_description": "Bad Request"])
            case .verifierMismatch:
                return .json(400, ["error": "invalid_grant", "error_description": "Bad Request"])
            case .refreshTokenRevoked:
                return .json(400, ["error": "invalid_grant", "error_description": "Token has been expired or revoked."])
            }
        }
    }

    private func calendarAPI(_ request: FakeRequest, path: [String]) async -> FakeResponse {
        let now = now()
        let gate = state.withLockedValue { state -> FakeResponse? in
            if let failure = state.failures.next() { return Self.failure(failure.status, retryAfter: failure.retryAfter) }
            guard state.oauth.acceptsBearer(request.header("Authorization"), now: now) else { return Self.unauthenticated }
            return nil
        }
        if let gate { return gate }
        if path == ["channels", "stop"], request.method == "POST" {
            let stopped = state.withLockedValue {
                $0.calendar.stopChannel(id: request.json?["id"]?.string ?? "", resourceID: request.json?["resourceId"]?.string ?? "")
            }
            return stopped ? .noContent : Self.apiError(404, "Channel '\(request.json?["id"]?.string ?? "")' not found for project '1'", reason: "notFound")
        }
        guard path.count >= 2, path[0] == "calendars" else { return Self.apiError(404, "Not Found", reason: "notFound") }
        guard path[1] == "primary" || path[1] == calendarID else { return Self.apiError(404, "Not Found", reason: "notFound") }
        let rest = Array(path.dropFirst(2))
        let eventID = rest.count == 2 && rest[0] == "events" && rest[1] != "watch" ? rest[1] : nil
        switch (request.method, rest) {
        case ("GET", []):
            let etag = "\"\(WireTime.milliseconds(now))\""
            return .json(200, [
                "kind": "calendar#calendar", "etag": .string(etag), "id": .string(calendarID), "summary": .string(calendarID),
                "timeZone": .string(state.withLockedValue { $0.calendar.timeZone.identifier }),
                "conferenceProperties": ["allowedConferenceSolutionTypes": ["hangoutsMeet"]],
            ])
        case ("GET", ["events"]):
            let result = state.withLockedValue { state -> Result<JSONValue, GoogleCalendarState.ListFailure> in
                do { return .success(try state.calendar.list(request)) } catch { return .failure(error as? GoogleCalendarState.ListFailure ?? .badRequest("Bad Request")) }
            }
            switch result {
            case .success(let body): return .json(200, body)
            case .failure(.badRequest(let message)): return Self.apiError(400, message, reason: "invalid")
            case .failure(.syncTokenInvalid): return Self.syncTokenGone
            }
        case ("POST", ["events"]):
            guard let body = request.json, body.object != nil else { return Self.apiError(400, "Parse Error", reason: "parseError") }
            return await mutate { state, now in try state.calendar.insert(body, now: now) }
        case ("POST", ["events", "watch"]):
            return watch(request, now: now)
        case ("GET", _) where eventID != nil:
            let id = eventID!
            guard let event = state.withLockedValue({ $0.calendar.event(id) }) else { return Self.apiError(404, "Not Found", reason: "notFound") }
            return .json(200, event.resource)
        case ("PUT", _) where eventID != nil, ("PATCH", _) where eventID != nil:
            let id = eventID!
            guard let body = request.json, body.object != nil else { return Self.apiError(400, "Parse Error", reason: "parseError") }
            let status = state.withLockedValue { $0.calendar.event(id)?.resource["status"]?.string }
            guard let status else { return Self.apiError(404, "Not Found", reason: "notFound") }
            if status == "cancelled" && body["status"]?.string == nil { return Self.deleted }
            return await mutate { state, now in try state.calendar.modify(id: id, with: body, merge: request.method == "PATCH", now: now) }
        case ("DELETE", _) where eventID != nil:
            let id = eventID!
            let outcome = state.withLockedValue { state -> Int in
                guard let event = state.calendar.event(id) else { return 404 }
                return state.calendar.cancel(id: id, now: now) ? 204 : (event.resource["status"]?.string == "cancelled" ? 410 : 404)
            }
            switch outcome {
            case 204:
                await pushChanges(inBackground: true)
                return .noContent
            case 410: return Self.deleted
            default: return Self.apiError(404, "Not Found", reason: "notFound")
            }
        default:
            return Self.apiError(404, "Not Found", reason: "notFound")
        }
    }

    /// Runs an API change, answers with the stored event and pushes in the background.
    private func mutate(_ work: (inout State, Date) throws -> JSONValue?) async -> FakeResponse {
        let now = now()
        let result = state.withLockedValue { state -> Result<JSONValue?, GoogleCalendarState.ListFailure> in
            do { return .success(try work(&state, now)) } catch { return .failure(error as? GoogleCalendarState.ListFailure ?? .badRequest("Bad Request")) }
        }
        switch result {
        case .success(let stored?):
            await pushChanges(inBackground: true)
            return .json(200, stored)
        case .success(nil):
            return Self.apiError(404, "Not Found", reason: "notFound")
        case .failure(.badRequest(let message)):
            return Self.apiError(400, message, reason: "required")
        case .failure(.syncTokenInvalid):
            return Self.apiError(400, "Bad Request", reason: "invalid")
        }
    }

    private func watch(_ request: FakeRequest, now: Date) -> FakeResponse {
        guard let body = request.json, let id = body["id"]?.string, !id.isEmpty else {
            return Self.apiError(400, "Required", reason: "required")
        }
        guard let type = body["type"]?.string, ["web_hook", "webhook"].contains(type) else {
            return Self.apiError(400, "Invalid channel type.", reason: "invalid")
        }
        guard let address = body["address"]?.string, address.hasPrefix("http") else {
            return Self.apiError(400, "WebHook callback must be HTTPS.", reason: "push.webhookUrlNotHttps")
        }
        let channel = state.withLockedValue { state -> GoogleCalendarState.Channel? in
            guard state.calendar.channels[id] == nil else { return nil }
            var expiration = now.addingTimeInterval(state.channelLifetime)
            if let ttl = body["params"]?["ttl"]?.string.flatMap(Double.init) ?? body["params"]?["ttl"]?.int.map(Double.init) {
                expiration = min(expiration, now.addingTimeInterval(ttl))
            }
            if let requested = body["expiration"]?.string.flatMap(Int64.init) ?? body["expiration"]?.int.map(Int64.init) {
                expiration = min(expiration, Date(timeIntervalSince1970: Double(requested) / 1000))
            }
            let channel = GoogleCalendarState.Channel(
                id: id, resourceID: FakeIdentifiers.random(bytes: 20),
                resourceURI: calendarAPIURL + "/calendars/\(calendarID)/events?alt=json",
                address: address, token: body["token"]?.string, expiration: expiration, messageNumber: 1
            )
            state.calendar.addChannel(channel)
            return channel
        }
        guard let channel else { return Self.apiError(400, "Channel id not unique", reason: "channelIdNotUnique") }
        var answer: JSONValue = [
            "kind": "api#channel", "id": .string(channel.id), "resourceId": .string(channel.resourceID),
            "resourceUri": .string(channel.resourceURI), "expiration": .string(String(WireTime.milliseconds(channel.expiration))),
        ]
        if let token = channel.token { answer["token"] = .string(token) }
        deliveries.inBackground { [deliveries] in
            await deliveries.send(self.push(channel, state: "sync", number: 1, token: channel.token), channelID: channel.id, kind: "sync")
        }
        return .json(200, answer)
    }

    // MARK: Pushes

    /// Pushes `exists` to every active channel, unless pushes are off.
    private func pushChanges(inBackground: Bool) async {
        let now = now()
        let due = state.withLockedValue { state -> [(GoogleCalendarState.Channel, Int)] in
            guard state.pushesEnabled else { return [] }
            return state.calendar.channels.values.filter { $0.expiration > now }.compactMap { channel in
                state.calendar.nextMessageNumber(channel: channel.id).map { (channel, $0) }
            }
        }
        let requests = due.map { (push($0.0, state: "exists", number: $0.1, token: $0.0.token), $0.0.id) }
        let deliveries = deliveries
        let work: @Sendable () async -> Void = {
            for (request, id) in requests { await deliveries.send(request, channelID: id, kind: "exists") }
        }
        if inBackground { deliveries.inBackground(work) } else { await work() }
    }

    /// A push request as Google sends it: empty body, the news in `X-Goog-*` headers.
    private func push(_ channel: GoogleCalendarState.Channel, state: String, number: Int, token: String?) -> HTTPClientRequest {
        var headers: HTTPClientHeaders = [
            "X-Goog-Channel-ID": channel.id,
            "X-Goog-Channel-Expiration": WireTime.rfc1123(channel.expiration),
            "X-Goog-Resource-ID": channel.resourceID,
            "X-Goog-Resource-URI": channel.resourceURI,
            "X-Goog-Resource-State": state,
            "X-Goog-Message-Number": String(number),
            "Content-Type": "application/json; charset=UTF-8",
        ]
        if let token { headers.add(name: "X-Goog-Channel-Token", value: token) }
        return HTTPClientRequest(method: .post, url: channel.address, headers: headers, body: [], timeout: .seconds(10))
    }

    // MARK: Bodies

    private func change<Value>(_ work: (inout State, Date) throws -> Value) throws -> Value {
        let now = now()
        let result = state.withLockedValue { state -> Result<Value, GoogleCalendarState.ListFailure> in
            do { return .success(try work(&state, now)) } catch { return .failure(error as? GoogleCalendarState.ListFailure ?? .badRequest("Bad Request")) }
        }
        switch result {
        case .success(let value): return value
        case .failure(.badRequest(let message)): throw FakeControlError.invalidEvent(message)
        case .failure(.syncTokenInvalid): throw FakeControlError.invalidEvent("sync token")
        }
    }

    private static func resource(timing: FakeEventTiming, title: String, busy: Bool, tentative: Bool, description: String?, attendees: [String]) -> JSONValue {
        var resource: JSONValue = ["summary": .string(title), "status": tentative ? "tentative" : "confirmed"]
        switch timing {
        case .timed(let start, let end):
            resource["start"] = ["dateTime": .string(WireTime.rfc3339(start))]
            resource["end"] = ["dateTime": .string(WireTime.rfc3339(end))]
        case .allDay(let first, let endExclusive):
            resource["start"] = ["date": .string(first)]
            resource["end"] = ["date": .string(endExclusive)]
        }
        if !busy { resource["transparency"] = "transparent" }
        if let description { resource["description"] = .string(description) }
        if !attendees.isEmpty { resource["attendees"] = .array(attendees.map { ["email": .string($0), "responseStatus": "needsAction"] }) }
        return resource
    }

    /// Google's error envelope: `{"error":{"code","message","errors":[…],"status"?}}`.
    static func apiError(_ code: Int, _ message: String, reason: String, domain: String = "global", status: String? = nil, extra: [String: JSONValue] = [:]) -> FakeResponse {
        var item: JSONValue = ["domain": .string(domain), "reason": .string(reason), "message": .string(message)]
        for (key, value) in extra { item[key] = value }
        var error: JSONValue = ["code": .int(code), "message": .string(message), "errors": [item]]
        if let status { error["status"] = .string(status) }
        return .json(code, ["error": error])
    }

    private static let unauthenticated = apiError(
        401, "Request had invalid authentication credentials.",
        reason: "authError", status: "UNAUTHENTICATED",
        extra: ["location": "Authorization", "locationType": "header"]
    ).withErrorsMessage("Invalid Credentials", headers: [("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")])

    private static let syncTokenGone = apiError(
        410, "Sync token is no longer valid, a full sync is required.", reason: "fullSyncRequired", domain: "calendar", status: "GONE"
    )

    private static let deleted = apiError(410, "Resource has been deleted", reason: "deleted")

    private static func failure(_ status: Int, retryAfter: Int?) -> FakeResponse {
        var response: FakeResponse
        switch status {
        case 429: response = apiError(429, "Rate Limit Exceeded", reason: "rateLimitExceeded", domain: "usageLimits", status: "RESOURCE_EXHAUSTED")
        case 403: response = apiError(403, "Rate Limit Exceeded", reason: "rateLimitExceeded", domain: "usageLimits")
        case 503: response = apiError(503, "The service is currently unavailable.", reason: "backendError", status: "UNAVAILABLE")
        default: response = apiError(status, "Backend Error", reason: "backendError")
        }
        if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
        return response
    }
}

extension FakeResponse {
    /// Google's 401 says "Request had invalid authentication credentials…" on top and
    /// "Invalid Credentials" in its `errors` item.
    fileprivate func withErrorsMessage(_ message: String, headers extra: [(name: String, value: String)]) -> FakeResponse {
        guard var body = JSONValue.parse(body), var error = body["error"], var items = error["errors"]?.array, !items.isEmpty else { return self }
        items[0]["message"] = .string(message)
        error["errors"] = .array(items)
        body["error"] = error
        return FakeResponse(status: status, headers: headers + extra, body: body.encoded)
    }
}
