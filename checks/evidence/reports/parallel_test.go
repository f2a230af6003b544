package reports

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// messyOrders is a Fee-Orders download with what breaks naive chunking:
// quoted fields with commas, doubled quotes and line breaks, stray quotes,
// rows of the wrong width, cells that are not numbers, blank lines, CRLF,
// odd ASINs and tags in two cases; a title line when title is set.
func messyOrders(seed uint64, rows int, title, crlf bool) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	nl := "\n"
	if crlf {
		nl = "\r\n"
	}
	if title {
		b.WriteString("Fee-Orders reports from 12-01-2020 to 12-31-2020" + nl)
	}
	b.WriteString("Category,Name,ASIN,Date,Qty,Price($),Link Type,Tag,Indirect Sales,Device Type Group" + nl)
	names := []string{`Saw`, `"Bow Saw, 21 Inch"`, `"Pruner ""Pro"" 8"`, `""`, ``, "\"Spray\nGun\"", "\"Two\r\nlines, and \"\"more\"\"\"", `Gardman 7"x9" bracket`}
	cats := []string{`Garden`, `"Patio, Lawn & Garden"`, `Tools`}
	tags := []string{"gardenshop-20", "GardenShop-20", "other-21", "", "caf\xe9-20"}
	lts := []string{"Product links", "Search box", `"Links, other"`, "Product links"}
	for i := range rows {
		name := names[r.IntN(3)]
		if r.IntN(int(seed%5)*10+1) == 0 {
			name = names[r.IntN(len(names))]
		}
		asin := fmt.Sprintf("B000%06d", r.IntN(40))
		switch r.IntN(40) {
		case 0:
			asin = "978316148410" + fmt.Sprint(r.IntN(3)) // an ISBN-13
		case 1:
			asin = "B00000\xff" + fmt.Sprint(100+r.IntN(3))
		}
		qty := fmt.Sprint(1 + r.IntN(3))
		line := fmt.Sprintf("%s,%s,%s,12-%02d-2020,%s,%d.%02d,%s,%s,%s,DESKTOP",
			cats[r.IntN(len(cats))], name, asin, 1+r.IntN(31), qty,
			5+r.IntN(90), r.IntN(100), lts[r.IntN(len(lts))], tags[r.IntN(len(tags))], []string{"N", "Y"}[r.IntN(2)])
		switch r.IntN(60) {
		case 0:
			line = strings.Replace(line, ",DESKTOP", "", 1) // too few fields
		case 1:
			line = strings.Replace(line, ","+qty+",", ",lots,", 1)
		case 2:
			line = ""
		case 3:
			line = `Garden,"never closed,` + asin + `,12-01-2020,1,5.00,Search box,x-20,N,DESKTOP`
		case 4:
			line = "Total,,,,,,,,,"
		}
		if i == rows-1 && seed%3 == 0 {
			line = `Garden,"cut short` // an unterminated quote at the end
			b.WriteString(line)
			break
		}
		b.WriteString(line + nl)
	}
	return b.Bytes()
}

// TestReadParallelSameAsSequential reads generated downloads line by line
// and in chunks of many sizes, and wants the very same reports and error.
func TestReadParallelSameAsSequential(t *testing.T) {
	defer func(c int, f bool) { chunkSize, forceParallel = c, f }(chunkSize, forceParallel)
	read := func(data []byte, parallel bool, chunk int) (*store.Reports, string) {
		chunkSize, forceParallel = chunk, parallel
		rep, err := Read("Fee-Orders.csv", bytes.NewReader(data), store.KindReportOrders)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		return rep, msg
	}
	chunksRead.Store(0)
	for seed := range uint64(24) {
		data := messyOrders(seed, 300+int(seed)*40, seed%2 == 0, seed%4 == 1)
		want, wantErr := read(data, false, 4<<20)
		if want == nil || want.Files[0].Rows == 0 {
			t.Fatalf("seed %d: read nothing: %s", seed, wantErr)
		}
		for _, chunk := range []int{1, 40, 97, 256, 1000, 4096, 1 << 20} {
			got, gotErr := read(data, true, chunk)
			if gotErr != wantErr {
				t.Errorf("seed %d, chunk %d: error\n%s\nwant\n%s", seed, chunk, gotErr, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("seed %d, chunk %d: reports differ\n got %s\nwant %s", seed, chunk, dump(got), dump(want))
			}
		}
	}
	if n := chunksRead.Load(); n < 500 {
		t.Errorf("%d chunks read in parallel: the test does not test", n)
	}
}

func dump(r *store.Reports) string {
	if r == nil {
		return "nil"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%+v %v\n", r.Files, r.OrderedByLinkType)
	for k, v := range r.Orders {
		fmt.Fprintf(&b, "%q %+v\n", k, *v)
	}
	for k, v := range r.IDs {
		fmt.Fprintf(&b, "%q %+v\n", k, *v)
	}
	return b.String()
}
