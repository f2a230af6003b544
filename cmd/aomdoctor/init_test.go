package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
)

// TestInit writes the starter config in the current folder, checks that it
// parses and changes nothing, and that a second init refuses to overwrite it.
func TestInit(t *testing.T) {
	repo, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	stdout, stderr, code := runCLI("init")
	if code != 0 || stderr != "" {
		t.Fatalf("init: exit %d, stderr %q", code, stderr)
	}
	// The golden file lives in the repository; golden() takes paths from it.
	t.Chdir(repo)
	golden(t, "init.stdout", stdout)
	golden(t, "init.yml", starterConfig)

	path := filepath.Join(dir, checks.ConfigFile)
	cfg, err := evidence.LoadConfig(path)
	if err != nil {
		t.Fatalf("the starter config does not parse: %v", err)
	}
	if len(cfg.Disable)+len(cfg.EnableOnly)+len(cfg.Severity)+len(cfg.Ignore) != 0 || cfg.Store != (checks.StoreFacts{}) {
		t.Errorf("the starter config should change nothing until edited: %+v", cfg)
	}
	// Each commented example, uncommented, parses too: the starter teaches
	// only what works.
	var b strings.Builder
	for _, line := range strings.Split(starterConfig, "\n") {
		if strings.HasPrefix(line, "#  ") {
			line = strings.TrimPrefix(line, "#")
		}
		b.WriteString(line + "\n")
	}
	uncommented := strings.NewReplacer("disable: []", "disable:", "severity: {}", "severity:", "ignore: []", "ignore:", "store: {}", "store:").Replace(b.String())
	full, err := checks.ParseConfig("starter-uncommented.yml", []byte(uncommented))
	if err != nil {
		t.Fatalf("the starter's examples do not parse when uncommented: %v\n%s", err, uncommented)
	}
	if _, err := checks.ParseConfig("enable-only.yml", []byte(strings.TrimPrefix(findLine(starterConfig, "# enable-only:"), "# "))); err != nil {
		t.Errorf("the starter's enable-only example does not parse: %v", err)
	}
	if len(full.Disable) != 1 || len(full.Severity) != 1 || len(full.Ignore) != 2 || full.Store.Edition != "full" {
		t.Errorf("uncommented starter read as %+v", full)
	}

	before, _ := os.ReadFile(path)
	_, stderr, code = runCLI("init", "--output", path)
	if code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("init over an existing file: exit %d, stderr %q; want 2 and 'already exists'", code, stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("init changed an existing file")
	}
}

func findLine(text, prefix string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}
