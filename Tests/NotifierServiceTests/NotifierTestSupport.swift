import AMQP
import Cryptography
import Events
import Foundation
import Hummingbird
import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime
import TestSupport
@testable import NotifierService

/// Connections, configuration and small tools shared by the notifier tests.
enum NotifierTestSupport {
    static let secret = "test-secret-test-secret-test-secret-1234"

    static var databaseURL: String { TestEnvironment.databaseURL }

    static var encryptionKeyHex: String {
        ProcessInfo.processInfo.environment["TOKEN_ENCRYPTION_KEY"] ?? String(repeating: "ab", count: 32)
    }

    static func encryptionKey() throws -> EncryptionKey {
        try EncryptionKey(id: 1, bytes: Hex.decode(encryptionKeyHex))
    }

    /// The service configuration the tests build apps with (the local stack, fixed secrets).
    static func configuration(_ overrides: [String: String] = [:]) throws -> ServiceConfiguration {
        var environment = ProcessInfo.processInfo.environment
        environment["AUTH_SECRET"] = secret
        environment["TOKEN_ENCRYPTION_KEY"] = encryptionKeyHex
        environment["DATABASE_URL"] = databaseURL
        // scripts/test keeps pools small (many apps share one PostgreSQL); a plain run gets 8.
        environment["DATABASE_POOL_SIZE"] = environment["DATABASE_POOL_SIZE"] ?? "8"
        for (key, value) in overrides { environment[key] = value }
        return try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 0)
    }



    /// A client on the test database with the bundled migrations applied.
    static func database(maxConnections: Int = 8) async throws -> PostgresClient {
        try await TestEnvironment.migratedDatabase(application: "notifier-tests", requiring: ["scheduled_notifications"], maxConnections: maxConnections)
    }


    /// The repository root, found from this file's real location (the test package may be a symlink farm).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Where the local stack's SMTP sink writes each accepted message.
    static var sinkDirectory: URL {
        if let folder = ProcessInfo.processInfo.environment["SMTP_SINK_DIR"], !folder.isEmpty { return URL(fileURLWithPath: folder) }
        return repositoryRoot.appendingPathComponent(".run/mail")
    }

    /// The address the emails' links start with (the `PUBLIC_BASE_URL` the apps are built with).
    static var publicBaseURL: String {
        ProcessInfo.processInfo.environment["PUBLIC_BASE_URL"] ?? "http://127.0.0.1:8080"
    }

    /// Waits until the sink holds `count` messages of `kind` for `recipient` (or `timeout` passes), then returns them all.
    static func mails(_ recipient: String, kind: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [SinkMessage] {
        _ = try await eventually(timeout: timeout) { try MailSink.messages(to: recipient, kind: kind).count >= count }
        return try MailSink.messages(to: recipient, kind: kind)
    }


}

/// Runs `services` in the background while `body` runs, then cancels them and waits for them to end.
func withServices<Result: Sendable>(_ services: [any Service], _ body: () async throws -> Result) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for service in services {
            group.addTask { try await service.run() }
        }
        do {
            let result = try await body()
            group.cancelAll()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// A transport that records what it was given and fails as told (for retries without a real server).
final class ScriptedTransport: MailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [(message: [UInt8], to: [String])] = []
    private var failures: [any Error]
    private let failAlways: (any Error)?

    /// Fails with each of `failures` in turn, then accepts; or always fails with `failAlways`.
    init(failures: [any Error] = [], failAlways: (any Error)? = nil) {
        self.failures = failures
        self.failAlways = failAlways
    }

    func send(_ message: [UInt8], from sender: String, to recipients: [String]) async throws {
        try lock.withLock {
            if let failAlways { throw failAlways }
            if !failures.isEmpty { throw failures.removeFirst() }
            sent.append((message, recipients))
        }
    }

    /// The messages accepted, as text.
    var messages: [String] { lock.withLock { sent.map { String(decoding: $0.message, as: UTF8.self) } } }
}

