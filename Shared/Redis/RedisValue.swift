/// One reply from Redis (RESP2), as the server sent it.
package enum RedisValue: Sendable, Hashable {
    /// A bulk string: binary-safe bytes.
    case bulkString([UInt8])
    /// An integer reply.
    case integer(Int64)
    /// A multi-bulk reply.
    case array([RedisValue])
    /// A nil bulk string or nil array (missing key, failed condition).
    case null
    /// A simple status reply such as `OK` or `PONG`.
    case status(String)
    /// An error reply; at the top level the client throws ``RedisError/server(message:)`` instead,
    /// so this appears only nested (e.g. inside a script's returned table).
    case error(String)
}

extension RedisValue {
    /// The bytes of a bulk string or status reply; `nil` for other replies.
    package var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// A bulk string or status reply as UTF-8 text (invalid bytes are repaired); `nil` otherwise.
    package var string: String? {
        switch self {
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// An integer reply, or a bulk string holding a decimal integer; `nil` otherwise.
    package var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply; `nil` for other replies.
    package var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the nil reply.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
