package render

import (
	"encoding/json"
	"io"

	"github.com/aomdoctor/aomdoctor/checks"
)

// JSONVersion is the version of the JSON shape; it changes only when a field
// is removed or changes meaning, never when one is added.
const JSONVersion = 1

// The JSON report, documented in the README. Lists are always [], never null.
type jsonReport struct {
	Version  int            `json:"version"`
	Store    jsonStore      `json:"store"`
	Findings []jsonFinding  `json:"findings"`
	Skipped  []jsonSkipped  `json:"skipped"`
	Failed   []jsonFailed   `json:"failed"`
	Summary  checks.Summary `json:"summary"`

	// What a config did; empty lists without one.
	Ignored     []jsonIgnored    `json:"ignored"`
	Disabled    []jsonDisabled   `json:"disabled"`
	ConfigNotes []jsonConfigNote `json:"config_notes"`
}

type jsonStore struct {
	Name   string      `json:"name"`
	Inputs []jsonInput `json:"inputs"`
	Period jsonPeriod  `json:"period"`
	AsOf   string      `json:"as_of,omitempty"` // the day taken as today, when dated evidence was given
	Pages  *jsonPages  `json:"pages,omitempty"` // present when a live store was fetched
}

// jsonPages is what a crawl of the live store read and what it could not.
type jsonPages struct {
	Start      string           `json:"start"`
	StartError string           `json:"start_error,omitempty"`
	Read       int              `json:"read"`
	Failed     []jsonPageFailed `json:"failed"`
}

type jsonPageFailed struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// jsonPeriod is the report period; known is false (and the rest empty) when
// neither the reports nor --period gave one.
type jsonPeriod struct {
	Known  bool   `json:"known"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Days   int    `json:"days,omitempty"`
	Source string `json:"source,omitempty"`
}

type jsonInput struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Error string `json:"error,omitempty"`
}

type jsonFinding struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Severity checks.Severity   `json:"severity"`
	Title    string            `json:"title"`
	Message  string            `json:"message"`
	Fix      string            `json:"fix"`
	Evidence []checks.Evidence `json:"evidence"`
}

type jsonSkipped struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Needs  string `json:"needs"`
	Advice string `json:"advice"`
}

type jsonFailed struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Error string `json:"error"`
}

// NewJSONReport builds the JSON object of a result; triage and other formats
// that embed a store's report reuse it.
func NewJSONReport(res *checks.Result) any {
	rep := jsonReport{
		Version:  JSONVersion,
		Store:    jsonStore{Name: res.Store.Name, Inputs: []jsonInput{}},
		Findings: []jsonFinding{},
		Skipped:  []jsonSkipped{},
		Failed:   []jsonFailed{},
		Summary:  res.Summary(),
	}
	if p := res.Store.ReportPeriod(); p.Known() {
		rep.Store.Period = jsonPeriod{Known: true, From: p.From.String(), To: p.To.String(), Days: p.Days(), Source: Location(checks.FromSource(p.Source))}
	}
	// "Today" matters only to dated evidence; leaving it out otherwise keeps
	// the report of a settings-only store the same from day to day.
	if !res.Store.AsOf.IsZero() && (res.Store.Reports != nil || res.Store.Carts != nil) {
		rep.Store.AsOf = res.Store.AsOf.String()
	}
	if pg := res.Store.Pages; pg != nil && pg.Start != "" {
		jp := &jsonPages{Start: pg.Start, StartError: pg.StartErr, Read: pg.Read, Failed: []jsonPageFailed{}}
		for _, f := range pg.Failed {
			jp.Failed = append(jp.Failed, jsonPageFailed{URL: f.URL, Reason: f.Reason})
		}
		rep.Store.Pages = jp
	}
	for _, in := range res.Store.Inputs {
		ji := jsonInput{Path: in.Path, Kind: string(in.Kind)}
		if in.Err != nil {
			ji.Error = in.Err.Error()
		}
		rep.Store.Inputs = append(rep.Store.Inputs, ji)
	}
	for _, f := range res.Findings {
		ev := f.Evidence
		if ev == nil {
			ev = []checks.Evidence{}
		}
		rep.Findings = append(rep.Findings, jsonFinding{
			ID: f.Rule.ID, Name: f.Rule.Name, Severity: f.Severity, Title: f.Rule.Title,
			Message: f.Message, Fix: f.Fix, Evidence: ev,
		})
	}
	for _, s := range res.Skipped {
		rep.Skipped = append(rep.Skipped, jsonSkipped{ID: s.Rule.ID, Name: s.Rule.Name, Needs: s.Missing.String(), Advice: s.Advice})
	}
	for _, fe := range res.Failed {
		rep.Failed = append(rep.Failed, jsonFailed{ID: fe.Rule.ID, Name: fe.Rule.Name, Error: fe.Err.Error()})
	}
	addConfigJSON(&rep, res)
	return rep
}

// JSON writes the report as one indented JSON object.
func JSON(w io.Writer, res *checks.Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(NewJSONReport(res))
}
