/// What a consumer does with a delivery once it handled it.
package enum AMQPDisposition: Sendable, Equatable {
    /// Done: the broker forgets the message.
    case ack
    /// Failed: requeue it (`true`) or dead-letter / drop it (`false`).
    case nack(requeue: Bool)
    /// Refused: requeue it (`true`) or dead-letter / drop it (`false`).
    case reject(requeue: Bool)
}
