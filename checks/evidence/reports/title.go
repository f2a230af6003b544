package reports

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// feeTitle finds the report's name in a download's title line, such as
// "Fee-LinkType reports from 10-01-2009 to 10-14-2009".
var feeTitle = regexp.MustCompile(`(?i)\bfee-\s*([a-z]+)`)

// namedTitle finds a report named in words at the start of a title:
// "Link-Type report from ...", "Orders Report", "Tracking ID Summary".
var namedTitle = regexp.MustCompile(`(?i)^\W*(link[- ]?type|orders|tracking[- ]?id(?: summary)?|earnings|daily[- ]?trends)\b.{0,20}\b(reports?|summary)\b`)

// feeKinds are the Fee- report names this package reads.
var feeKinds = map[string]store.Kind{
	"orders":      store.KindReportOrders,
	"linktype":    store.KindReportLinkType,
	"tracking":    store.KindReportTracking,
	"trackingid":  store.KindReportTracking,
	"earnings":    store.KindReportEarnings,
	"dailytrends": store.KindReportDailyTrends,
}

// title is what a title line says.
type title struct {
	text string
	line int
	name string     // the report's name as written ("Fee-Orders"), or ""
	kind store.Kind // what the name means, "" when it names nothing this package reads
}

// parseTitle reads text as a title line; ok is false when it does not look
// like one (it names no report and gives no period).
func parseTitle(text string, line int) (title, bool) {
	t := title{text: text, line: line}
	if m := feeTitle.FindStringSubmatchIndex(text); m != nil {
		t.name = text[m[0]:m[1]]
		t.kind = feeKinds[strings.ToLower(text[m[2]:m[3]])]
		return t, true
	}
	if m := namedTitle.FindStringSubmatch(text); m != nil {
		name := strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(m[1]))
		name = strings.TrimSuffix(name, "summary")
		t.name = strings.TrimSpace(m[0])
		t.kind = feeKinds[name]
		return t, true
	}
	if _, ok := findPeriod(text); ok {
		return t, true
	}
	return t, false
}

// describe names what the title says the file is, for errors.
func (t title) describe() string {
	if t.name == "" {
		return strconv.Quote(t.text)
	}
	if t.kind == "" {
		return t.name
	}
	return t.name + " (" + article(kindName(t.kind)) + ")"
}

// article puts "a" or "an" before a report's name.
func article(s string) string {
	if s != "" && strings.ContainsRune("AEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
