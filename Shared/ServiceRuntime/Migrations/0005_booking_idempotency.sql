-- Idempotency records of POST /api/bookings (owned by the booking service): the durable copy of
-- the first response, kept at least 24 hours; Redis holds a hot copy for an hour.
CREATE TABLE booking_idempotency_keys (
    key text PRIMARY KEY,
    -- SHA-256 of the canonical JSON of the request body: another body with the same key is refused.
    request_hash bytea NOT NULL,
    status text NOT NULL CHECK (status IN ('in_flight', 'completed')),
    -- An in-flight claim older than this belongs to a request that died; another may take it over.
    claimed_until timestamptz NOT NULL,
    booking_id uuid REFERENCES bookings (id),
    response_status integer,
    -- The first response's body, sealed with TOKEN_ENCRYPTION_KEY (it holds the invitee's cancel token).
    response_sealed bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL DEFAULT now() + interval '48 hours'
);
CREATE INDEX booking_idempotency_keys_expires ON booking_idempotency_keys (expires_at);

-- Listing a host's bookings by start, with a keyset cursor.
CREATE INDEX bookings_host_start_id ON bookings (host_user_id, start_time, id);
