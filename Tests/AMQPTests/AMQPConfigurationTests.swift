import AMQP
import Testing

@Suite("AMQPConfiguration")
struct AMQPConfigurationTests {
    @Test("parses every part of an amqp URL")
    func parsesFullURL() throws {
        let configuration = try AMQPConfiguration(url: "amqp://alice:s%40cret@broker.local:5673/orders?heartbeat=15&connection_timeout=2500")
        #expect(configuration.host == "broker.local")
        #expect(configuration.port == 5673)
        #expect(configuration.user == "alice")
        #expect(configuration.password == "s@cret")
        #expect(configuration.virtualHost == "orders")
        #expect(configuration.heartbeatSeconds == 15)
        #expect(configuration.connectTimeout == .milliseconds(2500))
    }

    @Test("the virtual host is / for an empty path, / or %2F", arguments: [
        "amqp://guest:guest@127.0.0.1:55672", "amqp://guest:guest@127.0.0.1:55672/", "amqp://guest:guest@127.0.0.1:55672/%2F",
    ])
    func defaultVirtualHost(url: String) throws {
        let configuration = try AMQPConfiguration(url: url)
        #expect(configuration.virtualHost == "/")
        #expect(configuration.port == 55672)
    }

    @Test("missing parts take the defaults")
    func defaults() throws {
        let configuration = try AMQPConfiguration(url: "amqp://localhost")
        #expect(configuration.host == "localhost")
        #expect(configuration.port == 5672)
        #expect(configuration.user == "guest")
        #expect(configuration.password == "guest")
        #expect(configuration.reconnectInitialDelay == .milliseconds(100))
        #expect(configuration.reconnectMaximumDelay == .seconds(5))
    }

    @Test("rejects what is not an amqp URL", arguments: ["http://localhost/", "amqps://localhost/", "not a url", "amqp://h/a/b"])
    func rejects(url: String) {
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: url) }
    }

    @Test("the description leaves the password out, the debug description has the detail")
    func redaction() throws {
        let configuration = try AMQPConfiguration(url: "amqp://alice:topsecret@h:1/v")
        #expect(!configuration.description.contains("topsecret"))
        let error = AMQPError(.channelClosed, replyCode: 404, detail: "NOT_FOUND - no queue 'orders-7'")
        #expect(!error.description.contains("orders-7"))
        #expect(String(reflecting: error).contains("orders-7"))
        #expect(error.isNotFound)
    }
}
