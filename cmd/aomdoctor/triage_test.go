package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl/crawltest"
)

const triageAsOf = "2024-06-01"

var rollupLine = regexp.MustCompile(`^  ([a-z0-9-]+): (\d+) of (\d+) stores$`)

func rollupOf(t *testing.T, text string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, l := range strings.Split(text, "\n") {
		if m := rollupLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[2])
			out[m[1]] = n
		}
	}
	return out
}

func TestTriageFixtures(t *testing.T) {
	dirs, _ := filepath.Glob("fixtures/stores/*")
	var stores []string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			stores = append(stores, d)
		}
	}
	out, stderr, code := runCLI("triage", "--as-of", triageAsOf, "fixtures/stores")
	if code > checks.ExitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	table := strings.Split(out, "\n\n")[0]
	if rows := len(strings.Split(strings.TrimSpace(table), "\n")) - 1; rows != len(stores) {
		t.Errorf("%d rows, want one per fixture store (%d)\n%s", rows, len(stores), out)
	}
	asOf, _, _ := parseDates(triageAsOf, "", time.Now())
	want := map[string]int{}
	for _, d := range stores {
		st, _ := evidence.Load([]string{d})
		st.AsOf = asOf
		var cfg *checks.Config
		if p, ok := evidence.FindConfig(d); ok {
			cfg, _ = evidence.LoadConfig(p)
		}
		res := checks.RunWith(st, checks.Rules(), cfg, asOf)
		seen := map[string]bool{}
		for _, f := range res.Findings {
			if !seen[f.Rule.Name] {
				seen[f.Rule.Name] = true
				want[f.Rule.Name]++
			}
		}
	}
	got := rollupOf(t, out)
	delete(got, "tracking-id-shared") // cross-store: no single run shows it
	if len(got) != len(want) {
		t.Errorf("roll-up has %d rules, direct runs %d", len(got), len(want))
	}
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s: roll-up says %d stores, direct runs %d", name, got[name], n)
		}
	}
}

func writeStore(t *testing.T, dir, id string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	php := "<?php\n$cfg['AmazonAssociateId']['value'] = \"" + id + "\";\n"
	if err := os.WriteFile(filepath.Join(dir, "settings.php"), []byte(php), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTriageSharedID(t *testing.T) {
	root := t.TempDir()
	writeStore(t, filepath.Join(root, "alpha"), "gardenshop-20")
	writeStore(t, filepath.Join(root, "beta"), " GardenShop-20")
	writeStore(t, filepath.Join(root, "gamma"), "othershop-20")
	out, stderr, code := runCLI("triage", "--fail-on", "warning", root)
	if code != checks.ExitFindings {
		t.Errorf("exit %d, want 1\n%s%s", code, out, stderr)
	}
	for _, want := range []string{
		"alpha  warning  0       2", "tracking-id-shared: 2 of 3 stores",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`gamma +warning +0 +1 `).MatchString(out) {
		t.Errorf("gamma has its own ID\n%s", out)
	}
	msgs := checks.SharedTrackingIDs([]string{"alpha", "beta", "gamma"}, []string{"gardenshop-20", "gardenshop-20", "othershop-20"})
	if !strings.Contains(msgs[0], "(beta)") || !strings.Contains(msgs[1], "(alpha)") || msgs[2] != "" {
		t.Errorf("messages %q", msgs)
	}
}

func TestTriageBrokenStore(t *testing.T) {
	root := t.TempDir()
	writeStore(t, filepath.Join(root, "good"), "gardenshop-20")
	if err := os.WriteFile(filepath.Join(root, "broken.zip"), []byte("PK\x03\x04 not really a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI("triage", root)
	if code != checks.ExitBadInput {
		t.Errorf("exit %d, want 2\n%s", code, out)
	}
	if !regexp.MustCompile(`(?m)^broken +unreadable`).MatchString(out) || !strings.Contains(out, "Could not be read") {
		t.Errorf("no error row for the broken zip\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^good +warning`).MatchString(out) {
		t.Errorf("the good store is not reported\n%s", out)
	}
}

func TestTriageURLAndTimeout(t *testing.T) {
	live := serveStore(t, crawltest.Store{CartID: "gardenshp-20"}.Handler())
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // nothing answers at this address any more
	targets := filepath.Join(t.TempDir(), "targets.txt")
	os.WriteFile(targets, []byte("# stores\n"+live+"/\n"+gone.URL+"/\nhttps:///no-host\nfixtures/stores/healthy-us\n"), 0o644)
	out, stderr, code := runCLI("triage", "--format", "jsonl", "--targets", targets)
	if code != checks.ExitBadInput {
		t.Errorf("exit %d, want 2 (one target is not a URL)\n%s%s", code, out, stderr)
	}
	byStore := map[string]map[string]bool{}
	errs := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var rep struct {
			Store struct {
				Name   string `json:"name"`
				Inputs []struct{ Error string }
				Pages  *struct{ Read int }
			}
			Findings []struct{ Name string }
			Triage   struct {
				TrackingID string `json:"tracking_id"`
			}
		}
		if err := json.Unmarshal([]byte(l), &rep); err != nil {
			t.Fatalf("%v\n%s", err, l)
		}
		byStore[rep.Store.Name] = map[string]bool{}
		for _, f := range rep.Findings {
			byStore[rep.Store.Name][f.Name] = true
		}
		for _, in := range rep.Store.Inputs {
			errs[rep.Store.Name] += in.Error
		}
		if strings.HasPrefix(rep.Store.Name, "127.0.0.1") && rep.Store.Pages == nil {
			t.Errorf("%s: no pages in the report of a live store", rep.Store.Name)
		}
		if rep.Store.Name == strings.TrimPrefix(live, "http://") && rep.Triage.TrackingID != "gardenshop-20" {
			// The ID on most of its links, to compare with the other stores'.
			t.Errorf("the live store's tracking ID is %q, want gardenshop-20", rep.Triage.TrackingID)
		}
	}
	host := strings.TrimPrefix(live, "http://")
	if !byStore[host]["mixed-ids-on-store"] {
		t.Errorf("the live store's wrong cart ID was not found: %v", byStore[host])
	}
	if goneHost := strings.TrimPrefix(gone.URL, "http://"); !byStore[goneHost]["store-unreachable"] {
		t.Errorf("the store that does not answer is not store-unreachable: %v", byStore[goneHost])
	}
	if !strings.Contains(errs["https:///no-host"], "has no host name") {
		t.Errorf("a URL without a host is not an error row: %q", errs)
	}
	if _, ok := byStore["healthy-us"]; !ok {
		t.Errorf("the folder among the URLs was not checked: %v", byStore)
	}

	// The dashboard says what a live store's crawl could not read.
	page := filepath.Join(t.TempDir(), "triage.html")
	runCLI("triage", "-f", "html="+page, "--targets", targets)
	html, _ := os.ReadFile(page)
	goneHost := strings.TrimPrefix(gone.URL, "http://")
	if !strings.Contains(string(html), "Live store: 0 pages read from") || !strings.Contains(string(html), goneHost) {
		t.Errorf("the dashboard does not show the live stores' crawls")
	}

	out, _, code = runCLI("triage", "--store-timeout", "1ns", "fixtures/stores/seed-story")
	if code != checks.ExitBadInput || !strings.Contains(out, "gave no answer within") {
		t.Errorf("timeout: exit %d\n%s", code, out)
	}
}

func TestTriageJobsAndJSONL(t *testing.T) {
	one, _, c1 := runCLI("triage", "--as-of", triageAsOf, "--jobs", "1", "fixtures/stores")
	four, _, c4 := runCLI("triage", "--as-of", triageAsOf, "--jobs", "4", "fixtures/stores")
	if one != four || c1 != c4 {
		t.Errorf("--jobs 1 and --jobs 4 differ:\n%s\n%s", one, four)
	}
	jl, _, cj := runCLI("triage", "--as-of", triageAsOf, "--jobs", "4", "--format", "jsonl", "fixtures/stores")
	if cj != c1 {
		t.Errorf("jsonl exit %d, text %d", cj, c1)
	}
	lines := strings.Split(strings.TrimSuffix(jl, "\n"), "\n")
	if len(lines) != 30 && len(lines) < 2 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &obj); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, k := range []string{"version", "store", "findings", "skipped", "failed", "summary", "ignored", "disabled", "config_notes", "triage"} {
			if _, ok := obj[k]; !ok {
				t.Errorf("line %d has no %q", i+1, k)
			}
		}
	}
	// --merge of the jsonl, split in two shards, is the direct text output.
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	half := len(lines) / 2
	os.WriteFile(a, []byte(strings.Join(lines[:half], "\n")+"\n"), 0o644)
	os.WriteFile(b, []byte(strings.Join(lines[half:], "\n")+"\n"), 0o644)
	merged, _, cm := runCLI("triage", "--merge", a, b)
	if merged != one || cm != c1 {
		t.Errorf("--merge differs from the direct run (exit %d, %d)\n--- merged\n%s\n--- direct\n%s", cm, c1, merged, one)
	}
}

func TestTriageBaseline(t *testing.T) {
	root := t.TempDir()
	writeStore(t, filepath.Join(root, "alpha"), "gardenshop-20")
	writeStore(t, filepath.Join(root, "beta"), "gardenshop-20")
	writeStore(t, filepath.Join(root, "gamma"), "associatomati-20")
	before, _, _ := runCLI("triage", "--format", "jsonl", root)
	base := filepath.Join(t.TempDir(), "before.jsonl")
	os.WriteFile(base, []byte(before), 0o644)

	// beta gets its own ID (shared fixed on both), gamma a malformed one.
	writeStore(t, filepath.Join(root, "beta"), "othershop-20")
	writeStore(t, filepath.Join(root, "gamma"), "bad id")
	out, _, _ := runCLI("triage", "--baseline", base, root)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^alpha .* 0 +1 +1$`),
		regexp.MustCompile(`(?m)^beta .* 0 +1 +1$`),
		regexp.MustCompile(`(?m)^gamma .* 1 +1 +1$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("no line matching %s\n%s", want, out)
		}
	}
	jl, _, _ := runCLI("triage", "--format", "jsonl", "--baseline", base, root)
	if strings.Count(jl, `"baseline":{"new":`) != 3 {
		t.Errorf("jsonl lines carry no baseline object\n%s", jl)
	}
}

func TestTriageGolden(t *testing.T) {
	targets := filepath.Join(t.TempDir(), "targets.txt")
	os.WriteFile(targets, []byte("fixtures/stores/healthy-us\nfixtures/stores/healthy-uk\nfixtures/stores/missing-id\nfixtures/stores/links-bad\n"), 0o644)
	out, _, code := runCLI("triage", "--as-of", triageAsOf, "--targets", targets)
	if code != checks.ExitFindings {
		t.Errorf("exit %d", code)
	}
	golden(t, "triage.txt", out)
}

// TestTriageHTMLAndJSONL: one run writes the jsonl stream to standard output
// and the dashboard to a file; the dashboard has a section for every store
// with its findings in full, and --merge of the stream draws the same page.
func TestTriageHTMLAndJSONL(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "triage.html")
	jl, stderr, code := runCLI("triage", "--as-of", triageAsOf, "--format", "jsonl", "--format", "html="+page, "fixtures/stores")
	if code > checks.ExitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(jl), "\n")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if n := strings.Count(html, `<article class="store" id="store-`); n != len(lines) {
		t.Errorf("%d store sections for %d stores", n, len(lines))
	}
	for _, want := range []string{
		// A finding's fix and evidence, as check gives them.
		`Change the Associate ID to &#34;homebrewhaven-20&#34;`,
		`fixtures/stores/new-store-mistakes/settings.php:7 (AmazonAssociateId)`,
		`<a href="#store-new-store-mistakes">new-store-mistakes</a>`,
		`Several stores share one tracking ID`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	shard := filepath.Join(dir, "run.jsonl")
	os.WriteFile(shard, []byte(jl), 0o644)
	merged, _, cm := runCLI("triage", "--merge", "--format", "html", shard)
	if merged != html || cm != code {
		t.Errorf("--merge --format html differs from the run's dashboard (exit %d, %d)", cm, code)
	}
	// -o takes the report given without a file, after the paths too.
	outFile := filepath.Join(dir, "merged.html")
	if stdout, _, _ := runCLI("triage", "--merge", shard, "-f", "html", "-o", outFile); stdout != "" {
		t.Errorf("-o: the dashboard went to standard output too")
	}
	if b, _ := os.ReadFile(outFile); string(b) != html {
		t.Errorf("-o %s does not hold the dashboard", outFile)
	}
	if _, stderr, code := runCLI("triage", "-f", "html="+filepath.Join(dir, "no-such-dir", "x.html"), "fixtures/stores/healthy-us"); code != checks.ExitBadInput || !strings.Contains(stderr, "cannot write the html report") {
		t.Errorf("an unwritable report file: exit %d\n%s", code, stderr)
	}
	// The same run merged twice: every store twice, which the merge says.
	if _, stderr, _ := runCLI("triage", "--merge", shard, shard); !strings.Contains(stderr, strconv.Itoa(len(lines))+" store names appear more than once") {
		t.Errorf("merging a file with itself gives no warning:\n%s", stderr)
	}
	if _, stderr, code := runCLI("triage", "--merge", "--format", "jsonl", shard); code != checks.ExitBadInput || !strings.Contains(stderr, "not jsonl") {
		t.Errorf("--merge --format jsonl: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := runCLI("triage", "--format", "sarif", "fixtures/stores"); code != checks.ExitBadInput || !strings.Contains(stderr, "not a triage format") {
		t.Errorf("--format sarif: exit %d\n%s", code, stderr)
	}
}

// TestTriageProgress: the line shows a bar, the stores done of all, the rate
// and the time left, always draws the last store, and is cleared at the end.
func TestTriageProgress(t *testing.T) {
	var b strings.Builder
	p := &triageProgress{w: &b, total: 4, start: time.Now().Add(-2 * time.Second)}
	for range 4 {
		p.step()
	}
	if !strings.Contains(b.String(), "[#####") || !strings.Contains(b.String(), "4/4 stores, 2/s, about 0s left") {
		t.Errorf("progress line %q", b.String())
	}
	p.finish()
	if !strings.HasSuffix(b.String(), "\r\x1b[K") {
		t.Errorf("the line is not cleared at the end: %q", b.String())
	}
	var none *triageProgress // not a terminal: no progress, no panic
	none.step()
	none.finish()
}

// Two stores whose folders have one name are told apart by their paths: the
// baseline and tracking-id-shared match stores by name.
func TestTriageSameNames(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "team-a", "garden"), filepath.Join(root, "team-b", "garden")
	writeStore(t, a, "gardenshop-20")
	writeStore(t, b, "othershop-20")
	writeStore(t, filepath.Join(root, "team-a", "birds"), "birdshop-20")
	out, _, _ := runCLI("triage", "--format", "jsonl", filepath.Join(root, "team-a"), filepath.Join(root, "team-b"))
	names := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var rep struct{ Store struct{ Name string } }
		json.Unmarshal([]byte(l), &rep)
		names[rep.Store.Name] = true
	}
	for _, want := range []string{a, b, "birds"} {
		if !names[want] {
			t.Errorf("no store named %q: %v", want, names)
		}
	}
}
