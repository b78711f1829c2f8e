import CAMQP
import Foundation
import Retrying
import Glibc
import Logging

/// The one thread that owns a rabbitmq-c connection: it connects, reconnects with exponential
/// backoff, runs queued commands, reads frames and keeps heartbeats going.
///
/// rabbitmq-c is not thread-safe, so every C call for the connection happens on this thread.
/// Callers queue ``AMQPCommand``s and are woken through continuations; the thread sleeps in
/// `poll` on the socket and an eventfd that `submit` signals.
final class AMQPConnectionLoop: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `mailbox`, `stopRequested`, `stopped`, `connected` and
    // `stopWaiters`; everything else (the C connection, the role, `waiting`, the reconnect
    // timing) is touched only by `main()` on the loop's own thread.
    let configuration: AMQPConfiguration
    private let role: any AMQPConnectionRole
    private let logger: Logger
    private let threadName: String
    private let wakeDescriptor: Int32

    private let lock = NSLock()
    private var mailbox: [AMQPCommand] = []
    private var stopRequested = false
    private var stopped = false
    private var connected = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    private var connection: AMQPNativeConnection?
    private var generation: UInt64 = 0
    private var waiting: [AMQPCommand] = []
    /// Waits between reconnection attempts: doubling from the initial delay, jittered so that
    /// every connection of every service does not come back in the same instant.
    private var reconnects: Backoff.Attempts
    private var nextAttempt = ContinuousClock.now
    private var failedAttempts = 0

    /// The longest the thread sleeps without looking at the socket (heartbeats, broker closes).
    private var tick: Duration {
        let heartbeat = configuration.heartbeatSeconds > 0 ? Duration.seconds(configuration.heartbeatSeconds) / 4 : .seconds(1)
        return min(heartbeat, .seconds(1))
    }

    /// A loop for `role`; call ``start()`` once.
    init(configuration: AMQPConfiguration, role: any AMQPConnectionRole, logger: Logger, threadName: String) {
        self.configuration = configuration
        self.role = role
        self.logger = logger
        self.threadName = threadName
        self.reconnects = Backoff(initial: configuration.reconnectInitialDelay, maximum: configuration.reconnectMaximumDelay, jitter: 0.2).attempts()
        self.wakeDescriptor = rz_amqp_wake_descriptor()
        precondition(wakeDescriptor >= 0, "eventfd failed")
    }

    deinit {
        close(wakeDescriptor)
    }

    /// Starts the thread, which connects in the background.
    func start() {
        let thread = Thread { [self] in main() }
        thread.name = threadName
        thread.start()
    }

    /// Whether the connection is up right now.
    var isConnected: Bool { locked { connected } }

    /// Queues a command for the thread (or fails it at once after a stop, or while disconnected
    /// if it does not wait).
    func submit(_ command: AMQPCommand) {
        let rejection: AMQPError? = locked {
            if stopRequested { return AMQPError(.shutdown) }
            if !connected && !command.waitsForConnection { return AMQPError(.notConnected, detail: "not connected") }
            mailbox.append(command)
            return nil
        }
        if let rejection {
            command.fail(rejection)
        } else {
            wake()
        }
    }

    /// Runs `work` on the thread with the live connection and returns its result.
    func perform<Result: Sendable>(
        waitsForConnection: Bool = true,
        retriesOnConnectionLoss: Bool = false,
        _ work: @escaping @Sendable (AMQPNativeConnection, UInt64) throws -> Result
    ) async throws -> Result {
        let deadline = ContinuousClock.now + configuration.reconnectWaitTimeout
        return try await withCheckedThrowingContinuation { continuation in
            submit(AMQPCommand(
                run: { connection, generation in continuation.resume(returning: try work(connection, generation)) },
                fail: { continuation.resume(throwing: $0) },
                waitsForConnection: waitsForConnection,
                retriesOnConnectionLoss: retriesOnConnectionLoss,
                deadline: deadline
            ))
        }
    }

    /// Asks the thread to stop without waiting for it.
    func requestStop() {
        locked { stopRequested = true }
        wake()
    }

    /// Stops the thread: commands already queued still run, outstanding confirms get a few
    /// seconds, the connection is closed, and everything left fails with `.shutdown`.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped: Bool = locked {
                stopRequested = true
                if stopped { return true }
                stopWaiters.append(continuation)
                return false
            }
            if alreadyStopped {
                continuation.resume()
            } else {
                wake()
            }
        }
    }

    // MARK: - The thread

    private func main() {
        while !locked({ stopRequested }) {
            if let connection {
                serve(connection)
            } else {
                collectWhileDisconnected()
                let now = ContinuousClock.now
                if now >= nextAttempt {
                    if open() { continue }
                    nextAttempt = now + reconnects.next()
                }
                let wakeAt = waiting.map(\.deadline).reduce(nextAttempt, min)
                sleep(until: wakeAt, socket: nil)
            }
        }
        shutDown()
    }

    /// One attempt to connect and set the connection up for the role.
    private func open() -> Bool {
        do {
            let fresh = try AMQPNativeConnection(configuration: configuration)
            generation += 1
            do {
                try role.connectionOpened(fresh, generation: generation)
            } catch {
                fresh.close()
                throw error
            }
            connection = fresh
            locked { connected = true }
            reconnects.reset()
            logger.info("AMQP connection open", metadata: [
                "amqp.broker": "\(configuration)", "amqp.generation": "\(generation)", "amqp.failed_attempts": "\(failedAttempts)",
            ])
            failedAttempts = 0
            return true
        } catch {
            failedAttempts += 1
            // Every attempt at debug, the first and then every tenth at warning: a broker restart is noisy enough.
            let level: Logger.Level = failedAttempts == 1 || failedAttempts % 10 == 0 ? .warning : .debug
            logger.log(level: level, "AMQP connection attempt failed", metadata: [
                "amqp.broker": "\(configuration)", "amqp.attempt": "\(failedAttempts)", "error": "\(String(reflecting: error))",
            ])
            return false
        }
    }

    /// One turn while connected: run commands, read what arrived, expire, then sleep until
    /// something happens (socket, new command, deadline, tick).
    private func serve(_ connection: AMQPNativeConnection) {
        do {
            var commands = waiting
            waiting = []
            commands += takeMailbox()
            var index = commands.startIndex
            while index < commands.endIndex, !connection.isBroken {
                execute(commands[index], on: connection)
                index += 1
            }
            waiting += commands[index...]
            if connection.isBroken {
                throw AMQPError(.connectionLost, detail: "a command found the connection broken")
            }
            try drainFrames(connection)
            role.expire(now: .now)
            if !connection.hasBufferedInput && locked({ mailbox.isEmpty }) {
                let limit = ContinuousClock.now + tick
                sleep(until: role.nextDeadline.map { min($0, limit) } ?? limit, socket: connection.socketDescriptor)
            }
        } catch {
            drop(connection, error: error as? AMQPError ?? AMQPError(.protocolError, detail: String(reflecting: error)))
        }
    }

    private func execute(_ command: AMQPCommand, on connection: AMQPNativeConnection) {
        do {
            try command.run(connection, generation)
        } catch {
            let failure = error as? AMQPError ?? AMQPError(.protocolError, detail: String(reflecting: error))
            if failure.code == .connectionLost && command.retriesOnConnectionLoss && command.attempts == 0 {
                var retry = command
                retry.attempts += 1
                waiting.append(retry)
            } else {
                command.fail(failure)
            }
        }
    }

    /// Handles every frame already received (without blocking); heartbeats are sent on the way.
    private func drainFrames(_ connection: AMQPNativeConnection) throws(AMQPError) {
        while let frame = try connection.nextFrame(timeout: .zero) {
            try dispatch(frame, on: connection)
        }
        connection.releaseBuffersIfIdle()
    }

    private func dispatch(_ frame: amqp_frame_t, on connection: AMQPNativeConnection) throws(AMQPError) {
        guard Int32(frame.frame_type) == AMQP_FRAME_METHOD else { return }
        let method = frame.payload.method
        switch method.id {
        case AMQPMethod.connectionClose:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            let text = close.reply_text.string
            connection.answerConnectionClose()
            throw AMQPError(.connectionLost, replyCode: close.reply_code, detail: "broker closed the connection: \(text)")
        case AMQPMethod.connectionBlocked:
            logger.warning("AMQP broker blocked publishing (resource alarm)")
        case AMQPMethod.connectionUnblocked:
            logger.info("AMQP broker unblocked publishing")
        case AMQPMethod.channelClose:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = AMQPError(.channelClosed, replyCode: close.reply_code, detail: "broker closed channel \(frame.channel): \(close.reply_text.string)")
            connection.answerChannelClose(frame.channel)
            try role.channelClosed(frame.channel, error: error, on: connection)
        default:
            try role.handle(frame, on: connection)
        }
    }

    private func drop(_ connection: AMQPNativeConnection, error: AMQPError) {
        logger.warning("AMQP connection lost", metadata: [
            "amqp.broker": "\(configuration)", "amqp.generation": "\(generation)", "error": "\(String(reflecting: error))",
        ])
        role.connectionLost(error)
        connection.close()
        self.connection = nil
        locked { connected = false }
        nextAttempt = .now + reconnects.backoff.delay(afterFailures: 1)
    }

    /// While disconnected: park waiting commands, fail those that do not wait or waited too long.
    private func collectWhileDisconnected() {
        for command in takeMailbox() {
            if command.waitsForConnection {
                waiting.append(command)
            } else {
                command.fail(AMQPError(.notConnected, detail: "not connected"))
            }
        }
        let now = ContinuousClock.now
        waiting.removeAll { command in
            guard command.deadline <= now else { return false }
            command.fail(AMQPError(.notConnected, detail: "no connection within \(configuration.reconnectWaitTimeout)"))
            return true
        }
    }

    private func shutDown() {
        if let connection, !connection.isBroken {
            // Commands queued before the stop (final acks, publishes) still run.
            var commands = waiting
            waiting = []
            commands += takeMailbox()
            for command in commands {
                if connection.isBroken {
                    waiting.append(command)
                } else {
                    execute(command, on: connection)
                }
            }
            let graceEnd = ContinuousClock.now + .seconds(5)
            do {
                try drainFrames(connection)
                while role.hasOutstandingWork && !connection.isBroken && ContinuousClock.now < graceEnd {
                    sleep(until: min(graceEnd, .now + tick), socket: connection.socketDescriptor)
                    try drainFrames(connection)
                    role.expire(now: .now)
                }
                if !connection.isBroken {
                    role.shuttingDown(connection)
                }
            } catch {
                logger.debug("AMQP error during shutdown", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        role.connectionLost(AMQPError(.shutdown))
        connection?.close()
        connection = nil
        for command in waiting + takeMailbox() {
            command.fail(AMQPError(.shutdown))
        }
        waiting = []
        role.finished()
        let waiters: [CheckedContinuation<Void, Never>] = locked {
            stopped = true
            connected = false
            defer { stopWaiters = [] }
            return stopWaiters
        }
        logger.debug("AMQP connection thread stopped", metadata: ["amqp.broker": "\(configuration)"])
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Waking and sleeping

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Sleeps until `deadline`, a `submit`/stop, or (if given) data on the socket.
    private func sleep(until deadline: ContinuousClock.Instant, socket: Int32?) {
        var descriptors = [pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        if let socket, socket >= 0 {
            descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0))
        }
        let remaining = deadline - .now
        let milliseconds = remaining <= .zero ? 0 : Int32(min(remaining / .milliseconds(1), 60_000).rounded(.up))
        _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        if descriptors[0].revents != 0 {
            var counter: UInt64 = 0
            _ = read(wakeDescriptor, &counter, MemoryLayout<UInt64>.size)
        }
    }

    private func takeMailbox() -> [AMQPCommand] {
        locked {
            defer { mailbox = [] }
            return mailbox
        }
    }

    private func locked<Value>(_ body: () throws -> Value) rethrows -> Value {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
