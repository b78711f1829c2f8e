import Foundation

/// Where a Redis server is and how long the client waits for it.
package struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP address of the server.
    package var host: String
    /// TCP port of the server.
    package var port: Int
    /// ACL user name (Redis 6+); `nil` authenticates as the default user.
    package var username: String?
    /// Password sent with `AUTH` after connecting; `nil` skips `AUTH`.
    package var password: String?
    /// Logical database selected with `SELECT` after connecting.
    package var database: Int
    /// How long opening a TCP connection may take.
    package var connectTimeout: Duration
    /// How long one command may wait for its socket to become readable or writable.
    package var commandTimeout: Duration
    /// The most connections the client keeps open at once (and threads it owns).
    package var maximumConnections: Int
    /// How long a call waits for a free connection before it throws ``RedisError/poolTimeout``.
    package var checkoutTimeout: Duration

    /// A configuration from its parts; timeouts and pool size default to values suited to loopback.
    package init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(1),
        commandTimeout: Duration = .seconds(2),
        maximumConnections: Int = 8,
        checkoutTimeout: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maximumConnections = maximumConnections
        self.checkoutTimeout = checkoutTimeout
    }

    /// A configuration from a URL `redis://[[user]:password@]host[:port][/db]`.
    ///
    /// Optional query items override the defaults: `connect_timeout_ms`, `command_timeout_ms`,
    /// `checkout_timeout_ms` and `pool_size`, e.g. `redis://127.0.0.1:6379/0?pool_size=16`.
    /// - Throws: ``RedisError/invalidConfiguration(_:)`` when the URL is not of that form.
    package init(url: String) throws(RedisError) {
        guard let components = URLComponents(string: url) else {
            throw .invalidConfiguration("not a URL")
        }
        guard components.scheme?.lowercased() == "redis" else {
            throw .invalidConfiguration("scheme must be redis")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidConfiguration("missing host")
        }
        self.init(host: host, port: components.port ?? 6379)
        guard (1...65535).contains(self.port) else {
            throw .invalidConfiguration("port out of range")
        }
        if let user = components.user, !user.isEmpty {
            self.username = user.removingPercentEncoding ?? user
        }
        if let password = components.password, !password.isEmpty {
            self.password = password.removingPercentEncoding ?? password
        }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else {
                throw .invalidConfiguration("database must be a non-negative integer")
            }
            self.database = database
        }
        for item in components.queryItems ?? [] {
            guard let text = item.value, let number = Int(text), number > 0 else {
                throw .invalidConfiguration("query item \(item.name) must be a positive integer")
            }
            switch item.name {
            case "connect_timeout_ms": self.connectTimeout = .milliseconds(number)
            case "command_timeout_ms": self.commandTimeout = .milliseconds(number)
            case "checkout_timeout_ms": self.checkoutTimeout = .milliseconds(number)
            case "pool_size": self.maximumConnections = number
            default: throw .invalidConfiguration("unknown query item \(item.name)")
            }
        }
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// The server address and database, never the credentials.
    package var description: String {
        "redis://\(self.password == nil ? "" : "***@")\(self.host):\(self.port)/\(self.database)"
    }
}
