import Cryptography
import Curl
import Events
import Foundation
import Retrying
import Logging
import Postgres
import ServiceLifecycle

/// One email: re-read the booking, render, mark `sending`, hand it to SMTP, record it.
extension NotificationDispatcher {
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
        let sentAt = now()
        await recordSent(notification, subject: email.subject, sentAt: sentAt, log: log)
        metrics.sent(notification.kind)
        metrics.deliveryLag(sentAt.timeIntervalSince(notification.dueAt))
        log.debug("notification sent")
        return .sent
    }

    /// Whether a row still applies, and what it needs to be rendered.
    enum Preparation {
        case skip(String)
        case send(NotificationRenderer.Details)
    }

    func prepare(_ notification: ScheduledNotification, in session: PostgresSession) async throws -> Preparation {
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
    func staleness(of notification: ScheduledNotification, in session: PostgresSession) async throws -> String? {
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

    func openToken(_ sealed: String, bookingID: UUID) -> String? {
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

    /// Records a sent email; keeps trying while the database is away (the message is out: the
    /// row must not stay in `sending`, which would make it unconfirmed).
    func recordSent(_ notification: ScheduledNotification, subject: String, sentAt: Date, log: Logger) async {
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
}
