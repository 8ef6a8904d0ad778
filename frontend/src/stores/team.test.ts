import { describe, expect, it } from "vitest";
import { StubApi } from "../api/stub";
import { ApiError } from "../api/errors";
import type { Team, TeamOverview, TeamProgress, TeamRemote } from "../api";
import { TeamStore } from "./team";

const overview = (o: Partial<TeamOverview>): TeamOverview => ({
  server: "",
  account: "",
  device: "dev-1",
  signed_in: false,
  workspaces: [],
  unshared: [],
  login: { running: false },
  ...o,
});

const progress = (p: Partial<TeamProgress>): TeamProgress => ({
  job_id: "team-1",
  kind: "push",
  workspace: "work",
  state: "running",
  phase: "",
  sent: 0,
  waiting: 0,
  pulled: 0,
  finished: false,
  ...p,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("TeamStore", () => {
  it("signs in: opens the address, waits for the overview to say signed in, then says as whom", async () => {
    let ov = overview({ unshared: ["personal"] });
    const opened: string[] = [];
    let overviews = 0;
    class Api extends StubApi {
      override async team() {
        overviews++;
        return ov;
      }
      override async teamSignIn() {
        return ov;
      }
      override async teamLogin(server: string) {
        expect(server).toBe("http://127.0.0.1:8088");
        ov = { ...ov, login: { running: true, server } };
        return `${server}/auth/login?state=x`;
      }
      override openExternal(u: string) {
        opened.push(u);
      }
    }
    const s = new TeamStore(new Api(), 5);
    await s.load();
    expect(s.signedOut).toBe(true);
    s.server.value = " http://127.0.0.1:8088 ";
    await s.startSignIn();
    expect(opened).toEqual(["http://127.0.0.1:8088/auth/login?state=x"]);
    expect(s.signIn.value?.authURL).toBe(opened[0]);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.signIn.value).not.toBeNull(); // still waiting for the browser
    expect(overviews).toBe(1); // polled the sign-in alone, not the whole overview
    ov = { ...ov, server: "http://127.0.0.1:8088", account: "hana@example.org", signed_in: true, login: { running: false } };
    await new Promise((r) => setTimeout(r, 30));
    expect(s.signIn.value).toBeNull();
    expect(s.signInSaid.value).toEqual({ text: "Signed in to http://127.0.0.1:8088 as hana@example.org.", error: false });
    expect(s.signedOut).toBe(false);
    expect(overviews).toBe(2); // and read the overview once it completed
  });

  it("a failed sign-in says why and what to do", async () => {
    let ov = overview({});
    class Api extends StubApi {
      override async team() {
        return ov;
      }
      override async teamSignIn() {
        return ov;
      }
      override async teamLogin(server: string) {
        ov = { ...ov, login: { running: false, server, error: "reaching the team server: connection refused", error_kind: "unreachable" } };
        return `${server}/auth/login`;
      }
      override openExternal() {}
    }
    const s = new TeamStore(new Api(), 5);
    s.server.value = "http://127.0.0.1:1";
    await s.startSignIn();
    await new Promise((r) => setTimeout(r, 30));
    expect(s.signInSaid.value?.error).toBe(true);
    expect(s.signInSaid.value?.text).toMatch(/^The sign-in failed: The team server did not answer/);
  });

  it("pushes the picked workspaces, shows the progress, then the counts, and reads the overview again", async () => {
    let loads = 0;
    const watchers = new Map<string, (p: TeamProgress) => void>();
    const started: string[] = [];
    class Api extends StubApi {
      override async team() {
        loads++;
        return overview({ signed_in: true, unshared: ["archive", "work"] });
      }
      override async teamStart(kind: "push" | "pull", ws: string) {
        started.push(`${kind} ${ws}`);
        return `job-${ws}`;
      }
      override watchTeam(id: string, on: (p: TeamProgress) => void) {
        watchers.set(id, on);
        return () => watchers.delete(id);
      }
    }
    const s = new TeamStore(new Api());
    await s.load();
    s.toggle("work");
    s.toggle("archive");
    s.toggle("archive");
    expect(s.picked.value).toEqual(["work"]);
    await s.runPicked("push");
    expect(started).toEqual(["push work"]);
    expect(s.picked.value).toEqual([]);
    watchers.get("job-work")!(progress({ job_id: "job-work", phase: "sending", sent: 200, waiting: 5 }));
    expect(s.jobs.value.work?.sent).toBe(200);
    const before = loads;
    watchers.get("job-work")!(
      progress({ job_id: "job-work", state: "done", finished: true, push: { workspace: "work", queued: 205, sent: 205, accepted: 205, duplicates: 0, conflicts: [] } }),
    );
    await tick();
    expect(s.said.value.work).toEqual({ text: "Pushed: 205 changes sent, 205 stored, 0 already there, 0 conflicts.", error: false });
    expect(loads).toBe(before + 1);
  });

  it("a push refused or failed says what to do; a signed-out failure offers the sign-in again", async () => {
    class Api extends StubApi {
      override async team() {
        return overview({ signed_in: true, workspaces: [] });
      }
      override async teamStart(kind: "push" | "pull", ws: string): Promise<string> {
        if (ws === "busy") throw new ApiError("a push or pull of busy is running: wait for it to end (already running)", kind, 409);
        return "job-1";
      }
      override watchTeam(_id: string, on: (p: TeamProgress) => void) {
        setTimeout(() => on(progress({ kind: "pull", state: "failed", finished: true, error: "pulling personal: not signed in to a team server", error_kind: "signed_out" })), 0);
        return () => undefined;
      }
    }
    const s = new TeamStore(new Api());
    await s.load();
    await s.run("push", "busy");
    expect(s.said.value.busy).toEqual({ text: "A push or pull of this workspace is already running: wait for it to end.", error: true });
    expect(s.signedOut).toBe(false);
    await s.run("pull", "personal");
    await tick();
    await tick();
    expect(s.said.value.personal?.error).toBe(true);
    expect(s.said.value.personal?.text).toMatch(/^You are signed out/);
    expect(s.signedOut).toBe(true);
  });

  it("makes a team, adds a teammate, shows the server's refusal under the team, and reads the teams again", async () => {
    let teams: Team[] = [];
    const added: string[] = [];
    class Api extends StubApi {
      override async team() {
        return overview({ signed_in: true, account: "hana@example.org" });
      }
      override async teams() {
        return teams;
      }
      override async teamRemotes() {
        return [];
      }
      override async makeTeam(name: string) {
        const t = { id: "t1", name, admin: true, members: [{ id: "u1", email: "hana@example.org" }] };
        teams = [t];
        return t;
      }
      override async addTeammate(team: string, email: string) {
        if (email === "nobody@example.org") throw new ApiError("not found: nobody has signed in to this server as nobody@example.org: they run engram team login first", "add teammate", 404);
        added.push(`${team} ${email}`);
        teams = [{ ...teams[0]!, members: [...teams[0]!.members, { id: "u2", email }] }];
        return { id: "u2", email };
      }
    }
    const s = new TeamStore(new Api());
    await s.load();
    expect(s.teams.value).toEqual([]);
    s.newTeam.value = "  Rowing ";
    await s.makeTeam();
    expect(s.newTeam.value).toBe("");
    expect(s.newTeamSaid.value).toEqual({ text: "Made the team Rowing; add teammates to it below.", error: false });
    expect(s.teams.value?.map((t) => t.name)).toEqual(["Rowing"]);

    s.emails.value = { t1: "nobody@example.org" };
    await s.addTeammate("t1");
    expect(s.teamSaid.value.t1).toEqual({ text: "not found: nobody has signed in to this server as nobody@example.org: they run engram team login first", error: true });
    expect(s.emails.value.t1).toBe("nobody@example.org"); // kept, to correct
    s.emails.value = { t1: " ivo@example.org " };
    await s.addTeammate("t1");
    expect(added).toEqual(["t1 ivo@example.org"]);
    expect(s.teamSaid.value.t1).toEqual({ text: "ivo@example.org is in the team.", error: false });
    expect(s.emails.value.t1).toBe("");
    expect(s.teams.value?.[0]?.members.map((m) => m.email)).toEqual(["hana@example.org", "ivo@example.org"]);
  });

  it("shares a workspace with a team or makes it private, saying so under the workspace", async () => {
    const shares: string[] = [];
    let remotes: TeamRemote[] = [{ id: "r1", name: "personal", owner: "hana@example.org", mine: true, local: "personal" }];
    class Api extends StubApi {
      override async team() {
        return overview({ signed_in: true });
      }
      override async teams() {
        return [{ id: "t1", name: "Rowing", admin: true, members: [] }];
      }
      override async teamRemotes() {
        return remotes;
      }
      override async shareWorkspace(ws: string, team: string) {
        if (ws === "never") throw new ApiError('not found: no workspace called "never": push it first', "share", 404);
        shares.push(`${ws}:${team}`);
        remotes = [{ ...remotes[0]!, team_id: team || undefined, team_name: team ? "Rowing" : undefined }];
      }
    }
    const s = new TeamStore(new Api());
    await s.load();
    await s.share("personal", "t1");
    expect(s.said.value.personal).toEqual({ text: "personal is shared with Rowing.", error: false });
    expect(s.remotes.value?.[0]?.team_name).toBe("Rowing");
    await s.share("personal", "");
    expect(s.said.value.personal?.text).toBe("personal is private: only you read it on the server.");
    expect(shares).toEqual(["personal:t1", "personal:"]);
    await s.share("never", "t1");
    expect(s.said.value.never).toEqual({ text: 'not found: no workspace called "never": push it first', error: true });
  });

  it("follows a teammate's workspace into a free local name and follows its pull", async () => {
    const follows: string[] = [];
    const watchers = new Map<string, (p: TeamProgress) => void>();
    const theirs: TeamRemote = { id: "r2", name: "personal", owner: "hana@example.org", mine: false, team_id: "t1", team_name: "Rowing" };
    class Api extends StubApi {
      override async team() {
        return overview({ signed_in: true, unshared: ["personal"] });
      }
      override async teams() {
        return [];
      }
      override async teamRemotes() {
        return [theirs];
      }
      override async followWorkspace(id: string, local: string) {
        follows.push(`${id} ${local}`);
        return { workspace: local, job_id: "job-f" };
      }
      override watchTeam(id: string, on: (p: TeamProgress) => void) {
        watchers.set(id, on);
        return () => undefined;
      }
    }
    const s = new TeamStore(new Api());
    await s.load();
    expect(s.followName(theirs)).toBe("hana-personal"); // "personal" is taken here
    await s.followRemote("r2");
    expect(follows).toEqual(["r2 hana-personal"]);
    expect(s.jobs.value["hana-personal"]?.kind).toBe("pull");
    expect(s.followSaid.value.r2).toBeUndefined(); // the list shows it followed instead
    watchers.get("job-f")!(
      progress({ job_id: "job-f", kind: "pull", workspace: "hana-personal", state: "done", finished: true, pull: { workspace: "hana-personal", changes: 1, cursor: 1, applied: { added: 1, updated: 0, removed: 0, conflicts: 0, memories: 0 } } }),
    );
    expect(s.said.value["hana-personal"]?.text).toMatch(/^Pulled 1 change; team notes: 1 added/);
    s.followAs.value = { r2: "rowing" };
    await s.followRemote("r2");
    expect(follows[1]).toBe("r2 rowing");
  });
});
