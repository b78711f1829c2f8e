import Curl
import Foundation
import NIOConcurrencyHelpers

/// A local Microsoft identity platform (v2.0 endpoints) + Microsoft Graph v1.0 calendar for one
/// account, speaking Microsoft's documented wire formats on `127.0.0.1`.
///
/// Start it with ``start(clientID:clientSecret:accountEmail:now:)``, point the service under
/// test at ``authorizeURL``, ``tokenURL`` and ``graphURL``, and drive it with the test
/// controls. Call ``shutdown()`` at the end.
package final class FakeMicrosoft: Sendable {
    /// `http://127.0.0.1:PORT`.
    package let baseURL: String
    /// `baseURL/common/oauth2/v2.0/authorize`.
    package var authorizeURL: String { baseURL + "/common/oauth2/v2.0/authorize" }
    /// `baseURL/common/oauth2/v2.0/token`.
    package var tokenURL: String { baseURL + "/common/oauth2/v2.0/token" }
    /// `baseURL/v1.0`.
    package var graphURL: String { baseURL + "/v1.0" }
    /// The one registered application (client) id.
    package let clientID: String
    /// Its secret.
    package let clientSecret: String
    /// The account's address.
    package let accountEmail: String
    /// The account's default calendar id.
    package let calendarID: String
    /// The user's object id (`Users/{userID}/Events/…` in notifications).
    package let userID: String
    /// The tenant id in notifications.
    package let tenantID: String

    private struct State: Sendable {
        var oauth: OAuthAuthority
        var calendar: GraphCalendarState
        var pushesEnabled = true
        var failures = FakeFailurePlan()
        var log: [FakeRequest] = []
        var validationTimeout: Duration = .seconds(10)
    }

    private let server: FakeHTTPServer
    private let state: NIOLockedValueBox<State>
    private let deliveries: FakeDeliveries
    private let now: @Sendable () -> Date

    private init(server: FakeHTTPServer, state: State, clientID: String, clientSecret: String, accountEmail: String, now: @escaping @Sendable () -> Date) {
        self.server = server
        self.baseURL = server.baseURL
        self.state = NIOLockedValueBox(state)
        self.deliveries = FakeDeliveries(userAgent: "Microsoft-Graph-Notifications (fake)", now: now)
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.accountEmail = accountEmail
        self.calendarID = state.calendar.calendarID
        self.userID = FakeIdentifiers.uuid()
        self.tenantID = FakeIdentifiers.uuid()
        self.now = now
    }

    /// Starts a fake listening on `127.0.0.1` at a free port.
    package static func start(
        clientID: String = "6731de76-14a6-49ae-97bc-6eba6914391e",
        clientSecret: String = "fake~secret.value",
        accountEmail: String = "host@example.com",
        calendarID: String = "AAMkAGI2TG93AAA=",
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> FakeMicrosoft {
        let server = try await FakeHTTPServer.start(label: "provider-fakes.microsoft", now: now)
        let state = State(
            oauth: OAuthAuthority(clientID: clientID, clientSecret: clientSecret, rotatesRefreshTokens: true, prefixes: ("M.C5", "EwBIA8l6", "M.C5_BAY.0.U.")),
            calendar: GraphCalendarState(calendarID: calendarID, accountEmail: accountEmail)
        )
        let fake = FakeMicrosoft(server: server, state: state, clientID: clientID, clientSecret: clientSecret, accountEmail: accountEmail, now: now)
        server.route { [weak fake] request in await fake?.handle(request) ?? .text(503, "Service Unavailable") }
        return fake
    }

    /// Stops the server after the notifications under way.
    package func shutdown() async {
        await server.shutdown()
        await deliveries.shutdown()
    }

    // MARK: Knobs

    /// Whether changes send notifications; `false` simulates missed ones.
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

    /// Caps every delta page, to exercise paging; `nil` honours `Prefer: odata.maxpagesize` (default 10).
    package var pageSize: Int? {
        get { state.withLockedValue { $0.calendar.forcedPageSize } }
        set { state.withLockedValue { $0.calendar.forcedPageSize = newValue } }
    }

    /// How long a notification endpoint has to answer the validation request (Graph: 10 s).
    package var validationTimeout: Duration {
        get { state.withLockedValue { $0.validationTimeout } }
        set { state.withLockedValue { $0.validationTimeout = newValue } }
    }

    /// Successful `refresh_token` grants so far.
    package var refreshCount: Int { state.withLockedValue { $0.oauth.refreshCount } }

    /// Every request received, in order.
    package var requests: [FakeRequest] { state.withLockedValue { $0.log } }

    /// Every notification, lifecycle notification and validation request sent, with the receiver's status.
    package var notifications: [FakeDelivery] { deliveries.all }

    /// The active (unexpired, undeleted) subscriptions; `token` is the `clientState`.
    package var subscriptions: [FakeChannel] {
        let now = now()
        return state.withLockedValue { state in
            state.calendar.subscriptions.values.filter { $0.expiration > now }.sorted { $0.id < $1.id }.map {
                FakeChannel(id: $0.id, resourceID: $0.resource, address: $0.notificationURL, token: $0.clientState, expiration: $0.expiration)
            }
        }
    }

    /// Waits until notifications caused by API calls have been delivered.
    package func waitForNotifications() async {
        await deliveries.settle()
    }

    // MARK: Test controls

    /// Adds an event (and notifies `created`); returns its id. `busy: false` is `showAs: free`,
    /// `tentative` is `showAs: tentative`.
    @discardableResult
    package func addEvent(
        _ timing: FakeEventTiming, title: String = "Busy", busy: Bool = true, tentative: Bool = false,
        description: String? = nil, attendees: [String] = []
    ) async throws -> String {
        let body = Self.resource(timing: timing, title: title, busy: busy, tentative: tentative, description: description, attendees: attendees)
        let created = try change { state, now in try state.calendar.create(body, now: now).event }
        let id = created["id"]?.string ?? ""
        await notify(changeType: "created", eventID: id, etag: created["@odata.etag"]?.string, inBackground: false)
        return id
    }

    /// Changes the given parts of event `id` (and notifies `updated`).
    package func updateEvent(
        id: String, timing: FakeEventTiming? = nil, title: String? = nil, busy: Bool? = nil, tentative: Bool? = nil,
        description: String? = nil, attendees: [String]? = nil
    ) async throws {
        var patch: JSONValue = [:]
        if let timing {
            let full = Self.resource(timing: timing, title: "", busy: true, tentative: false, description: nil, attendees: [])
            for key in ["start", "end", "isAllDay"] { patch[key] = full[key] }
        }
        if let title { patch["subject"] = .string(title) }
        if busy != nil || tentative != nil {
            let current = state.withLockedValue { $0.calendar.event(id)?.resource["showAs"]?.string } ?? "busy"
            let isBusy = busy ?? (current != "free")
            let isTentative = tentative ?? (current == "tentative")
            patch["showAs"] = .string(!isBusy ? "free" : isTentative ? "tentative" : "busy")
        }
        if let description { patch["body"] = ["contentType": "text", "content": .string(description)] }
        if let attendees { patch["attendees"] = Self.attendees(attendees) }
        guard let updated = try change({ state, now in try state.calendar.update(id: id, with: patch, now: now) }) else {
            throw FakeControlError.unknownEvent(id)
        }
        await notify(changeType: "updated", eventID: id, etag: updated["@odata.etag"]?.string, inBackground: false)
    }

    /// Deletes event `id` (it appears as `@removed` in the next delta) and notifies `deleted`.
    package func deleteEvent(id: String) async throws {
        guard state.withLockedValue({ $0.calendar.delete(id: id) }) else { throw FakeControlError.unknownEvent(id) }
        await notify(changeType: "deleted", eventID: id, etag: nil, inBackground: false)
    }

    /// The events in the calendar now.
    package func events() -> [FakeCalendarEvent] {
        state.withLockedValue { state in
            state.calendar.events.values.filter { !$0.deleted }.map { stored in
                let resource = stored.resource
                let showAs = resource["showAs"]?.string ?? "busy"
                return FakeCalendarEvent(
                    id: resource["id"]?.string ?? "",
                    title: resource["subject"]?.string,
                    timing: stored.timing,
                    isBusy: showAs != "free",
                    isTentative: showAs == "tentative",
                    isCancelled: resource["isCancelled"]?.bool ?? false,
                    description: resource["body"]?["content"]?.string,
                    attendees: (resource["attendees"]?.array ?? []).compactMap { $0["emailAddress"]?["address"]?.string },
                    resource: resource
                )
            }.sorted { ($0.timing.interval(in: .gmt)?.start ?? .distantPast) < ($1.timing.interval(in: .gmt)?.start ?? .distantPast) }
        }
    }

    /// Makes every delta (and skip) token issued so far answer 410 `SyncStateNotFound`.
    package func invalidateSyncTokens() {
        state.withLockedValue { $0.calendar.invalidateSyncStates() }
    }

    /// Revokes every refresh token (→ `invalid_grant`, AADSTS70000) and the access tokens with them.
    package func revokeRefreshTokens() {
        state.withLockedValue { $0.oauth.revokeRefreshTokens() }
    }

    /// Makes every access token issued so far answer 401 until the client refreshes.
    package func expireAccessTokens() {
        state.withLockedValue { $0.oauth.expireAccessTokens() }
    }

    /// Makes the next `count` Graph calls fail with `status` (`TooManyRequests` for 429,
    /// `ServiceNotAvailable` for 503), with `Retry-After: retryAfter` seconds when given.
    package func failNextRequests(count: Int, status: Int = 429, retryAfter: Int? = nil) {
        state.withLockedValue { $0.failures = FakeFailurePlan(remaining: count, status: status, retryAfter: retryAfter) }
    }

    /// Sends one change notification by hand for subscription `subscriptionID`, with its
    /// `clientState` unless `clientState` is given (a forged one).
    @discardableResult
    package func sendNotification(subscriptionID: String, clientState: String? = nil, changeType: String = "updated", eventID: String? = nil) async -> FakeDelivery? {
        guard let subscription = state.withLockedValue({ $0.calendar.subscriptions[subscriptionID] }) else { return nil }
        let id = eventID ?? state.withLockedValue { $0.calendar.events.keys.first } ?? "AAMkAGI2unknown"
        let request = notification(subscription, changeType: changeType, eventID: id, etag: nil, clientState: clientState ?? subscription.clientState)
        return await deliveries.send(request, channelID: subscriptionID, kind: changeType)
    }

    /// Sends a lifecycle notification (`reauthorizationRequired`, `subscriptionRemoved`,
    /// `missed`) to the subscription's `lifecycleNotificationUrl`; `subscriptionRemoved` also
    /// removes the subscription, as Graph does.
    @discardableResult
    package func sendLifecycle(subscriptionID: String, event: String) async -> FakeDelivery? {
        guard let subscription = state.withLockedValue({ $0.calendar.subscriptions[subscriptionID] }),
              let url = subscription.lifecycleNotificationURL else { return nil }
        if event == "subscriptionRemoved" { state.withLockedValue { $0.calendar.subscriptions[subscriptionID] = nil } }
        var item: JSONValue = [
            "subscriptionId": .string(subscription.id),
            "subscriptionExpirationDateTime": .string(WireTime.graphInstantOffset(subscription.expiration)),
            "tenantId": .string(tenantID),
            "lifecycleEvent": .string(event),
        ]
        if let clientState = subscription.clientState { item["clientState"] = .string(clientState) }
        let body: JSONValue = ["value": [item]]
        let request = HTTPClientRequest(
            method: .post, url: url, headers: ["Content-Type": "application/json; charset=utf-8"], body: body.encoded, timeout: .seconds(10)
        )
        return await deliveries.send(request, channelID: subscriptionID, kind: event)
    }

    // MARK: Serving

    private func handle(_ request: FakeRequest) async -> FakeResponse {
        state.withLockedValue { $0.log.append(request) }
        let segments = request.segments
        if segments.count == 4, segments[1] == "oauth2", segments[2] == "v2.0" {
            switch (request.method, segments[3]) {
            case ("GET", "authorize"): return authorize(request)
            case ("POST", "token"): return token(request)
            default: break
            }
        }
        if segments.first == "v1.0" { return await graph(request, path: Array(segments.dropFirst())) }
        return Self.graphError(404, "BadRequest", "Resource not found for the segment '\(segments.last ?? "")'.")
    }

    private func authorize(_ request: FakeRequest) -> FakeResponse {
        let outcome = state.withLockedValue { $0.oauth.authorize(request, now: now(), extraRedirectItems: [("session_state", FakeIdentifiers.uuid())]) }
        switch outcome {
        case .redirect(let location): return .redirect(to: location)
        case .refused(let reason): return .text(400, "AADSTS900144: \(reason)")
        }
    }

    private func token(_ request: FakeRequest) -> FakeResponse {
        let fields = request.formFields
        let result = state.withLockedValue { $0.oauth.token(fields, now: now()) }
        switch result {
        case .success(let grant):
            var body: JSONValue = [
                "token_type": "Bearer", "scope": .string(fields["scope"] ?? grant.scope),
                "expires_in": .int(grant.expiresIn), "ext_expires_in": .int(grant.expiresIn),
                "access_token": .string(grant.accessToken),
            ]
            if let refresh = grant.refreshToken { body["refresh_token"] = .string(refresh) }
            return .json(200, body, headers: [("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache")])
        case .failure(let failure):
            switch failure {
            case .invalidRequest(let missing):
                return aadError(400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: '\(missing)'.")
            case .unsupportedGrantType(let type):
                return aadError(400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type '\(type)'.")
            case .invalidClient:
                return aadError(401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(clientID)'.")
            case .unknownCode:
                return aadError(400, "invalid_grant", 70000, "AADSTS70000: The provided value for the 'code' parameter is not valid.")
            case .codeAlreadyRedeemed:
                return aadError(400, "invalid_grant", 54005, "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
            case .redirectMismatch:
                return aadError(400, "invalid_grant", 70000, "AADSTS70000: The request was denied because one or more scopes requested are unauthorized or expired. The redirect URI does not match the one used in the authorization request.")
            case .verifierMismatch:
                return aadError(400, "invalid_grant", 501481, "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.")
            case .refreshTokenRevoked:
                return aadError(400, "invalid_grant", 70000, "AADSTS70000: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
            }
        }
    }

    private func aadError(_ status: Int, _ error: String, _ code: Int, _ description: String) -> FakeResponse {
        let trace = FakeIdentifiers.uuid(), correlation = FakeIdentifiers.uuid()
        let timestamp = WireTime.rfc3339(now()).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "Z")
        return .json(status, [
            "error": .string(error),
            "error_description": .string("\(description) Trace ID: \(trace) Correlation ID: \(correlation) Timestamp: \(timestamp)"),
            "error_codes": [.int(code)],
            "timestamp": .string(timestamp),
            "trace_id": .string(trace),
            "correlation_id": .string(correlation),
            "error_uri": .string("https://login.microsoftonline.com/error?code=\(code)"),
        ])
    }

    private func graph(_ request: FakeRequest, path: [String]) async -> FakeResponse {
        let now = now()
        let gate = state.withLockedValue { state -> FakeResponse? in
            if let failure = state.failures.next() { return Self.failure(failure.status, retryAfter: failure.retryAfter) }
            guard state.oauth.acceptsBearer(request.header("Authorization"), now: now) else {
                return Self.graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", headers: [
                    ("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\""),
                ])
            }
            return nil
        }
        if let gate { return gate }
        // me/calendars/{id}/… is the same calendar as me/calendar/… and me/….
        var route = path
        if route.count >= 3, route[0] == "me", route[1] == "calendars" {
            guard route[2] == calendarID else { return Self.itemNotFound }
            route = ["me", "calendar"] + route.dropFirst(3)
        }
        if route.count >= 2, route[0] == "me", route[1] == "calendar", route.count > 2 { route = ["me"] + route.dropFirst(2) }
        switch (request.method, route) {
        case ("GET", ["me"]):
            return .json(200, [
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
                "id": .string(userID), "displayName": .string(accountEmail), "mail": .string(accountEmail), "userPrincipalName": .string(accountEmail),
            ])
        case ("GET", ["me", "calendar"]):
            return .json(200, [
                "@odata.context": .string("https://graph.microsoft.com/v1.0/$metadata#users('\(userID)')/calendars/$entity"),
                "id": .string(calendarID), "name": "Calendar", "color": "auto", "hexColor": "", "isDefaultCalendar": true,
                "changeKey": "fJKVL07sbkmIfHqjbDnRgQAAAAACJg==", "canShare": true, "canViewPrivateItems": true, "canEdit": true,
                "isRemovable": false, "isTallyingResponses": true,
                "allowedOnlineMeetingProviders": ["teamsForBusiness"], "defaultOnlineMeetingProvider": "teamsForBusiness",
                "owner": ["name": .string(accountEmail), "address": .string(accountEmail)],
            ])
        case ("GET", ["me", "calendarView", "delta"]):
            let linkBase = baseURL + request.path
            let preferred = Self.maxPageSize(request.header("Prefer"))
            let result = state.withLockedValue { state -> Result<JSONValue, GraphCalendarState.Failure> in
                do { return .success(try state.calendar.delta(request, linkBase: linkBase, preferredPageSize: preferred)) } catch {
                    return .failure(error as? GraphCalendarState.Failure ?? .syncStateNotFound)
                }
            }
            switch result {
            case .success(let body): return .json(200, body, headers: [("Preference-Applied", "outlook.timezone=\"UTC\"")])
            case .failure(.syncStateNotFound):
                return Self.graphError(410, "SyncStateNotFound", "The sync state generation is not found. Please try again without sync state.")
            case .failure(.badRequest(let code, let message)): return Self.graphError(400, code, message)
            }
        case ("POST", ["me", "events"]):
            guard let body = request.json, body.object != nil else { return Self.graphError(400, "BadRequest", "Empty Payload. JSON content expected.") }
            let result = state.withLockedValue { state -> Result<(event: JSONValue, isNew: Bool), GraphCalendarState.Failure> in
                do { return .success(try state.calendar.create(body, now: now)) } catch { return .failure(error as? GraphCalendarState.Failure ?? .syncStateNotFound) }
            }
            switch result {
            case .success(let created):
                if created.isNew { await notify(changeType: "created", eventID: created.event["id"]?.string ?? "", etag: created.event["@odata.etag"]?.string, inBackground: true) }
                return .json(201, Self.withContext(created.event, userID: userID))
            case .failure(.badRequest(let code, let message)): return Self.graphError(400, code, message)
            case .failure: return Self.graphError(400, "BadRequest", "Bad request.")
            }
        case ("GET", let route) where route.count == 3 && route[0] == "me" && route[1] == "events":
            guard let event = state.withLockedValue({ $0.calendar.event(route[2]) }) else { return Self.itemNotFound }
            return .json(200, Self.withContext(event.resource, userID: userID))
        case ("PATCH", let route) where route.count == 3 && route[0] == "me" && route[1] == "events":
            guard let body = request.json, body.object != nil else { return Self.graphError(400, "BadRequest", "Empty Payload. JSON content expected.") }
            let result = state.withLockedValue { state -> Result<JSONValue?, GraphCalendarState.Failure> in
                do { return .success(try state.calendar.update(id: route[2], with: body, now: now)) } catch { return .failure(error as? GraphCalendarState.Failure ?? .syncStateNotFound) }
            }
            switch result {
            case .success(let updated?):
                await notify(changeType: "updated", eventID: route[2], etag: updated["@odata.etag"]?.string, inBackground: true)
                return .json(200, Self.withContext(updated, userID: userID))
            case .success(nil): return Self.itemNotFound
            case .failure(.badRequest(let code, let message)): return Self.graphError(400, code, message)
            case .failure: return Self.graphError(400, "BadRequest", "Bad request.")
            }
        case ("DELETE", let route) where route.count == 3 && route[0] == "me" && route[1] == "events":
            guard state.withLockedValue({ $0.calendar.delete(id: route[2]) }) else { return Self.itemNotFound }
            await notify(changeType: "deleted", eventID: route[2], etag: nil, inBackground: true)
            return .noContent
        case ("POST", ["subscriptions"]):
            return await subscribe(request, now: now)
        case ("GET", let route) where route.count == 2 && route[0] == "subscriptions":
            guard let subscription = state.withLockedValue({ $0.calendar.subscriptions[route[1]] }), subscription.expiration > now else { return Self.subscriptionNotFound }
            return .json(200, subscriptionBody(subscription))
        case ("PATCH", let route) where route.count == 2 && route[0] == "subscriptions":
            guard let text = request.json?["expirationDateTime"]?.string, let expiration = WireTime.parseInstant(text) else {
                return Self.graphError(400, "InvalidRequest", "expirationDateTime is required.")
            }
            if let problem = Self.expirationProblem(expiration, now: now) { return problem }
            let updated = state.withLockedValue { state -> GraphCalendarState.Subscription? in
                guard var subscription = state.calendar.subscriptions[route[1]], subscription.expiration > now else { return nil }
                subscription.expiration = expiration
                state.calendar.subscriptions[route[1]] = subscription
                return subscription
            }
            guard let updated else { return Self.subscriptionNotFound }
            return .json(200, subscriptionBody(updated))
        case ("DELETE", let route) where route.count == 2 && route[0] == "subscriptions":
            let removed = state.withLockedValue { $0.calendar.subscriptions.removeValue(forKey: route[1]) }
            return removed == nil ? Self.subscriptionNotFound : .noContent
        default:
            return Self.graphError(400, "BadRequest", "Resource not found for the segment '\(path.last ?? "")'.")
        }
    }

    // MARK: Subscriptions

    private func subscribe(_ request: FakeRequest, now: Date) async -> FakeResponse {
        guard let body = request.json else { return Self.graphError(400, "BadRequest", "Empty Payload. JSON content expected.") }
        guard let changeType = body["changeType"]?.string, let notificationURL = body["notificationUrl"]?.string,
              let resource = body["resource"]?.string, let expirationText = body["expirationDateTime"]?.string else {
            return Self.graphError(400, "InvalidRequest", "changeType, notificationUrl, resource and expirationDateTime are required.")
        }
        let changeTypes = changeType.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !changeTypes.isEmpty, changeTypes.allSatisfy({ ["created", "updated", "deleted"].contains($0) }) else {
            return Self.graphError(400, "InvalidRequest", "Invalid 'changeType' attribute: '\(changeType)'.")
        }
        let normalized = resource.hasPrefix("/") ? String(resource.dropFirst()) : resource
        guard ["me/events", "me/calendar/events", "me/calendars/\(calendarID)/events"].contains(where: { $0.lowercased() == normalized.lowercased() }) else {
            return Self.graphError(400, "ExtensionError", "Operation: Create; Exception: [Status Code: BadRequest; Reason: The resource '\(resource)' is not supported by this fake.]")
        }
        guard let expiration = WireTime.parseInstant(expirationText) else {
            return Self.graphError(400, "InvalidRequest", "expirationDateTime is not a valid date.")
        }
        if let problem = Self.expirationProblem(expiration, now: now) { return problem }
        let lifecycleURL = body["lifecycleNotificationUrl"]?.string
        let subscriptionID = FakeIdentifiers.uuid()
        for url in [notificationURL] + (lifecycleURL.map { [$0] } ?? []) {
            guard await validate(url, subscriptionID: subscriptionID) else {
                return Self.graphError(400, "InvalidRequest", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.")
            }
        }
        let subscription = GraphCalendarState.Subscription(
            id: subscriptionID, resource: resource, changeTypes: changeTypes, clientState: body["clientState"]?.string,
            notificationURL: notificationURL, lifecycleNotificationURL: lifecycleURL, expiration: expiration
        )
        state.withLockedValue { $0.calendar.subscriptions[subscription.id] = subscription }
        return .json(201, subscriptionBody(subscription))
    }

    /// The handshake: `POST url?validationToken=…` must answer 200, `text/plain`, the token.
    private func validate(_ url: String, subscriptionID: String) async -> Bool {
        let token = "Validation: Testing client application reachability for subscription Request-Id: \(FakeIdentifiers.uuid())"
        let separator = url.contains("?") ? "&" : "?"
        let request = HTTPClientRequest(
            method: .post, url: url + separator + "validationToken=" + FormURLEncoder.encode(component: token).replacingOccurrences(of: "+", with: "%20"),
            headers: ["Content-Type": "text/plain; charset=utf-8"], body: [],
            connectTimeout: .seconds(10), timeout: state.withLockedValue { $0.validationTimeout }
        )
        guard let response = await deliveries.exchange(request, channelID: subscriptionID, kind: "validation") else { return false }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        return response.status == 200 && contentType.hasPrefix("text/plain") && response.bodyText == token
    }

    private func subscriptionBody(_ subscription: GraphCalendarState.Subscription) -> JSONValue {
        [
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
            "id": .string(subscription.id), "resource": .string(subscription.resource),
            "applicationId": .string(clientID), "changeType": .string(subscription.changeTypes.joined(separator: ",")),
            "clientState": subscription.clientState.map(JSONValue.string) ?? .null,
            "notificationUrl": .string(subscription.notificationURL),
            "notificationQueryOptions": nil,
            "lifecycleNotificationUrl": subscription.lifecycleNotificationURL.map(JSONValue.string) ?? .null,
            "expirationDateTime": .string(WireTime.graphInstantOffset(subscription.expiration)),
            "creatorId": .string(userID), "includeResourceData": false, "latestSupportedTlsVersion": "v1_2",
            "encryptionCertificate": nil, "encryptionCertificateId": nil, "notificationUrlAppId": nil,
        ]
    }

    /// Outlook events allow at most 10,080 minutes (7 days).
    private static func expirationProblem(_ expiration: Date, now: Date) -> FakeResponse? {
        if expiration <= now { return graphError(400, "InvalidRequest", "Subscription expiration must be in the future.") }
        if expiration.timeIntervalSince(now) > 10080 * 60 {
            return graphError(400, "ExtensionError", "Operation: Create; Exception: [Status Code: BadRequest; Reason: Subscription expiration can only be 10080 minutes in the future.]")
        }
        return nil
    }

    /// Notifies every active subscription that asked for `changeType`, unless notifications are off.
    private func notify(changeType: String, eventID: String, etag: String?, inBackground: Bool) async {
        let now = now()
        let due = state.withLockedValue { state -> [GraphCalendarState.Subscription] in
            guard state.pushesEnabled else { return [] }
            return state.calendar.subscriptions.values.filter { $0.expiration > now && $0.changeTypes.contains(changeType) }
        }
        let requests = due.map { (notification($0, changeType: changeType, eventID: eventID, etag: etag, clientState: $0.clientState), $0.id) }
        let deliveries = deliveries
        let work: @Sendable () async -> Void = {
            for (request, id) in requests { await deliveries.send(request, channelID: id, kind: changeType) }
        }
        if inBackground { deliveries.inBackground(work) } else { await work() }
    }

    private func notification(_ subscription: GraphCalendarState.Subscription, changeType: String, eventID: String, etag: String?, clientState: String?) -> HTTPClientRequest {
        let resource = "Users/\(userID)/Events/\(eventID)"
        var resourceData: JSONValue = ["@odata.type": "#Microsoft.Graph.Event", "@odata.id": .string(resource), "id": .string(eventID)]
        if let etag { resourceData["@odata.etag"] = .string(etag) }
        var item: JSONValue = [
            "subscriptionId": .string(subscription.id),
            "subscriptionExpirationDateTime": .string(WireTime.graphInstantOffset(subscription.expiration)),
            "changeType": .string(changeType),
            "resource": .string(resource),
            "resourceData": resourceData,
            "tenantId": .string(tenantID),
        ]
        if let clientState { item["clientState"] = .string(clientState) }
        let body: JSONValue = ["value": [item]]
        return HTTPClientRequest(method: .post, url: subscription.notificationURL, headers: ["Content-Type": "application/json; charset=utf-8"], body: body.encoded, timeout: .seconds(10))
    }

    // MARK: Bodies

    private func change<Value>(_ work: (inout State, Date) throws -> Value) throws -> Value {
        let now = now()
        let result = state.withLockedValue { state -> Result<Value, any Error> in
            do { return .success(try work(&state, now)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let value): return value
        case .failure(GraphCalendarState.Failure.badRequest(_, let message)): throw FakeControlError.invalidEvent(message)
        case .failure(let error): throw error
        }
    }

    private static func maxPageSize(_ prefer: String?) -> Int? {
        guard let prefer else { return nil }
        for part in prefer.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "odata.maxpagesize", let size = Int(pair[1]), size > 0 { return size }
        }
        return nil
    }

    private static func attendees(_ addresses: [String]) -> JSONValue {
        .array(addresses.map { ["type": "required", "status": ["response": "none", "time": "0001-01-01T00:00:00Z"], "emailAddress": ["name": .string($0), "address": .string($0)]] })
    }

    private static func resource(timing: FakeEventTiming, title: String, busy: Bool, tentative: Bool, description: String?, attendees: [String]) -> JSONValue {
        var resource: JSONValue = ["subject": .string(title), "showAs": .string(!busy ? "free" : tentative ? "tentative" : "busy")]
        switch timing {
        case .timed(let start, let end):
            resource["start"] = ["dateTime": .string(WireTime.graphDateTime(start)), "timeZone": "UTC"]
            resource["end"] = ["dateTime": .string(WireTime.graphDateTime(end)), "timeZone": "UTC"]
            resource["isAllDay"] = false
        case .allDay(let first, let endExclusive):
            resource["start"] = ["dateTime": .string(first + "T00:00:00.0000000"), "timeZone": "UTC"]
            resource["end"] = ["dateTime": .string(endExclusive + "T00:00:00.0000000"), "timeZone": "UTC"]
            resource["isAllDay"] = true
        }
        if let description { resource["body"] = ["contentType": "text", "content": .string(description)] }
        if !attendees.isEmpty { resource["attendees"] = Self.attendees(attendees) }
        return resource
    }

    private static func withContext(_ event: JSONValue, userID: String) -> JSONValue {
        var event = event
        event["@odata.context"] = .string("https://graph.microsoft.com/v1.0/$metadata#users('\(userID)')/events/$entity")
        return event
    }

    /// Graph's error envelope: `{"error":{"code","message","innerError":{…}}}`.
    static func graphError(_ status: Int, _ code: String, _ message: String, headers: [(name: String, value: String)] = []) -> FakeResponse {
        let requestID = FakeIdentifiers.uuid()
        return .json(status, [
            "error": [
                "code": .string(code), "message": .string(message),
                "innerError": ["date": .string(WireTime.rfc3339(Date())), "request-id": .string(requestID), "client-request-id": .string(requestID)],
            ],
        ], headers: [("request-id", requestID), ("client-request-id", requestID)] + headers)
    }

    private static let itemNotFound = graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
    private static let subscriptionNotFound = graphError(404, "ResourceNotFound", "The object was not found.")

    private static func failure(_ status: Int, retryAfter: Int?) -> FakeResponse {
        var response: FakeResponse
        switch status {
        case 429: response = graphError(429, "TooManyRequests", "Application is over its MailboxConcurrency limit.")
        case 503: response = graphError(503, "ServiceNotAvailable", "Service is unavailable. Please try again later.")
        default: response = graphError(status, "UnknownError", "")
        }
        if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
        return response
    }
}
