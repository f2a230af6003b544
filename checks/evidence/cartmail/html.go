package cartmail

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// maxHTMLDepth bounds the recursion over a page's elements; below it an
// element's text is taken whole, so hostile nesting cannot exhaust the stack.
const maxHTMLDepth = 100

// htmlText renders an HTML body as the lines the item reader understands:
// one line per block element and table row, table cells separated by tabs,
// and each link's target written after its text as " <URL>" so a row keeps
// the ASIN its title links to. It also returns every a[href].
func htmlText(src string) (string, []string) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		return "", nil // only a failing reader errs, and a string reader does not
	}
	var hrefs []string
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		hrefs = append(hrefs, strings.TrimSpace(a.AttrOr("href", "")))
	})
	root := doc.Find("body")
	if root.Length() == 0 {
		root = doc.Selection
	}
	var w htmlWriter
	w.children(root, 0)
	return w.String(), hrefs
}

// htmlWriter collects rendered text, collapsing white space as a browser
// does and keeping the line breaks that blocks and rows make.
type htmlWriter struct {
	strings.Builder
	pendingSpace bool
}

var blockElements = map[string]bool{
	"p": true, "div": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "table": true,
	"thead": true, "tbody": true, "tfoot": true, "blockquote": true, "pre": true, "hr": true,
	"center": true, "section": true, "article": true, "header": true, "footer": true,
	"form": true, "fieldset": true, "address": true, "caption": true, "td": true, "th": true,
}

func (w *htmlWriter) text(s string) {
	if s == "" {
		return
	}
	fields := strings.Fields(s)
	if len(fields) == 0 || isSpace(s[0]) {
		w.pendingSpace = true
	}
	for i, f := range fields {
		if i > 0 || w.pendingSpace {
			w.space()
		}
		w.WriteString(f)
		w.pendingSpace = false
	}
	if len(fields) > 0 && isSpace(s[len(s)-1]) {
		w.pendingSpace = true
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// space writes one space, never at the start of a line or cell.
func (w *htmlWriter) space() {
	if w.Len() == 0 {
		return
	}
	if last := w.String()[w.Len()-1]; last != '\n' && last != '\t' && last != ' ' {
		w.WriteByte(' ')
	}
}

func (w *htmlWriter) newline() {
	if w.Len() > 0 && w.String()[w.Len()-1] != '\n' {
		w.WriteByte('\n')
	}
	w.pendingSpace = false
}

func (w *htmlWriter) children(sel *goquery.Selection, depth int) {
	sel.Contents().Each(func(_ int, s *goquery.Selection) { w.node(s, depth+1) })
}

func (w *htmlWriter) node(s *goquery.Selection, depth int) {
	name := goquery.NodeName(s)
	if depth > maxHTMLDepth {
		w.text(s.Text())
		return
	}
	switch {
	case name == "#text":
		w.text(s.Text())
	case name == "#comment" || name == "script" || name == "style" || name == "head" || name == "title":
	case name == "br":
		w.newline()
	case name == "tr" && s.Find("table").Length() > 0:
		// A layout row (a table laid out inside a cell, as HTML mail
		// does): its cells are blocks, not columns.
		w.newline()
		w.children(s, depth)
		w.newline()
	case name == "tr":
		w.newline()
		cells := 0
		s.Children().Each(func(_ int, c *goquery.Selection) {
			if n := goquery.NodeName(c); n != "td" && n != "th" {
				return
			}
			if cells > 0 {
				w.WriteByte('\t')
			}
			cells++
			// A cell is one line whatever blocks it holds, so the row
			// stays one line of tab-separated cells.
			var cw htmlWriter
			cw.children(c, depth)
			w.WriteString(strings.Join(strings.Fields(cw.String()), " "))
		})
		w.newline()
	case name == "a":
		w.children(s, depth)
		href := strings.TrimSpace(s.AttrOr("href", ""))
		lower := strings.ToLower(href)
		if (strings.HasPrefix(lower, "http") || strings.HasPrefix(lower, "www.")) && strings.TrimSpace(s.Text()) != href {
			w.text(" <" + href + ">")
		}
	case blockElements[name]:
		w.newline()
		w.children(s, depth)
		w.newline()
	default:
		w.children(s, depth)
	}
}
