package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
)

// Markdown is the summary a support person pastes into a ticket: the store,
// what was read, the counts, a table of findings with their fixes, what was
// not checked and what would let it be, and the inputs that could not be read.
func Markdown(w io.Writer, res *checks.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	st := res.Store
	s := res.Summary()

	fmt.Fprintf(bw, "## aomdoctor %s: %s\n\n", cmp.Or(opts.Command, "check"), mdCell(cmp.Or(st.Name, "store")))
	fmt.Fprintf(bw, "**%s, %s, %s.**", plural(s.Errors, "error", "errors"), plural(s.Warnings, "warning", "warnings"), plural(s.Infos, "info", "infos"))
	read := 0
	for _, in := range st.Inputs {
		if in.Err == nil && !in.Kind.PassedOver() {
			read++
		}
	}
	fmt.Fprintf(bw, " %s.", upperFirst(readLine(st, read)))
	if len(res.Skipped) > 0 {
		fmt.Fprintf(bw, " %s not checked for lack of evidence.", plural(len(res.Skipped), "rule", "rules"))
	}
	fmt.Fprintln(bw)
	if line := periodLine(st); line != "" {
		fmt.Fprintf(bw, "\n%s\n", mdText(line))
	}

	fmt.Fprintf(bw, "\n### Findings\n\n")
	if len(res.Findings) == 0 {
		fmt.Fprintln(bw, "No problems found.")
	} else {
		fmt.Fprintln(bw, "| Severity | Rule | Finding | Fix | Where |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
		for _, f := range res.Findings {
			where := make([]string, len(f.Evidence))
			for i, e := range f.Evidence {
				where[i] = mdCode(Location(e))
			}
			fmt.Fprintf(bw, "| %s | %s (`%s`, %s) | %s | %s | %s |\n",
				f.Severity, mdCell(f.Rule.Title), f.Rule.Name, f.Rule.ID,
				mdCell(sentence(f.Message)), mdCell(f.Fix), strings.Join(where, "<br>"))
		}
	}

	if len(res.Failed) > 0 {
		fmt.Fprintf(bw, "\n### Rules that failed\n\n")
		for _, fe := range res.Failed {
			fmt.Fprintf(bw, "- `%s` (%s): %s. This is a bug in aomdoctor; please report it with the input that caused it.\n", fe.Rule.Name, fe.Rule.ID, mdText(fe.Err.Error()))
		}
	}

	if len(res.Skipped) > 0 {
		fmt.Fprintf(bw, "\n### Not checked\n\n")
		for _, g := range groupSkipped(res.Skipped) {
			names := make([]string, len(g.Rules))
			for i, r := range g.Rules {
				names[i] = "`" + r.Name + "`"
			}
			fmt.Fprintf(bw, "- **Without %s:** %s. %s\n", mdText(g.Missing.String()), strings.Join(names, ", "), mdText(sentence(g.Advice)))
		}
	}

	if errs := res.InputErrors(); len(errs) > 0 {
		fmt.Fprintf(bw, "\n### Input problems\n\n")
		for _, in := range errs {
			fmt.Fprintf(bw, "- %s: %s\n", mdCode(in.Path), mdText(in.Err.Error()))
		}
	}
	if pg := st.Pages; pg != nil && len(pg.Failed) > 0 {
		fmt.Fprintf(bw, "\n### Pages not read\n\n")
		for i, f := range pg.Failed {
			if i == maxFailedPages {
				fmt.Fprintf(bw, "- and %d more\n", len(pg.Failed)-i)
				break
			}
			fmt.Fprintf(bw, "- %s: %s\n", mdCode(f.URL), mdText(f.Reason))
		}
	}

	fmt.Fprintf(bw, "\n<details><summary>Inputs (%d)</summary>\n\n", len(st.Inputs))
	fmt.Fprintln(bw, "| File | Taken for |")
	fmt.Fprintln(bw, "| --- | --- |")
	for _, in := range st.Inputs {
		kind := KindLabel(in.Kind)
		if in.Err != nil {
			kind += ": could not be read"
		}
		fmt.Fprintf(bw, "| %s | %s |\n", mdCode(in.Path), mdCell(kind))
	}
	fmt.Fprintln(bw, "\n</details>")
	return bw.Flush()
}

// mdText escapes prose for Markdown: characters that would start markup,
// and HTML, which most viewers render.
func mdText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "|", `\|`)
	return r.Replace(s)
}

// mdCell escapes prose for a table cell: a newline would end the row, so it
// becomes <br>.
func mdCell(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.ReplaceAll(mdText(strings.TrimSpace(s)), "\n", "<br>")
}

// mdCode shows a path or URL as inline code, safe inside a table cell. GFM
// unescapes \| inside code spans in tables; a backtick in the value gets a
// longer fence.
func mdCode(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
