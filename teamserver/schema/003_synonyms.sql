-- Engram team server, schema 3: the synonyms of the users' dictionaries,
-- per workspace, for team search. Each row is a rewrite rule of
-- ts_rewrite: the term's tsquery (target) and the term or any expansion
-- (substitute). A search reads the rules of every workspace its user may
-- read; only the workspace's owner writes them.
CREATE TABLE synonyms (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    term         text NOT NULL,
    target       tsquery NOT NULL,
    substitute   tsquery NOT NULL,
    PRIMARY KEY (workspace_id, term)
);

ALTER TABLE synonyms ENABLE ROW LEVEL SECURITY;
ALTER TABLE synonyms FORCE ROW LEVEL SECURITY;
CREATE POLICY synonyms_read ON synonyms FOR SELECT USING (engram_can_read(workspace_id));
CREATE POLICY synonyms_write ON synonyms FOR INSERT
    WITH CHECK (workspace_id IN (SELECT w.id FROM workspaces w WHERE w.owner_id = engram_user()));
CREATE POLICY synonyms_delete ON synonyms FOR DELETE
    USING (workspace_id IN (SELECT w.id FROM workspaces w WHERE w.owner_id = engram_user()));
