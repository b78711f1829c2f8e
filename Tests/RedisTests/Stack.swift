import Foundation
import Testing

@testable import Redis

/// Waiting for the client to answer again after the server was stopped.
enum RedisRecovery {

    /// Pings through `redis` until it answers, for at most 15 s, and returns how many calls failed
    /// on a stale connection (`connectionLost`).
    ///
    /// Redis is shared with other test targets that may stop it too, so this waits rather than
    /// demanding that the very next call succeeds; "connection refused" means the server is down,
    /// not that the pool kept a dead connection, so it is not counted.
    @discardableResult
    static func expectRecovery(of redis: RedisClient) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(15))
        var failures = 0
        while true {
            do {
                let pong = try await redis.ping()
                #expect(pong == "PONG")
                print("client answered again after \(failures) call(s) on stale connections")
                return failures
            } catch let error as RedisError {
                if case .connectionLost = error { failures += 1 }
                print("call after the restart threw \(String(reflecting: error))")
                if clock.now >= deadline {
                    Issue.record("the client did not recover within 15 s")
                    throw error
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

}
