package cartmail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"github.com/aomdoctor/aomdoctor/checks/internal/badtable"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

type wantReport struct {
	date    string // YYYY-MM-DD, "unknown date" when undated
	hasTime bool
	line    int
	field   string
	items   []store.CartItem
}

type wantLink struct {
	form   store.LinkForm
	id     string
	domain string
	http   bool
	count  int
}

func item(asin, title string, qty int, price string) store.CartItem {
	return store.CartItem{ASIN: asin, Title: title, Qty: qty, Price: price}
}

const (
	bowSaw  = "Fiskars 9163 Steel Bow Saw, 21 Inch"
	pruner  = "Corona BP 3180 ClassicCUT Bypass Pruner, 1 Inch"
	pistol  = "Dramm 12380 ColorStorm Premium Touch-N-Flow Pistol, Red"
	gardenC = "gardenshop-20"
)

var testdataCases = []struct {
	file    string
	count   int
	skipped int
	reports []wantReport
	links   []wantLink
}{
	{
		file: "plain.eml", count: 1,
		reports: []wantReport{{"2009-10-12", true, 1, "message 1", []store.CartItem{
			item("B00002N5Z2", bowSaw, 1, "$17.99"),
			item("B00002N66H", pruner, 2, "$13.99"),
			item("B0001WV0C6", pistol, 1, "$24.99"),
		}}},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 1}},
	},
	{
		file: "html-table.eml", count: 1,
		reports: []wantReport{{"2009-10-13", true, 1, "message 1", []store.CartItem{
			item("B000BQWDZ2", "Tregothnan Classic Tea, English Grown, 50 Bags", 2, "£12.50"),
			item("B0009F3SAA", "Brown Betty Teapot, 6 Cup", 1, "£19.99"),
		}}},
		links: []wantLink{
			{store.FormEncodedTag, "cornishteas-21", "amazon.co.uk", true, 2},
			{store.FormCartMerge, "cornishteas-21", "amazon.co.uk", false, 1},
		},
	},
	{
		file: "quoted-printable.eml", count: 1,
		reports: []wantReport{{"2009-10-14", true, 1, "message 1", []store.CartItem{
			item("B001E5E2PW", "Café Crème Clotted Cream Fudge, 150 g", 3, "£4.99"),
			item("B000BQWDZ2", "Tregothnan Classic Tea, English Grown, 50 Bags", 1, "£12.50"),
		}}},
		links: []wantLink{{store.FormCartMerge, "cornishteas-21", "amazon.co.uk", false, 1}},
	},
	{
		file: "base64.eml", count: 1,
		reports: []wantReport{{"2009-10-15", true, 1, "message 1", []store.CartItem{
			item("B0001E3W1S", "Gardena 8754-20 Gartenschere – Bypass, Comfort", 1, "EUR 9,99"),
			item("B0018RO2VS", "Fiskars Grünschnittschere PowerGear L", 2, "24,95 €"),
		}}},
		links: []wantLink{{store.FormCartMerge, "gartenladen-21", "amazon.de", false, 1}},
	},
	{
		// The cart URL is in both parts: one link, not two.
		file: "alternative.eml", count: 1,
		reports: []wantReport{{"2009-10-16", true, 1, "message 1", []store.CartItem{
			item("B00002N5Z2", bowSaw, 1, "$17.99"),
			item("B00002N66H", pruner, 1, "$13.99"),
		}}},
		links: []wantLink{
			{store.FormEncodedTag, gardenC, "amazon.com", true, 2},
			{store.FormCartMerge, gardenC, "amazon.com", false, 1},
		},
	},
	{
		file: "crlf.eml", count: 1,
		reports: []wantReport{{"2009-10-17", true, 1, "message 1", []store.CartItem{
			item("B0001WV0C6", pistol, 2, "$24.99"),
		}}},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 1}},
	},
	{
		file: "no-date.eml", count: 1,
		reports: []wantReport{{"unknown date", false, 1, "message 1", []store.CartItem{
			item("B00002N5Z2", bowSaw, 1, "$17.99"),
		}}},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 1}},
	},
	{
		// The cart's date is the original's (Oct 19), not the forward's
		// (Oct 21); the mistyped ID is kept as written.
		file: "forwarded.eml", count: 1,
		reports: []wantReport{{"2009-10-19", true, 1, "message 1", []store.CartItem{
			item("B00002N5Z2", bowSaw, 1, "$17.99"),
		}}},
		links: []wantLink{{store.FormCartMerge, "gardensh0p-20", "amazon.com", false, 1}},
	},
	{
		file: "forwarded-attachment.eml", count: 1,
		reports: []wantReport{{"2009-10-20", true, 1, "message 1", []store.CartItem{
			item("B00002N66H", pruner, 1, "$13.99"),
		}}},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 1}},
	},
	{
		file: "text-table.eml", count: 1,
		reports: []wantReport{{"2009-10-17", true, 1, "message 1", []store.CartItem{
			item("B00002N5Z2", bowSaw, 1, "$17.99"),
			item("B00002N66H", "Corona BP 3180 ClassicCUT Bypass Pruner", 3, "$13.99"),
			item("0596007973", "Gardening for Geeks (paperback)", 1, "$29.95"),
		}}},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 1}},
	},
	{
		file: "fields.eml", count: 1,
		reports: []wantReport{{"2009-10-18", true, 1, "message 1", []store.CartItem{
			item("B00002N5Z2", bowSaw, 2, "$17.99"),
			item("059600797X", "Gardening for Geeks (paperback)", 1, "$29.95"),
		}}},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 1}},
	},
	{
		// The fourth item is only in the add.html URL.
		file: "oneline.eml", count: 1,
		reports: []wantReport{{"2009-10-19", true, 1, "message 1", []store.CartItem{
			item("B00002N66H", "Corona BP 3180 ClassicCUT Bypass Pruner", 2, "$13.99"),
			item("B00002N5Z2", bowSaw, 1, "$17.99"),
			item("B0001WV0C6", "Dramm ColorStorm Pistol, Red", 4, "$24.99"),
			item("B000BZ8JXU", "", 1, ""),
		}}},
		links: []wantLink{{store.FormAddToCart, gardenC, "amazon.com", false, 1}},
	},
	{
		// Message 2 is dated late on Oct 23 in -0700: Oct 23, in its own
		// zone, though it is Oct 24 in UTC. Message 3 is a hosting
		// invoice: skipped. Message 4 is Windows-1252 with no charset.
		file: "reports.mbox", count: 3, skipped: 1,
		reports: []wantReport{
			{"2009-10-23", true, 1, "message 1", []store.CartItem{item("B00002N5Z2", bowSaw, 1, "$17.99")}},
			{"2009-10-23", true, 23, "message 2", []store.CartItem{item("B00002N66H", pruner, 2, "$13.99")}},
			{"2009-10-25", true, 49, "message 4", []store.CartItem{
				item("B000BZ8JXU", "Gardener’s Supply Kneeling Pad – Green", 1, "$9.99"),
				item("B00002N5Z2", bowSaw, 1, "$17.99"),
			}},
		},
		links: []wantLink{{store.FormCartMerge, gardenC, "amazon.com", false, 3}},
	},
}

func readFile(t testing.TB, path string) (*store.CartReports, *store.Links, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(path, f)
}

func TestReadTestdata(t *testing.T) {
	for _, tc := range testdataCases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			carts, links, err := readFile(t, path)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			checkCarts(t, path, carts, tc.count, tc.skipped, tc.reports)
			checkLinks(t, links, tc.links)
		})
	}
}

func checkCarts(t *testing.T, path string, carts *store.CartReports, count, skipped int, want []wantReport) {
	t.Helper()
	if carts.Count != count || carts.Skipped != skipped {
		t.Errorf("count %d, skipped %d; want %d, %d", carts.Count, carts.Skipped, count, skipped)
	}
	if !reflect.DeepEqual(carts.Files, []string{path}) {
		t.Errorf("files = %q, want [%q]", carts.Files, path)
	}
	if len(carts.Examples) != len(want) {
		t.Fatalf("%d reports kept, want %d", len(carts.Examples), len(want))
	}
	for i, w := range want {
		got := carts.Examples[i]
		if got.Date.String() != w.date || got.HasTime != w.hasTime {
			t.Errorf("report %d: date %s (time %v), want %s (time %v)", i+1, got.Date, got.HasTime, w.date, w.hasTime)
		}
		if want := (store.Source{Path: path, Line: w.line, Field: w.field}); got.Source != want {
			t.Errorf("report %d: source %+v, want %+v", i+1, got.Source, want)
		}
		if !reflect.DeepEqual(got.Items, w.items) {
			t.Errorf("report %d items:\n got %s\nwant %s", i+1, fmtItems(got.Items), fmtItems(w.items))
		}
	}
}

func fmtItems(items []store.CartItem) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "\n  %s %q qty %d %q", it.ASIN, it.Title, it.Qty, it.Price)
	}
	return b.String()
}

func checkLinks(t *testing.T, links *store.Links, want []wantLink) {
	t.Helper()
	var got []wantLink
	for _, g := range links.Groups() {
		got = append(got, wantLink{g.Form, g.ID, g.Domain, g.HTTP, g.Count})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links:\n got %+v\nwant %+v", got, want)
	}
}

// TestLinkSources checks that every link cites the message it came from.
func TestLinkSources(t *testing.T) {
	path := filepath.Join("testdata", "reports.mbox")
	_, links, err := readFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	var got []store.Source
	for _, g := range links.Groups() {
		for _, ex := range g.Examples {
			got = append(got, ex.Source)
		}
	}
	want := []store.Source{
		{Path: path, Line: 1, Field: "message 1"},
		{Path: path, Line: 23, Field: "message 2"},
		{Path: path, Line: 49, Field: "message 4"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %+v, want %+v", got, want)
	}
}

// TestSoftWrappedURL checks that a cart URL that quoted-printable wrapped
// over three lines comes back whole, in LF and CRLF files alike.
func TestSoftWrappedURL(t *testing.T) {
	for file, want := range map[string]string{
		"quoted-printable.eml": "https://www.amazon.co.uk/gp/cart/aws-merge.html?cart-id=026-9988776-5544332&associate-id=cornishteas-21&hmac=cG9tZWdyYW5hdGVzYW5kcGVhcnM%3D&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE",
		"crlf.eml":             "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=187-1357913-5791357&associate-id=gardenshop-20&hmac=cmFpbmJhcnJlbHM%3D&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE",
	} {
		_, links, err := readFile(t, filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		gs := links.Groups()
		if len(gs) != 1 || gs[0].Examples[0].URL != want {
			t.Errorf("%s: links %+v, want the one URL %s", file, gs, want)
		}
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "crlf.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(raw, []byte("\r\n")) != bytes.Count(raw, []byte("\n")) {
		t.Error("testdata/crlf.eml has lost its CRLF line endings")
	}
}

func TestSniff(t *testing.T) {
	files, err := filepath.Glob("testdata/*.e*")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "testdata/reports.mbox",
		"../../../fixtures/bad/mail/broken-base64.mbox",
		"../../../fixtures/bad/mail/truncated-multipart.eml",
		"../../../fixtures/bad/mail/headers-only.eml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := Sniff(data); got != store.KindCartReports {
			t.Errorf("Sniff(%s) = %q, want %q", f, got, store.KindCartReports)
		}
	}
	for _, tc := range []struct{ name, head string }{
		{"empty", ""},
		{"no header block", "A visitor to Garden Shop Supplies has checked out to Amazon.\n\nDate: 12 Oct 2009 15:42:07\n"},
		{"yaml", "from: orders@gardenshop.example\ndate: 2009-10-12\nsubject: settings\nAmazonAssociateId: gardenshop-20\n"},
		{"one header", "From: Pat <owner@example.com>\n\nhello\n"},
		{"no address or date", "From: Pat\nSubject: notes\nTo: support\n\nhello\n"},
		{"headers after text", "Notes for support\nFrom: Pat <owner@example.com>\nDate: Mon, 12 Oct 2009 15:42:07 -0400\n\n"},
		{"key value export", "AmazonAssociateId: gardenshop-20\nReportsEmail: owner@example.com\nDate: Mon, 12 Oct 2009 15:42:07 -0400\n"},
		{"ini", "AmazonAssociateId = gardenshop-20\nReportsEmail = owner@example.com\n"},
		{"php", "<?php\n$cfg['AmazonAssociateId']['value'] = 'gardenshop-20';\n"},
		{"link list", "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n"},
		{"html", "<html><body>From: x@y</body></html>"},
		{"mbox line alone", "From \n"},
		{"prose starting with From", "From the desk of Pat: Date: soon\nSubject: things\n"},
	} {
		if got := Sniff([]byte(tc.head)); got != "" {
			t.Errorf("Sniff(%s) = %q, want \"\"", tc.name, got)
		}
	}
	// A header block cut off by the 64 KiB sniff limit is still mail.
	long := "Date: Mon, 12 Oct 2009 15:42:07 -0400\nFrom: a@example.com\nX-Long: " + strings.Repeat("x", 64<<10)
	if got := Sniff([]byte(long)[:64<<10]); got != store.KindCartReports {
		t.Errorf("Sniff(cut header block) = %q", got)
	}
}

// badMail is the table of fixtures/bad/mail/README.md; the test checks the
// two agree.
var badMail = []struct {
	file   string
	count  int // cart reports still read
	errors int
	want   string
}{
	{"broken-base64.mbox", 2, 1, "message 2 (line 17): undecodable base64 in the text/plain part: '*' on line 3 of the part is not base64"},
	{"headers-only.eml", 0, 1, "message 1 (line 1): no body: the message ends after its headers"},
	{"no-headers.eml", 0, 1, "message 1 (line 1): no header block: the message does not start with mail headers"},
	{"truncated-multipart.eml", 0, 1, `message 1 (line 1): multipart/alternative body ends without its closing boundary "--=_aom_4af1962c1b2d3--"`},
}

const badDir = "../../../fixtures/bad/mail"

func TestBadMail(t *testing.T) {
	for _, tc := range badMail {
		t.Run(tc.file, func(t *testing.T) {
			carts, _, err := readFile(t, filepath.Join(badDir, tc.file))
			var merr *multierror.Error
			if !errors.As(err, &merr) {
				t.Fatalf("error %v (%T), want a *multierror.Error", err, err)
			}
			if len(merr.Errors) != tc.errors || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("errors = %q, want %d holding %q", merr.Errors, tc.errors, tc.want)
			}
			if carts == nil || carts.Count != tc.count {
				t.Errorf("carts = %+v, want %d read despite the error", carts, tc.count)
			}
		})
	}
}

func TestBadMailMatchesREADME(t *testing.T) {
	want := map[string]string{}
	for _, tc := range badMail {
		want[tc.file] = tc.want
	}
	badtable.Check(t, badDir, want)
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, input, want string
		count             int
	}{
		{"empty", "", "empty file: no messages", 0},
		{"blank mbox message", "From a@example.com Mon Oct 12 15:42:07 2009\n\n", "message 1 (line 1): empty message", 0},
		{"multipart without boundary", "From: a@example.com\nDate: Mon, 12 Oct 2009 15:42:07 -0400\nContent-Type: multipart/mixed\n\nbody\n",
			"message 1 (line 1): multipart/mixed without a boundary parameter", 0},
		{"boundary never found", "From: a@example.com\nContent-Type: multipart/mixed; boundary=XYZ\n\nno parts here\n",
			`message 1 (line 1): multipart/mixed body has no parts: boundary "--XYZ" not found`, 0},
		{"only an image", "From: a@example.com\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n",
			"message 1 (line 1): no text body", 0},
		{"bad header line", "From: a@example.com\nthis is no header\n\nbody\n",
			"message 1 (line 1): bad header block: malformed header line: this is no header", 0},
		{"attached message without headers", "From: a@example.com\nContent-Type: message/rfc822\n\nno header here\n",
			"message 1 (line 1): attached message: bad header block", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			carts, links, err := Read("in.eml", strings.NewReader(tc.input))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
			if carts == nil || links == nil || carts.Count != tc.count {
				t.Errorf("carts %+v, links %+v", carts, links)
			}
		})
	}
}

// TestMbox checks the mbox rules: separators, >From unescaping, a body
// "From " line that is no separator, a separator with no blank line before
// it, a byte-order mark, and a message over the size limit.
func TestMbox(t *testing.T) {
	msg := func(subject, body string) string {
		return "From: Associate-O-Matic <noreply@example.com>\nDate: Mon, 12 Oct 2009 15:42:07 -0400\nSubject: " + subject + "\n\n" + body + "\n"
	}
	in := "\xef\xbb\xbfFrom noreply@example.com Mon Oct 12 15:42:08 2009\n" +
		msg("Remote Cart Report 1", ">From the store.\n>>From quoted.\n\nFrom the team at the store\n") + "\n" +
		"From noreply@example.com Mon Oct 12 15:50:00 2009\n" +
		msg("Remote Cart Report 2", "ASIN: B00002N5Z2") +
		"From noreply@example.com Mon Oct 12 16:00:00 2009\n" + // no blank line before: still a separator
		msg("Remote Cart Report 3", "cart")
	var got []string
	var lines []int
	sp := &splitter{br: bufioReader(in)}
	if err := sp.each(func(raw []byte, line int, tooBig bool) {
		got = append(got, string(raw))
		lines = append(lines, line)
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d messages, want 3: %q", len(got), got)
	}
	if !strings.Contains(got[0], "\nFrom the store.\n>From quoted.\n\nFrom the team at the store\n") {
		t.Errorf("message 1 = %q: >From lines not unescaped, or split at a body line", got[0])
	}
	if want := []int{1, 12, 18}; !reflect.DeepEqual(lines, want) {
		t.Errorf("message lines = %v, want %v", lines, want)
	}

	big := "From a@example.com Mon Oct 12 15:42:08 2009\n" + msg("big", strings.Repeat("x", 1<<20)+"\n"+strings.Repeat("y\n", maxMessage/2)) +
		"\nFrom a@example.com Mon Oct 12 15:42:09 2009\n" + msg("Remote Cart Report", "ASIN: B00002N5Z2")
	carts, _, err := Read("big.mbox", strings.NewReader(big))
	if err == nil || !strings.Contains(err.Error(), "message 1 (line 1): larger than 16 MiB; skipped") {
		t.Errorf("error = %v, want message 1 too large", err)
	}
	if carts.Count != 1 || carts.Examples[0].Source.Field != "message 2" {
		t.Errorf("carts = %+v, want message 2 read after the large one", carts)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string
		hasTime bool
	}{
		{"Mon, 12 Oct 2009 15:42:07 -0400", "2009-10-12", true},
		{"Mon, 12 Oct 2009 23:42:07 -0700 (PDT)", "2009-10-12", true},
		{"12 Oct 2009 15:42:07", "2009-10-12", true},
		{"Mon, Oct 19, 2009 at 3:42 PM", "2009-10-19", true},
		{"Monday, October 19, 2009 3:42 PM", "2009-10-19", true},
		{"October 19, 2009 at 3:42:07 PM EDT", "2009-10-19", true},
		{"2009-10-19 15:42:07", "2009-10-19", true},
		{"2009-10-19", "2009-10-19", false},
		{"19 October 2009", "2009-10-19", false},
	} {
		d, ht, ok := parseDate(tc.in)
		if !ok || d.String() != tc.want || ht != tc.hasTime {
			t.Errorf("parseDate(%q) = %s, %v, %v; want %s, %v", tc.in, d, ht, ok, tc.want, tc.hasTime)
		}
	}
	for _, bad := range []string{"", "soon", "2009", "B00002N5Z2", strings.Repeat("9", 200)} {
		if _, _, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) ok", bad)
		}
	}
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReaderSize(strings.NewReader(s), 64<<10) }
