import Testing

@testable import Redis

extension RedisTests {
    @Suite("Configuration from a URL")
    struct ConfigurationTests {
        @Test func parsesEveryPart() throws {
            let configuration = try RedisConfiguration(
                url: "redis://cache-user:p%40ss@redis.internal:6380/3?pool_size=16&command_timeout_ms=250&connect_timeout_ms=100&checkout_timeout_ms=900"
            )
            #expect(configuration.host == "redis.internal")
            #expect(configuration.port == 6380)
            #expect(configuration.username == "cache-user")
            #expect(configuration.password == "p@ss")
            #expect(configuration.database == 3)
            #expect(configuration.maximumConnections == 16)
            #expect(configuration.commandTimeout == .milliseconds(250))
            #expect(configuration.connectTimeout == .milliseconds(100))
            #expect(configuration.checkoutTimeout == .milliseconds(900))
            #expect(!configuration.description.contains("p@ss"))
        }

        @Test func passwordOnlyAndDefaults() throws {
            let configuration = try RedisConfiguration(url: "redis://:secret@127.0.0.1")
            #expect(configuration.username == nil)
            #expect(configuration.password == "secret")
            #expect(configuration.port == 6379)
            #expect(configuration.database == 0)
            #expect(configuration.maximumConnections == 8)
            #expect(configuration.description == "redis://***@127.0.0.1:6379/0")
        }

        @Test(arguments: [
            "http://127.0.0.1:6379", "redis://", "redis://127.0.0.1:6379/x", "redis://127.0.0.1:6379/-1",
            "redis://127.0.0.1:6379/0?pool_size=0", "redis://127.0.0.1:6379/0?unknown=1", "not a url",
        ])
        func rejectsMalformedURLs(url: String) {
            #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
        }

        @Test func errorDescriptionsAreGeneric() {
            let error = RedisError.server(message: "WRONGTYPE secret-key-name")
            #expect(error.description == "Redis server returned an error")
            #expect(String(reflecting: error).contains("WRONGTYPE"))
            #expect(!"\(RedisError.connectionFailed("host 10.1.2.3"))".contains("10.1.2.3"))
        }
    }
}
