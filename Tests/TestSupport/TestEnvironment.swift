import AMQP
import Foundation
import Logging

/// The local stack as the tests use it: the test database and broker vhost (`scripts/test`
/// exports them; the defaults are the same), quiet loggers, fresh names, waiting for a condition.
package enum TestEnvironment {
    /// The test database: `DATABASE_URL`, or the local stack's `rendezvous_test`.
    package static var databaseURL: String {
        ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "postgres://rendezvous:rendezvous@127.0.0.1:55432/rendezvous_test"
    }

    /// The test broker: `AMQP_URL`, or the local stack's RabbitMQ in vhost `rendezvous_test`.
    package static var amqpURL: String {
        ProcessInfo.processInfo.environment["AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:55672/rendezvous_test"
    }

    /// The test broker's configuration.
    package static func amqpConfiguration() throws -> AMQPConfiguration {
        try AMQPConfiguration(url: amqpURL)
    }

    /// The repository, found from this file's real location (the package may be a symlink farm).
    package static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// A logger that stays quiet (critical only) unless `RENDEZVOUS_TEST_LOG` names a level.
package func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["RENDEZVOUS_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}

/// Eight fresh hex characters: a name no other test, and no earlier run, uses.
package func freshTag() -> String {
    String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
}

/// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether it held
/// (checked once more at the deadline).
package func eventually(
    timeout: Duration = .seconds(20), interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
