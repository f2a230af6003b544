package checks_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// expectation is one line of a fixture store's .expect file:
// "name severity message-regexp".
type expectation struct {
	line     int
	name     string
	severity checks.Severity
	message  *regexp.Regexp
}

// fixtureArgs are the options a fixture store is checked with, from an
// "@args --as-of YYYY-MM-DD --period FROM..TO" line of its .expect file: the
// command line a user types to see what the test sees.
type fixtureArgs struct {
	asOf   store.Date
	period store.Period
}

func parseArgs(t *testing.T, where string, fields []string) fixtureArgs {
	t.Helper()
	var a fixtureArgs
	date := func(s string) store.Date {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		return store.DateOf(d)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		switch fields[i] {
		case "--as-of":
			a.asOf = date(fields[i+1])
		case "--period":
			from, to, _ := strings.Cut(fields[i+1], "..")
			a.period = store.Period{From: date(from), To: date(to), Source: store.Source{Path: "--period"}}
		default:
			t.Fatalf("%s: unknown option %q in @args", where, fields[i])
		}
	}
	return a
}

func readExpect(t *testing.T, path string) ([]expectation, fixtureArgs) {
	t.Helper()
	var args fixtureArgs
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("every fixture store needs a .expect file (an empty one means no findings): %v", err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "@args"); ok {
			args = parseArgs(t, fmt.Sprintf("%s:%d", path, n), strings.Fields(rest))
			continue
		}
		parts := strings.SplitN(line, " ", 3)
		if len(parts) != 3 {
			t.Fatalf("%s:%d: want \"name severity message-regexp\", got %q", path, n, line)
		}
		sev, err := checks.ParseSeverity(parts[1])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		if checks.Lookup(parts[0]) == nil {
			t.Fatalf("%s:%d: no rule is named %q", path, n, parts[0])
		}
		re, err := regexp.Compile(parts[2])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, expectation{n, parts[0], sev, re})
	}
	return out, args
}

// loadFixture reads a fixture store as `aomdoctor check` would, with the
// options of its .expect file.
func loadFixture(t *testing.T, dir string) (*store.Store, []expectation, error) {
	t.Helper()
	want, args := readExpect(t, filepath.Join(dir, ".expect"))
	st, err := evidence.Load([]string{dir})
	st.AsOf, st.Period = args.asOf, args.period
	return st, want, err
}

func fixtureStores(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../fixtures/stores/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixture stores found under fixtures/stores")
	}
	return out
}

// TestFixtureStores runs every fixture store and checks that its findings are
// exactly those its .expect file lists: each finding matched by a line, each
// line matched by a finding.
func TestFixtureStores(t *testing.T) {
	for _, dir := range fixtureStores(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			st, want, err := loadFixture(t, dir)
			if err != nil {
				t.Fatalf("fixture store has input problems: %v", err)
			}
			res := checks.RunWith(st, checks.Rules(), fixtureConfig(t, dir), st.AsOf)
			if len(res.Failed) > 0 {
				t.Fatalf("rules failed: %v", res.Failed)
			}
			used := make([]bool, len(want))
			for _, f := range res.Findings {
				matched := false
				for i, e := range want {
					if e.name == f.Rule.Name && e.severity == f.Severity && e.message.MatchString(f.Message) {
						used[i], matched = true, true
					}
				}
				if !matched {
					t.Errorf("unexpected finding %s %s: %s", f.Rule.Name, f.Severity, f.Message)
				}
			}
			for i, e := range want {
				if !used[i] {
					t.Errorf(".expect:%d: no finding %s %s matching %q", e.line, e.name, e.severity, e.message)
				}
			}
		})
	}
}

// liveOnly are the rules only a live crawl can trigger: no saved file can
// say that a store could not be fetched. Their unit tests make them fire;
// faking a crawl's result in a fixture store would test nothing real.
var liveOnly = map[string]bool{
	"store-unreachable": true,
	// tracking-id-shared judges several stores at once: a single store's
	// run never fires it. cmd/aomdoctor's triage tests make it fire.
	"tracking-id-shared": true,
}

// TestEveryRuleHasFixtures is the fixture half of the registry hygiene: every
// rule fires in at least one fixture store and stays quiet (having run) in
// at least one other.
func TestEveryRuleHasFixtures(t *testing.T) {
	fired := map[string]bool{}
	quiet := map[string]bool{}
	for _, dir := range fixtureStores(t) {
		st, _, _ := loadFixture(t, dir)
		res := checks.Run(st, checks.Rules())
		seen := map[string]bool{}
		for _, f := range res.Findings {
			seen[f.Rule.Name] = true
			fired[f.Rule.Name] = true
		}
		skipped := map[string]bool{}
		for _, s := range res.Skipped {
			skipped[s.Rule.Name] = true
		}
		for _, r := range checks.Rules() {
			if !seen[r.Name] && !skipped[r.Name] {
				quiet[r.Name] = true
			}
		}
	}
	for _, r := range checks.Rules() {
		if liveOnly[r.Name] {
			if !quiet[r.Name] {
				t.Errorf("%s (%s): no fixture store runs it and stays quiet", r.Name, r.ID)
			}
			continue
		}
		if !fired[r.Name] {
			t.Errorf("%s (%s): no fixture store under fixtures/stores triggers it", r.Name, r.ID)
		}
		if !quiet[r.Name] {
			t.Errorf("%s (%s): no fixture store runs it and stays quiet", r.Name, r.ID)
		}
	}
}

// fixtureConfig is the store's .aomdoctor.yml, as check would find it; nil
// when the store has none.
func fixtureConfig(t *testing.T, dir string) *checks.Config {
	t.Helper()
	path := filepath.Join(dir, checks.ConfigFile)
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	cfg, err := evidence.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
