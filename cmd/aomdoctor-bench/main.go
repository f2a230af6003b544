// Command aomdoctor-bench generates large evidence (never committed), runs
// the aomdoctor binary on it, and prints throughput, peak memory and the
// ratio to Miller against the project's targets, each marked met or not met.
// `make bench` runs it. Figures are best-of-N wall-clock times of whole
// processes, so they include start-up, reading and judging.
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
	"syscall"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/evidence/crawl/crawltest"
)

func main() {
	bin := flag.String("bin", "bin/aomdoctor", "the aomdoctor binary to measure")
	dir := flag.String("dir", "", "where to write the generated data (default: a temporary folder, removed after)")
	rows := flag.Int("orders-rows", 1_000_000, "rows of the generated Fee-Orders CSV")
	msgs := flag.Int("mbox-messages", 100_000, "cart reports in the generated mbox")
	runs := flag.Int("runs", 3, "runs of each command; the best time counts")
	flag.Parse()
	if err := bench(*bin, *dir, *rows, *msgs, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "aomdoctor-bench:", err)
		os.Exit(1)
	}
}

// measurement is one command's best wall time and its largest peak RSS.
type measurement struct {
	wall   time.Duration
	peakMB float64
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
		best.wall = min(best.wall, wall)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			best.peakMB = max(best.peakMB, float64(ru.Maxrss)/1024) // Maxrss is in KiB on Linux
		}
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

func bench(bin, dir string, rows, msgs, runs int) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "aomdoctor-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	orders := filepath.Join(dir, "orders", "Fee-Orders.csv")
	mbox := filepath.Join(dir, "carts", "cart-reports.mbox")
	for _, p := range []string{orders, mbox} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
	}
	fmt.Printf("generating %d order rows and %d cart reports in %s ...\n", rows, msgs, dir)
	if err := writeOrders(orders, rows); err != nil {
		return err
	}
	if err := writeMbox(mbox, msgs); err != nil {
		return err
	}
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
		return err
	}
	row(fmt.Sprintf("cat orders CSV (%.0f MB, the floor)", ordersMB), cat, ordersMB)

	csvRun, err := measure(runs, bin, check(orders)...)
	if err != nil {
		return err
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
			return err
		}
		row("mlr stats1 count,sum Qty by Link Type", mlr, ordersMB)
	}

	mboxRun, err := measure(runs, bin, check(mbox)...)
	if err != nil {
		return err
	}
	row(fmt.Sprintf("aomdoctor check mbox (%.0f MB)", mboxMB), mboxRun, mboxMB)

	both, err := measure(1, bin, check(orders, mbox)...)
	if err != nil {
		return err
	}
	row("aomdoctor check orders CSV + mbox", both, ordersMB+mboxMB)

	// The crawl: a 50-page AOM-like store served from this process on
	// loopback, so the figure is aomdoctor's, not a network's.
	site := crawltest.Store{Categories: 4, ItemsPerCategory: 11}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	crawlRun, err := measure(runs, bin, "scan", "--format", "json", "--fail-on", "never", srv.URL+"/")
	if err != nil {
		return err
	}
	fmt.Printf("%-44s %10.3f %10s %10.1f\n", fmt.Sprintf("aomdoctor scan of a %d-page store (loopback)", site.Pages()), crawlRun.wall.Seconds(), "-", crawlRun.peakMB)

	fmt.Println("\ntargets:")
	if haveMlr {
		ratio := mlr.wall.Seconds() / csvRun.wall.Seconds()
		fmt.Printf("  orders CSV at least 10x faster than Miller: %.1fx  %s\n", ratio, verdict(ratio >= 10))
	} else {
		fmt.Println("  orders CSV at least 10x faster than Miller: not measured (no mlr)  NOT MET")
	}
	peak := max(csvRun.peakMB, mboxRun.peakMB, both.peakMB)
	fmt.Printf("  peak memory under 100 MB whatever the input size: %.1f MB  %s\n", peak, verdict(peak < 100))
	fmt.Printf("  crawl of %d pages in well under a second: %.2fs  %s\n", site.Pages(), crawlRun.wall.Seconds(), verdict(crawlRun.wall < time.Second))
	fmt.Printf("  crawl peak memory under 100 MB: %.1f MB  %s\n", crawlRun.peakMB, verdict(crawlRun.peakMB < 100))
	return nil
}

var (
	categories = []string{"Home & Garden", "Kitchen & Dining", "Tools & Home Improvement", "Patio, Lawn & Garden", "Books"}
	linkTypes  = []string{"Remote shopping carts", "Text links", "Product links", "Search box"}
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
			5+r.IntN(90), r.IntN(100), linkTypes[r.IntN(len(linkTypes))], indirect)
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
