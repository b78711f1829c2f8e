import Foundation
import Testing

@testable import Redis

extension RedisTests {
    @Suite("Commands against a real Redis")
    struct CommandTests {
        @Test func setGetDeleteRoundTrip() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                #expect(try await redis.ping() == "PONG")
                #expect(try await redis.getString(prefix + "a") == nil)
                #expect(try await redis.set(prefix + "a", "hello"))
                #expect(try await redis.getString(prefix + "a") == "hello")
                try await redis.set(prefix + "b", "world")
                #expect(try await redis.delete(prefix + "a", prefix + "b", prefix + "missing") == 2)
                #expect(try await redis.get(prefix + "a") == nil)
                #expect(try await redis.delete([]) == 0)
            }
        }

        @Test func incrementsAndTimeToLive() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                let counter = prefix + "counter"
                #expect(try await redis.incr(counter) == 1)
                #expect(try await redis.incr(counter) == 2)
                #expect(try await redis.incr(counter, by: 10) == 12)
                #expect(try await redis.incr(counter, by: -2) == 10)
                #expect(try await redis.ttl(counter) == -1)
                #expect(try await redis.expire(counter, seconds: 100))
                let ttl = try await redis.ttl(counter)
                #expect((99...100).contains(ttl))
                #expect(try await redis.pexpire(counter, milliseconds: 50_000))
                let pttl = try await redis.pttl(counter)
                #expect((40_000...50_000).contains(pttl))
                #expect(try await redis.ttl(prefix + "missing") == -2)
                #expect(try await redis.expire(prefix + "missing", seconds: 10) == false)
                try await redis.delete(counter)
            }
        }

        @Test func incrementOfTextIsAServerError() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                try await redis.set(prefix + "text", "not a number")
                let error = await #expect(throws: RedisError.self) { try await redis.incr(prefix + "text") }
                guard case .server(let message)? = error else {
                    Issue.record("expected a server error, got \(String(describing: error))")
                    return
                }
                #expect(message.hasPrefix("ERR"))
                #expect(error?.description == "Redis server returned an error")
                // A server error leaves the connection usable.
                #expect(try await redis.ping() == "PONG")
                try await redis.delete(prefix + "text")
            }
        }

        @Test func conditionalSet() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                let key = prefix + "conditional"
                #expect(try await redis.set(key, "x", condition: .ifExists) == false)
                #expect(try await redis.get(key) == nil)
                #expect(try await redis.set(key, "first", condition: .ifNotExists))
                #expect(try await redis.set(key, "second", condition: .ifNotExists) == false)
                #expect(try await redis.getString(key) == "first")
                #expect(try await redis.set(key, "third", condition: .ifExists))
                #expect(try await redis.getString(key) == "third")
                #expect(try await redis.set(key, "fourth", expiration: .seconds(30)))
                #expect((29...30).contains(try await redis.ttl(key)))
                try await redis.delete(key)
            }
        }

        @Test func millisecondExpiryActuallyExpires() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                let key = prefix + "short-lived"
                #expect(try await redis.set(key, "soon gone", condition: .ifNotExists, expiration: .milliseconds(80)))
                #expect(try await redis.getString(key) == "soon gone")
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await redis.get(key) == nil)
                #expect(try await redis.ttl(key) == -2)
            }
        }

        @Test func binaryValuesRoundTrip() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                let everyByte = (0...255).map { UInt8($0) }
                let withNulsAndCRLF: [UInt8] = [0, 0, 13, 10, 0xFF, 0xFE, 36, 13, 10, 0]
                let large = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                for (index, value) in [everyByte, withNulsAndCRLF, [], large].enumerated() {
                    let key = prefix + "binary-\(index)"
                    try await redis.set(key, value)
                    #expect(try await redis.get(key) == value)
                }
                // The generic command takes binary arguments too.
                let reply = try await redis.command([Array("GET".utf8), Array((prefix + "binary-1").utf8)])
                #expect(reply == .bulkString(withNulsAndCRLF))
                #expect(try await redis.delete((0..<4).map { prefix + "binary-\($0)" }) == 4)
            }
        }

        @Test func mgetReportsMissingKeysAsNil() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                try await redis.set(prefix + "1", "one")
                try await redis.set(prefix + "3", [0, 1, 2])
                let values = try await redis.mget([prefix + "1", prefix + "2", prefix + "3", prefix + "4"])
                #expect(values == [Array("one".utf8), nil, [0, 1, 2], nil])
                #expect(try await redis.mgetStrings([prefix + "2", prefix + "1"]) == [nil, "one"])
                #expect(try await redis.mget([]) == [])
                try await redis.delete(prefix + "1", prefix + "3")
            }
        }

        @Test func genericCommandReturnsEveryReplyType() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                #expect(try await redis.command("PING") == .status("PONG"))
                #expect(try await redis.command("SET", prefix + "k", "v") == .status("OK"))
                #expect(try await redis.command("GET", prefix + "k") == .bulkString(Array("v".utf8)))
                #expect(try await redis.command("GET", prefix + "none") == .null)
                #expect(try await redis.command("EXISTS", prefix + "k") == .integer(1))
                try await redis.command("RPUSH", prefix + "list", "a", "b")
                #expect(
                    try await redis.command("LRANGE", prefix + "list", "0", "-1")
                        == .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8))])
                )
                // Errors nested in an array stay values; a top-level error reply throws.
                let nested = try await redis.eval("return {1, redis.error_reply('boom')}")
                #expect(nested == .array([.integer(1), .error("ERR boom")]))
                let error = await #expect(throws: RedisError.self) { try await redis.command("NOSUCHCOMMAND") }
                #expect(String(reflecting: error).contains("unknown command"))
                try await redis.delete(prefix + "k", prefix + "list")
            }
        }
    }
}
