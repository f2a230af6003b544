package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// painter colours text only when colour is on, so the layout code reads the
// same either way.
type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

var severityColor = map[checks.Severity]string{checks.Error: ansiRed, checks.Warning: ansiYellow, checks.Info: ansiCyan}

var severityHeading = map[checks.Severity]string{checks.Error: "Errors", checks.Warning: "Warnings", checks.Info: "Information"}

// Text is the default format: findings grouped by severity, worst first,
// each with its proof and fix, then what was not checked and why.
func Text(w io.Writer, res *checks.Result, opts Options) error {
	if opts.Quiet {
		return textQuiet(w, res, opts)
	}
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	st := res.Store

	read := 0
	for _, in := range st.Inputs {
		if in.Err == nil && !in.Kind.PassedOver() {
			read++
		}
	}
	fmt.Fprintf(bw, "%s %s (%s)\n", p.paint(ansiBold, "aomdoctor "+cmp.Or(opts.Command, "check")+":"), quoteName(st.Name), readLine(st, read))

	if line := periodLine(st); line != "" {
		writeWrapped(bw, "", "  ", line, opts.Width)
	}

	if opts.Verbose {
		fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold, "Inputs"))
		for _, in := range st.Inputs {
			fmt.Fprintf(bw, "  %s: %s\n", in.Path, KindLabel(in.Kind))
		}
	}

	for _, sev := range []checks.Severity{checks.Error, checks.Warning, checks.Info} {
		var group []checks.Finding
		for _, f := range res.Findings {
			if f.Severity == sev {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold+severityColor[sev], fmt.Sprintf("%s (%d)", severityHeading[sev], len(group))))
		for _, f := range group {
			writeFinding(bw, p, f, opts.Width)
		}
	}
	if len(res.Findings) == 0 {
		if len(res.Skipped)+len(res.Failed) == len(checks.Rules()) && len(res.Skipped) > 0 {
			fmt.Fprintln(bw, "\nNothing was checked: none of the inputs holds evidence that aomdoctor reads.")
		} else {
			fmt.Fprintln(bw, "\nNo problems found.")
		}
	}

	if len(res.Failed) > 0 {
		fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold+ansiRed, fmt.Sprintf("Rules that failed (%d)", len(res.Failed))))
		for _, fe := range res.Failed {
			fmt.Fprintf(bw, "  %s (%s): this is a bug in aomdoctor; please report it with the input that caused it\n", fe.Rule.Name, fe.Rule.ID)
		}
	}

	if len(res.Skipped) > 0 {
		fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold, fmt.Sprintf("Not checked (%s)", plural(len(res.Skipped), "rule", "rules"))))
		for _, g := range groupSkipped(res.Skipped) {
			names := make([]string, len(g.Rules))
			for i, r := range g.Rules {
				names[i] = r.Name
			}
			writeWrapped(bw, "  ", "    ", "Without "+g.Missing.String()+": "+strings.Join(names, ", "), opts.Width)
			writeWrapped(bw, "    ", "    ", sentence(g.Advice), opts.Width)
		}
	}

	if errs := res.InputErrors(); len(errs) > 0 {
		fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold+ansiRed, fmt.Sprintf("Input problems (%d)", len(errs))))
		for _, in := range errs {
			writeWrapped(bw, "  ", "    ", in.Path+": "+in.Err.Error(), opts.Width)
		}
	}

	// Pages of a live store that failed are not input problems (the rest
	// of the store is judged, and the exit code stays the findings'), but
	// a store owner wants to know which pages and why.
	if pg := st.Pages; pg != nil && len(pg.Failed) > 0 {
		fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold, fmt.Sprintf("Pages not read (%d)", len(pg.Failed))))
		for i, f := range pg.Failed {
			if i == maxFailedPages {
				fmt.Fprintf(bw, "  and %d more\n", len(pg.Failed)-i)
				break
			}
			writeWrapped(bw, "  ", "    ", f.URL+": "+f.Reason, opts.Width)
		}
	}

	writeConfigSections(bw, p, res, opts)

	s := res.Summary()
	fmt.Fprintf(bw, "\n%s: %s, %s, %s.", p.paint(ansiBold, "Summary"),
		p.paint(severityColor[checks.Error], plural(s.Errors, "error", "errors")),
		p.paint(severityColor[checks.Warning], plural(s.Warnings, "warning", "warnings")),
		p.paint(severityColor[checks.Info], plural(s.Infos, "info", "infos")))
	if len(res.Findings) > 0 {
		fmt.Fprint(bw, " 'aomdoctor explain NAME' says more about a rule.")
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

func writeFinding(w io.Writer, p painter, f checks.Finding, width int) {
	head := fmt.Sprintf("  %s %s %s", p.paint(severityColor[f.Severity], "●"), p.paint(ansiBold, f.Rule.Title), p.paint(ansiDim, "["+f.Rule.Name+", "+f.Rule.ID+"]"))
	fmt.Fprintf(w, "\n%s\n", head)
	writeWrapped(w, "    ", "    ", sentence(f.Message), width)
	for i, e := range f.Evidence {
		label := "    where: "
		if i > 0 {
			label = "           "
		}
		fmt.Fprintf(w, "%s%s\n", p.paint(ansiDim, label), Location(e))
	}
	writeWrapped(w, "    fix:   ", "           ", f.Fix, width)
}

// writeWrapped writes s word-wrapped at width, the first line after first and
// the rest after rest; a word longer than the line is never broken, so
// values and paths stay whole and searchable.
func writeWrapped(w io.Writer, first, rest, s string, width int) {
	// Split on single spaces so a run of spaces inside a quoted value (the
	// very thing a finding may be about) survives the wrapping.
	words := strings.Split(strings.TrimSpace(s), " ")
	line := first
	empty := true
	for _, word := range words {
		if !empty && width > 0 && len(line)+1+len(word) > width {
			fmt.Fprintln(w, line)
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	fmt.Fprintln(w, line)
}

// periodLine says which days the reports cover, or that nobody said, when
// there is anything dated to reason about.
func periodLine(st *store.Store) string {
	if st.Reports == nil && st.Carts == nil && !st.Period.Known() {
		return ""
	}
	p := st.ReportPeriod()
	if !p.Known() {
		return "Report period: unknown (the reports do not say; give --period YYYY-MM-DD..YYYY-MM-DD to be sure)"
	}
	line := fmt.Sprintf("Report period: %s to %s, %s, read from %s.", p.From, p.To, plural(p.Days(), "day", "days"), Location(checks.FromSource(p.Source)))
	if !st.AsOf.IsZero() {
		line += " Today is taken as " + st.AsOf.String() + "."
	}
	return line
}

// sentence makes a finding's message (lower case, no period, by the house
// style) read as a sentence on its own.
func sentence(msg string) string {
	msg = upperFirst(strings.TrimSpace(msg))
	if msg == "" || strings.ContainsAny(msg[len(msg)-1:], ".?!") {
		return msg
	}
	return msg + "."
}

// maxFailedPages bounds the failed pages listed: a broken store can fail
// every one of its pages for one reason.
const maxFailedPages = 10

// readLine says what was read: files, and the pages fetched from a live store.
func readLine(st *store.Store, files int) string {
	pg := st.Pages
	if pg == nil || pg.Start == "" {
		return plural(files, "file", "files") + " read"
	}
	fetched := plural(pg.Read, "page", "pages") + " fetched"
	if len(pg.Failed) > 0 {
		fetched += fmt.Sprintf(", %d failed", len(pg.Failed))
	}
	if files == 0 {
		return fetched
	}
	return plural(files, "file", "files") + " read, " + fetched
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func quoteName(name string) string {
	if name == "" {
		return "store"
	}
	return "store " + fmt.Sprintf("%q", name)
}
