// The Connectors view's pure logic: labels and the sign-in's state.
import type { ConnectorStatus } from "../api/types";

/** CONNECTORS are the connectors with their names for people, in the backend's order. */
export const CONNECTORS: { name: string; label: string }[] = [
  { name: "box", label: "Box" },
  { name: "gmail", label: "Gmail" },
  { name: "slack", label: "Slack" },
];

export function connectorLabel(name: string): string {
  return CONNECTORS.find((c) => c.name === name)?.label ?? name;
}

/**
 * needsReconnect reports whether the sign-in must be done again: the
 * provider refused the refresh token (invalid_grant) or the API refused the
 * access token.
 */
export function needsReconnect(s: ConnectorStatus): boolean {
  return s.status === "reconnect_needed" || /invalid_grant/.test(s.error ?? "");
}

/** statusLabel says a connector's state in words. */
export function statusLabel(s: ConnectorStatus): string {
  if (s.syncing || s.status === "syncing") return "Syncing…";
  if (needsReconnect(s)) return "Reconnect needed";
  switch (s.status) {
    case "not_connected":
      return "Not connected";
    case "connected":
      return "Connected";
    case "error":
      return "Error";
  }
  return s.status;
}

/** isConnected reports whether a connector has a sign-in (working or not). */
export function isConnected(s: ConnectorStatus): boolean {
  return s.status !== "not_connected";
}

/**
 * SignIn is where a sign-in the view started stands: "waiting" for the
 * browser, "connected", or "failed" with the flow's error.
 */
export type SignIn = { phase: "waiting" } | { phase: "connected" } | { phase: "failed"; error: string };

/**
 * signInStep reads one poll of a sign-in: before is the connector's status
 * when the sign-in started, now the one just read, flowError the flow's
 * error ("" while none). A connector that had a sign-in before (a
 * reconnect) counts as connected again only once its connected time moved.
 */
export function signInStep(before: ConnectorStatus | undefined, now: ConnectorStatus | undefined, flowError: string): SignIn {
  if (flowError !== "") return { phase: "failed", error: flowError };
  if (!now || now.status !== "connected") return { phase: "waiting" };
  if (before && before.status !== "not_connected" && (before.connected ?? "") === (now.connected ?? "")) return { phase: "waiting" };
  return { phase: "connected" };
}

/** countsLabel says what the last sync changed. */
export function countsLabel(s: ConnectorStatus): string {
  const parts = [`${s.added} added`, `${s.updated} updated`, `${s.removed} removed`];
  if (s.failed > 0) parts.push(`${s.failed} failed`);
  return parts.join(", ");
}
