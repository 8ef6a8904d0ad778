import { describe, expect, it } from "vitest";
import type { ConnectorStatus } from "../api/types";
import { connectorLabel, countsLabel, needsReconnect, signInStep, statusLabel } from "./connectors";

const st = (s: Partial<ConnectorStatus>): ConnectorStatus => ({
  name: "gmail",
  status: "not_connected",
  documents: 0,
  added: 0,
  updated: 0,
  removed: 0,
  failed: 0,
  syncing: false,
  ...s,
});

describe("connector labels", () => {
  it("says each state in words, a revoked sign-in as reconnect needed", () => {
    expect(connectorLabel("gmail")).toBe("Gmail");
    expect(statusLabel(st({}))).toBe("Not connected");
    expect(statusLabel(st({ status: "connected" }))).toBe("Connected");
    expect(statusLabel(st({ status: "connected", syncing: true }))).toBe("Syncing…");
    expect(statusLabel(st({ status: "reconnect_needed" }))).toBe("Reconnect needed");
    expect(statusLabel(st({ status: "error", error: 'oauth2: "invalid_grant" "Token has been expired or revoked."' }))).toBe("Reconnect needed");
    expect(needsReconnect(st({ status: "error", error: "HTTP 500" }))).toBe(false);
    expect(statusLabel(st({ status: "error", error: "HTTP 500" }))).toBe("Error");
  });

  it("counts what a sync changed, failures only when there are some", () => {
    expect(countsLabel(st({ added: 3, updated: 1 }))).toBe("3 added, 1 updated, 0 removed");
    expect(countsLabel(st({ added: 3, failed: 2 }))).toBe("3 added, 0 updated, 0 removed, 2 failed");
  });
});

describe("the sign-in", () => {
  it("waits until the connector is connected, or fails with the flow's error", () => {
    const before = st({});
    expect(signInStep(before, st({}), "")).toEqual({ phase: "waiting" });
    expect(signInStep(before, undefined, "")).toEqual({ phase: "waiting" });
    expect(signInStep(before, st({ status: "connected", connected: "2026-01-01T00:00:00Z" }), "")).toEqual({ phase: "connected" });
    expect(signInStep(before, st({}), "the provider refused the sign-in")).toEqual({ phase: "failed", error: "the provider refused the sign-in" });
  });

  it("on a reconnect waits for a new sign-in, not the old one", () => {
    const before = st({ status: "reconnect_needed", connected: "2026-01-01T00:00:00Z" });
    expect(signInStep(before, st({ status: "connected", connected: "2026-01-01T00:00:00Z" }), "")).toEqual({ phase: "waiting" });
    expect(signInStep(before, st({ status: "connected", connected: "2026-02-01T00:00:00Z" }), "")).toEqual({ phase: "connected" });
  });
});
