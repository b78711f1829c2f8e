/// An event type: its routing key and schema version; the value is the envelope's `data`.
///
/// `type` is the AMQP routing key on the events exchange (`booking.created`); bump `version`
/// when `data` changes incompatibly, and let consumers branch on ``ReceivedEvent/version``.
package protocol DomainEvent: Codable, Sendable {
    /// The event's name and routing key, e.g. `booking.created`.
    static var type: String { get }
    /// The schema version of `data`, starting at 1.
    static var version: Int { get }
}
