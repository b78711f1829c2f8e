import Cryptography
import Curl
import Events
import Foundation
import Retrying
import Logging
import Postgres
import ServiceLifecycle

/// What a failed email means: wait for the server, retry with backoff, or fail for good.
extension NotificationDispatcher {
    func handleFailure(_ error: any Error, _ notification: ScheduledNotification, subject: String, log: Logger) async throws -> Delivery {
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
}
