package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/aomdoctor/aomdoctor/checks"
)

// TriageRow is one store as triage reports it, built from the store's JSON
// report, so that a live run and a --merge of its output read the same.
type TriageRow struct {
	Name       string
	Findings   []TriageFinding // worst first
	Problems   []string        // inputs that could not be read, failed rules
	Code       int
	TrackingID string
	Disabled   map[string]bool
	Base       *TriageBaseline
	Pages      *TriagePages // a live store's crawl, with detail only
}

// TriagePages is what a crawl of a live store read and could not.
type TriagePages struct {
	Start  string `json:"start"`
	Read   int    `json:"read"`
	Failed []struct {
		URL    string `json:"url"`
		Reason string `json:"reason"`
	} `json:"failed"`
}

// TriageFinding is what triage keeps of one finding of a store. Title, Fix
// and Evidence are kept only for the formats that show each store in full
// (html); the table and the roll-up need the rest.
type TriageFinding struct {
	Name     string            `json:"name"`
	Severity checks.Severity   `json:"severity"`
	Message  string            `json:"message"`
	Title    string            `json:"title,omitempty"`
	Fix      string            `json:"fix,omitempty"`
	Evidence []checks.Evidence `json:"evidence,omitempty"`

	// Status is "new" or "still" when compared with a --baseline run.
	Status string `json:"-"`
}

// TriageBaseline compares a store's findings with an earlier run's.
type TriageBaseline struct {
	New   int `json:"new"`
	Still int `json:"still"`
	Fixed int `json:"fixed"`

	// FixedList is what the earlier run found and this one does not.
	FixedList []TriageFinding `json:"-"`
}

// Worst is the highest severity among the row's findings, zero when none.
func (r *TriageRow) Worst() checks.Severity {
	var w checks.Severity
	for _, f := range r.Findings {
		w = max(w, f.Severity)
	}
	return w
}

// TriageText writes the table of stores, sorted by name, and the
// roll-up of rules across them.
func TriageText(w io.Writer, rows []*TriageRow) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	withBase := len(rows) > 0 && rows[0].Base != nil
	head := "STORE\tWORST\tERRORS\tWARNINGS\tINFOS\tTOP FINDING"
	if withBase {
		head += "\tNEW\tSTILL\tFIXED"
	}
	fmt.Fprintln(tw, head)
	for _, r := range rows {
		n := r.counts()
		top := "-"
		if len(r.Findings) > 0 {
			top = r.Findings[0].Name
		}
		line := fmt.Sprintf("%s\t%s\t%d\t%d\t%d\t%s", r.Name, r.state(), n[0], n[1], n[2], top)
		if withBase {
			line += fmt.Sprintf("\t%d\t%d\t%d", r.Base.New, r.Base.Still, r.Base.Fixed)
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	var problems []*TriageRow
	for _, r := range rows {
		if len(r.Problems) > 0 {
			problems = append(problems, r)
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(bw, "\nCould not be read or checked in full (%d of %d stores):\n", len(problems), len(rows))
		for _, r := range problems {
			for _, p := range r.Problems {
				fmt.Fprintf(bw, "  %s: %s\n", r.Name, p)
			}
		}
	}

	roll := rollUp(rows)
	fmt.Fprintf(bw, "\nRules across %d stores:\n", len(rows))
	if len(roll) == 0 {
		fmt.Fprintln(bw, "  none fired")
	}
	for _, rc := range roll {
		fmt.Fprintf(bw, "  %s: %d of %d stores\n", rc.Name, len(rc.Stores), len(rows))
	}
	return bw.Flush()
}

// counts is the row's errors, warnings and infos.
func (r *TriageRow) counts() [3]int {
	var n [3]int
	for _, f := range r.Findings {
		switch f.Severity {
		case checks.Error:
			n[0]++
		case checks.Warning:
			n[1]++
		default:
			n[2]++
		}
	}
	return n
}

// state is the row's worst severity, "-" with no findings, or what kept the
// store from being checked in full.
func (r *TriageRow) state() string {
	switch {
	case len(r.Problems) > 0 && r.Code == checks.ExitRuleFailed:
		return "rule failed"
	case len(r.Problems) > 0:
		return "unreadable"
	case len(r.Findings) > 0:
		return r.Worst().String()
	}
	return "-"
}

// ruleCount is one rule of the roll-up: the stores where it fired.
type ruleCount struct {
	Name     string
	Severity checks.Severity // the worst it fired at
	Stores   []*TriageRow    // in the rows' order
}

// rollUp counts each rule once per store it fired in, most stores first.
func rollUp(rows []*TriageRow) []*ruleCount {
	idx := map[string]*ruleCount{}
	var out []*ruleCount
	for _, r := range rows {
		seen := map[string]bool{}
		for _, f := range r.Findings {
			rc := idx[f.Name]
			if rc == nil {
				rc = &ruleCount{Name: f.Name}
				idx[f.Name] = rc
				out = append(out, rc)
			}
			rc.Severity = max(rc.Severity, f.Severity)
			if !seen[f.Name] {
				seen[f.Name] = true
				rc.Stores = append(rc.Stores, r)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Stores) != len(out[j].Stores) {
			return len(out[i].Stores) > len(out[j].Stores)
		}
		return out[i].Name < out[j].Name
	})
	return out
}
