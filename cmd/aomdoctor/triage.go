package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
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
			"store; a .zip named outright is one store). --targets FILE lists stores, one path a line.\n" +
			"Each store is checked exactly as 'aomdoctor check' would check it.\n\n" +
			"--format jsonl writes one line per store, the object of 'check --format json', in the\n" +
			"order the stores finish; --format text a table sorted by store name and a roll-up.\n" +
			"--merge reads earlier jsonl output instead of checking: the roll-up of several shards.\n\n" +
			"Exit codes: the worst of every store's, as check decides it (3 > 2 > 1 > 0).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flgFormat, Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: text or jsonl"},
			&cli.StringFlag{Name: flgTargets, Usage: "read the stores from `FILE`, one path a line (# starts a comment)"},
			&cli.IntFlag{Name: flgJobs, Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "check `N` stores at a time"},
			&cli.DurationFlag{Name: flgStoreTimeout, Value: 60 * time.Second, Usage: "give up on a store after `DURATION` and report it as an error"},
			&cli.StringFlag{Name: flgBaseline, Usage: "compare with an earlier run's jsonl `FILE`: each store's findings new, still there, or fixed"},
			&cli.BoolFlag{Name: flgMerge, Usage: "the arguments are jsonl files of earlier runs: merge them into one roll-up without checking again"},
			&cli.StringFlag{Name: flgFailOn, Value: "error", Usage: "a store exits 1 when a finding is at or above this `LEVEL`: error, warning, info or never"},
			&cli.StringFlag{Name: flgAsOf, Usage: "take `YYYY-MM-DD` as today when reasoning about Amazon's report lag (default: today)"},
			&cli.StringFlag{Name: flgPeriod, Usage: "the period the Amazon reports cover, `YYYY-MM-DD..YYYY-MM-DD`, when their files do not say"},
			&cli.StringFlag{Name: flgEdition, Usage: "the AOM `EDITION` the stores run, full or lite"},
			&cli.StringFlag{Name: flgConfig, Usage: "read rule settings and ignores from `FILE` for every store"},
		},
		Action: runTriage,
	}
}

// triageLine is what triage reads back from a jsonl line.
type triageLine struct {
	Store struct {
		Name   string `json:"name"`
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

// jsonlBaseline is the "baseline" member of a jsonl line. A line is written
// before the other stores are known, so tracking-id-shared is left out of
// its counts on both sides.
type jsonlBaseline = render.TriageBaseline

func runTriage(c *cli.Context) error {
	failOn, err := parseFailOn(c.String(flgFailOn))
	if err != nil {
		return err
	}
	format := strings.ToLower(strings.TrimSpace(c.String(flgFormat)))
	if format != "text" && format != "jsonl" {
		return usageError("--%s: %q is not a triage format; use text or jsonl", flgFormat, c.String(flgFormat))
	}
	var baseline map[string]map[string]bool
	if p := c.String(flgBaseline); p != "" {
		rows, err := readJSONLFiles([]string{p}, failOn)
		if err != nil {
			return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("--%s: %w", flgBaseline, err)}
		}
		baseline = baselineOf(rows)
	}
	if c.Bool(flgMerge) {
		if format != "text" {
			return usageError("--%s writes the text roll-up only; drop --%s %s", flgMerge, flgFormat, format)
		}
		if c.NArg() == 0 {
			return usageError("triage --merge needs the jsonl files of earlier runs")
		}
		rows, err := readJSONLFiles(c.Args().Slice(), failOn)
		if err != nil {
			return &exitError{code: checks.ExitBadInput, err: err}
		}
		addSharedIDs(rows, failOn)
		compareBaseline(rows, baseline, "")
		if err := render.TriageText(c.App.Writer, rows); err != nil {
			return &exitError{code: checks.ExitBadInput, err: err}
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
	targets, err := triageTargets(c.Args().Slice(), c.String(flgTargets))
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return usageError("triage needs stores: FOLDER... whose subfolders or .zip files are stores, or --%s FILE", flgTargets)
	}

	tc := &triageChecker{asOf: asOf, period: period, edition: edition, cfg: cfg, failOn: failOn, timeout: timeout, base: baseline}
	var prog *triageProgress
	if f, ok := c.App.ErrWriter.(*os.File); ok && os.Getenv("CI") == "" && term.IsTerminal(int(f.Fd())) {
		prog = &triageProgress{w: f, total: len(targets), start: time.Now()}
	}
	var werr error
	rows := triageRun(targets, jobs, tc.check, func(line []byte) {
		if format == "jsonl" && werr == nil {
			_, werr = c.App.Writer.Write(line)
		}
		prog.step()
	})
	prog.finish()
	if werr != nil {
		return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the report: %w", werr)}
	}
	addSharedIDs(rows, failOn)
	compareBaseline(rows, baseline, "")
	if format == "text" {
		if err := render.TriageText(c.App.Writer, rows); err != nil {
			return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the report: %w", err)}
		}
	}
	return triageExit(rows)
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
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// check returns the store's jsonl line and its row. A store that cannot be
// read, or takes too long, is a row with its error.
func (tc *triageChecker) check(target string) ([]byte, *render.TriageRow) {
	if isURL(target) {
		return tc.failed(target, "checking a live store by URL is not supported by triage yet; use 'aomdoctor scan URL'")
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
	done := make(chan answer, 1)
	go func() {
		st, _ := evidence.Load([]string{target})
		st.AsOf, st.Period, st.Edition = tc.asOf, tc.period, tc.edition
		res := checks.RunWith(st, ruleSet(), cfg, st.AsOf)
		done <- answer{res, checks.TrackingIDOf(st)}
	}()
	timer := time.NewTimer(tc.timeout)
	defer timer.Stop()
	select {
	case a := <-done:
		return tc.line(a.res, a.id)
	case <-timer.C:
		// The reader cannot be interrupted; it finishes in the background
		// and its answer is dropped.
		return tc.failed(target, fmt.Sprintf("gave no answer within %s (--%s)", tc.timeout, flgStoreTimeout))
	}
}

func (tc *triageChecker) failed(target, msg string) ([]byte, *render.TriageRow) {
	name := target
	if !isURL(target) {
		name = strings.TrimSuffix(filepath.Base(filepath.Clean(target)), filepath.Ext(target))
	}
	st := &store.Store{Name: name, Inputs: []store.Input{{Path: target, Kind: store.KindUnknown, Err: fmt.Errorf("%s", msg)}}}
	return tc.line(&checks.Result{Store: st}, "")
}

func (tc *triageChecker) line(res *checks.Result, trackingID string) ([]byte, *render.TriageRow) {
	b, err := json.Marshal(render.NewJSONReport(res))
	if err != nil {
		panic(err) // the report is plain data; failing to marshal it is a bug
	}
	extra, _ := json.Marshal(triageExtra{TrackingID: trackingID})
	// check's object with a "triage" member added; JSONVersion allows added fields.
	b = append(append(b[:len(b)-1], `,"triage":`...), extra...)
	row, err := rowOf(append(b, '}'), tc.failOn)
	if err != nil {
		panic(err)
	}
	if tc.base != nil {
		compareBaseline([]*render.TriageRow{row}, tc.base, checks.TrackingIDShared().Name)
		bl, _ := json.Marshal(jsonlBaseline(*row.Base))
		b = append(append(b, `,"baseline":`...), bl...)
	}
	b = append(b, "}\n"...)
	row.Code = checks.ExitCode(res, tc.failOn)
	return b, row
}

// triageRun checks every target on jobs workers; emit gets each store's
// line as it finishes, one at a time. The rows come back sorted by name.
func triageRun(targets []string, jobs int, check func(string) ([]byte, *render.TriageRow), emit func([]byte)) []*render.TriageRow {
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
				line, row := check(t)
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
func rowOf(line []byte, failOn checks.Severity) (*render.TriageRow, error) {
	var l triageLine
	if err := json.Unmarshal(line, &l); err != nil {
		return nil, err
	}
	row := &render.TriageRow{Name: l.Store.Name, Findings: l.Findings, TrackingID: l.Triage.TrackingID, Disabled: map[string]bool{}}
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
func readJSONLFiles(paths []string, failOn checks.Severity) ([]*render.TriageRow, error) {
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
			row, err := rowOf(sc.Bytes(), failOn)
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
		r.Findings = append(r.Findings, render.TriageFinding{Name: rule.Name, Severity: rule.Severity, Message: msg})
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
		for _, f := range r.Findings {
			if f.Name == skip {
				continue
			}
			k := findingKey(f)
			seen[k] = true
			if prev[k] {
				c.Still++
			} else {
				c.New++
			}
		}
		for k := range prev {
			if !seen[k] {
				c.Fixed++
			}
		}
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

// triageProgress is the line on a terminal's stderr while triage runs.
type triageProgress struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	count int
	start time.Time
}

func (p *triageProgress) step() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count++
	el := time.Since(p.start).Seconds()
	rate := float64(p.count) / max(el, 1e-9)
	left := time.Duration(float64(p.total-p.count) / rate * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(p.w, "\r\x1b[K%d/%d stores, %.1f/s, about %s left", p.count, p.total, rate, left)
}

func (p *triageProgress) finish() {
	if p == nil {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
}
