import Foundation
import Postgres

/// The `scheduled_notifications` table and the audit rows written with each outcome.
///
/// Every update of a claimed row names the claim (`attempt_id`), so a dispatcher whose lease was
/// taken over after a stall changes nothing.
struct ScheduledNotificationRepository: Sendable {
    /// The domain of the Message-IDs (`<row id@domain>`).
    let messageIDDomain: String

    /// The Message-ID of a notification: the same for every attempt, so a resend is recognisable.
    func messageID(of id: UUID) -> String {
        "<\(id.uuidString.lowercased())@\(messageIDDomain)>"
    }

    // MARK: Scheduling (the event handler's transaction)

    /// Inserts the row unless its dedupe key exists; returns whether it was new.
    @discardableResult
    func insert(_ notification: ScheduledNotification, in session: PostgresSession) async throws -> Bool {
        let payload = try PostgresJSON(encoding: notification.payload, encoder: NotificationPayload.encoder)
        let rows = try await session.query("""
            INSERT INTO scheduled_notifications (id, dedupe_key, booking_id, host_user_id, kind, recipient_role, recipient, payload, due_at)
            VALUES (\(notification.id), \(notification.dedupeKey), \(notification.bookingID), \(notification.hostUserID),
                    \(notification.kind.rawValue), \(notification.role.rawValue), \(notification.recipient), \(payload)::jsonb,
                    \(notification.dueAt))
            ON CONFLICT (dedupe_key) DO NOTHING
            """)
        return rows.affectedRows == 1
    }

    /// Cancels what is still waiting for a booking that was cancelled or moved (its reminders,
    /// and a confirmation not sent yet); returns how many rows.
    @discardableResult
    func cancelPending(bookingID: UUID, in session: PostgresSession) async throws -> Int {
        try await session.query("""
            UPDATE scheduled_notifications SET status = 'cancelled', updated_at = clock_timestamp()
            WHERE booking_id = \(bookingID) AND status = 'pending' AND kind IN ('confirmation', 'reminder_24h', 'reminder_1h', 'reschedule')
            """).affectedRows
    }

    // MARK: Dispatching

    /// Claims up to `limit` due rows for one dispatcher (`FOR UPDATE SKIP LOCKED`: two
    /// dispatchers never claim the same row), counting the attempt.
    func claimDue(now: Date, limit: Int, onlyHosts: [UUID]? = nil, in client: PostgresClient) async throws -> [ScheduledNotification] {
        let attemptID = UUID()
        let rows = try await client.query("""
            UPDATE scheduled_notifications SET status = 'claimed', attempt_id = \(attemptID), attempts = attempts + 1,
                   claimed_at = clock_timestamp(), updated_at = clock_timestamp()
            WHERE id IN (
                SELECT id FROM scheduled_notifications
                WHERE status = 'pending' AND due_at <= \(now)
                  AND (\(onlyHosts == nil)::boolean OR host_user_id = ANY(\(onlyHosts ?? [])::uuid[]))
                ORDER BY due_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: ScheduledNotification.columns)
            """)
        return try rows.map(ScheduledNotification.init(row:)).sorted { $0.dueAt < $1.dueAt }
    }

    /// The claimed row will not be sent: the booking changed since it was scheduled.
    func markSkipped(_ notification: ScheduledNotification, reason: String, in client: PostgresClient) async throws {
        try await client.query("""
            UPDATE scheduled_notifications SET status = 'skipped', last_error = \(reason), updated_at = clock_timestamp()
            WHERE id = \(notification.id) AND attempt_id = \(notification.attemptID) AND status = 'claimed'
            """)
    }

    /// The last step before SMTP: from here on the row is never handed to SMTP again (at most
    /// once). Returns false when the claim was lost (another dispatcher took the row over).
    func markSending(_ notification: ScheduledNotification, subject: String, in client: PostgresClient) async throws -> Bool {
        try await client.query("""
            UPDATE scheduled_notifications SET status = 'sending', subject = \(subject), sending_at = clock_timestamp(),
                   updated_at = clock_timestamp()
            WHERE id = \(notification.id) AND attempt_id = \(notification.attemptID) AND status = 'claimed'
            """).affectedRows == 1
    }

    /// SMTP accepted the message: the row is sent and the audit log says so, in one transaction.
    func recordSent(_ notification: ScheduledNotification, subject: String, sentAt: Date, in client: PostgresClient) async throws {
        try await client.withTransaction { session in
            let updated = try await session.query("""
                UPDATE scheduled_notifications SET status = 'sent', sent_at = \(sentAt), last_error = NULL, updated_at = clock_timestamp()
                WHERE id = \(notification.id) AND attempt_id = \(notification.attemptID) AND status = 'sending'
                """)
            guard updated.affectedRows == 1 else { return }
            try await insertAudit(notification, subject: subject, status: "sent", error: nil, sentAt: sentAt, in: session)
        }
    }

    /// The attempt failed and another one may help: back to `pending` at `retryAt`. A failure
    /// that says nothing about the message (the server unreachable) does not use up an attempt.
    func retryLater(_ notification: ScheduledNotification, at retryAt: Date, error: String, countsAsAttempt: Bool, in client: PostgresClient) async throws {
        try await client.query("""
            UPDATE scheduled_notifications SET status = 'pending', due_at = \(retryAt), last_error = \(error),
                   attempts = attempts - \(countsAsAttempt ? 0 : 1), attempt_id = NULL, updated_at = clock_timestamp()
            WHERE id = \(notification.id) AND attempt_id = \(notification.attemptID) AND status IN ('claimed', 'sending')
            """)
    }

    /// Gives claimed rows back untouched (the dispatcher stops, or the server is away): no attempt used.
    func release(_ notifications: [ScheduledNotification], in client: PostgresClient) async throws {
        for notification in notifications {
            try await client.query("""
                UPDATE scheduled_notifications SET status = 'pending', attempts = attempts - 1, attempt_id = NULL,
                       updated_at = clock_timestamp()
                WHERE id = \(notification.id) AND attempt_id = \(notification.attemptID) AND status = 'claimed'
                """)
        }
    }

    /// The last attempt failed, or the failure is permanent: `failed`, with its audit row.
    func recordFailed(_ notification: ScheduledNotification, subject: String, error: String, in client: PostgresClient) async throws {
        try await client.withTransaction { session in
            let updated = try await session.query("""
                UPDATE scheduled_notifications SET status = 'failed', last_error = \(error), updated_at = clock_timestamp()
                WHERE id = \(notification.id) AND attempt_id = \(notification.attemptID) AND status IN ('claimed', 'sending')
                """)
            guard updated.affectedRows == 1 else { return }
            try await insertAudit(notification, subject: subject, status: "failed", error: error, sentAt: nil, in: session)
        }
    }

    private func insertAudit(
        _ notification: ScheduledNotification, subject: String, status: String, error: String?, sentAt: Date?, in session: PostgresSession
    ) async throws {
        try await session.query("""
            INSERT INTO email_notifications (id, scheduled_notification_id, booking_id, host_user_id, recipient, type, subject,
                                             status, message_id, attempts, error, sent_at)
            VALUES (\(UUID()), \(notification.id), \(notification.bookingID), \(notification.hostUserID), \(notification.recipient),
                    \(notification.kind.rawValue), \(subject), \(status), \(messageID(of: notification.id)), \(notification.attempts),
                    \(error), \(sentAt))
            ON CONFLICT (scheduled_notification_id) DO NOTHING
            """)
    }

    // MARK: Recovery

    /// Claims older than `lease` never reached SMTP (their dispatcher died or stalled before
    /// `sending`): back to `pending`, without using an attempt. Returns how many.
    func recoverExpiredClaims(lease: Duration, onlyHosts: [UUID]? = nil, in client: PostgresClient) async throws -> Int {
        try await client.query("""
            UPDATE scheduled_notifications SET status = 'pending', attempts = greatest(attempts - 1, 0), attempt_id = NULL,
                   updated_at = clock_timestamp()
            WHERE status = 'claimed' AND claimed_at < clock_timestamp() - make_interval(secs => \(lease.seconds))
              AND (\(onlyHosts == nil)::boolean OR host_user_id = ANY(\(onlyHosts ?? [])::uuid[]))
            """).affectedRows
    }

    /// Rows left in `sending` for longer than any SMTP transaction lasts: their dispatcher died
    /// while SMTP had the message, and whether it was accepted is unknown. They are never sent
    /// again (at most once); each becomes `unconfirmed` with an audit row. Returns their kinds.
    func markAbandonedSends(olderThan timeout: Duration, onlyHosts: [UUID]? = nil, in client: PostgresClient) async throws -> [String] {
        let rows = try await client.query("""
            WITH stuck AS (
                UPDATE scheduled_notifications SET status = 'unconfirmed', updated_at = clock_timestamp(),
                       last_error = 'the dispatcher stopped while SMTP had the message; not sent again'
                WHERE status = 'sending' AND sending_at < clock_timestamp() - make_interval(secs => \(timeout.seconds))
                  AND (\(onlyHosts == nil)::boolean OR host_user_id = ANY(\(onlyHosts ?? [])::uuid[]))
                RETURNING id, booking_id, host_user_id, recipient, kind, subject, attempts, last_error
            )
            INSERT INTO email_notifications (id, scheduled_notification_id, booking_id, host_user_id, recipient, type, subject,
                                             status, message_id, attempts, error)
            SELECT gen_random_uuid(), id, booking_id, host_user_id, recipient, kind, coalesce(subject, ''), 'unconfirmed',
                   '<' || id::text || '@' || \(messageIDDomain) || '>', attempts, last_error
            FROM stuck
            ON CONFLICT (scheduled_notification_id) DO NOTHING
            RETURNING type
            """)
        return try rows.map { try $0.decode("type", as: String.self) }
    }

    /// Due rows not sent yet (waiting, claimed or in SMTP), and the due time of the oldest.
    func backlog(now: Date, in client: PostgresClient) async throws -> (count: Int, oldestDue: Date?) {
        let rows = try await client.query("""
            SELECT count(*)::int AS n, min(due_at) AS oldest FROM scheduled_notifications
            WHERE status IN ('pending', 'claimed', 'sending') AND due_at <= \(now)
            """)
        return (try rows[0].decode("n", as: Int.self), try rows[0].decode("oldest", as: Date?.self))
    }
}

extension Duration {
    /// Whole and fractional seconds, for SQL intervals.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
