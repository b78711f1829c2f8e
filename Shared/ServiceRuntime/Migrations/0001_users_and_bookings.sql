-- Hosts (owned by the availability service) and bookings (owned by the booking service), with the
-- constraint that is the last line of defence against double-booking.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    password_hash text NOT NULL,
    name text NOT NULL,
    time_zone text NOT NULL,
    slug text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_slug_key ON users (slug);

CREATE TABLE bookings (
    id uuid PRIMARY KEY,
    host_user_id uuid NOT NULL REFERENCES users (id),
    meeting_type_id uuid NOT NULL,
    start_time timestamptz NOT NULL,
    end_time timestamptz NOT NULL,
    -- The buffers the booking was made with: later edits of its meeting type do not change them.
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
    status text NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'rescheduled')),
    invitee_name text NOT NULL,
    invitee_email text NOT NULL,
    invitee_timezone text NOT NULL,
    answers jsonb NOT NULL DEFAULT '{}'::jsonb,
    version integer NOT NULL DEFAULT 1,
    cancel_token_hash bytea NOT NULL,
    rescheduled_from uuid REFERENCES bookings (id),
    cancel_reason text,
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (end_time > start_time),
    -- No two confirmed bookings of one host overlap, whatever the application layers did.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        host_user_id WITH =, tstzrange(start_time, end_time) WITH &&
    ) WHERE (status = 'confirmed')
);
CREATE UNIQUE INDEX bookings_host_start_confirmed_key ON bookings (host_user_id, start_time) WHERE status = 'confirmed';
CREATE INDEX bookings_host_time ON bookings (host_user_id, start_time) WHERE status = 'confirmed';
CREATE INDEX bookings_meeting_type ON bookings (meeting_type_id);
