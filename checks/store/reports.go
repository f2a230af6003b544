package store

import "time"

// The kinds of Amazon Associates report and other evidence added with the
// reports. The string values are part of the JSON output and stay stable.
const (
	KindReportLinkType    Kind = "report-link-type"    // Fee-LinkType / Link-Type report
	KindReportOrders      Kind = "report-orders"       // Fee-Orders / Orders report
	KindReportTracking    Kind = "report-tracking-id"  // Tracking ID Summary report
	KindReportEarnings    Kind = "report-earnings"     // Fee-Earnings / Earnings report
	KindReportDailyTrends Kind = "report-daily-trends" // Fee-DailyTrends / Daily Trends report
	KindReportXML         Kind = "report-xml"          // a report downloaded as XML: recognised to say it is not supported
	KindCartReports       Kind = "cart-reports"        // AOM cart-report emails: one .eml or an mbox
	KindLinkList          Kind = "link-list"           // a text file of URLs, one a line
)

// Date is a calendar day with no time zone: Amazon's reports are by day.
type Date struct{ Y, M, D int }

// DateOf is the calendar day of t in t's own location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, int(m), d} }

// Time is the day at midnight UTC, for arithmetic.
func (d Date) Time() time.Time { return time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Time().Before(o.Time()) }

// AddDays is d moved n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

func (d Date) String() string {
	if d.IsZero() {
		return "unknown date"
	}
	return d.Time().Format("2006-01-02")
}

// Period is the span of days a report covers, both ends included.
type Period struct {
	From, To Date
	Source   Source // where the period was read (a title line, a page's text, --period)
}

// Known reports whether the period has both ends.
func (p Period) Known() bool { return !p.From.IsZero() && !p.To.IsZero() }

// Days is the number of days in the period, both ends counted.
func (p Period) Days() int {
	if !p.Known() {
		return 0
	}
	return int(p.To.Time().Sub(p.From.Time()).Hours()/24) + 1
}

// Contains reports whether d is inside the period.
func (p Period) Contains(d Date) bool {
	return p.Known() && !d.Before(p.From) && !p.To.Before(d)
}

// ReportFile is one Amazon report read, with its period when it gave one.
type ReportFile struct {
	Path   string
	Kind   Kind
	Period Period // zero when the file did not say
	Rows   int    // data rows read
}

// LinkTypeRow is one row of the Link-Type report: one way visitors reached Amazon.
// A saved page indents rows under heading rows; a heading row that carries
// figures (a subtotal) is a row of its own, so a rule summing rows should
// skip rows whose Label another row names as its Section.
type LinkTypeRow struct {
	Label        string // as the report words it, e.g. "Remote shopping carts"
	Section      string // the heading row it sits under in a saved page ("Web Services Links"), or ""
	Clicks       int
	ItemsOrdered int
	ItemsShipped int
	Conversion   float64 // percent; as reported, or computed when absent
	HasConv      bool
	Earnings     float64
	Source       Source // the file and line (row) it was read from
}

// TrackingRow is one row of the Tracking ID Summary report.
type TrackingRow struct {
	ID           string
	Clicks       int
	ItemsOrdered int
	ItemsShipped int
	Earnings     float64
	Source       Source
}

// SeenID is a tracking ID the reports show, where it was first seen, and in
// how many rows.
type SeenID struct {
	ID     string
	Rows   int
	Source Source
}

// ASINOrders is what the Orders report says of one item.
type ASINOrders struct {
	ASIN  string
	Title string
	// Direct is items ordered through the store's links (what cart reports
	// should match); Other is "All Other Items" (added at Amazon, credited,
	// never in a cart report).
	Direct, Other int
	First, Last   Date // the order dates seen, when the report has dates
	Source        Source
}

// DailyRow is one day of the Daily Trends report.
type DailyRow struct {
	Date         Date
	Clicks       int
	ItemsOrdered int
	Source       Source
}

// Reports holds what the Amazon Associates reports say, kept as the
// aggregates rules need: an Orders report of a million rows becomes one
// entry per item.
type Reports struct {
	Files    []ReportFile
	LinkType []LinkTypeRow
	Tracking []TrackingRow
	// IDs are the tracking IDs seen anywhere in the reports (Tracking ID
	// Summary, Earnings "Tracking ID", Orders "Tag"), keyed by lower-case ID.
	IDs    map[string]*SeenID
	Orders map[string]*ASINOrders // by ASIN
	// OrderedByLinkType sums items ordered by the Orders report's "Link Type".
	OrderedByLinkType map[string]int
	ShippedItems      int // items shipped, from the Earnings report
	Daily             []DailyRow
}

// NewReports returns empty reports, ready for readers to add to.
func NewReports() *Reports {
	return &Reports{IDs: map[string]*SeenID{}, Orders: map[string]*ASINOrders{}, OrderedByLinkType: map[string]int{}}
}

// Has reports whether a report of kind k was read.
func (r *Reports) Has(k Kind) bool {
	if r == nil {
		return false
	}
	for _, f := range r.Files {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// SeeID records a tracking ID seen in a report row.
func (r *Reports) SeeID(id string, src Source) {
	k := lowerTrim(id)
	if k == "" {
		return
	}
	if s, ok := r.IDs[k]; ok {
		s.Rows++
		return
	}
	r.IDs[k] = &SeenID{ID: k, Rows: 1, Source: src}
}

// Period is the period the reports cover: the one all report files agree on,
// the widest span when they differ. Zero when no file gave one.
func (r *Reports) Period() Period {
	var p Period
	if r == nil {
		return p
	}
	for _, f := range r.Files {
		if !f.Period.Known() {
			continue
		}
		if !p.Known() {
			p = f.Period
			continue
		}
		if f.Period.From.Before(p.From) {
			p.From = f.Period.From
		}
		if p.To.Before(f.Period.To) {
			p.To = f.Period.To
		}
	}
	return p
}

// Merge adds everything of o to r; readers each fill their own Reports and
// the loader merges them.
func (r *Reports) Merge(o *Reports) {
	if o == nil {
		return
	}
	r.Files = append(r.Files, o.Files...)
	r.LinkType = append(r.LinkType, o.LinkType...)
	r.Tracking = append(r.Tracking, o.Tracking...)
	r.Daily = append(r.Daily, o.Daily...)
	r.ShippedItems += o.ShippedItems
	for k, s := range o.IDs {
		if mine, ok := r.IDs[k]; ok {
			mine.Rows += s.Rows
		} else {
			c := *s
			r.IDs[k] = &c
		}
	}
	for k, a := range o.Orders {
		mine, ok := r.Orders[k]
		if !ok {
			c := *a
			r.Orders[k] = &c
			continue
		}
		mine.Direct += a.Direct
		mine.Other += a.Other
		if mine.Title == "" {
			mine.Title = a.Title
		}
		mine.First, mine.Last = minDate(mine.First, a.First), maxDate(mine.Last, a.Last)
	}
	for k, n := range o.OrderedByLinkType {
		r.OrderedByLinkType[k] += n
	}
}

func minDate(a, b Date) Date {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func maxDate(a, b Date) Date {
	if a.IsZero() || a.Before(b) {
		return b
	}
	return a
}
