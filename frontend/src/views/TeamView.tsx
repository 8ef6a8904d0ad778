import { useEffect } from "preact/hooks";
import { SignInWaiting } from "../components/common/SignInWaiting";
import type { Team, TeamRemote, TeamWorkspace } from "../api";
import { formatCount, formatDateTime } from "../lib/format";
import { conflictLabel, fromTeammates, pendingLabel, progressLabel, roleLabel, sharedWithLabel, sharingOf, sides } from "../lib/team";
import { useStores } from "../stores/context";

/**
 * TeamView is the team sync of the desktop (`engram team` in the app):
 * the team server signed in to, a sign-in form (the system browser, or a
 * tab in web mode), each shared workspace with Push and Pull, their
 * progress, results and state, the conflicts with every version side by
 * side, who each is shared with, a picker of the workspaces not shared
 * yet, the user's teams (rosters for administrators) and the workspaces
 * teammates share, to follow.
 */
export function TeamView() {
  const { team: s } = useStores();
  useEffect(() => void s.load(), [s]);
  const o = s.overview.value;
  const signIn = s.signIn.value;
  const said = s.signInSaid.value;
  const signedOut = s.signedOut;

  return (
    <div class="view team-view">
      <header class="view-head">
        <h1 class="view-title">Team</h1>
      </header>
      <p class="view-lead">
        Share workspaces with your team through a team server. A push sends your notes' edits, a pull brings in the team's; a note edited on two desktops
        keeps both versions, shown below until an edit joins them.
      </p>
      {s.error.value && <p class="form-error team-load-error">{s.error.value}</p>}
      {o === null && !s.error.value && <p class="state-quiet">Loading…</p>}
      {o && (
        <section class="card team-account" data-signed-in={o.signed_in ? "yes" : "no"} aria-label="Team server">
          <h2 class="view-subtitle">Team server</h2>
          {o.signed_in ? (
            <dl class="connector-meta">
              <dt>Server</dt>
              <dd class="team-server">{o.server}</dd>
              <dt>Signed in as</dt>
              <dd class="team-who">{o.account || "(the server gave no e-mail)"}</dd>
              <dt>This desktop</dt>
              <dd class="team-device">{o.device.slice(0, 8)}</dd>
            </dl>
          ) : (
            <p class="team-signed-out">Not signed in. Type your team server's address and sign in through your browser.</p>
          )}
          <form
            class="row team-signin"
            onSubmit={(e) => {
              e.preventDefault();
              void s.startSignIn();
            }}
          >
            <input
              class="input team-server-input"
              type="url"
              placeholder="https://team.example.org"
              aria-label="Team server address"
              value={s.server.value}
              onInput={(e) => (s.server.value = (e.target as HTMLInputElement).value)}
            />
            <button type="submit" class={signedOut ? "button button-primary team-signin-start" : "button team-signin-start"} disabled={signIn !== null || s.server.value.trim() === ""}>
              {o.signed_in ? "Sign in again" : "Sign in"}
            </button>
          </form>
          {signIn && <SignInWaiting authURL={signIn.authURL} name="team" />}
          {said && <p class={said.error ? "form-error team-signin-error" : "form-notice team-signin-message"}>{said.text}</p>}
        </section>
      )}
      {o?.signed_in && <Teams />}
      {o?.signed_in && <FromTeammates />}
      {o && o.workspaces.length > 0 && <h2 class="view-subtitle">Shared workspaces</h2>}
      {o?.workspaces.map((w) => <SharedWorkspace key={w.workspace} w={w} device={o.device} disabled={!o.signed_in} />)}
      {o && (
        <section class="card team-share" aria-label="Share a workspace">
          <h2 class="view-subtitle">Share a workspace</h2>
          {o.unshared.length === 0 ? (
            <p class="state-quiet team-none-unshared">Every workspace is shared.</p>
          ) : (
            <>
              <p class="team-share-lead">
                Choose workspaces to push to the team server for the first time, or to pull: a workspace of the same name you pushed from another desktop.
              </p>
              <ul class="team-picks">
                {o.unshared.map((w) => (
                  <li key={w}>
                    <label class="team-pick">
                      <input type="checkbox" value={w} checked={s.picked.value.includes(w)} onChange={() => s.toggle(w)} /> {w}
                    </label>
                    {s.said.value[w] && <p class={s.said.value[w]!.error ? "form-error team-fail" : "form-notice team-result"}>{s.said.value[w]!.text}</p>}
                  </li>
                ))}
              </ul>
              <div class="connector-actions">
                <button type="button" class="button button-primary team-push-picked" disabled={!o.signed_in || s.picked.value.length === 0} onClick={() => void s.runPicked("push")}>
                  Push selected
                </button>
                <button type="button" class="button team-pull-picked" disabled={!o.signed_in || s.picked.value.length === 0} onClick={() => void s.runPicked("pull")}>
                  Pull selected
                </button>
                {!o.signed_in && <span class="state-quiet">Sign in first.</span>}
              </div>
            </>
          )}
        </section>
      )}
    </div>
  );
}

/** Teams is the user's teams: each with their part, for administrators the roster, and a "New team" field. */
function Teams() {
  const { team: s } = useStores();
  const teams = s.teams.value;
  const said = s.newTeamSaid.value;
  return (
    <section class="card team-teams" aria-label="Teams">
      <h2 class="view-subtitle">Teams</h2>
      {s.serverError.value && <p class="form-error team-server-error">{s.serverError.value}</p>}
      {teams === null && !s.serverError.value && <p class="state-quiet">Loading…</p>}
      {teams?.length === 0 && <p class="state-quiet team-no-teams">You are in no team yet. Make one, then add teammates: they sign in to this server once first.</p>}
      {teams?.map((t) => <TeamCard key={t.id} t={t} />)}
      <form
        class="row team-new"
        onSubmit={(e) => {
          e.preventDefault();
          void s.makeTeam();
        }}
      >
        <input
          class="input team-new-name"
          placeholder="Team name"
          aria-label="New team's name"
          value={s.newTeam.value}
          onInput={(e) => (s.newTeam.value = (e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="button team-new-make" disabled={s.newTeam.value.trim() === ""}>
          New team
        </button>
      </form>
      {said && <p class={said.error ? "form-error team-new-said" : "form-notice team-new-said"}>{said.text}</p>}
    </section>
  );
}

function TeamCard({ t }: { t: Team }) {
  const { team: s } = useStores();
  const said = s.teamSaid.value[t.id];
  const me = s.overview.value?.account ?? "";
  return (
    <div class="team-team" data-team={t.name} data-role={roleLabel(t)}>
      <div class="connector-head">
        <h3 class="connector-name team-team-name">{t.name}</h3>
        <span class="badge team-role">{roleLabel(t)}</span>
      </div>
      {t.admin && (
        <ul class="team-roster">
          {t.members.map((m) => (
            <li key={m.id} class="team-member" data-email={m.email}>
              <span class="team-member-email">{m.email}</span>
              {m.email === me ? (
                <span class="state-quiet"> (you)</span>
              ) : (
                <button type="button" class="button team-member-remove" aria-label={`Remove ${m.email}`} onClick={() => void s.removeTeammate(t.id, m.email)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {t.admin ? (
        <form
          class="row team-add"
          onSubmit={(e) => {
            e.preventDefault();
            void s.addTeammate(t.id);
          }}
        >
          <input
            class="input team-add-email"
            type="email"
            placeholder="teammate@example.org"
            aria-label={`Add a teammate to ${t.name} by e-mail`}
            value={s.emails.value[t.id] ?? ""}
            onInput={(e) => (s.emails.value = { ...s.emails.value, [t.id]: (e.target as HTMLInputElement).value })}
          />
          <button type="submit" class="button team-add-member" disabled={(s.emails.value[t.id] ?? "").trim() === ""}>
            Add teammate
          </button>
        </form>
      ) : (
        <div class="connector-actions">
          <button type="button" class="button team-leave" onClick={() => void s.leave(t.id)}>
            Leave
          </button>
        </div>
      )}
      {said && <p class={said.error ? "form-error team-team-said" : "form-notice team-team-said"}>{said.text}</p>}
    </div>
  );
}

/** FromTeammates is the workspaces teammates share with the user, each to follow into a local workspace. */
function FromTeammates() {
  const { team: s } = useStores();
  const theirs = fromTeammates(s.remotes.value);
  return (
    <section class="card team-teammates" aria-label="From your teammates">
      <h2 class="view-subtitle">From your teammates</h2>
      {s.remotes.value !== null && theirs.length === 0 && <p class="state-quiet team-none-theirs">No teammate shares a workspace with you yet.</p>}
      <ul class="team-remotes">
        {theirs.map((r) => (
          <Remote key={r.id} r={r} />
        ))}
      </ul>
    </section>
  );
}

function Remote({ r }: { r: TeamRemote }) {
  const { team: s } = useStores();
  const said = s.followSaid.value[r.id];
  return (
    <li class="team-remote" data-remote={r.id} data-name={r.name} data-followed={r.local ? "yes" : "no"}>
      <div>
        <span class="team-remote-name">{r.name}</span> <span class="state-quiet team-remote-from">from {r.owner}{r.team_name ? `, shared with ${r.team_name}` : ""}</span>
      </div>
      {r.local ? (
        <p class="form-notice team-remote-local">
          Followed as the workspace <strong>{r.local}</strong>: push and pull it under Shared workspaces.
        </p>
      ) : (
        <form
          class="row team-follow"
          onSubmit={(e) => {
            e.preventDefault();
            void s.followRemote(r.id);
          }}
        >
          <input
            class="input team-follow-as"
            aria-label={`Local workspace to follow ${r.name} into`}
            value={s.followName(r)}
            onInput={(e) => (s.followAs.value = { ...s.followAs.value, [r.id]: (e.target as HTMLInputElement).value })}
          />
          <button type="submit" class="button button-primary team-follow-start" disabled={s.followName(r).trim() === ""}>
            Follow
          </button>
        </form>
      )}
      {said && <p class={said.error ? "form-error team-follow-said" : "form-notice team-follow-said"}>{said.text}</p>}
    </li>
  );
}

function SharedWorkspace({ w, device, disabled }: { w: TeamWorkspace; device: string; disabled: boolean }) {
  const { team: s } = useStores();
  const job = s.jobs.value[w.workspace] ?? (w.job && !w.job.finished ? w.job : undefined);
  const running = job !== undefined && !job.finished;
  const said = s.said.value[w.workspace];
  const remote = sharingOf(s.remotes.value, w.workspace);
  const teams = s.teams.value ?? [];
  return (
    <section class="card team-workspace" data-workspace={w.workspace} data-conflicts={w.conflicts.length} aria-label={`Workspace ${w.workspace}`}>
      <div class="connector-head">
        <h3 class="connector-name">{w.workspace}</h3>
        {w.conflicts.length > 0 && <span class="badge badge-failed team-conflict-count">{w.conflicts.length === 1 ? "1 conflict" : `${w.conflicts.length} conflicts`}</span>}
      </div>
      <dl class="connector-meta">
        <dt>Last push</dt>
        <dd class="team-last-push">{formatDateTime(w.last_push ?? "") || "never"}</dd>
        <dt>Last pull</dt>
        <dd class="team-last-pull">{formatDateTime(w.last_pull ?? "") || "never"}</dd>
        <dt>Waiting to push</dt>
        <dd class="team-pending">{pendingLabel(w.changed, w.pending)}</dd>
        <dt>Shared notes</dt>
        <dd class="team-items">{formatCount(w.items)}</dd>
        {w.follows ? (
          <>
            <dt>Follows</dt>
            <dd class="team-follows">{remote ? `${remote.name} of ${remote.owner}` : "a teammate's workspace"}</dd>
          </>
        ) : (
          <>
            <dt>Shared with</dt>
            <dd class="team-shared-with">{s.remotes.value === null ? "…" : sharedWithLabel(remote)}</dd>
          </>
        )}
      </dl>
      {running && (
        <p class="form-notice team-progress" data-kind={job.kind} aria-live="polite">
          {progressLabel(job)}
        </p>
      )}
      {said && <p class={said.error ? "form-error team-fail" : "form-notice team-result"}>{said.text}</p>}
      <div class="connector-actions">
        <button type="button" class="button button-primary team-push" disabled={disabled || running} onClick={() => void s.run("push", w.workspace)}>
          {running && job.kind === "push" ? "Pushing…" : "Push"}
        </button>
        <button type="button" class="button team-pull" disabled={disabled || running} onClick={() => void s.run("pull", w.workspace)}>
          {running && job.kind === "pull" ? "Pulling…" : "Pull"}
        </button>
        {!w.follows && remote && (
          <label class="team-share-with">
            Share with{" "}
            <select
              class="input team-share-select"
              aria-label={`Share ${w.workspace} with`}
              value={remote.team_id ?? ""}
              disabled={disabled}
              onChange={(e) => void s.share(w.workspace, (e.target as HTMLSelectElement).value)}
            >
              <option value="">nobody (private)</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {w.conflicts.length > 0 && (
        <div class="team-conflicts">
          {w.conflicts.map((c) => (
            <div key={c.kind + "/" + c.key} class="team-conflict" data-key={c.key}>
              <h4 class="team-conflict-key">
                {conflictLabel(c)} <span class="state-quiet">— edited on {c.heads.length} desktops; edit it on one to join the versions, then push</span>
              </h4>
              <div class="team-sides" style={{ gridTemplateColumns: `repeat(${Math.min(c.heads.length, 3)}, minmax(0, 1fr))` }}>
                {sides(c, device).map((v) => (
                  <article key={v.id} class={v.mine ? "team-side team-side-mine" : "team-side"} data-version={v.id}>
                    <header class="team-side-head">
                      <span class="team-side-who">{v.who}</span> <span class="team-side-title">{v.title}</span>
                    </header>
                    {v.deleted ? <p class="state-quiet team-side-deleted">Deleted on this desktop.</p> : <pre class="team-side-body">{v.body}</pre>}
                  </article>
                ))}
              </div>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
