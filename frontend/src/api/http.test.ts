import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./errors";
import { HttpApi, takeToken, withWorkspace } from "./http";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

/** mockFetch answers every request with answer and records the calls. */
function mockFetch(answer: (url: string) => Response | Promise<Response>) {
  return vi.fn<typeof fetch>(async (input) => answer(String(input)));
}

const wireResult = {
  total: 3,
  took_ms: 1.5,
  hits: [
    {
      id: "abc",
      title: "Garden",
      source: "markdown",
      path: "/notes/Garden.md",
      snippet: "<mark>Tomatoes</mark> and basil",
      score: 2.5,
      date: "2024-03-04T10:00:00Z",
    },
  ],
  facets: { source: [{ value: "markdown", count: 3 }] },
};

describe("HttpApi", () => {
  it("searches with the query, paging and the bearer token", async () => {
    const f = mockFetch(() => json(200, wireResult));
    const api = new HttpApi({ token: "T0K", fetch: f });
    const res = await api.search("tomatoes & basil", 50, 100);

    expect(f).toHaveBeenCalledTimes(1);
    const [url, init] = f.mock.calls[0]!;
    const u = new URL(String(url), "http://127.0.0.1");
    expect(u.pathname).toBe("/api/search");
    expect(u.searchParams.get("q")).toBe("tomatoes & basil");
    expect(u.searchParams.get("limit")).toBe("50");
    expect(u.searchParams.get("offset")).toBe("100");
    expect(init?.credentials).toBe("same-origin");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer T0K");

    expect(res).toEqual({
      total: 3,
      tookMs: 1.5,
      hits: [{ ...wireResult.hits[0], from: "", to: [], semantic: false, date: "2024-03-04T10:00:00Z" }],
      facets: { source: [{ value: "markdown", count: 3 }] },
      degraded: [],
      partial: false,
      corrected: "",
      notice: "",
    });
  });

  it("shows people by name, else by address, and hits found by meaning", async () => {
    const { personName } = await import("./wire");
    expect(personName({ name: "James D. Steffes", address: "d..steffes@enron.com" })).toBe("James D. Steffes");
    expect(personName({ address: "notmuch@notmuchmail.org" })).toBe("notmuch@notmuchmail.org");
    expect(personName(null)).toBe("");
    const { fromSearchHit } = await import("./wire");
    const h = fromSearchHit({ id: "x", title: "t", source: "email", path: "p", snippet: "", score: 0, from: { address: "a@b" }, to: [{ name: "Ann" }, {}], matched: ["semantic"], date: "" });
    expect(h.from).toBe("a@b");
    expect(h.to).toEqual(["Ann"]);
    expect(h.semantic).toBe(true);
  });

  it("relies on the cookie when it has no token", async () => {
    const f = mockFetch(() => json(200, { data_dir: "/d", workspace: "personal", version: "dev" }));
    const info = await new HttpApi({ fetch: f }).info();
    expect(info).toEqual({ dataDir: "/d", workspace: "personal", version: "dev" });
    const [url, init] = f.mock.calls[0]!;
    expect(url).toBe("/api/info");
    expect(init?.credentials).toBe("same-origin");
    expect((init?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it("turns null lists into empty ones", async () => {
    const f = mockFetch(() => json(200, { total: 0, took_ms: 0, hits: null, facets: null }));
    const res = await new HttpApi({ fetch: f }).search("x", 10, 0);
    expect(res.hits).toEqual([]);
    expect(res.facets).toEqual({});
    expect(res.degraded).toEqual([]);
    expect(res.partial).toBe(false);
  });

  it("asks for facets apart from the hits", async () => {
    const f = mockFetch((url) =>
      url.startsWith("/api/facets") ? json(200, { source: [{ value: "mail", count: 2 }] }) : json(200, wireResult),
    );
    const api = new HttpApi({ token: "T0K", fetch: f });
    await api.search("basil", 50, 0);
    expect(new URL(String(f.mock.calls[0]![0]), "http://127.0.0.1").searchParams.has("facets")).toBe(false);
    expect(await api.facets("basil & co")).toEqual({ source: [{ value: "mail", count: 2 }] });
    const u = new URL(String(f.mock.calls[1]![0]), "http://127.0.0.1");
    expect(u.pathname).toBe("/api/facets");
    expect(u.searchParams.get("q")).toBe("basil & co");
  });

  it("says when the total is a lower bound", async () => {
    const f = mockFetch(() => json(200, { total: 100000, took_ms: 60, hits: [], facets: {}, partial: true }));
    const res = await new HttpApi({ fetch: f }).search('"the of"', 10, 0);
    expect(res.partial).toBe(true);
  });

  it.each([
    [400, "limit must be a whole number from 0 to 200"],
    [401, "missing or wrong access token"],
    [404, "document x: not found"],
    [500, "searching \"x\": index is closed"],
  ])("rejects HTTP %i with the server's message", async (status, msg) => {
    const api = new HttpApi({ fetch: mockFetch(() => json(status, { error: msg })) });
    const err = await api.search("x", 10, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe(msg);
    expect((err as ApiError).op).toBe("search");
  });

  it("rejects an error without a JSON body with the status", async () => {
    const f = mockFetch(() => new Response("upstream down", { status: 502, statusText: "Bad Gateway" }));
    const err = await new HttpApi({ fetch: f }).info().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe("info failed: HTTP 502 Bad Gateway");
  });

  it("rejects when the server cannot be reached", async () => {
    const f = mockFetch(() => Promise.reject(new TypeError("Failed to fetch")));
    const err = await new HttpApi({ fetch: f }).search("x", 10, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain("Cannot reach Engram (Failed to fetch)");
    expect((err as ApiError).unreachable).toBe(true);
  });

  it("asks for the gaps and writes dismissals with a JSON body, in the workspace", async () => {
    const calls: { url: string; method: string; body: unknown }[] = [];
    const f = vi.fn<typeof fetch>(async (input, init) => {
      const url = String(input);
      calls.push({ url, method: init?.method ?? "GET", body: init?.body });
      if (url.startsWith("/api/gaps/groups")) return json(200, [{ kind: "contradiction", gaps: [{ id: "g1", kind: "contradiction", summary: "s", question: "q", ask: null, evidence: [{ doc_id: "d", title: "t", date: "", passage: "p", people: null }], values: null }] }]);
      if (url.startsWith("/api/gaps?")) return json(200, { gaps: null });
      return json(200, { id: "g1" });
    });
    const api = new HttpApi({ fetch: f });
    api.setWorkspace("work");
    const groups = await api.gapGroups();
    expect(groups[0]!.gaps[0]!.ask).toEqual([]);
    expect(groups[0]!.gaps[0]!.values).toEqual([]);
    expect(groups[0]!.gaps[0]!.evidence[0]!.people).toEqual([]);
    expect(await api.dismissedGaps()).toEqual([]);
    await api.dismissGap("g/1");
    await api.restoreGap("g1");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET /api/gaps/groups?workspace=work",
      "GET /api/gaps?dismissed=1&workspace=work",
      "POST /api/gaps/g%2F1/dismiss?workspace=work",
      "POST /api/gaps/g1/restore?workspace=work",
    ]);
    expect(calls[2]!.body).toBe("{}");
  });

  it("starts a sign-in, reads its error and disconnects by name", async () => {
    const calls: string[] = [];
    const f = vi.fn<typeof fetch>(async (input, init) => {
      const url = String(input);
      calls.push(`${init?.method ?? "GET"} ${url}`);
      if (url.endsWith("/connect")) return json(200, { name: "gmail", auth_url: "http://127.0.0.1:1/authorize?x=1" });
      if (url.endsWith("/connect-error")) return json(200, { error: "" });
      return json(200, null);
    });
    const api = new HttpApi({ fetch: f });
    expect((await api.startConnect("gmail")).auth_url).toBe("http://127.0.0.1:1/authorize?x=1");
    expect(await api.connectError("gmail")).toBe("");
    expect(await api.disconnect("gmail")).toEqual([]);
    expect(await api.connectors()).toEqual([]);
    expect(calls).toEqual(["POST /api/connectors/gmail/connect", "GET /api/connectors/gmail/connect-error", "DELETE /api/connectors/gmail", "GET /api/connectors"]);
  });

  it("signs in to the team server, starts pushes and pulls, and polls a job until it has finished", async () => {
    const calls: string[] = [];
    let polls = 0;
    const f = vi.fn<typeof fetch>(async (input, init) => {
      const url = String(input);
      calls.push(`${init?.method ?? "GET"} ${url} ${init?.body ?? ""}`.trim());
      if (url.includes("/api/team/login")) return json(200, { auth_url: "http://127.0.0.1:2/auth/login?state=s" });
      if (url.includes("/api/team/signin")) return json(200, { server: "", account: "", device: "d", signed_in: false, login: null });
      if (url.includes("/api/team/push") || url.includes("/api/team/pull")) return json(200, { job_id: "team-1-1" });
      if (url.includes("/api/team/jobs/")) return json(200, { job_id: "team-1-1", finished: ++polls === 2 });
      return json(200, { server: "", account: "", device: "d", signed_in: false, workspaces: null, unshared: null, login: null });
    });
    const api = new HttpApi({ fetch: f });
    api.setWorkspace("work");
    const ov = await api.team();
    expect(ov.workspaces).toEqual([]);
    expect(ov.unshared).toEqual([]);
    expect(ov.login).toEqual({ running: false });
    expect(await api.teamLogin("http://127.0.0.1:2")).toBe("http://127.0.0.1:2/auth/login?state=s");
    expect((await api.teamSignIn()).login).toEqual({ running: false });
    expect(await api.teamStart("push", "archive")).toBe("team-1-1");
    expect(await api.teamStart("pull", "")).toBe("team-1-1");
    const seen: boolean[] = [];
    await new Promise<void>((done) =>
      api.watchTeam("team-1-1", (p) => {
        seen.push(p.finished);
        if (p.finished) done();
      }),
    );
    expect(seen).toEqual([false, true]);
    expect(calls).toEqual([
      "GET /api/team?workspace=work",
      'POST /api/team/login?workspace=work {"server":"http://127.0.0.1:2"}',
      "GET /api/team/signin?workspace=work",
      'POST /api/team/push?workspace=work {"workspace":"archive"}',
      'POST /api/team/pull?workspace=work {"workspace":""}',
      "GET /api/team/jobs/team-1-1?workspace=work",
      "GET /api/team/jobs/team-1-1?workspace=work",
    ]);
  });

  it("rejects an answer that is not Engram's API (a page served by something else)", async () => {
    const f = mockFetch(() => new Response("<!doctype html>", { status: 200, headers: { "Content-Type": "text/html" } }));
    const err = await new HttpApi({ fetch: f }).info().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain("Not connected to Engram");
  });

  it("rejects broken JSON", async () => {
    const f = mockFetch(() => new Response("{", { status: 200, headers: { "Content-Type": "application/json" } }));
    const err = await new HttpApi({ fetch: f }).info().catch((e: unknown) => e);
    expect((err as ApiError).message).toContain("broken answer");
  });

  it("uses a base URL", async () => {
    const f = mockFetch(() => json(200, { data_dir: "", workspace: "", version: "" }));
    await new HttpApi({ base: "http://127.0.0.1:7777/", fetch: f }).info();
    expect(f.mock.calls[0]![0]).toBe("http://127.0.0.1:7777/api/info");
  });
});

describe("takeToken", () => {
  function page(href: string) {
    const replaced: string[] = [];
    return {
      replaced,
      location: { href },
      history: {
        state: { s: 1 },
        replaceState(_data: unknown, _unused: string, url?: string | URL | null) {
          replaced.push(String(url));
        },
      },
    };
  }

  it("takes the token and cleans the URL, keeping the rest", () => {
    const p = page("http://127.0.0.1:7777/?token=abc_-123&view=search#r");
    expect(takeToken(p)).toBe("abc_-123");
    expect(p.replaced).toEqual(["/?view=search#r"]);
  });

  it("leaves a URL without a token alone", () => {
    const p = page("http://127.0.0.1:7777/");
    expect(takeToken(p)).toBeUndefined();
    expect(p.replaced).toEqual([]);
  });
});

describe("workspace", () => {
  it("adds ?workspace= to every request once one is chosen", async () => {
    const urls: string[] = [];
    const f = (async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return new Response(JSON.stringify([]), { headers: { "Content-Type": "application/json" } });
    }) as typeof fetch;
    const api = new HttpApi({ fetch: f });
    await api.jobs();
    api.setWorkspace("work");
    expect(api.workspace).toBe("work");
    await api.jobs();
    await api.dictRemove("acronym", "okr");
    expect(urls).toEqual(["/api/jobs", "/api/jobs?workspace=work", "/api/dictionary?kind=acronym&term=okr&workspace=work"]);
  });

  it("withWorkspace leaves paths alone for the default workspace", () => {
    expect(withWorkspace("/api/info", "")).toBe("/api/info");
    expect(withWorkspace("/api/search?q=a", "a b")).toBe("/api/search?q=a&workspace=a%20b");
  });
});
