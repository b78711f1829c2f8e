import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import ServiceRuntime
@testable import BookingService

/// A host with a schedule and a meeting type, made directly in the database (the availability
/// service's tables), and the booking service built over the real stack.
struct BookingFixture: Sendable {
    static let secret = "test-secret-test-secret-test-secret-1234"
    static let encryptionKeyHex = String(repeating: "ab", count: 32)
    static let databaseURL = ProcessInfo.processInfo.environment["DATABASE_URL"]
        ?? "postgres://rendezvous:rendezvous@127.0.0.1:55432/rendezvous_test"

    let db: PostgresClient
    let hostID: UUID
    let meetingTypeID: UUID
    let hostToken: String
    /// A Monday at least a week ahead, 00:00 UTC (the host's zone is UTC unless told otherwise).
    let monday: Date

    static func configuration(_ overrides: [String: String] = [:]) throws -> ServiceConfiguration {
        var environment = ProcessInfo.processInfo.environment
        environment["AUTH_SECRET"] = secret
        environment["TOKEN_ENCRYPTION_KEY"] = encryptionKeyHex  // the tests open what the service sealed
        environment["TOKEN_ENCRYPTION_KEY_ID"] = "1"
        environment["DATABASE_POOL_SIZE"] = "10"
        environment["DATABASE_URL"] = databaseURL
        for (key, value) in overrides { environment[key] = value }
        return try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 0)
    }

    /// The Monday the fixtures book around (at least a week ahead, 00:00 UTC), fixed for the run.
    static let referenceMonday = nextMonday()
    /// The booking service's clock in the tests: the Friday before `referenceMonday`, 12:00 UTC,
    /// however long a run takes (minimum notice and the booking window are measured from it).
    static let now = referenceMonday.addingTimeInterval(-3 * 86_400 + 12 * 3600)

    static func app(_ overrides: [String: String] = [:]) async throws -> some ApplicationProtocol {
        try await buildApplication(BookingService.definition(now: { now }), configuration: configuration(overrides), logger: Logger(label: "booking-test"))
    }

    /// Makes a host (Monday–Friday 09:00–17:00 in `zone` unless `rules` says otherwise) and a meeting type.
    static func make(
        zone: String = "UTC",
        rules: [(Int, String, String)] = (1...5).map { ($0, "09:00", "17:00") },
        duration: Int = 30, bufferBefore: Int = 0, bufferAfter: Int = 0, interval: Int = 15,
        cap: Int? = nil, notice: Int = 0, window: Int = 60, active: Bool = true
    ) async throws -> BookingFixture {
        let db = PostgresClient(configuration: .init(url: databaseURL, maxConnections: 4), logger: Logger(label: "fixture"))
        let host = UUID()
        let type = UUID()
        try await db.query("""
            INSERT INTO users (id, email, password_hash, name, time_zone, slug)
            VALUES (\(host), \("host-\(host)@example.com"), 'x', 'Fixture Host', \(zone), \("h-\(host.uuidString.lowercased())"))
            """)
        try await db.query("""
            INSERT INTO meeting_types (id, user_id, name, slug, duration_minutes, buffer_before_minutes, buffer_after_minutes,
                                       slot_interval_minutes, max_bookings_per_day, min_notice_minutes, max_days_in_future, is_active)
            VALUES (\(type), \(host), 'Intro', 'intro', \(duration), \(bufferBefore), \(bufferAfter), \(interval), \(cap), \(notice), \(window), \(active))
            """)
        for (day, start, end) in rules {
            try await db.query("""
                INSERT INTO availability_rules (user_id, day_of_week, start_time, end_time)
                VALUES (\(host), \(day), \(start)::time, \(end)::time)
                """)
        }
        let token = try await AccessTokens(secret: secret).issue(for: host)
        return BookingFixture(db: db, hostID: host, meetingTypeID: type, hostToken: token, monday: Self.referenceMonday)
    }

    static func nextMonday() -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.startOfDay(for: Date().addingTimeInterval(7 * 86_400))
        while calendar.component(.weekday, from: day) != 2 { day = day.addingTimeInterval(86_400) }
        return day
    }

    /// `monday` + `hours` as an RFC 3339 string.
    func at(_ hours: Double, dayOffset: Int = 0) -> String {
        RFC3339.format(monday.addingTimeInterval(Double(dayOffset) * 86_400 + hours * 3600))
    }

    func body(start: String, email: String = "ivy@example.com", extra: [String: Any] = [:]) -> ByteBuffer {
        var object: [String: Any] = [
            "meeting_type_id": meetingTypeID.uuidString, "start_time": start, "invitee_name": "Ivy Invitee",
            "invitee_email": email, "invitee_timezone": "Europe/Berlin",
        ]
        for (key, value) in extra { object[key] = value }
        return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    func confirmedCount() async throws -> Int {
        let rows = try await db.query("SELECT count(*)::int AS n FROM bookings WHERE host_user_id = \(hostID) AND status = 'confirmed'")
        return try rows[0].decode("n", as: Int.self)
    }

    /// Pairs of this host's confirmed bookings whose times overlap (must always be 0).
    func overlappingPairs() async throws -> Int {
        let rows = try await db.query("""
            SELECT count(*)::int AS n FROM bookings a JOIN bookings b
              ON a.host_user_id = b.host_user_id AND a.id < b.id
             AND tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)
            WHERE a.host_user_id = \(hostID) AND a.status = 'confirmed' AND b.status = 'confirmed'
            """)
        return try rows[0].decode("n", as: Int.self)
    }

    func close() async throws { try await db.shutdown() }
}

/// The problem JSON of a response.
struct ProblemBody: Decodable {
    let status: Int
    let code: String
    let errors: [FieldError]?
    struct FieldError: Decodable { let field: String; let message: String }
}

extension JSONDecoder {
    static var test: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// A booking as the API returns it.
struct BookingJSON: Decodable {
    let id: UUID
    let status: String
    let meetingTypeId: UUID
    let hostUserId: UUID
    let startTime: String
    let endTime: String
    let inviteeName: String
    let inviteeEmail: String
    let inviteeTimezone: String
    let answers: [String: String]
    let version: Int
    let cancelToken: String?
    let rescheduledFrom: UUID?
    let createdAt: String
}
