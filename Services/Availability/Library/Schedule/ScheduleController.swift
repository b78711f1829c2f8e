import Foundation
import Hummingbird
import Postgres
import SchedulingCore
import ServiceRuntime

/// `/api/availability/rules` and `/api/availability/overrides`: the host's weekly hours and dated exceptions.
struct ScheduleController: Sendable {
    let database: Database
    let users: UserRepository
    let schedule: WeeklyScheduleRepository
    let invalidation: AvailabilityInvalidation

    struct WindowInput: Decodable {
        var startTime: String
        var endTime: String
    }

    struct RuleInput: Decodable {
        var dayOfWeek: Int
        var startTime: String
        var endTime: String
    }

    struct RulesRequest: Decodable {
        var rules: [RuleInput]
    }

    struct OverrideRequest: Decodable {
        var intervals: [WindowInput]
    }

    /// `{time_zone, rules}`: the rules are wall-clock times in `time_zone`.
    struct WeeklySchedule: ResponseEncodable {
        var timeZone: String
        var rules: [WeeklyRule]
    }

    /// `{date, intervals}`.
    struct OverrideResource: ResponseEncodable {
        var date: LocalDate
        var intervals: [WallClockWindow]
    }


    /// More windows than a week can reasonably hold is a mistake (or abuse).
    static let maximumRules = 200
    static let maximumIntervals = 48
    static let defaultPageSize = 100
    static let maximumPageSize = 366

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/api/availability/rules") { _, context in try await rules(context) }
        router.put("/api/availability/rules") { request, context in try await replaceRules(request, context) }
        router.get("/api/availability/overrides") { request, context in try await overrides(request, context) }
        router.put("/api/availability/overrides/{date}") { request, context in try await setOverride(request, context) }
        router.delete("/api/availability/overrides/{date}") { _, context in try await deleteOverride(context) }
    }

    func rules(_ context: ServiceRequestContext) async throws -> WeeklySchedule {
        let host = try context.requireHost()
        return try await database.primary.withConnection { session in
            guard let user = try await users.user(id: host, in: session) else { throw Problem.unauthorized() }
            return WeeklySchedule(timeZone: user.timeZone, rules: try await schedule.rules(host: host, in: session))
        }
    }

    func replaceRules(_ request: Request, _ context: ServiceRequestContext) async throws -> WeeklySchedule {
        let host = try context.requireHost()
        let body = try await request.decodeContract(RulesRequest.self, context: context)
        var errors = FieldErrors()
        errors.check(body.rules.count <= Self.maximumRules, "rules", "must hold at most \(Self.maximumRules) windows")
        var listed = ListedErrors()
        var parsed: [(index: Int, rule: WeeklyRule)] = []
        for (index, input) in body.rules.enumerated() {
            let start = Self.time(input.startTime, field: "rules[\(index)].start_time", index: index, isEnd: false, errors: &listed)
            let end = Self.time(input.endTime, field: "rules[\(index)].end_time", index: index, isEnd: true, errors: &listed)
            if let start, let end {
                parsed.append((index, WeeklyRule(dayOfWeek: input.dayOfWeek, startTime: start, endTime: end)))
            } else if !(0...6).contains(input.dayOfWeek) {
                listed.add(index: index, "rules[\(index)].day_of_week", "must be 0 (Sunday) to 6 (Saturday)")
            }
        }
        // The engine's checks (day range, order, overlaps) over the windows that parsed, renumbered.
        for violation in ScheduleViolation.violations(ofWeeklyRules: parsed.map(\.rule), field: "rule") {
            listed.add(renumbering: violation, list: "rules", indices: parsed.map(\.index))
        }
        listed.append(to: &errors)
        let rules = parsed.map(\.rule)
        try errors.throwIfAny()

        let saved = try await database.primary.withTransaction { session in
            guard let user = try await users.lock(id: host, in: session) else { throw Problem.unauthorized() }
            try await schedule.replaceRules(host: host, with: rules, in: session)
            try await invalidation.record(host: host, reason: .rules, requestID: context.requestID, in: session)
            return WeeklySchedule(timeZone: user.timeZone, rules: try await schedule.rules(host: host, in: session))
        }
        await invalidation.invalidate(host: host, logger: context.logger)
        return saved
    }

    func overrides(_ request: Request, _ context: ServiceRequestContext) async throws -> ListPage<OverrideResource> {
        let host = try context.requireHost()
        let query = request.uri.queryParameters
        var errors = FieldErrors()
        let from = query.get("from").flatMap { Self.date($0, field: "from", errors: &errors) }
        let to = query.get("to").flatMap { Self.date($0, field: "to", errors: &errors) }
        var cursor: LocalDate?
        if let text = query.get("cursor") {
            cursor = PageCursor.decode(text, count: 1).flatMap { LocalDate($0[0]) }
            errors.check(cursor != nil, "cursor", PageCursor.invalidMessage)
        }
        if let from, let to { errors.check(from <= to, "to", "must not be before from") }
        var limit = Self.defaultPageSize
        if let text = query.get("limit") {
            if let value = Int(text), (1...Self.maximumPageSize).contains(value) { limit = value } else {
                errors.add("limit", "must be an integer from 1 to \(Self.maximumPageSize)")
            }
        }
        try errors.throwIfAny()
        // The cursor is the last date of the previous page.
        let first = [from, cursor?.adding(days: 1)].compactMap { $0 }.max()
        let found = try await database.primary.withConnection { session in
            try await schedule.overrides(host: host, from: first, through: to, limit: limit + 1, in: session)
        }
        let page = found.prefix(limit).map { OverrideResource(date: $0.date, intervals: $0.intervals) }
        return ListPage(data: page, nextCursor: found.count > limit ? page.last.map { PageCursor.encode([$0.date.description]) } : nil)
    }

    func setOverride(_ request: Request, _ context: ServiceRequestContext) async throws -> OverrideResource {
        let host = try context.requireHost()
        var errors = FieldErrors()
        let date = Self.date(context.parameters.get("date") ?? "", field: "date", errors: &errors)
        try errors.throwIfAny()
        let body = try await request.decodeContract(OverrideRequest.self, context: context)
        errors.check(body.intervals.count <= Self.maximumIntervals, "intervals", "must hold at most \(Self.maximumIntervals) windows")
        var listed = ListedErrors()
        var parsed: [(index: Int, window: WallClockWindow)] = []
        for (index, input) in body.intervals.enumerated() {
            let start = Self.time(input.startTime, field: "intervals[\(index)].start_time", index: index, isEnd: false, errors: &listed)
            let end = Self.time(input.endTime, field: "intervals[\(index)].end_time", index: index, isEnd: true, errors: &listed)
            if let start, let end { parsed.append((index, WallClockWindow(startTime: start, endTime: end))) }
        }
        for violation in ScheduleViolation.violations(ofOverrideIntervals: parsed.map(\.window), field: "interval") {
            listed.add(renumbering: violation, list: "intervals", indices: parsed.map(\.index))
        }
        listed.append(to: &errors)
        let windows = parsed.map(\.window)
        try errors.throwIfAny()
        guard let date else { throw Problem.validation(field: "date", "must be a date YYYY-MM-DD") }

        let override = DateOverride(date: date, intervals: windows.sorted { $0.startTime < $1.startTime })
        try await database.primary.withTransaction { session in
            guard try await users.lock(id: host, in: session) != nil else { throw Problem.unauthorized() }
            try await schedule.setOverride(host: host, override, in: session)
            try await invalidation.record(host: host, reason: .overrides, requestID: context.requestID, in: session)
        }
        await invalidation.invalidate(host: host, logger: context.logger)
        return OverrideResource(date: override.date, intervals: override.intervals)
    }

    func deleteOverride(_ context: ServiceRequestContext) async throws -> Response {
        let host = try context.requireHost()
        var errors = FieldErrors()
        let date = Self.date(context.parameters.get("date") ?? "", field: "date", errors: &errors)
        try errors.throwIfAny()
        guard let date else { throw Problem.validation(field: "date", "must be a date YYYY-MM-DD") }
        try await database.primary.withTransaction { session in
            guard try await users.lock(id: host, in: session) != nil else { throw Problem.unauthorized() }
            guard try await schedule.deleteOverride(host: host, date: date, in: session) else { throw Problem.notFound() }
            try await invalidation.record(host: host, reason: .overrides, requestID: context.requestID, in: session)
        }
        await invalidation.invalidate(host: host, logger: context.logger)
        return Response(status: .noContent)
    }

    /// A window's start or end. `24:00` is the end of the day, so only an end may be it: a start of
    /// `24:00` is reported against the start itself, not as an end that is not after it.
    private static func time(_ text: String, field: String, index: Int, isEnd: Bool, errors: inout ListedErrors) -> WallClockTime? {
        guard let time = WallClockTime(text) else {
            errors.add(index: index, field, isEnd ? "must be a time HH:mm from 00:00 to 24:00" : "must be a time HH:mm from 00:00 to 23:59")
            return nil
        }
        if !isEnd && time == .endOfDay {
            errors.add(index: index, field, "must be a time HH:mm from 00:00 to 23:59 (24:00 is an end only)")
            return nil
        }
        return time
    }

    private static func date(_ text: String, field: String, errors: inout FieldErrors) -> LocalDate? {
        guard let date = LocalDate(text) else {
            errors.add(field, "must be a date YYYY-MM-DD")
            return nil
        }
        return date
    }
}
