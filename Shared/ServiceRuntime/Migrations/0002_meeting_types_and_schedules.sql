-- Meeting types, weekly rules and date overrides (owned by the availability service), and the busy
-- time synced from connected calendars (owned by the integration service, read by availability).
CREATE TABLE meeting_types (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    name text NOT NULL,
    slug text NOT NULL,
    description text,
    color text,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
    slot_interval_minutes integer NOT NULL DEFAULT 15 CHECK (slot_interval_minutes BETWEEN 5 AND 240),
    max_bookings_per_day integer CHECK (max_bookings_per_day >= 1),
    min_notice_minutes integer NOT NULL DEFAULT 0 CHECK (min_notice_minutes >= 0),
    max_days_in_future integer NOT NULL DEFAULT 60 CHECK (max_days_in_future BETWEEN 1 AND 365),
    is_active boolean NOT NULL DEFAULT true,
    deleted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- A slug is unique per host among the types that still exist.
CREATE UNIQUE INDEX meeting_types_user_slug_key ON meeting_types (user_id, slug) WHERE deleted_at IS NULL;

ALTER TABLE bookings ADD CONSTRAINT bookings_meeting_type_fkey FOREIGN KEY (meeting_type_id) REFERENCES meeting_types (id);

-- The weekly schedule: wall-clock windows in the host's time zone; 24:00 ends a day.
CREATE TABLE availability_rules (
    id bigserial PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    day_of_week smallint NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
    start_time time NOT NULL,
    end_time time NOT NULL,
    CHECK (end_time > start_time)
);
CREATE INDEX availability_rules_user ON availability_rules (user_id);

-- On `date` the host's hours are exactly the listed intervals; none means closed all day.
CREATE TABLE date_overrides (
    user_id uuid NOT NULL REFERENCES users (id),
    date date NOT NULL,
    intervals jsonb NOT NULL DEFAULT '[]'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, date)
);

-- Busy time from connected calendars; the integration service writes it.
CREATE TABLE external_busy_intervals (
    id bigserial PRIMARY KEY,
    host_user_id uuid NOT NULL REFERENCES users (id),
    integration_id uuid,
    external_event_id text,
    start_time timestamptz NOT NULL,
    end_time timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (end_time > start_time)
);
CREATE INDEX external_busy_intervals_host_time ON external_busy_intervals (host_user_id, start_time);
