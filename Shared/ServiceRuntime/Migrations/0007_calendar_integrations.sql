-- The integration service's tables (Services/Integration): connected calendars, the OAuth
-- flows in progress, push channels, and the meetings written into hosts' calendars.
-- external_busy_intervals (0002) holds what the syncs read; the availability service reads it.

-- One connected calendar. Secrets are sealed with AES-256-GCM under TOKEN_ENCRYPTION_KEY
-- (serialized box, base64url; the box names its key id, copied to *_key_id for rotation
-- queries) with the integration id as associated data, so a box copied to another row does
-- not open.
--
-- status: active → needs_reauth (the provider revoked the grant or refused the credentials:
-- busy data is kept but stale since stale_since) or error (repeated failures); a successful
-- sync makes it active again.
CREATE TABLE calendar_integrations (
    id uuid PRIMARY KEY,
    host_user_id uuid NOT NULL REFERENCES users (id),
    provider text NOT NULL CHECK (provider IN ('google', 'microsoft', 'caldav')),
    -- The provider account (email, user principal, CalDAV user name).
    account text NOT NULL,
    -- Google calendar id, Graph calendar id, or the CalDAV calendar collection URL.
    calendar_id text NOT NULL,
    -- CalDAV only: the server the host gave.
    server_url text,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth', 'error')),
    -- OAuth refresh token, or CalDAV password.
    sealed_secret text NOT NULL,
    secret_key_id integer NOT NULL,
    sealed_access_token text,
    access_token_key_id integer,
    access_token_expires_at timestamptz,
    -- Google nextSyncToken, Graph deltaLink, CalDAV ctag.
    sync_cursor text,
    last_synced_at timestamptz,
    last_sync_error text,
    consecutive_failures integer NOT NULL DEFAULT 0,
    -- Backoff: no sync before this instant (rate limits, provider outages).
    retry_not_before timestamptz,
    -- A push, poll or request asked for a sync; cleared when a sync starts.
    sync_requested_at timestamptz,
    -- The instance syncing it holds this lease (one sync at a time per integration).
    sync_lease_until timestamptz,
    stale_since timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (host_user_id, provider, account, calendar_id)
);
CREATE INDEX calendar_integrations_host ON calendar_integrations (host_user_id);
CREATE INDEX calendar_integrations_due ON calendar_integrations (last_synced_at) WHERE status = 'active';

-- Busy blocks belong to an integration: disconnecting deletes them; a sync upserts by event id.
DELETE FROM external_busy_intervals WHERE integration_id IS NULL OR external_event_id IS NULL;
ALTER TABLE external_busy_intervals
    ALTER COLUMN integration_id SET NOT NULL,
    ALTER COLUMN external_event_id SET NOT NULL,
    ADD CONSTRAINT external_busy_intervals_integration
        FOREIGN KEY (integration_id) REFERENCES calendar_integrations (id) ON DELETE CASCADE,
    ADD CONSTRAINT external_busy_intervals_event UNIQUE (integration_id, external_event_id);

-- An OAuth authorization in progress: single-use, bound to the host, 10 minutes. Only the
-- SHA-256 of `state` is stored; the PKCE verifier is sealed (associated data: the state hash).
CREATE TABLE oauth_states (
    state_hash text PRIMARY KEY,
    host_user_id uuid NOT NULL REFERENCES users (id),
    provider text NOT NULL CHECK (provider IN ('google', 'microsoft')),
    sealed_code_verifier text NOT NULL,
    redirect_uri text NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);

-- A provider push channel: a Google watch channel (id chosen by us, resource_id by Google) or a
-- Graph subscription (id chosen by Graph). The channel token / clientState is a secret: only
-- its SHA-256 is kept, compared in constant time.
CREATE TABLE calendar_push_channels (
    channel_id text PRIMARY KEY,
    integration_id uuid NOT NULL REFERENCES calendar_integrations (id) ON DELETE CASCADE,
    provider text NOT NULL CHECK (provider IN ('google', 'microsoft')),
    resource_id text,
    token_hash text NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calendar_push_channels_integration ON calendar_push_channels (integration_id);

-- A meeting the service wrote into a host's calendar for a booking (written back on
-- booking.created, moved on booking.rescheduled, deleted on booking.cancelled).
CREATE TABLE calendar_event_links (
    booking_id uuid NOT NULL,
    integration_id uuid NOT NULL REFERENCES calendar_integrations (id) ON DELETE CASCADE,
    external_event_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (booking_id, integration_id)
);
CREATE INDEX calendar_event_links_event ON calendar_event_links (integration_id, external_event_id);
