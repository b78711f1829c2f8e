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
    /// Sizes and timings; the defaults suit a service.
    package struct Configuration: Sendable {
        /// Rows claimed per turn.
        package var batchSize: Int
        /// Emails handed to SMTP at once.
        package var concurrency: Int
        /// The longest the loop sleeps without looking for due rows.
        package var pollInterval: Duration
        /// Attempts per email before it is `failed`.
        package var maximumAttempts: Int
        /// The wait after the first transient failure of an email; it doubles per attempt.
        package var retryInitialDelay: Duration
        /// The longest wait between two attempts of an email.
        package var retryMaximumDelay: Duration
        /// The longest pause while the SMTP server is unreachable (it starts at 200 ms and doubles).
        package var unreachableMaximumDelay: Duration
        /// A claim older than this never reached SMTP (its dispatcher stalled or died): it returns to `pending`.
        package var claimLease: Duration
        /// A row in `sending` older than this was abandoned inside SMTP: it becomes `unconfirmed`.
        package var sendingTimeout: Duration
        /// How often expired claims and abandoned sends are looked for.
        package var recoveryInterval: Duration
        /// How often the backlog gauges are sampled.
        package var metricsInterval: Duration
        /// Runs after SMTP accepted a message and before it is recorded. Tests throw from it to
        /// stop the dispatcher in exactly that window, as a crash would.
        package var afterAccepted: (@Sendable (UUID) async throws -> Void)?
        /// Restricts this dispatcher to these hosts' emails; nil (a deployment): all. Tests share
        /// one database and must not send each other's emails.
        package var onlyHosts: [UUID]?

        /// A configuration; every value has a default fit for a service.
        package init(
            batchSize: Int = 32,
            concurrency: Int = 4,
            pollInterval: Duration = .seconds(2),
            maximumAttempts: Int = 8,
            retryInitialDelay: Duration = .seconds(30),
            retryMaximumDelay: Duration = .seconds(3600),
            unreachableMaximumDelay: Duration = .seconds(15),
            claimLease: Duration = .seconds(120),
            sendingTimeout: Duration = .seconds(300),
            recoveryInterval: Duration = .seconds(15),
            metricsInterval: Duration = .seconds(5),
            afterAccepted: (@Sendable (UUID) async throws -> Void)? = nil,
            onlyHosts: [UUID]? = nil
        ) {
            precondition(batchSize >= 1 && concurrency >= 1 && maximumAttempts >= 1, "sizes must be positive")
            self.batchSize = batchSize
            self.concurrency = concurrency
            self.pollInterval = pollInterval
            self.maximumAttempts = maximumAttempts
            self.retryInitialDelay = retryInitialDelay
            self.retryMaximumDelay = retryMaximumDelay
            self.unreachableMaximumDelay = unreachableMaximumDelay
            self.claimLease = claimLease
            self.sendingTimeout = sendingTimeout
            self.recoveryInterval = recoveryInterval
            self.metricsInterval = metricsInterval
            self.afterAccepted = afterAccepted
            self.onlyHosts = onlyHosts
        }
    }

    /// The envelope sender and the `From` header.
    package struct Sender: Sendable {
        package var address: String
        package var name: String

        package init(address: String, name: String = "Rendezvous") {
            self.address = address
            self.name = name
        }
    }

    private let database: PostgresClient
    private let transport: any MailTransport
    private let renderer: NotificationRenderer
    private let repository: ScheduledNotificationRepository
    private let directory = NotificationDirectory()
    private let sender: Sender
    private let encryptionKey: EncryptionKey?
    private let databaseURL: String?
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let configuration: Configuration
    private let metrics = NotifierMetrics()

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
    private func dispatch(doorbell: WakeUpSignal) async throws {
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
    private struct Turn {
        var claimed: Int
        var serverAway: Bool
    }

    /// Claims due rows and delivers them, `concurrency` at a time; when the server turns out to
    /// be unreachable, the rows not started yet are given back untouched.
    private func dispatchBatch() async throws -> Turn {
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

    /// Delivers one claimed row; throws only a database error before SMTP (the claim then
    /// expires and the row is tried again) or ``DispatcherStopped``.
    func deliver(_ notification: ScheduledNotification) async throws -> Delivery {
        var log = logger
        log[metadataKey: "notification.id"] = "\(notification.id.uuidString.lowercased())"
        log[metadataKey: "notification.kind"] = "\(notification.kind.rawValue)"
        if let booking = notification.bookingID { log[metadataKey: "booking.id"] = "\(booking)" }

        let prepared = try await database.withConnection { session in try await prepare(notification, in: session) }
        let details: NotificationRenderer.Details
        switch prepared {
        case .skip(let reason):
            try await repository.markSkipped(notification, reason: reason, in: database)
            metrics.skipped(notification.kind)
            log.debug("notification skipped", metadata: ["notification.reason": "\(reason)"])
            return .skipped
        case .send(let ready):
            details = ready
        }
        let email: RenderedEmail
        do {
            email = try renderer.render(notification, details: details, now: now())
        } catch {
            log.error("notification cannot be rendered", metadata: ["error": "\(String(reflecting: error))"])
            try await repository.recordFailed(notification, subject: "", error: "render: \(error)", in: database)
            metrics.failed(notification.kind.rawValue)
            return .failed
        }
        guard try await repository.markSending(notification, subject: email.subject, in: database) else {
            log.debug("notification claim lost to another dispatcher")
            return .claimLost
        }
        let message = EmailMessage(
            from: sender.address, fromName: sender.name, to: notification.recipient,
            messageID: repository.messageID(of: notification.id), date: now(), email: email, kind: notification.kind.rawValue
        )
        do {
            try await transport.send(message.bytes, from: sender.address, to: [notification.recipient])
        } catch {
            return try await handleFailure(error, notification, subject: email.subject, log: log)
        }
        do {
            try await configuration.afterAccepted?(notification.id)
        } catch {
            throw DispatcherStopped(underlying: error)
        }
        let sentAt = Date()
        await recordSent(notification, subject: email.subject, sentAt: sentAt, log: log)
        metrics.sent(notification.kind)
        metrics.deliveryLag(sentAt.timeIntervalSince(notification.dueAt))
        log.debug("notification sent")
        return .sent
    }

    /// Whether a row still applies, and what it needs to be rendered.
    private enum Preparation {
        case skip(String)
        case send(NotificationRenderer.Details)
    }

    private func prepare(_ notification: ScheduledNotification, in session: PostgresSession) async throws -> Preparation {
        if let reason = try await staleness(of: notification, in: session) { return .skip(reason) }
        guard let host = try await directory.host(notification.hostUserID, in: session) else { return .skip("host no longer exists") }
        var meetingTypeName = "Meeting"
        if let booking = notification.payload.booking, let name = try await directory.meetingTypeName(booking.meetingTypeID, in: session) {
            meetingTypeName = name
        }
        var token: String?
        if notification.role == .invitee, let sealed = notification.payload.sealedCancelToken, let booking = notification.payload.booking {
            token = openToken(sealed, bookingID: booking.id)
        }
        return .send(.init(host: host, meetingTypeName: meetingTypeName, cancelToken: token))
    }

    /// Why the email no longer applies, or nil: the booking as it stands now must still be the
    /// one the email describes (confirmed at the same version); a cancellation always goes.
    private func staleness(of notification: ScheduledNotification, in session: PostgresSession) async throws -> String? {
        guard let bookingID = notification.bookingID, let snapshot = notification.payload.booking else { return nil }
        if notification.kind == .cancellation { return nil }
        guard let state = try await directory.bookingState(bookingID, in: session) else { return "booking no longer exists" }
        if state.status != "confirmed" { return "booking is \(state.status)" }
        if state.version != snapshot.version { return "booking changed (version \(state.version))" }
        if notification.kind.reminderLead != nil, state.startTime <= now() { return "meeting already started" }
        // A 24-hour reminder that comes due late (an outage, a backlog) would say "tomorrow" next
        // to the 1-hour one: once that one is due, only it goes.
        if notification.kind == .reminder24h, let shorter = NotificationKind.reminder1h.reminderLead,
           state.startTime.timeIntervalSince(now()) <= shorter {
            return "the 1-hour reminder is due"
        }
        return nil
    }

    private func openToken(_ sealed: String, bookingID: UUID) -> String? {
        guard let encryptionKey else { return nil }
        do {
            let opened = try AESGCM.open(
                serialized: Base64URL.decode(sealed), using: encryptionKey,
                associatedData: Array(bookingID.uuidString.lowercased().utf8)
            )
            return String(decoding: opened, as: UTF8.self)
        } catch {
            logger.warning("cancel token cannot be opened; email goes without links", metadata: ["booking.id": "\(bookingID.uuidString.lowercased())"])
            return nil
        }
    }

    private func handleFailure(_ error: any Error, _ notification: ScheduledNotification, subject: String, log: Logger) async throws -> Delivery {
        let smtpError = error as? SMTPError
        let detail = smtpError.map { String(reflecting: $0) } ?? String(describing: error)
        if smtpError?.kind == .unreachable || smtpError?.kind == .shutdown || error is CancellationError {
            // The server is away (or we are stopping): not the email's fault, no attempt used.
            try await repository.retryLater(notification, at: notification.dueAt, error: detail, countsAsAttempt: false, in: database)
            log.warning("SMTP server unreachable, email waits", metadata: ["error": "\(detail)"])
            return .serverAway
        }
        let transient = smtpError?.isTransient ?? true
        if transient, notification.attempts < configuration.maximumAttempts {
            let retryAt = now().addingTimeInterval(backoff(afterAttempt: notification.attempts).seconds)
            try await repository.retryLater(notification, at: retryAt, error: detail, countsAsAttempt: true, in: database)
            metrics.retried(notification.kind)
            log.warning("email not accepted, retrying later", metadata: [
                "notification.attempt": "\(notification.attempts)", "error": "\(detail)",
            ])
            return .retrying
        }
        try await repository.recordFailed(notification, subject: subject, error: detail, in: database)
        metrics.failed(notification.kind.rawValue)
        log.error("email failed for good", metadata: ["notification.attempt": "\(notification.attempts)", "error": "\(detail)"])
        return .failed
    }

    /// The wait before the next attempt: the initial delay doubled per attempt made, capped.
    func backoff(afterAttempt attempt: Int) -> Duration {
        Backoff(initial: configuration.retryInitialDelay, maximum: max(configuration.retryInitialDelay, configuration.retryMaximumDelay))
            .delay(afterFailures: attempt)
    }

    /// Records a sent email; keeps trying while the database is away (the message is out: the
    /// row must not stay in `sending`, which would make it unconfirmed).
    private func recordSent(_ notification: ScheduledNotification, subject: String, sentAt: Date, log: Logger) async {
        var retries = Backoff(initial: .milliseconds(100), maximum: .seconds(5), jitter: 0.2).attempts()
        let deadline = ContinuousClock.now + configuration.sendingTimeout / 2
        while true {
            do {
                try await repository.recordSent(notification, subject: subject, sentAt: sentAt, in: database)
                return
            } catch {
                guard ContinuousClock.now < deadline else {
                    log.error("sent email cannot be recorded; it will show as unconfirmed", metadata: ["error": "\(String(reflecting: error))"])
                    return
                }
                try? await Task.sleep(for: retries.next())
            }
        }
    }

    /// Returns expired claims to `pending`; turns abandoned sends into `unconfirmed`.
    private func recover() async {
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

    private func sampleBacklog() async {
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

/// What ``NotificationDispatcher/Configuration/afterAccepted`` threw: the dispatcher stops as if it crashed.
struct DispatcherStopped: Error {
    var underlying: any Error
}

/// The rows of one turn, handed out one at a time to the sending tasks.
final class BatchQueue: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards every property.
    private let lock = NSLock()
    private var rows: ArraySlice<ScheduledNotification>
    private var isStopped = false
    private var firstFailure: (any Error)?

    init(_ rows: [ScheduledNotification]) {
        self.rows = rows[...]
    }

    /// The next row, or nil when none is left or the queue was stopped.
    func next() -> ScheduledNotification? {
        lock.withLock {
            guard !isStopped else { return nil }
            return rows.popFirst()
        }
    }

    /// Hands out nothing more; `failure`, if given, is kept (the first one) for the turn to report.
    func stop(failure: (any Error)? = nil) {
        lock.withLock {
            isStopped = true
            if firstFailure == nil { firstFailure = failure }
        }
    }

    /// The first failure a sending task reported.
    var failure: (any Error)? { lock.withLock { firstFailure } }

    var stopped: Bool { lock.withLock { isStopped } }

    /// The rows never handed out.
    func remaining() -> [ScheduledNotification] { lock.withLock { Array(rows) } }
}
