package reports

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Sniff tells whether head (up to the first 64 KiB of a file) is an Amazon
// Associates report, and which, from its content only, never its name; "" when it is not one.
//
// A download is known by its header's columns (Link Type and Clicks without
// ASIN is a Link-Type report; ASIN and Qty an Orders report, and so on), or,
// when the header is not one it knows, by a title line such as
// "Fee-Orders reports from 12-01-2020 to 12-31-2020", so that Read can say
// what is wrong with it. A saved page is known by a report table, or by a
// report's name in its title when the table is missing (a page saved before
// the report had loaded). An XML download is KindReportXML, for Read to say
// it is not supported. Text may be UTF-8, with or without a byte order mark,
// or UTF-16 with one.
func Sniff(head []byte) store.Kind {
	head = head[:min(len(head), headSize)]
	text := decodeHead(head)
	t := bytes.TrimLeft(text, " \t\r\n\f\v")
	if len(t) == 0 || bytes.IndexByte(t, 0) >= 0 {
		return ""
	}
	if t[0] == '<' {
		switch {
		case isHTMLText(t):
			return sniffPage(t)
		case isXMLReport(t):
			return store.KindReportXML
		}
		return ""
	}
	_, p := scanHead(text)
	switch {
	case p.h != nil && p.h.kind != "":
		return p.h.kind
	case p.title != nil && p.title.kind != "":
		// Only a title that is surely a report's: a note to support may
		// well start with "Orders report".
		if _, dated := findPeriod(p.title.text); dated || strings.HasPrefix(strings.ToLower(p.title.name), "fee-") {
			return p.title.kind
		}
	}
	return ""
}

// xmlMarkers are words an XML report download holds near its start.
var xmlMarkers = [][]byte{
	[]byte("asin"), []byte("linktype"), []byte("link_type"), []byte("link-type"), []byte("trackingid"),
	[]byte("tracking_id"), []byte("tracking-id"), []byte("clicks"), []byte("fee-"), []byte("itemsordered"),
	[]byte("items_ordered"), []byte("itemsshipped"), []byte("associates"),
}

// isXMLReport reports whether t, which starts with "<", is XML with the
// words of an Associates report.
func isXMLReport(t []byte) bool {
	start := bytes.ToLower(t[:min(len(t), 8192)])
	if !bytes.HasPrefix(start, []byte("<?xml")) && (len(start) < 2 || !isLetter(start[1])) {
		return false
	}
	for _, m := range xmlMarkers {
		if bytes.Contains(start, m) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// pageTitle finds a report's name in a page's title or headings.
var pageTitle = regexp.MustCompile(`(?i)\b(link[- ]?type|orders|tracking[- ]?id summary|earnings|daily[- ]?trends)\s+report\b`)

// associatesPage finds the words that make a page Amazon's: Associates
// Central, PartnerNet (de), Programma Affiliazione (it).
var associatesPage = regexp.MustCompile(`(?i)associates|partnernet|affiliazione|affiliate program`)

// sniffPage tells the kind of a saved page: the kind of its report table,
// or, for an Associates page without one, the report its title names.
func sniffPage(t []byte) store.Kind {
	doc, _, err := parsePage(t)
	if err != nil {
		return ""
	}
	if pt, ok := findTable(doc, ""); ok {
		return pt.h.kind
	}
	if !associatesPage.Match(t) {
		return ""
	}
	var kind store.Kind
	doc.Find("title, h1, h2, h3").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		m := pageTitle.FindStringSubmatch(s.Text())
		if m == nil {
			return true
		}
		name := strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(m[1]))
		kind = feeKinds[strings.TrimSuffix(name, "summary")]
		return kind == ""
	})
	return kind
}
