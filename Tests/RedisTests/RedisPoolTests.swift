import Testing

@testable import Redis

extension RedisTests {
    @Suite("Pool")
    struct PoolTests {
        @Test func fiveHundredConcurrentCommandsThroughEightConnections() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            let configuration = try RedisTestEnvironment.configuration(maximumConnections: 8)
            try await RedisTestEnvironment.withClient(configuration) { redis in
                let clock = ContinuousClock()
                let start = clock.now
                let succeeded = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<250 {
                        group.addTask { try await redis.set(prefix + "\(index)", "\(index)") }
                        group.addTask { try await redis.incr(prefix + "counter") > 0 }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                let elapsed = clock.now - start
                #expect(succeeded == 500)
                #expect(try await redis.getString(prefix + "counter") == "250")
                #expect(try await redis.mgetStrings((0..<250).map { prefix + "\($0)" }) == (0..<250).map { "\($0)" })
                // The pool never opened more than its limit.
                let clients = try await redis.command("CLIENT", "LIST").string ?? ""
                let ours = clients.split(separator: "\n").count
                print("500 concurrent commands through 8 connections: \(elapsed); server lists \(ours) clients")
                #expect(try await redis.delete((0..<250).map { prefix + "\($0)" } + [prefix + "counter"]) == 251)
            }
        }

        @Test func waitingForAConnectionIsBounded() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            var configuration = try RedisTestEnvironment.configuration(maximumConnections: 1)
            configuration.checkoutTimeout = .milliseconds(200)
            try await RedisTestEnvironment.withClient(configuration) { redis in
                // BLPOP holds the only connection for a second on the server side.
                async let blocked = redis.command("BLPOP", prefix + "empty", "1")
                try await Task.sleep(for: .milliseconds(100))
                let clock = ContinuousClock()
                let start = clock.now
                await #expect(throws: RedisError.poolTimeout) { try await redis.ping() }
                let waited = clock.now - start
                #expect(waited >= .milliseconds(150) && waited < .milliseconds(900))
                #expect(try await blocked == .null)
                #expect(try await redis.ping() == "PONG")
            }
        }

        @Test func commandTimeoutDiscardsTheConnection() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            var configuration = try RedisTestEnvironment.configuration(maximumConnections: 2)
            configuration.commandTimeout = .milliseconds(300)
            try await RedisTestEnvironment.withClient(configuration) { redis in
                let clock = ContinuousClock()
                let start = clock.now
                await #expect(throws: RedisError.timeout) { try await redis.command("BLPOP", prefix + "empty", "2") }
                #expect(clock.now - start < .seconds(1))
                // The half-read connection is gone; a fresh one answers.
                let pong = try await redis.ping()
                #expect(pong == "PONG")
                let popped = try await redis.command("BLPOP", prefix + "empty", "0.05")
                #expect(popped == .null)
            }
        }

        @Test func shutdownFailsLaterCalls() async throws {
            let redis = RedisClient(configuration: try RedisTestEnvironment.configuration())
            #expect(try await redis.ping() == "PONG")
            try await redis.shutdown()
            await #expect(throws: RedisError.clientShutdown) { try await redis.ping() }
        }
    }

    @Suite("Pool state machine")
    struct PoolStateTests {
        final class FakeConnection {}

        @Test func opensUpToTheLimitThenQueuesWaitersInOrder() throws {
            var state = RedisConnectionPoolState<FakeConnection>(maximumConnections: 2)
            guard case .lease(.open(generation: 0)) = state.checkout(waiter: 1) else { throw Failure() }
            guard case .lease(.open(generation: 0)) = state.checkout(waiter: 2) else { throw Failure() }
            guard case .wait = state.checkout(waiter: 3) else { throw Failure() }
            guard case .wait = state.checkout(waiter: 4) else { throw Failure() }
            #expect(state.openCount == 2 && state.waiterCount == 2)

            let first = FakeConnection()
            let actions = state.release(first, generation: 0, broken: false)
            #expect(actions.close.isEmpty)
            #expect(actions.handoffs.count == 1)
            guard case (3, .reuse(let handed)) = try #require(actions.handoffs.first) else { throw Failure() }
            #expect(handed === first)
            let removed = state.removeWaiter(4)
            let removedAgain = state.removeWaiter(4)
            #expect(removed && !removedAgain)
            _ = state.release(first, generation: 0, broken: false)
            #expect(state.idleCount == 1 && state.openCount == 2)
            guard case .lease(.reuse(let reused)) = state.checkout(waiter: 5) else { throw Failure() }
            #expect(reused === first)
        }

        @Test func aBrokenConnectionDropsIdleOnesAndOlderGenerations() throws {
            var state = RedisConnectionPoolState<FakeConnection>(maximumConnections: 3)
            let (a, b, c) = (FakeConnection(), FakeConnection(), FakeConnection())
            for id in 1...3 { _ = state.checkout(waiter: id) }
            #expect(state.release(a, generation: 0, broken: false).close.isEmpty)
            #expect(state.idleCount == 1)

            let actions = state.release(b, generation: 0, broken: true)
            #expect(actions.close.count == 2)
            #expect(actions.close.contains { $0 === a } && actions.close.contains { $0 === b })
            #expect(state.generation == 1 && state.idleCount == 0 && state.openCount == 1)

            // c was opened before the failure: it is closed when it comes back, not reused.
            let late = state.release(c, generation: 0, broken: false)
            #expect(late.close.count == 1 && late.close[0] === c)
            #expect(state.openCount == 0)
            guard case .lease(.open(generation: 1)) = state.checkout(waiter: 4) else { throw Failure() }
        }

        @Test func aFailedOpenHandsTheSlotToTheNextWaiter() throws {
            var state = RedisConnectionPoolState<FakeConnection>(maximumConnections: 1)
            guard case .lease(.open(generation: 0)) = state.checkout(waiter: 1) else { throw Failure() }
            guard case .wait = state.checkout(waiter: 2) else { throw Failure() }
            let actions = state.openFailed()
            guard case (2, .open(generation: 1)) = try #require(actions.handoffs.first) else { throw Failure() }
            #expect(state.openCount == 1 && state.waiterCount == 0)
            #expect(state.returnUnusedSlot().handoffs.isEmpty)
            #expect(state.openCount == 0)
        }

        @Test func shutdownFailsWaitersAndClosesReturningConnections() throws {
            var state = RedisConnectionPoolState<FakeConnection>(maximumConnections: 1)
            _ = state.checkout(waiter: 1)
            _ = state.checkout(waiter: 2)
            let (closing, waiting) = state.shutdown()
            #expect(closing.isEmpty && waiting == [2])
            let connection = FakeConnection()
            #expect(state.release(connection, generation: 0, broken: false).close.count == 1)
            guard case .fail(.clientShutdown) = state.checkout(waiter: 3) else { throw Failure() }
        }

        struct Failure: Error {}
    }
}
