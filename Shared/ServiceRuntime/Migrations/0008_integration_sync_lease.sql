-- Sync bookkeeping for the integration service (see docs/integration.md):
-- sync_lease_token: the holder of the sync lease; releasing checks it, so a sync that outlived its
--   lease cannot clear the lease another instance took since.
-- last_full_sync_at: incremental syncs only report changes, so an unchanged event that moves into
--   the window as days pass would never be read; a full read of the window runs at least daily.
ALTER TABLE calendar_integrations
    ADD COLUMN sync_lease_token uuid,
    ADD COLUMN last_full_sync_at timestamptz;

-- The poller's query filters on status <> 'needs_reauth'; the index of 0007 (status = 'active') never served it.
DROP INDEX IF EXISTS calendar_integrations_due;
CREATE INDEX calendar_integrations_due ON calendar_integrations (last_synced_at) WHERE status <> 'needs_reauth';
