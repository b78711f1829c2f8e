/// A value in an AMQP field table: message headers and queue/exchange arguments.
package indirect enum AMQPFieldValue: Sendable, Hashable {
    /// A long string (`S`), the usual type for text headers.
    case string(String)
    /// A signed 64-bit integer (`l`); integers of every width decode to this.
    case int(Int64)
    /// A boolean (`t`).
    case bool(Bool)
    /// A double (`d`); floats decode to this too.
    case double(Double)
    /// A timestamp in seconds since 1970 (`T`).
    case timestamp(UInt64)
    /// Raw bytes (`x`).
    case bytes([UInt8])
    /// A nested field array (`A`), as in `x-death`.
    case array([AMQPFieldValue])
    /// A nested field table (`F`), as in each `x-death` entry.
    case table([String: AMQPFieldValue])
    /// No value (`V`).
    case void

    /// The text, when this is a string (or bytes holding UTF-8).
    package var stringValue: String? {
        switch self {
        case .string(let value): value
        case .bytes(let value): String(decoding: value, as: UTF8.self)
        default: nil
        }
    }

    /// The integer, when this is an integer or a timestamp.
    package var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .timestamp(let value): Int64(exactly: value)
        default: nil
        }
    }
}

extension AMQPFieldValue: ExpressibleByStringLiteral {
    /// A string value from a literal.
    package init(stringLiteral value: String) { self = .string(value) }
}

extension AMQPFieldValue: ExpressibleByIntegerLiteral {
    /// An integer value from a literal.
    package init(integerLiteral value: Int64) { self = .int(value) }
}

extension AMQPFieldValue: ExpressibleByBooleanLiteral {
    /// A boolean value from a literal.
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}
