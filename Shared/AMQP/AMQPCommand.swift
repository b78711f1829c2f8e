/// A unit of work for a connection's thread, with how to fail it if it cannot run.
struct AMQPCommand: Sendable {
    /// Runs on the connection's thread with the live connection and its generation; it
    /// completes the caller itself (at once, or later as a publish confirm does).
    let run: @Sendable (AMQPNativeConnection, UInt64) throws -> Void
    /// Completes the caller with an error when the command cannot run.
    let fail: @Sendable (AMQPError) -> Void
    /// Whether the command waits (until `deadline`) while the connection is down, or fails at once.
    let waitsForConnection: Bool
    /// Whether a command that broke on a lost connection runs again once after reconnecting (idempotent ones).
    let retriesOnConnectionLoss: Bool
    /// When a command still waiting for a connection gives up.
    let deadline: ContinuousClock.Instant
    /// How many times it already ran into a lost connection.
    var attempts = 0
}
