package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/connect"
	"github.com/engram-app/engram/connect/connecttest"
)

func caseMail(n int) []byte {
	return fmt.Appendf(nil, "From: Dana Scully <dana@example.org>\r\nTo: fox@example.org\r\nSubject: Case file %d\r\nMessage-ID: <case%d@example.org>\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\nThe case number %d mentions kestrel%d.\r\n", n, n, n, n)
}

// TestBrowserConnectors drives the Connectors view in a real Chromium
// against the fake authorization server and Gmail API (connecttest): the
// three connectors are listed, Gmail not connected; Connect sends the
// browser to the sign-in address and waits for sign-in until the
// authorization server's redirect completes it; Sync now brings in the
// mailbox's messages and shows their counts; a revoked sign-in shows
// "Reconnect needed"; Disconnect asks first, then removes the sign-in. No
// page ever holds a token the authorization server issued.
// ENGRAM_UPDATE_SCREENSHOTS=1 writes docs/screenshots/connectors.png.
func TestBrowserConnectors(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	t.Cleanup(as.Close)
	gm := connecttest.NewGmail(as, "dana@example.org")
	t.Cleanup(gm.Close)
	const mails = 3
	for i := range mails {
		gm.Add(caseMail(i), "INBOX")
	}
	t.Setenv(app.EnvPassphrase, "test passphrase")
	a := emptyApp(t)
	for k, v := range map[string]string{
		app.SettingSecretsStore:   "file", // no keychain on a test machine
		"connect.gmail.auth_url":  as.AuthURL(),
		"connect.gmail.token_url": as.TokenURL(),
		"connect.gmail.api_base":  gm.URL(),
		"connect.gmail.client_id": as.ClientID,
	} {
		if err := a.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	u := startUI(t, a)
	ctx := u.ctx
	gmail := `.connector[data-name="gmail"]`
	noToken := func(when string) {
		t.Helper()
		html := evaluate[string](t, ctx, `document.documentElement.outerHTML`)
		for _, tok := range as.Issued() {
			if strings.Contains(html, tok) {
				t.Fatalf("%s: the page shows a token", when)
			}
		}
	}

	step(t, ctx, "listing the connectors",
		chromedp.Navigate(u.link()+"#/connectors"),
		poll(`[...document.querySelectorAll(".connector")].map(e => e.dataset.name).join(",") === "box,gmail,slack"`),
		poll(`document.querySelector(`+jsString(gmail)+`).dataset.status === "not_connected"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-status`)+`).textContent === "Not connected"`),
	)

	// The page opens the sign-in address (window.open in a browser); the
	// test takes the browser's part at the authorization server.
	step(t, ctx, "connecting Gmail",
		js(`window.open = (u) => { window.__signIn = u; return null; }`),
		js(`document.querySelector(`+jsString(gmail+` .connector-connect`)+`).click()`),
		poll(`typeof window.__signIn === "string"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-waiting`)+`) !== null`),
	)
	authURL := evaluate[string](t, ctx, `window.__signIn`)
	if !strings.HasPrefix(authURL, as.AuthURL()+"?") {
		t.Fatalf("the page opened %q, not the sign-in", authURL)
	}
	if href := evaluate[string](t, ctx, `document.querySelector(`+jsString(gmail+` .connector-auth-link`)+`).href`); href != authURL {
		t.Fatalf("the sign-in link is %q, want %q", href, authURL)
	}
	loc, err := connecttest.Approve(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connecttest.Visit(loc); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "waiting for the sign-in to complete",
		poll(`document.querySelector(`+jsString(gmail)+`).dataset.status === "connected"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-waiting`)+`) === null`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-account`)+`)?.textContent === "dana@example.org"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-last-sync`)+`)?.textContent === "never"`),
	)
	noToken("after the sign-in")

	step(t, ctx, "syncing Gmail",
		js(`document.querySelector(`+jsString(gmail+` .connector-sync`)+`).click()`),
		poll(`(document.querySelector(`+jsString(gmail+` .connector-message`)+`)?.textContent ?? "").startsWith("Synced: `+fmt.Sprint(mails)+` added")`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-documents`)+`)?.textContent === "`+fmt.Sprint(mails)+`"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-last-sync`)+`)?.textContent !== "never"`),
	)
	sts, err := a.ConnectorStatuses()
	if err != nil {
		t.Fatal(err)
	}
	if sts[1].Name != "gmail" || sts[1].Documents != mails || sts[1].Status != connect.StatusConnected {
		t.Fatalf("the store's status after the sync: %+v", sts[1])
	}
	u.shoot("connectors.png")
	noToken("after the sync")

	// The user revoked Engram's access: the next sync says to reconnect.
	as.Expire()
	as.RevokeRefresh()
	step(t, ctx, "syncing with a revoked sign-in",
		js(`document.querySelector(`+jsString(gmail+` .connector-sync`)+`).click()`),
		poll(`document.querySelector(`+jsString(gmail)+`).dataset.status === "reconnect_needed"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-status`)+`).textContent === "Reconnect needed"`),
		poll(`(document.querySelector(`+jsString(gmail+` .connector-reconnect`)+`)?.textContent ?? "").includes("Reconnect needed")`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-connect`)+`)?.textContent === "Reconnect"`),
	)
	noToken("after the revoked sync")

	step(t, ctx, "disconnecting Gmail",
		js(`document.querySelector(`+jsString(gmail+` .connector-disconnect`)+`).click()`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-confirm-disconnect`)+`) !== null`),
		js(`document.querySelector(`+jsString(gmail+` .connector-confirm-disconnect`)+`).click()`),
		poll(`document.querySelector(`+jsString(gmail)+`).dataset.status === "not_connected"`),
		poll(`document.querySelector(`+jsString(gmail+` .connector-connect`)+`)?.textContent === "Connect"`),
	)
	if sts, err = a.ConnectorStatuses(); err != nil || sts[1].Status != connect.StatusNotConnected {
		t.Fatalf("after disconnecting: %+v, %v", sts, err)
	}
}
