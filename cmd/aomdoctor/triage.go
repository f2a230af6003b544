package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl"
	"github.com/aomdoctor/aomdoctor/checks/store"
	"github.com/aomdoctor/aomdoctor/cmd/aomdoctor/render"
)

// Flag names of the triage command; --format, --fail-on, --as-of, --period,
// --edition and --config mean what they mean to check.
const (
	flgTargets      = "targets"
	flgJobs         = "jobs"
	flgStoreTimeout = "store-timeout"
	flgBaseline     = "baseline"
	flgMerge        = "merge"
)

func triageCommand() *cli.Command {
	return &cli.Command{
		Name:      "triage",
		Usage:     "check many stores at once and roll up what is wrong across them",
		ArgsUsage: "FOLDER... | --targets FILE | --merge RESULTS.jsonl...",
		Description: "Each FOLDER's subfolders and .zip files are stores (a folder with neither is one\n" +
			"store; a .zip named outright is one store). --targets FILE lists stores, one path or\n" +
			"URL a line; a URL is a live store, fetched as 'aomdoctor scan URL' fetches it. Each\n" +
			"store is checked exactly as 'aomdoctor check' would check it.\n\n" +
			"--format text writes a table sorted by store name and a roll-up of the rules;\n" +
			"--format jsonl one line per store, the object of 'check --format json', in the order\n" +
			"the stores finish; --format html a dashboard of all stores, worst first, each linking to\n" +
			"its findings in full. --format is repeatable, NAME=FILE writing to FILE.\n" +
			"--merge reads earlier jsonl output instead of checking, for the text or html roll-up\n" +
			"of several shards.\n\n" +
			"Exit codes: the worst of every store's, as check decides it (3 > 2 > 1 > 0).",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: flgFormat, Aliases: []string{"f"}, Usage: "output `FORMAT`[=FILE]: text, jsonl or html; repeat it to write several (default: text)"},
			&cli.StringFlag{Name: flgOutput, Aliases: []string{"o"}, Usage: "write the report given without =FILE to `FILE` instead of standard output"},
			&cli.StringFlag{Name: flgTargets, Usage: "read the stores from `FILE`, one path or URL a line (# starts a comment)"},
			&cli.IntFlag{Name: flgJobs, Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "check `N` stores at a time"},
			&cli.DurationFlag{Name: flgStoreTimeout, Value: 60 * time.Second, Usage: "give up on a store after `DURATION` and report it as an error"},
			&cli.StringFlag{Name: flgBaseline, Usage: "compare with an earlier run's jsonl `FILE`: each store's findings new, still there, or fixed"},
			&cli.BoolFlag{Name: flgMerge, Usage: "the arguments are jsonl files of earlier runs: merge them into one roll-up without checking again"},
			&cli.StringFlag{Name: flgFailOn, Value: "error", Usage: "a store exits 1 when a finding is at or above this `LEVEL`: error, warning, info or never"},
			&cli.StringFlag{Name: flgAsOf, Usage: "take `YYYY-MM-DD` as today when reasoning about Amazon's report lag (default: today)"},
			&cli.StringFlag{Name: flgPeriod, Usage: "the period the Amazon reports cover, `YYYY-MM-DD..YYYY-MM-DD`, when their files do not say"},
			&cli.StringFlag{Name: flgEdition, Usage: "the AOM `EDITION` the stores run, full or lite"},
			&cli.StringFlag{Name: flgConfig, Usage: "read rule settings and ignores from `FILE` for every store"},
		}, crawlFlags()...),
		Action: runTriage,
	}
}

// triageLine is what triage reads back from a jsonl line.
type triageLine struct {
	Store struct {
		Name   string              `json:"name"`
		Pages  *render.TriagePages `json:"pages"`
		Inputs []struct {
			Path  string `json:"path"`
			Error string `json:"error"`
		} `json:"inputs"`
	} `json:"store"`
	Findings []render.TriageFinding `json:"findings"`
	Failed   []struct {
		Name  string `json:"name"`
		Error string `json:"error"`
	} `json:"failed"`
	Disabled []struct {
		Name string `json:"name"`
	} `json:"disabled"`
	Triage struct {
		TrackingID string `json:"tracking_id"`
	} `json:"triage"`
}

// triageExtra is what triage adds to check's JSON object on each line.
type triageExtra struct {
	TrackingID string `json:"tracking_id"`
}

// triageFormats are the formats triage writes; the single-store formats
// of check are not among them.
var triageFormats = []string{"text", "jsonl", "html"}

func lookupTriageFormat(name string) (string, error) {
	for _, f := range triageFormats {
		if strings.EqualFold(strings.TrimSpace(name), f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("%q is not a triage format (want %s)", name, strings.Join(triageFormats, ", "))
}

// triageOutput is one report of a run and the writer it goes to.
type triageOutput struct {
	name string
	path string   // "" for standard output
	f    *os.File // nil for standard output
	w    io.Writer
	err  error // the first write error
}

func (o *triageOutput) write(b []byte) {
	if o.err == nil {
		_, o.err = o.w.Write(b)
	}
}

// openTriageOutputs creates every report's file before the run starts, so
// that a path that cannot be written fails at once, not after the run.
func openTriageOutputs(specs []outputSpec, stdout io.Writer) ([]*triageOutput, error) {
	var outs []*triageOutput
	for _, sp := range specs {
		o := &triageOutput{name: sp.name, path: sp.path, w: stdout}
		if sp.path != "" {
			f, err := os.Create(sp.path)
			if err != nil {
				closeTriageOutputs(outs)
				return nil, &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the %s report: %w", sp.name, err)}
			}
			o.f, o.w = f, f
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// closeTriageOutputs closes the files and returns the first error of any
// report, naming its file.
func closeTriageOutputs(outs []*triageOutput) error {
	var first error
	for _, o := range outs {
		err := o.err
		if o.f != nil {
			if cerr := o.f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil && first == nil {
			first = fmt.Errorf("cannot write the %s report %s: %w", o.name, cmp.Or(o.path, "to standard output"), err)
		}
	}
	return first
}

// writeTriageReports writes the whole-run reports (text, html) once every
// store is known; jsonl was streamed as the stores finished.
func writeTriageReports(outs []*triageOutput, rows []*render.TriageRow) error {
	for _, o := range outs {
		if o.err != nil {
			continue
		}
		switch o.name {
		case "text":
			o.err = render.TriageText(o.w, rows)
		case "html":
			o.err = render.TriageHTML(o.w, rows)
		}
	}
	if err := closeTriageOutputs(outs); err != nil {
		return &exitError{code: checks.ExitBadInput, err: err}
	}
	return nil
}

func runTriage(c *cli.Context) error {
	failOn, err := parseFailOn(c.String(flgFailOn))
	if err != nil {
		return err
	}
	specs, err := parseOutputSpecs(c.StringSlice(flgFormat), c.String(flgOutput), lookupTriageFormat)
	if err != nil {
		return err
	}
	detail := false // html shows each store's findings in full
	for _, sp := range specs {
		detail = detail || sp.name == "html"
		if sp.name == "jsonl" && c.Bool(flgMerge) {
			return usageError("--%s writes the text or html roll-up, not jsonl: the jsonl files are already the merged data", flgMerge)
		}
	}
	var baseline map[string]map[string]bool
	if p := c.String(flgBaseline); p != "" {
		rows, err := readJSONLFiles([]string{p}, failOn, false)
		if err != nil {
			return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("--%s: %w", flgBaseline, err)}
		}
		baseline = baselineOf(rows)
	}
	if c.Bool(flgMerge) {
		if c.NArg() == 0 {
			return usageError("triage --merge needs the jsonl files of earlier runs")
		}
		rows, err := readJSONLFiles(c.Args().Slice(), failOn, detail)
		if err != nil {
			return &exitError{code: checks.ExitBadInput, err: err}
		}
		if dup := duplicateNames(rows); len(dup) > 0 {
			fmt.Fprintf(c.App.ErrWriter, "aomdoctor: warning: %d store names appear more than once in the files (%s); "+
				"the roll-up counts each line, but --baseline and tracking-id-shared tell stores apart by name: "+
				"give each store a name of its own across the shards (a folder name, or a path)\n", len(dup), strings.Join(dup[:min(3, len(dup))], ", "))
		}
		outs, err := openTriageOutputs(specs, c.App.Writer)
		if err != nil {
			return err
		}
		addSharedIDs(rows, failOn)
		compareBaseline(rows, baseline, "")
		if err := writeTriageReports(outs, rows); err != nil {
			return err
		}
		return triageExit(rows)
	}

	edition, err := parseEdition(c.String(flgEdition))
	if err != nil {
		return err
	}
	asOf, period, err := parseDates(c.String(flgAsOf), c.String(flgPeriod), time.Now())
	if err != nil {
		return err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	jobs := c.Int(flgJobs)
	if jobs < 1 {
		return usageError("--%s: %d is not a number of stores to check at a time; use 1 or more", flgJobs, jobs)
	}
	timeout := c.Duration(flgStoreTimeout)
	if timeout <= 0 {
		return usageError("--%s: %s is not a time limit; use a duration such as 60s", flgStoreTimeout, timeout)
	}
	crawlOpt, err := crawlOptions(c)
	if err != nil {
		return err
	}
	targets, err := triageTargets(c.Args().Slice(), c.String(flgTargets))
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return usageError("triage needs stores: FOLDER... whose subfolders or .zip files are stores, or --%s FILE", flgTargets)
	}
	outs, err := openTriageOutputs(specs, c.App.Writer)
	if err != nil {
		return err
	}

	defer tuneGCForTriage()()

	tc := &triageChecker{asOf: asOf, period: period, edition: edition, cfg: cfg, failOn: failOn,
		timeout: timeout, base: baseline, detail: detail, crawl: crawlOpt, names: triageNames(targets)}
	var prog *triageProgress
	if showsProgress(c.App.ErrWriter) {
		prog = &triageProgress{w: c.App.ErrWriter, total: len(targets), start: time.Now()}
	}
	rows := triageRun(c.Context, targets, jobs, tc.check, func(line []byte) {
		for _, o := range outs {
			if o.name == "jsonl" {
				o.write(line)
			}
		}
		prog.step()
	})
	prog.finish()
	addSharedIDs(rows, failOn)
	compareBaseline(rows, baseline, "")
	if err := writeTriageReports(outs, rows); err != nil {
		return err
	}
	return triageExit(rows)
}

// tuneGCForTriage trades part of triage's memory budget for fewer
// collections: checking thousands of small stores makes garbage that dies
// young, and the default target collects it after every few stores. The
// soft memory limit keeps the process within the 200 MB budget whatever
// the stores, collecting more often as it nears. GOGC or GOMEMLIMIT in the
// environment win. The returned func puts the settings back.
func tuneGCForTriage() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(160 << 20)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// triageTargets expands the arguments and --targets into one path a store.
func triageTargets(args []string, targetsFile string) ([]string, error) {
	var out []string
	for _, a := range args {
		out = append(out, expandTarget(a)...)
	}
	if targetsFile != "" {
		f, err := os.Open(targetsFile)
		if err != nil {
			return nil, &exitError{code: checks.ExitBadInput, err: fmt.Errorf("--%s: %w", flgTargets, err)}
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out = append(out, line)
		}
		if err := sc.Err(); err != nil {
			return nil, &exitError{code: checks.ExitBadInput, err: fmt.Errorf("--%s: %w", flgTargets, err)}
		}
	}
	return out, nil
}

// expandTarget takes a folder's subfolders and .zip files as its stores; a
// folder with neither, a file, or a path that does not exist is one store
// (the last an error row, as check would report it).
func expandTarget(p string) []string {
	fi, err := os.Stat(p)
	if err != nil || !fi.IsDir() {
		return []string{p}
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return []string{p}
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() || strings.EqualFold(filepath.Ext(name), ".zip") {
			out = append(out, filepath.Join(p, name))
		}
	}
	if len(out) == 0 {
		return []string{p}
	}
	return out
}

// triageChecker checks one store as check does.
type triageChecker struct {
	asOf    store.Date
	period  store.Period
	edition string
	cfg     *checks.Config
	failOn  checks.Severity
	timeout time.Duration
	base    map[string]map[string]bool // --baseline, nil without
	detail  bool                       // keep each finding's title, fix and evidence (html)
	crawl   crawl.Options              // for the stores given by URL
	names   map[string]string          // store names by target, unique in the run
}

// triageNames names each target's store as check would (its folder, its zip
// without .zip, its site), or by the target as given when two targets
// would share a name: the baseline and tracking-id-shared tell stores
// apart by name.
func triageNames(targets []string) map[string]string {
	short := make([]string, len(targets))
	count := map[string]int{}
	for i, t := range targets {
		if isURL(t) {
			short[i] = siteName(t)
		} else {
			short[i] = evidence.StoreName([]string{t})
		}
		count[short[i]]++
	}
	names := map[string]string{}
	for i, t := range targets {
		names[t] = short[i]
		if count[short[i]] > 1 {
			names[t] = t
		}
	}
	return names
}

func (tc *triageChecker) nameOf(target string) string {
	if n, ok := tc.names[target]; ok {
		return n
	}
	if isURL(target) {
		return siteName(target)
	}
	return evidence.StoreName([]string{target})
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// check returns the store's jsonl line and its row. A store that cannot be
// read, or takes too long, is a row with its error.
func (tc *triageChecker) check(ctx context.Context, target string) ([]byte, *render.TriageRow) {
	if isURL(target) {
		return tc.checkSite(ctx, target)
	}
	type answer struct {
		res *checks.Result
		id  string
	}
	cfg := tc.cfg
	if cfg == nil {
		// As check does: the store's own .aomdoctor.yml, found from its path up.
		if path, ok := evidence.FindConfig(target); ok {
			var err error
			if cfg, err = evidence.LoadConfig(path); err != nil {
				return tc.failed(target, err.Error())
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, tc.timeout)
	defer cancel()
	done := make(chan answer, 1)
	go func() {
		st, _ := evidence.LoadContext(ctx, []string{target})
		if ctx.Err() != nil {
			return // given up on: the answer would be of part of the store
		}
		st.Name = tc.nameOf(target)
		st.AsOf, st.Period, st.Edition = tc.asOf, tc.period, tc.edition
		res := checks.RunWith(st, ruleSet(), cfg, st.AsOf)
		done <- answer{res, checks.TrackingIDOf(st)}
	}()
	select {
	case a := <-done:
		return tc.line(a.res, a.id)
	case <-ctx.Done():
		// The load stops at its next read; the rules, which only compute,
		// finish in the background and their answer is dropped.
		return tc.failed(target, fmt.Sprintf("gave no answer within %s (--%s)", tc.timeout, flgStoreTimeout))
	}
}

// checkSite fetches a live store's pages, as scan does, within the store's
// time limit: the crawl stops a little before it and what was read is judged.
func (tc *triageChecker) checkSite(ctx context.Context, u string) ([]byte, *render.TriageRow) {
	if err := validateURLs("--"+flgTargets, []string{u}); err != nil {
		var ee *exitError
		if errors.As(err, &ee) && ee.err != nil {
			err = ee.err
		}
		return tc.failed(u, err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, tc.timeout)
	defer cancel()
	opt := tc.crawl
	opt.Deadline = min(opt.Deadline, tc.timeout*9/10)
	asOf := tc.asOf
	if asOf.IsZero() {
		asOf = store.DateOf(time.Now())
	}
	st := &store.Store{Name: tc.nameOf(u), Inputs: []store.Input{}, AsOf: asOf, Period: tc.period, Edition: tc.edition}
	addPages(st, crawl.Crawl(ctx, u, opt))
	return tc.line(checks.RunWith(st, ruleSet(), tc.cfg, st.AsOf), checks.TrackingIDOf(st))
}

func (tc *triageChecker) failed(target, msg string) ([]byte, *render.TriageRow) {
	st := &store.Store{Name: tc.nameOf(target), Inputs: []store.Input{{Path: target, Kind: store.KindUnknown, Err: fmt.Errorf("%s", msg)}}}
	return tc.line(&checks.Result{Store: st}, "")
}

// line is the store's jsonl line and its row. The row, exit code included,
// is read back from the line, so a live run and a --merge of its output
// agree by construction.
func (tc *triageChecker) line(res *checks.Result, trackingID string) ([]byte, *render.TriageRow) {
	b, err := json.Marshal(render.NewJSONReport(res))
	if err != nil {
		panic(err) // the report is plain data; failing to marshal it is a bug
	}
	extra, _ := json.Marshal(triageExtra{TrackingID: trackingID})
	// check's object with a "triage" member added; JSONVersion allows added fields.
	b = append(append(b[:len(b)-1], `,"triage":`...), extra...)
	row, err := rowOf(append(b, '}'), tc.failOn, tc.detail)
	if err != nil {
		panic(err)
	}
	if tc.base != nil {
		compareBaseline([]*render.TriageRow{row}, tc.base, checks.TrackingIDShared().Name)
		// The "baseline" member: a line is written before the other stores
		// are known, so tracking-id-shared is left out of its counts.
		bl, _ := json.Marshal(row.Base)
		b = append(append(b, `,"baseline":`...), bl...)
	}
	b = append(b, "}\n"...)
	return b, row
}

// triageRun checks every target on jobs workers; emit gets each store's
// line as it finishes, one at a time. The rows come back sorted by name.
func triageRun(ctx context.Context, targets []string, jobs int, check func(context.Context, string) ([]byte, *render.TriageRow), emit func([]byte)) []*render.TriageRow {
	work := make(chan string)
	type done struct {
		line []byte
		row  *render.TriageRow
	}
	results := make(chan done)
	var wg sync.WaitGroup
	for range min(jobs, len(targets)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				line, row := check(ctx, t)
				results <- done{line, row}
			}
		}()
	}
	go func() {
		for _, t := range targets {
			work <- t
		}
		close(work)
		wg.Wait()
		close(results)
	}()
	var rows []*render.TriageRow
	for d := range results {
		emit(d.line)
		rows = append(rows, d.row)
	}
	sortRows(rows)
	return rows
}

func sortRows(rows []*render.TriageRow) {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
}

// rowOf reads one jsonl line into a row.
// Without detail, each finding's title, fix and evidence are dropped.
func rowOf(line []byte, failOn checks.Severity, detail bool) (*render.TriageRow, error) {
	var l triageLine
	if err := json.Unmarshal(line, &l); err != nil {
		return nil, err
	}
	if !detail {
		for i := range l.Findings {
			f := &l.Findings[i]
			f.Title, f.Fix, f.Evidence = "", "", nil
		}
		l.Store.Pages = nil
	}
	row := &render.TriageRow{Name: l.Store.Name, Findings: l.Findings, TrackingID: l.Triage.TrackingID, Disabled: map[string]bool{}, Pages: l.Store.Pages}
	for _, d := range l.Disabled {
		row.Disabled[d.Name] = true
	}
	for _, in := range l.Store.Inputs {
		if in.Error != "" {
			row.Problems = append(row.Problems, in.Path+": "+in.Error)
		}
	}
	for _, f := range l.Failed {
		row.Problems = append(row.Problems, "rule "+f.Name+" failed: "+f.Error)
	}
	switch worst := row.Worst(); {
	case len(l.Failed) > 0:
		row.Code = checks.ExitRuleFailed
	case len(row.Problems) > 0:
		row.Code = checks.ExitBadInput
	case worst != 0 && worst >= failOn:
		row.Code = checks.ExitFindings
	}
	return row, nil
}

// readJSONLFiles reads earlier triage output, one row a line.
func readJSONLFiles(paths []string, failOn checks.Severity, detail bool) ([]*render.TriageRow, error) {
	var rows []*render.TriageRow
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
		n := 0
		for sc.Scan() {
			n++
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			row, err := rowOf(sc.Bytes(), failOn, detail)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("%s:%d: not a line of 'triage --format jsonl': %w", p, n, err)
			}
			rows = append(rows, row)
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	sortRows(rows)
	return rows, nil
}

// duplicateNames lists, sorted, the store names that more than one row has.
func duplicateNames(rows []*render.TriageRow) []string {
	count := map[string]int{}
	for _, r := range rows {
		count[r.Name]++
	}
	var out []string
	for n, c := range count {
		if c > 1 {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// addSharedIDs adds the cross-store tracking-id-shared findings, which only
// the whole run can show.
func addSharedIDs(rows []*render.TriageRow, failOn checks.Severity) {
	rule := checks.TrackingIDShared()
	names, ids := make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name
		if !r.Disabled[rule.Name] {
			ids[i] = r.TrackingID
		}
	}
	for i, msg := range checks.SharedTrackingIDs(names, ids) {
		if msg == "" {
			continue
		}
		r := rows[i]
		r.Findings = append(r.Findings, render.TriageFinding{Name: rule.Name, Severity: rule.Severity, Message: msg, Title: rule.Title, Fix: rule.Fix})
		sort.SliceStable(r.Findings, func(a, b int) bool { return r.Findings[a].Severity > r.Findings[b].Severity })
		if r.Code == checks.ExitOK && rule.Severity >= failOn {
			r.Code = checks.ExitFindings
		}
	}
}

func findingKey(f render.TriageFinding) string { return f.Name + "\x00" + f.Message }

// baselineOf is each earlier store's findings, by store name.
func baselineOf(rows []*render.TriageRow) map[string]map[string]bool {
	addSharedIDs(rows, checks.Never)
	out := map[string]map[string]bool{}
	for _, r := range rows {
		if out[r.Name] == nil {
			out[r.Name] = map[string]bool{}
		}
		for _, f := range r.Findings {
			out[r.Name][findingKey(f)] = true
		}
	}
	return out
}

// compareBaseline counts each store's findings as new, still there or fixed,
// matching on store name, rule and message.
// Findings of the rule named skip, if any, are left out on both sides.
func compareBaseline(rows []*render.TriageRow, base map[string]map[string]bool, skip string) {
	if base == nil {
		return
	}
	for _, r := range rows {
		prev := base[r.Name]
		c := &render.TriageBaseline{}
		seen := map[string]bool{}
		for k := range prev {
			if skip != "" && strings.HasPrefix(k, skip+"\x00") {
				seen[k] = true
			}
		}
		for i, f := range r.Findings {
			if f.Name == skip {
				continue
			}
			k := findingKey(f)
			seen[k] = true
			if prev[k] {
				c.Still++
				r.Findings[i].Status = "still"
			} else {
				c.New++
				r.Findings[i].Status = "new"
			}
		}
		for k := range prev {
			if !seen[k] {
				c.Fixed++
				name, msg, _ := strings.Cut(k, "\x00")
				c.FixedList = append(c.FixedList, render.TriageFinding{Name: name, Message: msg})
			}
		}
		sort.Slice(c.FixedList, func(i, j int) bool { return findingKey(c.FixedList[i]) < findingKey(c.FixedList[j]) })
		r.Base = c
	}
}

func triageExit(rows []*render.TriageRow) error {
	code := checks.ExitOK
	for _, r := range rows {
		code = max(code, r.Code)
	}
	if code != checks.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// triageProgress is the line on a terminal's stderr while triage runs: a
// bar, the stores done, the rate and the time left, redrawn at most ten
// times a second.
type triageProgress struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	count int
	start time.Time
	drawn time.Time
}

const progressBarWidth = 24

func (p *triageProgress) step() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count++
	now := time.Now()
	if now.Sub(p.drawn) < 100*time.Millisecond && p.count < p.total {
		return
	}
	p.drawn = now
	el := now.Sub(p.start).Seconds()
	rate := float64(p.count) / max(el, 1e-9)
	left := time.Duration(float64(p.total-p.count) / rate * float64(time.Second)).Round(time.Second)
	fill := p.count * progressBarWidth / max(p.total, 1)
	bar := strings.Repeat("#", fill) + strings.Repeat("-", progressBarWidth-fill)
	fmt.Fprintf(p.w, "\r\x1b[K[%s] %d/%d stores, %.0f/s, about %s left", bar, p.count, p.total, rate, left)
}

func (p *triageProgress) finish() {
	if p == nil {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
}
