import AMQP
import AvailabilityService
import BookingService
import Curl
import Events
import Foundation
import Hummingbird
import Logging
import NotifierService
import Postgres
import ProviderFakes
import ServiceLifecycle
import ServiceRuntime
@testable import IntegrationService

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// Configuration and small tools shared by the integration service's tests.
enum IntegrationTestSupport {
    static let secret = "integration-test-secret-0123456789abcdef"

    static var databaseURL: String {
        ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "postgres://rendezvous:rendezvous@127.0.0.1:55432/rendezvous_test"
    }

    static var encryptionKeyHex: String {
        ProcessInfo.processInfo.environment["TOKEN_ENCRYPTION_KEY"] ?? String(repeating: "ab", count: 32)
    }

    static func configuration(port: Int = 0, _ overrides: [String: String] = [:]) throws -> ServiceConfiguration {
        var environment = ProcessInfo.processInfo.environment
        environment["AUTH_SECRET"] = secret
        environment["TOKEN_ENCRYPTION_KEY"] = encryptionKeyHex
        environment["DATABASE_URL"] = databaseURL
        environment["DATABASE_POOL_SIZE"] = environment["DATABASE_POOL_SIZE"] ?? "6"
        environment["PORT"] = String(port)
        environment["HOST"] = "127.0.0.1"
        environment["PASSWORD_HASH_COST"] = "4"
        for (key, value) in overrides { environment[key] = value }
        return try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: port)
    }






    static var sinkDirectory: URL {
        if let folder = ProcessInfo.processInfo.environment["SMTP_SINK_DIR"], !folder.isEmpty { return URL(fileURLWithPath: folder) }
        let root = ProcessInfo.processInfo.environment["RENDEZVOUS_ROOT"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        return URL(fileURLWithPath: root).appendingPathComponent(".run/mail")
    }

    /// Raw messages in the SMTP sink addressed to `recipient`.
    static func mails(to recipient: String) -> [String] {
        let folder = sinkDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        // Named by the instant written: older runs' messages (a benchmark leaves thousands) are skipped unread.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        let cutoff = formatter.string(from: Date().addingTimeInterval(-15 * 60))
        return names.sorted().filter { $0.hasSuffix(".eml") && $0 >= cutoff }.compactMap { name -> String? in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            let raw = String(decoding: data, as: UTF8.self)
            return raw.contains("To: \(recipient)") ? raw : nil
        }
    }
}

/// A service application listening on a real loopback port (providers call its webhooks).
///
/// Stopped by a graceful shutdown of its service group, never by cancelling it: a connection
/// accepted while a cancelled Hummingbird server winds down trips a NIO precondition
/// ("Deinited NIOAsyncWriter without calling finish()") and kills the test process.
final class LiveApp: Sendable {
    let baseURL: String
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(baseURL: String, task: Task<Void, any Error>, group: ServiceGroup) {
        self.baseURL = baseURL
        self.task = task
        self.group = group
    }

    static func start(_ app: some ApplicationProtocol & Sendable, port: Int) async throws -> LiveApp {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: testLogger("live-app")))
        let task = Task { try await group.run() }
        let live = LiveApp(baseURL: "http://127.0.0.1:\(port)", task: task, group: group)
        let client = CurlHTTPClient(configuration: .init(numberOfThreads: 1))
        defer { Task { try? await client.shutdown() } }
        let up = await eventually(timeout: .seconds(30)) {
            (try? await client.execute(HTTPClientRequest(url: live.baseURL + "/health", timeout: .seconds(2))).status) == 200
        }
        guard up else {
            await group.triggerGracefulShutdown()
            throw HarnessError("the app on port \(port) did not come up")
        }
        return live
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A host (schedule Monday–Friday 09:00–17:00 in its zone, a 30-minute meeting type), the
/// integration service with the provider fakes' URLs, and the availability and booking services,
/// all live on loopback over the real stack.
final class IntegrationHarness: @unchecked Sendable {
    let tag = freshTag()
    let db: PostgresClient
    let http = CurlHTTPClient(configuration: .init(numberOfThreads: 4))
    let hostID = UUID()
    let hostEmail: String
    let hostZone: String
    let meetingTypeID = UUID()
    let hostToken: String
    let google: FakeGoogle
    let microsoft: FakeMicrosoft
    private(set) var integration: LiveApp!
    private(set) var availability: LiveApp!
    private(set) var booking: LiveApp!
    private(set) var notifier: LiveApp?
    private let partsBox = PartsHolder()

    var parts: IntegrationService.Parts { partsBox.parts! }
    var queue: String { "integration.test.\(tag)" }
    var notifierQueue: String { "notifier.test.int-\(tag)" }

    private init(db: PostgresClient, hostZone: String, google: FakeGoogle, microsoft: FakeMicrosoft) async throws {
        self.db = db
        self.hostZone = hostZone
        self.google = google
        self.microsoft = microsoft
        hostEmail = "host-\(tag)@example.com"
        hostToken = try await AccessTokens(secret: IntegrationTestSupport.secret).issue(for: hostID)
    }

    /// Everything up; `settings` may adjust the integration service's settings (backoffs, window).
    static func start(
        hostZone: String = "Europe/London", notifier: Bool = false,
        adjust: (inout IntegrationSettings) -> Void = { _ in }
    ) async throws -> IntegrationHarness {
        let db = PostgresClient(
            configuration: PostgresConfiguration(url: IntegrationTestSupport.databaseURL, maxConnections: 4, applicationName: "integration-tests"),
            logger: testLogger("integration.postgres")
        )
        try await DatabaseMigrator.bundled().migrate(db, logger: testLogger("migrations"))
        let google = try await FakeGoogle.start()
        let microsoft = try await FakeMicrosoft.start()
        let harness = try await IntegrationHarness(db: db, hostZone: hostZone, google: google, microsoft: microsoft)
        try await harness.makeHost()
        try await harness.startServices(notifier: notifier, adjust: adjust)
        return harness
    }

    private func makeHost() async throws {
        try await db.query("""
            INSERT INTO users (id, email, password_hash, name, time_zone, slug)
            VALUES (\(hostID), \(hostEmail), 'x', 'Hana Host', \(hostZone), \("i-\(tag)"))
            """)
        try await db.query("""
            INSERT INTO meeting_types (id, user_id, name, slug, duration_minutes, slot_interval_minutes, max_days_in_future)
            VALUES (\(meetingTypeID), \(hostID), 'Intro call', 'intro', 30, 30, 60)
            """)
        for day in 1 ... 5 {
            try await db.query("""
                INSERT INTO availability_rules (user_id, day_of_week, start_time, end_time) VALUES (\(hostID), \(day), '09:00'::time, '17:00'::time)
                """)
        }
    }

    private func startServices(notifier withNotifier: Bool, adjust: (inout IntegrationSettings) -> Void) async throws {
        let port = try freePort()
        let base = "http://127.0.0.1:\(port)"
        var settings = IntegrationSettings(
            google: .init(
                clientID: google.clientID, clientSecret: google.clientSecret, authorizeURL: google.authorizeURL,
                tokenURL: google.tokenURL, apiURL: google.calendarAPIURL, scopes: IntegrationSettings.googleScopes
            ),
            microsoft: .init(
                clientID: microsoft.clientID, clientSecret: microsoft.clientSecret, authorizeURL: microsoft.authorizeURL,
                tokenURL: microsoft.tokenURL, apiURL: microsoft.graphURL, scopes: IntegrationSettings.microsoftScopes
            ),
            redirectBaseURL: base, webhookBaseURL: base,
            pollInterval: .seconds(3600)  // tests run poll rounds themselves
        )
        adjust(&settings)
        let host = hostID
        let holder = partsBox
        var options = IntegrationOptions(
            settings: settings, queue: queue, consumer: .init(retryDelays: [.milliseconds(300), .milliseconds(600)]),
            acceptsHost: { $0 == host }, polls: false
        )
        options.onBuilt = { holder.parts = $0 }
        options.pollsHosts = [host]
        let integrationApp = try await buildApplication(
            IntegrationService.definition(options), configuration: IntegrationTestSupport.configuration(port: port),
            logger: testLogger("integration")
        )
        integration = try await LiveApp.start(integrationApp, port: port)

        let availabilityPort = try freePort()
        let availabilityApp = try await buildApplication(
            AvailabilityService.definition(passwordHashCost: 4), configuration: IntegrationTestSupport.configuration(port: availabilityPort),
            logger: testLogger("availability")
        )
        availability = try await LiveApp.start(availabilityApp, port: availabilityPort)

        let bookingPort = try freePort()
        let bookingApp = try await buildApplication(
            BookingService.definition, configuration: IntegrationTestSupport.configuration(port: bookingPort),
            logger: testLogger("booking")
        )
        booking = try await LiveApp.start(bookingApp, port: bookingPort)

        if withNotifier {
            let notifierPort = try freePort()
            var dispatcher = NotificationDispatcher.Configuration(pollInterval: .milliseconds(250))
            dispatcher.onlyHosts = [host]
            let notifierApp = try await buildApplication(
                NotifierService.definition(NotifierOptions(
                    queue: notifierQueue, consumer: .init(retryDelays: [.milliseconds(300)]), dispatcher: dispatcher, acceptsHost: { $0 == host }
                )),
                configuration: IntegrationTestSupport.configuration(port: notifierPort),
                logger: testLogger("notifier")
            )
            notifier = try await LiveApp.start(notifierApp, port: notifierPort)
        }
    }

    func stop() async {
        // No more pushes into the services while they stop.
        google.pushesEnabled = false
        microsoft.pushesEnabled = false
        await google.waitForPushes()
        await microsoft.waitForNotifications()
        await integration?.stop()
        await availability?.stop()
        await booking?.stop()
        await notifier?.stop()
        let amqp = AMQPConnection(configuration: try! TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
        let topologies = [
            EventTopology(queue: queue, bindings: [], retryDelays: [.milliseconds(300), .milliseconds(600)], deliveryLimit: EventTopology.defaultDeliveryLimit),
            EventTopology(queue: notifierQueue, bindings: [], retryDelays: [.milliseconds(300)], deliveryLimit: EventTopology.defaultDeliveryLimit),
        ]
        for name in topologies.flatMap(\.queueNames) {
            _ = try? await amqp.deleteQueue(name)
        }
        await amqp.close()
        await google.shutdown()
        await microsoft.shutdown()
        try? await http.shutdown()
        try? await db.shutdown()
    }

    // MARK: HTTP

    struct Reply {
        var status: Int
        var headers: HTTPClientHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        }
    }

    func request(_ method: HTTPClientRequest.Method, _ url: String, token: String? = nil, json: String? = nil, headers: HTTPClientHeaders = [:]) async throws -> Reply {
        var request = HTTPClientRequest(method: method, url: url, headers: headers, body: json.map { Array($0.utf8) })
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if json != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        let response = try await http.execute(request)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// A request whose body is exactly `bytes`, sent as `application/json` whatever they are.
    func request(_ method: HTTPClientRequest.Method, _ url: String, token: String? = nil, bytes: [UInt8]) async throws -> Reply {
        var request = HTTPClientRequest(method: method, url: url, headers: ["Content-Type": "application/json"], body: bytes)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await http.execute(request)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Connects the host's calendar at `provider` the way a browser does: authorize → the
    /// provider's consent redirect → our callback. Returns the callback's reply.
    func connect(_ provider: Provider) async throws -> Reply {
        let started = try await request(.post, integration.baseURL + "/api/integrations/\(provider.rawValue)/authorize", token: hostToken)
        guard started.status == 200, let url = try started.json()["authorization_url"] as? String else {
            throw HarnessError("authorize answered \(started.status): \(started.text)")
        }
        let consent = try await request(.get, url)
        guard consent.status == 302, let location = consent.headers.first(name: "Location") else {
            throw HarnessError("the provider answered \(consent.status) to the authorization request")
        }
        return try await request(.get, location)
    }

    /// The host's only integration id.
    func integrationID() async throws -> UUID {
        let rows = try await db.query("SELECT id FROM calendar_integrations WHERE host_user_id = \(hostID) ORDER BY created_at LIMIT 1")
        guard let row = rows.first else { throw HarnessError("no integration") }
        return try row.decode("id", as: UUID.self)
    }

    /// Waits until no sync of the integration is queued or running in the service.
    func settle(_ id: UUID) async {
        await parts.coordinator.waitUntilIdle(id)
    }

    /// Waits until the integration's push channel is registered and stored (Google: with its resource id).
    func channelStored(_ id: UUID) async throws -> Bool {
        try await eventually {
            try await !db.query("""
                SELECT 1 FROM calendar_push_channels WHERE integration_id = \(id) AND (provider = 'microsoft' OR resource_id IS NOT NULL)
                """).isEmpty
        }
    }

    /// Busy intervals stored for the host.
    func busy() async throws -> [(start: Date, end: Date)] {
        try await db.query("""
            SELECT start_time, end_time FROM external_busy_intervals WHERE host_user_id = \(hostID) ORDER BY start_time
            """).map { (try $0.decode("start_time", as: Date.self), try $0.decode("end_time", as: Date.self)) }
    }

    /// The slots offered on `date` (the host's zone), as UTC instants.
    func slots(on date: String) async throws -> Set<Date> {
        let reply = try await request(.get, availability.baseURL + "/api/availability/slots?meeting_type_id=\(meetingTypeID.uuidString.lowercased())&start_date=\(date)&end_date=\(date)&timezone=UTC")
        guard reply.status == 200 else { throw HarnessError("slots answered \(reply.status): \(reply.text)") }
        var found = Set<Date>()
        func collect(_ value: Any) {
            if let dict = value as? [String: Any] {
                if let start = dict["start_time"] as? String ?? dict["start"] as? String, let date = RFC3339.parse(start) { found.insert(date) }
                for child in dict.values { collect(child) }
            } else if let array = value as? [Any] {
                for child in array { collect(child) }
            }
        }
        collect(try JSONSerialization.jsonObject(with: Data(reply.body)))
        return found
    }

    /// The next weekday at least two days ahead, as a date and its 00:00 in the host's zone.
    func workday(daysAhead: Int = 2) -> (date: String, midnight: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: hostZone)!
        var day = calendar.startOfDay(for: Date().addingTimeInterval(Double(daysAhead) * 86_400))
        while [1, 7].contains(calendar.component(.weekday, from: day)) { day = calendar.date(byAdding: .day, value: 1, to: day)! }
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return (String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!), day)
    }

    /// The day after `date` (`YYYY-MM-DD`).
    func nextDate(_ date: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: formatter.date(from: date)!.addingTimeInterval(86_400))
    }

    /// Books `start` through the booking service; returns the booking JSON.
    func book(_ start: Date, email: String? = nil) async throws -> [String: Any] {
        let body = """
            {"meeting_type_id":"\(meetingTypeID.uuidString.lowercased())","start_time":"\(RFC3339.format(start))","invitee_name":"Ivy Invitee",
             "invitee_email":"\(email ?? "ivy-\(tag)@example.com")","invitee_timezone":"America/New_York"}
            """
        let reply = try await request(.post, booking.baseURL + "/api/bookings", json: body)
        guard reply.status == 201 else { throw HarnessError("booking answered \(reply.status): \(reply.text)") }
        return try reply.json()
    }
}

/// Where the test sees the service's parts once the app built them.
final class PartsHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var value: IntegrationService.Parts?

    var parts: IntegrationService.Parts? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
