-- Engram team server, schema 6: the https relay of a connector's sign-in
-- (Slack accepts only https redirect URIs, and a desktop listens on
-- http://127.0.0.1). The desktop registers its sign-in's state (its
-- SHA-256) for ten minutes; the provider sends the browser to
-- /relay/callback on any instance, which keeps the query it brought under
-- that state, once; the desktop takes it, once, and finishes the sign-in
-- with its own PKCE verifier, which never leaves the desktop: the code kept
-- here a few seconds is useless without it.
--
-- The browser at /relay/callback is not signed in: it finds its row by the
-- hash of the state it carries (engram.relay), and may only fill a row
-- still waiting and not expired (and read it: PostgreSQL checks an updated
-- row against the SELECT policies too; the browser holds that state and
-- code already). Only the user who registered a row takes it.

CREATE TABLE relay_flows (
    state_hash text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    callback   text,
    created    timestamptz NOT NULL DEFAULT now(),
    expires    timestamptz NOT NULL
);
CREATE INDEX relay_flows_expires ON relay_flows (expires);

ALTER TABLE relay_flows ENABLE ROW LEVEL SECURITY;
ALTER TABLE relay_flows FORCE ROW LEVEL SECURITY;
CREATE POLICY relay_flows_own ON relay_flows
    USING (user_id = engram_user())
    WITH CHECK (user_id = engram_user());
CREATE POLICY relay_flows_arrive ON relay_flows FOR UPDATE
    USING (state_hash = current_setting('engram.relay', true) AND callback IS NULL AND expires > now())
    WITH CHECK (state_hash = current_setting('engram.relay', true));
CREATE POLICY relay_flows_arrive_read ON relay_flows FOR SELECT
    USING (state_hash = current_setting('engram.relay', true));
CREATE POLICY relay_flows_purge ON relay_flows FOR DELETE USING (expires < now());
