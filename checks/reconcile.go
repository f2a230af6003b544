package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The rules that set AOM's cart reports beside Amazon's clicks and orders:
// the reasoning a support person does with the two side by side.

const (
	whereLinkType  = "Associates Central > Reports > Link-Type"
	wherePageCache = "Control Panel > Settings > Page Caching"
	// periodAdvice tells how to give the period when the reports do not.
	periodAdvice = "give --period YYYY-MM-DD..YYYY-MM-DD to be sure"
	// remoteCartLabel is how the Link-Type report words AOM's carts.
	remoteCartLabel = "Remote shopping carts"
)

var cartReportsWithoutClicks = &Rule{
	ID:       "AOM201",
	Name:     "cart-reports-without-clicks",
	Title:    "Cart reports but no clicks at Amazon",
	Severity: Error,
	Needs:    NeedCartReports | NeedLinkType,
	Explain: "Each cart report means a visitor took a cart from your store to Amazon, and Amazon counts that visit as a click " +
		"on the Remote shopping carts row of the Link-Type report (or under REST or SOAP). " +
		"Cart reports with no such clicks at all mean Amazon did not tie those carts to your account: almost always the Associate ID " +
		"the store sends is missing, mistyped or someone else's. " +
		"Amazon accepts any ID without a word, so this comparison is often the only way to notice.",
	Fix: "Compare the Associate ID in " + whereAssociateID + " letter by letter with " + whereTrackingIDs +
		", then compare new cart reports with the Link-Type report a day later.",
	Check: checkCartReportsWithoutClicks,
}

var abandonedCarts = &Rule{
	ID:       "AOM202",
	Name:     "abandoned-carts",
	Title:    "Some carts were abandoned before checkout",
	Severity: Info,
	Needs:    NeedCartReports | NeedLinkType,
	Explain: "AOM sends a cart report as the visitor leaves for Amazon, but Amazon counts a click only when the cart arrives there. " +
		"Visitors who change their mind on the way, or close the window, leave a cart report with no click. " +
		"Fewer clicks than cart reports is therefore normal, and it shows the Associate ID works: the clicks that did arrive were credited to you.",
	Fix:   "No fix is needed: compare the two counts again over a month to see how many visitors finish at Amazon.",
	Check: checkAbandonedCarts,
}

var clicksWithoutCartReports = &Rule{
	ID:       "AOM203",
	Name:     "clicks-without-cart-reports",
	Title:    "More clicks at Amazon than cart reports",
	Severity: Warning,
	Needs:    NeedCartReports | NeedLinkType,
	Explain: "Every cart that reaches Amazon should have sent you a cart report first, so there should never be more remote-cart clicks than reports. " +
		"When there are, some reports are not reaching you: the reports email may be wrong, a filter or the spam folder may be catching them, " +
		"or a second store is sending its carts with the same tracking ID. " +
		"With REST or SOAP, the clicks under those rows may also count visitors who followed a product link rather than a cart.",
	Fix: "Check the address in " + whereReports + " > Reports Email and that " + reportRemoteCart + " is ticked, look for cart reports in your spam folder, " +
		"and give each store its own tracking ID in " + whereTrackingIDs + ".",
	Check: checkClicksWithoutCartReports,
}

var reportsNotYetProcessed = &Rule{
	ID:       "AOM204",
	Name:     "reports-not-yet-processed",
	Title:    "Some cart reports are not in Amazon's reports yet",
	Severity: Info,
	Needs:    NeedCartReports,
	Explain: "Amazon adds each day's clicks and orders to its reports in a batch overnight, so today's carts show up tomorrow at the earliest. " +
		"Carts from after the last day a report covers cannot be in it either. " +
		"aomdoctor leaves such carts out when it compares cart reports with clicks, so that they are not mistaken for missing clicks.",
	Fix:   "Download the Link-Type report again from " + whereLinkType + " after Amazon has processed these days, for a period that includes them, and check again.",
	Check: checkReportsNotYetProcessed,
}

// rowKind is what a Link-Type row counts, for setting it beside the cart reports.
type rowKind int

const (
	rowOther       rowKind = iota
	rowRemoteCart          // "Remote shopping carts": AOM's carts with the default method
	rowWebServices         // the "Web Services Links" section, a subtotal when its sub-rows are present
	rowREST                // "REST", "REST requests": carts (and API links) with a REST method
	rowSOAP                // "SOAP": the same with the SOAP method
)

// The exact row labels for remote carts in Amazon's downloads are
// unconfirmed, so they are matched tolerantly, case-insensitively, REST and
// SOAP as whole words (so "Interest" is not REST).
var (
	reRowRemoteCart  = regexp.MustCompile(`(?i)\bremote[\s_-]*(shopping[\s_-]*)?carts?\b`)
	reRowSOAP        = regexp.MustCompile(`(?i)\bsoap\b`)
	reRowREST        = regexp.MustCompile(`(?i)\brest\b`)
	reRowWebServices = regexp.MustCompile(`(?i)\bweb[\s_-]*services?\b`)
	reRowTotal       = regexp.MustCompile(`(?i)^\s*(grand\s+)?totals?\b`)
)

// classifyLinkTypeRow is the one place that says which Link-Type rows count
// AOM's carts; every rule asks it.
func classifyLinkTypeRow(label string) rowKind {
	switch {
	case reRowRemoteCart.MatchString(label):
		return rowRemoteCart
	case reRowSOAP.MatchString(label):
		return rowSOAP
	case reRowREST.MatchString(label):
		return rowREST
	case reRowWebServices.MatchString(label):
		return rowWebServices
	}
	return rowOther
}

// remoteClicks is what the Link-Type report says of the carts that reached
// Amazon: the remote-cart clicks, and those under REST or SOAP.
type remoteClicks struct {
	cart, rest, soap int
	cartLabel        string              // the remote-cart row's label, as the report words it
	cartRow          bool                // the report has a remote-cart (or web services) row at all
	rows             []store.LinkTypeRow // the rows counted, in report order
	restRows         []store.LinkTypeRow
	soapRows         []store.LinkTypeRow
	files            []string // the Link-Type report files
}

func (rc remoteClicks) total() int { return rc.cart + rc.rest + rc.soap }

func countRemoteClicks(r *store.Reports) remoteClicks {
	rc := remoteClicks{cartLabel: remoteCartLabel}
	if r == nil {
		return rc
	}
	for _, f := range r.Files {
		if f.Kind == store.KindReportLinkType {
			rc.files = append(rc.files, f.Path)
		}
	}
	// A "Web Services Links" row is the section's subtotal when the rows
	// under it are present too: count it only when it stands alone.
	sub := false
	for _, row := range r.LinkType {
		if k := classifyLinkTypeRow(row.Label); k == rowRemoteCart || k == rowREST || k == rowSOAP {
			sub = true
		}
	}
	labelSet := false
	for _, row := range r.LinkType {
		switch classifyLinkTypeRow(row.Label) {
		case rowRemoteCart:
		case rowWebServices:
			if sub {
				continue
			}
		case rowREST:
			rc.rest += row.Clicks
			rc.restRows = append(rc.restRows, row)
			rc.rows = append(rc.rows, row)
			continue
		case rowSOAP:
			rc.soap += row.Clicks
			rc.soapRows = append(rc.soapRows, row)
			rc.rows = append(rc.rows, row)
			continue
		default:
			continue
		}
		rc.cart += row.Clicks
		rc.cartRow = true
		rc.rows = append(rc.rows, row)
		if !labelSet && strings.TrimSpace(row.Label) != "" {
			rc.cartLabel, labelSet = strings.TrimSpace(row.Label), true
		}
	}
	return rc
}

// RemoteCartRows are the Link-Type rows that count AOM's carts (remote
// shopping carts, REST and SOAP rows, a lone "Web Services" row), in report
// order: the same rows the rules count, for renderers that draw them.
func RemoteCartRows(r *store.Reports) []store.LinkTypeRow { return countRemoteClicks(r).rows }

// clicksText says the clicks for a message: `3 clicks on "Remote shopping
// carts"`, or, with REST or SOAP clicks, how they split.
func (rc remoteClicks) clicksText() string {
	if rc.rest+rc.soap == 0 {
		return fmt.Sprintf("%s on %q", counted(rc.cart, "click", "clicks"), rc.cartLabel)
	}
	var parts []string
	if rc.cart > 0 {
		parts = append(parts, fmt.Sprintf("%d on %q", rc.cart, rc.cartLabel))
	}
	if rc.rest > 0 {
		parts = append(parts, fmt.Sprintf("%d under REST", rc.rest))
	}
	if rc.soap > 0 {
		parts = append(parts, fmt.Sprintf("%d under SOAP", rc.soap))
	}
	return fmt.Sprintf("%s (%s)", counted(rc.total(), "click", "clicks"), joinAnd(parts))
}

// evidence cites the rows counted, or the Link-Type report itself when it
// has none of them.
func (rc remoteClicks) evidence() []Evidence {
	var out []Evidence
	for _, row := range rc.rows {
		out = append(out, FromSource(row.Source))
	}
	if len(out) == 0 {
		for _, p := range rc.files {
			out = append(out, Evidence{Path: p})
		}
	}
	return out
}

// cartWindow sorts the cart reports by whether Amazon's reports can show
// them: inside the processed period and before the as-of day they are
// compared with the clicks; the rest are counted apart, to be said.
type cartWindow struct {
	period store.Period // the processed period; zero when unknown
	asOf   store.Date   // zero: no reasoning about the report lag

	n           int        // cart reports compared with the clicks
	first, last store.Date // the dated ones among them
	undated     int        // undated reports (compared only when the period is unknown)
	before      int        // dated before the period's first day: left out
	after       int        // after the period's last day, before the as-of day
	aFirst      store.Date
	aLast       store.Date
	recent      int // on or after the as-of day: not processed yet
	rFirst      store.Date
	rLast       store.Date
}

// periodOf is the period the reports of kind k cover: --period when given,
// else the span their files give, else the reports' period as a whole (a
// report saved without its title line is taken to cover what the others
// do). Several reports read together may cover different spans, and clicks
// are compared only with carts of the Link-Type report's own.
func periodOf(s *store.Store, k store.Kind) store.Period {
	if s.Period.Known() {
		return s.Period
	}
	if s.Reports != nil {
		own := &store.Reports{}
		for _, f := range s.Reports.Files {
			if f.Kind == k {
				own.Files = append(own.Files, f)
			}
		}
		if p := own.Period(); p.Known() {
			return p
		}
	}
	return s.ReportPeriod()
}

// cartWindowOf sorts the cart reports by the period of the reports of kind k.
func cartWindowOf(s *store.Store, k store.Kind) cartWindow {
	w := cartWindow{period: periodOf(s, k), asOf: s.AsOf}
	c := s.Carts
	if c == nil {
		return w
	}
	for _, d := range c.Days() {
		k := c.ByDay[d]
		switch {
		case !w.asOf.IsZero() && !d.Before(w.asOf):
			w.recent += k
			w.rFirst, w.rLast = earlier(w.rFirst, d), later(w.rLast, d)
		case w.period.Known() && w.period.To.Before(d):
			w.after += k
			w.aFirst, w.aLast = earlier(w.aFirst, d), later(w.aLast, d)
		case w.period.Known() && d.Before(w.period.From):
			w.before += k
		default:
			w.n += k
			w.first, w.last = earlier(w.first, d), later(w.last, d)
		}
	}
	w.undated = c.Undated
	if !w.period.Known() {
		w.n += c.Undated
	}
	return w
}

// compared reports whether a cart report of day d (zero: undated) is among
// those compared with the clicks.
func (w cartWindow) compared(d store.Date) bool {
	switch {
	case d.IsZero():
		return !w.period.Known()
	case !w.asOf.IsZero() && !d.Before(w.asOf):
		return false
	case w.period.Known():
		return w.period.Contains(d)
	}
	return true
}

// pending reports whether a cart report of day d is one Amazon's reports
// cannot show yet: on or after the as-of day, or after the period.
func (w cartWindow) pending(d store.Date) bool {
	return !d.IsZero() && (!w.asOf.IsZero() && !d.Before(w.asOf) || w.period.Known() && w.period.To.Before(d))
}

// cartsText says the compared cart reports: "5 cart reports from X to Y".
func (w cartWindow) cartsText() string {
	dated := w.n
	if !w.period.Known() {
		dated -= w.undated
	}
	switch {
	case dated == 0 && w.n == 0:
		return "no cart reports"
	case dated == 0:
		return counted(w.n, "undated cart report", "undated cart reports")
	}
	s := counted(w.n, "cart report", "cart reports") + " " + spanText(w.first, w.last)
	if w.n > dated {
		s += fmt.Sprintf(" (%d of them undated)", w.n-dated)
	}
	return s
}

// reportText names the Link-Type report with its period when known.
func (w cartWindow) reportText() string {
	if w.period.Known() {
		return "the Link-Type report for " + periodText(w.period)
	}
	return "the Link-Type report"
}

// notes are what a message adds about the carts left out and the period.
func (w cartWindow) notes() []string {
	var out []string
	if w.before > 0 {
		out = append(out, fmt.Sprintf("%s from before %s %s left out",
			counted(w.before, "earlier cart report", "earlier cart reports"), w.period.From, plural(w.before, "was", "were")))
	}
	if n := w.after + w.recent; n > 0 {
		out = append(out, fmt.Sprintf("%s %s left out because the report cannot show %s (see %s)",
			counted(n, "later cart report", "later cart reports"), plural(n, "was", "were"), plural(n, "it", "them"), reportsNotYetProcessed.Name))
	}
	if w.period.Known() && w.undated > 0 {
		out = append(out, fmt.Sprintf("%s %s left out", counted(w.undated, "undated cart report", "undated cart reports"), plural(w.undated, "was", "were")))
	}
	if !w.period.Known() {
		out = append(out, "the report period is unknown ("+periodAdvice+")")
	}
	return out
}

// evidence cites up to three cart reports compared (or, when none is among
// the examples kept, the files they came from).
func (w cartWindow) evidence(c *store.CartReports, keep func(store.Date) bool) []Evidence {
	var out []Evidence
	if c == nil {
		return nil
	}
	for _, r := range c.Examples {
		if len(out) == 3 {
			break
		}
		if keep(r.Date) {
			out = append(out, FromSource(r.Source))
		}
	}
	if len(out) == 0 {
		for _, f := range c.Files {
			if len(out) == 3 {
				break
			}
			out = append(out, Evidence{Path: f})
		}
	}
	return out
}

func withNotes(msg string, notes []string) string {
	if len(notes) == 0 {
		return msg
	}
	return msg + "; " + strings.Join(notes, "; ")
}

func checkCartReportsWithoutClicks(s *store.Store) []Finding {
	w := cartWindowOf(s, store.KindReportLinkType)
	rc := countRemoteClicks(s.Reports)
	if w.n == 0 || rc.total() > 0 {
		return nil
	}
	noRow := ""
	if !rc.cartRow {
		noRow = " (the report has no such row)"
	}
	msg := fmt.Sprintf("%s, but %s shows 0 clicks on %q%s (and none under REST or SOAP)",
		w.cartsText(), w.reportText(), rc.cartLabel, noRow)
	return []Finding{{
		Message:  withNotes(msg, w.notes()),
		Fix:      noClicksFix(s),
		Evidence: append(w.evidence(s.Carts, w.compared), rc.evidence()...),
	}}
}

// noClicksFix points at what the settings rules found wrong with the ID, or,
// when they found nothing, at the comparison a person makes by hand.
func noClicksFix(s *store.Store) string {
	if s.Settings.Len() == 0 {
		return "Compare the Associate ID in the AOM control panel (" + whereAssociateID + ") letter by letter with " +
			whereTrackingIDs + ", then compare new cart reports with the Link-Type report a day later."
	}
	if r := wrongIDRule(s); r != nil {
		what := "The store has no Associate ID"
		if v, ok := s.Settings.Get(keyAssociateID); ok && strings.TrimSpace(v.Text) != "" {
			what = fmt.Sprintf("The Associate ID %s is wrong", quote(v.Text))
			if r == associateIDUnknown {
				what = fmt.Sprintf("The Associate ID %s is not among the tracking IDs your reports show", quote(v.Text))
			}
		}
		return fmt.Sprintf("%s: see %s; fix it in %s, then compare new cart reports with the Link-Type report a day later.",
			what, r.Name, whereAssociateID)
	}
	v, _ := s.Settings.Get(keyAssociateID)
	return fmt.Sprintf("Compare the ID %s in %s letter by letter with %s: Amazon credits nothing to an ID that is not yours, and says nothing about it.",
		quote(v.Text), whereAssociateID, whereTrackingIDs)
}

// wrongIDRule returns the first rule that finds the settings' Associate ID
// wrong, in the order a person fixes them, or nil. It runs those rules'
// own checks, so "wrong" means exactly what they report.
func wrongIDRule(s *store.Store) *Rule {
	if s.Settings.Len() == 0 {
		return nil
	}
	for _, r := range []*Rule{associateIDMissing, associateIDDefault, associateIDMalformed, associateIDWrongMarketplace} {
		if len(r.Check(s)) > 0 {
			return r
		}
	}
	if s.Reports != nil && len(s.Reports.IDs) > 0 && len(checkIDUnknown(s)) > 0 {
		return associateIDUnknown
	}
	return nil
}

func checkAbandonedCarts(s *store.Store) []Finding {
	w := cartWindowOf(s, store.KindReportLinkType)
	rc := countRemoteClicks(s.Reports)
	m := rc.total()
	if m == 0 || m >= w.n {
		return nil
	}
	left := w.n - m
	msg := fmt.Sprintf("%s and %s in %s: %s (%d%%) left before checking out at Amazon, which is normal",
		w.cartsText(), rc.clicksText(), w.reportText(), counted(left, "visitor", "visitors"), percent(left, w.n))
	return []Finding{{
		Message:  withNotes(msg, w.notes()),
		Evidence: append(w.evidence(s.Carts, w.compared), rc.evidence()...),
	}}
}

func checkClicksWithoutCartReports(s *store.Store) []Finding {
	w := cartWindowOf(s, store.KindReportLinkType)
	rc := countRemoteClicks(s.Reports)
	m := rc.total()
	if m <= w.n {
		return nil
	}
	var msg string
	if w.n == 0 {
		var where []string
		if w.before > 0 {
			where = append(where, fmt.Sprintf("%d before it", w.before))
		}
		if n := w.after + w.recent; n > 0 {
			where = append(where, fmt.Sprintf("%d after it or not processed yet", n))
		}
		if w.period.Known() && w.undated > 0 {
			where = append(where, fmt.Sprintf("%d undated", w.undated))
		}
		none := fmt.Sprintf("none of the %d cart reports falls in that period", s.Carts.Count)
		if s.Carts.Count == 1 {
			none = "the one cart report falls outside that period"
		}
		msg = fmt.Sprintf("%s shows %s, but %s", w.reportText(), rc.clicksText(), none)
		if len(where) > 0 {
			msg += " (" + joinAnd(where) + ")"
		}
		if !w.period.Known() {
			msg = withNotes(msg, []string{"the report period is unknown (" + periodAdvice + ")"})
		}
		return []Finding{{
			Message:  msg,
			Evidence: append(rc.evidence(), w.evidence(s.Carts, func(store.Date) bool { return true })...),
		}}
	}
	msg = fmt.Sprintf("%s shows %s, but there are only %s: %d %s no cart report",
		w.reportText(), rc.clicksText(), w.cartsText(), m-w.n, plural(m-w.n, "click has", "clicks have"))
	return []Finding{{
		Message:  withNotes(msg, w.notes()),
		Evidence: append(rc.evidence(), w.evidence(s.Carts, w.compared)...),
	}}
}

func checkReportsNotYetProcessed(s *store.Store) []Finding {
	w := cartWindowOf(s, store.KindReportLinkType)
	if w.recent+w.after == 0 {
		return nil
	}
	var parts []string
	if w.recent > 0 {
		parts = append(parts, fmt.Sprintf("%s %s %s, on or after the as-of day %s: Amazon has not processed %s yet",
			counted(w.recent, "cart report", "cart reports"), plural(w.recent, "is", "are"), dayText(w.rFirst, w.rLast), w.asOf, plural(w.recent, "it", "them")))
	}
	if w.after > 0 {
		parts = append(parts, fmt.Sprintf("%s %s %s, after the report's last day %s",
			counted(w.after, "cart report", "cart reports"), plural(w.after, "is", "are"), dayText(w.aFirst, w.aLast), w.period.To))
	}
	msg := strings.Join(parts, "; ") + fmt.Sprintf("; %s left out of the comparison with clicks", plural(w.recent+w.after, "it is", "they are"))
	ev := w.evidence(s.Carts, w.pending)
	if w.period.Known() && w.period.Source.Path != "" {
		ev = append(ev, FromSource(w.period.Source))
	}
	return []Finding{{Message: msg, Evidence: ev}}
}

// dayText says when: "dated 2009-10-14" or "dated 2009-10-14 to 2009-10-15".
func dayText(first, last store.Date) string {
	if first == last {
		return "dated " + first.String()
	}
	return fmt.Sprintf("dated %s to %s", first, last)
}

// spanText says when: "on 2009-10-02" or "from 2009-10-02 to 2009-10-09".
func spanText(first, last store.Date) string {
	if first == last {
		return "on " + first.String()
	}
	return fmt.Sprintf("from %s to %s", first, last)
}

func periodText(p store.Period) string { return fmt.Sprintf("%s to %s", p.From, p.To) }

// counted says a count with its noun: "1 cart report", "5 cart reports".
func counted(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}

// percent is part of whole in whole percent, rounded.
func percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (200*part + whole) / (2 * whole)
}

func earlier(a, b store.Date) store.Date {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func later(a, b store.Date) store.Date {
	if a.IsZero() || a.Before(b) {
		return b
	}
	return a
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var ordersMatchCarts = &Rule{
	ID:       "AOM210",
	Name:     "orders-match-carts",
	Title:    "Carted items that were ordered",
	Severity: Info,
	Needs:    NeedOrders | NeedCartReports,
	Explain: "The Orders report lists, item by item, what visitors ordered through your store's links, so it can be set beside the items in your cart reports. " +
		"Not every carted item is bought: visitors change their minds, and Amazon credits an item only when it went into the cart during the visit " +
		"that came from your store and was bought within 90 days. " +
		"Carted items that do show up as ordered prove that your carts reach Amazon with your ID.",
	Fix:   "No fix is needed: to follow a cart, look its items up by ASIN in Associates Central > Reports > Orders.",
	Check: checkOrdersMatchCarts,
}

// maxListed bounds the items a message lists by name.
const maxListed = 5

// cartedIn reports whether an item was carted in the compared window. Only
// the first and last day an item was carted are kept, so an item counts when
// that span overlaps the window: an item carted before and after the period
// but not in it is counted too, which is rare enough to accept.
func (w cartWindow) cartedIn(a *store.CartASIN) bool {
	if a.First.IsZero() {
		return !w.period.Known()
	}
	if w.period.Known() && a.Last.Before(w.period.From) {
		return false
	}
	hi := store.Date{}
	if w.period.Known() {
		hi = w.period.To
	}
	if !w.asOf.IsZero() && (hi.IsZero() || !hi.Before(w.asOf)) {
		hi = w.asOf.AddDays(-1)
	}
	return hi.IsZero() || !hi.Before(a.First)
}

// orderOf finds an item in the Orders report, whatever the case of its ASIN.
func orderOf(r *store.Reports, asin string) *store.ASINOrders {
	if r == nil {
		return nil
	}
	if o, ok := r.Orders[asin]; ok {
		return o
	}
	for k, o := range r.Orders {
		if strings.EqualFold(strings.TrimSpace(k), asin) {
			return o
		}
	}
	return nil
}

// shortTitle keeps a title short enough for a message.
func shortTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if r := []rune(t); len(r) > 40 {
		cut := string(r[:39])
		if i := strings.LastIndex(cut, " "); i > 20 {
			cut = cut[:i] // end at a whole word
		}
		return strings.TrimSpace(cut) + "…"
	}
	return t
}

// listMore lists items, at most maxListed, then "and N more".
func listMore(items []string) string {
	if len(items) <= maxListed {
		return joinAnd(items)
	}
	return strings.Join(items[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(items)-maxListed)
}

func checkOrdersMatchCarts(s *store.Store) []Finding {
	w := cartWindowOf(s, store.KindReportOrders)
	var carted []*store.CartASIN
	for _, k := range sortedKeys(s.Carts.ASINs) {
		if a := s.Carts.ASINs[k]; w.cartedIn(a) {
			carted = append(carted, a)
		}
	}
	if len(carted) == 0 {
		return nil
	}
	var ordered, notOrdered []string
	var ev []Evidence
	for _, a := range carted {
		o := orderOf(s.Reports, a.ASIN)
		if o == nil || o.Direct <= 0 {
			notOrdered = append(notOrdered, a.ASIN)
			continue
		}
		title := o.Title
		if title == "" {
			title = a.Title
		}
		item := a.ASIN
		if title != "" {
			item += fmt.Sprintf(" (%s, %d ordered)", shortTitle(title), o.Direct)
		} else {
			item += fmt.Sprintf(" (%d ordered)", o.Direct)
		}
		ordered = append(ordered, item)
		if len(ev) < maxListed {
			ev = append(ev, FromSource(o.Source))
		}
	}
	// Items ordered through the store's links that no cart report names:
	// carts whose reports went astray, or another store on the same ID.
	unreported := 0
	for k, o := range s.Reports.Orders {
		if _, ok := s.Carts.ASINs[strings.ToUpper(strings.TrimSpace(k))]; !ok && o.Direct > 0 {
			unreported++
		}
	}
	report := "the Orders report"
	if w.period.Known() {
		report += " for " + periodText(w.period)
	}
	msg := fmt.Sprintf("%d of %s were ordered through the store's links in %s", len(ordered),
		counted(len(carted), "carted item (by ASIN)", "carted items (by ASIN)"), report)
	if len(ordered) > 0 {
		msg += ": " + listMore(ordered)
	}
	if len(notOrdered) > 0 && len(ordered) > 0 {
		msg += "; not ordered: " + listMore(notOrdered)
	}
	if unreported > 0 {
		msg += fmt.Sprintf("; %s ordered through the store's links %s in no cart report",
			counted(unreported, "other item", "other items"), plural(unreported, "is", "are"))
	}
	if !w.period.Known() {
		msg += "; the report period is unknown (" + periodAdvice + ")"
	}
	if len(ev) == 0 {
		for _, f := range s.Reports.Files {
			if f.Kind == store.KindReportOrders {
				ev = append(ev, Evidence{Path: f.Path})
			}
		}
	}
	ev = append(ev, w.evidence(s.Carts, w.compared)...)
	return []Finding{{Message: msg, Evidence: ev}}
}
