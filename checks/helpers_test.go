package checks

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// kv is one setting of a test store, on line i+1 of settings.php (or of
// definitions.php when it is only AOM's default).
type kv struct {
	key, val string
	def      bool     // only AOM's default: the store never set it
	list     []string // a checkbox list such as Reports
}

// settingsStore builds a store whose settings are kvs, read from
// settings.php as the evidence readers would record them.
func settingsStore(kvs ...kv) *store.Store {
	st := store.NewSettings()
	st.Sources = []string{"settings.php"}
	for i, x := range kvs {
		path := "settings.php"
		if x.def {
			path = "definitions.php"
		}
		text := x.val
		if x.list != nil && text == "" {
			text = strings.Join(x.list, ", ")
		}
		st.Set(store.Value{
			Key: x.key, Text: text, List: x.list, IsList: x.list != nil, Default: x.def,
			Source: store.Source{Path: path, Line: i + 1, Field: x.key},
		})
	}
	return &store.Store{Name: "test", Settings: st}
}

// filler is a setting no rule judges, for stores that must have settings but
// lack the key under test.
var filler = kv{key: "PageCaching", val: "On"}

func ev(line int, field string) Evidence {
	return Evidence{Path: "settings.php", Line: line, Field: field}
}

// runRule runs r alone through the engine, so findings get the defaults a
// user sees.
func runRule(t *testing.T, r *Rule, s *store.Store) []Finding {
	t.Helper()
	res := Run(s, []*Rule{r})
	if len(res.Failed) > 0 || len(res.Skipped) > 0 {
		t.Fatalf("rule did not run: failed %v, skipped %v", res.Failed, res.Skipped)
	}
	return res.Findings
}

// ruleCase is one store and what a rule must say about it.
type ruleCase struct {
	name   string
	set    []kv
	quiet  bool       // no finding at all
	sev    Severity   // zero: the rule's default
	msg    []string   // each must be in the message
	notMsg []string   // none may be in the message
	fix    []string   // each must be in the finding's fix
	ev     []Evidence // the exact evidence
}

func runCases(t *testing.T, r *Rule, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkFinding(t, r, runRule(t, r, settingsStore(c.set...)), expect{
				quiet: c.quiet, sev: c.sev, msg: c.msg, notMsg: c.notMsg, fix: c.fix, ev: c.ev,
			})
		})
	}
}

// expect is what a rule must say about one store, whichever way the store
// was built.
type expect struct {
	quiet       bool
	sev         Severity
	msg, notMsg []string // each must be / none may be in the message
	fix, notFix []string // each must be / none may be in the fix
	ev          []Evidence
}

// checkFinding holds a rule's findings on one store to e: none when quiet,
// else exactly one, in the house style, with the severity, message, fix and
// evidence asked for.
func checkFinding(t *testing.T, r *Rule, fs []Finding, e expect) {
	t.Helper()
	if e.quiet {
		for _, f := range fs {
			t.Errorf("want no finding, got %s: %s", f.Severity, f.Message)
		}
		return
	}
	if len(fs) != 1 {
		t.Fatalf("want 1 finding, got %d: %v", len(fs), messages(fs))
	}
	f := fs[0]
	t.Logf("%s %s: %s\nfix: %s", r.Name, f.Severity, f.Message, f.Fix)
	checkStyle(t, f)
	want := e.sev
	if want == 0 {
		want = r.Severity
	}
	if f.Severity != want {
		t.Errorf("severity %s, want %s", f.Severity, want)
	}
	for _, m := range e.msg {
		if !strings.Contains(f.Message, m) {
			t.Errorf("message lacks %q:\n%s", m, f.Message)
		}
	}
	for _, m := range e.notMsg {
		if strings.Contains(f.Message, m) {
			t.Errorf("message has %q:\n%s", m, f.Message)
		}
	}
	for _, m := range e.fix {
		if !strings.Contains(f.Fix, m) {
			t.Errorf("fix lacks %q:\n%s", m, f.Fix)
		}
	}
	for _, m := range e.notFix {
		if strings.Contains(f.Fix, m) {
			t.Errorf("fix has %q:\n%s", m, f.Fix)
		}
	}
	if e.ev != nil && !reflect.DeepEqual(f.Evidence, e.ev) {
		t.Errorf("evidence %+v, want %+v", f.Evidence, e.ev)
	}
}

// checkStyle holds a finding to DESIGN.md's writing style.
func checkStyle(t *testing.T, f Finding) {
	t.Helper()
	if f.Message == "" || unicode.IsUpper([]rune(f.Message)[0]) && !strings.HasPrefix(f.Message, "AOM") {
		t.Errorf("message should start in lower case: %q", f.Message)
	}
	if strings.HasSuffix(f.Message, ".") {
		t.Errorf("message should not end with a period: %q", f.Message)
	}
	if !strings.HasSuffix(f.Fix, ".") {
		t.Errorf("fix should end with a period: %q", f.Fix)
	}
	if len(f.Evidence) == 0 {
		t.Errorf("finding cites no evidence: %q", f.Message)
	}
}

func messages(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Message)
	}
	return out
}
