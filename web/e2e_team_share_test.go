package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/teamserver/teamtest"
)

// TestBrowserTeamShare drives the Team view's teams and sharing in two
// real Chromiums against a real engram-server on a real PostgreSQL: hana
// pushes her workspace and makes a team; adding an e-mail nobody signed in
// as is refused under the team in the server's words; she adds ivo, who
// signed in once, and shares the workspace with the team. Ivo sees it under
// "From your teammates" with its owner and team, follows it into a
// workspace named after her (his own "personal" is taken), and the pull
// brings her note, which his workspace then finds. Ivo is a member, so his
// team shows no roster and a Leave button; leaving takes her workspace out
// of his list. ENGRAM_UPDATE_SCREENSHOTS=1 writes
// docs/screenshots/team-share.png.
func TestBrowserTeamShare(t *testing.T) {
	tm := teamtest.Start(t, 1, nil)
	t.Setenv(app.EnvPassphrase, "team share test")
	hana := newTeamDesktop(t, map[string]string{"kayak.md": "# Kayak route\n\nHana's route along the Vltava, put in at Rožmberk.\n"})
	ivo := newTeamDesktop(t, map[string]string{"own.md": "# Ivo's own\n\nNothing to share.\n"})
	hana.u, ivo.u = startUI(t, hana.a), startUI(t, ivo.a)
	hana.signIn(t, tm, "hana")
	ivo.signIn(t, tm, "ivo") // before hana can add him

	team := `.team-team[data-team="Rowing"]`
	said := jsString(team + ` .team-team-said`)
	hana.u.step("pushing her workspace and making a team",
		js(`document.querySelector('.team-pick input[value="personal"]').click()`),
		js(`document.querySelector(".team-push-picked").click()`),
		poll(`(document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent ?? "").startsWith("Pushed: 1 change sent")`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-shared-with`)+`)?.textContent === "nobody (private)"`),
		poll(`document.querySelector(".team-no-teams") !== null`),
		chromedp.SendKeys(".team-new-name", "Rowing"),
		chromedp.Click(".team-new-make"),
		poll(`document.querySelector(`+jsString(team)+`)?.dataset.role === "administrator"`),
		poll(`document.querySelector(".team-new-said")?.textContent === "Made the team Rowing; add teammates to it below."`),
		poll(`[...document.querySelectorAll(`+jsString(team+` .team-member-email`)+`)].map(e => e.textContent).join() === "hana@example.org"`),
	)
	hana.u.step("adding someone who never signed in: refused under the team",
		chromedp.SendKeys(team+` .team-add-email`, "nobody@example.org"),
		chromedp.Click(team+` .team-add-member`),
		poll(`document.querySelector(`+said+`)?.classList.contains("form-error")`),
	)
	if got := evaluate[string](t, hana.u.ctx, `document.querySelector(`+said+`).textContent`); !strings.Contains(got, "nobody has signed in to this server as nobody@example.org: they run engram team login first") || strings.Contains(got, "500") {
		t.Fatalf("the refusal under the team: %q", got)
	}
	hana.u.step("adding ivo and sharing the workspace with the team",
		// Cleared as typing would: the view keeps the field's text in its store.
		js(`(() => { const e = document.querySelector(`+jsString(team+` .team-add-email`)+`); e.value = ""; e.dispatchEvent(new Event("input", { bubbles: true })); })()`),
		poll(`document.querySelector(`+jsString(team+` .team-add-email`)+`).value === ""`),
		chromedp.SendKeys(team+` .team-add-email`, "ivo@example.org"),
		poll(`document.querySelector(`+jsString(team+` .team-add-email`)+`).value === "ivo@example.org"`),
		chromedp.Click(team+` .team-add-member`),
		poll(`document.querySelector(`+said+`)?.textContent === "ivo@example.org is in the team."`),
		poll(`[...document.querySelectorAll(`+jsString(team+` .team-member-email`)+`)].map(e => e.textContent).join() === "hana@example.org,ivo@example.org"`),
		poll(`document.querySelector(`+jsString(team+` .team-member[data-email="ivo@example.org"] .team-member-remove`)+`) !== null`),
		js(`(() => { const s = document.querySelector(`+jsString(teamPersonal+` .team-share-select`)+`);
			s.value = [...s.options].find(o => o.textContent === "Rowing").value;
			s.dispatchEvent(new Event("change", { bubbles: true })); })()`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-result`)+`)?.textContent === "personal is shared with Rowing."`),
		poll(`document.querySelector(`+jsString(teamPersonal+` .team-shared-with`)+`)?.textContent === "Rowing"`),
	)
	hana.noToken(t, "after sharing")

	remote := `.team-remote[data-name="personal"]`
	ivo.u.step("seeing it under From your teammates and following it",
		chromedp.Reload(),
		poll(`document.querySelector(`+jsString(team)+`)?.dataset.role === "member"`),
		poll(`document.querySelector(`+jsString(team+` .team-roster`)+`) === null && document.querySelector(`+jsString(team+` .team-leave`)+`) !== null`),
		poll(`document.querySelector(`+jsString(remote+` .team-remote-from`)+`)?.textContent === "from hana@example.org, shared with Rowing"`),
		poll(`document.querySelector(`+jsString(remote)+`).dataset.followed === "no"`),
		// His own "personal" is there, so it defaults to a name after hana.
		poll(`document.querySelector(`+jsString(remote+` .team-follow-as`)+`)?.value === "hana-personal"`),
		chromedp.Click(remote+` .team-follow-start`),
		poll(`document.querySelector(`+jsString(remote)+`)?.dataset.followed === "yes"`),
		poll(`(document.querySelector(`+jsString(remote+` .team-remote-local`)+`)?.textContent ?? "").includes("hana-personal")`),
		poll(`(document.querySelector('.team-workspace[data-workspace="hana-personal"] .team-result')?.textContent ?? "").startsWith("Pulled 1 change; team notes: 1 added")`),
		poll(`document.querySelector('.team-workspace[data-workspace="hana-personal"] .team-follows')?.textContent === "personal of hana@example.org"`),
		poll(`document.querySelector('.team-workspace[data-workspace="hana-personal"] .team-share-select') === null`),
	)
	ivo.u.step("showing his team and the workspace he follows",
		js(`document.querySelector(".app-main").scrollTop = document.querySelector(".team-teams").getBoundingClientRect().top - 20`),
		poll(`document.querySelector(".app-main").scrollTop > 0`),
	)
	ivo.u.shoot("team-share.png")
	res, err := ivo.a.Search(context.Background(), "hana-personal", app.SearchRequest{Query: "Vltava", Mode: "text"})
	if err != nil || len(res.Hits) != 1 || !strings.HasPrefix(res.Hits[0].Path, "team:") || !strings.Contains(res.Hits[0].Snippet, "Hana") {
		t.Fatalf("hana's note in ivo's followed workspace: %+v %v", res, err)
	}
	if res, err := ivo.a.Search(context.Background(), "personal", app.SearchRequest{Query: "Vltava", Mode: "text"}); err != nil || len(res.Hits) != 0 {
		t.Fatalf("hana's note in ivo's own workspace: %+v %v", res, err)
	}
	ivo.noToken(t, "after following")

	ivo.u.step("leaving the team: its workspace is out of reach",
		chromedp.Click(team+` .team-leave`),
		poll(`document.querySelector(`+jsString(team)+`) === null`),
		poll(`document.querySelector(`+jsString(remote)+`) === null && document.querySelector(".team-none-theirs") !== null`),
	)
}
