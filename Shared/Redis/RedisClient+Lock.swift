/// A short-lived mutual-exclusion lock: `SET key token NX PX ttl`, released by compare-and-delete.
///
/// Only an optimisation for the booking path (docs/architecture.md, double-booking layer 2):
/// correctness never depends on it, so callers treat a Redis error like "no lock".
extension RedisClient {
    /// Deletes the key only while it still holds the caller's token.
    static let releaseLockScript = RedisScript(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
    )

    /// Tries once to take the lock; returns the owner's random token, or `nil` if someone holds it.
    ///
    /// - Parameter ttl: milliseconds after which Redis drops the lock even if never released.
    package func acquireLock(_ key: String, ttl: Int) async throws -> String? {
        let token = Self.makeLockToken()
        let acquired = try await self.set(key, token, condition: .ifNotExists, expiration: .milliseconds(ttl))
        return acquired ? token : nil
    }

    /// Retries ``acquireLock(_:ttl:)`` every `retryInterval` until it succeeds or `timeout` has passed.
    ///
    /// - Returns: the token, or `nil` if the lock stayed taken for the whole wait.
    package func acquireLock(
        _ key: String,
        ttl: Int,
        waitingUpTo timeout: Duration,
        retryInterval: Duration = .milliseconds(20)
    ) async throws -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let token = try await self.acquireLock(key, ttl: ttl) { return token }
            let now = clock.now
            if now >= deadline { return nil }
            try await Task.sleep(for: min(retryInterval, now.duration(to: deadline)))
        }
    }

    /// Releases the lock if `token` still owns it; `false` if it expired or another owner holds it.
    @discardableResult
    package func releaseLock(_ key: String, token: String) async throws -> Bool {
        let reply = try await self.evalsha(Self.releaseLockScript, keys: [key], arguments: [token])
        guard case .integer(let deleted) = reply else {
            throw RedisError.unexpectedReply("lock release: \(reply)")
        }
        return deleted == 1
    }

    /// 128 random bits as 32 hex digits.
    private static func makeLockToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let digits = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
