package checks

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

func fakeRule(id string, sev Severity, check func(*store.Store) []Finding) *Rule {
	return &Rule{ID: id, Name: "fake-" + strings.ToLower(id), Title: "Fake", Severity: sev, Needs: NeedSettings, Fix: "Do the fake fix.", Check: check}
}

func oneFinding(msg string) func(*store.Store) []Finding {
	return func(*store.Store) []Finding { return []Finding{{Message: msg}} }
}

func TestRunPanickingRule(t *testing.T) {
	before := fakeRule("AOM901", Warning, oneFinding("before"))
	boom := fakeRule("AOM902", Error, func(*store.Store) []Finding { panic("boom") })
	after := fakeRule("AOM903", Error, oneFinding("after"))

	res := Run(settingsStore(filler), []*Rule{before, boom, after})

	if len(res.Failed) != 1 || res.Failed[0].Rule != boom {
		t.Fatalf("failed %v, want only %s", res.Failed, boom.ID)
	}
	msg := res.Failed[0].Error()
	for _, want := range []string{"AOM902", "fake-aom902", "panic: boom"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if got := messages(res.Findings); !reflect.DeepEqual(got, []string{"after", "before"}) {
		t.Errorf("findings %v, want the other rules' (worst first)", got)
	}
	if got := ExitCode(res, Never); got != ExitRuleFailed {
		t.Errorf("exit %d, want %d", got, ExitRuleFailed)
	}
}

func TestRunSkipsRulesWithoutEvidence(t *testing.T) {
	called := false
	r := fakeRule("AOM901", Error, func(*store.Store) []Finding { called = true; return nil })
	for name, s := range map[string]*store.Store{
		"no settings":    {Name: "x"},
		"empty settings": {Name: "x", Settings: store.NewSettings()},
	} {
		t.Run(name, func(t *testing.T) {
			res := Run(s, append(Rules(), r))
			if called {
				t.Error("a rule without its evidence was run")
			}
			if len(res.Findings) != 0 || len(res.Failed) != 0 {
				t.Errorf("findings %v, failed %v, want none", messages(res.Findings), res.Failed)
			}
			if len(res.Skipped) != len(Rules())+1 {
				t.Fatalf("%d skipped, want every rule", len(res.Skipped))
			}
			for _, sk := range res.Skipped {
				if sk.Missing != sk.Rule.Needs {
					t.Errorf("%s: missing %v, want all it needs, %v", sk.Rule.Name, sk.Missing, sk.Rule.Needs)
				}
				if sk.Advice == "" || sk.Advice != sk.Rule.Needs.Advice() {
					t.Errorf("%s: advice %q, want %q", sk.Rule.Name, sk.Advice, sk.Rule.Needs.Advice())
				}
				if sk.Rule.Needs&NeedSettings != 0 && !strings.Contains(sk.Advice, "settings") {
					t.Errorf("%s: advice %q does not say to add the settings", sk.Rule.Name, sk.Advice)
				}
			}
		})
	}
}

func TestRunFillsDefaults(t *testing.T) {
	r := fakeRule("AOM901", Warning, func(*store.Store) []Finding {
		return []Finding{{Message: "own", Severity: Info, Fix: "Own fix."}, {Message: "defaults"}}
	})
	res := Run(settingsStore(filler), []*Rule{r})
	if len(res.Findings) != 2 {
		t.Fatalf("want 2 findings, got %v", messages(res.Findings))
	}
	d, own := res.Findings[0], res.Findings[1] // worst first
	if d.Rule != r || d.Severity != Warning || d.Fix != r.Fix || d.Evidence == nil {
		t.Errorf("defaults not filled in: %+v", d)
	}
	if own.Severity != Info || own.Fix != "Own fix." {
		t.Errorf("a finding's own severity and fix were replaced: %+v", own)
	}
}

func TestExitCode(t *testing.T) {
	withFindings := func(sevs ...Severity) *Result {
		res := &Result{Store: &store.Store{}}
		for _, s := range sevs {
			res.Findings = append(res.Findings, Finding{Severity: s})
		}
		return res
	}
	badInput := withFindings(Error)
	badInput.Store.Inputs = []store.Input{{Path: "x.bin", Kind: store.KindUnknown, Err: errors.New("not recognised")}}
	failed := withFindings(Error)
	failed.Store.Inputs = badInput.Store.Inputs
	failed.Failed = []RuleError{{Rule: &Rule{ID: "AOM999", Name: "boom"}, Err: errors.New("panic")}}

	for _, c := range []struct {
		name   string
		res    *Result
		failOn Severity
		want   int
	}{
		{"nothing found, fail on info", withFindings(), Info, ExitOK},
		{"nothing found, never", withFindings(), Never, ExitOK},
		{"info, fail on info", withFindings(Info), Info, ExitFindings},
		{"info, fail on warning", withFindings(Info), Warning, ExitOK},
		{"warning, fail on info", withFindings(Warning), Info, ExitFindings},
		{"warning, fail on warning", withFindings(Info, Warning), Warning, ExitFindings},
		{"warning, fail on error", withFindings(Info, Warning), Error, ExitOK},
		{"error, fail on error", withFindings(Warning, Error), Error, ExitFindings},
		{"error, never", withFindings(Error), Never, ExitOK},
		{"unreadable input outranks findings", badInput, Error, ExitBadInput},
		{"unreadable input, never", badInput, Never, ExitBadInput},
		{"failed rule outranks everything", failed, Info, ExitRuleFailed},
		{"failed rule, never", failed, Never, ExitRuleFailed},
	} {
		if got := ExitCode(c.res, c.failOn); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}
