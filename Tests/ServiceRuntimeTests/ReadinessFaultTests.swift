import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport
@testable import ServiceRuntime

/// Stops real servers, so it runs only in the serial fault pass of `scripts/test`.
@Suite("Fault: /ready follows its dependencies", .serialized, .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1"))
struct ReadinessFaultTests {
    @Test("stopping a dependency makes /ready 503 naming it; starting it brings 200 back without a restart",
          arguments: ["redis", "postgres", "rabbitmq"])
    func readinessFollows(component: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["AUTH_SECRET"] = "test-secret-test-secret-test-secret-1234"
        environment["MIGRATE_ON_START"] = "false"
        let config = try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 0)
        let app = try await buildApplication(ServiceDefinition(name: "ready-test", defaultPort: 0, openAPIDocument: "{}"), configuration: config, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await waitForStatus(.ok, client: client)
            try await Stack.run("stop", component)
            do {
                try await waitForStatus(.serviceUnavailable, client: client) { body in
                    #expect(body.contains("\"\(component)\":\"unavailable\""))
                }
            } catch {
                try await Stack.run("start", component)
                throw error
            }
            try await Stack.run("start", component)
            try await waitForStatus(.ok, client: client, within: .seconds(30))
        }
    }

    /// Polls `/ready` until it answers `status` (dependencies reconnect on their own schedule).
    private func waitForStatus(
        _ status: HTTPResponse.Status, client: some TestClientProtocol, within: Duration = .seconds(15),
        check: (String) -> Void = { _ in }
    ) async throws {
        let deadline = ContinuousClock.now + within
        var last: (HTTPResponse.Status, String) = (.ok, "")
        while ContinuousClock.now < deadline {
            last = try await client.execute(uri: "/ready", method: .get) { ($0.status, String(buffer: $0.body)) }
            if last.0 == status {
                check(last.1)
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("/ready stayed \(last.0) (\(last.1)), expected \(status)")
    }
}
