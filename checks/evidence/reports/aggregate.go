package reports

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// table turns the rows of one report into the aggregates rules need. It is
// shared by the CSV and HTML readers: they cut rows into cells, it knows
// what the cells mean.
type table struct {
	name  string
	h     *header
	rep   *store.Reports
	html  bool // rows are cited as "row N" of a saved page's table
	dec   bool // a lone comma is a decimal comma
	dates rowDates
	rows  int // data rows counted

	// Orders: the items; the items by link type, keyed by the label's bytes
	// as read (see finish); the last few link types and tracking IDs seen,
	// which a million rows repeat; a buffer to lower-case tracking IDs in.
	items       items
	byLinkType  map[string]*int
	recentTypes []recent[*int]
	recentIDs   []recent[*store.SeenID]
	lower       []byte

	// Link-Type: the heading a saved page (or a download) puts rows under,
	// the last top-level row, which indented rows belong to, and whether the
	// page shows sections by indenting.
	heading, parent string
	indents         bool
}

func newTable(name string, h *header, html bool, rowsDayFirst bool) *table {
	return &table{
		name: name, h: h, html: html, rep: store.NewReports(),
		dec:        h.lang.decimalComma(),
		dates:      rowDates{dayFirst: rowsDayFirst},
		byLinkType: map[string]*int{},
	}
}

// src cites a row: its line in a download, its row number in a page's table.
func (t *table) src(loc int, f field) store.Source {
	if t.html {
		return store.Source{Path: t.name, Line: loc, Field: "row " + strconv.Itoa(loc)}
	}
	return store.Source{Path: t.name, Line: loc, Field: t.h.names[f]}
}

// cell is the trimmed cell of field f, nil when the report has no such column.
func (t *table) cell(cells [][]byte, f field) []byte {
	i := t.h.cols[f]
	if i < 0 || i >= len(cells) {
		return nil
	}
	return trimSpace(cells[i])
}

// count reads the count in column f: 0 when absent, empty or N/A.
func (t *table) count(cells [][]byte, f field) (int, error) {
	b := t.cell(cells, f)
	if b == nil {
		return 0, nil
	}
	n, _, ok := parseCount(b, t.dec)
	if !ok {
		return 0, t.notNumber(f, b)
	}
	return n, nil
}

// num reads the number in column f; na when absent, empty or N/A.
func (t *table) num(cells [][]byte, f field) (v float64, na bool, err error) {
	b := t.cell(cells, f)
	if b == nil {
		return 0, true, nil
	}
	v, na, ok := parseNum(b, t.dec)
	if !ok {
		return 0, false, t.notNumber(f, b)
	}
	return v, na, nil
}

func (t *table) notNumber(f field, b []byte) error {
	return fmt.Errorf("%s: %q is not a number", t.h.names[f], clean(b))
}

// row reads one data row; loc is its line (or row number in a page) and
// indent whether a page shows its label indented. It returns an error, which
// does not name the line (the caller adds it), when the row cannot be read.
func (t *table) row(cells [][]byte, loc int, indent bool) error {
	switch t.h.kind {
	case store.KindReportOrders:
		if t.h.byItem {
			return t.orderItem(cells, loc)
		}
		return t.orderLine(cells, loc)
	case store.KindReportLinkType:
		return t.linkType(cells, loc, indent)
	case store.KindReportTracking:
		return t.tracking(cells, loc)
	case store.KindReportEarnings:
		return t.earnings(cells, loc)
	case store.KindReportDailyTrends:
		return t.daily(cells, loc)
	}
	return nil
}

// skippable tells, for a row whose key cell is empty, whether it is a
// totals row or blank (both skipped), or else the error for a missing key.
func (t *table) skippable(cells [][]byte, key field) error {
	if isTotalRow(cells) || allEmpty(cells) {
		return nil
	}
	return fmt.Errorf("%s is empty", t.h.names[key])
}

// orderLine reads a Fee-Orders row: one order line of one item.
func (t *table) orderLine(cells [][]byte, loc int) error {
	asin := t.cell(cells, fASIN)
	if len(asin) != 10 && (len(asin) == 0 || isTotalRow(cells)) {
		return t.skippable(cells, fASIN)
	}
	qty := 1 // a report with no quantity column lists one item a row
	if t.h.has(fQty) {
		var err error
		if qty, err = t.count(cells, fQty); err != nil {
			return err
		}
	}
	r := t.items.get(asin, loc)
	// The Indirect Sales column's values are not documented. The assumption
	// here: it flags the rows where the item bought is not the one the
	// visitor was sent to (bought after clicking on, "all other items"),
	// and Y/Yes/1/true/Indirect mean so; anything else is direct.
	if isIndirect(t.cell(cells, fIndirect)) {
		r.other += int64(qty)
	} else {
		r.direct += int64(qty)
	}
	if !r.named {
		t.nameItem(r, cells, loc)
	}
	if d := t.cell(cells, fDate); len(d) > 0 {
		// An unreadable date costs the item its date range, not its count.
		if day, ok := t.dates.parse(d); ok {
			r.see(day)
		}
	}
	if t.h.has(fLinkType) {
		*t.linkTypeCount(t.cell(cells, fLinkType)) += qty
	}
	if tag := t.cell(cells, fTrackingID); len(tag) > 0 {
		t.seeID(tag, loc)
	}
	t.rows++
	return nil
}

// linkTypeCount is the sum of items of link type lt. A report has a handful
// of link types, so a short list of the ones seen answers faster than a map.
func (t *table) linkTypeCount(lt []byte) *int {
	for i := range t.recentTypes {
		if string(t.recentTypes[i].key) == string(lt) {
			return t.recentTypes[i].n
		}
	}
	p := t.byLinkType[string(lt)]
	if p == nil {
		p = new(int)
		t.byLinkType[string(lt)] = p
	}
	if len(t.recentTypes) < 8 {
		t.recentTypes = append(t.recentTypes, recent[*int]{key: []byte(string(lt)), n: p})
	}
	return p
}

// recent is a value remembered by its key's bytes.
type recent[T any] struct {
	key []byte
	n   T
}

// orderItem reads a row of the old Orders report: one row per item.
func (t *table) orderItem(cells [][]byte, loc int) error {
	asin := t.cell(cells, fASIN)
	if len(asin) != 10 && (len(asin) == 0 || isTotalRow(cells)) {
		return t.skippable(cells, fASIN)
	}
	direct, err := t.count(cells, fDirectOrdered)
	if err != nil {
		return err
	}
	other, err := t.count(cells, fOtherOrdered)
	if err != nil {
		return err
	}
	if !t.h.has(fDirectOrdered) && t.h.has(fItemsOrdered) {
		// Only a total: what is not "all other items" came through the
		// store's links.
		total, err := t.count(cells, fItemsOrdered)
		if err != nil {
			return err
		}
		direct = max(total-other, 0)
	}
	r := t.items.get(asin, loc)
	r.direct += int64(direct)
	r.other += int64(other)
	if !r.named {
		t.nameItem(r, cells, loc)
	}
	t.rows++
	return nil
}

// nameItem gives an item the name of the row, when it has one.
func (t *table) nameItem(r *itemRec, cells [][]byte, loc int) {
	if name := t.cell(cells, fName); len(name) > 0 {
		t.items.names[r.n] = clean(name)
		r.named = true
		r.nameLine = int32(min(loc, math.MaxInt32))
	}
}

// seeID records a tracking ID without allocating for the IDs seen before:
// a million rows carry the same few.
func (t *table) seeID(id []byte, loc int) {
	for i := range t.recentIDs {
		if string(t.recentIDs[i].key) == string(id) {
			t.recentIDs[i].n.Rows++
			return
		}
	}
	t.lower = t.lower[:0]
	for _, c := range id {
		if c >= utf8.RuneSelf {
			t.rep.SeeID(clean(id), t.src(loc, fTrackingID))
			return
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		t.lower = append(t.lower, c)
	}
	if s, ok := t.rep.IDs[string(t.lower)]; ok {
		s.Rows++
		if len(t.recentIDs) < 8 {
			t.recentIDs = append(t.recentIDs, recent[*store.SeenID]{key: []byte(string(id)), n: s})
		}
		return
	}
	t.rep.SeeID(string(id), t.src(loc, fTrackingID))
}

// linkType reads a Link-Type row.
func (t *table) linkType(cells [][]byte, loc int, indent bool) error {
	label := t.cell(cells, fLinkType)
	if isTotalRow(cells) {
		t.heading, t.parent = "", ""
		return nil
	}
	if !t.hasFigures(cells) {
		// A heading such as "Web Services Links": the rows under it are
		// its link types.
		if len(label) > 0 {
			t.heading, t.parent = clean(label), ""
		}
		return nil
	}
	if len(label) == 0 {
		// Figures without a label: a page's totals row without the word.
		return nil
	}
	row := store.LinkTypeRow{Label: clean(label), Source: t.src(loc, fLinkType)}
	var err error
	if row.Clicks, row.ItemsOrdered, row.ItemsShipped, row.Earnings, err = t.figures(cells); err != nil {
		return err
	}
	conv, na, err := t.num(cells, fConversion)
	if err != nil {
		return err
	}
	switch {
	case !na:
		row.Conversion, row.HasConv = conv, true
	case row.Clicks > 0:
		row.Conversion, row.HasConv = float64(row.ItemsOrdered)*100/float64(row.Clicks), true
	}
	switch {
	case !t.indents:
		// No indenting: a heading row holds the rows up to the next.
		row.Section = t.heading
	case indent && t.parent != "":
		row.Section = t.parent
	case indent:
		row.Section = t.heading
	default:
		// A top-level row ends the heading's section and may be the
		// parent (with subtotals) of the indented rows after it.
		t.heading, t.parent = "", row.Label
	}
	t.rep.LinkType = append(t.rep.LinkType, row)
	t.rows++
	return nil
}

// hasFigures reports whether any figure column of the row holds something,
// even N/A: a row with none is a heading.
func (t *table) hasFigures(cells [][]byte) bool {
	for _, f := range []field{fClicks, fItemsOrdered, fOrderedAmazon, fOrdered3P, fItemsShipped, fEarnings, fConversion, fRevenue, fImpressions, fCTR} {
		if len(t.cell(cells, f)) > 0 {
			return true
		}
	}
	return false
}

// ordered is the items ordered: the total, or Amazon's and third parties'.
func (t *table) ordered(cells [][]byte) (int, error) {
	if t.h.has(fItemsOrdered) {
		return t.count(cells, fItemsOrdered)
	}
	a, err := t.count(cells, fOrderedAmazon)
	if err != nil {
		return 0, err
	}
	b, err := t.count(cells, fOrdered3P)
	return a + b, err
}

// figures reads the columns the Link-Type and Tracking ID Summary reports
// share, in the order a bad cell is reported.
func (t *table) figures(cells [][]byte) (clicks, ordered, shipped int, earnings float64, err error) {
	if clicks, err = t.count(cells, fClicks); err != nil {
		return
	}
	if ordered, err = t.ordered(cells); err != nil {
		return
	}
	if shipped, err = t.count(cells, fItemsShipped); err != nil {
		return
	}
	earnings, _, err = t.num(cells, fEarnings)
	return
}

// tracking reads a Tracking ID Summary row.
func (t *table) tracking(cells [][]byte, loc int) error {
	id := t.cell(cells, fTrackingID)
	if len(id) == 0 || isTotalRow(cells) {
		// A totals row names no ID; neither does a blank one.
		return nil
	}
	row := store.TrackingRow{ID: clean(id), Source: t.src(loc, fTrackingID)}
	var err error
	if row.Clicks, row.ItemsOrdered, row.ItemsShipped, row.Earnings, err = t.figures(cells); err != nil {
		return err
	}
	t.rep.Tracking = append(t.rep.Tracking, row)
	t.seeID(id, loc)
	t.rows++
	return nil
}

// earnings reads a Fee-Earnings row: items shipped, by tracking ID.
func (t *table) earnings(cells [][]byte, loc int) error {
	asin := t.cell(cells, fASIN)
	if len(asin) != 10 && (len(asin) == 0 || isTotalRow(cells)) {
		return t.skippable(cells, fASIN)
	}
	// Returns are rows of their own in the report and are not taken off:
	// what rules compare is what was shipped.
	shipped, err := t.count(cells, fItemsShipped)
	if err != nil {
		return err
	}
	t.rep.ShippedItems += shipped
	if id := t.cell(cells, fTrackingID); len(id) > 0 {
		t.seeID(id, loc)
	}
	t.rows++
	return nil
}

// daily reads a Daily Trends row.
func (t *table) daily(cells [][]byte, loc int) error {
	raw := t.cell(cells, fDate)
	day, ok := t.dates.parse(raw)
	if !ok {
		if len(raw) == 0 || isTotalRow(cells) {
			return t.skippable(cells, fDate)
		}
		return fmt.Errorf("%s: %q is not a date", t.h.names[fDate], clean(raw))
	}
	row := store.DailyRow{Date: day, Source: t.src(loc, fDate)}
	var err error
	if row.Clicks, err = t.count(cells, fClicks); err != nil {
		return err
	}
	if row.ItemsOrdered, err = t.ordered(cells); err != nil {
		return err
	}
	t.rep.Daily = append(t.rep.Daily, row)
	t.rows++
	return nil
}

// finish moves what was gathered by bytes into the reports.
func (t *table) finish() {
	t.items.finish(t)
	for k, n := range t.byLinkType {
		t.rep.OrderedByLinkType[clean([]byte(k))] += *n
	}
}

// totalWords are the labels of totals rows, which are never data.
var totalWords = map[string]bool{
	"total": true, "totals": true, "grand total": true, "subtotal": true, "sub total": true, "sum": true,
	"gesamt": true, "insgesamt": true, "summe": true, "gesamtsumme": true, "zwischensumme": true,
	"totale": true, "totali": true, "totale complessivo": true, "subtotale": true, "somma": true,
}

// isTotalRow reports whether a cell of the row labels it a totals row:
// "Total", "Totals:", "Gesamt", "Totale", or "Total for 10-01-2009 ...".
func isTotalRow(cells [][]byte) bool {
	for i, c := range cells {
		c = trimSpace(c)
		if len(c) < 3 || len(c) > 60 || !isTotalStart(c[0]) {
			continue
		}
		s := strings.ToLower(string(c))
		s = strings.TrimSpace(strings.TrimRight(s, ":*"))
		if totalWords[s] {
			return true
		}
		// "Total for the period": only as the row's label, as a product
		// may be called "Total Gym".
		if i == 0 {
			for _, w := range []string{"total ", "totals ", "gesamt ", "totale ", "summe "} {
				if strings.HasPrefix(s, w) && !strings.HasPrefix(s, "total items") {
					return true
				}
			}
		}
	}
	return false
}

func isTotalStart(c byte) bool {
	switch c | 0x20 {
	case 't', 'g', 's', 'i':
		return true
	}
	return false
}

// allEmpty reports whether every cell is blank.
func allEmpty(cells [][]byte) bool {
	for _, c := range cells {
		if len(trimSpace(c)) > 0 {
			return false
		}
	}
	return true
}

// indirectWords are the values of Fee-Orders' Indirect Sales column taken to
// mean the item was an indirect sale (see orderLine).
var indirectWords = []string{"y", "yes", "1", "true", "indirect", "indirect sale", "indirect sales", "x", "si", "sì", "ja", "j"}

func isIndirect(b []byte) bool {
	if len(b) == 0 || len(b) > 14 {
		return false
	}
	switch b[0] | 0x20 {
	case 'n', 'd', '0', 'f', '-':
		return false // N, No, Direct, 0, false: most rows
	}
	for _, w := range indirectWords {
		if bytes.EqualFold(b, []byte(w)) {
			return true
		}
	}
	return false
}

// clean is b as text, invalid UTF-8 replaced: reports "may carry a few
// invalid characters", which must not stop them being read.
func clean(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
