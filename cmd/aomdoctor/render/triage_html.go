package render

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
)

// TriageHTML writes the dashboard of a triage run: one self-contained page
// (no scripts, no external requests) with the stores worst first, the rules
// across them, and a section for each store with its findings in full. As in
// HTML, every value from the stores' files goes through html/template's
// escaping and the run's date is left out.
func TriageHTML(w io.Writer, rows []*TriageRow) error {
	bw := bufio.NewWriter(w)
	if err := triageHTMLTemplate.Execute(bw, newTriagePage(rows)); err != nil {
		return err
	}
	return bw.Flush()
}

type triagePage struct {
	Total    int
	Tally    []triageTally
	Baseline *TriageBaseline // the sums, with a --baseline run
	Stores   []*triageStore  // worst first
	Rules    []triageRule
}

// triageTally is one box of the header: how many stores are in a state.
type triageTally struct {
	Class, Label string
	N            int
}

type triageStore struct {
	ID, Name, State, Class string
	TrackingID             string
	Errors, Warnings, Info int
	Top                    string
	Base                   *TriageBaseline
	Findings               []triageFinding
	Problems               []string
	Fixed                  []TriageFinding
	Pages                  *TriagePages
	PagesMore              int // failed pages left off the list
	rank                   int // stateRank, for the order of the table
}

type triageFinding struct {
	Name, Title, Class string
	Message, Fix       string
	Status             string
	Where              []string
}

type triageRule struct {
	Name, Title, Class string
	N, Percent         int
	Stores             []*triageStore
	severity           checks.Severity
}

// stateRank orders the stores worst first: those not checked in full, then
// by their worst finding.
func stateRank(r *TriageRow) int {
	switch {
	case len(r.Problems) > 0 && r.Code == checks.ExitRuleFailed:
		return 5
	case len(r.Problems) > 0:
		return 4
	}
	return int(r.Worst())
}

func stateClass(r *TriageRow) string {
	switch {
	case len(r.Problems) > 0:
		return "problem"
	case len(r.Findings) == 0:
		return "clean"
	}
	return r.Worst().String()
}

func newTriagePage(rows []*TriageRow) triagePage {
	pg := triagePage{Total: len(rows)}
	ids := map[string]int{}
	byRow := map[*TriageRow]*triageStore{}
	tally := map[string]int{} // stores by their Class
	sum := &TriageBaseline{}
	for _, r := range rows {
		n := r.counts()
		s := &triageStore{
			ID: anchorID(r.Name, ids), Name: r.Name, State: r.state(), Class: stateClass(r),
			TrackingID: r.TrackingID, Errors: n[0], Warnings: n[1], Info: n[2], Top: "-",
			Problems: r.Problems, Base: r.Base, rank: stateRank(r),
		}
		if p := r.Pages; p != nil && p.Start != "" {
			cp := *p
			if len(cp.Failed) > maxFailedPages {
				s.PagesMore = len(cp.Failed) - maxFailedPages
				cp.Failed = cp.Failed[:maxFailedPages]
			}
			s.Pages = &cp
		}
		if s.State == "-" {
			s.State = "no findings"
		}
		if len(r.Findings) > 0 {
			s.Top = r.Findings[0].Name
		}
		for _, f := range r.Findings {
			tf := triageFinding{Name: f.Name, Title: f.Title, Class: f.Severity.String(), Message: sentence(f.Message), Fix: f.Fix, Status: f.Status}
			for _, e := range f.Evidence {
				tf.Where = append(tf.Where, Location(e))
			}
			s.Findings = append(s.Findings, tf)
		}
		if r.Base != nil {
			s.Fixed = r.Base.FixedList
			sum.New += r.Base.New
			sum.Still += r.Base.Still
			sum.Fixed += r.Base.Fixed
			pg.Baseline = sum
		}
		tally[s.Class]++
		byRow[r] = s
		pg.Stores = append(pg.Stores, s)
	}
	pg.Tally = []triageTally{
		{"error", "with errors", tally["error"]},
		{"warning", "with warnings at worst", tally["warning"]},
		{"info", "with information only", tally["info"]},
		{"clean", "with no findings", tally["clean"]},
	}
	if tally["problem"] > 0 {
		pg.Tally = append([]triageTally{{"problem", "not checked in full", tally["problem"]}}, pg.Tally...)
	}
	sort.SliceStable(pg.Stores, func(i, j int) bool {
		a, b := pg.Stores[i], pg.Stores[j]
		if a.rank != b.rank {
			return a.rank > b.rank
		}
		if a.Errors != b.Errors {
			return a.Errors > b.Errors
		}
		return a.Warnings > b.Warnings
	})
	roll := rollUp(rows)
	for _, rc := range roll {
		tr := triageRule{Name: rc.Name, Title: rc.Name, Class: rc.Severity.String(), N: len(rc.Stores), severity: rc.Severity}
		if rule := checks.Lookup(rc.Name); rule != nil {
			tr.Title = rule.Title
		}
		if len(rows) > 0 {
			tr.Percent = max(1, len(rc.Stores)*100/len(rows))
		}
		for _, r := range rc.Stores {
			tr.Stores = append(tr.Stores, byRow[r])
		}
		pg.Rules = append(pg.Rules, tr)
	}
	// The page is read top down: the errors first, then by stores hit.
	sort.SliceStable(pg.Rules, func(i, j int) bool { return pg.Rules[i].severity > pg.Rules[j].severity })
	return pg
}

// anchorID makes a fragment for a store's section from its name: letters,
// digits and dashes, made unique with a number when two names give one
// (and the numbered one is checked too: "a-b", "a-b-2" and "a_b" are three).
func anchorID(name string, used map[string]int) string {
	var b strings.Builder
	b.WriteString("store-")
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	base := strings.TrimRight(b.String(), "-")
	id := base
	for n := 2; used[id] > 0; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	used[id]++
	return id
}

func pct(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return fmt.Sprintf("%d%%", (n*100+total/2)/total)
}

var triageHTMLTemplate = template.Must(template.New("triage").Funcs(template.FuncMap{"pct": pct, "plural": plural}).Parse(triageHTMLSource))

const triageHTMLSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="aomdoctor">
<title>aomdoctor triage: {{.Total}} stores</title>
<style>
:root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --soft: #f4f6f9; --error: #b42318; --warning: #a15c07; --info: #175cd3; --clean: #3c8d5a; --problem: #6e3fb0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.4rem 0 .8rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 0; }
h4 { font-size: 1rem; margin: 0 0 .3rem; }
p { margin: .4rem 0; }
a { color: var(--info); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
.sub { color: var(--muted); margin: 0; }
.tally { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.2rem 0 0; padding: 0; list-style: none; }
.tally li { border: 1px solid var(--line); border-top: 4px solid var(--muted); border-radius: 8px; padding: .5rem 1rem; min-width: 9rem; }
.tally b { display: block; font-size: 1.6rem; line-height: 1.1; }
.tally .error { border-top-color: var(--error); } .tally .warning { border-top-color: var(--warning); } .tally .info { border-top-color: var(--info); }
.tally .clean { border-top-color: var(--clean); } .tally .problem { border-top-color: var(--problem); }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: var(--soft); }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .85em; font-weight: 600; color: #fff; background: var(--muted); white-space: nowrap; }
.badge.error { background: var(--error); } .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.badge.clean { background: var(--clean); } .badge.problem { background: var(--problem); }
.bar { background: var(--soft); border-radius: 3px; height: .8rem; min-width: 8rem; }
.bar span { display: block; height: 100%; border-radius: 3px; background: var(--muted); }
.bar .error { background: var(--error); } .bar .warning { background: var(--warning); } .bar .info { background: var(--info); }
details summary { cursor: pointer; color: var(--muted); }
details ul { margin: .3rem 0; padding-left: 1.2rem; columns: 3 12rem; }
.store { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin: 1.2rem 0; break-inside: avoid-page; }
.store header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem 1rem; margin-bottom: .5rem; }
.store .top { margin-left: auto; font-size: .9rem; }
.finding { border-left: 4px solid var(--muted); padding: .2rem 0 .2rem .8rem; margin: .8rem 0; }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); } .finding.info { border-left-color: var(--info); }
.rule { color: var(--muted); font-weight: normal; font-size: .85em; }
.new { color: var(--error); font-size: .8em; font-weight: 600; text-transform: uppercase; }
dl { display: grid; grid-template-columns: 4.5rem 1fr; gap: .2rem .8rem; margin: .4rem 0 0; }
dt { color: var(--muted); font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
dd ul { margin: 0; padding: 0; list-style: none; }
.problems { color: var(--problem); }
.fixed { color: var(--clean); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  th { position: static; }
  h2 { break-after: avoid; }
  .top a, .back { display: none; }
}
</style>
</head>
<body>
<main id="top">
<header>
<h1>Triage of {{.Total}} {{if eq .Total 1}}store{{else}}stores{{end}}</h1>
<p class="sub">aomdoctor triage. Each store was checked as <code>aomdoctor check</code> checks it; stores sharing an Associate ID are marked across the run.</p>
<ul class="tally" aria-label="Stores by their worst finding">
{{- range .Tally}}
<li class="{{.Class}}"><b>{{.N}}</b>{{if eq .N 1}}store{{else}}stores{{end}} {{.Label}}</li>
{{- end}}
</ul>
{{- with .Baseline}}
<p class="sub">Against the baseline run: {{plural .New "new finding" "new findings"}}, {{.Still}} still there, {{.Fixed}} fixed.</p>
{{- end}}
</header>

<section>
<h2>Rules across the stores</h2>
{{- if not .Rules}}
<p>No rule fired in any store.</p>
{{- else}}
<table>
<thead><tr><th>Rule</th><th class="n">Stores</th><th>Share</th><th>Which stores</th></tr></thead>
<tbody>
{{- $total := .Total}}
{{- range .Rules}}
<tr>
<td><span class="badge {{.Class}}">{{.Class}}</span> {{.Title}}<br><code class="rule">{{.Name}}</code></td>
<td class="n">{{.N}} of {{$total}}</td>
<td><div class="bar" role="img" aria-label="{{pct .N $total}} of the stores"><span class="{{.Class}}" style="width: {{.Percent}}%"></span></div></td>
<td><details><summary>{{len .Stores}} {{if eq (len .Stores) 1}}store{{else}}stores{{end}}</summary><ul>{{range .Stores}}<li><a href="#{{.ID}}">{{.Name}}</a></li>{{end}}</ul></details></td>
</tr>
{{- end}}
</tbody>
</table>
{{- end}}
</section>

<section>
<h2>Stores, worst first</h2>
<table>
<thead><tr><th>Store</th><th>Worst</th><th class="n">Errors</th><th class="n">Warnings</th><th class="n">Info</th><th>Top finding</th>{{if .Baseline}}<th class="n">New</th><th class="n">Still</th><th class="n">Fixed</th>{{end}}</tr></thead>
<tbody>
{{- range .Stores}}
<tr>
<td><a href="#{{.ID}}">{{.Name}}</a></td>
<td><span class="badge {{.Class}}">{{.State}}</span></td>
<td class="n">{{.Errors}}</td><td class="n">{{.Warnings}}</td><td class="n">{{.Info}}</td>
<td><code>{{.Top}}</code></td>
{{- with .Base}}<td class="n">{{.New}}</td><td class="n">{{.Still}}</td><td class="n">{{.Fixed}}</td>{{end}}
</tr>
{{- end}}
</tbody>
</table>
</section>

<section>
<h2>Each store</h2>
{{- range .Stores}}
<article class="store" id="{{.ID}}">
<header>
<h3>{{.Name}}</h3>
<span class="badge {{.Class}}">{{.State}}</span>
{{- with .TrackingID}}<span class="sub">Associate ID <code>{{.}}</code></span>{{end}}
<span class="top"><a class="back" href="#top">back to the top</a></span>
</header>
{{- if .Problems}}
<ul class="problems">
{{- range .Problems}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- with .Pages}}
<p class="sub">Live store: {{.Read}} {{if eq .Read 1}}page{{else}}pages{{end}} read from <span class="mono">{{.Start}}</span>{{if .Failed}}; not read:{{end}}</p>
{{- if .Failed}}
<ul class="problems">
{{- range .Failed}}
<li><span class="mono">{{.URL}}</span>: {{.Reason}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
{{- if .PagesMore}}
<p class="sub">and {{.PagesMore}} more pages not read</p>
{{- end}}
{{- if not .Findings}}{{if not .Problems}}
<p>No problems found.</p>
{{- end}}{{end}}
{{- range .Findings}}
<div class="finding {{.Class}}">
<h4>{{if eq .Status "new"}}<span class="new">new</span> {{end}}{{if .Title}}{{.Title}}{{else}}{{.Name}}{{end}} <span class="rule">[{{.Name}}, {{.Class}}]</span></h4>
<p>{{.Message}}</p>
{{- if or .Where .Fix}}
<dl>
{{- if .Where}}
<dt>Where</dt><dd><ul>{{range .Where}}<li class="mono">{{.}}</li>{{end}}</ul></dd>
{{- end}}
{{- with .Fix}}
<dt>Fix</dt><dd>{{.}}</dd>
{{- end}}
</dl>
{{- end}}
</div>
{{- end}}
{{- if .Fixed}}
<p class="fixed">Fixed since the baseline run:</p>
<ul class="fixed">
{{- range .Fixed}}
<li><code>{{.Name}}</code>: {{.Message}}</li>
{{- end}}
</ul>
{{- end}}
</article>
{{- end}}
</section>
<footer>Made by aomdoctor. Run <code>aomdoctor check STORE</code> for one store's full report, with what was not checked and why; <code>aomdoctor explain NAME</code> for more about a rule.</footer>
</main>
</body>
</html>
`
