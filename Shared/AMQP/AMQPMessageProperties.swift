import CAMQP
import Foundation

/// The basic properties of a message: what a publisher sets and a consumer reads back.
package struct AMQPMessageProperties: Sendable, Equatable {
    /// The application's id for the message (an outbox event id, for deduplication).
    package var messageID: String?
    /// The MIME type of the body, e.g. `application/json`.
    package var contentType: String?
    /// The body's content encoding, e.g. `gzip`.
    package var contentEncoding: String?
    /// Correlates a reply with its request.
    package var correlationID: String?
    /// The application's message type name, e.g. `booking.created`.
    package var type: String?
    /// Whether the broker writes the message to disk (delivery mode 2); true by default.
    package var persistent: Bool
    /// When the message was produced (whole seconds on the wire).
    package var timestamp: Date?
    /// A per-message TTL in milliseconds, as the broker expects it (a decimal string).
    package var expiration: String?
    /// Application headers, e.g. `x-request-id` (string) or `x-attempt` (integer).
    package var headers: [String: AMQPFieldValue]

    /// Properties with the given values; persistent unless told otherwise.
    package init(
        messageID: String? = nil,
        contentType: String? = nil,
        contentEncoding: String? = nil,
        correlationID: String? = nil,
        type: String? = nil,
        persistent: Bool = true,
        timestamp: Date? = nil,
        expiration: String? = nil,
        headers: [String: AMQPFieldValue] = [:]
    ) {
        self.messageID = messageID
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.correlationID = correlationID
        self.type = type
        self.persistent = persistent
        self.timestamp = timestamp
        self.expiration = expiration
        self.headers = headers
    }

    /// Reads the properties rabbitmq-c decoded (copies everything).
    init(_ properties: amqp_basic_properties_t) {
        let flags = properties._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        self.init(
            messageID: has(AMQP_BASIC_MESSAGE_ID_FLAG) ? properties.message_id.string : nil,
            contentType: has(AMQP_BASIC_CONTENT_TYPE_FLAG) ? properties.content_type.string : nil,
            contentEncoding: has(AMQP_BASIC_CONTENT_ENCODING_FLAG) ? properties.content_encoding.string : nil,
            correlationID: has(AMQP_BASIC_CORRELATION_ID_FLAG) ? properties.correlation_id.string : nil,
            type: has(AMQP_BASIC_TYPE_FLAG) ? properties.type.string : nil,
            persistent: has(AMQP_BASIC_DELIVERY_MODE_FLAG) && properties.delivery_mode == 2,
            timestamp: has(AMQP_BASIC_TIMESTAMP_FLAG) ? Date(timeIntervalSince1970: TimeInterval(properties.timestamp)) : nil,
            expiration: has(AMQP_BASIC_EXPIRATION_FLAG) ? properties.expiration.string : nil,
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? properties.headers.swiftValue : [:]
        )
    }

    /// The C properties, with strings and headers copied into `arena`.
    func cValue(in arena: AMQPCallArena) -> amqp_basic_properties_t {
        var properties = amqp_basic_properties_t()
        var flags: Int32 = AMQP_BASIC_DELIVERY_MODE_FLAG
        properties.delivery_mode = persistent ? 2 : 1
        func set(_ value: String?, _ flag: Int32, _ field: WritableKeyPath<amqp_basic_properties_t, amqp_bytes_t>) {
            guard let value else { return }
            properties[keyPath: field] = arena.bytes(value)
            flags |= flag
        }
        set(messageID, AMQP_BASIC_MESSAGE_ID_FLAG, \.message_id)
        set(contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, \.content_type)
        set(contentEncoding, AMQP_BASIC_CONTENT_ENCODING_FLAG, \.content_encoding)
        set(correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, \.correlation_id)
        set(type, AMQP_BASIC_TYPE_FLAG, \.type)
        set(expiration, AMQP_BASIC_EXPIRATION_FLAG, \.expiration)
        if let timestamp {
            properties.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970.rounded(.down)))
            flags |= AMQP_BASIC_TIMESTAMP_FLAG
        }
        if !headers.isEmpty {
            properties.headers = arena.table(headers)
            flags |= AMQP_BASIC_HEADERS_FLAG
        }
        properties._flags = amqp_flags_t(flags)
        return properties
    }
}
