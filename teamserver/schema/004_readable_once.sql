-- Engram team server, schema 4: the policies of the workspace tables ask
-- which workspaces the user may read once per statement, not once per row.
--
-- Schema 1's policies called engram_can_read(workspace_id) on every row a
-- scan met: a function the planner cannot inline into an index condition,
-- so a team search read every user's heads and ran a subquery for each
-- (325 ms over 5,000 heads of 200 users). Here the readable workspaces are
-- one array, computed in an InitPlan (the policy's scalar subquery), and
-- the policy is `workspace_id = ANY (that array)`: an index condition on
-- the heads' and the change log's (workspace_id, ...) keys, so a query
-- reaches the user's rows alone. Who may read what is unchanged: the
-- owner of a workspace and the members of its team.

CREATE FUNCTION engram_readable() RETURNS uuid[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(w.id), '{}') FROM workspaces w
    WHERE w.owner_id = engram_user()
        OR w.team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = engram_user())
$$;

DROP POLICY changes_read ON changes;
DROP POLICY changes_write ON changes;
CREATE POLICY changes_read ON changes FOR SELECT
    USING (workspace_id = ANY ((SELECT engram_readable())::uuid[]));
CREATE POLICY changes_write ON changes FOR INSERT
    WITH CHECK (author_id = (SELECT engram_user()) AND workspace_id = ANY ((SELECT engram_readable())::uuid[]));

DROP POLICY heads_all ON heads;
CREATE POLICY heads_all ON heads
    USING (workspace_id = ANY ((SELECT engram_readable())::uuid[]))
    WITH CHECK (workspace_id = ANY ((SELECT engram_readable())::uuid[]));

DROP POLICY synonyms_read ON synonyms;
CREATE POLICY synonyms_read ON synonyms FOR SELECT
    USING (workspace_id = ANY ((SELECT engram_readable())::uuid[]));
