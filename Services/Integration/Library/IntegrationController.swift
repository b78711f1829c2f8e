import Events
import Foundation
import Hummingbird
import Logging
import Postgres
import ServiceRuntime

/// `/api/integrations*`: connect (OAuth for Google and Microsoft, credentials for CalDAV), list,
/// sync on request, and disconnect. Parses and answers; ``IntegrationWorkflow`` decides.
struct IntegrationController: Sendable {
    let database: PostgresClient
    let flow: OAuthFlow
    let workflow: IntegrationWorkflow

    func register(on router: Router<ServiceRequestContext>) {
        let group = router.group("/api/integrations")
        group.get { _, context in try await list(context) }
        group.post("/caldav") { request, context in try await connectCalDAV(request, context) }
        group.post("/:key/authorize") { _, context in try await authorize(context) }
        group.get("/:key/callback") { request, context in try await callbackAnswer(request, context) }
        group.post("/:key/sync") { _, context in try await sync(context) }
        group.delete("/:key") { _, context in try await disconnect(context) }
    }

    // MARK: Reading

    func list(_ context: ServiceRequestContext) async throws -> ListPage<IntegrationResource> {
        let host = try context.requireHost()
        let records = try await database.withConnection { try await IntegrationRepository.list(host: host, in: $0) }
        return ListPage(data: records.map(IntegrationResource.init), nextCursor: nil)
    }

    // MARK: OAuth

    struct AuthorizeResponse: ResponseEncodable {
        var authorizationUrl: String
        var state: String
        var expiresAt: Date
    }

    func authorize(_ context: ServiceRequestContext) async throws -> AuthorizeResponse {
        let host = try context.requireHost()
        let provider = try oauthProvider(context)
        guard try await database.withConnection({ try await IntegrationRepository.userExists(host, in: $0) }) else {
            throw Problem.unauthorized()
        }
        do {
            let started = try await flow.start(provider: provider, host: host)
            return AuthorizeResponse(authorizationUrl: started.authorizationURL, state: started.state, expiresAt: started.expiresAt)
        } catch OAuthFlow.Failure.notConfigured {
            throw Problem.unavailable("\(provider.displayName) is not configured on this server.")
        }
    }

    /// The callback's answer: the integration as JSON for an API client; for a browser (which
    /// asks for HTML), a `303` back to the console's calendar page saying how it went, so the host
    /// lands on a page rather than on JSON.
    func callbackAnswer(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let wantsPage = request.headers[.accept]?.contains("text/html") == true
        do {
            let connected = try await callback(request, context)
            guard wantsPage else { return try ContractResponseEncoder().encode(connected, from: request, context: context) }
            return Self.seeOther("/host/calendars?connected=\(connected.provider)")
        } catch let problem as Problem where wantsPage {
            // Only words we chose go into the page's address: a known provider, a contract code
            // (never the path segment as sent, which could carry `&connected=…`).
            var query = "error=\(problem.code)"
            if let provider = context.parameters.get("key").flatMap(Provider.init(rawValue:)), provider.usesOAuth {
                query += "&provider=\(provider.rawValue)"
            }
            return Self.seeOther("/host/calendars?\(query)")
        }
    }

    private static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The provider redirects the host's browser here; the single-use `state` (not a bearer
    /// token: a redirect carries none) says which host started the flow.
    func callback(_ request: Request, _ context: ServiceRequestContext) async throws -> IntegrationResource {
        let provider = try oauthProvider(context)
        let query = request.uri.queryParameters
        if let error = query["error"].map(String.init) {
            // The host declined, or the provider refused the request; the state is spent either way.
            if let state = query["state"] { await workflow.abandonOAuth(provider: provider, state: String(state)) }
            let description = query["error_description"].map { ": \($0)" } ?? ""
            throw Problem.forbidden("\(provider.displayName) did not grant access (\(error)\(description)).")
        }
        var errors = FieldErrors()
        let code = query["code"].map(String.init) ?? ""
        let state = query["state"].map(String.init) ?? ""
        if code.isEmpty || code.count > 4096 { errors.add("code", "is required") }
        if state.isEmpty || state.count > 512 { errors.add("state", "is required") }
        try errors.throwIfAny()
        do {
            let record = try await workflow.finishOAuth(provider: provider, code: code, state: state, requestID: context.requestID)
            return IntegrationResource(record)
        } catch IntegrationWorkflow.Failure.invalidState {
            throw Problem.validation(field: "state", "is unknown, expired or already used; start the connection again")
        } catch IntegrationWorkflow.Failure.notConfigured {
            throw Problem.unavailable("\(provider.displayName) is not configured on this server.")
        } catch IntegrationWorkflow.Failure.noRefreshToken {
            throw Problem.validation(field: "code", "the provider granted no refresh token (offline access); start the connection again")
        } catch IntegrationWorkflow.Failure.provider(let error) {
            throw problem(error, field: "code")
        }
    }

    // MARK: CalDAV

    struct CalDAVRequest: Decodable {
        var serverUrl: String
        var username: String
        var password: String
        var calendarUrl: String?
    }

    func connectCalDAV(_ request: Request, _ context: ServiceRequestContext) async throws -> EditedResponse<IntegrationResource> {
        let host = try context.requireHost()
        let body = try await request.decodeContract(CalDAVRequest.self, context: context)
        var errors = FieldErrors()
        let serverURL = body.serverUrl.trimmingCharacters(in: .whitespaces)
        let username = body.username.trimmingCharacters(in: .whitespaces)
        let calendarURL = body.calendarUrl?.trimmingCharacters(in: .whitespaces)
        if !Self.isWebURL(serverURL) {
            errors.add("server_url", "must be an http or https URL")
        } else if !Self.isSecureOrLocal(serverURL) {
            // The password travels in every request (HTTP Basic): only over TLS, or on this machine.
            errors.add("server_url", "must be an https URL (plain http only for a server on this machine)")
        }
        if username.isEmpty || username.count > 320 { errors.add("username", "must be 1 to 320 characters") }
        if body.password.isEmpty || body.password.utf8.count > 1024 { errors.add("password", "must be 1 to 1024 bytes") }
        if let calendarURL, !Self.isWebURL(calendarURL) || !Self.isSecureOrLocal(calendarURL) {
            errors.add("calendar_url", "must be an https URL (plain http only for a server on this machine)")
        }
        try errors.throwIfAny()
        guard try await database.withConnection({ try await IntegrationRepository.userExists(host, in: $0) }) else {
            throw Problem.unauthorized()
        }

        do {
            let record = try await workflow.connectCalDAV(
                host: host, serverURL: serverURL, username: username, password: body.password, calendarURL: calendarURL, requestID: context.requestID
            )
            return EditedResponse(status: .created, response: IntegrationResource(record))
        } catch IntegrationWorkflow.Failure.provider(let error) {
            switch error {
            case .invalidGrant, .unauthorized:
                throw Problem.validation(field: "password", "the CalDAV server rejected these credentials")
            case .notFound:
                throw Problem.validation(field: calendarURL == nil ? "server_url" : "calendar_url", "no CalDAV calendar was found there")
            // Generic messages: the answer must not tell which ports or paths exist behind the URL.
            case .unavailable, .rateLimited:
                throw Problem.validation(field: "server_url", "the CalDAV server could not be reached")
            case .cursorExpired, .rejected:
                throw Problem.validation(field: calendarURL == nil ? "server_url" : "calendar_url", "is not a usable CalDAV calendar")
            }
        }
    }

    // MARK: Sync and disconnect

    func sync(_ context: ServiceRequestContext) async throws -> EditedResponse<IntegrationResource> {
        let host = try context.requireHost()
        let record = try await owned(context, host: host)
        guard record.status != .needsReauth else {
            throw Problem.conflict("The calendar must be connected again before it can sync.")
        }
        try await workflow.requestSync(record)
        return EditedResponse(status: .accepted, response: IntegrationResource(record))
    }

    func disconnect(_ context: ServiceRequestContext) async throws -> Response {
        let host = try context.requireHost()
        let record = try await owned(context, host: host)
        try await workflow.disconnect(record, requestID: context.requestID)
        return Response(status: .noContent)
    }

    // MARK: Helpers

    private func owned(_ context: ServiceRequestContext, host: UUID) async throws -> IntegrationRecord {
        guard let text = context.parameters.get("key"), let id = UUID(uuidString: text),
              let record = try await database.withConnection({ try await IntegrationRepository.find(id, host: host, in: $0) }) else {
            throw Problem.notFound("The integration does not exist.")
        }
        return record
    }

    private func oauthProvider(_ context: ServiceRequestContext) throws -> Provider {
        guard let text = context.parameters.get("key"), let provider = Provider(rawValue: text), provider.usesOAuth else {
            throw Problem.notFound("Unknown calendar provider: use google or microsoft (CalDAV connects with POST /api/integrations/caldav).")
        }
        return provider
    }

    private func problem(_ error: ProviderError, field: String) -> Problem {
        switch error {
        case .invalidGrant:
            Problem.validation(field: field, "the provider refused the authorization code (expired or already used); start the connection again")
        case .unavailable, .rateLimited:
            Problem.unavailable("The calendar provider is unavailable; try connecting again shortly.")
        case .unauthorized, .notFound, .cursorExpired, .rejected:
            Problem.validation(field: field, "the provider refused the connection (\(error))")
        }
    }

    /// https, or http to a loopback address (a CalDAV server on the same machine, as in the local stack).
    static func isSecureOrLocal(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return false }
        return scheme == "https" || ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    }

    static func isWebURL(_ text: String) -> Bool {
        guard text.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return false
        }
        return scheme == "http" || scheme == "https"
    }
}

extension Provider {
    var displayName: String {
        switch self {
        case .google: "Google Calendar"
        case .microsoft: "Microsoft Outlook"
        case .caldav: "CalDAV"
        }
    }
}

/// An integration as the API shows it: `{id, provider, calendar_id, status, last_synced_at}` plus
/// the account, the last sync error and when it was connected.
struct IntegrationResource: ResponseEncodable, Codable, Sendable, Equatable {
    var id: String
    var provider: String
    var account: String
    var calendarId: String
    var status: String
    var lastSyncedAt: String?
    var lastSyncError: String?
    var createdAt: String

    init(_ record: IntegrationRecord) {
        id = record.id.uuidString.lowercased()
        provider = record.provider.rawValue
        account = record.account
        calendarId = record.calendarID
        status = record.status.rawValue
        lastSyncedAt = record.lastSyncedAt.map(RFC3339.format)
        lastSyncError = record.lastSyncError
        createdAt = RFC3339.format(record.createdAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(provider, forKey: .provider)
        try container.encode(account, forKey: .account)
        try container.encode(calendarId, forKey: .calendarId)
        try container.encode(status, forKey: .status)
        try container.encode(lastSyncedAt, forKey: .lastSyncedAt)  // null until the first sync
        try container.encode(lastSyncError, forKey: .lastSyncError)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

