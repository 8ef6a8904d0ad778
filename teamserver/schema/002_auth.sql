-- Engram team server, schema 2: sign-in through the team's OpenID Connect
-- provider, with every piece of a sign-in in progress kept here, not in an
-- instance: a flow begun on one instance completes on any other.
--
-- Each row is found by the SHA-256 of a secret the browser or the desktop
-- brings back, set per transaction with set_config(..., true):
--   engram.flow     the hash of an OpenID Connect state (auth_flows)
--   engram.code     the hash of a code handed to the desktop (auth_codes)
--   engram.refresh  the hash of a refresh token (refresh_tokens)
-- With none set, no row is visible. An expired row may be deleted by a bare
-- `DELETE FROM t` (no WHERE clause, so no SELECT policy is needed): the
-- purge policies let it remove expired rows and nothing else.

-- A sign-in begun at /auth/login, waiting for the provider's redirect to
-- /auth/callback. The client_* columns are the desktop's own flow (its
-- loopback redirect, its state and its PKCE challenge), empty for a
-- browser sign-in, which returns to return_to.
CREATE TABLE auth_flows (
    state_hash       text PRIMARY KEY,
    verifier         text NOT NULL,
    nonce            text NOT NULL,
    client_redirect  text NOT NULL DEFAULT '',
    client_state     text NOT NULL DEFAULT '',
    client_challenge text NOT NULL DEFAULT '',
    return_to        text NOT NULL DEFAULT '',
    created          timestamptz NOT NULL DEFAULT now(),
    expires          timestamptz NOT NULL
);
CREATE INDEX auth_flows_expires ON auth_flows (expires);

-- A one-time code the callback handed to the desktop's loopback redirect,
-- exchanged at /auth/token with the desktop's PKCE verifier.
CREATE TABLE auth_codes (
    code_hash       text PRIMARY KEY,
    issuer          text NOT NULL,
    subject         text NOT NULL,
    email           text NOT NULL DEFAULT '',
    name            text NOT NULL DEFAULT '',
    client_redirect text NOT NULL,
    challenge       text NOT NULL,
    created         timestamptz NOT NULL DEFAULT now(),
    expires         timestamptz NOT NULL
);
CREATE INDEX auth_codes_expires ON auth_codes (expires);

-- Refresh tokens of the desktop: single use, each refresh issues a new one.
CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created    timestamptz NOT NULL DEFAULT now(),
    expires    timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires);

ALTER TABLE auth_flows ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_flows FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_flows_own ON auth_flows
    USING (state_hash = current_setting('engram.flow', true))
    WITH CHECK (state_hash = current_setting('engram.flow', true));
CREATE POLICY auth_flows_purge ON auth_flows FOR DELETE USING (expires < now());

ALTER TABLE auth_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_codes_own ON auth_codes
    USING (code_hash = current_setting('engram.code', true))
    WITH CHECK (code_hash = current_setting('engram.code', true));
CREATE POLICY auth_codes_purge ON auth_codes FOR DELETE USING (expires < now());

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_own ON refresh_tokens
    USING (token_hash = current_setting('engram.refresh', true) OR user_id = engram_user())
    WITH CHECK (user_id = engram_user());
CREATE POLICY refresh_tokens_purge ON refresh_tokens FOR DELETE USING (expires < now());
