import Foundation
import Testing

@testable import Redis

extension RedisTests {
    @Suite("Scripts and publish")
    struct ScriptTests {
        @Test(arguments: [
            ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
            ),
        ])
        func scriptDigestIsSHA1(source: String, digest: String) {
            #expect(RedisScript(source).sha1 == digest)
        }

        @Test func evalPassesKeysAndArguments() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            try await RedisTestEnvironment.withClient { redis in
                let reply = try await redis.eval(
                    "redis.call('set', KEYS[1], ARGV[1]); return {KEYS[1], ARGV[2], tonumber(ARGV[3]) * 2}",
                    keys: [prefix + "k"],
                    arguments: ["stored", "echo", "21"]
                )
                #expect(reply == .array([.bulkString(Array((prefix + "k").utf8)), .bulkString(Array("echo".utf8)), .integer(42)]))
                #expect(try await redis.getString(prefix + "k") == "stored")
                try await redis.delete(prefix + "k")
            }
        }

        @Test func evalshaFallsBackToEvalAfterScriptFlush() async throws {
            let prefix = RedisTestEnvironment.keyPrefix()
            // A source unique to this run, so no other test can have loaded it.
            let script = RedisScript("return redis.call('incrby', KEYS[1], ARGV[1]) -- \(prefix)")
            try await RedisTestEnvironment.withClient { redis in
                try await redis.command("SCRIPT", "FLUSH")
                #expect(try await redis.command("SCRIPT", "EXISTS", script.sha1) == .array([.integer(0)]))

                // NOSCRIPT → EVAL, which also loads the script under our digest.
                #expect(try await redis.evalsha(script, keys: [prefix + "n"], arguments: ["5"]) == .integer(5))
                #expect(try await redis.command("SCRIPT", "EXISTS", script.sha1) == .array([.integer(1)]))
                // Now EVALSHA hits directly.
                #expect(try await redis.evalsha(script, keys: [prefix + "n"], arguments: ["2"]) == .integer(7))
                // The server names the script with the same digest we computed.
                #expect(try await redis.command("SCRIPT", "LOAD", script.source).string == script.sha1)

                try await redis.command("SCRIPT", "FLUSH")
                #expect(try await redis.evalsha(script, keys: [prefix + "n"], arguments: ["1"]) == .integer(8))
                try await redis.delete(prefix + "n")
            }
        }

        @Test func evalshaReportsScriptErrors() async throws {
            try await RedisTestEnvironment.withClient { redis in
                let failing = RedisScript("return redis.call('incr') -- wrong arity")
                let error = await #expect(throws: RedisError.self) { try await redis.evalsha(failing) }
                #expect(error?.isNoScript == false)
                if case .server = error {} else { Issue.record("expected a server error, got \(String(describing: error))") }
            }
        }

        @Test func publishReturnsTheReceiverCount() async throws {
            let channel = RedisTestEnvironment.keyPrefix() + "channel"
            let configuration = try RedisTestEnvironment.configuration()
            try await RedisTestEnvironment.withClient(configuration) { redis in
                #expect(try await redis.publish("nobody listens", to: channel) == 0)

                // A raw subscriber connection on a thread of its own.
                let (subscriber, confirmation) = try await RedisTestEnvironment.onDedicatedThread {
                    let connection = try RedisConnection(configuration: configuration, generation: 0)
                    let confirmation = try connection.send([Array("SUBSCRIBE".utf8), Array(channel.utf8)])
                    return (connection, confirmation)
                }
                #expect(confirmation.array?.first?.string == "subscribe")
                #expect(try await redis.publish([0, 1, 2, 255], to: channel) == 1)
                let message = try await RedisTestEnvironment.onDedicatedThread { try subscriber.receive() }
                #expect(
                    message == .array([.bulkString(Array("message".utf8)), .bulkString(Array(channel.utf8)), .bulkString([0, 1, 2, 255])])
                )
            }
        }
    }
}
