import CAMQP

/// What a connection does beyond running commands: set up a fresh connection and react to
/// frames the broker sends on its own (confirms, deliveries, cancels).
///
/// Every requirement is called on the owning ``AMQPConnectionLoop``'s thread only.
protocol AMQPConnectionRole: AnyObject {
    /// Sets up a fresh connection (channels, topology, consume); throwing abandons this attempt.
    func connectionOpened(_ connection: AMQPNativeConnection, generation: UInt64) throws(AMQPError)
    /// Handles a method frame that is not a connection or channel close.
    func handle(_ frame: amqp_frame_t, on connection: AMQPNativeConnection) throws(AMQPError)
    /// The broker closed `channel` (already answered); throwing drops the whole connection.
    func channelClosed(_ channel: amqp_channel_t, error: AMQPError, on connection: AMQPNativeConnection) throws(AMQPError)
    /// The connection is gone (or shutting down): fail whatever waited on it.
    func connectionLost(_ error: AMQPError)
    /// The earliest instant at which ``expire(now:)`` has something to do.
    var nextDeadline: ContinuousClock.Instant? { get }
    /// Fails work whose deadline passed.
    func expire(now: ContinuousClock.Instant)
    /// Whether answers are still awaited, so a graceful shutdown should wait a little.
    var hasOutstandingWork: Bool { get }
    /// The loop is stopping; the connection, if any, still works.
    func shuttingDown(_ connection: AMQPNativeConnection)
    /// The loop has ended; nothing will be called again.
    func finished()
}
