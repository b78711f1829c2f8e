import Cryptography
import Curl
import Events
import Foundation
import Retrying
import Logging
import Postgres
import ServiceLifecycle

extension NotificationDispatcher {
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
}
