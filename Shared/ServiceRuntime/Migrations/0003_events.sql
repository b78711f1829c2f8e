-- Events between services (Shared/Events, docs/events.md): the transactional outbox that a producer
-- writes in the same transaction as its change, and the consumers' record of handled events.

-- One row per event. `position` gives the publishing order; a relay claims unsent rows with
-- FOR UPDATE SKIP LOCKED, publishes them with publisher confirms and sets `published_at`.
CREATE TABLE outbox (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    type text NOT NULL,
    version integer NOT NULL,
    -- The envelope JSON exactly as it is published.
    body text NOT NULL,
    request_id text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at timestamptz
);
-- What relays scan: the unsent rows, in order. Stays small while relays keep up.
CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;
-- What the retention sweep deletes.
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relays (LISTEN outbox) when a transaction that wrote events commits; NOTIFY is
-- delivered only at commit, and once per transaction whatever the number of rows.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- One row per event a consumer applied, written in the handler's own transaction: a redelivered
-- or duplicated event finds its row and is acknowledged without a second effect.
CREATE TABLE processed_events (
    consumer text NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
