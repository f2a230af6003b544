package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aomdoctor/aomdoctor/checks"
)

// version is set at build time with -ldflags "-X main.version=..."; without
// it the module version (or "devel") is shown.
var version = ""

func appVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// exitError carries an exit code out of an action. A nil err means the
// action already said everything it had to say.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks a mistake in how the command was called (exit 2).
func usageError(format string, a ...any) error {
	return &exitError{code: checks.ExitBadInput, err: fmt.Errorf(format, a...)}
}

func newApp(stdout, stderr io.Writer) *cli.App {
	// -v belongs to check's --verbose, as in most linters; --version stays long.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version and exit"}
	app := &cli.App{
		Name:    "aomdoctor",
		Usage:   "find why an Associate-O-Matic store earns nothing on Amazon",
		Version: appVersion(),
		Description: "aomdoctor reads the evidence a store owner already has (AOM settings, Amazon\n" +
			"Associates reports, cart-report emails, the store's pages) and reports what is\n" +
			"wrong, the proof, and exactly what to do about it.",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: false,
		// Errors are mapped to exit codes in run, the one place that decides.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &exitError{code: checks.ExitBadInput, err: err}
		},
		Commands: []*cli.Command{
			checkCommand(),
			scanCommand(),
			triageCommand(),
			bundleCommand(),
			rulesCommand(),
			explainCommand(),
			initCommand(),
			completionCommand(),
		},
		EnableBashCompletion: true,
	}
	// Without this, a mistyped flag makes urfave/cli print the whole help to
	// stdout; run prints the one line that matters to stderr instead.
	for _, c := range app.Commands {
		c.OnUsageError = app.OnUsageError
	}
	return app
}

// run is the testable entry point: it never exits the process.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return checks.ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "aomdoctor: %s\n", ee.err)
			if ee.code == checks.ExitBadInput && isUsageMistake(ee.err) {
				fmt.Fprintln(stderr, "Run 'aomdoctor --help' for usage.")
			}
		}
		return ee.code
	}
	// Anything else comes from flag parsing or an unknown command: a usage error.
	fmt.Fprintf(stderr, "aomdoctor: %s\nRun 'aomdoctor --help' for usage.\n", err)
	return checks.ExitBadInput
}

func isUsageMistake(err error) bool {
	s := err.Error()
	return strings.Contains(s, "flag") || strings.Contains(s, "argument")
}
