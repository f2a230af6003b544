package store

import (
	"sort"
	"strings"
)

func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CartItem is one line of a cart report.
type CartItem struct {
	ASIN  string
	Title string
	Qty   int
	Price string // as written, currency and all; empty when absent
}

// CartReport is one AOM cart-report email: a visitor checked out to Amazon.
type CartReport struct {
	Source  Source // the file, and the message number within an mbox in Field ("message 12")
	Date    Date   // from the Date header; zero when it had none
	HasTime bool
	Items   []CartItem
}

// CartASIN is what the cart reports say of one item.
type CartASIN struct {
	ASIN        string
	Title       string
	Qty         int // items carted, all reports together
	Carts       int // reports it was in
	First, Last Date
}

// maxCartExamples bounds the reports kept whole for examples; the rest are
// counted, so a mailbox of 100,000 reports costs the same memory as 20.
const maxCartExamples = 20

// CartReports holds what the cart-report emails say, as aggregates: the
// count per day, what was carted, and a few reports kept whole as examples.
type CartReports struct {
	Count    int
	Undated  int
	ByDay    map[Date]int
	ASINs    map[string]*CartASIN
	Examples []CartReport // the first few reports, in reading order
	Files    []string     // the files they came from
	// Skipped counts messages read that were plainly no cart report (no
	// cart, ASIN or Amazon link in them), such as other mail in a mailbox.
	Skipped int
}

// NewCartReports returns an empty set of cart reports.
func NewCartReports() *CartReports {
	return &CartReports{ByDay: map[Date]int{}, ASINs: map[string]*CartASIN{}}
}

// Add counts one cart report.
func (c *CartReports) Add(r CartReport) {
	c.Count++
	if r.Date.IsZero() {
		c.Undated++
	} else {
		c.ByDay[r.Date]++
	}
	for _, it := range r.Items {
		k := strings.ToUpper(strings.TrimSpace(it.ASIN))
		if k == "" {
			continue
		}
		a, ok := c.ASINs[k]
		if !ok {
			a = &CartASIN{ASIN: k, Title: it.Title}
			c.ASINs[k] = a
		}
		qty := it.Qty
		if qty <= 0 {
			qty = 1
		}
		a.Qty += qty
		a.Carts++
		if a.Title == "" {
			a.Title = it.Title
		}
		if !r.Date.IsZero() {
			a.First, a.Last = minDate(a.First, r.Date), maxDate(a.Last, r.Date)
		}
	}
	if len(c.Examples) < maxCartExamples {
		c.Examples = append(c.Examples, r)
	}
}

// Merge adds everything of o to c.
func (c *CartReports) Merge(o *CartReports) {
	if o == nil {
		return
	}
	c.Count += o.Count
	c.Undated += o.Undated
	c.Skipped += o.Skipped
	for d, n := range o.ByDay {
		c.ByDay[d] += n
	}
	for k, a := range o.ASINs {
		mine, ok := c.ASINs[k]
		if !ok {
			cp := *a
			c.ASINs[k] = &cp
			continue
		}
		mine.Qty += a.Qty
		mine.Carts += a.Carts
		if mine.Title == "" {
			mine.Title = a.Title
		}
		mine.First, mine.Last = minDate(mine.First, a.First), maxDate(mine.Last, a.Last)
	}
	for _, e := range o.Examples {
		if len(c.Examples) < maxCartExamples {
			c.Examples = append(c.Examples, e)
		}
	}
	c.Files = append(c.Files, o.Files...)
}

// Days lists the days with cart reports, earliest first.
func (c *CartReports) Days() []Date {
	if c == nil {
		return nil
	}
	out := make([]Date, 0, len(c.ByDay))
	for d := range c.ByDay {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// CountBetween is the number of dated cart reports from..to, both included.
func (c *CartReports) CountBetween(p Period) int {
	if c == nil {
		return 0
	}
	n := 0
	for d, k := range c.ByDay {
		if p.Contains(d) {
			n += k
		}
	}
	return n
}
