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
}

// TriageFinding is what triage keeps of one finding of a store.
type TriageFinding struct {
	Name     string          `json:"name"`
	Severity checks.Severity `json:"severity"`
	Message  string          `json:"message"`
}

// TriageBaseline compares a store's findings with an earlier run's.
type TriageBaseline struct {
	New   int `json:"new"`
	Still int `json:"still"`
	Fixed int `json:"fixed"`
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
	perRule := map[string]int{}
	for _, r := range rows {
		var n [3]int
		seen := map[string]bool{}
		for _, f := range r.Findings {
			switch f.Severity {
			case checks.Error:
				n[0]++
			case checks.Warning:
				n[1]++
			default:
				n[2]++
			}
			if !seen[f.Name] {
				seen[f.Name] = true
				perRule[f.Name]++
			}
		}
		worst, top := "-", "-"
		if len(r.Findings) > 0 {
			worst, top = r.Worst().String(), r.Findings[0].Name
		}
		if len(r.Problems) > 0 {
			worst = "unreadable"
			if r.Code == checks.ExitRuleFailed {
				worst = "rule failed"
			}
		}
		line := fmt.Sprintf("%s\t%s\t%d\t%d\t%d\t%s", r.Name, worst, n[0], n[1], n[2], top)
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

	names := make([]string, 0, len(perRule))
	for n := range perRule {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if perRule[names[i]] != perRule[names[j]] {
			return perRule[names[i]] > perRule[names[j]]
		}
		return names[i] < names[j]
	})
	fmt.Fprintf(bw, "\nRules across %d stores:\n", len(rows))
	if len(names) == 0 {
		fmt.Fprintln(bw, "  none fired")
	}
	for _, n := range names {
		fmt.Fprintf(bw, "  %s: %d of %d stores\n", n, perRule[n], len(rows))
	}
	return bw.Flush()
}
