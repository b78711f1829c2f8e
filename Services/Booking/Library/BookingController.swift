import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import ServiceRuntime

/// The routes under `/api/bookings`: parse and validate, then hand over to the workflow.
struct BookingController: Sendable {
    let workflow: BookingWorkflow

    func register(on router: Router<ServiceRequestContext>) {
        let group = router.group("/api/bookings")
        group.post(use: create)
        group.get(use: list)
        group.get("/:id", use: read)
        group.post("/:id/cancel", use: cancel)
        group.post("/:id/reschedule", use: reschedule)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let key = try Self.idempotencyKey(request)
        let bytes = Array(Data(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let body = try ContractRequestDecoder.decode(CreateBookingRequest.Body.self, from: bytes)
        let booking = try CreateBookingRequest(body)
        switch try await workflow.create(booking, idempotencyKey: key, requestHash: IdempotencyStore.requestHash(of: bytes), requestID: context.requestID) {
        case .created(let response, let body):
            return Self.json(status: .created, body: body, location: "/api/bookings/\(response.id.uuidString.lowercased())")
        case .replayed(let status, let body):
            var response = Self.json(status: .init(code: status), body: body, location: nil)
            response.headers[.idempotentReplayed] = "true"
            return response
        }
    }

    @Sendable func read(_ request: Request, context: ServiceRequestContext) async throws -> BookingResponse {
        let id = try Self.bookingID(context)
        let access = try BookingAccess(context: context, token: request.uri.queryParameters["token"].map(String.init))
        return BookingResponse(try await workflow.find(id, access: access))
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> ListPage<BookingResponse> {
        let host = try context.requireHost()
        let query = request.uri.queryParameters
        var errors = FieldErrors()
        var status: Booking.Status?
        if let text = query["status"], !text.isEmpty {
            status = Booking.Status(rawValue: String(text))
            if status == nil { errors.add("status", "must be confirmed, cancelled or rescheduled") }
        }
        func instant(_ name: String) -> Date? {
            guard let text = query[Substring(name)], !text.isEmpty else { return nil }
            return BookingValidation.instant(String(text), field: name, into: &errors)
        }
        let from = instant("from")
        let to = instant("to")
        var limit = 50
        if let text = query["limit"] {
            if let value = Int(text), (1...200).contains(value) { limit = value } else {
                errors.add("limit", "must be an integer from 1 to 200")
            }
        }
        var newestFirst = false
        if let text = query["order"] {
            switch text {
            case "asc": newestFirst = false
            case "desc": newestFirst = true
            default: errors.add("order", "must be asc (by start, the default) or desc (the latest start first)")
            }
        }
        var cursor: (Date, UUID)?
        if let text = query["cursor"], !text.isEmpty {
            cursor = BookingCursor.decode(String(text))
            if cursor == nil { errors.add("cursor", PageCursor.invalidMessage) }
        }
        try errors.throwIfAny()
        let page = try await workflow.list(host: host, status: status, from: from, to: to, after: cursor, newestFirst: newestFirst, limit: limit + 1)
        let items = Array(page.prefix(limit))
        let next = page.count > limit ? items.last.map { BookingCursor.encode($0.startTime, $0.id) } : nil
        return ListPage(data: items.map { BookingResponse($0, cancelToken: nil) }, nextCursor: next)
    }

    @Sendable func cancel(_ request: Request, context: ServiceRequestContext) async throws -> BookingResponse {
        let id = try Self.bookingID(context)
        let body = try await Self.optionalBody(CancelBookingRequest.self, request, context) ?? CancelBookingRequest(reason: nil, token: nil)
        let validated = try body.validated()
        let token = validated.token ?? request.uri.queryParameters["token"].map(String.init)
        let access = try BookingAccess(context: context, token: token)
        return BookingResponse(try await workflow.cancel(id, access: access, reason: validated.reason, requestID: context.requestID))
    }

    @Sendable func reschedule(_ request: Request, context: ServiceRequestContext) async throws -> BookingResponse {
        let id = try Self.bookingID(context)
        let body = try RescheduleBookingRequest(try await request.decodeContract(RescheduleBookingRequest.Body.self, context: context))
        let token = body.token ?? request.uri.queryParameters["token"].map(String.init)
        let access = try BookingAccess(context: context, token: token)
        return try await workflow.reschedule(id, access: access, to: body.startTime, expectedVersion: body.version, requestID: context.requestID)
    }

    // MARK: Parsing

    /// A malformed id cannot name a booking: the same `404` as a missing one.
    static func bookingID(_ context: ServiceRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem.bookingNotFound }
        return id
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw Problem.validation(field: "Idempotency-Key", "must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    /// An empty body is an empty object (a cancel needs nothing else).
    static func optionalBody<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServiceRequestContext) async throws -> T? {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { return nil }
        return try ContractRequestDecoder.decode(type, from: buffer.readableBytesView)
    }

    static func json(status: HTTPResponse.Status, body: [UInt8], location: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The cursor of the bookings list: the last item's start and id.
enum BookingCursor {
    static func encode(_ start: Date, _ id: UUID) -> String {
        PageCursor.encode([String(Int(start.timeIntervalSince1970)), id.uuidString.lowercased()])
    }

    static func decode(_ text: String) -> (Date, UUID)? {
        guard let fields = PageCursor.decode(text, count: 2), let seconds = Int(fields[0]), let id = UUID(uuidString: fields[1]) else { return nil }
        return (Date(timeIntervalSince1970: Double(seconds)), id)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

