package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

var update = flag.Bool("update", false, "rewrite golden files and the README rule table from the code")

// TestMain runs the tests from the repository root, so that paths in the
// output read as a user at the root would see them.
func TestMain(m *testing.M) {
	flag.Parse()
	if err := os.Chdir("../.."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

const goldenDir = "cmd/aomdoctor/testdata/golden"

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'make readme' to create golden files)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func runCLI(args ...string) (stdout, stderr string, code int) {
	var out, errw bytes.Buffer
	code = run(append([]string{"aomdoctor"}, args...), &out, &errw)
	return out.String(), errw.String(), code
}

// TestGolden runs the command as a user would and compares stdout and stderr
// with golden files, and the exit code with the table.
func TestGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	tests := []struct {
		name string
		args []string
		exit int
	}{
		{"help", []string{"--help"}, 0},
		{"version", []string{"--version"}, 0},
		{"check-help", []string{"check", "--help"}, 0},
		{"rules", []string{"rules"}, 0},
		{"explain-name", []string{"explain", "associate-id-default"}, 0},
		{"explain-id", []string{"explain", "aom105"}, 0},
		{"explain-unknown", []string{"explain", "associate-id-typo"}, 2},
		{"demo", []string{"check", "fixtures/stores/new-store-mistakes"}, 1},
		{"healthy-us", []string{"check", "fixtures/stores/healthy-us"}, 0},
		{"healthy-uk-verbose", []string{"check", "--verbose", "fixtures/stores/healthy-uk"}, 0},
		{"default-id-json", []string{"check", "--format", "json", "fixtures/stores/default-id"}, 1},
		{"no-shopping-cart", []string{"check", "fixtures/stores/no-shopping-cart"}, 0},
		{"unknown-input", []string{"check", "cmd/aomdoctor/testdata/mixed"}, 2},
		{"unknown-input-json", []string{"check", "-f", "json", "cmd/aomdoctor/testdata/mixed"}, 2},
		{"missing-path", []string{"check", "fixtures/stores/no-such-store"}, 2},
		{"no-args", []string{"check"}, 2},
		{"bad-format", []string{"check", "--format", "xml", "fixtures/stores/healthy-us"}, 2},
		{"bad-fail-on", []string{"check", "--fail-on", "critical", "fixtures/stores/healthy-us"}, 2},
		{"unknown-flag", []string{"check", "--colour", "fixtures/stores/healthy-us"}, 2},
		{"seed-story", []string{"check", "--as-of", "2009-10-20", "fixtures/stores/seed-story"}, 0},
		{"seed-story-json", []string{"check", "-f", "json", "--as-of", "2009-10-20", "fixtures/stores/seed-story"}, 0},
		{"seed-story-html", []string{"check", "-f", "html", "--as-of", "2009-10-20", "fixtures/stores/seed-story"}, 0},
		{"xss-title-html", []string{"check", "-f", "html", "--as-of", "2009-10-20", "fixtures/stores/xss-title"}, 0},
		{"new-store-mistakes-html", []string{"check", "-f", "html", "fixtures/stores/new-store-mistakes"}, 1},
		{"healthy-quarter-html", []string{"check", "-f", "html", "--as-of", "2009-10-10", "fixtures/stores/healthy-quarter"}, 0},
		{"id-typo-tracking", []string{"check", "--as-of", "2009-11-05", "fixtures/stores/id-typo-tracking"}, 1},
		{"period-flag", []string{"check", "--as-of", "2009-10-20", "--period", "2009-10-01..2009-10-31", "fixtures/stores/link-checker-fails"}, 0},
		{"bad-period", []string{"check", "--period", "2009-10-14..2009-10-01", "fixtures/stores/seed-story"}, 2},
		{"bad-as-of", []string{"check", "--as-of", "20/10/2009", "fixtures/stores/seed-story"}, 2},
		{"scan-help", []string{"scan", "--help"}, 0},
		{"scan-no-args", []string{"scan"}, 2},
		{"scan-not-http", []string{"scan", "www.gardenshop.example"}, 2},
		{"scan-ftp", []string{"scan", "ftp://www.gardenshop.example/"}, 2},
		{"scan-no-host", []string{"scan", "https:///shop.php"}, 2},
		{"scan-bad-edition", []string{"scan", "--edition", "pro", "https://www.gardenshop.example/"}, 2},
		{"scan-zero-concurrency", []string{"scan", "--concurrency", "0", "https://www.gardenshop.example/"}, 2},
		{"scan-bad-timeout", []string{"scan", "--timeout", "10", "https://www.gardenshop.example/"}, 2},
		{"check-bad-site", []string{"check", "--site", "gardenshop.example", "fixtures/stores/healthy-us"}, 2},
		{"with-config", []string{"check", "--as-of", "2009-10-20", "fixtures/stores/with-config"}, 0},
		{"with-config-show-ignored", []string{"check", "--show-ignored", "--as-of", "2009-10-20", "fixtures/stores/with-config"}, 0},
		{"with-config-json", []string{"check", "-f", "json", "--as-of", "2009-10-20", "fixtures/stores/with-config"}, 0},
		{"with-config-quiet", []string{"check", "--quiet", "--fail-on", "warning", "--as-of", "2009-10-20", "fixtures/stores/with-config"}, 1},
		{"quiet-demo", []string{"check", "-q", "fixtures/stores/new-store-mistakes"}, 1},
		{"config-severity", []string{"check", "--config", "cmd/aomdoctor/testdata/strict.yml", "fixtures/stores/connection-soap"}, 1},
		{"bad-config", []string{"check", "--config", "cmd/aomdoctor/testdata/bad-config.yml", "fixtures/stores/healthy-us"}, 2},
		{"missing-config", []string{"check", "--config", "cmd/aomdoctor/testdata/no-such.yml", "fixtures/stores/healthy-us"}, 2},
		{"init-exists", []string{"init", "--output", "fixtures/stores/with-config/.aomdoctor.yml"}, 2},
		{"completion-bash", []string{"completion", "bash"}, 0},
		{"completion-zsh", []string{"completion", "zsh"}, 0},
		{"completion-fish", []string{"completion", "fish"}, 0},
		{"completion-bad", []string{"completion", "powershell"}, 2},
		{"seed-story-sarif", []string{"check", "-f", "sarif", "--as-of", "2009-10-20", "fixtures/stores/seed-story"}, 0},
		{"id-typo-tracking-sarif", []string{"check", "-f", "sarif", "--as-of", "2009-11-05", "fixtures/stores/id-typo-tracking"}, 1},
		{"unknown-input-sarif", []string{"check", "-f", "sarif", "cmd/aomdoctor/testdata/mixed"}, 2},
		{"seed-story-markdown", []string{"check", "-f", "markdown", "--as-of", "2009-10-20", "fixtures/stores/seed-story"}, 0},
		{"demo-markdown", []string{"check", "-f", "markdown", "fixtures/stores/new-store-mistakes"}, 1},
		{"unknown-input-markdown", []string{"check", "-f", "markdown", "cmd/aomdoctor/testdata/mixed"}, 2},
		{"id-typo-tracking-github", []string{"check", "-f", "github", "--as-of", "2009-11-05", "fixtures/stores/id-typo-tracking"}, 1},
		{"demo-github", []string{"check", "-f", "github", "fixtures/stores/new-store-mistakes"}, 1},
		{"unknown-input-github", []string{"check", "-f", "github", "cmd/aomdoctor/testdata/mixed"}, 2},
		{"two-formats-to-stdout", []string{"check", "-f", "text", "-f", "json", "fixtures/stores/healthy-us"}, 2},
		{"format-empty-file", []string{"check", "-f", "sarif=", "fixtures/stores/healthy-us"}, 2},
		{"bad-format-with-file", []string{"check", "-f", "text", "-f", "xml=out.xml", "fixtures/stores/healthy-us"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(tt.args...)
			if code != tt.exit {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.exit, stdout, stderr)
			}
			golden(t, tt.name+".stdout", stdout)
			golden(t, tt.name+".stderr", stderr)
		})
	}
}

// TestFailOn checks the exit code policy through the command line: the same
// store passes or fails depending on --fail-on.
func TestFailOn(t *testing.T) {
	tests := []struct {
		store, failOn string
		exit          int
	}{
		{"connection-soap", "error", 0},
		{"connection-soap", "warning", 1},
		{"connection-soap", "info", 1},
		{"connection-soap", "never", 0},
		{"new-store-mistakes", "error", 1},
		{"new-store-mistakes", "never", 0},
		{"no-shopping-cart", "warning", 0},
		{"no-shopping-cart", "info", 1},
		{"healthy-us", "info", 0},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI("check", "--fail-on", tt.failOn, "fixtures/stores/"+tt.store)
		if code != tt.exit {
			t.Errorf("check --fail-on %s %s: exit %d, want %d (stderr %q)", tt.failOn, tt.store, code, tt.exit, stderr)
		}
	}
}

// TestRuleFailure proves a panicking rule is reported, exits 3, and does not
// stop the other rules' findings.
func TestRuleFailure(t *testing.T) {
	boom := &checks.Rule{ID: "AOM999", Name: "always-panics", Title: "Panics", Severity: checks.Error,
		Needs: checks.NeedSettings, Explain: "x", Fix: "x.",
		Check: func(*store.Store) []checks.Finding { panic("boom") }}
	old := ruleSet
	ruleSet = func() []*checks.Rule { return append([]*checks.Rule{boom}, old()...) }
	defer func() { ruleSet = old }()

	stdout, stderr, code := runCLI("check", "fixtures/stores/connection-soap")
	if code != checks.ExitRuleFailed {
		t.Errorf("exit %d, want %d", code, checks.ExitRuleFailed)
	}
	if !strings.Contains(stdout, "connection-method-not-default") {
		t.Errorf("the other rules' findings are missing:\n%s", stdout)
	}
	if !strings.Contains(stdout, "always-panics") || !strings.Contains(stderr, "panic: boom") {
		t.Errorf("the failed rule is not reported:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}

// TestOutputFile checks that --output writes the report to the file and
// nothing to standard output.
func TestOutputFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")
	stdout, _, code := runCLI("check", "--format", "json", "--output", path, "fixtures/stores/default-id")
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and nothing on stdout", code, stdout)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("report file is not JSON: %v", err)
	}
	_, _, code = runCLI("check", "--output", filepath.Join(t.TempDir(), "no", "such", "dir", "r.txt"), "fixtures/stores/healthy-us")
	if code != 2 {
		t.Errorf("an unwritable --output gave exit %d, want 2", code)
	}
}

// TestJSONShape checks the documented JSON contract on every fixture store:
// the keys and their types, and lists that are [] rather than null.
func TestJSONShape(t *testing.T) {
	dirs, _ := filepath.Glob("fixtures/stores/*")
	dirs = append(dirs, "cmd/aomdoctor/testdata/mixed")
	for _, dir := range dirs {
		stdout, _, _ := runCLI("check", "--format", "json", dir)
		var rep map[string]any
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("%s: not JSON: %v", dir, err)
		}
		if rep["version"] != float64(1) {
			t.Errorf("%s: version = %v, want 1", dir, rep["version"])
		}
		st, _ := rep["store"].(map[string]any)
		if _, ok := st["name"].(string); !ok {
			t.Errorf("%s: store.name missing", dir)
		}
		inputs, ok := st["inputs"].([]any)
		if !ok || len(inputs) == 0 {
			t.Errorf("%s: store.inputs should be a non-empty list, got %v", dir, st["inputs"])
		}
		for _, in := range inputs {
			m := in.(map[string]any)
			for _, k := range []string{"path", "kind"} {
				if _, ok := m[k].(string); !ok {
					t.Errorf("%s: input without %s: %v", dir, k, m)
				}
			}
		}
		for _, key := range []string{"findings", "skipped", "failed"} {
			if _, ok := rep[key].([]any); !ok {
				t.Errorf("%s: %s should be a list, got %v", dir, key, rep[key])
			}
		}
		for _, f := range rep["findings"].([]any) {
			m := f.(map[string]any)
			for _, k := range []string{"id", "name", "severity", "title", "message", "fix"} {
				if s, ok := m[k].(string); !ok || s == "" {
					t.Errorf("%s: finding field %s missing or empty: %v", dir, k, m)
				}
			}
			ev, ok := m["evidence"].([]any)
			if !ok || len(ev) == 0 {
				t.Errorf("%s: finding %v cites no evidence", dir, m["name"])
			}
			for _, e := range ev {
				if p, _ := e.(map[string]any)["path"].(string); p == "" {
					t.Errorf("%s: evidence without a path in %v", dir, m["name"])
				}
			}
		}
		sum, _ := rep["summary"].(map[string]any)
		for _, k := range []string{"errors", "warnings", "infos"} {
			if _, ok := sum[k].(float64); !ok {
				t.Errorf("%s: summary.%s missing", dir, k)
			}
		}
	}
}

// TestREADMERuleTable keeps the README's rule table equal to the registry.
func TestREADMERuleTable(t *testing.T) {
	const start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCLI("rules", "--format", "markdown")
	if code != 0 {
		t.Fatalf("rules --format markdown: exit %d", code)
	}
	s := string(readme)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q section", strings.TrimSpace(start), end)
	}
	if got := s[i+len(start) : j]; got != stdout {
		if *update {
			s = s[:i+len(start)] + stdout + s[j:]
			if err := os.WriteFile("README.md", []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md rule table differs from 'aomdoctor rules --format markdown'; run 'make readme'\n--- README\n%s--- registry\n%s", got, stdout)
	}
}

func TestColorAllowed(t *testing.T) {
	var buf bytes.Buffer
	t.Setenv("NO_COLOR", "")
	if colorAllowed(&buf) {
		t.Error("a buffer is not a terminal: no colour")
	}
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if colorAllowed(f) {
		t.Error("/dev/null is a character device but not a terminal: no colour")
	}
}

// TestMultiFormat checks that one run writes several formats: one to
// standard output, each NAME=FILE to its file, all of the same result.
func TestMultiFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out dir")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sarif, md, js := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "report.md"), filepath.Join(dir, "r.json")
	stdout, stderr, code := runCLI("check", "--format", "text", "--format", "sarif="+sarif, "--format", "markdown="+md, "--format", "json="+js,
		"--as-of", "2009-11-05", "fixtures/stores/id-typo-tracking")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	want, _, _ := runCLI("check", "--as-of", "2009-11-05", "fixtures/stores/id-typo-tracking")
	if stdout != want {
		t.Errorf("stdout is not the text report alone:\n%s", stdout)
	}
	for _, f := range []struct{ path, format string }{{sarif, "sarif"}, {md, "markdown"}, {js, "json"}} {
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		alone, _, _ := runCLI("check", "-f", f.format, "--as-of", "2009-11-05", "fixtures/stores/id-typo-tracking")
		if string(got) != alone {
			t.Errorf("%s differs from 'check -f %s' alone", f.path, f.format)
		}
	}

	// Only files: nothing on standard output; --output takes the one format
	// without a file.
	out := filepath.Join(dir, "report.txt")
	stdout, _, code = runCLI("check", "-f", "text", "-f", "github="+filepath.Join(dir, "a.txt"), "--output", out, "fixtures/stores/default-id")
	if code != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 1 and nothing on stdout", code, stdout)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "associate-id-default") {
		t.Errorf("--output did not get the text report: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); !strings.HasPrefix(string(b), "::error ") {
		t.Errorf("github=FILE did not get annotations: %q", b)
	}

	// Errors: two formats to one file, --output with nowhere to go, an
	// unwritable file.
	for _, args := range [][]string{
		{"-f", "json=" + out, "-f", "sarif=" + out},
		{"-f", "json=" + js, "--output", out},
		{"-f", "text", "-f", "sarif=" + filepath.Join(dir, "no", "such", "x.sarif")},
	} {
		_, stderr, code := runCLI(append(append([]string{"check"}, args...), "fixtures/stores/healthy-us")...)
		if code != 2 || stderr == "" {
			t.Errorf("check %v: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
}

// TestREADMEExamples keeps the README's example runs true: each shown
// output is the start of the golden output of the same command.
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples := map[string]string{
		"$ aomdoctor check fixtures/stores/new-store-mistakes\n":            "demo.stdout",
		"$ aomdoctor check --as-of 2009-10-20 fixtures/stores/seed-story\n": "seed-story.stdout",
	}
	for cmd, goldenFile := range examples {
		i := strings.Index(string(readme), cmd)
		if i < 0 {
			t.Errorf("README.md no longer shows %q", strings.TrimSpace(cmd))
			continue
		}
		shown := string(readme[i+len(cmd):])
		shown = shown[:strings.Index(shown, "...\n```")]
		want, err := os.ReadFile(filepath.Join(goldenDir, goldenFile))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(want), shown) {
			t.Errorf("README.md's output of %q is not what the command prints (%s):\n%s", strings.TrimSpace(cmd), goldenFile, shown)
		}
	}
}

// TestFlagsFirst checks how the command line is reordered before
// urfave/cli parses it: a command's flags, with their values, move before
// its arguments.
func TestFlagsFirst(t *testing.T) {
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	tests := []struct{ in, want string }{
		{"check DIR --format json", "check --format json DIR"},
		{"check DIR -f json", "check -f json DIR"},
		{"check DIR --format=json", "check --format=json DIR"},
		{"check DIR1 -v DIR2", "check -v DIR1 DIR2"},                           // a bool flag takes no value
		{"check DIR1 --verbose=false DIR2", "check --verbose=false DIR1 DIR2"}, // unless given with =
		{"check DIR -f text -f sarif=x.sarif", "check -f text -f sarif=x.sarif DIR"},
		{"check DIR --output -v", "check --output -v DIR"}, // a value may start with a dash
		{"check DIR -- --format json", "check -- DIR --format json"},
		{"check --format json -- DIR -v", "check --format json -- DIR -v"},
		{"check DIR - -q", "check -q DIR -"},
		{"check DIR --colour always", "check --colour DIR always"}, // unknown: the parser names it
		{"check DIR --format", "check --format"},                   // no value: the parser says so
		{"check DIR --help", "check --help"},
		{"bundle DIR -o x.zip --force", "bundle -o x.zip --force DIR"},
		{"bundle DIR --output=x.zip", "bundle --output=x.zip DIR"},
		{"scan URL --max-pages 3 --timeout 5s", "scan --max-pages 3 --timeout 5s URL"},
		{"triage DIR -j 2 --format jsonl", "triage -j 2 --format jsonl DIR"},
		{"explain aom101 -h", "explain -h"},
		{"completion bash --help", "completion --help"},
		{"init --output x.yml", "init --output x.yml"},
		{"rules -f json", "rules -f json"},
		{"--version", "--version"},
		{"--help check", "--help check"},
		{"nosuch DIR --format json", "nosuch DIR --format json"},
		{"check DIR --generate-bash-completion", "check DIR --generate-bash-completion"},
		{"check DIR -f json --generate-bash-completion", "check -f json DIR --generate-bash-completion"},
		{"", ""},
	}
	for _, tt := range tests {
		in := append([]string{"aomdoctor"}, strings.Fields(tt.in)...)
		got := strings.Join(flagsFirst(app, in)[1:], " ")
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFlagsAfterPaths runs commands with their flags after the paths and
// checks they do what the same flags before the paths do.
func TestFlagsAfterPaths(t *testing.T) {
	out := t.TempDir()
	sarif := filepath.Join(out, "r.sarif")
	same := []struct{ after, before []string }{
		{[]string{"check", "fixtures/stores/default-id", "--format", "json"}, []string{"check", "--format", "json", "fixtures/stores/default-id"}},
		{[]string{"check", "fixtures/stores/seed-story", "--as-of=2009-10-20", "-f", "markdown"}, []string{"check", "-f", "markdown", "--as-of", "2009-10-20", "fixtures/stores/seed-story"}},
		{[]string{"check", "fixtures/stores/healthy-us", "-v", "fixtures/stores/healthy-uk"}, []string{"check", "-v", "fixtures/stores/healthy-us", "fixtures/stores/healthy-uk"}},
		{[]string{"check", "fixtures/stores/id-typo-tracking", "-f", "text", "-f", "sarif=" + sarif, "--as-of", "2009-11-05"}, []string{"check", "--as-of", "2009-11-05", "-f", "text", "fixtures/stores/id-typo-tracking"}},
		{[]string{"check", "fixtures/stores/connection-soap", "--fail-on", "warning", "-q"}, []string{"check", "-q", "--fail-on", "warning", "fixtures/stores/connection-soap"}},
		{[]string{"check", "fixtures/stores/with-config", "--show-ignored", "--as-of", "2009-10-20"}, []string{"check", "--show-ignored", "--as-of", "2009-10-20", "fixtures/stores/with-config"}},
		{[]string{"check", "fixtures/stores/healthy-us", "--", "fixtures/stores/healthy-uk"}, []string{"check", "fixtures/stores/healthy-us", "fixtures/stores/healthy-uk"}},
		{[]string{"triage", "fixtures/stores/healthy-us", "--format", "jsonl", "--as-of", "2009-10-20"}, []string{"triage", "--format", "jsonl", "--as-of", "2009-10-20", "fixtures/stores/healthy-us"}},
		{[]string{"scan", "https://www.gardenshop.example/", "--edition", "pro"}, []string{"scan", "--edition", "pro", "https://www.gardenshop.example/"}},
		{[]string{"explain", "associate-id-default", "--help"}, []string{"explain", "--help"}},
		{[]string{"check", "fixtures/stores/healthy-us", "--colour"}, []string{"check", "--colour", "fixtures/stores/healthy-us"}},
	}
	for _, tt := range same {
		wantOut, wantErr, wantCode := runCLI(tt.before...)
		gotOut, gotErr, gotCode := runCLI(tt.after...)
		if gotOut != wantOut || gotErr != wantErr || gotCode != wantCode {
			t.Errorf("%q differs from %q:\nexit %d and %d\n--- stdout\n%s\n--- want\n%s\n--- stderr\n%s\n--- want\n%s",
				tt.after, tt.before, gotCode, wantCode, gotOut, wantOut, gotErr, wantErr)
		}
	}
	if b, err := os.ReadFile(sarif); err != nil || !strings.Contains(string(b), `"version": "2.1.0"`) {
		t.Errorf("-f sarif=FILE after the path did not write the file: %v", err)
	}

	// Errors name the flag, and exit 2.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "fixtures/stores/healthy-us", "--colour"}, "flag provided but not defined: -colour"},
		{[]string{"check", "fixtures/stores/healthy-us", "--colour", "always"}, "flag provided but not defined: -colour"},
		{[]string{"check", "fixtures/stores/healthy-us", "--format"}, "flag needs an argument: -format"},
		{[]string{"bundle", "fixtures/stores/healthy-us", "--zip", "x.zip"}, "flag provided but not defined: -zip"},
		{[]string{"triage", "fixtures/stores/healthy-us", "--jobs", "many"}, `invalid value "many" for flag -jobs`},
	} {
		stdout, stderr, code := runCLI(tt.args...)
		if code != checks.ExitBadInput || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}

	// After "--" everything is a path, flags too.
	stdout, _, code := runCLI("check", "fixtures/stores/healthy-us", "--", "--format", "json")
	if code != checks.ExitBadInput || !strings.Contains(stdout, "--format: no such file or folder") || strings.HasPrefix(stdout, "{") {
		t.Errorf(`check DIR -- --format json: exit %d, want 2 and "--format" read as a path:\n%s`, code, stdout)
	}
	// A lone "-" is a path, and the flag after it still applies.
	stdout, _, code = runCLI("check", "fixtures/stores/healthy-us", "-", "--format", "json")
	if code != checks.ExitBadInput || !strings.HasPrefix(stdout, "{") || !strings.Contains(stdout, `"path": "-"`) {
		t.Errorf(`check DIR - --format json: exit %d, want 2, JSON and "-" as a path:\n%s`, code, stdout)
	}
	// The bundle's usage line: flags after the paths.
	zipPath := filepath.Join(out, "store.zip")
	if _, stderr, code := runCLI("bundle", "fixtures/stores/healthy-us", "-o", zipPath); code != 0 || !fileExists(zipPath) {
		t.Errorf("bundle DIR -o FILE: exit %d, %s", code, stderr)
	}
	if _, stderr, code := runCLI("bundle", "fixtures/stores/healthy-us", "--output="+zipPath, "--force"); code != 0 {
		t.Errorf("bundle DIR --output=FILE --force: exit %d, %s", code, stderr)
	}
}

// A --format file name may hold a comma: repeatable flags are repeated,
// never split.
func TestFormatFileWithComma(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report,v2.json")
	_, stderr, code := runCLI("check", "-f", "json="+file, "fixtures/stores/healthy-us")
	if code != checks.ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("the report was not written to %s: %v", file, err)
	}
}
