package cartmail

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

var products = []struct{ asin, title, price string }{
	{"B00002N5Z2", "Fiskars 9163 Steel Bow Saw, 21 Inch", "$17.99"},
	{"B00002N66H", "Corona BP 3180 ClassicCUT Bypass Pruner, 1 Inch", "$13.99"},
	{"B0001WV0C6", "Dramm 12380 ColorStorm Premium Touch-N-Flow Pistol, Red", "$24.99"},
	{"B000BZ8JXU", "Gardener's Supply Kneeling Pad, Green", "$9.99"},
	{"0596007973", "Gardening for Geeks (paperback)", "$29.95"},
}

// genMbox writes n cart reports as an mbox, as a store owner's mail
// program exports them: mostly plain text, one in five multipart with an
// HTML part, one in ten with a logo attached. attach is the attachment's
// size in bytes (0 for none), to make messages heavy without making them
// slow to read.
func genMbox(w io.Writer, n, attach int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	edt := time.FixedZone("EDT", -4*3600)
	start := time.Date(2009, 10, 1, 8, 0, 0, 0, edt)
	logo := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\x89PNG garden logo ", attach/16+1))[:attach])
	var wrapped strings.Builder
	for i := 0; i < len(logo); i += 76 {
		wrapped.WriteString(logo[i:min(i+76, len(logo))] + "\n")
	}
	for i := 0; i < n; i++ {
		t := start.Add(time.Duration(i) * 7 * time.Minute)
		var plain, rows strings.Builder
		fmt.Fprintf(&plain, "A visitor to Garden Shop Supplies has checked out to Amazon.\n\nDate: %s\nVisitor IP: 203.0.113.%d\n\nItems:\n", t.Format("2 Jan 2006 15:04:05"), i%250+1)
		for k := 0; k <= i%3; k++ {
			p := products[(i+k)%len(products)]
			fmt.Fprintf(&plain, "%d. %s\n   ASIN: %s   Qty: %d   Price: %s\n", k+1, p.title, p.asin, k+1, p.price)
			fmt.Fprintf(&rows, "<tr><td><a href=\"http://www.amazon.com/dp/%s%%3FSubscriptionId%%3DAKIAIOSFODNN7EXAMPLE%%26tag%%3Dgardenshop-20\">%s</a></td><td>%s</td><td>%d</td><td>%s</td></tr>\n", p.asin, p.title, p.asin, k+1, p.price)
		}
		cart := fmt.Sprintf("https://www.amazon.com/gp/cart/aws-merge.html?cart-id=187-%07d-%07d&associate-id=gardenshop-20&hmac=bWJveA%%3D%%3D&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE", i, n-i)
		fmt.Fprintf(&plain, "\nAmazon cart: %s\n", cart)

		fmt.Fprintf(bw, "From noreply@gardenshopsupplies.example %s\n", t.UTC().Format("Mon Jan _2 15:04:05 2006"))
		fmt.Fprintf(bw, "Return-Path: <noreply@gardenshopsupplies.example>\nDate: %s\nFrom: Associate-O-Matic <noreply@gardenshopsupplies.example>\nTo: owner@example.com\nSubject: Remote Cart Report: Garden Shop Supplies\nMessage-ID: <%d.aom@gardenshopsupplies.example>\nMIME-Version: 1.0\n",
			t.Format(time.RFC1123Z), i)
		switch {
		case i%10 == 9 && attach > 0:
			fmt.Fprintf(bw, "Content-Type: multipart/mixed; boundary=\"mixed%d\"\n\n--mixed%d\nContent-Type: text/plain; charset=us-ascii\n\n%s\n--mixed%d\nContent-Type: image/png; name=\"logo.png\"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"logo.png\"\n\n%s--mixed%d--\n",
				i, i, plain.String(), i, wrapped.String(), i)
		case i%5 == 4:
			var qp strings.Builder
			q := quotedprintable.NewWriter(&qp)
			fmt.Fprintf(q, "<html><body><p>A visitor to Garden Shop Supplies has checked out to Amazon.</p>\n<table><tr><th>Title</th><th>ASIN</th><th>Qty</th><th>Price</th></tr>\n%s</table>\n<p><a href=\"%s\">Amazon cart</a></p></body></html>\n",
				rows.String(), strings.ReplaceAll(cart, "&", "&amp;"))
			q.Close()
			fmt.Fprintf(bw, "Content-Type: multipart/alternative; boundary=\"alt%d\"\n\n--alt%d\nContent-Type: text/plain; charset=us-ascii\n\n%s\n--alt%d\nContent-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--alt%d--\n",
				i, i, plain.String(), i, qp.String(), i)
		default:
			fmt.Fprintf(bw, "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n%s", plain.String())
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

func TestGenMbox(t *testing.T) {
	r, w := io.Pipe()
	go func() { w.CloseWithError(genMbox(w, 50, 4096)) }()
	carts, links, err := Read("gen.mbox", r)
	if err != nil {
		t.Fatal(err)
	}
	if carts.Count != 50 || carts.Undated != 0 || len(carts.ASINs) != len(products) {
		t.Errorf("count %d, undated %d, %d ASINs", carts.Count, carts.Undated, len(carts.ASINs))
	}
	ids := links.IDs()
	if len(ids) != 1 || ids["gardenshop-20"] != 50+11 { // every cart URL, and the 11 item links of the five HTML parts
		t.Errorf("link IDs = %v", ids)
	}
}

// TestReadMemoryFlat reads a mailbox of 1,000 reports (about 28 MB: one in
// ten has a 200 KB photo attached) as it is generated, and checks that the
// live heap never holds more than a fraction of it: messages are read one
// at a time.
func TestReadMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 28 MB")
	}
	const n = 1000
	r, w := io.Pipe()
	var peak uint64
	var total int
	go func() {
		var ms runtime.MemStats
		cw := &countWriter{w: w, total: &total, every: 2 << 20, fn: func() {
			// Collect first: what is still reachable is what Read holds,
			// whatever the garbage collector's pace on a busy machine.
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}}
		w.CloseWithError(genMbox(cw, n, 200<<10))
	}()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	carts, _, err := Read("big.mbox", r)
	if err != nil {
		t.Fatal(err)
	}
	if carts.Count != n {
		t.Fatalf("count %d, want %d", carts.Count, n)
	}
	grew := int64(peak) - int64(before.HeapAlloc)
	t.Logf("live heap grew by at most %d KiB", grew>>10)
	if grew > 12<<20 {
		t.Errorf("heap grew by %d MiB reading a %d MB mailbox; it should hold one message at a time", grew>>20, total>>20)
	}
	if total < 25<<20 {
		t.Errorf("the mailbox is %d MB; the test needs more to tell flat from not", total>>20)
	}
}

type countWriter struct {
	w     io.Writer
	n     int
	total *int
	every int
	fn    func()
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	*c.total += len(p)
	if c.n >= c.every {
		c.n = 0
		c.fn()
	}
	return c.w.Write(p)
}

// BenchmarkReadMbox100k reads a mailbox of 100,000 cart reports.
func BenchmarkReadMbox100k(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "reports.mbox")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(genMbox(f, n, 2048), f.Close()); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		carts, _, err := Read(path, f)
		f.Close()
		if err != nil || carts.Count != n {
			b.Fatalf("count %d, err %v", carts.Count, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// seedMail adds the testdata and the bad mail fixtures to a fuzz corpus.
func seedMail(f *testing.F) {
	for _, pattern := range []string{"testdata/*.e*", "testdata/*.mbox", badDir + "/*.e*", badDir + "/*.mbox"} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("From a@example.com Mon Oct 12 15:42:07 2009\nFrom: a@example.com\n\n>From x\n\nFrom b@example.com Mon Oct 12 15:42:08 2009\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n--a--\n"))
}

func FuzzCartmailSniff(f *testing.F) {
	seedMail(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if k := Sniff(data); k != "" && k != store.KindCartReports {
			t.Fatalf("Sniff = %q", k)
		}
	})
}

var errPrefix = regexp.MustCompile(`^(?:message \d+ \(line \d+\): |empty file|line \d+: )`)

func FuzzCartmailRead(f *testing.F) {
	seedMail(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.mbox"
		carts, links, err := Read(name, strings.NewReader(string(data)))
		if carts == nil || links == nil {
			t.Fatal("nil results")
		}
		if err != nil {
			var merr *multierror.Error
			if !errors.As(err, &merr) {
				t.Fatalf("error %T, want *multierror.Error", err)
			}
			for _, e := range merr.Errors {
				if !errPrefix.MatchString(e.Error()) {
					t.Fatalf("error %q names no message or line", e)
				}
			}
		}
		dated := 0
		for _, n := range carts.ByDay {
			dated += n
		}
		if dated+carts.Undated != carts.Count {
			t.Fatalf("dated %d + undated %d != count %d", dated, carts.Undated, carts.Count)
		}
		for _, r := range carts.Examples {
			if r.Source.Path != name || !strings.HasPrefix(r.Source.Field, "message ") || r.Source.Line < 1 {
				t.Fatalf("source %+v", r.Source)
			}
			for _, it := range r.Items {
				if !asinShape.MatchString(it.ASIN) || it.Qty < 0 {
					t.Fatalf("item %+v", it)
				}
			}
		}
		for _, g := range links.Groups() {
			if g.Form == store.FormNotAmazon || g.Domain == "" {
				t.Fatalf("link group %+v", g)
			}
		}
	})
}
