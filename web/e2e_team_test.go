package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamserver/teamtest"
)

// teamDesktop is one desktop of the team test: a data directory with a
// vault imported, served to its own Chromium.
type teamDesktop struct {
	a     *app.App
	u     *ui
	vault string
}

func newTeamDesktop(t *testing.T, notes map[string]string) *teamDesktop {
	t.Helper()
	a := emptyApp(t)
	if err := a.SetSetting(app.SettingSecretsStore, "file"); err != nil { // no keychain on a test machine
		t.Fatal(err)
	}
	d := &teamDesktop{a: a, vault: t.TempDir()}
	d.write(t, notes)
	return d
}

// write puts notes in the vault and imports it again.
func (d *teamDesktop) write(t *testing.T, notes map[string]string) {
	t.Helper()
	for name, body := range notes {
		if err := os.WriteFile(filepath.Join(d.vault, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.a.Import(context.Background(), "", []string{d.vault}, nil); err != nil {
		t.Fatal(err)
	}
}

// signIn signs in from the Team view: the page opens the sign-in address
// (window.open in a browser), the test plays the browser at the team
// server and its provider, and the view shows the account.
func (d *teamDesktop) signIn(t *testing.T, tm *teamtest.Team, subject string) {
	t.Helper()
	u := d.u
	u.step("signing in",
		chromedp.Navigate(u.link()+"#/team"),
		poll(`document.querySelector(".team-account")?.dataset.signedIn === "no"`),
		js(`window.open = (u) => { window.__signIn = u; return null; }`),
		chromedp.SendKeys(".team-server-input", tm.URLs[0]),
		chromedp.Click(".team-signin-start"),
		poll(`typeof window.__signIn === "string"`),
		poll(`document.querySelector(".team-waiting") !== null`),
	)
	authURL := evaluate[string](t, u.ctx, `window.__signIn`)
	if !strings.HasPrefix(authURL, tm.URLs[0]+"/auth/login?") {
		t.Fatalf("the page opened %q, not the team server's sign-in", authURL)
	}
	if href := evaluate[string](t, u.ctx, `document.querySelector(".team-auth-link").href`); href != authURL {
		t.Fatalf("the sign-in link is %q, want %q", href, authURL)
	}
	if err := tm.Browse(subject, authURL); err != nil {
		t.Fatal(err)
	}
	u.step("waiting for the sign-in to complete",
		poll(`document.querySelector(".team-account")?.dataset.signedIn === "yes"`),
		poll(`document.querySelector(".team-waiting") === null`),
		poll(`document.querySelector(".team-who")?.textContent === "`+subject+`@example.org"`),
		poll(`document.querySelector(".team-server")?.textContent === `+jsString(tm.URLs[0])),
		poll(`(document.querySelector(".team-signin-message")?.textContent ?? "").startsWith("Signed in to")`),
	)
}

// noToken fails when the page holds the team server's access or refresh
// token of the desktop.
func (d *teamDesktop) noToken(t *testing.T, when string) {
	t.Helper()
	sec, err := d.a.TeamSecrets()
	if err != nil {
		t.Fatal(err)
	}
	html := evaluate[string](t, d.u.ctx, `document.documentElement.outerHTML`)
	for _, kind := range []string{oauth.KindAccess, oauth.KindRefresh} {
		v, err := sec.Get(secrets.Key(teamclient.Provider, kind))
		if err != nil || v == "" {
			t.Fatalf("no %s token of the team server in the secrets store: %v", kind, err)
		}
		if kind == oauth.KindAccess { // JSON {access_token, ...}
			_, v, _ = strings.Cut(v, `"access_token":"`)
			v, _, _ = strings.Cut(v, `"`)
		}
		if len(v) < 8 || strings.Contains(html, v) {
			t.Fatalf("%s: the page shows the %s token (or it is empty: %q)", when, kind, v)
		}
	}
}

// ws is the CSS selector of a shared workspace's card.
const teamPersonal = `.team-workspace[data-workspace="personal"]`

// TestBrowserTeam drives the Team view of two desktops, each in a real
// Chromium, against a real engram-server on a real PostgreSQL signing in
// through a real OpenID Connect provider: both sign in (loopback + PKCE,
// the browser's part played at the server), the laptop pushes its
// workspace, picked from the unshared ones, and the tower pulls it; each
// edits the same note, pushes and pulls, and both Team views show the
// conflict with both versions side by side. A push to a server that went
// away says what to do. No page holds a token.
// ENGRAM_UPDATE_SCREENSHOTS=1 writes docs/screenshots/team.png.
func TestBrowserTeam(t *testing.T) {
	tm := teamtest.Start(t, 1, nil)
	t.Setenv(app.EnvPassphrase, "team test")
	vault := map[string]string{"plan.md": "# Plan\n\nVersion zero.\n", "ideas.md": "# Ideas\n\nKayak and tent.\n"}
	laptop, tower := newTeamDesktop(t, vault), newTeamDesktop(t, vault)
	laptop.u, tower.u = startUI(t, laptop.a), startUI(t, tower.a)
	laptop.u.step("reaching the Team view with Ctrl-8 and its commands from the palette",
		chromedp.Navigate(laptop.u.link()),
		poll(`document.querySelector('.nav-item[data-view="team"]')?.title.endsWith("(Ctrl-8)")`),
		chromedp.KeyEvent("8", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		poll(`location.hash === "#/team" && document.querySelector(".team-account") !== null`),
		chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		poll(`document.querySelector(".palette-input") !== null`),
		chromedp.SendKeys(".palette-input", "team"),
		poll(`["Go to Team", "Push this workspace to the team", "Pull this workspace from the team"].every(l => [...document.querySelectorAll(".palette-label")].some(e => e.textContent === l))`),
		chromedp.KeyEvent(kb.Escape),
		poll(`document.querySelector(".palette-input") === null`),
	)
	laptop.signIn(t, tm, "hana")
	tower.signIn(t, tm, "hana")
	laptop.noToken(t, "after the sign-in")

	pick := `document.querySelector('.team-pick input[value="personal"]')`
	laptop.u.step("pushing the laptop's workspace, picked from the unshared ones",
		poll(pick+` !== null`),
		js(pick+`.click()`),
		poll(`!document.querySelector(".team-push-picked").disabled`),
		js(`document.querySelector(".team-push-picked").click()`),
		poll(`document.querySelector(`+jsString(teamPersonal)+`) !== null`),
		poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "") === "Pushed: 2 changes sent, 2 stored, 0 already there, 0 conflicts."`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-last-push`)+`)?.textContent !== "never"`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-pending`)+`)?.textContent === "nothing"`),
		poll(`document.querySelector(".team-pick input[value=\"personal\"]") === null`),
	)
	tower.u.step("pulling it into the tower",
		poll(pick+` !== null`),
		js(pick+`.click()`),
		js(`document.querySelector(".team-pull-picked").click()`),
		poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "").startsWith("Pulled 2 changes")`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-last-pull`)+`)?.textContent !== "never"`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-items`)+`)?.textContent === "2"`),
	)

	// The tower's own copies of the notes are its versions until it pushes
	// them once (as `engram team push` would); the laptop pulls them.
	tower.u.step("pushing the tower's copies",
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-pending`)+`)?.textContent === "2 notes changed here"`),
		js(`document.querySelector(`+jsString(teamPersonal+` .team-push`)+`).click()`),
		poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "") === "Pushed: 2 changes sent, 2 stored, 0 already there, 0 conflicts."`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-pending`)+`)?.textContent === "nothing"`),
	)
	laptop.u.step("pulling them into the laptop",
		js(`document.querySelector(`+jsString(teamPersonal+` .team-pull`)+`).click()`),
		// Its own two and the tower's two.
		poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "").startsWith("Pulled 4 changes")`),
	)

	// Each edits plan.md before hearing of the other's edit, then pushes.
	laptop.write(t, map[string]string{"plan.md": "# Plan\n\nThe laptop's version.\n"})
	tower.write(t, map[string]string{"plan.md": "# Plan\n\nThe tower's version.\n"})
	for _, d := range []*teamDesktop{laptop, tower} {
		d.u.step("seeing the edit wait, then pushing it",
			chromedp.Reload(),
			poll(`document.querySelector(`+jsString(teamPersonal+` .team-pending`)+`)?.textContent === "1 note changed here"`),
			js(`document.querySelector(`+jsString(teamPersonal+` .team-push`)+`).click()`),
			poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "").startsWith("Pushed: 1 change sent, 1 stored")`),
		)
	}
	for _, d := range []*teamDesktop{laptop, tower} {
		d.u.step("pulling, and seeing the conflict with both versions",
			js(`document.querySelector(`+jsString(teamPersonal+` .team-pull`)+`).click()`),
			poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "").startsWith("Pulled")`),
			poll(`document.querySelector(`+jsString(teamPersonal)+`).dataset.conflicts === "1"`),
			poll(`document.querySelectorAll(`+jsString(teamPersonal+` .team-conflict[data-key="plan.md"] .team-side`)+`).length === 2`),
		)
		sides := evaluate[[]string](t, d.u.ctx, `[...document.querySelectorAll(`+jsString(teamPersonal+` .team-side`)+`)].map(e => e.querySelector(".team-side-who").textContent + ": " + e.querySelector(".team-side-body").textContent.trim())`)
		mine, theirs := "The laptop's version.", "The tower's version."
		if d == tower {
			mine, theirs = theirs, mine
		}
		if len(sides) != 2 || sides[0] != "This desktop: # Plan\n\n"+mine || !strings.HasPrefix(sides[1], "Desktop ") || !strings.HasSuffix(sides[1], theirs) {
			t.Fatalf("the conflict's versions side by side: %q", sides)
		}
		// Side by side: the two versions share a row.
		if top := evaluate[[]float64](t, d.u.ctx, `[...document.querySelectorAll(".team-side")].map(e => e.getBoundingClientRect().top)`); len(top) != 2 || top[0] != top[1] {
			t.Fatalf("the versions are not side by side: tops %v", top)
		}
	}
	tower.u.step("showing the workspace with its conflict",
		js(`document.querySelector(".app-main").scrollTop = document.querySelector(`+jsString(teamPersonal)+`).getBoundingClientRect().top - 20`),
		poll(`document.querySelector(".app-main").scrollTop > 0`),
	)
	tower.u.shoot("team.png")
	tower.noToken(t, "after the conflict")

	// The server goes away: a push says so, and what to do.
	tm.HTTP[0].Close()
	laptop.u.step("pushing to a server that went away",
		js(`document.querySelector(`+jsString(teamPersonal+` .team-push`)+`).click()`),
		poll(`(document.querySelector(`+jsString(teamPersonal+` .team-fail`)+`)?.textContent ?? "").startsWith("The team server did not answer: check the address")`),
		poll(`!document.querySelector(`+jsString(teamPersonal+` .team-push`)+`).disabled`),
	)
}
