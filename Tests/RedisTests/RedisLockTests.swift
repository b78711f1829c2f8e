import Testing

@testable import Redis

extension RedisTests {
    @Suite("Lock")
    struct LockTests {
        @Test func onlyTheOwnerReleases() async throws {
            let key = RedisTestEnvironment.keyPrefix() + "lock"
            try await RedisTestEnvironment.withClient { redis in
                let token = try #require(try await redis.acquireLock(key, ttl: 5_000))
                #expect(token.count == 32)
                #expect(try await redis.acquireLock(key, ttl: 5_000) == nil)

                #expect(try await redis.releaseLock(key, token: "not-the-owner") == false)
                #expect(try await redis.getString(key) == token)
                #expect((1...5_000).contains(try await redis.pttl(key)))

                #expect(try await redis.releaseLock(key, token: token))
                #expect(try await redis.get(key) == nil)
                #expect(try await redis.releaseLock(key, token: token) == false)
            }
        }

        @Test func expiredLockPassesToTheNextOwnerAndTheLateReleaseLeavesIt() async throws {
            let key = RedisTestEnvironment.keyPrefix() + "lock"
            try await RedisTestEnvironment.withClient { redis in
                let first = try #require(try await redis.acquireLock(key, ttl: 60))
                #expect(try await redis.acquireLock(key, ttl: 60) == nil)
                try await Task.sleep(for: .milliseconds(150))

                let second = try #require(try await redis.acquireLock(key, ttl: 5_000))
                #expect(second != first)
                // The first owner comes back late: its release must not delete the new owner's lock.
                #expect(try await redis.releaseLock(key, token: first) == false)
                #expect(try await redis.getString(key) == second)
                #expect(try await redis.releaseLock(key, token: second))
            }
        }

        @Test func boundedWaitAcquiresOnceTheHolderReleases() async throws {
            let key = RedisTestEnvironment.keyPrefix() + "lock"
            try await RedisTestEnvironment.withClient { redis in
                let holder = try #require(try await redis.acquireLock(key, ttl: 5_000))
                let clock = ContinuousClock()
                let start = clock.now
                #expect(try await redis.acquireLock(key, ttl: 5_000, waitingUpTo: .milliseconds(100)) == nil)
                #expect(clock.now - start >= .milliseconds(100))
                #expect(clock.now - start < .seconds(1))

                async let waiter = redis.acquireLock(key, ttl: 5_000, waitingUpTo: .seconds(3))
                try await Task.sleep(for: .milliseconds(50))
                #expect(try await redis.releaseLock(key, token: holder))
                let next = try #require(try await waiter)
                #expect(try await redis.releaseLock(key, token: next))
            }
        }
    }
}
