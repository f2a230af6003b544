// Package crawl fetches a live store's pages and reads them with the page
// reader, as `aomdoctor scan` and `aomdoctor check --site` need. It is a
// polite, bounded crawler for one store: breadth-first from the start URL,
// same host only, a few requests at a time, each one capped in time, size and
// redirects, and the whole crawl capped in pages and time. It judges nothing:
// pages that fail are recorded with the reason, and the rest is still read.
package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/evidence/amazonurl"
	"github.com/aomdoctor/aomdoctor/checks/evidence/pages"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Defaults for the zero values of Options.
const (
	DefaultConcurrency  = 4
	DefaultMaxPages     = 50
	DefaultTimeout      = 10 * time.Second
	DefaultDeadline     = 60 * time.Second
	DefaultMaxBytes     = 5 << 20
	DefaultMaxRedirects = 5
)

// UserAgent is the User-Agent the crawler sends for the given aomdoctor
// version: it names the tool and where to read about it, so a store owner
// reading their access log knows what came by.
func UserAgent(version string) string {
	return "aomdoctor/" + version + " (+https://github.com/aomdoctor/aomdoctor; store diagnostics)"
}

// Options bound a crawl. Zero values take the defaults above.
type Options struct {
	Concurrency  int           // requests in flight at once
	MaxPages     int           // pages fetched in all, failed ones included
	Timeout      time.Duration // per request, body included
	Deadline     time.Duration // the whole crawl
	MaxBytes     int64         // a response body larger than this fails the page
	MaxRedirects int           // redirects followed per request
	UserAgent    string        // default UserAgent("devel")
	// Client sends the requests (tests give one); its CheckRedirect is
	// replaced by the crawl's own, on a copy.
	Client *http.Client
	// Progress, when set, is called after each page with the pages done and
	// the pages still queued. It is called from one goroutine at a time.
	Progress func(done, queued int)
}

func (o Options) withDefaults() Options {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.UserAgent == "" {
		o.UserAgent = UserAgent("devel")
	}
	return o
}

// Crawl fetches the store at start and the pages it links to on the same
// host, breadth-first, and returns what they show. It never fails as a whole:
// when the start page cannot be fetched, Pages.StartErr says why and nothing
// else is fetched; any other page that fails is listed in Pages.Failed.
//
// Pages are fetched concurrently but their results are taken in the order
// they were queued, so the pages, links and failures come out in the same
// order run after run, as a sequential breadth-first crawl would give them.
func Crawl(ctx context.Context, start string, opt Options) *store.Pages {
	opt = opt.withDefaults()
	out := store.NewPages()
	out.Start = start

	su, err := parseStart(start)
	if err != nil {
		out.StartErr = err.Error()
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Deadline)
	defer cancel()
	if ctx.Err() != nil {
		out.StartErr = stopped(ctx, opt)
		return out
	}

	c := &crawler{opt: opt, out: out, hosts: map[string]bool{hostKey(su): true}, seen: map[string]bool{}}
	c.client = c.newClient()
	c.enqueue(su)

	results := make(chan result)
	pending := map[int]result{}
	next, applied, inflight := 0, 0, 0
	for {
		// Dispatch only what is queued and applied in order: the queue grows
		// as results are applied, which keeps the order deterministic.
		for inflight < opt.Concurrency && next < len(c.queue) && ctx.Err() == nil {
			j := job{seq: next, url: c.queue[next], start: next == 0}
			go func() { results <- c.fetch(ctx, j) }()
			next++
			inflight++
		}
		if inflight == 0 {
			break
		}
		r := <-results
		inflight--
		pending[r.seq] = r
		for {
			r, ok := pending[applied]
			if !ok {
				break
			}
			delete(pending, applied)
			applied++
			if !c.apply(r) {
				// The start page failed. It is fetched alone, so nothing
				// else is in flight to wait for.
				return out
			}
			if opt.Progress != nil {
				opt.Progress(applied, len(c.queue)-applied)
			}
		}
	}
	return out
}

// parseStart checks that start is an absolute http(s) URL with a host.
func parseStart(start string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(start))
	if err != nil {
		return nil, fmt.Errorf("not a URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("not an http or https URL")
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("the URL has no host")
	}
	return u, nil
}

type crawler struct {
	opt    Options
	client *http.Client
	out    *store.Pages
	// hosts are the hosts that count as the store: the start URL's, and the
	// one its start page redirected to (http://store -> https://www.store).
	hosts map[string]bool
	seen  map[string]bool
	queue []string
}

type job struct {
	seq   int
	url   string
	start bool // the start page may redirect to another host; other pages may not
}

type result struct {
	job
	final   *url.URL // after redirects
	page    pages.Result
	fail    string // why the page failed; empty when it was read
	offHost string // where a page redirected off the store: kept as a link, not fetched
}

// enqueue adds u to the crawl unless it was seen, is off-host, is plainly not
// a page, or the page budget is spent.
func (c *crawler) enqueue(u *url.URL) {
	if len(c.queue) >= c.opt.MaxPages || !c.hosts[hostKey(u)] || notAPage(u.Path) {
		return
	}
	key := normalize(u)
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.queue = append(c.queue, key)
}

// apply records one page's result. It reports false when the start page
// failed, which ends the crawl.
func (c *crawler) apply(r result) bool {
	if r.fail != "" {
		if r.start {
			c.out.StartErr = r.fail
			return false
		}
		c.out.Failed = append(c.out.Failed, store.PageFailure{URL: r.url, Reason: r.fail})
		return true
	}
	if r.final != nil {
		if r.start {
			c.hosts[hostKey(r.final)] = true
		}
		// A page reached by a redirect is not fetched again under its own name.
		if k := normalize(r.final); c.hosts[hostKey(r.final)] && !c.seen[k] {
			c.seen[k] = true
		}
	}
	if r.offHost != "" {
		// A store page that redirects off the store (a "go.php?asin=" link
		// cloaker) sends visitors there: what it carries is evidence.
		l := amazonurl.Classify(r.offHost, store.Source{Path: r.url, Field: "Location"})
		l.Element = "http-redirect"
		c.out.Links.Add(l)
	}
	c.out.AddPage(r.url)
	for _, l := range r.page.Links {
		l.Source.Path = r.url
		c.out.Links.Add(l)
	}
	for _, s := range r.page.SameHost {
		if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			c.enqueue(u)
		}
	}
	return true
}

// Errors CheckRedirect returns; fetch turns them into reasons.
var (
	errTooManyRedirects = errors.New("too many redirects")
	errOffHost          = errors.New("redirected off the store")
)

type startKey struct{}

func (c *crawler) newClient() *http.Client {
	var cl http.Client
	if c.opt.Client != nil {
		cl = *c.opt.Client
	}
	cl.Timeout = 0 // the per-request context bounds each request, body included
	cl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// Only http and https are followed: a redirect to file:, ftp: or a
		// custom scheme is refused outright.
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to a %s: URL, refused: only http and https are followed", req.URL.Scheme)
		}
		if len(via) > c.opt.MaxRedirects {
			return errTooManyRedirects
		}
		// Beyond the start page, the crawl stays on the store: a redirect off
		// it is recorded, not followed.
		if start, _ := req.Context().Value(startKey{}).(bool); !start && hostKey(req.URL) != hostKey(via[0].URL) {
			return errOffHost
		}
		return nil
	}
	return &cl
}

// fetch gets one page and reads it. It runs in its own goroutine; it reads
// nothing of the crawler's that changes.
func (c *crawler) fetch(ctx context.Context, j job) result {
	r := result{job: j}
	rctx, cancel := context.WithTimeout(context.WithValue(ctx, startKey{}, j.start), c.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, j.url, nil)
	if err != nil {
		r.fail = err.Error()
		return r
	}
	req.Header.Set("User-Agent", c.opt.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	resp, err := c.client.Do(req)
	if errors.Is(err, errOffHost) && resp != nil {
		// Do returns the redirect response itself alongside the error.
		resp.Body.Close()
		r.offHost = resp.Header.Get("Location")
		if loc, lerr := resp.Request.URL.Parse(r.offHost); lerr == nil {
			r.offHost = loc.String()
		}
		r.final = resp.Request.URL
		return r
	}
	if err != nil {
		r.fail = c.reason(ctx, rctx, err)
		return r
	}
	defer resp.Body.Close()
	r.final = resp.Request.URL

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		r.fail = "HTTP " + resp.Status
		return r
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "text/html" && mt != "application/xhtml+xml") {
			r.fail = fmt.Sprintf("not HTML (%s)", strings.TrimSpace(ct))
			if err == nil {
				r.fail = fmt.Sprintf("not HTML (%s)", mt)
			}
			return r
		}
	}
	if resp.ContentLength > c.opt.MaxBytes {
		r.fail = "larger than " + formatBytes(c.opt.MaxBytes)
		return r
	}
	// The cap stops the reader one byte past it and fails the read, so the
	// page reader stops parsing and the body is closed unread: a huge or
	// endless response costs at most MaxBytes.
	lr := &capReader{r: io.LimitReader(resp.Body, c.opt.MaxBytes+1), max: c.opt.MaxBytes}
	page, err := pages.ReadPage(j.url, r.final, lr)
	switch {
	case lr.over:
		r.fail = "larger than " + formatBytes(c.opt.MaxBytes)
	case err != nil:
		r.fail = c.reason(ctx, rctx, err)
	default:
		r.page = page
	}
	return r
}

// reason words a request's error for the failure list: the cause a store
// owner can act on, without Go's "Get URL:" wrapping.
func (c *crawler) reason(ctx, rctx context.Context, err error) string {
	switch {
	case errors.Is(err, errTooManyRedirects):
		return fmt.Sprintf("too many redirects (more than %d; a redirect loop?)", c.opt.MaxRedirects)
	case ctx.Err() != nil:
		return stopped(ctx, c.opt)
	case rctx.Err() == context.DeadlineExceeded:
		return fmt.Sprintf("timed out after %s", c.opt.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Sprintf("timed out after %s", c.opt.Timeout)
	}
	// Go's dial errors name the socket calls; a store owner needs the host
	// and what happened to it.
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return fmt.Sprintf("no such host %q (check the address)", dns.Name)
		}
		return fmt.Sprintf("cannot look up %q: %s", dns.Name, dns.Err)
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		inner := op.Err.Error()
		if i := strings.LastIndex(inner, ": "); i >= 0 {
			inner = inner[i+2:]
		}
		return fmt.Sprintf("cannot connect to %s: %s", op.Addr, inner)
	}
	return err.Error()
}

// stopped says why the crawl as a whole stopped early.
func stopped(ctx context.Context, opt Options) string {
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Sprintf("not finished: the crawl's %s deadline passed", opt.Deadline)
	}
	return "cancelled"
}

// capReader fails once more than max bytes come through, so a reader that
// would parse on stops at once.
type capReader struct {
	r    io.Reader
	n    int64
	max  int64
	over bool
}

var errTooLarge = errors.New("response too large")

func (c *capReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, errTooLarge
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		c.over = true
		return 0, errTooLarge
	}
	return n, err
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// hostKey is the host and port a URL is served from, as compared for "same
// host": lower case, default ports dropped. Two servers on one machine but
// different ports are different stores.
func hostKey(u *url.URL) string {
	h, p := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		p = ""
	}
	if p == "" {
		return h
	}
	return net.JoinHostPort(h, p)
}

// normalize gives one spelling per page: no fragment, lower-case scheme and
// host, no default port, "/" for an empty path. The query stays as it is:
// AOM's shop.php?c=...&i=... pages differ only in it.
func normalize(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	v.User = nil
	v.Scheme = strings.ToLower(v.Scheme)
	v.Host = hostKey(u)
	if strings.Contains(v.Host, ":") && !strings.HasPrefix(v.Host, "[") && strings.Count(v.Host, ":") > 1 {
		v.Host = "[" + v.Host + "]" // a bare IPv6 address without its port
	}
	if v.Path == "" && v.RawPath == "" {
		v.Path = "/"
	}
	return v.String()
}

// notAPage reports whether a path plainly names something other than a page
// (images, style sheets, scripts, downloads), which the crawl does not fetch:
// they would only fill the failure list with "not HTML".
func notAPage(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp",
		".css", ".js", ".json", ".xml", ".txt", ".pdf", ".zip", ".gz",
		".mp3", ".mp4", ".avi", ".mov", ".woff", ".woff2", ".ttf", ".eot":
		return true
	}
	return false
}
