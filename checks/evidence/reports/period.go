package reports

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// dateTok is a date as written, before the order of its day and month is
// known: 10-01-2009 is 1 October on Amazon.com and 10 January elsewhere.
type dateTok struct {
	raw     string
	a, b, y int  // numeric: the first two parts as written, and the year
	ymd     bool // written year first: a is the month, b the day
	dot     bool // written with dots (01.10.2009): German, day first
	named   bool // the month is a word: a is the month, b the day, for sure
}

// datePattern finds dates in free text: 10-01-2009, 2009-10-01,
// 01/10/2009, 01.10.2009, Oct 1, 2009, 1 October 2009, 1. Oktober 2009,
// 1 ottobre 2009.
var datePattern = regexp.MustCompile(`(?i)` +
	`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b` + // 1-3: year first
	`|\b(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4}|\d{2})\b` + // 4-7: year last
	`|\b([a-zäéû]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b` + // 8-10: Oct 1, 2009
	`|\b(\d{1,2})\.?\s+([a-zäéû]{3,10})\.?,?\s+(\d{4})\b`) // 11-13: 1 Oct 2009

// months are month names and abbreviations in English, German and Italian.
var months = map[string]int{}

func init() {
	for i, names := range [][]string{
		{"january", "jan", "januar", "jänner", "gennaio", "gen"},
		{"february", "feb", "februar", "febbraio"},
		{"march", "mar", "märz", "maerz", "mär", "marzo"},
		{"april", "apr", "aprile"},
		{"may", "mai", "maggio", "mag"},
		{"june", "jun", "juni", "giugno", "giu"},
		{"july", "jul", "juli", "luglio", "lug"},
		{"august", "aug", "agosto", "ago"},
		{"september", "sep", "sept", "settembre", "set"},
		{"october", "oct", "oktober", "okt", "ottobre", "ott"},
		{"november", "nov", "novembre"},
		{"december", "dec", "dezember", "dez", "dicembre", "dic"},
	} {
		for _, n := range names {
			months[n] = i + 1
		}
	}
}

// findDates returns the dates in s with their byte offsets.
func findDates(s string) ([]dateTok, [][]int) {
	var toks []dateTok
	var locs [][]int
	for _, m := range datePattern.FindAllStringSubmatchIndex(s, 20) {
		group := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		t := dateTok{raw: s[m[0]:m[1]]}
		switch {
		case group(1) != "":
			t.ymd = true
			t.y, t.a, t.b = atoi(group(1)), atoi(group(2)), atoi(group(3))
		case group(4) != "":
			t.a, t.b, t.y = atoi(group(4)), atoi(group(6)), year(group(7))
			t.dot = group(5) == "."
		case group(8) != "":
			mo, ok := months[strings.ToLower(group(8))]
			if !ok {
				continue
			}
			t.named, t.a, t.b, t.y = true, mo, atoi(group(9)), atoi(group(10))
		default:
			mo, ok := months[strings.ToLower(group(12))]
			if !ok {
				continue
			}
			t.named, t.a, t.b, t.y = true, mo, atoi(group(11)), atoi(group(13))
		}
		toks = append(toks, t)
		locs = append(locs, m[:2])
	}
	return toks, locs
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// year reads a year of two or four digits; two-digit years are this
// century's, as no Associates report is older than 1996.
func year(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
	}
	return y
}

// date is t read day first or month first (the order matters only for a
// numeric date written year last).
func (t dateTok) date(dayFirst bool) (store.Date, bool) {
	m, d := t.a, t.b
	if !t.named && !t.ymd && dayFirst {
		m, d = t.b, t.a
	}
	return validDate(t.y, m, d)
}

// validDate is the date y-m-d when it exists.
func validDate(y, m, d int) (store.Date, bool) {
	if y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return store.Date{}, false
	}
	if d > daysIn(y, m) {
		return store.Date{}, false // 31 April
	}
	return store.Date{Y: y, M: m, D: d}, true
}

// daysIn is the number of days of month m of year y. It is worked out here
// rather than with package time because a million-row report checks a date
// on every row.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dateLess reports whether a is before b, without package time's cost.
func dateLess(a, b store.Date) bool {
	if a.Y != b.Y {
		return a.Y < b.Y
	}
	if a.M != b.M {
		return a.M < b.M
	}
	return a.D < b.D
}

// connectors are what stands between the two dates of a period: "from X to
// Y", "X - Y", "dal X al Y", "vom X bis Y", "du X au Y".
var connectors = map[string]bool{
	"to": true, "-": true, "–": true, "—": true, "~": true, "al": true, "bis": true, "au": true, "a": true,
	"through": true, "thru": true, "until": true, "till": true, "and": true, "bis zum": true, "fino al": true, "and the": true,
}

// periodText is a period found in text, before its day/month order is known.
type periodText struct {
	from, to dateTok
	fromAt   int // byte offset of the first date in the text
}

// findPeriod finds the first "DATE to DATE" in s.
func findPeriod(s string) (periodText, bool) {
	toks, locs := findDates(s)
	for i := 0; i+1 < len(toks); i++ {
		between := strings.ToLower(strings.TrimSpace(s[locs[i][1]:locs[i+1][0]]))
		if connectors[between] {
			return periodText{from: toks[i], to: toks[i+1], fromAt: locs[i][0]}, true
		}
	}
	return periodText{}, false
}

// order is a decision about numeric dates written year last.
type order int

const (
	orderUnknown order = iota
	orderDayFirst
	orderMonthFirst
)

// decideOrder tells day-first from month-first by the values when it can:
// a first part over 12 can only be a day, a second part over 12 only a day.
func decideOrder(toks ...dateTok) order {
	for _, t := range toks {
		if t.named || t.ymd {
			continue
		}
		switch {
		case t.a > 12:
			return orderDayFirst
		case t.b > 12:
			return orderMonthFirst
		}
	}
	return orderUnknown
}

// resolve reads the period for a file in language l. Ambiguous dates
// follow the values first, then dots (German style), then the language:
// Amazon.com's English reads month first, the other marketplaces day
// first. A reading that makes the period end before it starts, or names a
// day that does not exist, gives way to the other. It also returns the
// order it settled on, for the dates in the rows.
func (p periodText) resolve(l lang) (store.Period, order) {
	o := decideOrder(p.from, p.to)
	decided := o != orderUnknown
	if !decided {
		o = orderMonthFirst
		if l.dayFirst() || p.from.dot || p.to.dot {
			o = orderDayFirst
		}
	}
	try := func(o order) (store.Period, bool) {
		from, ok1 := p.from.date(o == orderDayFirst)
		to, ok2 := p.to.date(o == orderDayFirst)
		if !ok1 || !ok2 || dateLess(to, from) {
			return store.Period{}, false
		}
		return store.Period{From: from, To: to}, true
	}
	if per, ok := try(o); ok {
		return per, o
	}
	if !decided {
		other := orderDayFirst + orderMonthFirst - o
		if per, ok := try(other); ok {
			return per, other
		}
	}
	return store.Period{}, orderUnknown
}

// rowDates reads the dates in report rows, fast for the numeric forms a
// million-row report uses and remembering the last one, as rows come in
// date order.
type rowDates struct {
	dayFirst bool
	last     []byte
	lastDate store.Date
	lastOK   bool
	// cache holds the dates of short cells seen, by a hash of their
	// bytes: rows not in date order repeat a few dozen days.
	cache *[64]dateEntry
}

// dateEntry is a cell's date remembered.
type dateEntry struct {
	key  [20]byte
	n    uint8 // the cell's length; 0 when unused
	ok   bool
	date store.Date
}

// parse reads a date cell: 2020-12-04, 2020-12-04 08:10:48, 12/04/2020,
// 04.12.2020 (with or without a time after it), or Dec 4, 2020.
func (rd *rowDates) parse(b []byte) (store.Date, bool) {
	if rd.last != nil && string(b) == string(rd.last) {
		return rd.lastDate, rd.lastOK
	}
	var e *dateEntry
	if n := len(b); n > 0 && n <= len(e.key) {
		if rd.cache == nil {
			rd.cache = new([64]dateEntry)
		}
		h := uint32(n)
		for _, c := range b {
			h = h*31 + uint32(c)
		}
		e = &rd.cache[(h^h>>7)&63]
		if int(e.n) == n && string(e.key[:n]) == string(b) {
			return e.date, e.ok
		}
	}
	d, ok := rd.parseNew(b)
	rd.last = append(rd.last[:0], b...)
	rd.lastDate, rd.lastOK = d, ok
	if e != nil {
		copy(e.key[:], b)
		e.n, e.date, e.ok = uint8(len(b)), d, ok
	}
	return d, ok
}

func (rd *rowDates) parseNew(b []byte) (store.Date, bool) {
	var parts [3]int
	var digits [3]int
	k, i := 0, 0
	dot := false
	for k < 3 {
		n, start := 0, i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 4 {
			n = n*10 + int(b[i]-'0')
			i++
		}
		if i == start {
			break
		}
		parts[k], digits[k] = n, i-start
		k++
		if k < 3 {
			if i >= len(b) || b[i] != '-' && b[i] != '/' && b[i] != '.' {
				break
			}
			dot = b[i] == '.'
			i++
		}
	}
	if k == 3 && (i == len(b) || b[i] == ' ' || b[i] == 'T' || b[i] == ',') {
		switch {
		case digits[0] == 4:
			return validDate(parts[0], parts[1], parts[2])
		case digits[2] == 4 || digits[2] == 2:
			t := dateTok{a: parts[0], b: parts[1], y: parts[2], dot: dot}
			if digits[2] == 2 {
				t.y += 2000
			}
			switch decideOrder(t) {
			case orderDayFirst:
				return t.date(true)
			case orderMonthFirst:
				return t.date(false)
			}
			return t.date(rd.dayFirst || dot)
		}
		return store.Date{}, false
	}
	toks, _ := findDates(string(b))
	if len(toks) == 0 {
		return store.Date{}, false
	}
	return toks[0].date(rd.dayFirst)
}
