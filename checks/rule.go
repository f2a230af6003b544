// Package checks holds the rule engine and the rules: each rule judges the
// evidence in a store.Store and returns findings. Rules never open files,
// parse HTML or print; readers (checks/evidence) never judge; renderers never
// decide what is wrong.
package checks

import (
	"fmt"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

// The severities, in order.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Info || s > Error {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads "info", "warning" or "error", in any case.
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", name)
}

// Need is a set of kinds of evidence a rule judges.
type Need uint

// The kinds of evidence rules can need.
const (
	NeedSettings    Need = 1 << iota // the store's AOM settings
	NeedLinkType                     // the Link-Type report
	NeedCartReports                  // AOM cart-report emails
	NeedOrders                       // the Orders report
	NeedReportIDs                    // a report that names tracking IDs: Tracking ID Summary, Earnings or Orders
	NeedLinks                        // Amazon links: a link list, cart reports or store pages that carry them
	NeedPeriod                       // the report period: from a report's title or text, or --period
	NeedPages                        // the store's own pages: saved from the browser, or fetched with scan / --site
)

// needInfo names each kind of evidence and says what a user adds to have it.
var needInfo = []struct {
	need      Need
	name, add string
}{
	{NeedSettings, "AOM settings", "add the store's settings: the settings PHP file, the control panel's settings page saved from your browser, or a JSON, YAML or key = value export"},
	{NeedLinkType, "Link-Type report", "add your Link-Type report (Associates Central > Reports > Link-Type, downloaded as CSV or saved from the browser) to check clicks"},
	{NeedCartReports, "cart reports", "add your AOM cart-report emails (saved .eml files or an mbox export of the folder they arrive in)"},
	{NeedOrders, "Orders report", "add your Orders report (Associates Central > Reports > Orders, downloaded as CSV or saved from the browser)"},
	{NeedReportIDs, "a report with tracking IDs", "add your Tracking ID Summary, Earnings or Orders report: they show which tracking IDs really exist on your account"},
	{NeedLinks, "Amazon links", "add links to check: a text file of URLs (one a line), or cart-report emails that carry them"},
	{NeedPages, "store pages", "add pages saved from your store (File > Save Page As), or check the live store with --site URL or 'aomdoctor scan URL'"},
	{NeedPeriod, "report period", "give the report period: a report downloaded with its title line, or --period YYYY-MM-DD..YYYY-MM-DD"},
}

// Split lists the single kinds of evidence in n, in a fixed order.
func (n Need) Split() []Need {
	var out []Need
	for _, ni := range needInfo {
		if n&ni.need != 0 {
			out = append(out, ni.need)
		}
	}
	return out
}

// Names lists the kinds of evidence in n, for `aomdoctor rules`.
func (n Need) Names() []string {
	var out []string
	for _, ni := range needInfo {
		if n&ni.need != 0 {
			out = append(out, ni.name)
		}
	}
	return out
}

func (n Need) String() string { return strings.Join(n.Names(), ", ") }

// Missing returns what of n the store lacks (zero when it has everything).
func (n Need) Missing(s *store.Store) Need {
	var have Need
	if s.Settings != nil && s.Settings.Len() > 0 {
		have |= NeedSettings
	}
	if s.Reports.Has(store.KindReportLinkType) {
		have |= NeedLinkType
	}
	if s.Carts != nil && s.Carts.Count > 0 {
		have |= NeedCartReports
	}
	if s.Reports.Has(store.KindReportOrders) {
		have |= NeedOrders
	}
	if s.Reports != nil && len(s.Reports.IDs) > 0 {
		have |= NeedReportIDs
	}
	if s.Links != nil && s.Links.Total > 0 {
		have |= NeedLinks
	}
	if s.ReportPeriod().Known() {
		have |= NeedPeriod
	}
	if s.Pages != nil && (s.Pages.Read > 0 || s.Pages.StartErr != "") {
		have |= NeedPages
	}
	return n &^ have
}

// Advice says what to add for the evidence in n.
func (n Need) Advice() string {
	var out []string
	for _, ni := range needInfo {
		if n&ni.need != 0 {
			out = append(out, ni.add)
		}
	}
	return strings.Join(out, "; ")
}

// A Rule is one diagnosis. Rules are values listed in one registry slice.
type Rule struct {
	ID       string   // "AOM101": never reused, never renumbered
	Name     string   // "associate-id-missing": what users type and grep
	Title    string   // sentence case, no period
	Severity Severity // the default; a finding may carry another
	Needs    Need     // the evidence it judges; the engine skips it when absent
	Explain  string   // why it matters, in a support person's words
	Fix      string   // imperative, ends with a period
	Check    func(*store.Store) []Finding
}

// Evidence points at the place a person can see a finding's proof.
type Evidence struct {
	Path  string `json:"path"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
}

// FromSource makes evidence of a value's source.
func FromSource(src store.Source) Evidence {
	return Evidence{Path: src.Path, Line: src.Line, Field: src.Field}
}

// Finding is one thing found, with the values that prove it.
type Finding struct {
	Rule     *Rule
	Severity Severity // zero means the rule's default
	Message  string   // lower case, no period, quotes the offending value
	Fix      string   // the specific action; the rule's Fix when empty
	Evidence []Evidence
}
