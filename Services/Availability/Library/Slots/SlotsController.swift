import Foundation
import HTTPTypes
import Hummingbird
import SchedulingCore
import ServiceRuntime

/// `GET /api/availability/slots` (public): one date (`date`) or up to 31 (`start_date`…`end_date`).
struct SlotsController: Sendable {
    let lookup: SlotLookup

    /// The longest range one request may ask for, in days (`end_date` inclusive).
    static let maximumRangeDays = 31
    static let cacheHeader = HTTPField.Name("X-Cache")!

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/api/availability/slots") { request, context in try await slots(request, context) }
    }

    func slots(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        var errors = FieldErrors()
        var meetingTypeID: UUID?
        if let text = parameters.get("meeting_type_id") {
            meetingTypeID = UUID(uuidString: text)
            errors.check(meetingTypeID != nil, "meeting_type_id", "must be a UUID")
        } else {
            errors.add("meeting_type_id", "is required")
        }
        var zoneName: String?
        if let text = parameters.get("timezone") {
            errors.check(NamedTimeZone(text) != nil, "timezone", NamedTimeZone.invalidMessage)
            zoneName = text
        }
        var dates: (first: LocalDate, last: LocalDate)?
        let isRange: Bool
        switch (parameters.get("date"), parameters.get("start_date"), parameters.get("end_date")) {
        case (let date?, nil, nil):
            isRange = false
            if let day = LocalDate(date) { dates = (day, day) } else { errors.add("date", "must be a date YYYY-MM-DD") }
        case (nil, let start?, let end?):
            isRange = true
            let first = LocalDate(start)
            let last = LocalDate(end)
            errors.check(first != nil, "start_date", "must be a date YYYY-MM-DD")
            errors.check(last != nil, "end_date", "must be a date YYYY-MM-DD")
            if let first, let last {
                if last < first {
                    errors.add("end_date", "must not be before start_date")
                } else if first.distance(to: last) >= Self.maximumRangeDays {
                    errors.add("end_date", "must be at most \(Self.maximumRangeDays) days from start_date, inclusive")
                } else {
                    dates = (first, last)
                }
            }
        case (nil, _?, nil):
            isRange = true
            errors.add("end_date", "is required with start_date")
        case (nil, nil, _?):
            isRange = true
            errors.add("start_date", "is required with end_date")
        case (nil, nil, nil):
            isRange = false
            errors.add("date", "is required (or start_date and end_date)")
        case (_?, _, _):
            isRange = false
            errors.add("date", "give either date, or start_date and end_date, not both")
        }
        try errors.throwIfAny()
        guard let meetingTypeID, let dates else { throw Problem.validation(field: "date", "is invalid") }

        let query = SlotLookup.Query(meetingTypeID: meetingTypeID, firstDate: dates.first, lastDate: dates.last, zoneName: zoneName)
        guard let answer = try await lookup.slots(for: query, logger: context.logger) else {
            throw Problem.notFound("The meeting type does not exist or is not active.")
        }
        let body = isRange
            ? SlotsResponseBody.range(answer.days, meetingTypeID: meetingTypeID, zoneName: answer.zoneName)
            : SlotsResponseBody.day(answer.days[0], meetingTypeID: meetingTypeID, zoneName: answer.zoneName)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", Self.cacheHeader: answer.fromCache ? "hit" : "miss"],
            body: .init(byteBuffer: body)
        )
    }
}
