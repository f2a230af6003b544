package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The rules that judge the store's own pages, saved from the browser or
// fetched live: what the buy buttons, cart forms and links on them really
// carry to Amazon, against what the settings say. One finding a rule, with
// counts and a few example pages, never one a link.

var storeUnreachable = &Rule{
	ID:       "AOM401",
	Name:     "store-unreachable",
	Title:    "The store's start page cannot be fetched",
	Severity: Error,
	Needs:    NeedPages,
	Explain: "aomdoctor could not fetch the first page of the store, so it could not see what the store sends visitors to Amazon. " +
		"If visitors cannot reach the store either, it earns nothing: the host may be down, the address may have moved, or the server may refuse requests. " +
		"If the store opens in a browser, the server or a firewall may be blocking aomdoctor only.",
	Fix:   "Open the store's address in a browser; if it fails there too, ask your web host, and if it works, save its pages (File > Save Page As) and check those instead.",
	Check: checkStoreUnreachable,
}

var noAmazonLinksFound = &Rule{
	ID:       "AOM402",
	Name:     "no-amazon-links-found",
	Title:    "Store pages have no Amazon links or cart forms",
	Severity: Warning,
	Needs:    NeedPages,
	Explain: "An AOM store's pages are full of links and buy buttons that go to Amazon: product links, add-to-cart forms, the cart's checkout button. " +
		"Pages with none of them earn nothing. " +
		"Either the pages are not those of an AOM store, or the store could not get products from Amazon (rejected API keys, a blocked server), " +
		"or the server sent an error or parking page that still came back as a success.",
	Fix:   "Open the store in a browser and check that products show; if they do not, check the Amazon API keys in Control Panel > Settings and the store's error log.",
	Check: checkNoAmazonLinksFound,
}

var cartFormMissingID = &Rule{
	ID:       "AOM403",
	Name:     "cart-form-missing-id",
	Title:    "Cart forms send no tracking ID",
	Severity: Error,
	Needs:    NeedPages,
	Explain: "When a visitor presses an add-to-cart or checkout button, the form sends the cart to Amazon with the fields it holds. " +
		"Amazon credits the sale to the Associate ID in the AssociateTag field (associate-id in a cart's checkout link). " +
		"A form without it hands the visitor to Amazon with nobody to credit, and nothing tells you: the sale simply never shows up. " +
		"It comes from an empty Associate ID in the settings or from a template edited by hand.",
	Fix:   "Enter your tracking ID in " + whereAssociateID + ", and if you edited the store's templates, put back the hidden AssociateTag field in the cart forms.",
	Check: checkCartFormMissingID,
}

var pageIDDiffersFromSettings = &Rule{
	ID:       "AOM404",
	Name:     "page-id-differs-from-settings",
	Title:    "Store pages carry another ID than the settings",
	Severity: Error,
	Needs:    NeedPages | NeedSettings,
	Explain: "The settings say which tracking ID the store should use; the pages show what visitors really carry to Amazon. " +
		"When they differ, the sales go to the ID on the pages. " +
		"It happens when pages were cached before the ID was changed, when the settings file read here is not the one the store uses, " +
		"or when links were copied into the templates by hand. AOM Lite's own ID on about 1 in 10 buy buttons is expected and not counted.",
	Fix: "Make sure the store uses the settings you changed (the right folder, saved in " + whereAssociateID + "), let cached pages expire (" +
		wherePageCache + " keeps them for a day), and replace Amazon links you copied into the templates.",
	Check: checkPageIDDiffersFromSettings,
}

var mixedIDsOnStore = &Rule{
	ID:       "AOM405",
	Name:     "mixed-ids-on-store",
	Title:    "Store pages carry more than one tracking ID",
	Severity: Warning,
	Needs:    NeedPages,
	Explain: "One AOM store sends one tracking ID. Pages that carry several split the store's sales between them, and only one is yours. " +
		"AOM Lite, the free edition, sends about 1 in 10 buy buttons with AOM's own ID associatomati-20: on Lite that share is the price of the edition. " +
		"A larger share, AOM's ID on the full edition, or IDs of other accounts are not expected.",
	Fix:   mixedIDsFix + ".",
	Check: checkMixedIDsOnStore,
}

var insecureAmazonLinks = &Rule{
	ID:       "AOM406",
	Name:     "insecure-amazon-links",
	Title:    "Store pages link to Amazon over plain http",
	Severity: Info,
	Needs:    NeedPages,
	Explain: "Amazon serves every page over https and redirects http links there, keeping the tracking ID, so these links still earn. " +
		"The extra redirect costs the visitor a moment, and images or scripts fetched over http on an https page are blocked by browsers as mixed content. " +
		"AOM's older templates and the old API's links were written with http.",
	Fix:   "Change http:// to https:// in Amazon links you wrote into the templates, and update AOM if its own links use http.",
	Check: checkInsecureAmazonLinks,
}

// carriesID reports whether links of this form could carry an ID: not help
// pages, images and widgets.
func carriesID(g *store.LinkGroup) bool {
	return g.Form != store.FormOtherAmazon && g.Form != store.FormNotAmazon
}

// pageGroups returns the groups of the pages' links that keep, and how many
// links they hold.
func pageGroups(p *store.Pages, keep func(*store.LinkGroup) bool) ([]*store.LinkGroup, int) {
	if p == nil {
		return nil, 0
	}
	var out []*store.LinkGroup
	n := 0
	for _, g := range p.Links.Groups() {
		if keep(g) {
			out = append(out, g)
			n += g.Count
		}
	}
	return out, n
}

// onPages says where a few examples of gs sit: `; seen on "item.html"
// (line 41, form#cart-form) and "cart.html" (line 12, ...)`.
func onPages(gs []*store.LinkGroup) (ls []store.Link, text string) {
	seen := map[string]bool{}
	var parts []string
	for _, l := range examplesOf(gs) {
		if seen[l.Source.Path] || len(parts) == maxLinkExamples {
			continue
		}
		seen[l.Source.Path] = true
		ls = append(ls, l)
		where := l.Source.Field
		if l.Source.Line > 0 {
			where = fmt.Sprintf("line %d, %s", l.Source.Line, l.Source.Field)
		}
		parts = append(parts, fmt.Sprintf("%q (%s)", l.Source.Path, where))
	}
	if len(parts) == 0 {
		return nil, ""
	}
	return ls, "; seen on " + joinAnd(parts)
}

func checkStoreUnreachable(s *store.Store) []Finding {
	if s.Pages == nil || s.Pages.StartErr == "" {
		return nil
	}
	return []Finding{{
		Message:  fmt.Sprintf("the start page %s could not be fetched: %s", quotePlace(s.Pages.Start), s.Pages.StartErr),
		Evidence: []Evidence{{Path: s.Pages.Start}},
	}}
}

func checkNoAmazonLinksFound(s *store.Store) []Finding {
	p := s.Pages
	if p == nil || p.Read == 0 {
		return nil
	}
	if _, n := pageGroups(p, carriesID); n > 0 {
		return nil
	}
	names := make([]string, 0, maxLinkExamples)
	var ev []Evidence
	for _, name := range p.Names[:min(len(p.Names), maxLinkExamples)] {
		names = append(names, quotePlace(name))
		ev = append(ev, Evidence{Path: name})
	}
	if len(p.Names) > maxLinkExamples {
		names = append(names, fmt.Sprintf("%d more", p.Read-maxLinkExamples))
	}
	msg := fmt.Sprintf("none of the %d pages read (%s) has a link or cart form that goes to Amazon: they are not AOM store pages, the store gets no products from Amazon, or they are error pages",
		p.Read, joinAnd(names))
	if p.Read == 1 {
		msg = fmt.Sprintf("the 1 page read (%s) has no link or cart form that goes to Amazon: it is not an AOM store page, the store gets no products from Amazon, or it is an error page",
			joinAnd(names))
	}
	return []Finding{{Message: msg, Evidence: ev}}
}

// isCartForm tells the forms that hand a cart to Amazon.
func isCartForm(g *store.LinkGroup) bool {
	return g.Element == "form" && (g.Form == store.FormAddToCart || g.Form == store.FormCartMerge)
}

func checkCartFormMissingID(s *store.Store) []Finding {
	all, total := pageGroups(s.Pages, isCartForm)
	var missing []*store.LinkGroup
	n := 0
	for _, g := range all {
		if normID(g.ID) == "" {
			missing = append(missing, g)
			n += g.Count
		}
	}
	if n == 0 {
		return nil
	}
	ex, where := onPages(missing)
	forms := "cart forms send"
	if total == 1 {
		forms = "cart form sends"
	} else if n == 1 {
		forms = "cart forms sends"
	}
	return []Finding{{
		Message:  fmt.Sprintf("%d of %d %s no Associate ID (no AssociateTag or associate-id field), so Amazon credits the carts they send to nobody%s", n, total, forms, where),
		Evidence: linkEvidence(ex),
	}}
}

// pageIDs counts the pages' ID-carrying links by ID (lower case, "" for
// none), with the groups of each.
func pageIDs(p *store.Pages) (byID map[string][]*store.LinkGroup, counts map[string]int, total int) {
	byID, counts = map[string][]*store.LinkGroup{}, map[string]int{}
	gs, total := pageGroups(p, carriesID)
	for _, g := range gs {
		id := normID(g.ID)
		byID[id] = append(byID[id], g)
		counts[id] += g.Count
	}
	return byID, counts, total
}

func isLite(s *store.Store) bool { return strings.EqualFold(strings.TrimSpace(s.Edition), "lite") }

// liteExplains reports whether AOM Lite explains aom links of total.
func liteExplains(s *store.Store, aom, total int) bool {
	return isLite(s) && 100*aom <= liteShare*total
}

func checkPageIDDiffersFromSettings(s *store.Store) []Finding {
	v, ok := associateID(s.Settings)
	if !ok {
		return nil
	}
	ref := linkReference(s) // the settings' ID, and the ID it is plainly meant to be
	byID, counts, total := pageIDs(s.Pages)
	var other []*store.LinkGroup
	n := 0
	for _, id := range sortedKeys(byID) {
		if id == "" || ref.ids[id] {
			continue
		}
		if isDefaultID(id) && liteExplains(s, counts[id], total) {
			continue
		}
		other = append(other, byID[id]...)
		n += counts[id]
	}
	if n == 0 {
		return nil
	}
	ex, exText := examples(other)
	_, where := onPages(other)
	return []Finding{{
		Message: fmt.Sprintf("%d of %d links on the store's pages carry a tracking ID other than the settings' %s: %s, so their sales go to that ID%s%s",
			n, total, quote(v.Text), listMore(idCounts(other)), exText, where),
		Evidence: append(linkEvidence(ex), FromSource(v.Source)),
	}}
}

const mixedIDsFix = "Find where each ID comes from (cached pages, hand-written links, an old template) and use your own tracking ID everywhere"

func checkMixedIDsOnStore(s *store.Store) []Finding {
	byID, counts, _ := pageIDs(s.Pages)
	delete(byID, "")
	if len(byID) < 2 {
		return nil
	}
	var gs []*store.LinkGroup
	aom, withID := 0, 0
	for _, id := range sortedKeys(byID) {
		gs = append(gs, byID[id]...)
		withID += counts[id]
		if isDefaultID(id) {
			aom = counts[id]
		}
	}
	ex, where := onPages(gs)
	msg := fmt.Sprintf("the store's pages carry %d tracking IDs on %d links: %s", len(byID), withID, listMore(idShares(gs, withID)))
	f := Finding{Evidence: linkEvidence(ex)}
	onlyAOM := aom > 0 && len(byID) == 2
	switch {
	case onlyAOM && liteExplains(s, aom, withID):
		f.Severity = Info
		f.Message = msg + fmt.Sprintf("; the store runs AOM Lite, which sends about 1 in 10 buy buttons with AOM's ID, so %d%% is expected", percent(aom, withID))
		f.Fix = "No action is needed while the store runs AOM Lite; the full edition sends every buy button with your ID."
	case onlyAOM && isLite(s):
		f.Message = msg + fmt.Sprintf("; AOM Lite sends about 1 in 10 buy buttons with AOM's ID, but here it is %d%%, far more than Lite explains", percent(aom, withID)) + where
	case onlyAOM && strings.TrimSpace(s.Edition) == "" && 100*aom <= liteShare*withID:
		f.Message = msg + fmt.Sprintf("; only AOM Lite sends AOM's ID (on about 1 in 10 buy buttons, here %d%%): if the store runs the full edition, these links are not expected", percent(aom, withID)) + where
	default:
		f.Message = msg + where
	}
	// Only AOM's own ID has the Lite remedy; other IDs are the owner's to fix.
	if aom > 0 && f.Fix == "" {
		f.Fix = mixedIDsFix + "; AOM's share of the buy buttons ends with the full edition, which sends every one with your ID."
	}
	return []Finding{f}
}

// idShares lists the IDs of gs with their counts and shares of total,
// largest first: `"birdbath-20" on 45 links (90%)`.
func idShares(gs []*store.LinkGroup, total int) []string {
	type idn struct {
		written string
		n       int
	}
	var order []string
	by := map[string]*idn{}
	for _, g := range gs {
		k := normID(g.ID)
		if by[k] == nil {
			by[k] = &idn{written: strings.TrimSpace(g.ID)}
			order = append(order, k)
		}
		by[k].n += g.Count
	}
	sort.SliceStable(order, func(i, j int) bool { return by[order[i]].n > by[order[j]].n })
	out := make([]string, len(order))
	for i, k := range order {
		name := quote(by[k].written)
		if isDefaultID(k) {
			name = "AOM's own " + name
		}
		out[i] = fmt.Sprintf("%s on %s (%d%%)", name, counted(by[k].n, "link", "links"), percent(by[k].n, total))
	}
	return out
}

func checkInsecureAmazonLinks(s *store.Store) []Finding {
	all, total := pageGroups(s.Pages, func(g *store.LinkGroup) bool { return g.Form != store.FormNotAmazon })
	var plain []*store.LinkGroup
	n := 0
	for _, g := range all {
		if g.HTTP {
			plain = append(plain, g)
			n += g.Count
		}
	}
	if n == 0 {
		return nil
	}
	ex, exText := examples(plain)
	_, where := onPages(plain)
	return []Finding{{
		Message:  fmt.Sprintf("%d of %d Amazon URLs on the store's pages use plain http; Amazon redirects them to https and keeps the ID, so they still earn%s%s", n, total, exText, where),
		Evidence: linkEvidence(ex),
	}}
}
