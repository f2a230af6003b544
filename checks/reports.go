package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The rules that read Amazon's Associates reports on their own (or with the
// settings): REST and SOAP clicks, tracking IDs, conversion, the period and
// the items ordered beyond the carts.

var clicksUnderRESTOrSOAP = &Rule{
	ID:       "AOM205",
	Name:     "clicks-under-rest-or-soap",
	Title:    "Clicks show under the REST or SOAP rows",
	Severity: Warning,
	Needs:    NeedLinkType,
	Explain: "With AOM's default connection method, carts reach Amazon as remote shopping carts and are counted on that row of the Link-Type report. " +
		"Clicks under REST or SOAP mean the store talked to Amazon another way, which AOM offers for troubleshooting only, " +
		"or that another site sends visitors with the same tracking ID. " +
		"Those clicks still earn, but they make the report harder to match with your cart reports.",
	Fix:   "Set " + whereConnection + " back to aom unless AOM support told you otherwise, and count the REST and SOAP clicks with your carts when you compare.",
	Check: checkClicksUnderRESTOrSOAP,
}

var associateIDUnknown = &Rule{
	ID:       "AOM206",
	Name:     "associate-id-unknown",
	Title:    "Associate ID is unknown to your Associates reports",
	Severity: Error,
	Needs:    NeedSettings | NeedReportIDs,
	Explain: "Your Associates reports name the tracking IDs that really exist on your account: the Tracking ID Summary lists each one, " +
		"and the Orders and Earnings reports name the ID behind each sale. " +
		"An Associate ID in the settings that is none of them belongs to nobody, or to someone else, and Amazon does not warn about it: " +
		"carts still reach Amazon, but nothing is credited to you. " +
		"A look-alike character, a missing hyphen or the wrong ending is the usual cause.",
	Fix:   "Copy one of your tracking IDs from " + whereTrackingIDs + " into " + whereAssociateID + " exactly as it is shown there.",
	Check: checkIDUnknown,
}

var conversionOver100 = &Rule{
	ID:       "AOM207",
	Name:     "conversion-over-100",
	Title:    "Conversion is above 100%",
	Severity: Info,
	Needs:    NeedLinkType,
	Explain: "Conversion is the items ordered divided by the clicks. " +
		"A visitor who takes a cart of five items to Amazon and buys them all makes one click and five items ordered, so that row shows 500%. " +
		"Over a few days a handful of such carts lifts a row far above 100%: it is not an error, and it evens out over a month or a quarter.",
	Fix:   "No fix is needed: judge conversion over a month or a quarter, chosen as the period in " + whereLinkType + ".",
	Check: checkConversionOver100,
}

var shortReportPeriod = &Rule{
	ID:       "AOM208",
	Name:     "short-report-period",
	Title:    "Report period is too short to judge conversion",
	Severity: Info,
	Needs:    NeedPeriod,
	Explain: "A few days hold too few carts and orders for conversion to mean much: one big cart or a quiet weekend swings it widely. " +
		"Orders are also credited for some time after the click, so the last days of a short period always look weaker than they will be. " +
		"Judge conversion over four weeks or more.",
	Fix:   "Download the reports again from Associates Central > Reports for a whole month or a quarter before judging conversion.",
	Check: checkShortReportPeriod,
}

var otherItemsReported = &Rule{
	ID:       "AOM209",
	Name:     "other-items-reported",
	Title:    "Items ordered that were never in a cart",
	Severity: Info,
	Needs:    NeedOrders,
	Explain: "When your store sends a visitor to Amazon, anything else that visitor adds and buys there earns you a commission too, " +
		"not just what was in the cart. " +
		"The Orders report lists those items as all other items. " +
		"They never appear in your cart reports, because the visitor chose them at Amazon, after leaving the store: they are expected and credited to you.",
	Fix:   "No fix is needed: these items earn you commission like the ones in your carts.",
	Check: checkOtherItemsReported,
}

// connectionKind is which Link-Type rows a connection method's carts show
// under: "REST", "SOAP", "" for AOM's default, "?" for a value AOM does not know.
func connectionKind(method string) string {
	for _, m := range connectionMethods {
		if m.value == method {
			return m.reportRows
		}
	}
	return "?"
}

func connectionLabel(method string) string {
	for _, m := range connectionMethods {
		if m.value == method {
			return m.label
		}
	}
	return ""
}

// contradiction is what a person concludes from REST or SOAP clicks the
// settings do not explain.
const contradiction = "the setting may have changed during the period, or another store uses this tracking ID"

func checkClicksUnderRESTOrSOAP(s *store.Store) []Finding {
	rc := countRemoteClicks(s.Reports)
	if rc.rest+rc.soap == 0 {
		return nil
	}
	var parts []string
	var ev []Evidence
	for _, row := range append(append([]store.LinkTypeRow{}, rc.restRows...), rc.soapRows...) {
		if row.Clicks > 0 {
			parts = append(parts, fmt.Sprintf("%s under %q", counted(row.Clicks, "click", "clicks"), strings.TrimSpace(row.Label)))
			ev = append(ev, FromSource(row.Source))
		}
	}
	msg := "the Link-Type report"
	if p := periodOf(s, store.KindReportLinkType); p.Known() {
		msg += " for " + periodText(p)
	}
	msg += " shows " + joinAnd(parts)
	if rc.cart > 0 {
		msg += fmt.Sprintf(" besides %d on %q", rc.cart, rc.cartLabel)
	}
	contradictFix := "Check " + whereConnection + " and whether another site uses this tracking ID; give each store its own tracking ID in " + whereTrackingIDs + "."

	if s.Settings.Len() == 0 {
		return []Finding{{
			Message:  msg + "; add your settings to see whether the connection method explains it",
			Fix:      "Add the store's settings, then check whether " + whereConnection + " is set to REST or SOAP.",
			Evidence: ev,
		}}
	}
	method, v, set := connectionMethod(s.Settings)
	if !set {
		method = "aom"
	}
	if set {
		ev = append(ev, FromSource(v.Source))
	}
	kind := connectionKind(method)
	var kinds []string // the row kinds that have clicks
	if rc.rest > 0 {
		kinds = append(kinds, "REST")
	}
	if rc.soap > 0 {
		kinds = append(kinds, "SOAP")
	}
	named := fmt.Sprintf("the connection method %s (%s)", quote(v.Text), connectionLabel(method))
	f := Finding{Evidence: ev}
	switch {
	case kind == "?":
		f.Message = fmt.Sprintf("%s; the settings' connection method %s is not one AOM knows (see %s), so it cannot explain them",
			msg, quote(v.Text), connectionUnknown.Name)
		f.Fix = contradictFix
	case kind == "":
		uses := fmt.Sprintf("which use %s, AOM's default", quote(v.Text))
		if !set {
			uses = fmt.Sprintf("which have no %s, so AOM's default %q applies", keyConnectionMethod, "aom")
		}
		f.Message = fmt.Sprintf("%s; this contradicts the settings, %s: %s", msg, uses, contradiction)
		f.Fix = contradictFix
	case len(kinds) == 1 && kinds[0] == kind:
		f.Message = fmt.Sprintf("%s; explained by %s", msg, named)
	case len(kinds) == 2:
		other := "SOAP"
		if kind == "SOAP" {
			other = "REST"
		}
		f.Message = fmt.Sprintf("%s; the %s clicks are explained by %s, but the %s clicks contradict it: %s", msg, kind, named, other, contradiction)
		f.Fix = contradictFix
	default:
		f.Message = fmt.Sprintf("%s; this contradicts %s, whose carts show under %s: %s", msg, named, kind, contradiction)
		f.Fix = contradictFix
	}
	return []Finding{f}
}

// reportIDs lists the tracking IDs the reports show, those seen in the most
// rows first.
func reportIDs(r *store.Reports) []*store.SeenID {
	if r == nil {
		return nil
	}
	out := make([]*store.SeenID, 0, len(r.IDs))
	for _, id := range r.IDs {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rows != out[j].Rows {
			return out[i].Rows > out[j].Rows
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// quoteIDs quotes IDs for a message, at most maxListed, then "and N more".
func quoteIDs(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = quote(id)
	}
	return listMore(q)
}

func checkIDUnknown(s *store.Store) []Finding {
	v, ok := associateID(s.Settings)
	if !ok || s.Reports == nil || len(s.Reports.IDs) == 0 {
		return nil // blank: associate-id-missing; AOM's default: associate-id-default
	}
	seen := reportIDs(s.Reports)
	ids := make([]string, len(seen))
	byID := map[string]*store.SeenID{}
	for i, id := range seen {
		ids[i] = normID(id.ID)
		byID[ids[i]] = id
	}
	if byID[normID(v.Text)] != nil {
		return nil
	}
	site := siteOf(s.Settings)
	f := Finding{
		Message: fmt.Sprintf("associate ID %s is not among the tracking IDs the reports show (%s)",
			quote(v.Text), quoteIDs(ids)),
		Evidence: []Evidence{FromSource(v.Source)},
	}
	if !s.Reports.Has(store.KindReportTracking) {
		// The Orders and Earnings reports name only the IDs that sold: a
		// real ID with no sales in the period is missing from them.
		f.Severity = Warning
		f.Message += "; the Orders and Earnings reports name only IDs with sales in the period, so add the Tracking ID Summary report to be sure"
	}
	suffix := ""
	if site.known {
		suffix = site.market.suffix
	}
	if best, why := nearestID(v.Text, ids, diagnoseID(v.Text, site).suggest, suffix); best != "" {
		f.Message += fmt.Sprintf("; %s; did you mean %q?", why, best)
		f.Fix = fmt.Sprintf("Change the Associate ID to %q in %s, after checking it in %s.", best, whereAssociateID, whereTrackingIDs)
		f.Evidence = append(f.Evidence, FromSource(byID[best].Source))
	} else {
		for _, id := range seen[:min(len(seen), 3)] {
			f.Evidence = append(f.Evidence, FromSource(id.Source))
		}
	}
	return []Finding{f}
}

var reStem = regexp.MustCompile(`^(.+?)-?(\d\d)$`)

// idStem splits an ID into its name and marketplace suffix: "gardenshop-20"
// and "gardenshop20" are both "gardenshop" and "20".
func idStem(id string) (stem, suffix string) {
	if m := reStem.FindStringSubmatch(id); m != nil {
		return m[1], m[2]
	}
	return id, ""
}

// foldID maps the characters people confuse to one: 0 and o; 1, l and i;
// 5 and s; and drops hyphens and spaces, so look-alikes compare equal.
func foldID(id string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '0':
			return 'o'
		case '1', 'i':
			return 'l'
		case '5':
			return 's'
		case '-', ' ', '\t':
			return -1
		}
		return r
	}, strings.ToLower(id))
}

// nearestID picks the real ID that typed was most likely meant to be, with a
// clause saying how they differ; "" when none is close. hint is the ID the
// shape rules infer (associate-id-malformed's suggestion); suffix is the
// store's marketplace suffix, preferred on a tie.
func nearestID(typed string, known []string, hint, suffix string) (best, why string) {
	t := strings.ToLower(strings.Join(strings.Fields(typed), ""))
	tStem, _ := idStem(t)
	type cand struct {
		id          string
		fold, raw   int
		otherSuffix bool
	}
	var cands []cand
	for _, k := range known {
		if isDefaultID(k) {
			continue
		}
		if k == hint {
			return k, differs(t, k)
		}
		kStem, kSuffix := idStem(k)
		fd := editDistance(foldID(t), foldID(k))
		sameStem := foldID(tStem) == foldID(kStem)
		if fd > min(3, len(foldID(k))/4) && !sameStem {
			continue
		}
		cands = append(cands, cand{id: k, fold: fd, raw: editDistance(t, k), otherSuffix: kSuffix != suffix})
	}
	if len(cands) == 0 {
		return "", ""
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.fold != b.fold {
			return a.fold < b.fold
		}
		if a.otherSuffix != b.otherSuffix {
			return !a.otherSuffix
		}
		return a.raw < b.raw
	})
	return cands[0].id, differs(t, cands[0].id)
}

// differs says how typed differs from the real ID k, as a clause.
func differs(typed, k string) string {
	noHyphen := func(s string) string { return strings.ReplaceAll(s, "-", "") }
	tStem, tSuffix := idStem(typed)
	kStem, kSuffix := idStem(k)
	switch {
	case typed == k:
		return fmt.Sprintf("it is %q once its case and spaces are fixed", k)
	case noHyphen(typed) == noHyphen(k):
		return fmt.Sprintf("it differs from %q only by a hyphen", k)
	case foldID(typed) == foldID(k):
		a, b := []rune(noHyphen(typed)), []rune(noHyphen(k))
		var pairs []string
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				p := fmt.Sprintf("%q for %q", string(a[i]), string(b[i]))
				if !strings.Contains(strings.Join(pairs, ","), p) {
					pairs = append(pairs, p)
				}
			}
		}
		return fmt.Sprintf("it differs from %q only by look-alike characters (%s)", k, joinAnd(pairs))
	case foldID(tStem) == foldID(kStem) && tSuffix == "":
		return fmt.Sprintf("it is %q without its suffix -%s", k, kSuffix)
	case foldID(tStem) == foldID(kStem):
		return fmt.Sprintf("it has the name of %q with the suffix -%s instead of -%s", k, tSuffix, kSuffix)
	}
	n := editDistance(typed, k)
	return fmt.Sprintf("it is %s away from %q", counted(n, "character", "characters"), k)
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours count one.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range y {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// conversionOf is a row's conversion in percent, as reported or computed;
// ok is false when it has neither a reported value nor clicks.
func conversionOf(row store.LinkTypeRow) (float64, bool) {
	if row.HasConv {
		return row.Conversion, true
	}
	if row.Clicks > 0 {
		return 100 * float64(row.ItemsOrdered) / float64(row.Clicks), true
	}
	return 0, false
}

func percentText(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

func checkConversionOver100(s *store.Store) []Finding {
	var parts []string
	var ev []Evidence
	for _, row := range s.Reports.LinkType {
		if reRowTotal.MatchString(row.Label) {
			continue // a total row repeats the rows above it
		}
		conv, ok := conversionOf(row)
		if !ok || conv <= 100 {
			continue
		}
		conv = float64(int(conv*10+0.5)) / 10
		parts = append(parts, fmt.Sprintf("%q at %s (%s, %s ordered)", strings.TrimSpace(row.Label), percentText(conv),
			counted(row.Clicks, "click", "clicks"), counted(row.ItemsOrdered, "item", "items")))
		ev = append(ev, FromSource(row.Source))
	}
	if len(parts) == 0 {
		return nil
	}
	report := "the Link-Type report"
	if p := periodOf(s, store.KindReportLinkType); p.Known() {
		report += fmt.Sprintf(" for %s (%s)", periodText(p), counted(p.Days(), "day", "days"))
	}
	msg := fmt.Sprintf("%s of %s %s above 100%%: %s, because a cart can hold several items",
		counted(len(parts), "row", "rows"), report, plural(len(parts), "converts", "convert"), listMore(parts))
	return []Finding{{Message: msg, Evidence: ev}}
}

// minJudgeDays is the shortest period conversion is judged over: four weeks.
const minJudgeDays = 28

func checkShortReportPeriod(s *store.Store) []Finding {
	// Conversion is judged on the Link-Type report: its own period counts
	// when it gives one, not the widest span of all the reports.
	p := periodOf(s, store.KindReportLinkType)
	days := p.Days()
	if days <= 0 || days >= minJudgeDays {
		return nil
	}
	var ev []Evidence
	switch {
	case p.Source.Path != "":
		ev = []Evidence{FromSource(p.Source)}
	case s.Period.Known():
		ev = []Evidence{{Path: "--period"}}
	default:
		for _, f := range s.Reports.Files {
			if f.Period.Known() {
				ev = append(ev, Evidence{Path: f.Path})
			}
		}
	}
	return []Finding{{
		Message: fmt.Sprintf("the report period, %s, is %s: too short to judge conversion (%d days or more are needed)",
			periodText(p), counted(days, "day", "days"), minJudgeDays),
		Evidence: ev,
	}}
}

func checkOtherItemsReported(s *store.Store) []Finding {
	var items []*store.ASINOrders
	total := 0
	for _, k := range sortedKeys(s.Reports.Orders) {
		if o := s.Reports.Orders[k]; o.Other > 0 {
			items = append(items, o)
			total += o.Other
		}
	}
	if total == 0 {
		return nil
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Other > items[j].Other })
	var ex []string
	var ev []Evidence
	for _, o := range items[:min(len(items), 3)] {
		e := o.ASIN
		if o.Title != "" {
			e += fmt.Sprintf(" (%s, %d)", shortTitle(o.Title), o.Other)
		} else {
			e += fmt.Sprintf(" (%d)", o.Other)
		}
		ex = append(ex, e)
		ev = append(ev, FromSource(o.Source))
	}
	if len(items) > 3 {
		ex = append(ex, fmt.Sprintf("%d more", len(items)-3))
	}
	report := "the Orders report"
	if p := periodOf(s, store.KindReportOrders); p.Known() {
		report += " for " + periodText(p)
	}
	msg := fmt.Sprintf("%s shows %s ordered that %s in no cart (%q), on %s: %s; visitors added %s at Amazon, and %s credited to you",
		report, counted(total, "item", "items"), plural(total, "was", "were"), "All Other Items", counted(len(items), "ASIN", "ASINs"),
		joinAnd(ex), plural(total, "it", "them"), plural(total, "it is", "they are"))
	return []Finding{{Message: msg, Evidence: ev}}
}
