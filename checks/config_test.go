package checks_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

func parse(t *testing.T, src string) *checks.Config {
	t.Helper()
	cfg, err := checks.ParseConfig("test.yml", []byte(src))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	return cfg
}

func TestConfigEveryKey(t *testing.T) {
	cfg := parse(t, `
disable: [connection-method-not-default, AOM301]
severity:
  associate-id-default: warning
  aom106: info
ignore:
  - rule: abandoned-carts
    match: cart report
    reason: seasonal store
    expires: 2010-01-31
  - rule: link-missing-id
    reason: old links page, being rebuilt
store:
  edition: Lite
  marketplace: Amazon.co.uk
  name: Cornish Teas
`)
	if len(cfg.Disable) != 2 || cfg.Disable[0].Rule.Name != "connection-method-not-default" || cfg.Disable[1].Rule.Name != "link-checker-false-failure" || cfg.Disable[1].Line != 2 {
		t.Errorf("disable = %+v", cfg.Disable)
	}
	if len(cfg.Severity) != 2 || cfg.Severity[0].Severity != checks.Warning || cfg.Severity[1].Rule.ID != "AOM106" || cfg.Severity[1].Severity != checks.Info || cfg.Severity[1].Line != 5 {
		t.Errorf("severity = %+v", cfg.Severity)
	}
	if len(cfg.Ignore) != 2 {
		t.Fatalf("ignore = %+v", cfg.Ignore)
	}
	if e := cfg.Ignore[0]; e.Rule.Name != "abandoned-carts" || e.Match != "cart report" || e.Reason != "seasonal store" || e.Expires != (store.Date{Y: 2010, M: 1, D: 31}) || e.Line != 7 {
		t.Errorf("ignore[0] = %+v", e)
	}
	if e := cfg.Ignore[1]; !e.Expires.IsZero() || e.Match != "" || e.Line != 11 {
		t.Errorf("ignore[1] = %+v", e)
	}
	if cfg.Store.Edition != "lite" || cfg.Store.Marketplace != "Amazon.co.uk" || cfg.Store.Name != "Cornish Teas" {
		t.Errorf("store = %+v", cfg.Store)
	}
	only := parse(t, "enable-only:\n  - associate-id-missing\n  - aom102\n")
	if len(only.EnableOnly) != 2 || only.EnableOnly[1].Rule.Name != "associate-id-default" {
		t.Errorf("enable-only = %+v", only.EnableOnly)
	}
	for _, empty := range []string{"", "# nothing yet\n", "---\n"} {
		if cfg := parse(t, empty); len(cfg.Disable)+len(cfg.Ignore)+len(cfg.Severity) != 0 {
			t.Errorf("%q: want an empty config, got %+v", empty, cfg)
		}
	}
}

// TestConfigErrors: every bad value is an error that names the file and line.
func TestConfigErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown key", "disable: []\nrules: [x]\n", `test.yml:2: unknown key "rules"`},
		{"not a mapping", "- disable\n", "test.yml:1: the config should be a mapping"},
		{"duplicate key", "disable: []\ndisable: []\n", `test.yml:2: "disable" is given twice`},
		{"unknown rule in disable", "disable:\n  - associate-id-mising\n", `test.yml:2: disable: unknown rule "associate-id-mising"`},
		{"unknown ID in enable-only", "enable-only: [AOM999]\n", `test.yml:1: enable-only: unknown rule "AOM999"`},
		{"disable not a list", "disable: associate-id-missing\n", "test.yml:1: disable should be a list of rule names"},
		{"empty enable-only", "enable-only: []\n", "test.yml:1: enable-only is empty"},
		{"disabled and enabled", "enable-only: [aom101]\ndisable: [associate-id-missing]\n", "test.yml:2: associate-id-missing is both disabled and in enable-only"},
		{"bad level", "severity:\n  associate-id-default: critical\n", `test.yml:2: severity of associate-id-default: unknown severity "critical"`},
		{"unknown rule in severity", "severity:\n  no-such-rule: error\n", `test.yml:2: severity: unknown rule "no-such-rule"`},
		{"severity not a mapping", "severity: [error]\n", "test.yml:1: severity should be a mapping"},
		{"level not a value", "severity:\n  aom101: [error]\n", "test.yml:2: severity of aom101 should be a single value"},
		{"ignore not a list", "ignore:\n  rule: aom101\n", "test.yml:2: ignore should be a list of entries"},
		{"missing reason", "ignore:\n  - rule: aom101\n    match: x\n", "test.yml:2: an ignore entry needs a reason"},
		{"empty reason", "ignore:\n  - rule: aom101\n    reason: \"\"\n", "test.yml:3: ignore reason is empty"},
		{"missing rule", "ignore:\n  - reason: because\n", "test.yml:2: an ignore entry needs a rule"},
		{"unknown rule in ignore", "ignore:\n  - rule: aom1010\n    reason: r\n", `test.yml:2: ignore rule: unknown rule "aom1010"`},
		{"bad date", "ignore:\n  - rule: aom101\n    reason: r\n    expires: 31/12/2026\n", `test.yml:4: ignore expires: "31/12/2026" is not a date; use YYYY-MM-DD`},
		{"impossible date", "ignore:\n  - rule: aom101\n    reason: r\n    expires: 2026-02-30\n", `test.yml:4: ignore expires: "2026-02-30" is not a date`},
		{"unknown key in entry", "ignore:\n  - rule: aom101\n    reason: r\n    until: 2026-01-01\n", `test.yml:4: unknown key "until" in an ignore entry`},
		{"entry not a mapping", "ignore:\n  - aom101\n", "test.yml:2: an ignore entry should be a mapping"},
		{"match a list", "ignore:\n  - rule: aom101\n    reason: r\n    match: [a, b]\n", "test.yml:4: ignore match should be a single value"},
		{"bad edition", "store:\n  edition: pro\n", `test.yml:2: store edition: "pro" is not an AOM edition`},
		{"bad marketplace", "store:\n  marketplace: Amazon.moon\n", `test.yml:2: store marketplace: "Amazon.moon" is not an Amazon store`},
		{"unknown store key", "store:\n  owner: me\n", `test.yml:2: unknown key "owner" in store`},
		{"store not a mapping", "store: Garden Shop\n", "test.yml:1: store should be a mapping"},
		{"bad yaml", "disable: [a\n", "test.yml: yaml: line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checks.ParseConfig("test.yml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
		})
	}
	// Every problem is reported, not only the first.
	_, err := checks.ParseConfig("test.yml", []byte("disable: [nope]\nseverity:\n  aom101: loud\n"))
	if err == nil || !strings.Contains(err.Error(), "test.yml:1:") || !strings.Contains(err.Error(), "test.yml:3:") {
		t.Errorf("want errors at lines 1 and 3, got %v", err)
	}
}

// connectionStore gives one finding: connection-method-not-default (a warning).
// Its settings are otherwise healthy.
func connectionStore() *store.Store {
	s := store.NewSettings()
	for k, v := range map[string]string{
		"AmazonStoreType": "Amazon.com", "AmazonAssociateId": "gardenshop-20", "AmazonConnectionMethod": "soap",
	} {
		s.Set(store.Value{Key: k, Text: v, Source: store.Source{Path: "settings.php", Line: 1, Field: k}})
	}
	s.Set(store.Value{Key: "ReportsEmail", Text: "owner@gardenshop.example"})
	s.Set(store.Value{Key: "Reports", Text: "Remote_Cart", List: []string{"Remote_Cart"}, IsList: true})
	return &store.Store{Name: "garden", Settings: s}
}

func names(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule.Name)
	}
	return out
}

func TestRunWithIgnoreAndExpiry(t *testing.T) {
	today := store.Date{Y: 2026, M: 6, D: 1}
	src := `ignore:
  - rule: connection-method-not-default
    match: soap
    reason: testing SOAP
    expires: %s
`
	tests := []struct {
		expires     string
		ignored     bool
		noteContain string
	}{
		{"2026-06-30", true, ""},
		{"2026-06-01", true, ""}, // the last day it ignores
		{"2026-05-31", false, "ignore entry at line 2 for rule connection-method-not-default expired on 2026-05-31"},
	}
	for _, tt := range tests {
		cfg := parse(t, strings.Replace(src, "%s", tt.expires, 1))
		res := checks.RunWith(connectionStore(), checks.Rules(), cfg, today)
		if got := len(res.Ignored) == 1; got != tt.ignored {
			t.Errorf("expires %s: ignored = %v, want %v (findings %v)", tt.expires, got, tt.ignored, names(res.Findings))
		}
		if tt.ignored {
			if len(res.Findings) != 0 || res.Ignored[0].Reason != "testing SOAP" || res.Ignored[0].Line != 2 {
				t.Errorf("expires %s: findings %v, ignored %+v", tt.expires, names(res.Findings), res.Ignored)
			}
			if checks.ExitCode(res, checks.Warning) != checks.ExitOK {
				t.Errorf("expires %s: an ignored finding must not fail the run", tt.expires)
			}
		} else if checks.ExitCode(res, checks.Warning) != checks.ExitFindings {
			t.Errorf("expires %s: the finding is back, and fails --fail-on warning", tt.expires)
		}
		var notes []string
		for _, n := range res.ConfigNotes {
			notes = append(notes, n.Message)
		}
		if tt.noteContain == "" && len(notes) > 0 || tt.noteContain != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.noteContain)) {
			t.Errorf("expires %s: notes %q, want %q", tt.expires, notes, tt.noteContain)
		}
	}
}

func TestRunWithUnusedEntries(t *testing.T) {
	cfg := parse(t, `ignore:
  - rule: connection-method-not-default
    match: rest
    reason: wrong match
  - rule: associate-id-missing
    reason: the rule runs and finds nothing
  - rule: abandoned-carts
    reason: no cart reports given, so it did not run
  - rule: connection-method-not-default
    match: settings.php
    reason: matches the evidence path
`)
	res := checks.RunWith(connectionStore(), checks.Rules(), cfg, store.Date{Y: 2026, M: 1, D: 1})
	if len(res.Ignored) != 1 || res.Ignored[0].Line != 9 {
		t.Errorf("want the finding ignored by the entry at line 9 (an evidence path), got %+v", res.Ignored)
	}
	var lines []int
	for _, n := range res.ConfigNotes {
		lines = append(lines, n.Line)
		if !strings.Contains(n.Message, "unused") {
			t.Errorf("note %q should say unused", n.Message)
		}
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 5 {
		t.Errorf("unused entries at lines %v, want [2 5] (a rule that did not run is not called unused)", lines)
	}
}

func TestRunWithDisableAndEnableOnly(t *testing.T) {
	res := checks.RunWith(connectionStore(), checks.Rules(), parse(t, "disable: [connection-method-not-default]\n"), store.Date{})
	if len(res.Findings) != 0 || len(res.Disabled) != 1 || res.Disabled[0].Name != "connection-method-not-default" {
		t.Errorf("disable: findings %v, disabled %v", names(res.Findings), res.Disabled)
	}
	res = checks.RunWith(connectionStore(), checks.Rules(), parse(t, "enable-only: [associate-id-missing, AOM105]\n"), store.Date{})
	if len(res.Disabled) != len(checks.Rules())-2 {
		t.Errorf("enable-only: %d disabled, want all but 2", len(res.Disabled))
	}
	for _, sk := range res.Skipped {
		t.Errorf("enable-only: a rule not enabled was skipped rather than disabled: %s", sk.Rule.Name)
	}
	if got := names(res.Findings); len(got) != 1 || got[0] != "connection-method-not-default" {
		t.Errorf("enable-only: findings %v", got)
	}
}

func TestRunWithSeverityChangesExitCode(t *testing.T) {
	plain := checks.Run(connectionStore(), checks.Rules())
	if checks.ExitCode(plain, checks.Error) != checks.ExitOK {
		t.Fatal("without config the SOAP warning should pass --fail-on error")
	}
	res := checks.RunWith(connectionStore(), checks.Rules(), parse(t, "severity:\n  connection-method-not-default: error\n"), store.Date{})
	if len(res.Findings) != 1 || res.Findings[0].Severity != checks.Error {
		t.Fatalf("findings %+v", res.Findings)
	}
	if checks.ExitCode(res, checks.Error) != checks.ExitFindings {
		t.Error("raised to error, the finding should fail --fail-on error")
	}
	res = checks.RunWith(connectionStore(), checks.Rules(), parse(t, "severity:\n  connection-method-not-default: info\n"), store.Date{})
	if checks.ExitCode(res, checks.Warning) != checks.ExitOK {
		t.Error("lowered to info, the finding should pass --fail-on warning")
	}
}

func TestRunWithStoreFacts(t *testing.T) {
	cfg := parse(t, "store:\n  name: Knit Wits\n  edition: lite\n  marketplace: Amazon.co.uk\n")
	s := connectionStore()
	s.Settings = store.NewSettings()
	s.Settings.Set(store.Value{Key: "AmazonAssociateId", Text: "knitwitstore-20", Source: store.Source{Path: "settings.php", Line: 3}})
	res := checks.RunWith(s, checks.Rules(), cfg, store.Date{})
	if s.Name != "Knit Wits" || s.Edition != "lite" {
		t.Errorf("store facts not applied: name %q edition %q", s.Name, s.Edition)
	}
	if v, _ := s.Settings.Get("AmazonStoreType"); v.Text != "Amazon.co.uk" || v.Source.Line != 4 {
		t.Errorf("marketplace not filled in: %+v", v)
	}
	// A -20 ID on a UK store: the marketplace from the config is judged.
	if got := names(res.Findings); !strings.Contains(strings.Join(got, " "), "associate-id-wrong-marketplace") {
		t.Errorf("findings %v, want associate-id-wrong-marketplace", got)
	}
	// Evidence wins over the config: a store type in the settings stays, and
	// --edition (already set) stays.
	s2 := connectionStore()
	s2.Edition = "full"
	checks.RunWith(s2, checks.Rules(), cfg, store.Date{})
	if v, _ := s2.Settings.Get("AmazonStoreType"); v.Text != "Amazon.com" || s2.Edition != "full" {
		t.Errorf("the config overrode the evidence: %q, %q", v.Text, s2.Edition)
	}
	// Without settings, the marketplace does not invent any.
	s3 := &store.Store{}
	checks.RunWith(s3, checks.Rules(), cfg, store.Date{})
	if s3.Settings != nil {
		t.Error("store.marketplace created settings")
	}
}

func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(deep, "settings.php")
	if err := os.WriteFile(file, []byte("<?php"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := evidence.FindConfig(deep); ok {
		t.Fatalf("found %s before any was written", p)
	}
	want := filepath.Join(root, "a", checks.ConfigFile)
	if err := os.WriteFile(want, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, start := range []string{deep, file, filepath.Join(root, "a")} {
		if p, ok := evidence.FindConfig(start); !ok || p != want {
			t.Errorf("FindConfig(%s) = %q, %v; want %q", start, p, ok, want)
		}
	}
	if _, err := evidence.LoadConfig(filepath.Join(root, "nope.yml")); err == nil {
		t.Error("a missing --config file should be an error")
	}
}
