import Events
import Foundation
import Hummingbird
import Postgres
import ServiceRuntime

/// `/api/meeting-types` (host) and `GET /api/public/{user_slug}/{type_slug}` (anyone).
struct MeetingTypeController: Sendable {
    let database: Database
    let meetingTypes: MeetingTypeRepository
    let invalidation: AvailabilityInvalidation


    static let defaultPageSize = 50
    static let maximumPageSize = 100

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/api/meeting-types") { request, context in try await create(request, context) }
        router.get("/api/meeting-types") { request, context in try await list(request, context) }
        router.get("/api/meeting-types/{id}") { request, context in try await show(request, context) }
        router.patch("/api/meeting-types/{id}") { request, context in try await update(request, context) }
        router.delete("/api/meeting-types/{id}") { _, context in try await delete(context) }
        router.get("/api/public/{user_slug}/{type_slug}") { _, context in try await publicLink(context) }
        router.get("/api/public/{user_slug}") { _, context in try await publicHost(context) }
    }

    func create(_ request: Request, _ context: ServiceRequestContext) async throws -> EditedResponse<MeetingTypeResource> {
        let host = try context.requireHost()
        let fields = try await request.decodeContract(CreateMeetingTypeRequest.self, context: context).fields
        var errors = FieldErrors()
        fields.validate(into: &errors)
        try errors.throwIfAny()
        let created = try await writing(host: host, reason: .meetingType, context: context) { session in
            try await meetingTypes.insert(id: UUID(), host: host, fields, in: session)
        }
        return EditedResponse(status: .created, response: created)
    }

    func list(_ request: Request, _ context: ServiceRequestContext) async throws -> ListPage<MeetingTypeResource> {
        let host = try context.requireHost()
        let query = request.uri.queryParameters
        var errors = FieldErrors()
        var limit = Self.defaultPageSize
        if let text = query.get("limit") {
            if let value = Int(text), (1...Self.maximumPageSize).contains(value) { limit = value } else {
                errors.add("limit", "must be an integer from 1 to \(Self.maximumPageSize)")
            }
        }
        var cursor: UUID?
        if let text = query.get("cursor") {
            cursor = PageCursor.decode(text, count: 1).flatMap { UUID(uuidString: $0[0]) }
            errors.check(cursor != nil, "cursor", PageCursor.invalidMessage)
        }
        try errors.throwIfAny()
        let rows = try await database.primary.withConnection { session in
            try await meetingTypes.list(host: host, after: cursor, limit: limit + 1, in: session)
        }
        let page = Array(rows.prefix(limit))
        return ListPage(data: page, nextCursor: rows.count > limit ? page.last.map { PageCursor.encode([$0.id.uuidString.lowercased()]) } : nil)
    }

    /// The owner sees the whole resource; anyone else the public view of an active type.
    func show(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound() }
        if let host = context.authenticatedUserID,
           let own = try await database.primary.withConnection({ try await meetingTypes.find(id: id, host: host, in: $0) }) {
            return try own.response(from: request, context: context)
        }
        guard let shown = try await database.reads.withConnection({ try await meetingTypes.publicType(id: id, in: $0) }) else {
            throw Problem.notFound()
        }
        return try shown.response(from: request, context: context)
    }

    func update(_ request: Request, _ context: ServiceRequestContext) async throws -> MeetingTypeResource {
        let host = try context.requireHost()
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound() }
        let change = try await request.decodeContract(UpdateMeetingTypeRequest.self, context: context)
        return try await writing(host: host, reason: .meetingType, context: context) { session in
            guard let current = try await meetingTypes.find(id: id, host: host, lock: true, in: session) else {
                throw Problem.notFound()
            }
            let fields = change.applied(to: current.fields)
            var errors = FieldErrors()
            fields.validate(into: &errors)
            try errors.throwIfAny()
            guard let updated = try await meetingTypes.update(id: id, host: host, fields, in: session) else {
                throw Problem.notFound()
            }
            return updated
        }
    }

    func delete(_ context: ServiceRequestContext) async throws -> Response {
        let host = try context.requireHost()
        guard let id = context.parameters.get("id", as: UUID.self) else { throw Problem.notFound() }
        try await writing(host: host, reason: .meetingType, context: context) { session in
            guard try await meetingTypes.softDelete(id: id, host: host, in: session) else { throw Problem.notFound() }
        }
        return Response(status: .noContent)
    }

    func publicLink(_ context: ServiceRequestContext) async throws -> PublicMeetingType {
        guard let userSlug = context.parameters.get("user_slug"), let typeSlug = context.parameters.get("type_slug") else {
            throw Problem.notFound()
        }
        guard let found = try await database.reads.withConnection({
            try await meetingTypes.publicType(userSlug: userSlug, typeSlug: typeSlug, in: $0)
        }) else {
            throw Problem.notFound()
        }
        return found
    }

    /// A host's page: the host and its active meeting types (what `/{user_slug}` shows).
    func publicHost(_ context: ServiceRequestContext) async throws -> PublicHostPage {
        guard let userSlug = context.parameters.get("user_slug"),
              let found = try await database.reads.withConnection({ try await meetingTypes.publicTypes(userSlug: userSlug, in: $0) })
        else {
            throw Problem.notFound()
        }
        return found
    }

    /// Runs `body` in a transaction that also records the availability change, then drops the host's cached slots.
    private func writing<T: Sendable>(
        host: UUID, reason: AvailabilityChanged.Reason, context: ServiceRequestContext,
        _ body: @Sendable (PostgresSession) async throws -> T
    ) async throws -> T {
        let result: T
        do {
            result = try await database.primary.withTransaction { session in
                let value = try await body(session)
                try await invalidation.record(host: host, reason: reason, requestID: context.requestID, in: session)
                return value
            }
        } catch is MeetingTypeRepository.DuplicateSlug {
            throw Problem.conflict("You already have a meeting type with this slug.")
        }
        await invalidation.invalidate(host: host, logger: context.logger)
        return result
    }
}
