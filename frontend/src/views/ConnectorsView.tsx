import { useEffect, useRef, useState } from "preact/hooks";
import { SignInWaiting } from "../components/common/SignInWaiting";
import type { ApiError, ConnectorStatus } from "../api";
import { toApiError } from "../api";
import { connectorLabel, countsLabel, isConnected, needsReconnect, signInStep, statusLabel } from "../lib/connectors";
import { formatCount, formatDateTime } from "../lib/format";
import { useStores } from "../stores/context";

/** How often the view asks how a sign-in or a sync is getting on. */
const POLL_MS = 500;
/** A sign-in expires after 10 minutes (package oauth); the view stops waiting then. */
const SIGN_IN_MS = 10 * 60 * 1000;

/** What the view is doing with one connector. */
type Busy =
  | { kind: "signin"; authURL: string; before: ConnectorStatus | undefined; started: number }
  | { kind: "sync" }
  | { kind: "confirm-disconnect" };

/**
 * ConnectorsView shows Gmail, Slack and Box with their status, account,
 * last sync, counts and errors, and connects (the sign-in opens in the
 * system browser, or a tab in web mode), syncs and disconnects them. It
 * never sees a token: the statuses carry none.
 */
export function ConnectorsView() {
  const { api } = useStores();
  const [list, setList] = useState<ConnectorStatus[] | null>(null);
  const [busy, setBusy] = useState<Record<string, Busy>>({});
  const [messages, setMessages] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const alive = useRef(true);
  const busyRef = useRef(busy);
  busyRef.current = busy;
  useEffect(() => () => void (alive.current = false), []);

  const setBusyFor = (name: string, b: Busy | null) =>
    setBusy((cur) => {
      const next = { ...cur };
      if (b) next[name] = b;
      else delete next[name];
      return next;
    });
  const say = (name: string, msg: string, isError = false) => {
    setMessages((m) => ({ ...m, [name]: isError ? "" : msg }));
    setErrors((m) => ({ ...m, [name]: isError ? msg : "" }));
  };

  const load = async (): Promise<ConnectorStatus[] | null> => {
    try {
      const l = await api.connectors();
      if (alive.current) {
        setList(l);
        setError(null);
      }
      return l;
    } catch (e) {
      if (alive.current) setError(toApiError("connectors", e));
      return null;
    }
  };
  useEffect(() => void load(), []);

  // While a sign-in waits or a sync runs, the list is read again: the
  // sign-in ends when the connector shows connected (or its flow failed),
  // and a sync's counts grow page by page.
  // A periodic sync the view did not start is followed the same way.
  const waiting = Object.keys(busy).some((n) => busy[n]!.kind !== "confirm-disconnect") || (list ?? []).some((s) => s.syncing);
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(() => {
      void (async () => {
        const l = await load();
        if (!l || !alive.current) return;
        for (const [name, b] of Object.entries(busyRef.current)) {
          if (b.kind !== "signin") continue;
          const flowError = await api.connectError(name).catch(() => "");
          if (!alive.current || busyRef.current[name] !== b) continue;
          const step = signInStep(b.before, l.find((s) => s.name === name), flowError);
          if (step.phase === "connected") {
            setBusyFor(name, null);
            say(name, `Connected. Sync now to bring in ${connectorLabel(name)}.`);
          } else if (step.phase === "failed") {
            setBusyFor(name, null);
            say(name, `The sign-in failed: ${step.error}`, true);
          } else if (Date.now() - b.started > SIGN_IN_MS) {
            setBusyFor(name, null);
            say(name, "The sign-in took longer than 10 minutes; start it again.", true);
          }
        }
      })();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [waiting]);

  const connect = async (s: ConnectorStatus) => {
    say(s.name, "");
    try {
      const start = await api.startConnect(s.name);
      if (!alive.current) return;
      setBusyFor(s.name, { kind: "signin", authURL: start.auth_url, before: s, started: Date.now() });
      api.openExternal(start.auth_url);
    } catch (e) {
      if (alive.current) say(s.name, toApiError("connect", e).message, true);
    }
  };

  const sync = async (name: string) => {
    say(name, "");
    setBusyFor(name, { kind: "sync" });
    try {
      const st = await api.syncConnector(name);
      if (alive.current) say(name, `Synced: ${countsLabel(st)}.`);
    } catch (e) {
      const err = toApiError("sync", e);
      if (err.unreachable) {
        // The answer was lost on the way (a long sync outlasts an HTTP
        // request's time); the sync goes on in Engram: follow it in the list.
        let st: ConnectorStatus | undefined;
        do {
          await new Promise((r) => setTimeout(r, POLL_MS));
          st = (await load())?.find((s) => s.name === name);
        } while (alive.current && st?.syncing);
        if (alive.current && st) say(name, st.error ? st.error : `Synced: ${countsLabel(st)}.`, st.error !== undefined && st.error !== "");
      } else if (alive.current) say(name, err.message, true);
    } finally {
      if (alive.current) setBusyFor(name, null);
    }
    await load();
  };

  const disconnect = async (name: string) => {
    setBusyFor(name, null);
    try {
      const l = await api.disconnect(name);
      if (!alive.current) return;
      setList(l);
      say(name, `Disconnected. The documents ${connectorLabel(name)} brought in stay.`);
    } catch (e) {
      if (alive.current) say(name, toApiError("disconnect", e).message, true);
    }
  };

  return (
    <div class="view connectors-view">
      <header class="view-head">
        <h1 class="view-title">Connectors</h1>
      </header>
      <p class="view-lead">
        Bring in mail, chat and files from online accounts. Engram signs in through your browser, keeps the sign-in in your keychain (or its encrypted
        file), and syncs every few minutes while it runs.
      </p>
      {error && <p class="form-error">{error.message}</p>}
      {list === null && !error && <p class="state-quiet">Loading…</p>}
      <div class="connectors">
        {(list ?? []).map((s) => {
          const b = busy[s.name];
          const syncing = b?.kind === "sync" || s.syncing;
          return (
            <section key={s.name} class="card connector" data-name={s.name} data-status={s.status} aria-label={connectorLabel(s.name)}>
              <div class="connector-head">
                <h2 class="connector-name">{connectorLabel(s.name)}</h2>
                <span class={`badge connector-status connector-status-${needsReconnect(s) ? "reconnect" : s.status}`}>{statusLabel(s)}</span>
              </div>
              <dl class="connector-meta">
                {s.account && (
                  <>
                    <dt>Account</dt>
                    <dd class="connector-account">{s.account}</dd>
                  </>
                )}
                {s.workspace && (
                  <>
                    <dt>Workspace</dt>
                    <dd class="connector-workspace">{s.workspace}</dd>
                  </>
                )}
                {isConnected(s) && (
                  <>
                    <dt>Last sync</dt>
                    <dd class="connector-last-sync">{formatDateTime(s.last_sync ?? "") || "never"}</dd>
                    <dt>Documents</dt>
                    <dd class="connector-documents">{formatCount(s.documents)}</dd>
                    <dt>{syncing ? "This sync" : "Last sync brought"}</dt>
                    <dd class="connector-counts">{countsLabel(s)}</dd>
                  </>
                )}
              </dl>
              {s.error && (
                <p class={needsReconnect(s) ? "form-error connector-error connector-reconnect" : "form-error connector-error"}>
                  {needsReconnect(s) ? "Reconnect needed: the sign-in expired or was revoked. " : ""}
                  {s.error}
                </p>
              )}
              {b?.kind === "signin" && <SignInWaiting authURL={b.authURL} name="connector" />}
              {syncing && (
                <p class="form-notice connector-progress" aria-live="polite">
                  Syncing… {countsLabel(s)}
                </p>
              )}
              {messages[s.name] && <p class="form-notice connector-message">{messages[s.name]}</p>}
              {errors[s.name] && <p class="form-error connector-fail">{errors[s.name]}</p>}
              <div class="connector-actions">
                {(!isConnected(s) || needsReconnect(s)) && (
                  <button type="button" class="button button-primary connector-connect" disabled={b?.kind === "signin"} onClick={() => void connect(s)}>
                    {isConnected(s) ? "Reconnect" : "Connect"}
                  </button>
                )}
                {isConnected(s) && !needsReconnect(s) && (
                  <button type="button" class="button button-primary connector-sync" disabled={syncing} onClick={() => void sync(s.name)}>
                    {syncing ? "Syncing…" : "Sync now"}
                  </button>
                )}
                {isConnected(s) && b?.kind !== "confirm-disconnect" && (
                  <button type="button" class="button button-ghost connector-disconnect" disabled={syncing} onClick={() => setBusyFor(s.name, { kind: "confirm-disconnect" })}>
                    Disconnect
                  </button>
                )}
                {b?.kind === "confirm-disconnect" && (
                  <span class="connector-confirm">
                    Remove the sign-in of {connectorLabel(s.name)}? Its documents stay.{" "}
                    <button type="button" class="button button-danger connector-confirm-disconnect" onClick={() => void disconnect(s.name)}>
                      Disconnect
                    </button>{" "}
                    <button type="button" class="button button-ghost connector-cancel-disconnect" onClick={() => setBusyFor(s.name, null)}>
                      Cancel
                    </button>
                  </span>
                )}
              </div>
            </section>
          );
        })}
      </div>
    </div>
  );
}
