-- Engram team server, schema 5: users make teams, add teammates and share
-- workspaces with them, through the API, under the same row-level rules.
--
-- Until now an administrator made teams in SQL, and two policies were too
-- wide: memberships_self covered every command with the check
-- `user_id = engram_user()`, so a user could add themselves to any team
-- whose ID they knew, and workspaces_update let an owner hand a workspace
-- to a team they are not in.
--
-- Who may do what:
--   * anyone signed in makes a team, and so administers it;
--   * a team's administrators add and remove its members and see its
--     roster; a member sees their own membership and may leave;
--   * the members of a team see it; an owner shares a workspace only with
--     a team they are in;
--   * a user's name and email are seen by themselves, by the members of a
--     workspace's team when they own it, and by the administrators of a
--     team they are in; an administrator adding someone by email finds
--     that one user by the email the server sets (engram.lookup_email).
--
-- PostgreSQL refuses a policy that reads its own table, and a cycle of
-- policies (teams -> memberships -> teams) the same way. team_admins is
-- the leaf that breaks it: its policy reads nothing else, so memberships
-- and teams can ask it. Its one write, the creator naming themselves
-- administrator of the team they just made, is checked by a PL/pgSQL
-- function: its query is planned when it runs, not while the policy is
-- expanded, so the check reads teams without a cycle.

ALTER TABLE teams ADD COLUMN created_by uuid REFERENCES users (id) ON DELETE SET NULL DEFAULT engram_user();

CREATE TABLE team_admins (
    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

-- The teams the user made and administers nobody else: the check of the
-- one insert into team_admins.
CREATE FUNCTION engram_made_teams() RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(t.id), '{}') FROM teams t WHERE t.created_by = engram_user());
END
$$;

ALTER TABLE team_admins ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_admins FORCE ROW LEVEL SECURITY;
CREATE POLICY team_admins_self ON team_admins FOR SELECT USING (user_id = engram_user());
CREATE POLICY team_admins_made ON team_admins FOR INSERT
    WITH CHECK (user_id = engram_user() AND team_id = ANY (engram_made_teams()));

DROP POLICY memberships_self ON memberships;
CREATE POLICY memberships_read ON memberships FOR SELECT
    USING (user_id = engram_user() OR team_id IN (SELECT a.team_id FROM team_admins a WHERE a.user_id = engram_user()));
CREATE POLICY memberships_add ON memberships FOR INSERT
    WITH CHECK (team_id IN (SELECT a.team_id FROM team_admins a WHERE a.user_id = engram_user()));
CREATE POLICY memberships_remove ON memberships FOR DELETE
    USING (user_id = engram_user() OR team_id IN (SELECT a.team_id FROM team_admins a WHERE a.user_id = engram_user()));

DROP POLICY teams_member ON teams;
CREATE POLICY teams_read ON teams FOR SELECT
    USING (created_by = engram_user() OR id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = engram_user()));
CREATE POLICY teams_make ON teams FOR INSERT WITH CHECK (created_by = engram_user());

DROP POLICY workspaces_update ON workspaces;
CREATE POLICY workspaces_update ON workspaces FOR UPDATE
    USING (owner_id = engram_user())
    WITH CHECK (owner_id = engram_user()
        AND (team_id IS NULL OR team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = engram_user())));

CREATE POLICY users_lookup ON users FOR SELECT
    USING (email <> '' AND lower(email) = current_setting('engram.lookup_email', true));
CREATE POLICY users_owners ON users FOR SELECT
    USING (id IN (SELECT w.owner_id FROM workspaces w));
CREATE POLICY users_rosters ON users FOR SELECT
    USING (id IN (SELECT m.user_id FROM memberships m));
