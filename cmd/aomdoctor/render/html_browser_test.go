package render

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// findChromium is Debian's chromium (what .ci/run installs), or another
// Chromium or Chrome on PATH.
func findChromium() (string, error) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	var firstErr error
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		p, err := exec.LookPath(name)
		if err == nil {
			return p, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return "", firstErr
}

// dumpDOM opens file in headless Chromium and returns the live DOM after
// the page loaded, as Chromium serialises it: what a reader's browser built
// from the report, with any script's changes in it.
func dumpDOM(t *testing.T, chromium, file string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+file)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom %s: %v\n%s", file, err, stderr.String())
	}
	return string(out)
}

// TestHTMLInBrowser opens reports in headless Chromium: the findings are in
// the rendered page, the SVG charts are there with their bars, and the
// <script> title of the xss-title store is text, never a script element.
func TestHTMLInBrowser(t *testing.T) {
	chromium, err := findChromium()
	if err != nil {
		t.Skipf("chromium not installed: %v (apt-get install chromium, as .ci/run does, to run this test)", err)
	}
	dir := t.TempDir()
	cases := []struct {
		store   string
		asOf    store.Date
		present []string
	}{
		{"seed-story", store.Date{Y: 2009, M: 10, D: 20}, []string{
			"Garden Shop Supplies",
			"Some carts were abandoned before checkout",
			"Carted items that were ordered",
			`aria-label="Funnel: cart reports 5, clicks 3, items ordered 5, items shipped 5"`,
			`aria-label="Cart reports per day from 2009-10-01 to 2009-10-14: 5 in all"`,
		}},
		{"xss-title", store.Date{Y: 2009, M: 10, D: 20}, []string{
			"Secure Coding Books",
			"Carted items that were ordered",
			"&lt;script&gt;alert(1)&lt;/script&gt;",
			`aria-label="Funnel: cart reports 1, clicks 1, items ordered 1, items shipped 1"`,
		}},
	}
	rect := regexp.MustCompile(`<rect\b[^>]*\bwidth="([1-9][0-9]*)"`)
	for _, tc := range cases {
		t.Run(tc.store, func(t *testing.T) {
			res := fixtureResult(t, tc.store, tc.asOf)
			file := filepath.Join(dir, tc.store+".html")
			if err := os.WriteFile(file, []byte(renderHTML(t, res)), 0o644); err != nil {
				t.Fatal(err)
			}
			dom := dumpDOM(t, chromium, file)
			for _, want := range tc.present {
				if !strings.Contains(dom, want) {
					t.Errorf("rendered DOM lacks %q", want)
				}
			}
			for _, f := range res.Findings {
				if !strings.Contains(dom, f.Rule.Title) {
					t.Errorf("rendered DOM lacks the finding %q", f.Rule.Title)
				}
			}
			if n := strings.Count(dom, "<svg"); n != 2 {
				t.Errorf("rendered DOM has %d SVG charts, want 2 (funnel and timeline)", n)
			}
			if len(rect.FindAllString(dom, -1)) < 4 {
				t.Errorf("the charts have fewer than 4 drawn bars")
			}
			// A script that ran could have added or changed anything; a
			// page with no script element at all had none to run.
			if strings.Contains(strings.ToLower(dom), "<script") {
				t.Errorf("the rendered page holds a <script> element")
			}
			if strings.Contains(dom, "<img") {
				t.Errorf("the rendered page holds an <img> element")
			}
		})
	}
}

// TestTriageHTMLInBrowser opens a triage dashboard in headless Chromium:
// each store's row and section are in the page, and a store name carrying
// markup stays text.
func TestTriageHTMLInBrowser(t *testing.T) {
	chromium, err := findChromium()
	if err != nil {
		t.Skipf("chromium not installed: %v (apt-get install chromium, as .ci/run does, to run this test)", err)
	}
	rows := []*TriageRow{
		{Name: "garden" + xssScript, Findings: []TriageFinding{{Name: "associate-id-missing", Severity: checks.Error, Message: "no ID", Title: "Associate ID is missing", Fix: "Enter it."}}},
		{Name: "books", TrackingID: "bookshop-20"},
	}
	file := filepath.Join(t.TempDir(), "triage.html")
	if err := os.WriteFile(file, []byte(triageHTMLOf(t, rows)), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := dumpDOM(t, chromium, file)
	for _, want := range []string{
		`<h1>Triage of 2 stores</h1>`,
		`<article class="store" id="store-garden-script-alert-1-script">`,
		`<h3>garden&lt;script&gt;alert(1)&lt;/script&gt;</h3>`,
		`<article class="store" id="store-books">`,
		"Associate ID is missing",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(dom), "<script") {
		t.Errorf("the rendered page holds a <script> element")
	}
}
