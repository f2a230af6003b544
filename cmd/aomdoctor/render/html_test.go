package render

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The payloads a store's files might carry, by accident or by malice.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
)

// fixtureResult loads a fixture store and judges it with every rule.
func fixtureResult(t *testing.T, name string, asOf store.Date) *checks.Result {
	t.Helper()
	st, err := evidence.Load([]string{"../../../fixtures/stores/" + name})
	if err != nil {
		t.Fatalf("loading %s: %v", name, err)
	}
	st.AsOf = asOf
	return checks.Run(st, checks.Rules())
}

func renderHTML(t *testing.T, res *checks.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, res, Options{Command: "check"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// xssResult is a result whose every store-given value carries a payload: the
// store's label and site name, a cart item's title and ASIN, a file name, a
// finding's message and fix, a skipped rule's advice, an input problem and a
// failed page.
func xssResult() *checks.Result {
	settings := store.NewSettings()
	settings.Set(store.Value{Key: "SiteName", Text: "Books " + xssAttr + xssScript, Source: store.Source{Path: xssAttr + ".php", Line: 3}})
	carts := store.NewCartReports()
	carts.Add(store.CartReport{
		Source: store.Source{Path: "mail/" + xssAttr + ".eml", Field: "message 1"},
		Date:   store.Date{Y: 2009, M: 10, D: 6},
		Items:  []store.CartItem{{ASIN: xssAttr, Title: xssScript, Qty: 1}},
	})
	reps := store.NewReports()
	reps.Files = []store.ReportFile{{Path: xssScript + ".csv", Kind: store.KindReportLinkType,
		Period: store.Period{From: store.Date{Y: 2009, M: 10, D: 1}, To: store.Date{Y: 2009, M: 10, D: 14}, Source: store.Source{Path: xssAttr + ".csv", Line: 1}}}}
	reps.LinkType = []store.LinkTypeRow{{Label: "Remote shopping carts " + xssScript, Clicks: 1, ItemsOrdered: 1, ItemsShipped: 1}}
	reps.Daily = []store.DailyRow{{Date: store.Date{Y: 2009, M: 10, D: 6}, Clicks: 1}}
	pages := store.NewPages()
	pages.Failed = []store.PageFailure{{URL: "https://shop.example/" + xssAttr, Reason: xssScript}}
	st := &store.Store{
		Name:     xssScript + xssAttr,
		Settings: settings, Carts: carts, Reports: reps, Pages: pages,
		Inputs: []store.Input{{Path: xssAttr + ".txt", Kind: store.KindUnknown, Err: errors.New("not recognised: " + xssScript)}},
	}
	rule := &checks.Rule{ID: "AOM999", Name: "xss" + xssAttr, Title: "Title " + xssScript, Severity: checks.Warning, Fix: "Fix " + xssScript + "."}
	return &checks.Result{
		Store: st,
		Findings: []checks.Finding{{Rule: rule, Severity: checks.Warning, Message: "item title " + xssScript + " and ID " + xssAttr,
			Fix: "Remove " + xssAttr + ".", Evidence: []checks.Evidence{{Path: "mail/" + xssAttr + ".eml", Line: 1, Field: xssScript}}}},
		Skipped: []checks.Skipped{{Rule: rule, Missing: checks.NeedOrders, Advice: "add " + xssScript}},
	}
}

// TestHTMLEscapesStoreValues checks that no value from a store's files comes
// out as markup: the payloads appear escaped, never raw.
func TestHTMLEscapesStoreValues(t *testing.T) {
	results := map[string]*checks.Result{
		"built":             xssResult(),
		"fixture xss-title": fixtureResult(t, "xss-title", store.Date{Y: 2009, M: 10, D: 20}),
	}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			out := renderHTML(t, res)
			for _, raw := range []string{"<script", "<img"} {
				if strings.Contains(strings.ToLower(out), raw) {
					t.Errorf("output holds raw %q from the store's data", raw)
				}
			}
			// The payload's words may show as text; inside a tag they would run.
			if m := regexp.MustCompile(`(?i)<[^>]*\bonerror`).FindString(out); m != "" {
				t.Errorf("an onerror attribute made it into a tag: %q", m)
			}
			if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("the escaped title is missing: the value should show as text\n%s", out)
			}
			if name == "built" && !strings.Contains(out, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("the escaped attribute payload is missing")
			}
		})
	}
}

// externalRef finds anything that would make a browser fetch from the
// network: src or href to http(s) or protocol-relative URLs, CSS imports and
// url() to anything but the page itself.
var externalRef = regexp.MustCompile(`(?i)(\b(src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(https?:)?//)|@import|url\(\s*["']?\s*(https?:)?//|<link\b|<script\b|<iframe\b|<object\b|<embed\b`)

// TestHTMLSelfContained checks that the reports make no request of their
// own: no scripts, no fonts, stylesheets or images by URL.
func TestHTMLSelfContained(t *testing.T) {
	cases := map[string]*checks.Result{
		"seed-story":         fixtureResult(t, "seed-story", store.Date{Y: 2009, M: 10, D: 20}),
		"healthy-quarter":    fixtureResult(t, "healthy-quarter", store.Date{Y: 2009, M: 10, D: 10}),
		"new-store-mistakes": fixtureResult(t, "new-store-mistakes", store.Date{}),
		"pages-http-links":   fixtureResult(t, "pages-http-links", store.Date{}),
		"built":              xssResult(),
	}
	for name, res := range cases {
		t.Run(name, func(t *testing.T) {
			out := renderHTML(t, res)
			if m := externalRef.FindString(out); m != "" {
				t.Errorf("output makes an external request or runs a script: %q", m)
			}
			if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "<style>") {
				t.Errorf("not a standalone page with inline CSS")
			}
		})
	}
}

// TestHTMLCharts checks the pictures are drawn when the evidence has their
// figures, and left out when it does not.
func TestHTMLCharts(t *testing.T) {
	seed := renderHTML(t, fixtureResult(t, "seed-story", store.Date{Y: 2009, M: 10, D: 20}))
	for _, want := range []string{
		`aria-label="Funnel: cart reports 5, clicks 3, items ordered 5, items shipped 5"`,
		`aria-label="Cart reports per day from 2009-10-01 to 2009-10-14: 5 in all"`,
		`<title>2009-10-03: 1 cart report</title>`,
		"the Link-Type report gives 3 clicks on remote carts for the whole period",
	} {
		if !strings.Contains(seed, want) {
			t.Errorf("seed-story report lacks %q", want)
		}
	}

	built := renderHTML(t, xssResult())
	if !strings.Contains(built, "against 1 clicks per the Daily Trends report") || !strings.Contains(built, `<rect class="clicks"`) {
		t.Errorf("clicks per day from the Daily Trends report are not drawn")
	}

	// Settings only: nothing dated, no figures, so no pictures at all.
	plain := renderHTML(t, fixtureResult(t, "healthy-us", store.Date{}))
	if strings.Contains(plain, "<svg") || strings.Contains(plain, "At a glance") {
		t.Errorf("a settings-only store got charts")
	}
}

func TestNiceCeil(t *testing.T) {
	for n, want := range map[int]int{0: 2, 1: 2, 2: 2, 3: 4, 5: 10, 7: 10, 11: 20, 24: 40, 45: 50, 101: 200} {
		if got := niceCeil(n); got != want || got < n {
			t.Errorf("niceCeil(%d) = %d, want %d", n, got, want)
		}
	}
}
