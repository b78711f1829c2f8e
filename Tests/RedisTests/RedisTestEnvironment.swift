import Foundation
import Logging
import Testing

@testable import Redis

/// Connection settings and isolation helpers shared by the Redis tests.
enum RedisTestEnvironment {
    /// `REDIS_URL`, defaulting to the local stack's Redis.
    static var url: String {
        ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:56379/0"
    }

    /// The configuration from `REDIS_URL`, with short timeouts so failures show quickly.
    static func configuration(maximumConnections: Int = 8) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: self.url)
        configuration.maximumConnections = maximumConnections
        configuration.connectTimeout = .milliseconds(500)
        configuration.commandTimeout = .seconds(2)
        configuration.checkoutTimeout = .seconds(10)
        return configuration
    }

    /// A fresh key prefix so each test touches only its own keys.
    static func keyPrefix() -> String {
        "rz-test:\(UUID().uuidString.lowercased()):"
    }

    /// Runs `body` with a new client and always shuts it down.
    static func withClient<Result>(
        _ configuration: RedisConfiguration? = nil,
        _ body: (RedisClient) async throws -> Result
    ) async throws -> Result {
        let client = RedisClient(configuration: try configuration ?? self.configuration())
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Runs blocking work on a thread of its own (for a raw subscriber connection in tests).
    static func onDedicatedThread<Result: Sendable>(
        _ work: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try work() }) }
            thread.start()
        }
    }
}
