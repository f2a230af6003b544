package render

import (
	"bufio"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// HTML writes one self-contained page: inline CSS, inline SVG charts drawn
// here, no scripts and no external requests, so it opens the same offline,
// in a mail attachment or printed. Every value from the store's files goes
// through html/template's escaping; nothing is marked safe. The date of the
// run is left out so the page is the same from run to run.
func HTML(w io.Writer, res *checks.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	if err := htmlTemplate.Execute(bw, newHTMLPage(res, opts)); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlPage struct {
	Title     string // the site name from the settings, or the store's label
	StoreName string // the folder or file the user named
	Command   string
	ReadLine  string
	Period    string
	Summary   checks.Summary
	Groups    []htmlGroup
	Nothing   string // said when there are no findings
	Failed    []checks.RuleError
	Skipped   []htmlSkipped
	NSkipped  int
	InputErrs []htmlInputErr
	PagesFail []store.PageFailure
	PagesMore int
	Funnel    *htmlFunnel
	Timeline  *htmlTimeline
}

type htmlGroup struct {
	Heading  string
	Class    string // error, warning, info: a fixed word, used in CSS class names
	Findings []htmlFinding
}

type htmlFinding struct {
	Title, Name, ID string
	Message, Fix    string
	Where           []string
}

type htmlSkipped struct {
	Missing, Advice string
	Rules           []string
}

type htmlInputErr struct{ Path, Err string }

func newHTMLPage(res *checks.Result, opts Options) htmlPage {
	st := res.Store
	read := 0
	for _, in := range st.Inputs {
		if in.Err == nil && !in.Kind.PassedOver() {
			read++
		}
	}
	pg := htmlPage{
		Title:     cmp.Or(siteName(st), st.Name, "store"),
		StoreName: st.Name,
		Command:   cmp.Or(opts.Command, "check"),
		ReadLine:  readLine(st, read),
		Period:    periodLine(st),
		Summary:   res.Summary(),
		Failed:    res.Failed,
		NSkipped:  len(res.Skipped),
		Funnel:    newFunnel(st),
		Timeline:  newTimeline(st),
	}
	for _, sev := range []checks.Severity{checks.Error, checks.Warning, checks.Info} {
		g := htmlGroup{Class: sev.String()}
		for _, f := range res.Findings {
			if f.Severity != sev {
				continue
			}
			hf := htmlFinding{Title: f.Rule.Title, Name: f.Rule.Name, ID: f.Rule.ID, Message: sentence(f.Message), Fix: f.Fix}
			for _, e := range f.Evidence {
				hf.Where = append(hf.Where, Location(e))
			}
			g.Findings = append(g.Findings, hf)
		}
		if len(g.Findings) > 0 {
			g.Heading = fmt.Sprintf("%s (%d)", severityHeading[sev], len(g.Findings))
			pg.Groups = append(pg.Groups, g)
		}
	}
	if len(res.Findings) == 0 {
		pg.Nothing = "No problems found."
		if len(res.Skipped)+len(res.Failed) == len(checks.Rules()) && len(res.Skipped) > 0 {
			pg.Nothing = "Nothing was checked: none of the inputs holds evidence that aomdoctor reads."
		}
	}
	for _, g := range groupSkipped(res.Skipped) {
		hs := htmlSkipped{Missing: g.Missing.String(), Advice: sentence(g.Advice)}
		for _, r := range g.Rules {
			hs.Rules = append(hs.Rules, r.Name)
		}
		pg.Skipped = append(pg.Skipped, hs)
	}
	for _, in := range res.InputErrors() {
		pg.InputErrs = append(pg.InputErrs, htmlInputErr{Path: in.Path, Err: in.Err.Error()})
	}
	if p := st.Pages; p != nil {
		pg.PagesFail = p.Failed
		if len(pg.PagesFail) > maxFailedPages {
			pg.PagesMore = len(pg.PagesFail) - maxFailedPages
			pg.PagesFail = pg.PagesFail[:maxFailedPages]
		}
	}
	return pg
}

// siteName is the store's own name from its settings, when they give one.
func siteName(st *store.Store) string {
	for _, key := range []string{"SiteName", "StoreName", "SiteTitle"} {
		if v, ok := st.Settings.Get(key); ok && strings.TrimSpace(v.Text) != "" {
			return strings.TrimSpace(v.Text)
		}
	}
	return ""
}

// Chart geometry, in SVG user units; the SVGs scale to the page's width.
const (
	chartWidth   = 720
	funnelLabelW = 210 // room for the stage names left of the bars
	funnelRowH   = 44
	funnelBarH   = 26
	funnelNumW   = 70 // room for the figure right of the longest bar
)

type htmlFunnel struct {
	Label  string // aria-label and <title>
	Height int
	Stages []funnelStage
	Note   string
}

type funnelStage struct {
	Name, Detail string
	Value        int
	Y, TextY     int
	BarW, NumX   int
	Class        string
}

// newFunnel draws cart reports -> clicks -> items ordered -> items shipped,
// with only the stages the evidence has figures for; nil when fewer than two.
func newFunnel(st *store.Store) *htmlFunnel {
	type stage struct {
		name, detail, class string
		n                   int
	}
	var stages []stage
	if st.Carts != nil {
		stages = append(stages, stage{"Cart reports", "AOM cart-report emails", "carts", st.Carts.Count})
	}
	rows := checks.RemoteCartRows(st.Reports)
	if st.Reports.Has(store.KindReportLinkType) && len(rows) > 0 {
		var clicks, ordered, shipped int
		var labels []string
		for _, r := range rows {
			clicks += r.Clicks
			ordered += r.ItemsOrdered
			shipped += r.ItemsShipped
			if l := strings.TrimSpace(r.Label); l != "" && !contains(labels, l) {
				labels = append(labels, l)
			}
		}
		rowsText := "Link-Type: " + strings.Join(labels, ", ")
		stages = append(stages,
			stage{"Clicks", rowsText, "clicks", clicks},
			stage{"Items ordered", rowsText, "ordered", ordered},
			stage{"Items shipped", rowsText, "shipped", shipped})
	}
	if len(stages) < 2 {
		return nil
	}
	most := 1
	for _, s := range stages {
		most = max(most, s.n)
	}
	f := &htmlFunnel{Height: len(stages)*funnelRowH + 8}
	var parts []string
	barMax := chartWidth - funnelLabelW - funnelNumW
	for i, s := range stages {
		w := s.n * barMax / most
		if s.n > 0 {
			w = max(w, 2)
		}
		y := 4 + i*funnelRowH
		f.Stages = append(f.Stages, funnelStage{
			Name: s.name, Detail: s.detail, Value: s.n, Class: s.class,
			Y: y, TextY: y + funnelBarH/2 + 5, BarW: w, NumX: funnelLabelW + w + 8,
		})
		parts = append(parts, fmt.Sprintf("%s %d", strings.ToLower(s.name), s.n))
	}
	f.Label = "Funnel: " + strings.Join(parts, ", ")
	if st.Carts != nil && len(rows) == 0 {
		f.Note = "The Link-Type report has no remote-cart, REST or SOAP row, so clicks are not drawn."
	}
	return f
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// maxTimelineDays bounds the days drawn: past a year the bars are too thin
// to read, and a year is more than any report period people send.
const maxTimelineDays = 366

const (
	tlTop    = 34  // room for the legend
	tlPlotH  = 170 // bar area
	tlLeft   = 44  // room for the axis figures
	tlRight  = 10
	tlBottom = 40 // room for the day labels
)

type htmlTimeline struct {
	Label      string
	Height     int
	PlotBottom int
	AxisRight  int
	Ticks      []tlTick
	Days       []tlDay
	HasClicks  bool
	Note       string
	Truncated  int // days left off the end
	LegendX2   int
}

type tlTick struct {
	Y     int
	TextY int
	Value int
}

type tlDay struct {
	Date                 string
	CartText, ClickText  string
	Label                string // shown under every few bars; empty otherwise
	LabelX, LabelY       int
	Carts, Clicks        int
	CartX, ClickX, BarW  int
	CartY, CartH         int
	ClickY, ClickH       int
	HasCarts, ShowClicks bool
}

// newTimeline draws cart reports per day against clicks per day (from a
// Daily Trends report, when given) over the report period, or over the days
// the evidence names when no period is known; nil when nothing is dated.
func newTimeline(st *store.Store) *htmlTimeline {
	carts := map[store.Date]int{}
	if st.Carts != nil {
		carts = st.Carts.ByDay
	}
	clicks := map[store.Date]int{}
	if st.Reports != nil {
		for _, d := range st.Reports.Daily {
			if !d.Date.IsZero() {
				clicks[d.Date] += d.Clicks
			}
		}
	}
	if len(carts) == 0 && len(clicks) == 0 {
		return nil
	}
	var from, to store.Date
	if p := st.ReportPeriod(); p.Known() {
		from, to = p.From, p.To
	}
	for _, m := range []map[store.Date]int{carts, clicks} {
		for d := range m {
			if from.IsZero() || d.Before(from) {
				from = d
			}
			if to.IsZero() || to.Before(d) {
				to = d
			}
		}
	}
	n := int(to.Time().Sub(from.Time()).Hours()/24) + 1
	t := &htmlTimeline{HasClicks: len(clicks) > 0}
	if n > maxTimelineDays {
		t.Truncated = n - maxTimelineDays
		n = maxTimelineDays
	}
	most := 1
	for i := range n {
		d := from.AddDays(i)
		most = max(most, carts[d], clicks[d])
	}
	// Round the axis up to a figure people read at a glance.
	top := niceCeil(most)
	plotW := chartWidth - tlLeft - tlRight
	slot := plotW / n
	barW := max(slot*3/4, 1)
	if t.HasClicks {
		barW = max(slot*3/8, 1)
	}
	every := max(1, (n+13)/14) // about 14 day labels at most
	bottom := tlTop + tlPlotH
	t.PlotBottom, t.AxisRight, t.Height = bottom, chartWidth-tlRight, bottom+tlBottom
	t.LegendX2 = tlLeft + 130
	for _, v := range []int{0, top / 2, top} {
		y := bottom - v*tlPlotH/top
		t.Ticks = append(t.Ticks, tlTick{Y: y, TextY: y + 4, Value: v})
	}
	var cartTotal, clickTotal int
	for i := range n {
		d := from.AddDays(i)
		x := tlLeft + i*slot + (slot-barW*btoi(t.HasClicks, 2, 1))/2
		day := tlDay{Date: d.String(), Carts: carts[d], Clicks: clicks[d], CartX: x, BarW: barW, ClickX: x + barW,
			HasCarts: carts[d] > 0, ShowClicks: t.HasClicks && clicks[d] > 0,
			CartText: plural(carts[d], "cart report", "cart reports"), ClickText: plural(clicks[d], "click", "clicks")}
		day.CartH = carts[d] * tlPlotH / top
		day.CartY = bottom - day.CartH
		day.ClickH = clicks[d] * tlPlotH / top
		day.ClickY = bottom - day.ClickH
		if i%every == 0 {
			day.Label = fmt.Sprintf("%02d-%02d", d.M, d.D)
			day.LabelX = tlLeft + i*slot + slot/2
			day.LabelY = bottom + 16
		}
		cartTotal += carts[d]
		clickTotal += clicks[d]
		t.Days = append(t.Days, day)
	}
	t.Label = fmt.Sprintf("Cart reports per day from %s to %s: %d in all", from, from.AddDays(n-1), cartTotal)
	if t.HasClicks {
		t.Label += fmt.Sprintf(", against %d clicks per the Daily Trends report", clickTotal)
	} else if rows := checks.RemoteCartRows(st.Reports); len(rows) > 0 {
		c := 0
		for _, r := range rows {
			c += r.Clicks
		}
		t.Note = fmt.Sprintf("Clicks per day are not in the evidence (add a Daily Trends report to draw them); the Link-Type report gives %s on remote carts for the whole period.", plural(c, "click", "clicks"))
	} else {
		t.Note = "Clicks per day are not in the evidence: add a Daily Trends report to draw them."
	}
	if st.Carts != nil && st.Carts.Undated > 0 {
		t.Note = strings.TrimSpace(t.Note + " " + plural(st.Carts.Undated, "cart report has", "cart reports have") + " no date and are not drawn.")
	}
	return t
}

func btoi(b bool, yes, no int) int {
	if b {
		return yes
	}
	return no
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten, and to an even
// figure so the middle tick is whole.
func niceCeil(n int) int {
	if n <= 2 {
		return 2
	}
	p := 1
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int{2, 4, 5, 10} {
		if m*p >= n && (m*p)%2 == 0 {
			return m * p
		}
	}
	return 10 * p
}

var htmlTemplate = template.Must(template.New("html").Parse(htmlSource))

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="aomdoctor">
<title>aomdoctor report: {{.Title}}</title>
<style>
:root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --error: #b42318; --warning: #a15c07; --info: #175cd3;
  --carts: #3e6fb0; --clicks: #e08a1e; --ordered: #3c8d5a; --shipped: #2f6f47; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
h3.error { color: var(--error); } h3.warning { color: var(--warning); } h3.info { color: var(--info); }
h4 { font-size: 1.05rem; margin: 0 0 .35rem; }
p { margin: .4rem 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
.sub { color: var(--muted); margin: 0; }
.counts { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.2rem 0 0; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 8px; padding: .5rem 1rem; min-width: 8rem; }
.counts b { display: block; font-size: 1.6rem; line-height: 1.1; }
.counts .error b { color: var(--error); } .counts .warning b { color: var(--warning); } .counts .info b { color: var(--info); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; break-inside: avoid; }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); } .finding.info { border-left-color: var(--info); }
.rule { color: var(--muted); font-weight: normal; font-size: .85em; }
dl { display: grid; grid-template-columns: 4.5rem 1fr; gap: .2rem .8rem; margin: .5rem 0 0; }
dt { color: var(--muted); font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
dd ul { margin: 0; padding: 0; list-style: none; }
.nothing { font-size: 1.1rem; }
figure { margin: 1rem 0 1.5rem; break-inside: avoid; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
svg { display: block; width: 100%; height: auto; font-family: inherit; }
svg text { fill: var(--ink); font-size: 13px; }
svg .detail { fill: var(--muted); font-size: 11px; }
svg .axis { stroke: var(--line); }
svg .num { font-weight: 600; }
.carts { fill: var(--carts); } .clicks { fill: var(--clicks); } .ordered { fill: var(--ordered); } .shipped { fill: var(--shipped); }
.skipped li, .problems li { margin: .4rem 0; }
.skipped .advice { color: var(--muted); }
.problems { color: var(--error); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .finding { border-left-width: 3pt; }
}
</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
<p class="sub">aomdoctor {{.Command}} of <span class="mono">{{.StoreName}}</span>: {{.ReadLine}}</p>
{{with .Period}}<p class="sub">{{.}}</p>{{end}}
<ul class="counts" aria-label="Findings by severity">
<li class="error"><b>{{.Summary.Errors}}</b>{{if eq .Summary.Errors 1}}error{{else}}errors{{end}}</li>
<li class="warning"><b>{{.Summary.Warnings}}</b>{{if eq .Summary.Warnings 1}}warning{{else}}warnings{{end}}</li>
<li class="info"><b>{{.Summary.Infos}}</b>{{if eq .Summary.Infos 1}}info{{else}}infos{{end}}</li>
</ul>
</header>
{{- if or .Funnel .Timeline}}
<section>
<h2>At a glance</h2>
{{- with .Funnel}}
<figure>
<svg role="img" aria-label="{{.Label}}" viewBox="0 0 720 {{.Height}}">
<title>{{.Label}}</title>
{{- range .Stages}}
<text x="0" y="{{.TextY}}"><tspan x="0" dy="-6">{{.Name}}</tspan><tspan class="detail" x="0" dy="14">{{.Detail}}</tspan></text>
<rect class="{{.Class}}" x="210" y="{{.Y}}" width="{{.BarW}}" height="26" rx="3"><title>{{.Name}}: {{.Value}}</title></rect>
<text class="num" x="{{.NumX}}" y="{{.TextY}}">{{.Value}}</text>
{{- end}}
</svg>
<figcaption>From the visitors who checked out to Amazon (cart reports) to the clicks Amazon counted on AOM's carts (the Link-Type report's remote-cart, REST and SOAP rows), the items ordered and the items shipped.{{with .Note}} {{.}}{{end}}</figcaption>
</figure>
{{- end}}
{{- with .Timeline}}
<figure>
<svg role="img" aria-label="{{.Label}}" viewBox="0 0 720 {{.Height}}">
<title>{{.Label}}</title>
<rect class="carts" x="44" y="6" width="12" height="12"></rect><text x="62" y="17">Cart reports</text>
{{- if .HasClicks}}<rect class="clicks" x="{{.LegendX2}}" y="6" width="12" height="12"></rect><text x="{{.LegendX2}}" dx="18" y="17">Clicks</text>{{end}}
{{- $right := .AxisRight}}
{{- range .Ticks}}
<line class="axis" x1="44" x2="{{$right}}" y1="{{.Y}}" y2="{{.Y}}"></line><text x="38" y="{{.TextY}}" text-anchor="end">{{.Value}}</text>
{{- end}}
{{- range .Days}}
{{- if .HasCarts}}
<rect class="carts" x="{{.CartX}}" y="{{.CartY}}" width="{{.BarW}}" height="{{.CartH}}"><title>{{.Date}}: {{.CartText}}</title></rect>
{{- end}}
{{- if .ShowClicks}}
<rect class="clicks" x="{{.ClickX}}" y="{{.ClickY}}" width="{{.BarW}}" height="{{.ClickH}}"><title>{{.Date}}: {{.ClickText}}</title></rect>
{{- end}}
{{- if .Label}}
<text class="detail" x="{{.LabelX}}" y="{{.LabelY}}" text-anchor="middle">{{.Label}}</text>
{{- end}}
{{- end}}
</svg>
<figcaption>Cart reports per day{{if .HasClicks}} against clicks per day{{end}} (month-day).{{with .Note}} {{.}}{{end}}{{if .Truncated}} The last {{.Truncated}} days are left off.{{end}}</figcaption>
</figure>
{{- end}}
</section>
{{- end}}
<section>
<h2>Findings</h2>
{{- with .Nothing}}
<p class="nothing">{{.}}</p>
{{- end}}
{{- range .Groups}}
<h3 class="{{.Class}}">{{.Heading}}</h3>
{{- $class := .Class}}
{{- range .Findings}}
<article class="finding {{$class}}">
<h4>{{.Title}} <span class="rule">[{{.Name}}, {{.ID}}]</span></h4>
<p>{{.Message}}</p>
<dl>
{{- if .Where}}
<dt>Where</dt><dd><ul>{{range .Where}}<li class="mono">{{.}}</li>{{end}}</ul></dd>
{{- end}}
<dt>Fix</dt><dd>{{.Fix}}</dd>
</dl>
</article>
{{- end}}
{{- end}}
</section>
{{- if .Failed}}
<section class="problems">
<h2>Rules that failed ({{len .Failed}})</h2>
<ul>
{{- range .Failed}}
<li>{{.Rule.Name}} ({{.Rule.ID}}): this is a bug in aomdoctor; please report it with the input that caused it</li>
{{- end}}
</ul>
</section>
{{- end}}
{{- if .Skipped}}
<section class="skipped">
<h2>Not checked ({{.NSkipped}} {{if eq .NSkipped 1}}rule{{else}}rules{{end}})</h2>
<ul>
{{- range .Skipped}}
<li>Without {{.Missing}}: {{range $i, $r := .Rules}}{{if $i}}, {{end}}<code>{{$r}}</code>{{end}}<br><span class="advice">{{.Advice}}</span></li>
{{- end}}
</ul>
</section>
{{- end}}
{{- if .InputErrs}}
<section class="problems">
<h2>Input problems ({{len .InputErrs}})</h2>
<ul>
{{- range .InputErrs}}
<li><span class="mono">{{.Path}}</span>: {{.Err}}</li>
{{- end}}
</ul>
</section>
{{- end}}
{{- if .PagesFail}}
<section>
<h2>Pages not read</h2>
<ul>
{{- range .PagesFail}}
<li><span class="mono">{{.URL}}</span>: {{.Reason}}</li>
{{- end}}
{{- if .PagesMore}}
<li>and {{.PagesMore}} more</li>
{{- end}}
</ul>
</section>
{{- end}}
<footer>Made by aomdoctor. Run <code>aomdoctor explain NAME</code> for more about a rule.</footer>
</main>
</body>
</html>
`
