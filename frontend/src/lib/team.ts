// The Team view's pure logic: what to say about a sign-in, a push or pull,
// a conflict, a team and a workspace shared or followed.
import type { Team, TeamConflict, TeamHead, TeamOverview, TeamProgress, TeamRemote } from "../api/types";

/**
 * errorAdvice is an error of the team sync as the view shows it: what
 * happened and what to do, chosen from the error's kind (teamsync's
 * Kind… constants), the backend's message kept for the details.
 */
export function errorAdvice(kind: string | undefined, message: string): string {
  switch (kind) {
    case "signed_out":
      return "You are signed out of the team server, or the session expired: sign in again below, then retry.";
    case "unreachable":
      return "The team server did not answer: check the address and your network, or ask whoever runs it whether it is up, then retry. Nothing was lost; what was not sent waits for the next push.";
    case "busy":
      return "A push or pull of this workspace is already running: wait for it to end.";
    case "bad_server":
      return `${message.replace(/^bad team server URL: /, "")}. Type the team server's address, e.g. https://team.example.org.`;
  }
  return message;
}

/** isSignedOut reports whether an error means the user must sign in again. */
export function isSignedOut(kind: string | undefined): boolean {
  return kind === "signed_out";
}

/** changes is "1 change" or "N changes". */
function changes(n: number): string {
  return n === 1 ? "1 change" : `${n} changes`;
}

/** progressLabel says where a running push or pull has got. */
export function progressLabel(p: TeamProgress): string {
  if (p.kind === "push") {
    if (p.phase === "dictionary") return `Sent ${changes(p.sent)}; sending the dictionary…`;
    if (p.phase === "sending") return p.waiting > 0 ? `Sending… ${p.sent} sent, ${p.waiting} to go` : `Sent ${changes(p.sent)}…`;
    return "Reading the workspace's notes…";
  }
  if (p.phase === "applying") return `Pulled ${changes(p.pulled)}; adding the team's notes to the workspace…`;
  return `Pulling… ${changes(p.pulled)}`;
}

/** resultLabel says what a finished push or pull did, or why it failed. */
export function resultLabel(p: TeamProgress): string {
  if (p.state === "failed") return errorAdvice(p.error_kind, p.error ?? "failed");
  if (p.state === "cancelled") return `The ${p.kind} was cancelled; run it again to go on.`;
  if (p.kind === "push") {
    const r = p.push;
    if (!r) return "Pushed.";
    const conflicts = r.conflicts?.length ?? 0;
    return `Pushed: ${changes(r.sent)} sent, ${r.accepted} stored, ${r.duplicates} already there, ${conflicts} ${conflicts === 1 ? "conflict" : "conflicts"}.`;
  }
  const r = p.pull;
  if (!r) return "Pulled.";
  const a = r.applied;
  return `Pulled ${changes(r.changes)}; team notes: ${a.added} added, ${a.updated} updated, ${a.removed} removed, ${a.conflicts} conflicting ${a.conflicts === 1 ? "version" : "versions"} shown.`;
}

/** A conflict's version as the view shows it, side by side with the others. */
export interface Side {
  id: string;
  /** Who made it: "This desktop" or "Desktop 1a2b3c4d". */
  who: string;
  mine: boolean;
  title: string;
  /** The version's text; "" when it is a deletion. */
  body: string;
  deleted: boolean;
}

/**
 * sides lists a conflict's versions for showing side by side: this
 * desktop's (device) first, then the others by ID, as the server's heads
 * are ordered.
 */
/** conflictLabel names a conflicting item: a note by its key, a memory
 * (key USER/ID) by its ID and user. */
export function conflictLabel(c: TeamConflict): string {
  if (c.kind !== "memory") return c.key;
  const slash = c.key.indexOf("/");
  const user = c.key.slice(0, slash);
  const id = c.key.slice(slash + 1);
  return user === "local" ? `memory ${id}` : `memory ${id} of ${user}`;
}

export function sides(c: TeamConflict, device: string): Side[] {
  const side = (h: TeamHead): Side => ({
    id: h.id,
    who: h.device === device ? "This desktop" : `Desktop ${h.device.slice(0, 8)}`,
    mine: h.device === device,
    title: h.title || c.key,
    body: h.deleted ? "" : h.body,
    deleted: h.deleted === true,
  });
  const all = c.heads.map(side);
  return [...all.filter((s) => s.mine), ...all.filter((s) => !s.mine)];
}

/** pendingLabel says what waits to be pushed: edits made here and changes a cut-off push left. */
export function pendingLabel(changed: number, pending: number): string {
  const parts: string[] = [];
  if (changed > 0) parts.push(`${changed} ${changed === 1 ? "note" : "notes"} changed here`);
  if (pending > 0) parts.push(`${pending} ${pending === 1 ? "change" : "changes"} not yet acknowledged`);
  return parts.length ? parts.join(", ") : "nothing";
}

/** roleLabel is the user's part in a team. */
export function roleLabel(t: Team): string {
  return t.admin ? "administrator" : "member";
}

/** sharingOf is the server's record of the local workspace ws: the user's own pushed one, or the teammate's it follows. */
export function sharingOf(remotes: TeamRemote[] | null, ws: string): TeamRemote | undefined {
  return remotes?.find((r) => r.local === ws);
}

/** sharedWithLabel says who may read a workspace of the user's on the server. */
export function sharedWithLabel(r: TeamRemote | undefined): string {
  if (!r) return "not on the server yet: push it first";
  return r.team_name ? r.team_name : "nobody (private)";
}

/** fromTeammates are the workspaces on the server that teammates share with the user, by owner and name as the server lists them. */
export function fromTeammates(remotes: TeamRemote[] | null): TeamRemote[] {
  return (remotes ?? []).filter((r) => !r.mine);
}

/** localNames are every local workspace the overview knows: shared and unshared. */
export function localNames(o: TeamOverview): string[] {
  return [...o.workspaces.map((w) => w.workspace), ...o.unshared];
}

const NAME_MAX = 64;

/**
 * followName is the local workspace a teammate's workspace is followed into
 * by default: its own name when no local workspace has it, else the name
 * after the owner's (e.g. "hana-personal"), made a valid workspace name
 * (1-64 lower-case letters, digits, '-' or '_').
 */
export function followName(r: TeamRemote, taken: string[]): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, NAME_MAX) || "team";
  const own = clean(r.name);
  if (!taken.includes(own)) return own;
  const who = clean(r.owner.split("@")[0] ?? "");
  const base = clean(`${who}-${own}`);
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base.slice(0, NAME_MAX - String(i).length - 1)}-${i}`;
  return name;
}
