import { describe, expect, it } from "vitest";
import type { TeamConflict, TeamProgress, TeamRemote } from "../api/types";
import { conflictLabel, errorAdvice, followName, fromTeammates, pendingLabel, progressLabel, resultLabel, roleLabel, sharedWithLabel, sharingOf, sides } from "./team";

const prog = (p: Partial<TeamProgress>): TeamProgress => ({
  job_id: "team-1",
  kind: "push",
  workspace: "personal",
  state: "running",
  phase: "",
  sent: 0,
  waiting: 0,
  pulled: 0,
  finished: false,
  ...p,
});

describe("team errors", () => {
  it("says what to do from the error's kind, not its words", () => {
    expect(errorAdvice("signed_out", "not signed in to a team server: run `engram team login URL`")).toMatch(/sign in again below/);
    expect(errorAdvice("unreachable", "reaching the team server: dial tcp: connection refused")).toMatch(/did not answer.*Nothing was lost/);
    expect(errorAdvice("busy", "x")).toMatch(/already running/);
    expect(errorAdvice("bad_server", "bad team server URL: the team server URL must be https unless it is on this machine")).toBe(
      "the team server URL must be https unless it is on this machine. Type the team server's address, e.g. https://team.example.org.",
    );
    // Another error keeps the backend's message.
    expect(errorAdvice(undefined, "the team server answered 500: boom")).toBe("the team server answered 500: boom");
    expect(errorAdvice("", "not signed in")).toBe("not signed in");
  });
});

describe("team progress", () => {
  it("says where a push or pull has got", () => {
    expect(progressLabel(prog({}))).toBe("Reading the workspace's notes…");
    expect(progressLabel(prog({ phase: "sending", sent: 200, waiting: 30 }))).toBe("Sending… 200 sent, 30 to go");
    expect(progressLabel(prog({ phase: "dictionary", sent: 230 }))).toBe("Sent 230 changes; sending the dictionary…");
    expect(progressLabel(prog({ kind: "pull", phase: "pulling", pulled: 500 }))).toBe("Pulling… 500 changes");
    expect(progressLabel(prog({ kind: "pull", phase: "applying", pulled: 512 }))).toMatch(/^Pulled 512 changes; adding/);
  });

  it("counts what a finished job did, and a failure says what to do", () => {
    const push = prog({ state: "done", finished: true, push: { workspace: "personal", queued: 2, sent: 3, accepted: 2, duplicates: 1, conflicts: [{ kind: "note", key: "k", heads: [] }] } });
    expect(resultLabel(push)).toBe("Pushed: 3 changes sent, 2 stored, 1 already there, 1 conflict.");
    const pull = prog({ kind: "pull", state: "done", finished: true, pull: { workspace: "personal", changes: 4, cursor: 9, applied: { added: 2, updated: 1, removed: 0, conflicts: 1, memories: 0 } } });
    expect(resultLabel(pull)).toBe("Pulled 4 changes; team notes: 2 added, 1 updated, 0 removed, 1 conflicting version shown.");
    expect(resultLabel(prog({ state: "failed", finished: true, error: "pulling personal: not signed in", error_kind: "signed_out" }))).toMatch(/^You are signed out/);
  });

  it("says what waits to be pushed", () => {
    expect(pendingLabel(0, 0)).toBe("nothing");
    expect(pendingLabel(1, 0)).toBe("1 note changed here");
    expect(pendingLabel(3, 30)).toBe("3 notes changed here, 30 changes not yet acknowledged");
  });
});

describe("conflicts", () => {
  it("puts this desktop's version first, names the other desktop, shows a deletion as one", () => {
    const c: TeamConflict = {
      kind: "note",
      key: "plan.md",
      conflict: true,
      deleted: false,
      heads: [
        { id: "a1", device: "ffffeeee-1111", title: "Plan", body: "The tower's version." },
        { id: "b2", device: "mine-0000", title: "", body: "The laptop's version." },
        { id: "c3", device: "0123456789ab", title: "Plan", body: "old", deleted: true },
      ],
    };
    const s = sides(c, "mine-0000");
    expect(s.map((x) => x.who)).toEqual(["This desktop", "Desktop ffffeeee", "Desktop 01234567"]);
    expect(s[0]).toMatchObject({ title: "plan.md", body: "The laptop's version.", mine: true });
    expect(s[2]).toMatchObject({ deleted: true, body: "" });
  });

  it("names a note by its key and a memory by its ID and user", () => {
    const c = (kind: string, key: string): TeamConflict => ({ kind, key, conflict: true, deleted: false, heads: [] });
    expect(conflictLabel(c("note", "trip/plan.md"))).toBe("trip/plan.md");
    expect(conflictLabel(c("memory", "local/a415c95862e2f9aa"))).toBe("memory a415c95862e2f9aa");
    expect(conflictLabel(c("memory", "ana/77"))).toBe("memory 77 of ana");
  });
});

const remote = (r: Partial<TeamRemote>): TeamRemote => ({ id: "r1", name: "personal", owner: "hana@example.org", mine: false, ...r });

describe("teams and sharing", () => {
  it("names the user's part in a team", () => {
    expect(roleLabel({ id: "t", name: "Rowing", admin: true, members: [] })).toBe("administrator");
    expect(roleLabel({ id: "t", name: "Rowing", admin: false, members: [] })).toBe("member");
  });

  it("says who reads a workspace of the user's on the server", () => {
    const rs = [remote({ id: "a", mine: true, local: "personal", team_name: "Rowing" }), remote({ id: "b", mine: true, name: "work", local: "work" })];
    expect(sharedWithLabel(sharingOf(rs, "personal"))).toBe("Rowing");
    expect(sharedWithLabel(sharingOf(rs, "work"))).toBe("nobody (private)");
    expect(sharedWithLabel(sharingOf(rs, "archive"))).toMatch(/push it first/);
    expect(sharingOf(null, "personal")).toBeUndefined();
  });

  it("lists the teammates' workspaces only", () => {
    expect(fromTeammates([remote({ id: "a", mine: true }), remote({ id: "b" })]).map((r) => r.id)).toEqual(["b"]);
    expect(fromTeammates(null)).toEqual([]);
  });

  it.each([
    ["its own name when free", remote({}), ["work"], "personal"],
    ["after its owner when taken", remote({}), ["personal"], "hana-personal"],
    ["numbered when that is taken too", remote({}), ["personal", "hana-personal"], "hana-personal-2"],
    ["a valid workspace name", remote({ name: "Q3 Plans!", owner: "Ivo.Nowak@example.org" }), [], "q3-plans"],
    ["the owner cleaned", remote({ name: "q3-plans", owner: "Ivo.Nowak@example.org" }), ["q3-plans"], "ivo-nowak-q3-plans"],
  ])("follows into %s", (_name, r, taken, want) => {
    expect(followName(r, taken)).toBe(want);
  });
});
