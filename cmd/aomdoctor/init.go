package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/aomdoctor/aomdoctor/checks"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "write a commented starter " + checks.ConfigFile + " in the current folder",
		Description: "The file tunes the rules for one store: put it in the store's evidence folder (or a\n" +
			"parent) and 'aomdoctor check' finds it. An existing file is never overwritten.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flgOutput, Aliases: []string{"o"}, Value: checks.ConfigFile, Usage: "write the starter config to `FILE`"},
		},
		Action: runInit,
	}
}

func runInit(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("init takes no arguments; give the file with --%s FILE", flgOutput)
	}
	path := c.String(flgOutput)
	// O_EXCL: refuse to overwrite, even a file created a moment ago.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("%s already exists; edit it, or remove it to start again", path)}
	}
	if err != nil {
		return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the config: %w", err)}
	}
	_, werr := f.WriteString(starterConfig)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the config: %w", werr)}
	}
	fmt.Fprintf(c.App.Writer, "Wrote %s. Edit it, then run 'aomdoctor check' on the folder it is in.\n", path)
	return nil
}

// starterConfig is what init writes: every key, commented out where a value
// would change what is checked, so the file does nothing until edited.
const starterConfig = `# aomdoctor configuration for one store.
# 'aomdoctor check PATH' reads the .aomdoctor.yml in PATH's folder or the
# nearest parent folder; --config FILE names another. 'aomdoctor rules'
# lists the rule names and IDs used below (either works).

# Rules not to run at all.
disable: []
#  - link-checker-false-failure

# Run only these rules (leave it out to run every rule).
# enable-only: [associate-id-missing, associate-id-default]

# Change a rule's severity: error, warning or info. A finding's severity
# decides the exit code with --fail-on.
severity: {}
#  connection-method-not-default: error

# Findings you have looked at and accept. Each entry needs a reason; match
# narrows it to findings whose message or evidence path contains the text;
# expires (YYYY-MM-DD) makes it stop ignoring after that day, so the
# decision gets a second look. Ignored findings are counted, and listed
# with --show-ignored.
ignore: []
#  - rule: link-checker-false-failure
#    reason: Amazon's Link Checker cannot read AOM's encoded links; checked by hand
#  - rule: associate-id-unknown
#    match: gardenshop-21
#    reason: the UK ID is new and not in the reports yet
#    expires: 2026-12-31

# Facts about the store that its evidence may not say.
store: {}
#  name: Garden Shop
#  edition: full          # full or lite
#  marketplace: Amazon.com
`
