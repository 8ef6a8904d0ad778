-- Engram team server, schema 1. Every table that holds a tenant's rows has
-- row-level security enabled and forced, with a policy that reads who is
-- asking from transaction-local settings (set_config(..., true)) that the
-- server sets per transaction:
--   engram.user_id   the signed-in user (a uuid)
--   engram.session   the SHA-256 of a session token being looked up
-- With none set, every policy is false: a query sees nothing.

CREATE FUNCTION engram_user() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('engram.user_id', true), '')::uuid $$;

CREATE TABLE users (
    id       uuid PRIMARY KEY,
    issuer   text NOT NULL,
    subject  text NOT NULL,
    email    text NOT NULL DEFAULT '',
    name     text NOT NULL DEFAULT '',
    created  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer, subject)
);

CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created    timestamptz NOT NULL DEFAULT now(),
    expires    timestamptz NOT NULL
);

CREATE TABLE teams (
    id      uuid PRIMARY KEY,
    name    text NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text NOT NULL DEFAULT 'member',
    PRIMARY KEY (team_id, user_id)
);

-- A workspace a user pushes: private to its owner unless shared with a team.
CREATE TABLE workspaces (
    id       uuid PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id  uuid REFERENCES teams (id) ON DELETE SET NULL,
    name     text NOT NULL,
    created  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
);

-- The change log: one row per change a device pushed, in arrival order.
-- change_id is the client's, so a batch sent twice is stored once.
CREATE TABLE changes (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    change_id    uuid NOT NULL UNIQUE,
    device_id    text NOT NULL,
    author_id    uuid NOT NULL REFERENCES users (id),
    kind         text NOT NULL CHECK (kind IN ('note', 'memory', 'document')),
    key          text NOT NULL,
    parent_ids   uuid[] NOT NULL DEFAULT '{}',
    title        text NOT NULL DEFAULT '',
    body         text NOT NULL DEFAULT '',
    deleted      boolean NOT NULL DEFAULT false,
    created      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_workspace_seq ON changes (workspace_id, seq);

-- The current heads of every item: one row normally, two or more while
-- concurrent edits stand unresolved (a conflict, never an overwrite).
CREATE TABLE heads (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind         text NOT NULL,
    key          text NOT NULL,
    change_id    uuid NOT NULL REFERENCES changes (change_id) ON DELETE CASCADE,
    title        text NOT NULL DEFAULT '',
    body         text NOT NULL DEFAULT '',
    deleted      boolean NOT NULL DEFAULT false,
    tsv          tsvector NOT NULL DEFAULT ''::tsvector,
    PRIMARY KEY (workspace_id, kind, key, change_id)
);
CREATE INDEX heads_tsv ON heads USING gin (tsv);

-- Where each device is in each workspace's change log.
CREATE TABLE cursors (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id    text NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    pulled_seq   bigint NOT NULL DEFAULT 0,
    updated      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id, workspace_id)
);

-- Who may read a workspace: its owner and the members of its team.
CREATE FUNCTION engram_can_read(ws uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM workspaces w
        WHERE w.id = ws AND (w.owner_id = engram_user()
            OR w.team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = engram_user())))
$$;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users USING (id = engram_user()) WITH CHECK (id = engram_user());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_lookup ON sessions
    USING (token_hash = current_setting('engram.session', true) OR user_id = engram_user())
    WITH CHECK (user_id = engram_user());

ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE teams FORCE ROW LEVEL SECURITY;
CREATE POLICY teams_member ON teams
    USING (id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = engram_user()));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_self ON memberships USING (user_id = engram_user());

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
CREATE POLICY workspaces_read ON workspaces FOR SELECT
    USING (owner_id = engram_user()
        OR team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = engram_user()));
CREATE POLICY workspaces_own ON workspaces FOR INSERT WITH CHECK (owner_id = engram_user());
CREATE POLICY workspaces_update ON workspaces FOR UPDATE
    USING (owner_id = engram_user()) WITH CHECK (owner_id = engram_user());

ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE changes FORCE ROW LEVEL SECURITY;
CREATE POLICY changes_read ON changes FOR SELECT USING (engram_can_read(workspace_id));
CREATE POLICY changes_write ON changes FOR INSERT
    WITH CHECK (author_id = engram_user() AND engram_can_read(workspace_id));

ALTER TABLE heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE heads FORCE ROW LEVEL SECURITY;
CREATE POLICY heads_all ON heads USING (engram_can_read(workspace_id)) WITH CHECK (engram_can_read(workspace_id));

ALTER TABLE cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY cursors_self ON cursors USING (user_id = engram_user()) WITH CHECK (user_id = engram_user());
