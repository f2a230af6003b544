package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the format
// code-scanning dashboards read. Only the parts aomdoctor fills are modelled.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// InformationURI is where the tool's documentation lives.
	InformationURI = "https://github.com/aomdoctor/aomdoctor"
	// sarifFingerprint names the fingerprint scheme; bump the version when
	// what goes into it changes, so dashboards do not match old to new.
	sarifFingerprint = "aomdoctor/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifMultiText     `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string                    `json:"level"`
	Message        sarifText                 `json:"message"`
	Locations      []sarifLocation           `json:"locations,omitempty"`
	AssociatedRule *sarifReportingDescriptor `json:"associatedRule,omitempty"`
}

type sarifReportingDescriptor struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

// sarifLevel maps a severity to SARIF's level.
func sarifLevel(s checks.Severity) string {
	switch s {
	case checks.Error:
		return "error"
	case checks.Warning:
		return "warning"
	}
	return "note"
}

// SARIF writes the result as a SARIF 2.1.0 log of one run: one rule entry
// per rule of the registry, one result per finding.
func SARIF(w io.Writer, res *checks.Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(newSARIF(res))
}

func newSARIF(res *checks.Result) sarifLog {
	rules, index := sarifRules(res)
	kinds := map[string]store.Kind{}
	for _, in := range res.Store.Inputs {
		kinds[in.Path] = in.Kind
	}

	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: "aomdoctor", InformationURI: InformationURI, Rules: rules}},
		Results: []sarifResult{},
	}
	if res.Store.Name != "" {
		run.Properties = map[string]any{"store": res.Store.Name}
	}
	for _, f := range res.Findings {
		r := sarifResult{
			RuleID:              f.Rule.ID,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: sentence(f.Message) + " Fix: " + f.Fix},
			Locations:           []sarifLocation{},
			PartialFingerprints: map[string]string{sarifFingerprint: fingerprint(res.Store.Name, f)},
			Properties:          map[string]any{"name": f.Rule.Name, "fix": f.Fix},
		}
		for _, e := range f.Evidence {
			r.Locations = append(r.Locations, sarifLocationOf(e, kinds[e.Path]))
		}
		if len(r.Locations) == 0 {
			// SARIF consumers want somewhere to show a result: the store itself.
			r.Locations = append(r.Locations, sarifLocation{LogicalLocations: []sarifLogical{{Name: res.Store.Name, FullyQualifiedName: "store/" + res.Store.Name, Kind: "module"}}})
		}
		run.Results = append(run.Results, r)
	}

	inv := sarifInvocation{ExecutionSuccessful: len(res.Failed) == 0 && len(res.InputErrors()) == 0}
	for _, in := range res.InputErrors() {
		n := sarifNotification{Level: "error", Message: sarifText{Text: in.Path + ": " + in.Err.Error()}}
		if loc, ok := sarifPhysicalOf(checks.Evidence{Path: in.Path}); ok {
			n.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	for _, fe := range res.Failed {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:          "error",
			Message:        sarifText{Text: fe.Error() + ": this is a bug in aomdoctor; please report it with the input that caused it"},
			AssociatedRule: &sarifReportingDescriptor{ID: fe.Rule.ID, Index: index[fe.Rule]},
		})
	}
	// A skipped rule is not a failure, but a dashboard showing no results
	// should say which rules had nothing to judge.
	for _, s := range res.Skipped {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:          "note",
			Message:        sarifText{Text: "not checked without " + s.Missing.String() + ": " + s.Advice},
			AssociatedRule: &sarifReportingDescriptor{ID: s.Rule.ID, Index: index[s.Rule]},
		})
	}
	run.Invocations = []sarifInvocation{inv}

	return sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

// sarifRules is every rule of the registry, plus any other rule the result
// names (a test's), and each rule's index in that list.
func sarifRules(res *checks.Result) ([]sarifRule, map[*checks.Rule]int) {
	var all []*checks.Rule
	index := map[*checks.Rule]int{}
	add := func(r *checks.Rule) {
		if _, ok := index[r]; !ok {
			index[r] = len(all)
			all = append(all, r)
		}
	}
	for _, r := range checks.Rules() {
		add(r)
	}
	for _, f := range res.Findings {
		add(f.Rule)
	}
	for _, s := range res.Skipped {
		add(s.Rule)
	}
	for _, fe := range res.Failed {
		add(fe.Rule)
	}
	out := make([]sarifRule, len(all))
	for i, r := range all {
		explain := strings.Join(strings.Fields(r.Explain), " ")
		out[i] = sarifRule{
			ID:               r.ID,
			Name:             r.Name,
			ShortDescription: sarifText{Text: r.Title},
			FullDescription:  sarifText{Text: explain},
			Help: sarifMultiText{
				Text:     explain + "\n\nFix: " + r.Fix,
				Markdown: "**" + mdInline(r.Title) + "** (`" + r.Name + "`)\n\n" + mdInline(explain) + "\n\n**Fix:** " + mdInline(r.Fix),
			},
			HelpURI:              InformationURI + "#rules",
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)},
		}
	}
	return out, index
}

// fingerprint identifies a finding across runs: the store, the rule, and what
// its evidence points at and says, but never line numbers, which move when
// a file is edited above the finding.
func fingerprint(storeName string, f checks.Finding) string {
	h := sha256.New()
	w := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	w(storeName)
	w(f.Rule.ID)
	for _, e := range f.Evidence {
		w(filepath.ToSlash(e.Path))
		w(e.Field)
	}
	w(f.Message)
	return hex.EncodeToString(h.Sum(nil))
}

// sarifLocationOf places one piece of evidence: a file (and line) as a
// physical location, a setting, report column or page URL as a logical one.
func sarifLocationOf(e checks.Evidence, kind store.Kind) sarifLocation {
	var loc sarifLocation
	if phys, ok := sarifPhysicalOf(e); ok {
		loc.PhysicalLocation = phys
	}
	// A line is enough to find a value; without one, or for a setting or
	// column, the logical location names the place in the store's terms.
	if e.Line == 0 || e.Field != "" || loc.PhysicalLocation == nil {
		loc.LogicalLocations = []sarifLogical{logicalOf(e, kind)}
	}
	return loc
}

// isURL reports whether an evidence path is a page of a live store.
func isURL(p string) bool {
	return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
}

// sarifPhysicalOf is the physical location of evidence in a file; false for
// a page URL or a flag such as --period.
func sarifPhysicalOf(e checks.Evidence) (*sarifPhysical, bool) {
	if e.Path == "" || isURL(e.Path) || strings.HasPrefix(e.Path, "-") {
		return nil, false
	}
	phys := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(e.Path)}}
	if e.Line > 0 {
		phys.Region = &sarifRegion{StartLine: e.Line}
	}
	return phys, true
}

// fileURI turns a path as the user named it into a URI reference: forward
// slashes, each segment percent-encoded; an absolute path becomes file:///.
func fileURI(p string) string {
	slashed := filepath.ToSlash(p)
	segs := strings.Split(slashed, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.Join(segs, "/")
	if filepath.IsAbs(p) {
		if !strings.HasPrefix(u, "/") {
			u = "/" + u // a Windows drive letter
		}
		return "file://" + u
	}
	return u
}

// logicalPrefix names the kind of place a field sits in.
var logicalPrefix = map[store.Kind]string{
	store.KindSettingsPHP:       "settings",
	store.KindSettingsHTML:      "settings",
	store.KindSettingsJSON:      "settings",
	store.KindSettingsYAML:      "settings",
	store.KindSettingsINI:       "settings",
	store.KindReportLinkType:    "report/link-type",
	store.KindReportOrders:      "report/orders",
	store.KindReportTracking:    "report/tracking",
	store.KindReportEarnings:    "report/earnings",
	store.KindReportDailyTrends: "report/daily-trends",
	store.KindCartReports:       "cart-reports",
	store.KindLinkList:          "links",
	store.KindStorePage:         "page",
}

func logicalOf(e checks.Evidence, kind store.Kind) sarifLogical {
	switch {
	case isURL(e.Path):
		l := sarifLogical{Name: e.Path, FullyQualifiedName: e.Path, Kind: "page"}
		if e.Field != "" {
			l.FullyQualifiedName += "#" + e.Field
		}
		return l
	case strings.HasPrefix(e.Path, "-"):
		return sarifLogical{Name: e.Path, FullyQualifiedName: "option/" + strings.TrimLeft(e.Path, "-"), Kind: "parameter"}
	}
	prefix := logicalPrefix[kind]
	if prefix == "" {
		prefix = "file"
	}
	if e.Field == "" {
		return sarifLogical{Name: filepath.Base(e.Path), FullyQualifiedName: prefix + "/" + filepath.ToSlash(e.Path), Kind: "file"}
	}
	kindName := "field"
	if strings.HasPrefix(prefix, "settings") {
		kindName = "setting"
	}
	return sarifLogical{Name: e.Field, FullyQualifiedName: prefix + "/" + e.Field, Kind: kindName}
}

// mdInline escapes the characters that would turn prose into Markdown markup.
func mdInline(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "|", `\|`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}
