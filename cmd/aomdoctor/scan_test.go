package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl/crawltest"
)

// The scan tests crawl stores served on loopback by httptest: nothing leaves
// the machine.

func serveStore(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// scanReport is the part of the JSON report the scan tests look at.
type scanReport struct {
	Store struct {
		Pages *struct {
			Start      string `json:"start"`
			StartError string `json:"start_error"`
			Read       int    `json:"read"`
			Failed     []struct {
				URL, Reason string
			} `json:"failed"`
		} `json:"pages"`
	} `json:"store"`
	Findings []struct {
		Name, Severity, Message string
	} `json:"findings"`
}

func scanJSON(t *testing.T, args ...string) (scanReport, int) {
	t.Helper()
	stdout, stderr, code := runCLI(args...)
	var rep scanReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v: not JSON (%v)\nstdout:\n%s\nstderr:\n%s", args, err, stdout, stderr)
	}
	if rep.Store.Pages == nil {
		t.Fatalf("%v: no store.pages in the report", args)
	}
	return rep, code
}

func findingNames(rep scanReport) map[string]string {
	out := map[string]string{}
	for _, f := range rep.Findings {
		out[f.Name] = f.Severity
	}
	return out
}

// TestScanGolden shows what a store owner reads: a store whose cart forms
// carry a mistyped ID, with a page gone and an image among the links. The
// server's random port is replaced so the output can be compared.
func TestScanGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	mux := http.NewServeMux()
	mux.Handle("/", crawltest.Store{CartID: "gardenshp-20", Extra: []string{"shop.php?c=Discontinued", "logo.php"}}.Handler())
	mux.HandleFunc("/logo.php", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	url := serveStore(t, mux)
	stdout, stderr, code := runCLI("scan", url+"/")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	// Ephemeral ports have five digits, so the wrapping does not change.
	stdout = strings.ReplaceAll(stdout, strings.TrimPrefix(url, "http://"), "store.test:8080")
	golden(t, "scan-wrong-cart-id.stdout", stdout)
	golden(t, "scan-wrong-cart-id.stderr", stderr)
}

func TestScanStore(t *testing.T) {
	st := crawltest.Store{}
	url := serveStore(t, st.Handler())
	rep, code := scanJSON(t, "scan", "--format", "json", url)
	if code != 0 {
		t.Errorf("exit %d, want 0: %v", code, rep.Findings)
	}
	if p := rep.Store.Pages; p.Read != st.Pages() || len(p.Failed) != 0 || p.Start != url {
		t.Errorf("pages %+v, want %d read", p, st.Pages())
	}
	for name, sev := range findingNames(rep) {
		if sev != "info" {
			t.Errorf("a healthy store gave %s (%s)", name, sev)
		}
	}
}

func TestScanWrongCartID(t *testing.T) {
	url := serveStore(t, crawltest.Store{CartID: "gardenshp-20"}.Handler())
	rep, code := scanJSON(t, "scan", "-f", "json", url)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if got := findingNames(rep); got["mixed-ids-on-store"] == "" || got["link-wrong-id"] != "error" {
		t.Errorf("findings %v", got)
	}
}

// TestScanLite: AOM's ID on 1 in 10 buy buttons is what Lite does; said as
// information with --edition lite, a warning on the full edition.
func TestScanLite(t *testing.T) {
	url := serveStore(t, crawltest.Store{Lite: true, Categories: 2, ItemsPerCategory: 5}.Handler())
	for edition, want := range map[string]string{"lite": "info", "full": "warning"} {
		rep, _ := scanJSON(t, "scan", "-f", "json", "--edition", edition, url)
		if got := findingNames(rep)["mixed-ids-on-store"]; got != want {
			t.Errorf("--edition %s: mixed-ids-on-store is %q, want %q (%v)", edition, got, want, rep.Findings)
		}
	}
}

func TestScanUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	rep, code := scanJSON(t, "scan", "-f", "json", url)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(rep.Store.Pages.StartError, "cannot connect") || findingNames(rep)["store-unreachable"] != "error" {
		t.Errorf("start error %q, findings %v", rep.Store.Pages.StartError, rep.Findings)
	}
}

// TestScanLimits: the flags reach the crawl.
func TestScanLimits(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", crawltest.Store{Categories: 4, ItemsPerCategory: 10, Extra: []string{"slow.php"}}.Handler())
	mux.HandleFunc("/slow.php", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	url := serveStore(t, mux)
	rep, _ := scanJSON(t, "scan", "-f", "json", "--max-pages", "7", "--concurrency", "2", "--timeout", "500ms", url)
	p := rep.Store.Pages
	if p.Read+len(p.Failed) != 7 {
		t.Errorf("read %d, failed %v: want 7 pages in all", p.Read, p.Failed)
	}
	for _, f := range p.Failed {
		if strings.HasSuffix(f.URL, "/slow.php") && f.Reason != "timed out after 500ms" {
			t.Errorf("slow.php: %q", f.Reason)
		}
	}
}

// TestScanSeveralURLs: several URLs are start pages of one store; one that
// fails after the first is listed among the failed pages.
func TestScanSeveralURLs(t *testing.T) {
	st := crawltest.Store{}
	a := serveStore(t, st.Handler())
	rep, _ := scanJSON(t, "scan", "-f", "json", a, a+"/gone.php")
	p := rep.Store.Pages
	if p.Start != a || p.StartError != "" || p.Read != st.Pages() || len(p.Failed) != 1 || p.Failed[0].Reason != "HTTP 404 Not Found" {
		t.Errorf("pages %+v", p)
	}
}

// TestCheckSite: --site adds the live store to the other evidence: its links
// are judged against the settings.
func TestCheckSite(t *testing.T) {
	url := serveStore(t, crawltest.Store{ID: "someoneelse-20"}.Handler())
	rep, code := scanJSON(t, "check", "-f", "json", "--site", url, "fixtures/stores/healthy-us")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if rep.Store.Pages.Read == 0 || findingNames(rep)["page-id-differs-from-settings"] != "error" {
		t.Errorf("read %d pages; findings %v", rep.Store.Pages.Read, rep.Findings)
	}
	// Without --site, the same store has nothing to say about pages.
	stdout, _, _ := runCLI("check", "-f", "json", "fixtures/stores/healthy-us")
	if strings.Contains(stdout, `"pages"`) {
		t.Error("check without --site reports pages")
	}
}

// TestProgressSilent: progress goes only to a terminal, never into a
// captured stderr or a CI log.
func TestProgressSilent(t *testing.T) {
	var buf strings.Builder
	p := newProgress(&buf)
	p.update(3, 4)
	p.clear()
	if buf.Len() != 0 {
		t.Errorf("progress written to a buffer: %q", buf.String())
	}
	for v, want := range map[string]bool{"true": true, "1": true, "": false, "false": false} {
		t.Setenv("CI", v)
		if inCI() != want {
			t.Errorf("CI=%q: inCI() = %v", v, !want)
		}
	}
}

func TestSiteName(t *testing.T) {
	for raw, want := range map[string]string{
		"https://shop.example/":                   "shop.example",
		"https://shop.example":                    "shop.example",
		"http://shop.example/garden/":             "shop.example/garden",
		"http://shop.example/birds/index.php?c=2": "shop.example/birds",
		"http://shop.example:8080/shop.php":       "shop.example:8080",
		"http://shop.example/stores/garden.v2/":   "shop.example/stores/garden.v2",
		"not a url":                               "not a url",
	} {
		if got := siteName(raw); got != want {
			t.Errorf("siteName(%q) = %q, want %q", raw, got, want)
		}
	}
}
