package crawl

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl/crawltest"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// hits counts the requests a test server answered, by request URI.
type hits struct {
	mu sync.Mutex
	n  map[string]int
	ua []string
}

func (h *hits) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if h.n == nil {
			h.n = map[string]int{}
		}
		h.n[r.URL.RequestURI()]++
		h.ua = append(h.ua, r.UserAgent())
		h.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (h *hits) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := 0
	for _, n := range h.n {
		t += n
	}
	return t
}

func serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func crawl(t testing.TB, start string, opt Options) *store.Pages {
	t.Helper()
	return Crawl(context.Background(), start, opt)
}

func failures(p *store.Pages) map[string]string {
	out := map[string]string{}
	for _, f := range p.Failed {
		u, err := url.Parse(f.URL)
		if err != nil {
			panic(err)
		}
		out[u.RequestURI()] = f.Reason
	}
	return out
}

// elementIDs counts the links of one element kind by ID.
func elementIDs(p *store.Pages, elem string) map[string]int {
	out := map[string]int{}
	for _, g := range p.Links.Groups() {
		if g.Element == elem {
			out[g.ID] += g.Count
		}
	}
	return out
}

func TestCrawlStore(t *testing.T) {
	st := crawltest.Store{}
	var h hits
	srv := serve(t, h.wrap(st.Handler()))
	p := crawl(t, srv.URL+"/", Options{})

	if p.StartErr != "" || len(p.Failed) != 0 {
		t.Fatalf("start error %q, failures %v", p.StartErr, p.Failed)
	}
	if p.Read != st.Pages() {
		t.Errorf("read %d pages, want the store's %d: %v", p.Read, st.Pages(), p.Names)
	}
	if p.Start != srv.URL+"/" || p.Names[0] != srv.URL+"/" {
		t.Errorf("start %q, first page %q", p.Start, p.Names[0])
	}
	// Every page once: "#reviews" and "#top" do not make other pages, and
	// the logo and style sheet are not fetched.
	for uri, n := range h.n {
		if n != 1 {
			t.Errorf("%s fetched %d times", uri, n)
		}
		if strings.Contains(uri, ".png") || strings.Contains(uri, ".css") {
			t.Errorf("%s is not a page but was fetched", uri)
		}
	}
	for _, ua := range h.ua {
		if !strings.HasPrefix(ua, "aomdoctor/") || !strings.Contains(ua, "github.com/aomdoctor/aomdoctor") {
			t.Errorf("User-Agent %q does not name aomdoctor", ua)
		}
	}
	// 3 categories of 4 items: a buy link on the category page and a
	// details link on the item page for each, and an add-to-cart form per
	// item plus the checkout form.
	if got := elementIDs(p, "a"); !reflect.DeepEqual(got, map[string]int{"gardenshop-20": 24}) {
		t.Errorf("a links by ID = %v", got)
	}
	if got := elementIDs(p, "form"); !reflect.DeepEqual(got, map[string]int{"gardenshop-20": 13}) {
		t.Errorf("forms by ID = %v", got)
	}
	for _, g := range p.Links.Groups() {
		for _, ex := range g.Examples {
			if !strings.HasPrefix(ex.Source.Path, srv.URL+"/") {
				t.Errorf("link %s: source %q is not the page URL", ex.URL, ex.Source.Path)
			}
		}
	}
}

// TestCrawlDeterministic: pages are fetched concurrently, but what comes out
// is in the same order every time.
func TestCrawlDeterministic(t *testing.T) {
	srv := serve(t, crawltest.Store{Categories: 4, ItemsPerCategory: 6}.Handler())
	first := crawl(t, srv.URL, Options{Concurrency: 8})
	for range 5 {
		again := crawl(t, srv.URL, Options{Concurrency: 8})
		if !reflect.DeepEqual(first.Names, again.Names) {
			t.Fatalf("pages in another order:\n%v\n%v", first.Names, again.Names)
		}
	}
}

func TestCrawlWrongCartID(t *testing.T) {
	srv := serve(t, crawltest.Store{CartID: "gardenshp-20"}.Handler())
	p := crawl(t, srv.URL, Options{})
	if got := elementIDs(p, "form"); !reflect.DeepEqual(got, map[string]int{"gardenshp-20": 13}) {
		t.Errorf("forms by ID = %v", got)
	}
	if got := elementIDs(p, "a"); !reflect.DeepEqual(got, map[string]int{"gardenshop-20": 24}) {
		t.Errorf("a links by ID = %v", got)
	}
}

func TestCrawlLite(t *testing.T) {
	srv := serve(t, crawltest.Store{Lite: true, Categories: 2, ItemsPerCategory: 5}.Handler())
	p := crawl(t, srv.URL, Options{})
	// 10 items, the 10th with AOM's ID: its buy and details links.
	if got := elementIDs(p, "a"); !reflect.DeepEqual(got, map[string]int{"gardenshop-20": 18, crawltest.AOMID: 2}) {
		t.Errorf("a links by ID = %v", got)
	}
}

func TestCrawlFailures(t *testing.T) {
	// Each oversized response would be 64 MB; the handlers count what they
	// managed to write before the crawler hung up.
	var big, declared atomic.Int64
	const endless = 64 << 20
	mux := http.NewServeMux()
	st := crawltest.Store{Categories: 1, ItemsPerCategory: 1, Extra: []string{
		"shop.php?c=Discontinued", "loop.php", "big.php", "declared.php", "logo.php", "ftp.php", "missing.php",
	}}
	mux.Handle("/", st.Handler())
	mux.HandleFunc("/loop.php", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "loop2.php", http.StatusFound)
	})
	mux.HandleFunc("/loop2.php", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "loop.php", http.StatusFound)
	})
	garbage := func(written *atomic.Int64) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			buf := make([]byte, 32<<10)
			rand.Read(buf)
			for written.Load() < endless {
				n, err := w.Write(buf)
				written.Add(int64(n))
				if err != nil {
					return
				}
			}
		}
	}
	mux.HandleFunc("/big.php", garbage(&big))
	mux.HandleFunc("/declared.php", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(endless))
		garbage(&declared)(w, r)
	})
	mux.HandleFunc("/logo.php", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("/ftp.php", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.invalid/store.html", http.StatusFound)
	})
	srv := serve(t, mux)

	p := crawl(t, srv.URL, Options{Concurrency: 2})
	if p.StartErr != "" {
		t.Fatalf("start error %q", p.StartErr)
	}
	want := map[string]string{
		"/shop.php?c=Discontinued": "HTTP 404 Not Found",
		"/missing.php":             "HTTP 404 Not Found",
		"/loop.php":                "too many redirects (more than 5; a redirect loop?)",
		"/big.php":                 "larger than 5 MB",
		"/declared.php":            "larger than 5 MB",
		"/logo.php":                "not HTML (image/png)",
		"/ftp.php":                 "redirected to a ftp: URL, refused: only http and https are followed",
	}
	if got := failures(p); !reflect.DeepEqual(got, want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	// The rest is still read: home, cart, a category and its item.
	if p.Read != 4 {
		t.Errorf("read %d pages, want 4: %v", p.Read, p.Names)
	}
	// The body was not read to its end: the crawl stopped at the cap and
	// closed the connection, so the handlers' writes failed long before.
	for name, n := range map[string]int64{"big.php": big.Load(), "declared.php": declared.Load()} {
		t.Logf("%s: the handler wrote %.1f MB of %d MB", name, float64(n)/(1<<20), endless>>20)
		if n >= endless {
			t.Errorf("%s wrote all its %d bytes: the oversized body was read to the end", name, n)
		}
	}
}

// TestCrawlNeverAnswers: a page that never answers fails with the timeout,
// and the others are read meanwhile. The timeout is short so the test need
// not wait; nothing asserts how long anything took.
func TestCrawlNeverAnswers(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", crawltest.Store{Extra: []string{"slow.php"}}.Handler())
	mux.HandleFunc("/slow.php", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := serve(t, mux)
	p := crawl(t, srv.URL, Options{Timeout: time.Second})
	if got, want := failures(p), map[string]string{"/slow.php": "timed out after 1s"}; !reflect.DeepEqual(got, want) {
		t.Errorf("failures %v, want %v", got, want)
	}
	if p.Read != (crawltest.Store{}).Pages() {
		t.Errorf("read %d pages", p.Read)
	}
}

func TestCrawlStartFails(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"not found", http.NotFound, "HTTP 404 Not Found"},
		{"never answers", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, "timed out after 200ms"},
		{"loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusMovedPermanently)
		},
			"too many redirects (more than 5; a redirect loop?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h hits
			srv := serve(t, h.wrap(tt.handler))
			p := crawl(t, srv.URL+"/store/", Options{Timeout: 200 * time.Millisecond})
			if p.StartErr != tt.want {
				t.Errorf("StartErr %q, want %q", p.StartErr, tt.want)
			}
			if p.Read != 0 || len(p.Failed) != 0 || p.Start != srv.URL+"/store/" {
				t.Errorf("read %d, failed %v, start %q", p.Read, p.Failed, p.Start)
			}
		})
	}
	t.Run("closed", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		addr := srv.URL
		srv.Close()
		if p := crawl(t, addr, Options{}); !strings.Contains(p.StartErr, "connection refused") {
			t.Errorf("StartErr %q", p.StartErr)
		}
	})
	for _, bad := range []string{"ftp://store.example/", "store.example", "http:///shop.php"} {
		if p := crawl(t, bad, Options{}); p.StartErr == "" {
			t.Errorf("%q: no StartErr", bad)
		}
	}
}

// TestCrawlStaysOnHost: links and redirects to another host are never
// fetched, even when that host is on the same machine.
func TestCrawlStaysOnHost(t *testing.T) {
	var other hits
	elsewhere := serve(t, other.wrap(crawltest.Store{}.Handler()))
	mux := http.NewServeMux()
	mux.Handle("/", crawltest.Store{Extra: []string{elsewhere.URL + "/", elsewhere.URL + "/shop.php?a=cart", "go.php?asin=B000BQRPDK"}}.Handler())
	// A link cloaker: a store URL that sends the visitor to Amazon (here, to
	// the other host, which stands in for it).
	mux.HandleFunc("/go.php", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/dp/B000BQRPDK?tag=gardenshop-20", http.StatusFound)
	})
	srv := serve(t, mux)
	p := crawl(t, srv.URL, Options{})
	if n := other.total(); n != 0 {
		t.Errorf("the other host was asked %d times: %v", n, other.n)
	}
	if want := (crawltest.Store{}).Pages() + 1; p.Read != want || len(p.Failed) != 0 {
		t.Errorf("read %d, failed %v", p.Read, p.Failed)
	}
}

// TestCrawlStartRedirect: a start page that redirects to another host (http
// to https, or to www.) makes that host the store's, and the page it lands
// on is not fetched again under its own name.
func TestCrawlStartRedirect(t *testing.T) {
	st := crawltest.Store{}
	real := serve(t, st.Handler())
	front := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, real.URL+"/", http.StatusMovedPermanently)
	}))
	p := crawl(t, front.URL, Options{})
	if p.StartErr != "" || p.Read != st.Pages() {
		t.Errorf("start error %q, read %d of %d: %v", p.StartErr, p.Read, st.Pages(), p.Names)
	}
}

func TestCrawlMaxPages(t *testing.T) {
	var h hits
	srv := serve(t, h.wrap(crawltest.Store{Categories: 8, ItemsPerCategory: 10}.Handler()))
	p := crawl(t, srv.URL, Options{MaxPages: 10})
	if p.Read != 10 || h.total() != 10 {
		t.Errorf("read %d pages in %d requests, want 10", p.Read, h.total())
	}
}

// gate holds each request until want of them have arrived (or the request
// is cancelled), so the test sees the crawl reach its bound, and records the
// most ever waiting at once.
type gate struct {
	mu      sync.Mutex
	n, most int // requests in flight, and the most at once
	arrived int // requests waiting at the gate for the current wave
	want    int
	open    chan struct{}
}

// The gate counts arrivals, not requests in flight: a request of the next
// wave may arrive while the last one's are still finishing (more so on a
// loaded machine), and counting those would open a wave early and leave the
// last one short, waiting for ever.
func (g *gate) wrap(next http.Handler) http.Handler {
	g.open = make(chan struct{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.n++
		g.most = max(g.most, g.n)
		wait := g.open
		if r.URL.Path != "/" {
			g.arrived++
			if g.arrived == g.want {
				close(g.open)
				g.open = make(chan struct{})
				g.arrived = 0
			}
		}
		g.mu.Unlock()
		if r.URL.Path != "/" { // the start page goes alone
			select {
			case <-wait:
			case <-r.Context().Done():
			}
		}
		// Out of flight before the answer is written: the crawler may send
		// its next request as soon as it has the answer, before a deferred
		// count would run, and that request must not count this one.
		g.mu.Lock()
		g.n--
		g.mu.Unlock()
		if r.Context().Err() == nil {
			next.ServeHTTP(w, r)
		}
	})
}

func TestCrawlConcurrencyBound(t *testing.T) {
	// A home page that links 12 pages at once, so that every wave of
	// requests is a full one for a bound of 1, 3 or 4.
	const n = 12
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>")
		for i := range n {
			fmt.Fprintf(w, "<a href=\"shop.php?c=Tools&amp;i=B%09d\">item %d</a>\n", i, i)
		}
		fmt.Fprint(w, "</body></html>")
	})
	mux.HandleFunc("/shop.php", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><a href=\"./\">home</a></body></html>")
	})
	for _, conc := range []int{1, 3, 4} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			g := &gate{want: conc}
			srv := serve(t, g.wrap(mux))
			p := crawl(t, srv.URL, Options{Concurrency: conc, Timeout: 5 * time.Second})
			if len(p.Failed) != 0 || p.Read != n+1 {
				t.Errorf("read %d of %d, failed %v", p.Read, n+1, p.Failed)
			}
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.most != conc {
				t.Errorf("at most %d requests in flight, want %d", g.most, conc)
			}
		})
	}
}

func TestCrawlProgress(t *testing.T) {
	st := crawltest.Store{}
	srv := serve(t, st.Handler())
	var calls [][2]int
	crawl(t, srv.URL, Options{Progress: func(done, queued int) { calls = append(calls, [2]int{done, queued}) }})
	if len(calls) != st.Pages() {
		t.Fatalf("%d progress calls, want one a page", len(calls))
	}
	if last := calls[len(calls)-1]; last != [2]int{st.Pages(), 0} {
		t.Errorf("last progress %v", last)
	}
}

func TestCrawlCancelled(t *testing.T) {
	srv := serve(t, crawltest.Store{}.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := Crawl(ctx, srv.URL, Options{})
	if p.StartErr != "cancelled" || p.Read != 0 {
		t.Errorf("StartErr %q, read %d", p.StartErr, p.Read)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Store.Example:80/shop.php?c=Tools#top": "http://store.example/shop.php?c=Tools",
		"https://store.example:443":                    "https://store.example/",
		"http://127.0.0.1:8080/a?b=1&c=2":              "http://127.0.0.1:8080/a?b=1&c=2",
		"http://[::1]/x":                               "http://[::1]/x",
		"http://[::1]:81/x":                            "http://[::1]:81/x",
	} {
		u, err := parseStart(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := normalize(u); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkCrawl50 crawls a 50-page store on loopback.
func BenchmarkCrawl50(b *testing.B) {
	st := crawltest.Store{Categories: 4, ItemsPerCategory: 11}
	if st.Pages() != 50 {
		b.Fatalf("the store has %d pages", st.Pages())
	}
	srv := serve(b, st.Handler())
	b.ReportAllocs()
	pagesRead := 0
	b.ResetTimer()
	for b.Loop() {
		p := Crawl(context.Background(), srv.URL, Options{})
		pagesRead += p.Read
	}
	b.ReportMetric(float64(pagesRead)/b.Elapsed().Seconds(), "pages/s")
}
