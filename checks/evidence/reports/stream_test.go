package reports

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// TestReadOrdersStreams reads a generated Fee-Orders download and checks
// its sums, and that reading allocates in proportion to the distinct items,
// not the rows: buffers of a few MiB and a twentieth of the file's size at
// most. (It measures memory, never time: timing is for
// BenchmarkReadOrders1M.)
func TestReadOrdersStreams(t *testing.T) {
	rows, distinct := 300_000, 2_000
	if testing.Short() {
		rows = 30_000
	}
	var buf bytes.Buffer
	want, err := writeOrders(&buf, rows, distinct)
	if err != nil {
		t.Fatal(err)
	}
	size := buf.Len()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep, err := Read("Fee-Orders.csv", &buf, store.KindReportOrders)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20+uint64(size)/20 {
		t.Errorf("allocated %d KiB reading %d KiB: reading must not keep rows", alloc>>10, size>>10)
	}
	if f := rep.Files[0]; f.Rows != rows || !f.Period.Known() {
		t.Errorf("file = %+v, want %d rows and the title's period", f, rows)
	}
	checkMap(t, "by link type", rep.OrderedByLinkType, want)
	total, items := 0, 0
	for _, o := range rep.Orders {
		total += o.Direct + o.Other
		items++
		if o.First.IsZero() || o.Last.Before(o.First) || o.Title == "" {
			t.Fatalf("item %+v", *o)
		}
	}
	sum := 0
	for _, n := range want {
		sum += n
	}
	if total != sum || items > distinct {
		t.Errorf("items: %d ordered over %d ASINs, want %d over at most %d", total, items, sum, distinct)
	}
	if len(rep.IDs) != len(ordersTags) {
		t.Errorf("IDs = %d, want %d", len(rep.IDs), len(ordersTags))
	}
}
