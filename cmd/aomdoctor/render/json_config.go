package render

import "github.com/aomdoctor/aomdoctor/checks"

// jsonIgnored is a finding a config's ignore entry accepted: a finding's
// fields plus the entry's reason and line.
type jsonIgnored struct {
	jsonFinding
	Reason     string `json:"reason"`
	ConfigLine int    `json:"config_line"`
}

type jsonDisabled struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// jsonConfigNote is an expired or unused ignore entry.
type jsonConfigNote struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// addConfigJSON fills what the config did; the lists are [] without one.
func addConfigJSON(rep *jsonReport, res *checks.Result) {
	rep.Ignored, rep.Disabled, rep.ConfigNotes = []jsonIgnored{}, []jsonDisabled{}, []jsonConfigNote{}
	for _, ig := range res.Ignored {
		ev := ig.Evidence
		if ev == nil {
			ev = []checks.Evidence{}
		}
		rep.Ignored = append(rep.Ignored, jsonIgnored{
			jsonFinding: jsonFinding{ID: ig.Rule.ID, Name: ig.Rule.Name, Severity: ig.Severity, Title: ig.Rule.Title,
				Message: ig.Message, Fix: ig.Fix, Evidence: ev},
			Reason: ig.Reason, ConfigLine: ig.Line,
		})
	}
	for _, r := range res.Disabled {
		rep.Disabled = append(rep.Disabled, jsonDisabled{ID: r.ID, Name: r.Name})
	}
	for _, n := range res.ConfigNotes {
		jn := jsonConfigNote{Path: n.Path, Line: n.Line, Message: n.Message}
		if n.Rule != nil {
			jn.Rule = n.Rule.Name
		}
		rep.ConfigNotes = append(rep.ConfigNotes, jn)
	}
}
