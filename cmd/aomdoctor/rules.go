package main

import (
	"github.com/urfave/cli/v2"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/cmd/aomdoctor/render"
)

// Flag names of the rules command (it shares --format with check).
const flgRulesFormat = "format"

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list every rule: ID, name, severity, title and the evidence it needs",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flgRulesFormat, Aliases: []string{"f"}, Value: "text", Usage: "text, json or markdown (the README's rule table)"},
		},
		Action: func(c *cli.Context) error {
			err := render.Rules(c.App.Writer, c.String(flgRulesFormat), checks.Rules())
			if err != nil {
				return usageError("--%s: %v", flgRulesFormat, err)
			}
			return nil
		},
	}
}

func explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "explain a rule: why it matters and how to fix it",
		ArgsUsage: "NAME-or-ID",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("explain needs exactly one argument: a rule name or ID (see 'aomdoctor rules')")
			}
			r := checks.Lookup(c.Args().First())
			if r == nil {
				return usageError("no rule is named %q; 'aomdoctor rules' lists them all", c.Args().First())
			}
			return render.Explain(c.App.Writer, r)
		},
	}
}
