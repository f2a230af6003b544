package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/cmd/aomdoctor/render"
)

// output is one report to write: a format and where it goes. An empty path
// means standard output.
type output struct {
	format render.Format
	path   string
}

// parseFormats reads check's and scan's repeatable --format: NAME goes to
// standard output (or to --output), NAME=FILE to FILE. At most one report
// goes to standard output; none given means text.
func parseFormats(values []string, outFile string) ([]output, error) {
	specs, err := parseOutputSpecs(values, outFile, func(name string) (string, error) {
		f, err := render.Lookup(name)
		return f.Name, err
	})
	if err != nil {
		return nil, err
	}
	outs := make([]output, len(specs))
	for i, sp := range specs {
		f, _ := render.Lookup(sp.name)
		outs[i] = output{format: f, path: sp.path}
	}
	return outs, nil
}

// outputSpec is one --format: a format's name and its file ("" for
// standard output).
type outputSpec struct{ name, path string }

// parseOutputSpecs reads a repeatable --format NAME[=FILE] for any command;
// lookup gives a name's canonical form or says why it is not a format.
func parseOutputSpecs(values []string, outFile string, lookup func(string) (string, error)) ([]outputSpec, error) {
	if len(values) == 0 {
		values = []string{"text"}
	}
	var outs []outputSpec
	toStdout := -1
	seen := map[string]string{}
	for _, v := range values {
		raw, path, hasFile := strings.Cut(v, "=")
		name, err := lookup(raw)
		if err != nil {
			return nil, usageError("--%s: %v", flgFormat, err)
		}
		if hasFile {
			path = strings.TrimSpace(path)
			if path == "" {
				return nil, usageError("--%s %s: the file name after = is empty (use %s=FILE, or %s for standard output)", flgFormat, v, name, name)
			}
		} else {
			if toStdout >= 0 {
				return nil, usageError("--%s: %s and %s would both go to %s; give one of them a file (%s=FILE)",
					flgFormat, outs[toStdout].name, name, cmp.Or(outFile, "standard output"), name)
			}
			toStdout = len(outs)
			path = outFile
		}
		if path != "" {
			key := filepath.Clean(path)
			if other, dup := seen[key]; dup {
				return nil, usageError("--%s: %s and %s would both be written to %s", flgFormat, other, name, path)
			}
			seen[key] = name
		}
		outs = append(outs, outputSpec{name: name, path: path})
	}
	if toStdout < 0 && outFile != "" {
		return nil, usageError("--%s %s: every --%s names its own file; give --%s NAME without =FILE for this file, or leave --%s out", flgOutput, outFile, flgFormat, flgFormat, flgOutput)
	}
	return outs, nil
}

// writeReports renders res in every requested format, each to its place. A
// report that cannot be written does not stop the others; the first error is
// returned. humanOnStdout says whether a person reading standard output saw
// a report that lists input problems itself.
func writeReports(outs []output, res *checks.Result, stdout io.Writer, opts render.Options, color bool) (humanOnStdout bool, err error) {
	for _, o := range outs {
		var werr error
		if o.path == "" {
			opts.Color = color
			werr = o.format.Render(stdout, res, opts)
			humanOnStdout = o.format.Human
		} else {
			werr = writeReportFile(o, res, opts)
		}
		if werr != nil && err == nil {
			err = werr
		}
	}
	return humanOnStdout, err
}

func writeReportFile(o output, res *checks.Result, opts render.Options) error {
	f, err := os.Create(o.path)
	if err != nil {
		return err
	}
	opts.Color = false
	werr := o.format.Render(f, res, opts)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("%s: %w", o.path, werr)
	}
	return nil
}
