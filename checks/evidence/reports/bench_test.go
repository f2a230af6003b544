package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// ordersNames are product names for generated Fee-Orders rows; about a
// third need quoting, as real ones with commas and inch marks do.
var ordersNames = []string{
	`"Fiskars 91095935J Steel Bypass Pruning Shears, 5/8"" Cut"`,
	"Melnor 65038-AMZ QuickConnect Product Line Adapter Set",
	`"Lodge L8SK3 Cast Iron Skillet, 10.25 Inch"`,
	"Burpee Wildflower Seeds 25000 Seeds Mix",
	"OXO Good Grips Salad Spinner",
	"Gilmour 805232 Flexogen 5/8-Inch by 50-Foot Hose",
}

var (
	ordersCategories = []string{"Lawn & Garden", "Kitchen", "Home Improvement", `"Patio, Lawn & Garden"`}
	ordersLinkTypes  = []string{"Remote Cart", "Text Only", "Text+Image", "Omakase", "Search Box"}
	ordersTags       = []string{"gardenshop-20", "gardenshop-kitchen-20", "gardenshop-blog-20"}
	ordersDevices    = []string{"DESKTOP", "PHONE", "TABLET"}
)

// ordersASIN is the n-th of a set of made-up ASINs.
func ordersASIN(n int) string {
	s := strconv.FormatInt(int64(n)+36*36*36*36*36, 36)
	return strings.ToUpper(fmt.Sprintf("B0%08s", s))
}

// writeOrders writes a realistic Fee-Orders download of rows rows over
// distinct items; it returns the total quantity per link type.
func writeOrders(w io.Writer, rows, distinct int) (map[string]int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintln(bw, "Fee-Orders reports from 12-01-2020 to 12-31-2020")
	fmt.Fprintln(bw, "Category,Name,ASIN,Date,Qty,Price($),Link Type,Tag,Indirect Sales,Device Type Group")
	byType := map[string]int{}
	x := uint32(2463534242)
	for i := range rows {
		// xorshift: the same file on every run, without math/rand's cost.
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		item := int(x % uint32(distinct))
		qty := 1 + int(x>>8)%3
		lt := ordersLinkTypes[int(x>>12)%len(ordersLinkTypes)]
		byType[lt] += qty
		indirect := "N"
		if x>>20%7 == 0 {
			indirect = "Y"
		}
		fmt.Fprintf(bw, "%s,%s,%s,2020-12-%02d %02d:%02d:%02d,%d,%d.%02d,%s,%s,%s,%s\n",
			ordersCategories[item%len(ordersCategories)], ordersNames[item%len(ordersNames)], ordersASIN(item),
			1+i*31/rows, int(x>>3)%24, int(x>>5)%60, int(x>>7)%60, qty, 5+item%90, int(x>>9)%100,
			lt, ordersTags[int(x>>16)%len(ordersTags)], indirect, ordersDevices[int(x>>18)%len(ordersDevices)])
	}
	return byType, bw.Flush()
}

// BenchmarkReadOrders1M reads a Fee-Orders download of a million rows
// (about 130 MB, 20,000 distinct items) from a file, as the CLI does.
func BenchmarkReadOrders1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "Fee-Orders.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	want, err := writeOrders(f, 1_000_000, 20_000)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Read(path, f, store.KindReportOrders)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if got := rep.OrderedByLinkType["Remote Cart"]; got != want["Remote Cart"] {
			b.Fatalf("Remote Cart = %d, want %d", got, want["Remote Cart"])
		}
	}
}
