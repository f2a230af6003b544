package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Flag names of the crawl, for scan and check --site.
const (
	flgConcurrency = "concurrency"
	flgMaxPages    = "max-pages"
	flgTimeout     = "timeout"
	flgDeadline    = "deadline"
)

func scanCommand() *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "fetch a live store's pages and report what they send to Amazon",
		ArgsUsage: "URL...",
		Description: "URL is the store's address, http or https. The pages it links to on the same host\n" +
			"(category, item and cart pages) are fetched too, breadth-first, a few at a time,\n" +
			"within the limits below; links to other hosts are never followed. Several URLs are\n" +
			"start pages of one store, judged together. To judge the live store together with its\n" +
			"settings and reports, use 'aomdoctor check --site URL PATH...'.\n\n" +
			"Requests name aomdoctor in their User-Agent. Pages that fail are listed with the\n" +
			"reason, and the rest is still judged.\n\n" +
			"Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,\n" +
			"2 a usage error, 3 a rule failed.",
		Flags:  append(outputFlags(), crawlFlags()...),
		Action: runScan,
	}
}

// crawlFlags bound a crawl, for scan and check --site alike.
func crawlFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: flgConcurrency, Value: crawl.DefaultConcurrency, Usage: "fetch at most `N` pages at once"},
		&cli.IntFlag{Name: flgMaxPages, Value: crawl.DefaultMaxPages, Usage: "fetch at most `N` pages of the store"},
		&cli.DurationFlag{Name: flgTimeout, Value: crawl.DefaultTimeout, Usage: "give up on a page after `DURATION`"},
		&cli.DurationFlag{Name: flgDeadline, Value: crawl.DefaultDeadline, Usage: "stop fetching after `DURATION` in all and judge what was read"},
	}
}

func runScan(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageError("scan needs at least one URL: the store's address (for example 'aomdoctor scan https://www.gardenshop.example/')")
	}
	rep, err := newReporter(c)
	if err != nil {
		return err
	}
	urls := c.Args().Slice()
	if err := validateURLs("scan", urls); err != nil {
		return err
	}
	opt, err := crawlOptions(c)
	if err != nil {
		return err
	}
	st := &store.Store{Name: siteName(urls[0]), Inputs: []store.Input{}, AsOf: store.DateOf(time.Now()), Edition: rep.edition}
	addPages(st, crawlSites(c, urls, opt))
	return rep.report(c, st, nil)
}

// validateURLs checks that each URL is one a crawl can start from: http or
// https, with a host. what names where they came from in the message.
func validateURLs(what string, urls []string) error {
	for _, raw := range urls {
		u, err := url.Parse(strings.TrimSpace(raw))
		switch {
		case err != nil:
			return usageError("%s: %q is not a URL: %v", what, raw, err)
		case u.Scheme != "http" && u.Scheme != "https":
			return usageError("%s: %q is not a web address; give the store's URL with http:// or https://", what, raw)
		case u.Hostname() == "":
			return usageError("%s: %q has no host name", what, raw)
		}
	}
	return nil
}

func crawlOptions(c *cli.Context) (crawl.Options, error) {
	opt := crawl.Options{
		Concurrency: c.Int(flgConcurrency),
		MaxPages:    c.Int(flgMaxPages),
		Timeout:     c.Duration(flgTimeout),
		Deadline:    c.Duration(flgDeadline),
		UserAgent:   crawl.UserAgent(appVersion()),
	}
	// Zero would silently mean "the default" to the crawler: a user who
	// typed it meant something else.
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{flgConcurrency, opt.Concurrency > 0},
		{flgMaxPages, opt.MaxPages > 0},
		{flgTimeout, opt.Timeout > 0},
		{flgDeadline, opt.Deadline > 0},
	} {
		if !f.ok {
			return opt, usageError("--%s must be more than 0", f.name)
		}
	}
	return opt, nil
}

// crawlSites crawls each start URL in turn, as the start pages of one
// store, and merges what they show. A start page that fails after the first
// is listed among the failed pages: the store-unreachable rule speaks of the
// first only.
func crawlSites(c *cli.Context, urls []string, opt crawl.Options) *store.Pages {
	pr := newProgress(c.App.ErrWriter)
	opt.Progress = pr.update
	all := store.NewPages()
	for i, u := range urls {
		p := crawl.Crawl(c.Context, u, opt)
		if i > 0 && p.StartErr != "" {
			p.Failed = append([]store.PageFailure{{URL: p.Start, Reason: p.StartErr}}, p.Failed...)
			p.StartErr = ""
		}
		all.Merge(p)
		pr.next()
	}
	pr.clear()
	return all
}

// addPages adds crawled pages to st's evidence, and their links to the links
// the link rules judge, as saved pages are.
func addPages(st *store.Store, p *store.Pages) {
	if st.Pages == nil {
		st.Pages = store.NewPages()
	}
	st.Pages.Merge(p)
	if p.Links.Total > 0 {
		if st.Links == nil {
			st.Links = store.NewLinks()
		}
		st.Links.Merge(p.Links)
	}
}

// siteName labels a scanned store in the report: its host, and the folder
// when the store is not at the root (two AOM installs on one host, as
// shop.example/garden and shop.example/birds, are two stores).
func siteName(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	dir := u.Path
	if i := strings.LastIndex(dir, "/"); i >= 0 && strings.Contains(dir[i:], ".") {
		dir = dir[:i] // a page (index.php, shop.php) names its folder's store
	}
	return u.Host + strings.TrimRight(dir, "/")
}

// progress shows "crawling: 12 pages, 30 queued" on one line of stderr,
// rewritten in place, and clears it at the end. It is silent unless stderr
// is a terminal, and in CI, whose logs would keep every rewrite.
type progress struct {
	w    io.Writer // nil when silent
	base int       // pages done in the start URLs crawled before
	done int
}

func newProgress(w io.Writer) *progress {
	if !showsProgress(w) {
		return &progress{}
	}
	return &progress{w: w}
}

// showsProgress reports whether a progress line rewritten in place may go
// to w: a terminal, outside CI (whose logs would keep every rewrite). Scan
// and triage ask it alike.
func showsProgress(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && !inCI() && term.IsTerminal(int(f.Fd()))
}

func (p *progress) update(done, queued int) {
	p.done = done
	if p.w != nil {
		pages := "pages"
		if p.base+done == 1 {
			pages = "page"
		}
		fmt.Fprintf(p.w, "\r\033[Kcrawling: %d %s, %d queued", p.base+done, pages, queued)
	}
}

func (p *progress) next() { p.base, p.done = p.base+p.done, 0 }

func (p *progress) clear() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// inCI reports whether CI is set as CI services set it (true, 1, yes).
func inCI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "", "false", "0", "no":
		return false
	}
	return true
}
