// Package render turns a checks.Result into the formats people and tools
// read: one file per format. Renderers never decide what is wrong; they show
// what the rules found, in the order the engine gave.
package render

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// DefaultWidth is the column text output wraps at.
const DefaultWidth = 100

// Options tune a human format; machine formats ignore them.
type Options struct {
	Color   bool   // ANSI colour: only when writing to a terminal
	Verbose bool   // list every input and the kind it was taken for
	Command string // the command that ran ("check", "scan"), for the report's first line
	Width   int    // wrap prose at this column; 0 means never wrap

	Quiet       bool            // only the findings at or above FailOn
	FailOn      checks.Severity // the --fail-on threshold, for Quiet
	ShowIgnored bool            // list the findings the config ignores, not just count them
}

// Format is one output format.
type Format struct {
	Name   string
	Human  bool // read by a person: input problems are shown inside the report
	Render func(w io.Writer, res *checks.Result, opts Options) error
}

var formats = []Format{
	{Name: "text", Human: true, Render: Text},
	{Name: "json", Render: JSON},
	{Name: "sarif", Render: SARIF},
	{Name: "markdown", Human: true, Render: Markdown},
	{Name: "github", Render: GitHub},
	{Name: "html", Human: true, Render: HTML},
}

// Names lists the format names, for help text.
func Names() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

// Lookup finds a format by name; an unknown name is an error, never a
// silent fallback to text.
func Lookup(name string) (Format, error) {
	for _, f := range formats {
		if strings.EqualFold(f.Name, strings.TrimSpace(name)) {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Names(), ", "))
}

// kindLabels says in plain words what each input kind is.
var kindLabels = map[store.Kind]string{
	store.KindSettingsPHP:       "AOM settings (PHP file)",
	store.KindSettingsHTML:      "AOM settings (control panel page)",
	store.KindSettingsJSON:      "AOM settings (JSON export)",
	store.KindSettingsYAML:      "AOM settings (YAML export)",
	store.KindSettingsINI:       "AOM settings (key = value export)",
	store.KindReportLinkType:    "Amazon Link-Type report",
	store.KindReportOrders:      "Amazon Orders report",
	store.KindReportTracking:    "Amazon Tracking ID Summary report",
	store.KindReportEarnings:    "Amazon Earnings report",
	store.KindReportDailyTrends: "Amazon Daily Trends report",
	store.KindReportXML:         "Amazon report in XML (not read: download it as CSV)",
	store.KindCartReports:       "AOM cart-report emails",
	store.KindLinkList:          "list of Amazon links",
	store.KindStorePage:         "store page",
	store.KindIgnored:           "ignored (hidden file or image)",
	store.KindManifest:          "aomdoctor bundle manifest (list of files, not evidence)",
	store.KindPHPCode:           "PHP code that names no AOM setting (passed over)",
	store.KindUnknown:           "not recognised",
}

// KindLabel names an input kind for people.
func KindLabel(k store.Kind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// skippedGroup is the rules that wait on one kind of missing evidence.
type skippedGroup struct {
	Missing checks.Need
	Advice  string
	Rules   []*checks.Rule
}

// groupSkipped gathers skipped rules by each kind of evidence they lack, so
// the advice on what to add is given once; a rule that lacks two kinds is
// listed under both.
func groupSkipped(sk []checks.Skipped) []skippedGroup {
	var out []skippedGroup
	idx := map[checks.Need]int{}
	for _, s := range sk {
		for _, need := range s.Missing.Split() {
			i, ok := idx[need]
			if !ok {
				i = len(out)
				idx[need] = i
				out = append(out, skippedGroup{Missing: need, Advice: need.Advice()})
			}
			out[i].Rules = append(out[i].Rules, s.Rule)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Missing < out[b].Missing })
	return out
}

// Location formats evidence as path:line (field), the way editors and
// terminals make clickable.
func Location(e checks.Evidence) string {
	s := e.Path
	if e.Line > 0 {
		s = fmt.Sprintf("%s:%d", s, e.Line)
	}
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	return s
}
