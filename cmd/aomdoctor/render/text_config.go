package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
)

// textQuiet is the text report under --quiet: only the findings at or above
// --fail-on, and what else changes the exit code (failed rules, unreadable
// inputs). A quiet run that passes prints nothing.
func textQuiet(w io.Writer, res *checks.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	first := true
	for _, sev := range []checks.Severity{checks.Error, checks.Warning, checks.Info} {
		if sev < opts.FailOn {
			continue
		}
		for _, f := range res.Findings {
			if f.Severity != sev {
				continue
			}
			var b strings.Builder
			writeFinding(&b, p, f, opts.Width)
			s := b.String()
			if first { // writeFinding starts with a blank line, to separate findings
				s, first = strings.TrimPrefix(s, "\n"), false
			}
			fmt.Fprint(bw, s)
		}
	}
	for _, fe := range res.Failed {
		fmt.Fprintf(bw, "rule %s (%s) failed: this is a bug in aomdoctor; please report it with the input that caused it\n", fe.Rule.Name, fe.Rule.ID)
	}
	for _, in := range res.InputErrors() {
		writeWrapped(bw, "", "    ", "input problem: "+in.Path+": "+in.Err.Error(), opts.Width)
	}
	return bw.Flush()
}

// writeConfigSections shows what the config did: rules it disabled, the
// findings it ignored (listed with --show-ignored, else counted), and its
// notes. Nothing at all without a config.
func writeConfigSections(w io.Writer, p painter, res *checks.Result, opts Options) {
	if len(res.Disabled) > 0 {
		names := make([]string, len(res.Disabled))
		for i, r := range res.Disabled {
			names[i] = r.Name
		}
		fmt.Fprintln(w)
		writeWrapped(w, "", "  ", fmt.Sprintf("%s: %s", p.paint(ansiBold, fmt.Sprintf("Disabled by the config (%s)", plural(len(names), "rule", "rules"))), strings.Join(names, ", ")), opts.Width)
	}
	if n := len(res.Ignored); n > 0 {
		if opts.ShowIgnored {
			fmt.Fprintf(w, "\n%s\n", p.paint(ansiBold, fmt.Sprintf("Ignored (%d)", n)))
			for _, ig := range res.Ignored {
				writeFinding(w, p, ig.Finding, opts.Width)
				writeWrapped(w, "    "+p.paint(ansiDim, "why:")+"   ", "           ", fmt.Sprintf("%s (config line %d).", strings.TrimSuffix(sentence(ig.Reason), "."), ig.Line), opts.Width)
			}
		} else {
			fmt.Fprintf(w, "\n%s: accepted in the config; --show-ignored lists them with the reasons.\n", p.paint(ansiBold, fmt.Sprintf("Ignored (%s)", plural(n, "finding", "findings"))))
		}
	}
	if len(res.ConfigNotes) > 0 {
		fmt.Fprintf(w, "\n%s %s\n", p.paint(ansiBold+ansiYellow, fmt.Sprintf("Config notes (%d)", len(res.ConfigNotes))), p.paint(ansiDim, res.ConfigNotes[0].Path))
		for _, n := range res.ConfigNotes {
			writeWrapped(w, "  ", "    ", sentence(n.Message), opts.Width)
		}
	}
}
