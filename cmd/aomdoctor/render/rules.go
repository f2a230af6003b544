package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aomdoctor/aomdoctor/checks"
)

type jsonRule struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Severity checks.Severity `json:"severity"`
	Title    string          `json:"title"`
	Needs    []string        `json:"needs"`
	Explain  string          `json:"explain"`
	Fix      string          `json:"fix"`
}

// Rules lists rules as text (a table), json, or markdown (the README's rule
// table, which a test keeps equal to this output).
func Rules(w io.Writer, format string, rules []*checks.Rule) error {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "text":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tTITLE\tNEEDS")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity, r.Title, r.Needs)
		}
		return tw.Flush()
	case "json":
		out := make([]jsonRule, 0, len(rules))
		for _, r := range rules {
			needs := r.Needs.Names()
			if needs == nil {
				needs = []string{}
			}
			out = append(out, jsonRule{r.ID, r.Name, r.Severity, r.Title, needs, r.Explain, r.Fix})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "markdown":
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "| ID | Name | Severity | What it finds | Needs |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
		for _, r := range rules {
			fmt.Fprintf(bw, "| %s | `%s` | %s | %s | %s |\n", r.ID, r.Name, r.Severity, mdEscape(r.Title), mdEscape(r.Needs.String()))
		}
		return bw.Flush()
	}
	return fmt.Errorf("unknown format %q (want text, json or markdown)", format)
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// Explain prints a rule's documentation: what it finds, why it matters, the fix.
func Explain(w io.Writer, r *checks.Rule) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s (%s): %s\n", r.Name, r.ID, r.Title)
	fmt.Fprintf(bw, "Severity: %s\nNeeds: %s\n\n", r.Severity, r.Needs)
	writeParagraphs(bw, r.Explain, DefaultWidth)
	fmt.Fprintln(bw)
	writeWrapped(bw, "Fix: ", "     ", r.Fix, DefaultWidth)
	return bw.Flush()
}

// writeParagraphs wraps text whose paragraphs are separated by blank lines.
func writeParagraphs(w io.Writer, s string, width int) {
	for i, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeWrapped(w, "", "", strings.Join(strings.Fields(para), " "), width)
	}
}
