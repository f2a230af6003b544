package reports

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// readFile sniffs and reads a file of testdata, as the loader will.
func readFile(t *testing.T, file string) *store.Reports {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	kind := Sniff(data)
	if kind == "" {
		t.Fatalf("Sniff(%s) = \"\", want a report kind", file)
	}
	// One byte at a time: no record may depend on where reads end.
	rep, err := Read(file, iotest.OneByteReader(bytes.NewReader(data)), kind)
	if err != nil {
		t.Fatalf("Read(%s): %v", file, err)
	}
	again, err := Read(file, bytes.NewReader(data), kind)
	if err != nil || !sameReports(rep, again) {
		t.Fatalf("Read(%s) differs when read whole: %v", file, err)
	}
	checkSources(t, rep, file)
	return rep
}

func sameReports(a, b *store.Reports) bool {
	var x, y bytes.Buffer
	dumpReports(&x, a)
	dumpReports(&y, b)
	return x.String() == y.String()
}

// checkSources checks the property every read keeps: each thing read cites
// the file it came from.
func checkSources(t *testing.T, rep *store.Reports, name string) {
	t.Helper()
	var srcs []store.Source
	for _, f := range rep.Files {
		if f.Path != name {
			t.Errorf("file path %q, want %q", f.Path, name)
		}
		if f.Period.Known() {
			srcs = append(srcs, f.Period.Source)
		}
	}
	for _, r := range rep.LinkType {
		srcs = append(srcs, r.Source)
	}
	for _, r := range rep.Tracking {
		srcs = append(srcs, r.Source)
	}
	for _, r := range rep.Daily {
		srcs = append(srcs, r.Source)
	}
	for _, r := range rep.IDs {
		srcs = append(srcs, r.Source)
	}
	for _, r := range rep.Orders {
		srcs = append(srcs, r.Source)
	}
	for _, s := range srcs {
		if s.Path != name {
			t.Errorf("source %+v does not cite %q", s, name)
		}
	}
}

func date(y, m, d int) store.Date { return store.Date{Y: y, M: m, D: d} }

func period(from, to store.Date) store.Period { return store.Period{From: from, To: to} }

func checkFile(t *testing.T, rep *store.Reports, kind store.Kind, p store.Period, periodLine, rows int) {
	t.Helper()
	if len(rep.Files) != 1 {
		t.Fatalf("files = %+v, want one", rep.Files)
	}
	f := rep.Files[0]
	if f.Kind != kind || f.Rows != rows {
		t.Errorf("file = %s with %d rows, want %s with %d", f.Kind, f.Rows, kind, rows)
	}
	if f.Period.From != p.From || f.Period.To != p.To {
		t.Errorf("period = %v to %v, want %v to %v", f.Period.From, f.Period.To, p.From, p.To)
	}
	if p.Known() && f.Period.Source.Line != periodLine {
		t.Errorf("period source = %+v, want line %d", f.Period.Source, periodLine)
	}
}

func TestLinkTypeCSVWithTitle(t *testing.T) {
	rep := readFile(t, "linktype-title.csv")
	checkFile(t, rep, store.KindReportLinkType, period(date(2009, 10, 1), date(2009, 10, 14)), 1, 5)
	want := []store.LinkTypeRow{
		{Label: "Product Links", Clicks: 1284, ItemsOrdered: 37, ItemsShipped: 33, Conversion: 2.88, HasConv: true, Earnings: 72.14,
			Source: store.Source{Path: "linktype-title.csv", Line: 3, Field: "Link Type"}},
		{Label: "Remote shopping carts", Clicks: 412, ItemsOrdered: 28, ItemsShipped: 25, Conversion: 6.8, HasConv: true, Earnings: 51.47,
			Source: store.Source{Path: "linktype-title.csv", Line: 4, Field: "Link Type"}},
		{Label: "Search Box", Clicks: 57, ItemsOrdered: 2, ItemsShipped: 2, Conversion: 3.51, HasConv: true, Earnings: 2.73,
			Source: store.Source{Path: "linktype-title.csv", Line: 5, Field: "Link Type"}},
		// N/A conversion with no clicks: not known.
		{Label: "Banner Links", Source: store.Source{Path: "linktype-title.csv", Line: 6, Field: "Link Type"}},
		{Label: "Omakase Links", ItemsOrdered: 1, ItemsShipped: 1, Earnings: 1.62,
			Source: store.Source{Path: "linktype-title.csv", Line: 7, Field: "Link Type"}},
	}
	checkLinkType(t, rep.LinkType, want)
}

func checkLinkType(t *testing.T, got, want []store.LinkTypeRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d link-type rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestLinkTypeCSVWithoutTitleCRLF(t *testing.T) {
	rep := readFile(t, "linktype-notitle.csv")
	checkFile(t, rep, store.KindReportLinkType, store.Period{}, 0, 2)
	checkLinkType(t, rep.LinkType, []store.LinkTypeRow{
		{Label: "Text Links", Clicks: 2018, ItemsOrdered: 41, ItemsShipped: 39, Conversion: 2.03, HasConv: true, Earnings: 88.01,
			Source: store.Source{Path: "linktype-notitle.csv", Line: 2, Field: "Link Type"}},
		{Label: "Remote Cart", Clicks: 96, HasConv: true,
			Source: store.Source{Path: "linktype-notitle.csv", Line: 3, Field: "Link Type"}},
	})
}

func TestLinkTypeGermanSemicolons(t *testing.T) {
	rep := readFile(t, "linktype-de.csv")
	checkFile(t, rep, store.KindReportLinkType, period(date(2009, 10, 1), date(2009, 10, 14)), 1, 2)
	checkLinkType(t, rep.LinkType, []store.LinkTypeRow{
		{Label: "Produktlinks", Clicks: 1284, ItemsOrdered: 37, ItemsShipped: 33, Conversion: 2.88, HasConv: true, Earnings: 72.14,
			Source: store.Source{Path: "linktype-de.csv", Line: 3, Field: "Linktyp"}},
		{Label: "Remote-Einkaufswagen", Clicks: 412, ItemsOrdered: 28, ItemsShipped: 25, Conversion: 6.8, HasConv: true, Earnings: 51.47,
			Source: store.Source{Path: "linktype-de.csv", Line: 4, Field: "Linktyp"}},
	})
}

func TestLinkTypeOldPage(t *testing.T) {
	const name = "linktype-old.html"
	rep := readFile(t, name)
	checkFile(t, rep, store.KindReportLinkType, period(date(2009, 10, 1), date(2009, 10, 14)), 12, 6)
	if f := rep.Files[0].Period.Source.Field; f != "page text" {
		t.Errorf("period field = %q", f)
	}
	row := func(n int) store.Source {
		return store.Source{Path: name, Line: n, Field: "row " + string(rune('0'+n))}
	}
	checkLinkType(t, rep.LinkType, []store.LinkTypeRow{
		{Label: "Text Links", Clicks: 1284, ItemsOrdered: 37, ItemsShipped: 33, Conversion: 2.88, HasConv: true, Earnings: 72.14, Source: row(2)},
		{Label: "Product Links", Section: "Text Links", Clicks: 1102, ItemsOrdered: 33, ItemsShipped: 30, Conversion: 3, HasConv: true, Earnings: 65.4, Source: row(3)},
		{Label: "Keyword Links", Section: "Text Links", Clicks: 182, ItemsOrdered: 4, ItemsShipped: 3, Conversion: 2.2, HasConv: true, Earnings: 6.74, Source: row(4)},
		// Row 5 is the "Web Services Links" heading: no figures, no row.
		{Label: "Remote shopping carts", Section: "Web Services Links", Clicks: 412, ItemsOrdered: 28, ItemsShipped: 25, Conversion: 6.8, HasConv: true, Earnings: 51.47, Source: row(6)},
		{Label: "Product links", Section: "Web Services Links", Clicks: 23, ItemsOrdered: 1, ItemsShipped: 1, Conversion: 4.35, HasConv: true, Earnings: 1.62, Source: row(7)},
		{Label: "Banners", Clicks: 6, HasConv: true, Source: row(8)},
	})
}

func TestOrdersCSVWithTitle(t *testing.T) {
	const name = "orders-title.csv"
	rep := readFile(t, name)
	checkFile(t, rep, store.KindReportOrders, period(date(2020, 12, 1), date(2020, 12, 31)), 1, 5)
	want := map[string]store.ASINOrders{
		"B000BQMHD2": {ASIN: "B000BQMHD2", Title: `Fiskars 91095935J Steel Bypass Pruning Shears, 5/8" Cut`, Direct: 4,
			First: date(2020, 12, 1), Last: date(2020, 12, 19), Source: store.Source{Path: name, Line: 3, Field: "ASIN"}},
		"B00004SD74": {ASIN: "B00004SD74", Title: "Melnor 65038-AMZ QuickConnect Product Line Adapter Set", Direct: 2,
			First: date(2020, 12, 3), Last: date(2020, 12, 3), Source: store.Source{Path: name, Line: 4, Field: "ASIN"}},
		"B00006JSUA": {ASIN: "B00006JSUA", Title: "Lodge L8SK3 Cast Iron Skillet, 10.25 Inch", Other: 1,
			First: date(2020, 12, 4), Last: date(2020, 12, 4), Source: store.Source{Path: name, Line: 5, Field: "ASIN"}},
		"B0000DI4Z8": {ASIN: "B0000DI4Z8", Title: "Burpee Wildflower Seeds 25000 Seeds Mix", Other: 1,
			First: date(2020, 12, 28), Last: date(2020, 12, 28), Source: store.Source{Path: name, Line: 7, Field: "ASIN"}},
	}
	checkOrders(t, rep, want)
	checkMap(t, "by link type", rep.OrderedByLinkType, map[string]int{"Remote Cart": 7, "Text Only": 1})
	checkIDs(t, rep, map[string]store.SeenID{
		// "GardenShop-20" on line 6 is the same ID.
		"gardenshop-20":         {ID: "gardenshop-20", Rows: 4, Source: store.Source{Path: name, Line: 3, Field: "Tag"}},
		"gardenshop-kitchen-20": {ID: "gardenshop-kitchen-20", Rows: 1, Source: store.Source{Path: name, Line: 7, Field: "Tag"}},
	})
}

func checkOrders(t *testing.T, rep *store.Reports, want map[string]store.ASINOrders) {
	t.Helper()
	if len(rep.Orders) != len(want) {
		t.Errorf("got %d items, want %d", len(rep.Orders), len(want))
	}
	for asin, w := range want {
		got, ok := rep.Orders[asin]
		if !ok {
			t.Errorf("no item %s", asin)
			continue
		}
		if *got != w {
			t.Errorf("item %s:\n got %+v\nwant %+v", asin, *got, w)
		}
	}
}

func checkMap(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s[%q] = %d, want %d", what, k, got[k], v)
		}
	}
}

func checkIDs(t *testing.T, rep *store.Reports, want map[string]store.SeenID) {
	t.Helper()
	if len(rep.IDs) != len(want) {
		t.Errorf("IDs = %d, want %d", len(rep.IDs), len(want))
	}
	for k, w := range want {
		got, ok := rep.IDs[k]
		if !ok {
			t.Errorf("ID %s not seen", k)
			continue
		}
		if *got != w {
			t.Errorf("ID %s: got %+v, want %+v", k, *got, w)
		}
	}
}

func TestOrdersUKTabsLatin1(t *testing.T) {
	const name = "orders-uk.tsv"
	rep := readFile(t, name)
	checkFile(t, rep, store.KindReportOrders, store.Period{}, 0, 2)
	checkOrders(t, rep, map[string]store.ASINOrders{
		// A UK header (priced in £) reads 03/12/2020 day first.
		"B0002IA8T2": {ASIN: "B0002IA8T2", Title: "Spear & Jackson 4850NB Neverbend Border Spade", Direct: 1,
			First: date(2020, 12, 3), Last: date(2020, 12, 3), Source: store.Source{Path: name, Line: 2, Field: "ASIN"}},
		// The Latin-1 "é" is not UTF-8: replaced, not fatal.
		"B002BSOPVE": {ASIN: "B002BSOPVE", Title: "Kent & Stowe Garden Life Hand Trowel, \uFFFDdition", Direct: 2,
			First: date(2020, 12, 14), Last: date(2020, 12, 14), Source: store.Source{Path: name, Line: 3, Field: "ASIN"}},
	})
	checkMap(t, "by link type", rep.OrderedByLinkType, map[string]int{"Remote Cart": 3})
}

func TestOrdersOldPageUK(t *testing.T) {
	const name = "orders-old-uk.html"
	rep := readFile(t, name)
	// 01/10/2009 to 14/10/2009: day first, as 14 tells.
	checkFile(t, rep, store.KindReportOrders, period(date(2009, 10, 1), date(2009, 10, 14)), 5, 3)
	checkOrders(t, rep, map[string]store.ASINOrders{
		"B0002IA8T2": {ASIN: "B0002IA8T2", Title: "Spear & Jackson 4850NB Neverbend Border Spade", Direct: 3, Other: 1,
			Source: store.Source{Path: name, Line: 2, Field: "row 2"}},
		"B002BSOPVE": {ASIN: "B002BSOPVE", Title: "Kent & Stowe Garden Life Hand Trowel", Other: 2,
			Source: store.Source{Path: name, Line: 3, Field: "row 3"}},
		"B0001XQ8AU": {ASIN: "B0001XQ8AU", Title: "Le Creuset Cast Iron Round Casserole, 24 cm", Direct: 12,
			Source: store.Source{Path: name, Line: 4, Field: "row 4"}},
	})
}

func TestTrackingUTF16(t *testing.T) {
	const name = "tracking-utf16le.txt"
	rep := readFile(t, name)
	checkFile(t, rep, store.KindReportTracking, period(date(2009, 10, 1), date(2009, 10, 14)), 1, 3)
	want := []store.TrackingRow{
		{ID: "gardenshop-20", Clicks: 1496, ItemsOrdered: 65, ItemsShipped: 58, Earnings: 120.35, Source: store.Source{Path: name, Line: 3, Field: "Tracking ID"}},
		{ID: "gardenshop-kitchen-20", Clicks: 211, ItemsOrdered: 6, ItemsShipped: 5, Earnings: 9.36, Source: store.Source{Path: name, Line: 4, Field: "Tracking ID"}},
		{ID: "gardenshop-blog-20", Source: store.Source{Path: name, Line: 5, Field: "Tracking ID"}},
	}
	if len(rep.Tracking) != len(want) {
		t.Fatalf("tracking rows = %+v", rep.Tracking)
	}
	for i := range want {
		if rep.Tracking[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, rep.Tracking[i], want[i])
		}
	}
	if len(rep.IDs) != 3 || rep.IDs["gardenshop-blog-20"] == nil {
		t.Errorf("IDs = %v", rep.IDs)
	}
}

func TestTrackingGermanPage(t *testing.T) {
	const name = "tracking-de.html"
	rep := readFile(t, name)
	checkFile(t, rep, store.KindReportTracking, period(date(2009, 10, 1), date(2009, 10, 14)), 6, 2)
	if len(rep.Tracking) != 2 {
		t.Fatalf("tracking rows = %+v", rep.Tracking)
	}
	got := rep.Tracking[0]
	want := store.TrackingRow{ID: "gartenladen-21", Clicks: 2417, ItemsOrdered: 88, ItemsShipped: 80, Earnings: 191.39,
		Source: store.Source{Path: name, Line: 2, Field: "row 2"}}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestEarnings(t *testing.T) {
	const name = "earnings.csv"
	rep := readFile(t, name)
	checkFile(t, rep, store.KindReportEarnings, period(date(2009, 10, 1), date(2009, 10, 14)), 1, 3)
	if rep.ShippedItems != 6 {
		t.Errorf("shipped = %d, want 6", rep.ShippedItems)
	}
	checkIDs(t, rep, map[string]store.SeenID{
		"gardenshop-20":         {ID: "gardenshop-20", Rows: 2, Source: store.Source{Path: name, Line: 3, Field: "Tracking ID"}},
		"gardenshop-kitchen-20": {ID: "gardenshop-kitchen-20", Rows: 1, Source: store.Source{Path: name, Line: 5, Field: "Tracking ID"}},
	})
}

func TestDailyTrends(t *testing.T) {
	t.Run("italian", func(t *testing.T) {
		const name = "dailytrends-it.csv"
		rep := readFile(t, name)
		checkFile(t, rep, store.KindReportDailyTrends, period(date(2009, 10, 1), date(2009, 10, 14)), 1, 3)
		want := []store.DailyRow{
			{Date: date(2009, 10, 1), Clicks: 1204, ItemsOrdered: 15, Source: store.Source{Path: name, Line: 3, Field: "Data"}},
			{Date: date(2009, 10, 2), Clicks: 987, ItemsOrdered: 9, Source: store.Source{Path: name, Line: 4, Field: "Data"}},
			{Date: date(2009, 10, 3), Source: store.Source{Path: name, Line: 5, Field: "Data"}},
		}
		checkDaily(t, rep.Daily, want)
	})
	t.Run("bom", func(t *testing.T) {
		const name = "dailytrends-bom.csv"
		rep := readFile(t, name)
		checkFile(t, rep, store.KindReportDailyTrends, store.Period{}, 0, 2)
		checkDaily(t, rep.Daily, []store.DailyRow{
			{Date: date(2009, 10, 1), Clicks: 131, ItemsOrdered: 5, Source: store.Source{Path: name, Line: 2, Field: "Date"}},
			{Date: date(2009, 10, 2), Clicks: 1047, ItemsOrdered: 12, Source: store.Source{Path: name, Line: 3, Field: "Date"}},
		})
	})
}

func checkDaily(t *testing.T, got, want []store.DailyRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("daily = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("day %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// read reads an inline report, sniffing it first.
func read(t *testing.T, name, text string) (*store.Reports, error) {
	t.Helper()
	kind := Sniff([]byte(text))
	rep, err := Read(name, strings.NewReader(text), kind)
	if rep != nil {
		checkSources(t, rep, name)
	}
	return rep, err
}

func TestItalianOrders(t *testing.T) {
	const text = "Fee-Orders reports from 01-12-2020 to 31-12-2020\n" +
		"Categoria,Nome,ASIN,Data,Quantità,Prezzo(€),Tipo di link,ID tracking,Vendite indirette,Gruppo tipo di dispositivo\n" +
		"Giardino,\"Cesoie da giardino Fiskars, 20 cm\",B000BQMHD2,03/12/2020,2,\"15,99\",Carrello remoto,giardino-21,No,DESKTOP\n" +
		"Cucina,Padella in ghisa Lodge,B00006JSUA,04/12/2020,1,\"19,90\",Carrello remoto,giardino-21,Sì,PHONE\n" +
		"Totale,,,,3,,,,,\n"
	rep, err := read(t, "ordini.csv", text)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, rep, store.KindReportOrders, period(date(2020, 12, 1), date(2020, 12, 31)), 1, 2)
	checkOrders(t, rep, map[string]store.ASINOrders{
		"B000BQMHD2": {ASIN: "B000BQMHD2", Title: "Cesoie da giardino Fiskars, 20 cm", Direct: 2,
			First: date(2020, 12, 3), Last: date(2020, 12, 3), Source: store.Source{Path: "ordini.csv", Line: 3, Field: "ASIN"}},
		"B00006JSUA": {ASIN: "B00006JSUA", Title: "Padella in ghisa Lodge", Other: 1,
			First: date(2020, 12, 4), Last: date(2020, 12, 4), Source: store.Source{Path: "ordini.csv", Line: 4, Field: "ASIN"}},
	})
	checkMap(t, "by link type", rep.OrderedByLinkType, map[string]int{"Carrello remoto": 3})
	checkIDs(t, rep, map[string]store.SeenID{"giardino-21": {ID: "giardino-21", Rows: 2, Source: store.Source{Path: "ordini.csv", Line: 3, Field: "ID tracking"}}})
}

func TestGermanTrackingThousands(t *testing.T) {
	const text = "Tracking-ID\tKlicks\tBestellte Artikel\tVersandte Artikel\tUmsatz (€)\tWerbekostenerstattung (€)\n" +
		"gartenladen-21\t12.417\t1.088\t980\t12.734,10 €\t891,39 €\n" +
		"Gesamt\t12.417\t1.088\t980\t12.734,10 €\t891,39 €\n"
	rep, err := read(t, "tracking.txt", text)
	if err != nil {
		t.Fatal(err)
	}
	want := store.TrackingRow{ID: "gartenladen-21", Clicks: 12417, ItemsOrdered: 1088, ItemsShipped: 980, Earnings: 891.39,
		Source: store.Source{Path: "tracking.txt", Line: 2, Field: "Tracking-ID"}}
	if len(rep.Tracking) != 1 || rep.Tracking[0] != want {
		t.Errorf("tracking = %+v\nwant %+v", rep.Tracking, want)
	}
}

func TestTitleWithCommasAndMonthNames(t *testing.T) {
	// An unquoted title with commas splits into fields; it is still a title.
	const text = "Fee-LinkType reports from Oct 1, 2009 to Oct 14, 2009\n" +
		"Link Type,Clicks,Items Ordered,Conversion,Ordered Revenue($),Items Shipped,Ad Fees($)\n" +
		"Remote shopping carts,412,28,6.80%,$803.55,25,$51.47\n"
	rep, err := read(t, "lt.csv", text)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, rep, store.KindReportLinkType, period(date(2009, 10, 1), date(2009, 10, 14)), 1, 1)
}

func TestOldMacLineEnds(t *testing.T) {
	text := "Link Type,Clicks,Items Ordered\rRemote shopping carts,412,28\rText Links,9,1\r"
	rep, err := read(t, "mac.csv", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.LinkType) != 2 || rep.LinkType[1].Source.Line != 3 {
		t.Errorf("rows = %+v", rep.LinkType)
	}
}

func TestUTF16BigEndianWithSurrogates(t *testing.T) {
	// "🌱" is outside the BMP: a surrogate pair in UTF-16.
	text := "Tracking ID\tClicks\tItems Ordered\ngardenshop-20\t5\t1\nsprout🌱-20\t3\t0\n"
	var b []byte
	b = append(b, 0xfe, 0xff)
	for _, r := range utf16Encode(text) {
		b = append(b, byte(r>>8), byte(r))
	}
	if k := Sniff(b); k != store.KindReportTracking {
		t.Fatalf("Sniff = %q", k)
	}
	rep, err := Read("be.txt", iotest.OneByteReader(bytes.NewReader(b)), store.KindReportTracking)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tracking) != 2 || rep.Tracking[1].ID != "sprout🌱-20" || rep.Tracking[1].Source.Line != 3 {
		t.Errorf("tracking = %+v", rep.Tracking)
	}
}

func TestKindChecks(t *testing.T) {
	lt, err := os.ReadFile("testdata/linktype-title.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Read("lt.csv", bytes.NewReader(lt), store.KindReportOrders)
	if err == nil || !strings.Contains(err.Error(), "line 2: the header has the columns of a Link-Type report, not of an Orders report as expected") {
		t.Errorf("error = %v", err)
	}
	if _, err := Read("x.xml", strings.NewReader("<x/>"), store.KindReportXML); !errors.Is(err, errXML) {
		t.Errorf("XML error = %v", err)
	}
	if _, err := Read("x", bytes.NewReader(lt), store.KindSettingsPHP); err == nil {
		t.Error("no error for a kind that is no report")
	}
	// "" lets Read tell.
	rep, err := Read("lt.csv", bytes.NewReader(lt), "")
	if err != nil || rep.Files[0].Kind != store.KindReportLinkType {
		t.Errorf("Read with no kind: %v", err)
	}
}

func TestPartialContract(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(badDir, "wrong-field-count.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Read("w.csv", bytes.NewReader(data), store.KindReportOrders)
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *PartialError", err)
	}
	if rep == nil || rep.Files[0].Rows != 56 || pe.Read != 56 || pe.Bad != 2 || len(pe.Lines) != 2 || pe.Lines[0] != 57 || pe.Lines[1] != 59 {
		t.Fatalf("partial = %+v, rows %+v", pe, rep)
	}
	total := 0
	for _, o := range rep.Orders {
		total += o.Direct + o.Other
	}
	if total == 0 {
		t.Error("the good rows were not counted")
	}
}

func TestLatin1Page(t *testing.T) {
	page := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>" +
		"<p>Zeitraum: 01.10.2009 - 14.10.2009</p><table><tr><th>Link Type</th><th>Clicks</th><th>Earnings</th></tr>" +
		"<tr><td>Caf\xe9 links</td><td>7</td><td>\xa31.20</td></tr></table></body></html>"
	rep, err := read(t, "latin1.html", page)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.LinkType) != 1 || rep.LinkType[0].Label != "Café links" || rep.LinkType[0].Earnings != 1.2 {
		t.Errorf("rows = %+v", rep.LinkType)
	}
	// Dots: German style, day first, though English words head the table.
	if p := rep.Files[0].Period; p.From != date(2009, 10, 1) || p.To != date(2009, 10, 14) {
		t.Errorf("period = %+v", p)
	}
}

func TestQuotedFieldAcrossLines(t *testing.T) {
	const text = "Category,Name,ASIN,Date,Qty,Price($),Link Type,Tag,Indirect Sales,Device Type Group\n" +
		"Kitchen,\"OXO Good Grips\nSalad Spinner\",B00004OCKR,2020-12-02,1,29.99,Remote Cart,gardenshop-20,N,DESKTOP\n" +
		"Kitchen,Lodge Skillet,B00006JSUA,2020-12-03,1,19.90,Remote Cart,gardenshop-20,N,DESKTOP\n"
	rep, err := read(t, "ml.csv", text)
	if err != nil {
		t.Fatal(err)
	}
	if o := rep.Orders["B00004OCKR"]; o == nil || o.Title != "OXO Good Grips\nSalad Spinner" || o.Source.Line != 2 {
		t.Errorf("item = %+v", o)
	}
	if o := rep.Orders["B00006JSUA"]; o == nil || o.Source.Line != 4 {
		t.Errorf("the line after a two-line record: %+v", o)
	}
}

func TestStrayQuoteDoesNotSwallowRows(t *testing.T) {
	// Line 2 opens a quote that never closes; the rows after it still count.
	const text = "Link Type,Clicks,Items Ordered\n" +
		"\"Remote shopping carts,412,28\n" +
		"Text Links,9,1\n" +
		"\"Search Box\",3,0\n"
	rep, err := read(t, "q.csv", text)
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Lines[0] != 2 {
		t.Fatalf("error = %v", err)
	}
	if len(rep.LinkType) != 2 || rep.LinkType[0].Label != "Text Links" || rep.LinkType[1].Source.Line != 4 {
		t.Errorf("rows = %+v", rep.LinkType)
	}
}

func TestEmptyAndJunk(t *testing.T) {
	for _, in := range []string{"", "   \n\n", "\xef\xbb\xbf", "\xff\xfe", "\x00\x01\x02binary"} {
		if _, err := Read("x", strings.NewReader(in), ""); err == nil {
			t.Errorf("Read(%q): no error", in)
		}
	}
}

// utf16Encode is s as UTF-16 code units.
func utf16Encode(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xd800+(r>>10)), uint16(0xdc00+(r&0x3ff)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"period title only", "Report from 10-01-2009 to 10-14-2009\n", `line 1: the title says "Report from 10-01-2009 to 10-14-2009", but no header follows it`},
		{"no title, unknown header", "Page,Pageviews,Unique Pageviews\n/garden,1204,987\n", "line 1: header not recognised (columns: Page, Pageviews, Unique Pageviews); expected the columns of Orders report: Category, Name, ASIN"},
		{"header after blank lines", "\n\nfoo,bar\n", "line 3: header not recognised"},
		{"bad row in a page", "<table><tr><th>Tracking ID</th><th>Clicks</th></tr><tr><td>a-20</td><td>many</td></tr></table>", `row 2: Clicks: "many" is not a number`},
		{"empty ASIN", "ASIN,Qty,Tag\n,2,gardenshop-20\n", "line 2: ASIN is empty"},
		{"long line", "Link Type,Clicks\n" + strings.Repeat("x", 2<<20) + "\n", "line 2: longer than 1 MiB: not a report row; stopped there; read 0 good rows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("x", strings.NewReader(tc.text), "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to hold %q", err, tc.want)
			}
		})
	}
}
