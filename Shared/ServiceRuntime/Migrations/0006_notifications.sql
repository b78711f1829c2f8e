-- The notifier's tables (Services/Notifier): every email to send is a row of
-- scheduled_notifications, written in the transaction of the event that calls for it; a
-- dispatcher claims due rows with FOR UPDATE SKIP LOCKED and records each outcome in
-- email_notifications, the audit log of GET /api/notifications.

-- One row per email to send. `dedupe_key` (booking:kind:role:sequence) makes scheduling
-- idempotent; the row id is also the Message-ID, so every attempt of one email carries the same.
--
-- status: pending (waits for due_at) → claimed (a dispatcher holds it; never reached SMTP) →
-- sending (handed to SMTP) → sent | failed; or skipped (booking changed since), cancelled (the
-- booking was cancelled or moved before it was due), unconfirmed (the dispatcher died while
-- SMTP had it: never sent again, so an email is sent at most once; see Services/Notifier).
CREATE TABLE scheduled_notifications (
    id uuid PRIMARY KEY,
    dedupe_key text NOT NULL UNIQUE,
    booking_id uuid,
    host_user_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('confirmation', 'reminder_24h', 'reminder_1h', 'cancellation', 'reschedule', 'reconnect_calendar')),
    recipient_role text NOT NULL CHECK (recipient_role IN ('invitee', 'host')),
    recipient text NOT NULL,
    -- What the email shows that the database may no longer say (snapshots, reason, the sealed token).
    payload jsonb NOT NULL,
    due_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'claimed', 'sending', 'sent', 'failed', 'skipped', 'cancelled', 'unconfirmed')),
    attempts integer NOT NULL DEFAULT 0,
    -- The claim that owns the row: every later update checks it, so a dispatcher whose lease
    -- expired cannot overwrite another's work.
    attempt_id uuid,
    claimed_at timestamptz,
    sending_at timestamptz,
    -- Set when the email is rendered, before it is handed to SMTP.
    subject text,
    last_error text,
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- What dispatchers scan: the rows still to send, by due time.
CREATE INDEX scheduled_notifications_due ON scheduled_notifications (due_at) WHERE status = 'pending';
-- Leases to recover after a crash.
CREATE INDEX scheduled_notifications_in_flight ON scheduled_notifications (status) WHERE status IN ('claimed', 'sending');
CREATE INDEX scheduled_notifications_booking ON scheduled_notifications (booking_id);

-- Wakes the dispatchers (LISTEN scheduled_notifications) when a transaction that scheduled emails commits.
CREATE FUNCTION scheduled_notifications_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('scheduled_notifications', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER scheduled_notifications_inserted AFTER INSERT ON scheduled_notifications
    FOR EACH STATEMENT EXECUTE FUNCTION scheduled_notifications_notify();

-- The audit log: one row per email that reached an outcome (sent, failed after the last
-- attempt, or unconfirmed after a crash while SMTP had it).
CREATE TABLE email_notifications (
    id uuid PRIMARY KEY,
    scheduled_notification_id uuid NOT NULL UNIQUE REFERENCES scheduled_notifications (id),
    booking_id uuid,
    host_user_id uuid NOT NULL,
    recipient text NOT NULL,
    type text NOT NULL,
    subject text NOT NULL,
    status text NOT NULL CHECK (status IN ('sent', 'failed', 'unconfirmed')),
    message_id text NOT NULL,
    attempts integer NOT NULL,
    error text,
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX email_notifications_booking ON email_notifications (booking_id, created_at);
