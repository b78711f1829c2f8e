import Foundation

/// Where and how to reach a RabbitMQ broker, and how hard to try when it goes away.
package struct AMQPConfiguration: Sendable, Equatable {
    /// The broker's host name or address.
    package var host: String
    /// The broker's AMQP port.
    package var port: Int
    /// The user name for SASL PLAIN.
    package var user: String
    /// The password for SASL PLAIN.
    package var password: String
    /// The virtual host (`/` by default).
    package var virtualHost: String
    /// The heartbeat interval proposed to the broker, in seconds (0 disables heartbeats).
    package var heartbeatSeconds: Int
    /// How long opening the TCP connection may take.
    package var connectTimeout: Duration
    /// How long one synchronous broker round trip (a declare, a bind, the login) may take.
    package var rpcTimeout: Duration
    /// How long `publish` waits for the broker's confirm before it throws.
    package var confirmTimeout: Duration
    /// How long a call made while disconnected waits for the connection to come back.
    package var reconnectWaitTimeout: Duration
    /// The first delay before reconnecting; it doubles after each failed attempt.
    package var reconnectInitialDelay: Duration
    /// The longest delay between two reconnection attempts.
    package var reconnectMaximumDelay: Duration

    /// A configuration from its parts; every timing has a default fit for a service.
    package init(
        host: String = "127.0.0.1",
        port: Int = 5672,
        user: String = "guest",
        password: String = "guest",
        virtualHost: String = "/",
        heartbeatSeconds: Int = 30,
        connectTimeout: Duration = .seconds(5),
        rpcTimeout: Duration = .seconds(10),
        confirmTimeout: Duration = .seconds(15),
        reconnectWaitTimeout: Duration = .seconds(10),
        reconnectInitialDelay: Duration = .milliseconds(100),
        reconnectMaximumDelay: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
        self.heartbeatSeconds = heartbeatSeconds
        self.connectTimeout = connectTimeout
        self.rpcTimeout = rpcTimeout
        self.confirmTimeout = confirmTimeout
        self.reconnectWaitTimeout = reconnectWaitTimeout
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaximumDelay = reconnectMaximumDelay
    }

    /// Parses `amqp://user:pass@host:port/vhost[?heartbeat=S&connection_timeout=MS]`.
    ///
    /// User, password and vhost are percent-decoded; an empty path or `/` is the vhost `/`
    /// (write `%2F` for it explicitly). Missing parts take the defaults of ``init(host:port:user:password:virtualHost:heartbeatSeconds:connectTimeout:rpcTimeout:confirmTimeout:reconnectWaitTimeout:reconnectInitialDelay:reconnectMaximumDelay:)``.
    package init(url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "amqp" else {
            throw AMQPError(.invalidConfiguration, detail: "not an amqp:// URL")
        }
        self.init()
        if let host = components.host, !host.isEmpty {
            self.host = host.removingPercentEncoding ?? host
        }
        if let port = components.port {
            guard (1...65535).contains(port) else { throw AMQPError(.invalidConfiguration, detail: "port out of range") }
            self.port = port
        }
        if let user = components.user { self.user = user }
        if let password = components.password { self.password = password }
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            let encoded = String(path.dropFirst())
            guard !encoded.contains("/"), let decoded = encoded.removingPercentEncoding else {
                throw AMQPError(.invalidConfiguration, detail: "invalid virtual host in URL")
            }
            virtualHost = decoded
        }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "heartbeat":
                guard let seconds = item.value.flatMap(Int.init), seconds >= 0 else {
                    throw AMQPError(.invalidConfiguration, detail: "invalid heartbeat")
                }
                heartbeatSeconds = seconds
            case "connection_timeout":
                guard let milliseconds = item.value.flatMap(Int.init), milliseconds > 0 else {
                    throw AMQPError(.invalidConfiguration, detail: "invalid connection_timeout")
                }
                connectTimeout = .milliseconds(milliseconds)
            default:
                continue
            }
        }
    }
}

extension AMQPConfiguration: CustomStringConvertible {
    /// The broker address without credentials, for logs.
    package var description: String {
        "amqp://\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)"
    }
}
