package web_test

import (
	"context"
	"regexp"
	"time"

	"github.com/chromedp/chromedp"
)

// step runs actions with a deadline. On failure it logs the page's address
// and text, which say what the page showed instead.
func (u *ui) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, 20*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, actions...)
	if err == nil {
		return
	}
	sctx, scancel := context.WithTimeout(u.ctx, 5*time.Second)
	defer scancel()
	if page, perr := chromedp.Run(sctx, chromedp.Evaluate[string](`location.hash + "\n" + (document.querySelector("main") ?? document.body).innerText.slice(0, 2000)`)); perr == nil {
		u.t.Logf("the page at %s", page)
	}
	u.t.Fatalf("%s: %v", what, err)
}

// matches reports whether s matches the regular expression re.
func matches(s, re string) bool { return regexp.MustCompile(re).MatchString(s) }
