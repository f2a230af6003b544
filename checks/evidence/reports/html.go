package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// maxPage bounds a saved report page. A page is read whole to be parsed;
// the biggest real ones (a year of the old Orders report) are a few MB.
const maxPage = 64 << 20

// maxSpan bounds a cell's colspan, so that a broken page cannot make a row
// of a million cells.
const maxSpan = 64

var errNoTable = errors.New("no report table found in this page")

// htmlMarkers tell a saved page from an XML download.
var htmlMarkers = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"), []byte("<table"),
	[]byte("<title"), []byte("<meta"), []byte("<div"), []byte("<tr"), []byte("<td"),
}

// isHTMLText reports whether t, which starts with "<", is a web page.
func isHTMLText(t []byte) bool {
	start := bytes.ToLower(t[:min(len(t), 2048)])
	for _, m := range htmlMarkers {
		if bytes.Contains(start, m) {
			return true
		}
	}
	return false
}

// latinCharset finds a page that declares itself Latin-1 or Windows-1252.
var latinCharset = regexp.MustCompile(`(?i)charset\s*=\s*["']?\s*(iso-8859-1|iso8859-1|latin-?1|windows-1252|cp1252)`)

// parsePage parses a saved page, reading it as Windows-1252 when it says it
// is in Latin-1 and is not valid UTF-8 (pages of AOM's era were).
func parsePage(data []byte) (*goquery.Document, []byte, error) {
	if !utf8.Valid(data) && latinCharset.Match(data[:min(len(data), 4096)]) {
		data = fromWindows1252(data)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	return doc, data, err
}

// pageTable is the report table found in a page.
type pageTable struct {
	table  *goquery.Selection
	rows   []*goquery.Selection // the table's own rows, not those of tables inside it
	hdrRow int                  // index in rows of the header
	h      *header
}

// findTable finds the first table with a header of a report this package
// reads, of kind want when want is not "". When only a table of another
// kind is found, it is returned, so that the caller can say so.
func findTable(doc *goquery.Document, want store.Kind) (pageTable, bool) {
	var found, other pageTable
	doc.Find("table").EachWithBreak(func(_ int, tbl *goquery.Selection) bool {
		rows := ownRows(tbl)
		// The header is one of the first rows: a title row or two may
		// come before it.
		for i, row := range rows[:min(len(rows), 8)] {
			h := parseHeader(cellTexts(row))
			if h.kind == "" {
				continue
			}
			pt := pageTable{table: tbl, rows: rows, hdrRow: i, h: h}
			if want == "" || h.kind == want {
				found = pt
				return false
			}
			if other.h == nil {
				other = pt
			}
			break
		}
		return true
	})
	if found.h != nil {
		return found, true
	}
	return other, other.h != nil
}

// ownRows are tbl's rows, without those of tables nested in its cells.
func ownRows(tbl *goquery.Selection) []*goquery.Selection {
	var rows []*goquery.Selection
	tbl.Children().Each(func(_ int, c *goquery.Selection) {
		switch goquery.NodeName(c) {
		case "tr":
			rows = append(rows, c)
		case "thead", "tbody", "tfoot":
			c.ChildrenFiltered("tr").Each(func(_ int, r *goquery.Selection) { rows = append(rows, r) })
		}
	})
	return rows
}

// pageCell is one cell of a row, repeated for its colspan.
type pageCell struct {
	text   string
	indent bool
	bold   bool // all its text is bold (b, strong): old pages set headings and top-level rows in bold
}

// cells reads a row's cells so that they line up with the header's
// columns: a cell spanning columns is followed by empty ones, or, in a
// header (repeat), by copies of itself, as its heading is theirs.
func cells(row *goquery.Selection, repeat bool) []pageCell {
	var out []pageCell
	row.ChildrenFiltered("th, td").Each(func(_ int, c *goquery.Selection) {
		raw := nodeText(c)
		pc := pageCell{text: collapse(raw), indent: indented(c, raw)}
		pc.bold = pc.text != "" && collapse(nodeText(c.Find("b, strong"))) == pc.text
		span := 1
		if s, ok := c.Attr("colspan"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 1 {
				span = min(n, maxSpan)
			}
		}
		out = append(out, pc)
		for range span - 1 {
			if repeat {
				out = append(out, pc)
			} else {
				out = append(out, pageCell{})
			}
		}
	})
	return out
}

func cellTexts(row *goquery.Selection) []string {
	cs := cells(row, true)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.text
	}
	return out
}

// indentHints are the class and style words old report pages indent the
// rows of a section with.
var indentHints = regexp.MustCompile(`(?i)padding-left|margin-left|text-indent|indent|level-?[2-9]|\bsub(-?row|-?item|-?type)?\b|\bchild\b`)

// indented reports whether a cell shows its text indented: led by no-break
// spaces or a spacer image, or styled so.
func indented(c *goquery.Selection, raw string) bool {
	if strings.HasPrefix(strings.TrimLeft(raw, " \t\r\n"), "\u00a0") {
		return true
	}
	s := c
	for depth := 0; depth < 3 && s != nil; depth++ {
		style, _ := s.Attr("style")
		class, _ := s.Attr("class")
		if indentHints.MatchString(style + " " + class) {
			return true
		}
		if s = leadingElement(s); s != nil && goquery.NodeName(s) == "img" {
			return true // a spacer image before the label
		}
	}
	return false
}

// leadingElement is the element s starts with, before any text; nil when
// s starts with text.
func leadingElement(s *goquery.Selection) *goquery.Selection {
	var out *goquery.Selection
	s.Contents().EachWithBreak(func(_ int, c *goquery.Selection) bool {
		switch goquery.NodeName(c) {
		case "#comment":
			return true
		case "#text":
			return strings.TrimSpace(c.Text()) == ""
		}
		out = c
		return false
	})
	return out
}

// inline elements run on in a line of text; others start a new word.
var inline = map[string]bool{
	"a": true, "b": true, "i": true, "u": true, "em": true, "strong": true, "span": true, "font": true,
	"small": true, "big": true, "sup": true, "sub": true, "abbr": true, "nobr": true, "label": true,
}

// nodeText is the text of s with a space for each line break and block, so
// that "Items<br>Ordered" reads "Items Ordered". Scripts and styles are
// left out.
func nodeText(s *goquery.Selection) string {
	var b strings.Builder
	var walk func(*goquery.Selection)
	walk = func(s *goquery.Selection) {
		s.Contents().Each(func(_ int, c *goquery.Selection) {
			switch name := goquery.NodeName(c); {
			case name == "#text":
				b.WriteString(c.Text())
			case name == "script" || name == "style" || name == "#comment":
			case inline[name]:
				walk(c)
			default:
				b.WriteByte(' ')
				walk(c)
				b.WriteByte(' ')
			}
		})
	}
	walk(s)
	return b.String()
}

// collapse makes runs of white space (no-break spaces too) one space and
// trims the ends, as a browser shows a cell.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u202f'
	}), " ")
}

// readHTML reads a report page saved from the browser.
func readHTML(name string, r io.Reader, kind store.Kind) (*store.Reports, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPage+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPage {
		return nil, fmt.Errorf("over %d MiB: not a saved report page", maxPage>>20)
	}
	doc, data, err := parsePage(data)
	if err != nil {
		return nil, err
	}
	pt, ok := findTable(doc, kind)
	if !ok {
		return nil, errNoTable
	}
	h := pt.h
	if err := checkKind(h, pt.hdrRow+1, "row", nil, kind); err != nil {
		return nil, err
	}
	var dataRows [][]pageCell
	for _, row := range pt.rows[pt.hdrRow+1:] {
		dataRows = append(dataRows, cells(row, false))
	}
	// The period is in the page's text outside the table.
	pt.table.Remove()
	var period store.Period
	rowOrder := orderUnknown
	if p, ok := findPeriod(collapse(nodeText(doc.Selection))); ok {
		period, rowOrder = p.resolve(h.lang)
		if period.Known() {
			line := 0
			if i := bytes.Index(data, []byte(p.from.raw)); i >= 0 {
				line = bytes.Count(data[:i], []byte("\n")) + 1
			}
			period.Source = store.Source{Path: name, Line: line, Field: "page text"}
		}
	}
	dayFirst := h.lang.dayFirst()
	if rowOrder != orderUnknown {
		dayFirst = rowOrder == orderDayFirst
	}
	t := newTable(name, h, true, dayFirst)
	// A page that indents some labels shows its sections by indenting;
	// one that indents none, by heading rows alone.
	// When none is indented but some labels are bold and some not, the
	// plain ones are the indented ones.
	if c := h.cols[fLinkType]; c >= 0 {
		bold, plain := false, false
		for _, row := range dataRows {
			if c >= len(row) || row[c].text == "" {
				continue
			}
			t.indents = t.indents || row[c].indent
			bold = bold || row[c].bold
			plain = plain || !row[c].bold
		}
		if !t.indents && bold && plain {
			t.indents = true
			for _, row := range dataRows {
				if c < len(row) {
					row[c].indent = !row[c].bold
				}
			}
		}
	}
	bad := &PartialError{unit: "row"}
	var fields [][]byte
	for i, row := range dataRows {
		n := pt.hdrRow + 2 + i // the row's number in the table, the header's row counted
		fields = fields[:0]
		for _, c := range row {
			fields = append(fields, []byte(c.text))
		}
		if allEmpty(fields) {
			continue
		}
		texts := make([]string, len(row))
		for j, c := range row {
			texts[j] = c.text
		}
		if parseHeader(texts).kind == h.kind {
			continue // the header repeated down a long table
		}
		indent := false
		if c := h.cols[fLinkType]; c >= 0 && c < len(row) {
			indent = row[c].indent
		}
		if err := t.row(fields, n, indent); err != nil {
			bad.add(n, err)
		}
	}
	t.finish()
	t.rep.Files = append(t.rep.Files, store.ReportFile{Path: name, Kind: h.kind, Period: period, Rows: t.rows})
	return t.rep, bad.result(t.rows)
}
