package main

import (
	"github.com/urfave/cli/v2"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
)

// Flag names of the config and terminal manners, for check and scan.
const (
	flgConfig      = "config"
	flgQuiet       = "quiet"
	flgShowIgnored = "show-ignored"
)

func configFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flgConfig, Usage: "read rule settings and ignores from `FILE` (default: " + checks.ConfigFile + " in the first PATH's folder or a parent)"},
		&cli.BoolFlag{Name: flgQuiet, Aliases: []string{"q"}, Usage: "print only the findings at or above --fail-on"},
		&cli.BoolFlag{Name: flgShowIgnored, Usage: "list the findings the config ignores, with their reasons"},
	}
}

// loadConfig reads --config, or else the .aomdoctor.yml found from check's
// first PATH upwards; scan has no folder to look in. No config is nil.
func loadConfig(c *cli.Context) (*checks.Config, error) {
	path := c.String(flgConfig)
	if path == "" {
		if c.Command.Name != "check" || c.NArg() == 0 {
			return nil, nil
		}
		found, ok := evidence.FindConfig(c.Args().First())
		if !ok {
			return nil, nil
		}
		path = found
	}
	cfg, err := evidence.LoadConfig(path)
	if err != nil {
		return nil, &exitError{code: checks.ExitBadInput, err: err}
	}
	return cfg, nil
}
