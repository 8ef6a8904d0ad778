import { signal } from "@preact/signals";
import type { Api, Team, TeamOverview, TeamProgress, TeamRemote } from "../api";
import { toApiError } from "../api";
import { errorAdvice, followName, fromTeammates, isSignedOut, localNames, resultLabel } from "../lib/team";

/** How often the store reads the sign-in's state while a sign-in waits for the browser. */
export const SIGN_IN_POLL_MS = 500;
/** A sign-in expires after 10 minutes (teamsync.LoginTimeout); the store stops waiting then. */
const SIGN_IN_MS = 10 * 60 * 1000;

/** A line the view shows under a workspace or the sign-in: a notice, or an error saying what to do. */
export interface Said {
  text: string;
  error: boolean;
}

/**
 * TeamStore is the Team view's state: the overview (sign-in, shared
 * workspaces, conflicts, unshared workspaces), the sign-in the view
 * started, and each workspace's push or pull with its progress and result.
 * It never holds a token: the overview carries none.
 */
export class TeamStore {
  readonly overview = signal<TeamOverview | null>(null);
  readonly error = signal<string | null>(null);
  /** server is the sign-in form's address. */
  readonly server = signal("");
  /** signIn is the sign-in waiting for the browser: the address it opened. */
  readonly signIn = signal<{ authURL: string; started: number } | null>(null);
  readonly signInSaid = signal<Said | null>(null);
  /** jobs are the latest push or pull the view followed, by workspace. */
  readonly jobs = signal<Record<string, TeamProgress>>({});
  readonly said = signal<Record<string, Said>>({});
  /** picked are the unshared workspaces chosen to push or pull. */
  readonly picked = signal<string[]>([]);
  /** teams are the user's teams on the server (null until read, or while signed out). */
  readonly teams = signal<Team[] | null>(null);
  /** remotes are the workspaces on the server the user may read (null until read). */
  readonly remotes = signal<TeamRemote[] | null>(null);
  /** serverError is why the teams or the server's workspaces could not be read. */
  readonly serverError = signal<string | null>(null);
  /** newTeam is the "New team" field. */
  readonly newTeam = signal("");
  readonly newTeamSaid = signal<Said | null>(null);
  /** emails are each team's "add a teammate" field, by team ID. */
  readonly emails = signal<Record<string, string>>({});
  /** teamSaid is the line under a team, by team ID: an add, removal or leave, or the server's refusal. */
  readonly teamSaid = signal<Record<string, Said>>({});
  /** followAs are the local names typed for teammates' workspaces, by remote ID; absent: followName's. */
  readonly followAs = signal<Record<string, string>>({});
  /** followSaid is the line under a teammate's workspace, by remote ID. */
  readonly followSaid = signal<Record<string, Said>>({});
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly watching = new Map<string, () => void>();

  constructor(
    private readonly api: Api,
    private readonly pollMs = SIGN_IN_POLL_MS,
  ) {}

  /** signedOut reports whether the view should offer the sign-in form first: no sign-in, or a job said the session ended. */
  get signedOut(): boolean {
    const o = this.overview.value;
    if (!o || !o.signed_in) return true;
    return Object.values(this.jobs.value).some((p) => p.finished && isSignedOut(p.error_kind));
  }

  async load(): Promise<TeamOverview | null> {
    try {
      const o = await this.api.team();
      this.overview.value = o;
      this.error.value = null;
      if (this.server.value === "" && o.server) this.server.value = o.server;
      this.picked.value = this.picked.value.filter((w) => o.unshared.includes(w));
      // A job that runs (started by another tab, or before the view was
      // open) is followed too.
      for (const w of o.workspaces) if (w.job && !w.job.finished && !this.watching.has(w.job.job_id)) this.follow(w.workspace, w.job.job_id);
      if (o.signed_in) await this.loadServer();
      else this.teams.value = this.remotes.value = null;
      return o;
    } catch (e) {
      this.error.value = toApiError("team", e).message;
      return null;
    }
  }

  /** loadServer reads what only the server knows: the user's teams and the workspaces they may read. */
  async loadServer(): Promise<void> {
    try {
      const [teams, remotes] = await Promise.all([this.api.teams(), this.api.teamRemotes()]);
      this.teams.value = teams;
      this.remotes.value = remotes;
      this.serverError.value = null;
    } catch (e) {
      const err = toApiError("teams", e);
      this.serverError.value = errorAdvice(err.status === 409 ? "signed_out" : err.status === 502 ? "unreachable" : undefined, err.message);
    }
  }

  /** makeTeam makes a team called as the "New team" field says. */
  async makeTeam(): Promise<void> {
    const name = this.newTeam.value.trim();
    if (name === "") return;
    try {
      const t = await this.api.makeTeam(name);
      this.newTeam.value = "";
      this.newTeamSaid.value = { text: `Made the team ${t.name}; add teammates to it below.`, error: false };
    } catch (e) {
      this.newTeamSaid.value = { text: toApiError("new team", e).message, error: true };
    }
    await this.loadServer();
  }

  /** addTeammate adds the e-mail typed under the team; the server's refusal (not an administrator, nobody signed in as it) shows under it. */
  async addTeammate(team: string): Promise<void> {
    const email = (this.emails.value[team] ?? "").trim();
    if (email === "") return;
    await this.onTeam(team, "add teammate", async () => {
      const p = await this.api.addTeammate(team, email);
      this.emails.value = { ...this.emails.value, [team]: "" };
      return `${p.email} is in the team.`;
    });
  }

  /** removeTeammate takes email out of the team (an administrator's roster). */
  async removeTeammate(team: string, email: string): Promise<void> {
    await this.onTeam(team, "remove teammate", async () => {
      await this.api.removeTeammate(team, email);
      return `${email} is out of the team.`;
    });
  }

  /** leave takes the user out of the team; what it shared is out of their reach then. */
  async leave(team: string): Promise<void> {
    await this.onTeam(team, "leave team", async () => {
      await this.api.leaveTeam(team);
      return "You left the team.";
    });
  }

  private async onTeam(team: string, op: string, f: () => Promise<string>): Promise<void> {
    let said: Said;
    try {
      said = { text: await f(), error: false };
    } catch (e) {
      said = { text: toApiError(op, e).message, error: true };
    }
    this.teamSaid.value = { ...this.teamSaid.value, [team]: said };
    await this.loadServer();
  }

  /** share shares the pushed workspace ws with the team (its ID); "" makes it private. */
  async share(ws: string, team: string): Promise<void> {
    this.say(ws, null);
    try {
      await this.api.shareWorkspace(ws, team);
      const name = this.teams.value?.find((t) => t.id === team)?.name;
      this.say(ws, { text: team === "" ? `${ws} is private: only you read it on the server.` : `${ws} is shared with ${name ?? "the team"}.`, error: false });
    } catch (e) {
      this.say(ws, { text: toApiError("share", e).message, error: true });
    }
    await this.loadServer();
  }

  /** followName is the local workspace the teammate's workspace r is followed into: the name typed, or a free one. */
  followName(r: TeamRemote): string {
    const typed = this.followAs.value[r.id];
    if (typed !== undefined) return typed;
    const o = this.overview.value;
    return followName(r, o ? localNames(o) : []);
  }

  /** followRemote makes a local workspace follow the teammate's workspace id and follows its pull like a pull of that workspace. */
  async followRemote(id: string): Promise<void> {
    const r = fromTeammates(this.remotes.value).find((x) => x.id === id);
    if (!r) return;
    const local = this.followName(r).trim();
    this.followSaid.value = { ...this.followSaid.value, [id]: { text: `Following into ${local}; pulling…`, error: false } };
    try {
      const f = await this.api.followWorkspace(id, local);
      this.jobs.value = { ...this.jobs.value, [f.workspace]: { job_id: f.job_id, kind: "pull", workspace: f.workspace, state: "running", phase: "", sent: 0, waiting: 0, pulled: 0, finished: false } };
      this.follow(f.workspace, f.job_id);
      // The teammate's workspace now shows as followed, with its local name.
      const { [id]: _done, ...rest } = this.followSaid.value;
      this.followSaid.value = rest;
    } catch (e) {
      this.followSaid.value = { ...this.followSaid.value, [id]: { text: toApiError("follow", e).message, error: true } };
    }
    await this.load();
  }

  /** startSignIn begins the sign-in to the form's server, opens its address and waits for the overview to say how it ended. */
  async startSignIn(): Promise<void> {
    this.signInSaid.value = null;
    let authURL: string;
    try {
      authURL = await this.api.teamLogin(this.server.value.trim());
    } catch (e) {
      const err = toApiError("team sign-in", e);
      this.signInSaid.value = { text: errorAdvice(/bad team server URL/.test(err.message) ? "bad_server" : undefined, err.message), error: true };
      return;
    }
    this.signIn.value = { authURL, started: Date.now() };
    this.api.openExternal(authURL);
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = setInterval(() => void this.checkSignIn(), this.pollMs);
  }

  private async checkSignIn(): Promise<void> {
    const s = this.signIn.value;
    if (!s) return this.stopSignIn();
    let o = await this.api.teamSignIn().catch(() => null);
    if (o && !o.login.running) o = (await this.load()) ?? o;
    if (!o || o.login.running) {
      if (Date.now() - s.started > SIGN_IN_MS) {
        this.stopSignIn();
        this.signInSaid.value = { text: "The sign-in took longer than 10 minutes; start it again.", error: true };
      }
      return;
    }
    this.stopSignIn();
    if (o.login.error) {
      this.signInSaid.value = { text: `The sign-in failed: ${errorAdvice(o.login.error_kind, o.login.error)}`, error: true };
      return;
    }
    // The session ended before: the jobs that said so are history now.
    this.jobs.value = Object.fromEntries(Object.entries(this.jobs.value).filter(([, p]) => !isSignedOut(p.error_kind)));
    this.said.value = Object.fromEntries(Object.entries(this.said.value).filter(([w]) => this.jobs.value[w] !== undefined));
    this.signInSaid.value = { text: `Signed in to ${o.server}${o.account ? ` as ${o.account}` : ""}.`, error: false };
  }

  private stopSignIn(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.signIn.value = null;
  }

  /** run starts a push or pull of ws and follows it; it resolves once the job has started. */
  async run(kind: "push" | "pull", ws: string): Promise<void> {
    this.say(ws, null);
    try {
      const id = await this.api.teamStart(kind, ws);
      this.jobs.value = { ...this.jobs.value, [ws]: { job_id: id, kind, workspace: ws, state: "running", phase: "", sent: 0, waiting: 0, pulled: 0, finished: false } };
      this.follow(ws, id);
    } catch (e) {
      const err = toApiError(kind, e);
      this.say(ws, { text: errorAdvice(err.status === 409 || /already running/.test(err.message) ? "busy" : undefined, err.message), error: true });
    }
  }

  /**
   * runPicked pushes every workspace picked from the unshared ones (sharing
   * them), or pulls them: the team's copy of a workspace of that name, as
   * a second desktop of the user's does.
   */
  async runPicked(kind: "push" | "pull"): Promise<void> {
    const ws = this.picked.value;
    this.picked.value = [];
    await Promise.all(ws.map((w) => this.run(kind, w)));
  }

  toggle(ws: string): void {
    const p = this.picked.value;
    this.picked.value = p.includes(ws) ? p.filter((w) => w !== ws) : [...p, ws];
  }

  /** follow shows job id's progress under ws until it ends, then its result, and reads the overview again. */
  private follow(ws: string, id: string): void {
    const stop = this.api.watchTeam(id, (p) => {
      this.jobs.value = { ...this.jobs.value, [ws]: p };
      if (!p.finished) return;
      this.say(ws, { text: resultLabel(p), error: p.state === "failed" });
      void this.load();
    });
    this.watching.set(id, stop); // kept, so that load does not follow it twice
  }

  private say(ws: string, s: Said | null): void {
    const next = { ...this.said.value };
    if (s) next[ws] = s;
    else delete next[ws];
    this.said.value = next;
  }
}
