package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
	"github.com/aomdoctor/aomdoctor/cmd/aomdoctor/render"
)

// Flag names of the check command; the output flags and --edition are
// scan's too.
const (
	flgFormat  = "format"
	flgOutput  = "output"
	flgFailOn  = "fail-on"
	flgVerbose = "verbose"
	flgNoColor = "no-color"
	flgAsOf    = "as-of"
	flgPeriod  = "period"
	flgEdition = "edition"
	flgSite    = "site"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check one store's evidence and report what is wrong",
		ArgsUsage: "PATH...",
		Description: "PATH is a file, a folder (read recursively) or a .zip of them, in any mix: all of\n" +
			"one store. Each file's kind is detected from its content, not its name.\n\n" +
			"Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,\n" +
			"2 a usage error or an input that could not be read, 3 a rule failed.",
		Flags: append(append(outputFlags(),
			&cli.StringFlag{Name: flgAsOf, Usage: "take `YYYY-MM-DD` as today when reasoning about Amazon's report lag (default: today)"},
			&cli.StringFlag{Name: flgPeriod, Usage: "the period the Amazon reports cover, `YYYY-MM-DD..YYYY-MM-DD`, when their files do not say"},
			&cli.StringSliceFlag{Name: flgSite, Usage: "also fetch the live store at `URL` and judge its pages with the rest (repeat for more start pages)"},
		), crawlFlags()...),
		Action: runCheck,
	}
}

// outputFlags are the flags of every command that judges a store and
// reports: check and scan.
func outputFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringSliceFlag{Name: flgFormat, Aliases: []string{"f"}, Usage: "output `FORMAT`: " + strings.Join(render.Names(), ", ") + " (default: text); repeat for several, NAME=FILE writes that one to FILE"},
		&cli.StringFlag{Name: flgOutput, Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
		&cli.StringFlag{Name: flgFailOn, Value: "error", Usage: "exit 1 when a finding is at or above this `LEVEL`: error, warning, info or never"},
		&cli.BoolFlag{Name: flgVerbose, Aliases: []string{"v"}, Usage: "also list every input and the kind it was taken for"},
		&cli.BoolFlag{Name: flgNoColor, Usage: "never colour the output (NO_COLOR in the environment does the same)"},
		&cli.StringFlag{Name: flgEdition, Usage: "the AOM `EDITION` the store runs, full or lite (Lite sends about 1 in 10 buy buttons with AOM's ID)"},
	}, configFlags()...)
}

func parseFailOn(s string) (checks.Severity, error) {
	if strings.EqualFold(strings.TrimSpace(s), "never") {
		return checks.Never, nil
	}
	sev, err := checks.ParseSeverity(s)
	if err != nil {
		return 0, usageError("--%s: %q is not a level; use error, warning, info or never", flgFailOn, s)
	}
	return sev, nil
}

func runCheck(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageError("check needs at least one PATH: a file, folder or .zip of the store's evidence (for example 'aomdoctor check my-store/')")
	}
	rep, err := newReporter(c)
	if err != nil {
		return err
	}
	asOf, period, err := parseDates(c.String(flgAsOf), c.String(flgPeriod), time.Now())
	if err != nil {
		return err
	}
	sites := c.StringSlice(flgSite)
	if err := validateURLs("--"+flgSite, sites); err != nil {
		return err
	}
	opt, err := crawlOptions(c)
	if err != nil {
		return err
	}

	st, loadErr := evidence.Load(c.Args().Slice())
	st.AsOf, st.Period, st.Edition = asOf, period, rep.edition
	if len(sites) > 0 {
		addPages(st, crawlSites(c, sites, opt))
	}
	return rep.report(c, st, loadErr)
}

// reporter is what check and scan share after the evidence is read: the
// output flags, parsed and checked before any work is done.
type reporter struct {
	failOn  checks.Severity
	outputs []output // each --format and where it goes
	edition string
	cfg     *checks.Config // nil without a config file
}

func newReporter(c *cli.Context) (*reporter, error) {
	failOn, err := parseFailOn(c.String(flgFailOn))
	if err != nil {
		return nil, err
	}
	outputs, err := parseFormats(c.StringSlice(flgFormat), c.String(flgOutput))
	if err != nil {
		return nil, err
	}
	edition, err := parseEdition(c.String(flgEdition))
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return nil, err
	}
	return &reporter{failOn: failOn, outputs: outputs, edition: edition, cfg: cfg}, nil
}

// parseEdition reads --edition: "", "full" or "lite".
func parseEdition(s string) (string, error) {
	switch e := strings.ToLower(strings.TrimSpace(s)); e {
	case "", "full", "lite":
		return e, nil
	}
	return "", usageError("--%s: %q is not an AOM edition; use full or lite", flgEdition, s)
}

// report runs the rules on st, renders the result where --output says, and
// turns it into the exit code: the one path from evidence to exit for check
// and scan alike. loadErr is the inputs' problems, already in st.Inputs.
func (rep *reporter) report(c *cli.Context, st *store.Store, loadErr error) error {
	res := checks.RunWith(st, ruleSet(), rep.cfg, st.AsOf)

	opts := render.Options{
		Verbose: c.Bool(flgVerbose),
		Width:   render.DefaultWidth,
		Command: c.Command.Name,

		Quiet:       c.Bool(flgQuiet),
		FailOn:      rep.failOn,
		ShowIgnored: c.Bool(flgShowIgnored),
	}
	color := !c.Bool(flgNoColor) && colorAllowed(c.App.Writer)
	humanOnStdout, werr := writeReports(rep.outputs, res, c.App.Writer, opts, color)
	if werr != nil {
		return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the report: %w", werr)}
	}
	// The text report lists input problems itself; when no report a person
	// reads goes to standard output, a person watching stderr still hears of them.
	if loadErr != nil && !humanOnStdout {
		fmt.Fprintf(c.App.ErrWriter, "aomdoctor: some inputs could not be read:\n%s", indentErrors(res))
	}
	for _, fe := range res.Failed {
		fmt.Fprintf(c.App.ErrWriter, "aomdoctor: %v\nThis is a bug in aomdoctor; please report it with the input that caused it.\n", fe)
	}
	if code := checks.ExitCode(res, rep.failOn); code != checks.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// parseDates reads --as-of (default: today's date here) and --period.
func parseDates(asOf, period string, now time.Time) (store.Date, store.Period, error) {
	day := store.DateOf(now)
	if asOf != "" {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(asOf))
		if err != nil {
			return day, store.Period{}, usageError("--%s: %q is not a date; use YYYY-MM-DD", flgAsOf, asOf)
		}
		day = store.DateOf(t)
	}
	var p store.Period
	if period != "" {
		from, to, ok := strings.Cut(strings.TrimSpace(period), "..")
		f, err1 := time.Parse(time.DateOnly, strings.TrimSpace(from))
		t, err2 := time.Parse(time.DateOnly, strings.TrimSpace(to))
		if !ok || err1 != nil || err2 != nil {
			return day, p, usageError("--%s: %q is not a period; use YYYY-MM-DD..YYYY-MM-DD", flgPeriod, period)
		}
		if t.Before(f) {
			return day, p, usageError("--%s: the period ends (%s) before it starts (%s)", flgPeriod, to, from)
		}
		p = store.Period{From: store.DateOf(f), To: store.DateOf(t), Source: store.Source{Path: "--" + flgPeriod}}
	}
	return day, p, nil
}

func indentErrors(res *checks.Result) string {
	var b strings.Builder
	for _, in := range res.InputErrors() {
		fmt.Fprintf(&b, "  %s: %v\n", in.Path, in.Err)
	}
	return b.String()
}

// colorAllowed reports whether w is a terminal and the user has not asked
// for plain output through NO_COLOR (https://no-color.org) or TERM=dumb.
func colorAllowed(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	// A character device is not enough (/dev/null is one): ask the terminal.
	return ok && term.IsTerminal(int(f.Fd()))
}

// ruleSet is the rules check runs; tests swap it to prove how a failing rule
// is reported.
var ruleSet = checks.Rules
