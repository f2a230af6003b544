package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
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
		// A repeatable flag is repeated, never split at commas: a file name
		// (--format json=a,b.json) or a URL (--site) may hold one.
		DisableSliceFlagSeparator: true,
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
	err := app.Run(flagsFirst(app, args))
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

// flagsFirst moves the flags a user gave after the arguments of a command
// ("check DIR --format json", "bundle DIR -o store.zip") to before them,
// where urfave/cli looks for them: its parser, like Go's flag package, takes
// everything from the first argument on as arguments. Which flags take a
// value comes from the command's own flag definitions, so a value is never
// taken for an argument nor an argument for a value. "--" ends the flags:
// what follows it stays an argument, as does a lone "-". A flag the command
// does not define is moved too, so that the parser reports it by name. A
// command that parses no flags, or an unknown command, is left as given;
// --help anywhere among a command's arguments asks for its help alone.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	// Shell completion asks with a last "--generate-bash-completion", and
	// urfave/cli looks for it there only.
	tail := []string{}
	if last := args[len(args)-1]; app.EnableBashCompletion && last == "--"+cli.BashCompletionFlag.Names()[0] {
		args, tail = args[:len(args)-1], []string{last}
	}
	out := []string{args[0]}
	// The application's own flags (--help, --version) come before the
	// command's name.
	global := flagTable(app.Flags, cli.HelpFlag, cli.VersionFlag)
	i := 1
	for ; i < len(args) && isFlagArg(args[i]); i++ {
		out = append(out, args[i])
		if global.takesValue(args[i]) && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	if i == len(args) || args[i] == "--" {
		return append(append(out, args[i:]...), tail...)
	}
	out = append(out, args[i])
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.HasName(args[i]) {
			cmd = c
			break
		}
	}
	if cmd == nil || cmd.SkipFlagParsing {
		return append(append(out, args[i+1:]...), tail...)
	}
	return append(append(out, cmdFlagsFirst(cmd, args[i+1:])...), tail...)
}

// cmdFlagsFirst reorders the arguments of one command: its flags (with
// their values) first, then "--" if the user gave one, then the arguments in
// their order.
func cmdFlagsFirst(cmd *cli.Command, args []string) []string {
	var help cli.Flag
	if !cmd.HideHelp {
		help = cli.HelpFlag
	}
	table := flagTable(cmd.Flags, help)
	var flags, positional []string
	dashdash := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			dashdash = true
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case help != nil && isFlagArg(a) && slices.Contains(help.Names(), strings.TrimLeft(a, "-")):
			// urfave/cli takes an argument after --help for a help topic
			// ("No help topic for 'DIR'"): asking for help is all there is.
			return []string{a}
		case isFlagArg(a) && table.takesValue(a) && i+1 == len(args):
			// A flag missing its value goes last, with nothing after it
			// to be taken for the value: the parser says it needs one.
			return append(flags, a)
		case isFlagArg(a):
			flags = append(flags, a)
			if table.takesValue(a) {
				i++
				flags = append(flags, args[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	if dashdash {
		flags = append(flags, "--")
	}
	return append(flags, positional...)
}

// isFlagArg tells a flag ("-o", "--format=json") from an argument; a lone
// "-" (standard input, by custom) is an argument and "--" ends the flags.
func isFlagArg(a string) bool {
	return len(a) > 1 && a[0] == '-' && a != "--"
}

// flagArity knows, by every name and alias, whether a flag takes a value.
type flagArity map[string]bool

func flagTable(flags []cli.Flag, extra ...cli.Flag) flagArity {
	t := flagArity{}
	for _, f := range append(append([]cli.Flag(nil), flags...), extra...) {
		if f == nil {
			continue
		}
		// Every flag but a boolean one takes a value; urfave/cli says which
		// through DocGenerationFlag, and a flag that does not say is taken
		// to need one, as its parser would.
		value := true
		if d, ok := f.(cli.DocGenerationFlag); ok {
			value = d.TakesValue()
		}
		for _, n := range f.Names() {
			t[n] = value
		}
	}
	return t
}

// takesValue reports whether the flag argument a ("-o", "--output") takes
// the next argument as its value: not when the value is given with "=", not
// for a boolean flag, and not for a flag the command does not define (the
// parser stops at it with an error naming it).
func (t flagArity) takesValue(a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return false
	}
	return t[name]
}
