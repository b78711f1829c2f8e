/// A failure of the AMQP wrapper or a refusal by the broker.
///
/// `description` stays generic (safe for responses and metrics); `String(reflecting:)`
/// adds the detail (broker reply text, library status) for logs.
package struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, coarse enough to branch on.
    package enum Code: Sendable, Equatable {
        /// The configuration or URL is unusable.
        case invalidConfiguration
        /// Connecting or logging in to the broker failed.
        case connectionFailed
        /// The connection broke (or the broker closed it) while the call was in flight.
        case connectionLost
        /// No connection came back within the wait timeout, or the call needs a live connection.
        case notConnected
        /// The broker closed the channel because of this call (see `replyCode`: 404, 406…).
        case channelClosed
        /// The broker refused to take responsibility for a published message (basic.nack).
        case publishNacked
        /// A mandatory message could not be routed to any queue (basic.return).
        case unroutable
        /// The broker did not confirm a publish in time.
        case confirmTimeout
        /// The connection or consumer has been shut down.
        case shutdown
        /// The broker or the library answered something this wrapper did not expect.
        case protocolError
    }

    /// What went wrong.
    package let code: Code
    /// The AMQP reply code the broker gave, if it gave one (e.g. 404 NOT_FOUND, 320 CONNECTION_FORCED).
    package let replyCode: UInt16?
    /// Detail for logs: reply text, library status, context. Never part of `description`.
    package let detail: String

    /// An error with its code, the broker's reply code if any, and detail for logs.
    package init(_ code: Code, replyCode: UInt16? = nil, detail: String = "") {
        self.code = code
        self.replyCode = replyCode
        self.detail = detail
    }

    /// True when the broker answered 404 NOT_FOUND (missing queue or exchange).
    package var isNotFound: Bool { replyCode == 404 }

    /// A generic, data-free sentence.
    package var description: String {
        let sentence: String
        switch code {
        case .invalidConfiguration: sentence = "invalid AMQP configuration"
        case .connectionFailed: sentence = "could not connect to the AMQP broker"
        case .connectionLost: sentence = "the AMQP connection was lost"
        case .notConnected: sentence = "the AMQP broker is not reachable"
        case .channelClosed: sentence = "the AMQP broker refused the operation"
        case .publishNacked: sentence = "the AMQP broker rejected the message"
        case .unroutable: sentence = "the AMQP message could not be routed"
        case .confirmTimeout: sentence = "the AMQP broker did not confirm the message in time"
        case .shutdown: sentence = "the AMQP connection is shut down"
        case .protocolError: sentence = "unexpected AMQP protocol state"
        }
        return replyCode.map { "\(sentence) (\($0))" } ?? sentence
    }

    /// The sentence plus the detail.
    package var debugDescription: String {
        detail.isEmpty ? "AMQPError(\(description))" : "AMQPError(\(description): \(detail))"
    }
}
