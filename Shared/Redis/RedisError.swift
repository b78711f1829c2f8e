/// What went wrong talking to Redis.
///
/// `description` is deliberately generic so it can reach a response or a log line without
/// leaking data; `String(reflecting:)` carries the detail (server message, C library text).
package enum RedisError: Error, Sendable, Hashable {
    /// Opening (or authenticating) a connection failed; the detail is the C library's text.
    case connectionFailed(String)
    /// An established connection broke mid-command (I/O error, EOF); it has been discarded.
    case connectionLost(String)
    /// The server did not answer within the command timeout; the connection has been discarded.
    case timeout
    /// The server answered with an error reply, e.g. `WRONGTYPE …` or `NOSCRIPT …`.
    case server(message: String)
    /// The reply could not be parsed, or had a type the command does not expect.
    case unexpectedReply(String)
    /// No connection became free within the checkout timeout.
    case poolTimeout
    /// The client has been shut down.
    case clientShutdown
    /// A configuration value (usually the URL) is malformed.
    case invalidConfiguration(String)
}

extension RedisError: CustomStringConvertible {
    /// A generic summary without data, safe for responses and logs.
    package var description: String {
        switch self {
        case .connectionFailed: "Redis connection failed"
        case .connectionLost: "Redis connection lost"
        case .timeout: "Redis command timed out"
        case .server: "Redis server returned an error"
        case .unexpectedReply: "Unexpected Redis reply"
        case .poolTimeout: "Timed out waiting for a Redis connection"
        case .clientShutdown: "Redis client is shut down"
        case .invalidConfiguration: "Invalid Redis configuration"
        }
    }
}

extension RedisError: CustomDebugStringConvertible {
    /// The summary plus the detail the case carries.
    package var debugDescription: String {
        switch self {
        case .connectionFailed(let detail), .connectionLost(let detail),
            .unexpectedReply(let detail), .invalidConfiguration(let detail):
            "\(self.description): \(detail)"
        case .server(let message):
            "\(self.description): \(message)"
        case .timeout, .poolTimeout, .clientShutdown:
            self.description
        }
    }
}

extension RedisError {
    /// Whether the server rejected `EVALSHA` because it does not know the script.
    package var isNoScript: Bool {
        if case .server(let message) = self { return message.hasPrefix("NOSCRIPT") }
        return false
    }
}
