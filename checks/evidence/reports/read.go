package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

var (
	errXML   = errors.New("XML reports are not supported yet: download the report as CSV (Associates Central > Reports > Download report > CSV)")
	errEmpty = errors.New("empty file")
	errBin   = errors.New("binary data, not an Amazon report")
)

// supported names the reports this package reads, for the error about one
// it does not.
const supported = "download the Orders, Link-Type, Tracking ID Summary, Earnings or Daily Trends report"

// PartialError is the error Read returns together with the reports of the
// rows it could read: some rows were bad and skipped, or reading stopped
// early. The other evidence can still be judged, and the good rows count.
type PartialError struct {
	First error // the first problem, naming its line (or its row in a saved page)
	Lines []int // the lines (rows) of the first few bad rows, in order
	Bad   int   // bad rows skipped in all
	Read  int   // good rows read
	Stop  error // what ended reading before the end of the file; nil when it read to the end
	unit  string
}

// maxBadLines is how many bad lines a PartialError lists.
const maxBadLines = 5

// Error names the first problem, the bad lines skipped and the rows read.
func (e *PartialError) Error() string {
	var b strings.Builder
	b.WriteString(e.First.Error())
	if e.Bad > 0 {
		nums := make([]string, len(e.Lines))
		for i, l := range e.Lines {
			nums[i] = strconv.Itoa(l)
		}
		more := ""
		if e.Bad > len(e.Lines) {
			more = ", ..."
		}
		fmt.Fprintf(&b, "; skipped %d bad %s (%s %s%s)", e.Bad, plural(e.Bad, "row"), plural(len(e.Lines), e.unit), strings.Join(nums, ", "), more)
	}
	switch {
	case e.Stop != nil && e.Bad > 0:
		fmt.Fprintf(&b, "; then stopped: %v", e.Stop)
	case e.Stop != nil:
		b.WriteString("; stopped there")
	}
	fmt.Fprintf(&b, "; read %d good %s", e.Read, plural(e.Read, "row"))
	return b.String()
}

// Unwrap returns the first problem.
func (e *PartialError) Unwrap() error { return e.First }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// add records a bad row at loc (a line, or a page's row).
func (e *PartialError) add(loc int, err error) {
	if e.First == nil {
		e.First = fmt.Errorf("%s %d: %w", e.unit, loc, err)
	}
	if len(e.Lines) < maxBadLines {
		e.Lines = append(e.Lines, loc)
	}
	e.Bad++
}

// stop records an error that ended reading early.
func (e *PartialError) stop(err error) {
	if e.First == nil {
		e.First = err
	}
	e.Stop = err
}

// result is the error to return with the reports of read good rows: nil
// when all went well, never a typed nil.
func (e *PartialError) result(read int) error {
	if e.First == nil {
		return nil
	}
	e.Read = read
	return e
}

// Read reads one Amazon Associates report (a CSV or tab-separated download,
// or a report page saved from the browser) in one pass, keeping only the
// aggregates rules need, and returns them as new Reports holding one
// ReportFile named name. kind is what Sniff said; "" lets Read tell.
//
// The error contract: when the file is no report it can read (XML, a
// header it does not know, a report of another kind than the title or kind
// says, a page with no report table), Read returns nil and an error. When
// the file is a report but some rows are bad (a wrong number of fields, a
// cell that is not a number, a line cut short), Read skips them, reads the
// rest, and returns the reports of the good rows together with a
// *PartialError naming the first bad line and the count. Every error names
// the line, or the row of a saved page's table, where it can.
func Read(name string, r io.Reader, kind store.Kind) (*store.Reports, error) {
	if kind == store.KindReportXML {
		return nil, errXML
	}
	if kind != "" && !isReportKind(kind) {
		return nil, fmt.Errorf("%q is not a kind of Amazon report", kind)
	}
	br, release := decode(r)
	defer release()
	head, err := br.Peek(headSize)
	if len(head) == 0 && err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	t := bytes.TrimLeft(head, " \t\r\n\f\v")
	switch {
	case len(t) == 0:
		return nil, errEmpty
	case bytes.IndexByte(head, 0) >= 0:
		return nil, errBin
	case t[0] == '<' && isHTMLText(t):
		return readHTML(name, br, kind)
	case t[0] == '<':
		return nil, errXML
	}
	delim, _ := scanHead(head)
	var src io.Reader = br
	if bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		src = crReader{br}
	}
	size := splitBuffer
	if len(head) < headSize {
		size = len(head) + 1 // the whole file, which is small
	}
	return readDelimited(name, newSplitter(src, delim, size), kind)
}

// preamble is what comes before a download's rows.
type preamble struct {
	title   *title
	h       *header
	hdrLine int
}

// maxTitleLines is how many lines may come before the header.
const maxTitleLines = 3

// findHeader reads the title line, if any, and the header of a download.
func findHeader(sp *splitter) (preamble, error) {
	var p preamble
	titles := 0
	for {
		ok, err := sp.next()
		if err != nil {
			return p, err
		}
		if !ok {
			switch {
			case p.title != nil:
				return p, fmt.Errorf("line %d: the title says %s, but no header follows it", p.title.line, p.title.describe())
			case titles > 0:
				return p, fmt.Errorf("line %d: no report header found", sp.recLine)
			}
			return p, errEmpty
		}
		if allEmpty(sp.fields) {
			continue
		}
		cells := make([]string, len(sp.fields))
		nonEmpty := 0
		for i, f := range sp.fields {
			cells[i] = strings.TrimSpace(clean(f))
			if cells[i] != "" {
				nonEmpty++
			}
		}
		if h := parseHeader(cells); h.kind != "" {
			p.h, p.hdrLine = h, sp.recLine
			return p, nil
		}
		if titles < maxTitleLines {
			// An unquoted title with commas ("from Oct 1, 2009 to ...") is
			// split into fields: join them back as they were.
			raw := make([]string, len(sp.fields))
			for i, f := range sp.fields {
				raw[i] = clean(f)
			}
			text := strings.TrimSpace(strings.TrimRight(strings.Join(raw, string(sp.comma)), string(sp.comma)+" "))
			if t, ok := parseTitle(text, sp.recLine); ok || nonEmpty <= 1 {
				if p.title == nil && ok {
					p.title = &t
				}
				titles++
				continue
			}
		}
		p.h, p.hdrLine = parseHeader(cells), sp.recLine
		return p, nil
	}
}

// scanHead decides the delimiter of a download from its first lines: the one
// that makes a header of them. It also returns the preamble found with it.
func scanHead(head []byte) (byte, preamble) {
	var fallback preamble
	for _, d := range []byte{'\t', ',', ';'} {
		sp := newSplitter(bytes.NewReader(head), d, len(head)+1)
		p, err := findHeader(sp)
		if err == nil && p.h.kind != "" {
			return d, p
		}
		if fallback.title == nil && p.title != nil {
			fallback = p
		}
	}
	// No delimiter gives a known header: take the commonest, so that the
	// error lists the columns as the file has them.
	line := head
	for i := 0; i < 3; i++ {
		nl := bytes.IndexByte(line, '\n')
		if nl < 0 || len(bytes.TrimSpace(line[:nl])) > 0 && (bytes.IndexByte(line[:nl], ',') >= 0 || bytes.IndexByte(line[:nl], '\t') >= 0) {
			break
		}
		line = line[nl+1:]
	}
	if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	best, n := byte(','), bytes.Count(line, []byte(","))
	for _, d := range []byte{'\t', ';'} {
		if c := bytes.Count(line, []byte{d}); c > n {
			best, n = d, c
		}
	}
	return best, fallback
}

// readDelimited reads a CSV or tab-separated download.
func readDelimited(name string, sp *splitter, kind store.Kind) (*store.Reports, error) {
	p, err := findHeader(sp)
	if err != nil {
		return nil, err
	}
	h := p.h
	if p.title != nil && p.title.kind == "" && p.title.name != "" {
		return nil, fmt.Errorf("line %d: %s report, which aomdoctor does not read: %s", p.title.line, article(p.title.name), supported)
	}
	if err := checkKind(h, p.hdrLine, "line", p.title, kind); err != nil {
		return nil, err
	}
	var period store.Period
	rowOrder := orderUnknown
	if p.title != nil {
		if pt, ok := findPeriod(p.title.text); ok {
			period, rowOrder = pt.resolve(h.lang)
			if period.Known() {
				period.Source = store.Source{Path: name, Line: p.title.line, Field: "title"}
			}
		}
	}
	dayFirst := h.lang.dayFirst()
	if rowOrder != orderUnknown {
		dayFirst = rowOrder == orderDayFirst
	}
	t := newTable(name, h, false, dayFirst)
	sp.want = len(h.cells)
	bad := &PartialError{unit: "line"}
	// A file smaller than the split buffer was read whole into it: the
	// parallel reader's chunks and workers would only cost.
	if h.kind == store.KindReportOrders && ((!sp.eof && len(sp.buf) >= splitBuffer) || forceParallel) {
		readParallel(sp, t, bad)
	} else {
		readRows(sp, t, bad)
	}
	t.finish()
	t.rep.Files = append(t.rep.Files, store.ReportFile{Path: name, Kind: h.kind, Period: period, Rows: t.rows})
	return t.rep, bad.result(t.rows)
}

// checkKind checks that the header is one of a report this package reads,
// and of the kind the title and the caller say. unit is "line" or "row".
func checkKind(h *header, at int, unit string, t *title, want store.Kind) error {
	if h.kind == "" {
		var cols []string
		for _, c := range h.cells {
			if c == "" {
				continue
			}
			if r := []rune(c); len(r) > 40 {
				c = string(r[:40]) + "..."
			}
			cols = append(cols, c)
		}
		const maxCols = 12
		if len(cols) > maxCols {
			cols = append(cols[:maxCols], "...")
		}
		intro := "header not recognised"
		if t != nil && t.kind != "" {
			intro = fmt.Sprintf("the title on line %d says %s, but the header is not one", t.line, t.describe())
			want = t.kind
		}
		return fmt.Errorf("%s %d: %s (columns: %s); expected the columns of %s", unit, at, intro, strings.Join(cols, ", "), expectedColumns(want))
	}
	if t != nil && t.kind != "" && t.kind != h.kind {
		return fmt.Errorf("line %d: the title says %s, but the header on %s %d has the columns of %s", t.line, t.describe(), unit, at, article(kindName(h.kind)))
	}
	if want != "" && want != h.kind {
		return fmt.Errorf("%s %d: the header has the columns of %s, not of %s as expected", unit, at, article(kindName(h.kind)), article(kindName(want)))
	}
	return nil
}

// readRows reads the data rows of sp into t, recording bad rows in bad. It
// stops early when a chunk's splitter overruns its chunk (see parallel.go).
func readRows(sp *splitter, t *table, bad *PartialError) {
	h := t.h
	for {
		ok, err := sp.next()
		if sp.overrun {
			return
		}
		if err != nil {
			bad.stop(err)
			return
		}
		if !ok {
			return
		}
		fields := sp.fields
		if allEmpty(fields) {
			continue
		}
		switch n := len(fields); {
		case sp.unterminated:
			bad.add(sp.recLine, errors.New("unterminated quoted field (is the file cut short?)"))
			continue
		case n < h.width || n > len(h.cells) && !allEmpty(fields[len(h.cells):]):
			bad.add(sp.recLine, fmt.Errorf("%d %s, the header has %d", n, plural(n, "field"), h.width))
			continue
		}
		if err := t.row(fields, sp.recLine, false); err != nil {
			bad.add(sp.recLine, err)
		}
	}
}
