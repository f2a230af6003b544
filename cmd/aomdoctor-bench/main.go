// Command aomdoctor-bench generates large evidence (never committed), runs
// the aomdoctor binary on it, and prints throughput, peak memory and the
// ratio to Miller against the project's targets, each marked met or not met.
// `make bench` runs it. Figures are best-of-N wall-clock times of whole
// processes, so they include start-up, reading and judging.
//
// Three parts, each of which a flag can shrink or skip:
//   - one store's large evidence: a Fee-Orders CSV of a million rows and an
//     mbox of 100,000 cart reports checked against `cat` and Miller, and a
//     crawl of a 50-page store on loopback;
//   - triage of 10,000 small stores (settings, a month's Link-Type report, a
//     few cart reports; some with a new owner's mistakes, some zipped);
//   - triage of 1,000 stores with a year of reports each (Link-Type, Orders,
//     Tracking ID Summary, Daily Trends, a year of cart reports), in MB/s
//     beside `cat` of the same files, the floor.
//
// The stores are made by stores.go from a seed, so runs are repeatable.
// Generated data goes to a temporary folder, or -dir, never into the
// repository.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl/crawltest"
)

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/aomdoctor", "the aomdoctor binary to measure")
	flag.StringVar(&o.dir, "dir", "", "where to write the generated data, outside the repository (default: a temporary folder, removed after)")
	flag.IntVar(&o.rows, "orders-rows", 1_000_000, "rows of the generated Fee-Orders CSV")
	flag.IntVar(&o.msgs, "mbox-messages", 100_000, "cart reports in the generated mbox")
	flag.BoolVar(&o.single, "single", true, "measure the single-store figures (orders CSV, mbox, crawl)")
	flag.IntVar(&o.triageStores, "triage-stores", 10_000, "small stores for the triage figure (0 skips it)")
	flag.IntVar(&o.yearStores, "year-stores", 1_000, "stores with a year of reports each (0 skips them)")
	flag.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "triage --jobs")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the generated stores")
	flag.IntVar(&o.runs, "runs", 3, "runs of each command; the best time counts")
	flag.IntVar(&o.yearRuns, "year-runs", 1, "runs of cat and triage over the stores with a year of reports (each takes a minute or more)")
	flag.Parse()
	if err := bench(o); err != nil {
		fmt.Fprintln(os.Stderr, "aomdoctor-bench:", err)
		os.Exit(1)
	}
}

type options struct {
	bin, dir                       string
	rows, msgs                     int
	single                         bool
	triageStores, yearStores, jobs int
	seed                           uint64
	runs, yearRuns                 int
}

// measurement is one command's best wall time and its largest peak RSS.
type measurement struct {
	wall   time.Duration
	peakMB float64
}

func (m *measurement) add(wall time.Duration, ps *os.ProcessState) {
	m.wall = min(m.wall, wall)
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		m.peakMB = max(m.peakMB, float64(ru.Maxrss)/1024) // Maxrss is in KiB on Linux
	}
}

func measure(runs int, name string, args ...string) (measurement, error) {
	best := measurement{wall: time.Duration(1<<63 - 1)}
	for range runs {
		cmd := exec.Command(name, args...)
		cmd.Stdout, cmd.Stderr = nil, nil
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
				return best, fmt.Errorf("%s %v: %v", name, args, err)
			}
		}
		best.add(wall, cmd.ProcessState)
	}
	return best, nil
}

func sizeMB(path string) float64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(fi.Size()) / (1 << 20)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

// outsideRepo refuses a -dir inside the module the bench runs from:
// generated data is never committed, so it is never written there.
func outsideRepo(dir string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root := ""
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			root = d
			break
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("-dir %s is inside the repository %s: generated data is never written there", dir, root)
	}
	return nil
}

func bench(o options) error {
	if o.dir == "" {
		tmp, err := os.MkdirTemp("", "aomdoctor-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		o.dir = tmp
	} else if err := outsideRepo(o.dir); err != nil {
		return err
	}
	// The figures are wall times: other work on the machine slows them.
	fmt.Printf("%d CPUs, load average %s before the bench\n\n", runtime.NumCPU(), loadavg())
	var targets []string
	if o.single {
		t, err := benchSingle(o)
		if err != nil {
			return err
		}
		targets = append(targets, t...)
	}
	if o.triageStores > 0 {
		t, err := benchTriageSmall(o)
		if err != nil {
			return err
		}
		targets = append(targets, t...)
	}
	if o.yearStores > 0 {
		t, err := benchTriageYear(o)
		if err != nil {
			return err
		}
		targets = append(targets, t...)
	}
	fmt.Printf("load average %s after the bench\n", loadavg())
	fmt.Println("\ntargets:")
	for _, t := range targets {
		fmt.Println("  " + t)
	}
	return nil
}

// loadavg is the 1, 5 and 15 minute load averages, or "unknown" off Linux.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// benchSingle is one store's large evidence: the figures of the reports issue.
func benchSingle(o options) ([]string, error) {
	rows, msgs, runs, bin := o.rows, o.msgs, o.runs, o.bin
	orders := filepath.Join(o.dir, "orders", "Fee-Orders.csv")
	mbox := filepath.Join(o.dir, "carts", "cart-reports.mbox")
	for _, p := range []string{orders, mbox} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
	}
	fmt.Printf("== one store's large evidence\ngenerating %d order rows and %d cart reports in %s ...\n", rows, msgs, o.dir)
	if err := writeOrders(orders, rows); err != nil {
		return nil, err
	}
	if err := writeMbox(mbox, msgs); err != nil {
		return nil, err
	}
	syscall.Sync() // reading pages still being written back is slower
	check := func(paths ...string) []string {
		return append([]string{"check", "--format", "json", "--fail-on", "never", "--as-of", "2021-01-15"}, paths...)
	}

	fmt.Printf("\n%-44s %10s %10s %10s\n", "run", "seconds", "MB/s", "peak MB")
	row := func(label string, m measurement, mb float64) {
		fmt.Printf("%-44s %10.3f %10.1f %10.1f\n", label, m.wall.Seconds(), mb/m.wall.Seconds(), m.peakMB)
	}
	ordersMB, mboxMB := sizeMB(orders), sizeMB(mbox)

	cat, err := measure(runs, "cat", orders)
	if err != nil {
		return nil, err
	}
	row(fmt.Sprintf("cat orders CSV (%.0f MB, the floor)", ordersMB), cat, ordersMB)

	csvRun, err := measure(runs, bin, check(orders)...)
	if err != nil {
		return nil, err
	}
	row("aomdoctor check orders CSV", csvRun, ordersMB)

	var mlr measurement
	haveMlr := true
	if _, err := exec.LookPath("mlr"); err != nil {
		haveMlr = false
		fmt.Println("mlr (Miller) not found: install Debian's miller to measure the ratio")
	} else {
		mlr, err = measure(runs, "mlr", "--icsv", "--ojson", "stats1", "-a", "count,sum", "-f", "Qty", "-g", "Link Type", orders)
		if err != nil {
			return nil, err
		}
		row("mlr stats1 count,sum Qty by Link Type", mlr, ordersMB)
	}

	mboxRun, err := measure(runs, bin, check(mbox)...)
	if err != nil {
		return nil, err
	}
	row(fmt.Sprintf("aomdoctor check mbox (%.0f MB)", mboxMB), mboxRun, mboxMB)

	both, err := measure(1, bin, check(orders, mbox)...)
	if err != nil {
		return nil, err
	}
	row("aomdoctor check orders CSV + mbox", both, ordersMB+mboxMB)

	// The crawl: a 50-page AOM-like store served from this process on
	// loopback, so the figure is aomdoctor's, not a network's.
	site := crawltest.Store{Categories: 4, ItemsPerCategory: 11}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	crawlRun, err := measure(runs, bin, "scan", "--format", "json", "--fail-on", "never", srv.URL+"/")
	if err != nil {
		return nil, err
	}
	fmt.Printf("%-44s %10.3f %10s %10.1f\n", fmt.Sprintf("aomdoctor scan of a %d-page store (loopback)", site.Pages()), crawlRun.wall.Seconds(), "-", crawlRun.peakMB)
	fmt.Println()

	var t []string
	if haveMlr {
		ratio := mlr.wall.Seconds() / csvRun.wall.Seconds()
		t = append(t, fmt.Sprintf("orders CSV at least 10x faster than Miller: %.1fx  %s", ratio, verdict(ratio >= 10)))
	} else {
		t = append(t, "orders CSV at least 10x faster than Miller: not measured (no mlr)  NOT MET")
	}
	peak := max(csvRun.peakMB, mboxRun.peakMB, both.peakMB)
	t = append(t,
		fmt.Sprintf("peak memory under 100 MB whatever the input size: %.1f MB  %s", peak, verdict(peak < 100)),
		fmt.Sprintf("crawl of %d pages in well under a second: %.2fs  %s", site.Pages(), crawlRun.wall.Seconds(), verdict(crawlRun.wall < time.Second)),
		fmt.Sprintf("crawl peak memory under 100 MB: %.1f MB  %s", crawlRun.peakMB, verdict(crawlRun.peakMB < 100)))
	return t, nil
}

var (
	categories = []string{"Home & Garden", "Kitchen & Dining", "Tools & Home Improvement", "Patio, Lawn & Garden", "Books"}
	orderLinks = []string{"Remote shopping carts", "Text links", "Product links", "Search box"}
	titles     = []string{"Fiskars 9163 Steel Bow Saw, 21 Inch", "Dramm 12380 Touch N Flow Revolver Spray Gun", "Corona BP 3180 Bypass Pruner", "Espoma GT4 4-Pound Garden Tone", "Gardman 7634 Hanging Basket Bracket", "Melnor 65015 Water Timer"}
)

func asin(r *rand.Rand) string { return fmt.Sprintf("B000%06d", r.IntN(20000)) }

// writeOrders writes a Fee-Orders CSV as Amazon's download has it, without
// the title line so that Miller reads the very same file.
func writeOrders(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	fmt.Fprintln(w, "Category,Name,ASIN,Date,Qty,Price($),Link Type,Tag,Indirect Sales,Device Type Group")
	for i := range rows {
		indirect := "N"
		if r.IntN(5) == 0 {
			indirect = "Y"
		}
		fmt.Fprintf(w, "%s,\"%s\",%s,12-%02d-2020,%d,%d.%02d,%s,gardenshop-20,%s,DESKTOP\n",
			quoteIfComma(categories[r.IntN(len(categories))]), titles[i%len(titles)], asin(r), 1+r.IntN(31), 1+r.IntN(3),
			5+r.IntN(90), r.IntN(100), orderLinks[r.IntN(len(orderLinks))], indirect)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func quoteIfComma(s string) string {
	for _, c := range s {
		if c == ',' {
			return `"` + s + `"`
		}
	}
	return s
}

// writeMbox writes n AOM cart-report emails as one mbox.
func writeMbox(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2020, 12, 1, 0, 0, 0, 0, time.FixedZone("EST", -5*3600))
	for i := range n {
		t := start.Add(time.Duration(r.IntN(31*24*3600)) * time.Second)
		fmt.Fprintf(w, "From noreply@gardenshopsupplies.example %s\n", t.UTC().Format("Mon Jan _2 15:04:05 2006"))
		fmt.Fprintf(w, "From: Associate-O-Matic <noreply@gardenshopsupplies.example>\nTo: orders@gardenshopsupplies.example\n")
		fmt.Fprintf(w, "Subject: Remote Cart Report: Garden Shop Supplies\nDate: %s\nMessage-ID: <cart-%d@gardenshopsupplies.example>\n", t.Format(time.RFC1123Z), i)
		fmt.Fprintf(w, "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n")
		fmt.Fprintf(w, "A visitor to Garden Shop Supplies has checked out to Amazon.\n\nDate: %s\nVisitor IP: 203.0.113.%d\n\nItems:\n", t.Format("2 Jan 2006 15:04:05"), r.IntN(250))
		items := 1 + r.IntN(3)
		for j := range items {
			fmt.Fprintf(w, "%d. %s\n   ASIN: %s   Qty: %d   Price: $%d.%02d\n", j+1, titles[r.IntN(len(titles))], asin(r), 1+r.IntN(2), 5+r.IntN(90), r.IntN(100))
		}
		fmt.Fprintf(w, "\nAmazon cart: https://www.amazon.com/gp/cart/aws-merge.html?cart-id=%d-%07d&associate-id=gardenshop-20&hmac=k2JfQ%%2B8sd%%3D&AWSAccessKeyId=AKIAJ7QX3MZ2RT5LWB4N\n\n", 100+r.IntN(900), r.IntN(10_000_000))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
