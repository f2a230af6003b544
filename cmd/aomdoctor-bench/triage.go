package main

// The triage figures: many small stores in stores per second, and stores
// with a year of reports in MB/s beside `cat` of the same files.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// The days the stores are checked on: after the period their reports
// cover, so no cart is "not yet processed".
const (
	smallAsOf = "2009-12-15"
	yearAsOf  = "2010-01-15"
)

func triageArgs(o options, asOf, dir string) []string {
	return []string{"triage", "--format", "jsonl", "--jobs", fmt.Sprint(o.jobs), "--as-of", asOf, dir}
}

func benchTriageSmall(o options) ([]string, error) {
	dir := filepath.Join(o.dir, "small-stores")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	fmt.Printf("== triage of many small stores\ngenerating %d small stores in %s ...\n", o.triageStores, dir)
	start := time.Now()
	set, err := writeStores(dir, o.triageStores, o.seed, smallStore)
	if err != nil {
		return nil, err
	}
	fmt.Printf("wrote %d stores (%d as .zip, %d files), %.1f MB in %.1fs; %s\n", len(set.names), set.zips, len(set.files),
		float64(set.bytes)/(1<<20), time.Since(start).Seconds(), set.describeFlaws())

	// The stores were just written: flush them (reading pages still being
	// written back is slower), and cat them so that they are all in the
	// page cache before triage is timed.
	syscall.Sync()
	if _, err := measureCat(1, set.files); err != nil {
		return nil, err
	}
	m, tally, err := measureTriage(o.runs, o.bin, triageArgs(o, smallAsOf, dir), set)
	if err != nil {
		return nil, err
	}
	fmt.Printf("findings (one line per store, no input errors): %s\n", tally)
	rate := float64(len(set.names)) / m.wall.Seconds()
	fmt.Printf("\n%-44s %10s %10s %10s\n", "run", "seconds", "stores/s", "peak MB")
	fmt.Printf("%-44s %10.3f %10.0f %10.1f\n\n", fmt.Sprintf("aomdoctor triage, %d small stores, %d jobs", len(set.names), o.jobs), m.wall.Seconds(), rate, m.peakMB)
	return []string{
		fmt.Sprintf("triage of %d small stores at 1,000 stores/s or more: %.0f stores/s  %s", len(set.names), rate, verdict(rate >= 1000)),
		fmt.Sprintf("triage of %d small stores under 200 MB: %.1f MB  %s", len(set.names), m.peakMB, verdict(m.peakMB < 200)),
	}, nil
}

func benchTriageYear(o options) ([]string, error) {
	dir := filepath.Join(o.dir, "year-stores")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	fmt.Printf("== triage of stores with a year of reports\ngenerating %d stores with a year of reports in %s ...\n", o.yearStores, dir)
	start := time.Now()
	set, err := writeStores(dir, o.yearStores, o.seed, yearStoreGen)
	if err != nil {
		return nil, err
	}
	mb := float64(set.bytes) / (1 << 20)
	fmt.Printf("wrote %d stores (%d files), %.1f MB in all (%.2f MB a store) in %.1fs\n", len(set.names), len(set.files), mb, mb/float64(len(set.names)), time.Since(start).Seconds())

	// The stores were just written: flush them (reading pages still being
	// written back is slower), and cat them once, untimed, so that they are
	// all in the page cache before cat and triage are timed.
	syscall.Sync()
	if _, err := measureCat(1, set.files); err != nil {
		return nil, err
	}
	cat, err := measureCat(o.yearRuns, set.files)
	if err != nil {
		return nil, err
	}
	m, tally, err := measureTriage(o.yearRuns, o.bin, triageArgs(o, yearAsOf, dir), set)
	if err != nil {
		return nil, err
	}
	fmt.Printf("findings (one line per store, no input errors): %s\n", tally)
	catRate, rate := mb/cat.Seconds(), mb/m.wall.Seconds()
	fmt.Printf("\n%-44s %10s %10s %10s\n", "run", "seconds", "MB/s", "peak MB")
	fmt.Printf("%-44s %10.3f %10.1f %10s\n", fmt.Sprintf("cat of the same %d files (the floor)", len(set.files)), cat.Seconds(), catRate, "-")
	fmt.Printf("%-44s %10.3f %10.1f %10.1f\n\n", fmt.Sprintf("aomdoctor triage, %d year stores, %d jobs", len(set.names), o.jobs), m.wall.Seconds(), rate, m.peakMB)
	return []string{
		fmt.Sprintf("triage of %d stores with a year of reports (%.0f MB): %.1f MB/s against cat's %.1f MB/s (the floor), %.1fx its time; peak %.1f MB  figure only (no target)",
			len(set.names), mb, rate, catRate, m.wall.Seconds()/cat.Seconds(), m.peakMB),
	}, nil
}

// describeFlaws says how many stores have each mistake.
func (s *storeSet) describeFlaws() string {
	names := map[flaw]string{healthy: "healthy", flawMissingID: "ID missing", flawDefaultID: "AOM's ID", flawTypoID: "ID mistyped",
		flawWrongMarketplace: "ID of another marketplace", flawConnection: "connection method changed", flawReportsOff: "cart reports off",
		flawNoCart: "no cart", flawKeys: "AWS keys mangled"}
	var parts []string
	for f := healthy; f <= flawKeys; f++ {
		if s.flaws[f] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", names[f], s.flaws[f]))
		}
	}
	return strings.Join(parts, ", ") + fmt.Sprintf("; %d stores share a tracking ID with another", s.sharing)
}

// jsonlLine is what the bench reads of a triage line.
type jsonlLine struct {
	Store struct {
		Name   string `json:"name"`
		Inputs []struct {
			Path  string `json:"path"`
			Error string `json:"error"`
		} `json:"inputs"`
	} `json:"store"`
	Findings []struct {
		Name string `json:"name"`
	} `json:"findings"`
	Failed []struct {
		Name  string `json:"name"`
		Error string `json:"error"`
	} `json:"failed"`
}

// jsonlCheck is triage's stdout: it counts the lines and, when parse is
// set, reads each one to check that the run is honest: one line for every
// store generated, each store once, no input errors, no failed rules.
type jsonlCheck struct {
	set      *storeSet
	parse    bool
	partial  []byte
	lines    int
	seen     map[string]bool
	rules    map[string]int
	problems []string
}

func (c *jsonlCheck) Write(p []byte) (int, error) {
	if !c.parse {
		c.lines += bytes.Count(p, []byte{'\n'})
		return len(p), nil
	}
	c.partial = append(c.partial, p...)
	rest := c.partial
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		c.line(rest[:i])
		rest = rest[i+1:]
	}
	c.partial = append(c.partial[:0], rest...)
	return len(p), nil
}

func (c *jsonlCheck) line(b []byte) {
	c.lines++
	var l jsonlLine
	if err := json.Unmarshal(b, &l); err != nil {
		c.problems = append(c.problems, fmt.Sprintf("line %d is not JSON: %v", c.lines, err))
		return
	}
	switch {
	case !c.set.names[l.Store.Name]:
		c.problems = append(c.problems, fmt.Sprintf("line %d: store %q was not generated", c.lines, l.Store.Name))
	case c.seen[l.Store.Name]:
		c.problems = append(c.problems, fmt.Sprintf("line %d: store %q twice", c.lines, l.Store.Name))
	}
	c.seen[l.Store.Name] = true
	for _, in := range l.Store.Inputs {
		if in.Error != "" {
			c.problems = append(c.problems, fmt.Sprintf("%s: %s", in.Path, in.Error))
		}
	}
	for _, f := range l.Failed {
		c.problems = append(c.problems, fmt.Sprintf("%s: rule %s failed: %s", l.Store.Name, f.Name, f.Error))
	}
	for _, f := range l.Findings {
		c.rules[f.Name]++
	}
}

// tally is the findings by rule, most frequent first.
func (c *jsonlCheck) tally() string {
	names := make([]string, 0, len(c.rules))
	for r := range c.rules {
		names = append(names, r)
	}
	sort.Slice(names, func(i, j int) bool {
		if c.rules[names[i]] != c.rules[names[j]] {
			return c.rules[names[i]] > c.rules[names[j]]
		}
		return names[i] < names[j]
	})
	var parts []string
	for _, r := range names {
		parts = append(parts, fmt.Sprintf("%s %d", r, c.rules[r]))
	}
	return strings.Join(parts, ", ")
}

// measureTriage is measure for triage, whose output it checks: a run that
// skipped a store must not look fast. The first run reads every line (see
// jsonlCheck; the bench's share of the CPU for that is small beside
// triage's), the others count them. It returns the first run's findings by
// rule.
func measureTriage(runs int, bin string, args []string, set *storeSet) (measurement, string, error) {
	best := measurement{wall: time.Duration(1<<63 - 1)}
	cmdline := bin + " " + strings.Join(args, " ")
	var tally string
	for run := range runs {
		out := &jsonlCheck{set: set, parse: run == 0, seen: map[string]bool{}, rules: map[string]int{}}
		var stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = out, &stderr
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		var ee *exec.ExitError
		if err != nil && (!errors.As(err, &ee) || ee.ExitCode() > 1) && (!out.parse || len(out.problems) == 0) {
			out.problems = append(out.problems, fmt.Sprintf("%v: %s", err, lastLines(stderr.String(), 5)))
		}
		if len(out.partial) > 0 {
			out.problems = append(out.problems, "the last line has no newline")
		}
		if out.lines != len(set.names) {
			out.problems = append(out.problems, fmt.Sprintf("%d lines for %d stores", out.lines, len(set.names)))
		}
		if n := len(out.problems); n > 0 {
			if n > 10 {
				out.problems = append(out.problems[:10], "...")
			}
			return best, "", fmt.Errorf("%s: the run is not honest (%d of: skipped stores, input errors, failed rules):\n  %s", cmdline, n, strings.Join(out.problems, "\n  "))
		}
		if out.parse {
			tally = out.tally()
		}
		best.add(wall, cmd.ProcessState)
	}
	return best, tally, nil
}

// measureCat is the best wall time of cat over every file, to /dev/null, in
// runs of cat of a thousand files each.
func measureCat(runs int, files []string) (time.Duration, error) {
	best := time.Duration(1<<63 - 1)
	for range runs {
		start := time.Now()
		for i := 0; i < len(files); i += 1000 {
			cmd := exec.Command("cat", files[i:min(i+1000, len(files))]...)
			if err := cmd.Run(); err != nil {
				return best, fmt.Errorf("cat: %v", err)
			}
		}
		best = min(best, time.Since(start))
	}
	return best, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
