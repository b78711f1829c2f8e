import Cryptography
import Curl
import Events
import Foundation
import Retrying
import Logging
import Postgres
import ServiceLifecycle

/// Sends due rows of `scheduled_notifications` (a ServiceLifecycle `Service`).
///
/// Each turn claims up to ``Configuration/batchSize`` due rows with `FOR UPDATE SKIP LOCKED`
/// (several notifier instances share the work; a row is claimed by one), then for each row:
/// re-reads the booking and skips the email if the booking changed since it was scheduled (a
/// reminder is never sent for a cancelled or moved meeting), renders it, marks it `sending`,
/// hands it to SMTP, and records `sent` together with its audit row.
///
/// **At most once, and how close to exactly once.** A row is handed to SMTP only from `sending`,
/// and a row found in `sending` after a crash (older than ``Configuration/sendingTimeout``, longer
/// than any SMTP transaction lasts) is never sent again: it becomes `unconfirmed`, with an audit
/// row and a metric, for an operator to check. So no email is sent twice by a crash; the price is
/// that a crash inside the SMTP transaction (milliseconds per message, at most
/// ``Configuration/concurrency`` messages) leaves those emails unconfirmed — sent or not,
/// unknown. Everything before `sending` is safe to repeat: claims that never reached SMTP return
/// to `pending` after ``Configuration/claimLease``. The Message-ID is the row id, the same on
/// every attempt, so the rare retry after a transient failure in which the server had in fact
/// accepted the message (a connection lost after the data was sent) is recognisable downstream.
///
/// Failures: an unreachable server uses no attempt: the rows wait and the loop backs off up to
/// ``Configuration/unreachableMaximumDelay``, so mails are delivered when the server returns.
/// Other transient failures (4xx, a lost connection) retry with exponential backoff; after
/// ``Configuration/maximumAttempts`` the row is `failed`, counted and in the audit log. Permanent
/// refusals (5xx, a rejected recipient) fail at once.
///
/// It wakes on `LISTEN scheduled_notifications` (the insert trigger notifies at commit) and polls
/// every ``Configuration/pollInterval`` for reminders that came due. A graceful shutdown lets the
/// batch in flight finish.
package struct NotificationDispatcher: Service {
    // Configuration and Sender: NotificationDispatcher+Configuration.swift; one email:
    // NotificationDelivery.swift; what a failure means: NotificationFailurePolicy.swift.

    let database: PostgresClient
    let transport: any MailTransport
    let renderer: NotificationRenderer
    let repository: ScheduledNotificationRepository
    let directory = NotificationDirectory()
    let sender: Sender
    let encryptionKey: EncryptionKey?
    let databaseURL: String?
    let logger: Logger
    let now: @Sendable () -> Date
    let configuration: Configuration
    let metrics = NotifierMetrics()

    /// A dispatcher over `database` sending through `transport`.
    ///
    /// - Parameters:
    ///   - encryptionKey: opens the invitee's sealed cancel token for the links.
    ///   - databaseURL: the primary's URL for the `LISTEN` connection; with nil it only polls.
    ///   - now: the clock that decides what is due (tests move it).
    init(
        database: PostgresClient,
        transport: any MailTransport,
        renderer: NotificationRenderer,
        repository: ScheduledNotificationRepository,
        sender: Sender,
        encryptionKey: EncryptionKey?,
        databaseURL: String?,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        configuration: Configuration = Configuration()
    ) {
        self.database = database
        self.transport = transport
        self.renderer = renderer
        self.repository = repository
        self.sender = sender
        self.encryptionKey = encryptionKey
        self.databaseURL = databaseURL
        self.logger = logger
        self.now = now
        self.configuration = configuration
    }

    /// Dispatches until cancelled or a graceful shutdown; throws only what ``Configuration/afterAccepted`` throws.
    package func run() async throws {
        let doorbell = WakeUpSignal()
        let listener = databaseURL.map {
            PostgresListener(url: $0, channels: ["scheduled_notifications"], applicationName: "notifier-dispatcher", logger: logger)
        }
        defer { listener?.stop() }
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let listener {
                    group.addTask {
                        for await _ in listener.events { doorbell.ring() }
                    }
                }
                group.addTask { try await dispatch(doorbell: doorbell) }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The loop: send while rows are due, then sleep until notified or the poll interval.
    func dispatch(doorbell: WakeUpSignal) async throws {
        let clock = ContinuousClock()
        var databaseRetries = Backoff(initial: .milliseconds(200), maximum: .seconds(10), jitter: 0.2).attempts()
        var serverAwayWaits = Backoff(initial: .milliseconds(200), maximum: max(.milliseconds(200), configuration.unreachableMaximumDelay), jitter: 0.2).attempts()
        var nextRecovery = clock.now
        var nextMetrics = clock.now
        while !Task.isCancelled {
            if clock.now >= nextRecovery {
                await recover()
                nextRecovery = clock.now + configuration.recoveryInterval
            }
            if clock.now >= nextMetrics {
                await sampleBacklog()
                nextMetrics = clock.now + configuration.metricsInterval
            }
            let turn: Turn
            do {
                // A batch runs to its end even when the dispatcher is cancelled: an SMTP
                // transaction cut short would leave its email unconfirmed.
                turn = try await Task { try await dispatchBatch() }.value  // unstructured: awaited, shielded from cancellation
                if databaseRetries.failures > 0 {
                    logger.info("notification dispatcher recovered", metadata: ["notifier.failed_turns": "\(databaseRetries.failures)"])
                }
                databaseRetries.reset()
            } catch let crash as DispatcherStopped {
                throw crash.underlying
            } catch {
                let delay = databaseRetries.next()
                let failures = databaseRetries.failures
                let level: Logger.Level = failures == 1 || failures % 10 == 0 ? .warning : .debug
                logger.log(level: level, "notification dispatcher cannot reach the database, retrying", metadata: [
                    "notifier.attempt": "\(failures)", "error": "\(String(reflecting: error))",
                ])
                try? await Task.sleep(for: delay)
                continue
            }
            if turn.serverAway {
                try? await Task.sleep(for: serverAwayWaits.next())
                continue
            }
            serverAwayWaits.reset()
            if turn.claimed == configuration.batchSize { continue }
            await doorbell.wait(upTo: configuration.pollInterval)
        }
    }

    /// What one turn did.
    struct Turn {
        var claimed: Int
        var serverAway: Bool
    }

    /// Claims due rows and delivers them, `concurrency` at a time; when the server turns out to
    /// be unreachable, the rows not started yet are given back untouched.
    func dispatchBatch() async throws -> Turn {
        let claimed = try await repository.claimDue(
            now: now(), limit: configuration.batchSize, onlyHosts: configuration.onlyHosts, in: database
        )
        guard !claimed.isEmpty else { return Turn(claimed: 0, serverAway: false) }
        let queue = BatchQueue(claimed)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<min(configuration.concurrency, claimed.count) {
                group.addTask {
                    while let notification = queue.next() {
                        do {
                            if try await deliver(notification) == .serverAway { queue.stop() }
                        } catch let stopped as DispatcherStopped {
                            throw stopped
                        } catch {
                            // The database failed around one email: the others in flight finish
                            // (never cut an SMTP transaction short); no more are started. The row
                            // keeps its claim, which expires back to `pending`.
                            queue.stop(failure: error)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let untouched = queue.remaining()
        if !untouched.isEmpty { try await repository.release(untouched, in: database) }
        if let failure = queue.failure { throw failure }
        return Turn(claimed: claimed.count, serverAway: queue.stopped)
    }

    /// What became of one email.
    enum Delivery: Equatable {
        case sent, skipped, retrying, failed, serverAway, claimLost
    }

    /// Returns expired claims to `pending`; turns abandoned sends into `unconfirmed`.
    func recover() async {
        do {
            let released = try await repository.recoverExpiredClaims(
                lease: configuration.claimLease, onlyHosts: configuration.onlyHosts, in: database
            )
            if released > 0 { logger.warning("expired notification claims released", metadata: ["notifier.rows": "\(released)"]) }
            let abandoned = try await repository.markAbandonedSends(
                olderThan: configuration.sendingTimeout, onlyHosts: configuration.onlyHosts, in: database
            )
            for kind in abandoned { metrics.unconfirmed(kind) }
            if !abandoned.isEmpty {
                logger.error("emails abandoned inside SMTP marked unconfirmed, not sent again", metadata: ["notifier.rows": "\(abandoned.count)"])
            }
        } catch {
            logger.debug("notification recovery failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    func sampleBacklog() async {
        do {
            let current = now()
            let backlog = try await repository.backlog(now: current, in: database)
            metrics.backlog(backlog.count)
            metrics.backlogAge(backlog.oldestDue.map { max(0, current.timeIntervalSince($0)) } ?? 0)
        } catch {
            logger.debug("notification backlog not sampled", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
