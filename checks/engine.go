package checks

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Skipped is a rule that did not run because its evidence was absent.
type Skipped struct {
	Rule    *Rule
	Missing Need   // the evidence it lacked
	Advice  string // what to add to run it
}

// RuleError is a rule that failed (panicked) while judging.
type RuleError struct {
	Rule  *Rule
	Err   error
	Stack string // where it panicked, for the bug report
}

func (e RuleError) Error() string {
	return fmt.Sprintf("rule %s (%s) failed: %v", e.Rule.ID, e.Rule.Name, e.Err)
}

// Result is what a run found, in a stable order.
type Result struct {
	Store    *store.Store
	Findings []Finding
	Skipped  []Skipped
	Failed   []RuleError
	// Ignored are findings a config's ignore entry accepted: counted and
	// listed on request, never in Findings, so they never fail a run.
	Ignored []IgnoredFinding
	// Disabled are the rules a config kept from running.
	Disabled []*Rule
	// ConfigNotes say what in the config needs a look: expired and unused
	// ignore entries.
	ConfigNotes []ConfigNote
}

// Summary counts findings by severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Summary counts the result's findings by severity.
func (r *Result) Summary() Summary {
	var s Summary
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		default:
			s.Infos++
		}
	}
	return s
}

// Worst is the highest severity found, or zero when nothing was found.
func (r *Result) Worst() Severity {
	var w Severity
	for _, f := range r.Findings {
		w = max(w, f.Severity)
	}
	return w
}

// InputErrors lists the inputs that could not be read or recognised.
func (r *Result) InputErrors() []store.Input {
	var out []store.Input
	for _, in := range r.Store.Inputs {
		if in.Err != nil {
			out = append(out, in)
		}
	}
	return out
}

// Run judges s with every rule: rules whose evidence is absent are skipped,
// a rule that panics is recorded as failed and the others still run.
func Run(s *store.Store, rules []*Rule) *Result {
	return RunWith(s, rules, nil, store.Date{})
}

// RunWith is Run tuned by cfg (nil for none): disabled rules do not run,
// severities are overridden, and findings an ignore entry covers move to
// Ignored. today decides which entries have expired.
func RunWith(s *store.Store, rules []*Rule, cfg *Config, today store.Date) *Result {
	res := &Result{Store: s}
	if cfg != nil {
		cfg.applyStore(s)
	}
	for _, r := range rules {
		if !cfg.enabled(r) {
			res.Disabled = append(res.Disabled, r)
			continue
		}
		if miss := r.Needs.Missing(s); miss != 0 {
			res.Skipped = append(res.Skipped, Skipped{Rule: r, Missing: miss, Advice: miss.Advice()})
			continue
		}
		fs, stack, err := runOne(r, s)
		if err != nil {
			res.Failed = append(res.Failed, RuleError{Rule: r, Err: err, Stack: stack})
			continue
		}
		for _, f := range fs {
			f.Rule = r
			if f.Severity == 0 {
				f.Severity = r.Severity
			}
			if f.Fix == "" {
				f.Fix = r.Fix
			}
			if f.Evidence == nil {
				f.Evidence = []Evidence{}
			}
			res.Findings = append(res.Findings, f)
		}
	}
	if cfg != nil {
		cfg.apply(res, today)
	}
	sortFindings(res.Findings)
	return res
}

func runOne(r *Rule, s *store.Store) (fs []Finding, stack string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			stack = string(debug.Stack())
		}
	}()
	return r.Check(s), "", nil
}

// sortFindings orders findings worst first, then by rule ID, then by where
// their evidence is, then by message, so output is the same run after run.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return findingLess(fs[i], fs[j]) })
}

func findingLess(a, b Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if a.Rule.ID != b.Rule.ID {
		return a.Rule.ID < b.Rule.ID
	}
	if ka, kb := evidenceKey(a), evidenceKey(b); ka != kb {
		return ka < kb
	}
	return a.Message < b.Message
}

func evidenceKey(f Finding) string {
	if len(f.Evidence) == 0 {
		return ""
	}
	e := f.Evidence[0]
	return fmt.Sprintf("%s\x00%09d\x00%s", e.Path, e.Line, strings.ToLower(e.Field))
}

// Exit codes, never renumbered.
const (
	ExitOK         = 0 // nothing at or above --fail-on
	ExitFindings   = 1 // findings at or above --fail-on
	ExitBadInput   = 2 // a usage error or an input that could not be read
	ExitRuleFailed = 3 // a rule failed
)

// Never is the --fail-on threshold that no finding reaches.
const Never Severity = Error + 1

// ExitCode is the one policy from a result to an exit code: a failed rule
// outranks an unreadable input, which outranks findings, because each hides
// more than the next.
func ExitCode(r *Result, failOn Severity) int {
	switch {
	case len(r.Failed) > 0:
		return ExitRuleFailed
	case len(r.InputErrors()) > 0:
		return ExitBadInput
	case r.Worst() >= failOn && r.Worst() != 0:
		return ExitFindings
	}
	return ExitOK
}
