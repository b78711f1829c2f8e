import CPostgres
import Foundation
import Retrying
import Glibc
import Logging

/// Receives PostgreSQL `NOTIFY`s on a dedicated connection and yields them as an `AsyncStream`.
///
/// libpq delivers notifications only while something reads the socket (`PQconsumeInput`,
/// `PQnotifies`), so the listener owns one connection and one thread of its own that sleeps in
/// `poll` on the socket and on an eventfd that ``stop()`` signals. When the connection breaks
/// (a server restart) it reconnects with exponential backoff and yields ``Event/listening``
/// again: notifications sent while it was away are lost, so a caller treats `listening` as
/// "look at the state yourself", and should poll now and then anyway.
package final class PostgresListener: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards `stopRequested`; the connection is used only by the
    // listener's thread; the stream continuation is itself thread-safe.

    /// What the listener reports.
    package enum Event: Sendable, Equatable {
        /// The connection is listening (first connect and every reconnect): anything notified
        /// while it was down was missed.
        case listening
        /// A `NOTIFY channel, 'payload'` on one of the channels.
        case notification(channel: String, payload: String)
    }

    /// The events, in arrival order; finishes after ``stop()``. Iterate it once.
    package let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let url: String
    private let channels: [String]
    private let applicationName: String
    private let logger: Logger
    private let reconnectInitialDelay: Duration
    private let reconnectMaximumDelay: Duration
    private let wakeDescriptor: Int32
    private let lock = NSLock()
    private var stopRequested = false

    /// Starts listening on `channels` (plain lower-case identifiers: letters, digits, `_`).
    ///
    /// - Parameter url: a libpq connection string or `postgres://` URI (the primary, not a replica:
    ///   notifications are not replicated).
    package init(
        url: String,
        channels: [String],
        applicationName: String = "rendezvous-listener",
        logger: Logger,
        reconnectInitialDelay: Duration = .milliseconds(100),
        reconnectMaximumDelay: Duration = .seconds(5)
    ) {
        precondition(!channels.isEmpty, "listen to at least one channel")
        precondition(channels.allSatisfy(Self.isPlainIdentifier), "channel names must be plain identifiers")
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
        self.url = url
        self.channels = channels
        self.applicationName = applicationName
        self.logger = logger
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaximumDelay = reconnectMaximumDelay
        wakeDescriptor = rz_pg_wake_descriptor()
        precondition(wakeDescriptor >= 0, "eventfd failed")
        continuation.onTermination = { [weak self] _ in self?.stop() }
        let thread = Thread { [self] in main() }
        thread.name = "pg-listener"
        thread.start()
    }

    deinit {
        // The thread holds `self` until it returns, so nothing polls the descriptor any more.
        close(wakeDescriptor)
    }

    /// Stops the thread (within a connect timeout at most); ``events`` then finishes.
    package func stop() {
        lock.withLock { stopRequested = true }
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    private var isStopRequested: Bool { lock.withLock { stopRequested } }

    private static func isPlainIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    // MARK: - The thread

    private func main() {
        var reconnects = Backoff(initial: reconnectInitialDelay, maximum: reconnectMaximumDelay, jitter: 0.2).attempts()
        while !isStopRequested {
            guard let connection = connect() else {
                let delay = reconnects.next()
                if reconnects.failures == 1 || reconnects.failures % 10 == 0 {
                    logger.warning("postgres listener cannot connect, retrying", metadata: ["pg.attempt": "\(reconnects.failures)"])
                }
                sleep(for: delay)
                continue
            }
            if reconnects.failures > 0 {
                logger.info("postgres listener connected", metadata: ["pg.failed_attempts": "\(reconnects.failures)"])
            }
            reconnects.reset()
            continuation.yield(.listening)
            serve(connection)
            PQfinish(connection)
        }
        continuation.finish()
    }

    /// Opens a connection and issues `LISTEN` for every channel; nil on any failure.
    private func connect() -> OpaquePointer? {
        let keys = ["dbname", "application_name", "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count"]
        let values = [url, applicationName, "5", "30", "10", "3"]
        let connection = withCStringArray(keys) { keyPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let connection else { return nil }
        guard PQstatus(connection) == CONNECTION_OK else {
            logger.debug("postgres listener connection failed", metadata: ["error": "\(String(cString: PQerrorMessage(connection)))"])
            PQfinish(connection)
            return nil
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        for channel in channels {
            let result = PQexec(connection, "LISTEN \(channel)")
            let ok = result.map { PQresultStatus($0) == PGRES_COMMAND_OK } ?? false
            PQclear(result)
            guard ok else {
                logger.debug("postgres listener LISTEN failed", metadata: ["pg.channel": "\(channel)", "error": "\(String(cString: PQerrorMessage(connection)))"])
                PQfinish(connection)
                return nil
            }
        }
        return connection
    }

    /// Yields notifications until the connection breaks or a stop is requested.
    private func serve(_ connection: OpaquePointer) {
        let socket = PQsocket(connection)
        guard socket >= 0 else { return }
        while !isStopRequested {
            var descriptors = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.warning("postgres listener poll failed", metadata: ["errno": "\(errno)"])
                return
            }
            if descriptors[1].revents != 0 {
                drainWake()
            }
            guard descriptors[0].revents != 0 else { continue }
            let consumed = PQconsumeInput(connection)
            while let notification = PQnotifies(connection) {
                continuation.yield(.notification(
                    channel: String(cString: notification.pointee.relname),
                    payload: String(cString: notification.pointee.extra)
                ))
                PQfreemem(notification)
            }
            if consumed == 0 || PQstatus(connection) != CONNECTION_OK {
                logger.warning("postgres listener connection lost, reconnecting")
                return
            }
        }
    }

    /// Sleeps for `duration` or until ``stop()`` wakes the thread.
    private func sleep(for duration: Duration) {
        var descriptor = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        _ = poll(&descriptor, 1, Int32(clamping: max(milliseconds, 1)))
        drainWake()
    }

    private func drainWake() {
        var value: UInt64 = 0
        _ = read(wakeDescriptor, &value, MemoryLayout<UInt64>.size)
    }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let owned = strings.map { strdup($0) }
    defer { owned.forEach { free($0) } }
    return body(owned.map { $0.map { UnsafePointer($0) } } + [nil])
}
