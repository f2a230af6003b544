package checks

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The rules that judge the Amazon links a store sends visitors along: the ID
// each carries, decoded, against the store's own. One finding a rule, with
// counts and a few examples, never one a link.

var linkCheckerFalseFailure = &Rule{
	ID:       "AOM301",
	Name:     "link-checker-false-failure",
	Title:    "Link checker fails AOM's links, but Amazon credits them",
	Severity: Info,
	Needs:    NeedLinks,
	Explain: "Amazon's Link Checker in Associates Central recognises a tracking ID only when it is written as ?tag= in a link. " +
		"AOM's links carry the ID the way Amazon's API hands links out: encoded inside the link's path, or as associate-id= in a cart's checkout link. " +
		"The Link Checker fails such links, yet Amazon reads the ID inside and credits the sale. " +
		"That is only true when the ID inside is really yours, so aomdoctor decodes each link and compares the ID itself.",
	Fix:   "No action is needed for these links; to check one yourself, look in it for tag%3D or associate-id= followed by your tracking ID.",
	Check: checkLinkCheckerFalseFailure,
}

var linkWrongID = &Rule{
	ID:       "AOM302",
	Name:     "link-wrong-id",
	Title:    "Links carry someone else's tracking ID",
	Severity: Error,
	Needs:    NeedLinks,
	Explain: "Amazon credits a sale to the tracking ID in the link the visitor followed, whatever the Link Checker says about it. " +
		"Links that carry another ID, AOM's own associatomati-20 included, earn for that ID's owner, not for you. " +
		"They come from an old or mistyped ID in the settings, from pages cached before the ID was fixed, or from links copied from elsewhere. " +
		"Only AOM Lite sends AOM's ID on purpose, on about 1 in 10 buy buttons.",
	Fix: "Enter your own tracking ID in " + whereAssociateID + ", let pages cached with the old ID expire (" + wherePageCache +
		" keeps them for a day), and replace Amazon links you copied by hand.",
	Check: checkLinkWrongID,
}

var linkMissingID = &Rule{
	ID:       "AOM303",
	Name:     "link-missing-id",
	Title:    "Links carry no tracking ID",
	Severity: Error,
	Needs:    NeedLinks,
	Explain: "A link to Amazon with no tracking ID earns nothing, because Amazon has nobody to credit. " +
		"An add-to-cart link needs AssociateTag, a cart's checkout link associate-id, an API request AssociateTag. " +
		"Plain product links count too: any link the store sends a visitor along without an ID gives that sale away. " +
		"Such links come from an empty Associate ID in the settings or from links written by hand.",
	Fix:   "Enter your tracking ID in " + whereAssociateID + ", and add tag= with your tracking ID to every Amazon link you wrote by hand.",
	Check: checkLinkMissingID,
}

var linkWrongMarketplace = &Rule{
	ID:       "AOM304",
	Name:     "link-wrong-marketplace",
	Title:    "Links carry an ID of another marketplace",
	Severity: Error,
	Needs:    NeedLinks,
	Explain: "Each Amazon marketplace has its own tracking IDs, ending in -20 for the US and Canada, -21 for the UK and Europe, and -22 for Japan and Australia. " +
		"A link to amazon.co.uk that carries a -20 ID earns nothing, because that ID does not exist on Amazon.co.uk. " +
		"It happens when the store type and the Associate ID do not match, or when links are copied from a store of another country.",
	Fix: "Make " + whereAssociateID + " and Control Panel > Settings > Amazon Store Type name the same marketplace, " +
		"and use the tracking ID of each link's own marketplace in links you wrote by hand.",
	Check: checkLinkWrongMarketplace,
}

// maxLinkExamples bounds the example URLs a message shows.
const maxLinkExamples = 3

// liteShare is the share of links with AOM's own ID that AOM Lite explains:
// it sends 1 in 10 buy buttons with it, and a sample of links varies.
const liteShare = 15

func normID(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// linkRef is the ID (or IDs) a store's links should carry, and how it was
// known, for the message.
type linkRef struct {
	ids       map[string]bool // lower case; empty when nothing says
	desc      string          // a noun phrase: `the store's ID "x" (from the settings)`
	fromLinks bool            // guessed from the links themselves: not proof of anything
	ev        []Evidence
}

// linkReference finds the store's own ID: the settings' ID; else the one
// tracking ID the reports show; else any of those they show; else the ID
// most of the links carry.
func linkReference(s *store.Store) linkRef {
	if v, ok := associateID(s.Settings); ok {
		ref := linkRef{
			ids:  map[string]bool{normID(v.Text): true},
			desc: fmt.Sprintf("the store's ID %s (from the settings)", quote(v.Text)),
			ev:   []Evidence{FromSource(v.Source)},
		}
		// A malformed ID the shape rules can read ("GardenShop20") is the
		// store's all the same: its links are not someone else's.
		if sug := diagnoseID(v.Text, siteOf(s.Settings)).suggest; sug != "" {
			ref.ids[sug] = true
		}
		return ref
	}
	var ids []string
	var ev []Evidence
	for _, id := range reportIDs(s.Reports) {
		if !isDefaultID(id.ID) {
			ids = append(ids, normID(id.ID))
			ev = append(ev, FromSource(id.Source))
		}
	}
	switch len(ids) {
	case 0:
	case 1:
		return linkRef{ids: map[string]bool{ids[0]: true}, ev: ev,
			desc: fmt.Sprintf("the store's ID %s (the only tracking ID the reports show)", quote(ids[0]))}
	default:
		ref := linkRef{ids: map[string]bool{}, ev: ev[:min(len(ev), 3)],
			desc: fmt.Sprintf("any of the account's tracking IDs (the reports show %s)", quoteIDs(ids))}
		for _, id := range ids {
			ref.ids[id] = true
		}
		return ref
	}
	counts, written := map[string]int{}, map[string]string{}
	for _, g := range s.Links.Groups() {
		id := normID(g.ID)
		if g.Form == store.FormOtherAmazon || id == "" || isDefaultID(id) {
			continue
		}
		counts[id] += g.Count
		if written[id] == "" {
			written[id] = g.ID
		}
	}
	best := ""
	for _, id := range sortedKeys(counts) {
		if best == "" || counts[id] > counts[best] {
			best = id
		}
	}
	if best == "" {
		return linkRef{ids: map[string]bool{}}
	}
	return linkRef{ids: map[string]bool{best: true}, fromLinks: true,
		desc: fmt.Sprintf("%s (the ID most links carry; add the settings or a Tracking ID Summary report to confirm it is the store's)", quote(written[best]))}
}

// linkJudgement sorts the link groups by what is wrong with them.
type linkJudgement struct {
	ref    linkRef
	judged int // links that could carry an ID: the "of N" of every message

	ownEncoded []*store.LinkGroup // the store's ID in AOM's encoded forms
	wrong      []*store.LinkGroup // another ID (AOM's included unless Lite explains it)
	missing    []*store.LinkGroup // no ID at all
	market     []*store.LinkGroup // an ID whose suffix is not the host's marketplace's

	aom        int  // links with AOM's own ID
	lite       bool // the store runs AOM Lite
	aomCounted bool // AOM's links are among wrong
}

func linkCount(gs []*store.LinkGroup) int {
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	return n
}

func judgeLinks(s *store.Store) linkJudgement {
	j := linkJudgement{ref: linkReference(s), lite: strings.EqualFold(strings.TrimSpace(s.Edition), "lite")}
	var aomGroups []*store.LinkGroup
	for _, g := range s.Links.Groups() {
		if g.Form == store.FormOtherAmazon || g.Form == store.FormNotAmazon {
			continue
		}
		j.judged += g.Count
		id := normID(g.ID)
		switch {
		case id == "":
			j.missing = append(j.missing, g)
			continue
		case isDefaultID(id):
			j.aom += g.Count
			aomGroups = append(aomGroups, g)
			continue // judged by its own share below, not by marketplace
		case len(j.ref.ids) > 0 && !j.ref.ids[id]:
			j.wrong = append(j.wrong, g)
		}
		wrongMarket := false
		if m, ok := findMarketplace(g.Domain); ok {
			if suf := diagnoseID(g.ID, storeSite{}).suffix; suf != "" && suf != m.suffix {
				j.market = append(j.market, g)
				wrongMarket = true
			}
		}
		if j.ref.ids[id] && !wrongMarket && (g.Form == store.FormEncodedTag || g.Form == store.FormCartMerge) {
			j.ownEncoded = append(j.ownEncoded, g)
		}
	}
	// AOM Lite sends about 1 in 10 buy buttons with AOM's ID: up to
	// liteShare percent of the links is Lite's doing, more is not.
	if j.aom > 0 && !(j.lite && 100*j.aom <= liteShare*j.judged) {
		j.wrong = append(j.wrong, aomGroups...)
		j.aomCounted = true
	}
	return j
}

// examplesOf lists the examples of gs, one from each group in turn, so the
// first few show the different kinds.
func examplesOf(gs []*store.LinkGroup) []store.Link {
	var out []store.Link
	for i := 0; ; i++ {
		added := false
		for _, g := range gs {
			if i < len(g.Examples) {
				out = append(out, g.Examples[i])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// examples picks up to maxLinkExamples links of gs that look different in
// a message, and says them: `; for example "www.amazon.com/…"`.
func examples(gs []*store.LinkGroup) (ls []store.Link, text string) {
	ls, shown := shownExamples(gs)
	if len(ls) > maxLinkExamples {
		ls, shown = ls[:maxLinkExamples], shown[:maxLinkExamples]
	}
	if len(ls) == 0 {
		return nil, ""
	}
	q := make([]string, len(shown))
	for i, t := range shown {
		q[i] = fmt.Sprintf("%q", t)
	}
	return ls, "; for example " + joinAnd(q)
}

func linkEvidence(ls []store.Link) []Evidence {
	out := make([]Evidence, len(ls))
	for i, l := range ls {
		out[i] = FromSource(l.Source)
	}
	return out
}

// shortLink shows a link for a message: its host and up to 60 characters of
// its path, never its query (signatures and keys live there), and nothing of
// the path either when it holds what looks like a secret key. A long path
// that carries the tag encoded in it is shown by its start and its tag, so
// the example shows the ID it is cited for.
func shortLink(l store.Link) string {
	const maxPath = 60
	u := strings.TrimSpace(l.URL)
	for _, scheme := range []string{"https://", "http://"} {
		if len(u) >= len(scheme) && strings.EqualFold(u[:len(scheme)], scheme) {
			u = u[len(scheme):]
			break
		}
	}
	u, _, _ = strings.Cut(u, "#")
	hostPath, query, _ := strings.Cut(u, "?")
	host, path, _ := strings.Cut(hostPath, "/")
	if l.Host != "" {
		host = l.Host
	}
	decoded := path
	for range 3 {
		d, err := url.PathUnescape(decoded)
		if err != nil || d == decoded {
			break
		}
		decoded = d
	}
	if sensitive(path) || sensitive(decoded) {
		return host + "/…"
	}
	if r := []rune(path); len(r) > maxPath {
		if tag := encodedTag(path); tag != "" && len([]rune(tag)) < maxPath-10 {
			head := path
			if i := strings.Index(strings.ToUpper(path), "%3F"); i >= 0 {
				head = path[:i+3]
			}
			if hr := []rune(head); len(hr) > maxPath-len([]rune(tag)) {
				head = string(hr[:maxPath-len([]rune(tag))])
			}
			return host + "/" + head + "…" + tag + "…"
		}
		return host + "/" + string(r[:maxPath]) + "…"
	}
	out := host + "/" + path
	if query != "" {
		out += "?…"
	}
	return out
}

// encodedTag finds the tag%3DID piece of a path that carries the tag
// encoded in it, as written; "" when there is none.
func encodedTag(path string) string {
	i := strings.Index(strings.ToLower(path), "tag%3d")
	if i < 0 {
		return ""
	}
	rest := path[i:]
	if j := strings.Index(rest[len("tag%3d"):], "%"); j >= 0 {
		rest = rest[:len("tag%3d")+j]
	}
	return rest
}

// shownExamples picks the examples of gs whose display differs, with their
// display.
func shownExamples(gs []*store.LinkGroup) (ls []store.Link, shown []string) {
	seen := map[string]bool{}
	for _, l := range examplesOf(gs) {
		t := shortLink(l)
		if !seen[t] {
			seen[t] = true
			ls, shown = append(ls, l), append(shown, t)
		}
	}
	return ls, shown
}

// idCounts lists the IDs of gs with their link counts, largest first:
// `"otherstore-20" on 3 links`.
func idCounts(gs []*store.LinkGroup) []string {
	type idn struct {
		id, written string
		n           int
	}
	var order []*idn
	by := map[string]*idn{}
	for _, g := range gs {
		k := normID(g.ID)
		if by[k] == nil {
			by[k] = &idn{id: k, written: g.ID}
			order = append(order, by[k])
		}
		by[k].n += g.Count
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].n > order[j].n })
	out := make([]string, len(order))
	for i, x := range order {
		name := quote(strings.TrimSpace(x.written))
		if isDefaultID(x.id) {
			name = "AOM's own " + name
		}
		out[i] = fmt.Sprintf("%s on %s", name, counted(x.n, "link", "links"))
	}
	return out
}

func checkLinkCheckerFalseFailure(s *store.Store) []Finding {
	j := judgeLinks(s)
	if len(j.ownEncoded) == 0 || wrongIDRule(s) != nil {
		// An ID another rule shows wrong is no false alarm: those rules say so.
		return nil
	}
	var gs []*store.LinkGroup
	encoded, merge := 0, 0
	for _, g := range j.ownEncoded {
		if len(diagnoseID(g.ID, storeSite{}).problems) > 0 {
			continue // not shaped like a tracking ID: nothing to reassure about
		}
		gs = append(gs, g)
		if g.Form == store.FormEncodedTag {
			encoded += g.Count
		} else {
			merge += g.Count
		}
	}
	if len(gs) == 0 {
		return nil
	}
	var forms []string
	if encoded > 0 {
		forms = append(forms, fmt.Sprintf("%d with the tag encoded inside the path as %%26tag%%3D", encoded))
	}
	if merge > 0 {
		forms = append(forms, fmt.Sprintf("%d cart %s with associate-id=", merge, plural(merge, "link", "links")))
	}
	ex, exText := examples(gs)
	f := Finding{
		Message: fmt.Sprintf("%s %s in the form AOM uses (%s): Amazon's Link Checker fails such links because it looks only for ?tag=, but Amazon reads the ID inside and credits them%s",
			nOfLinksCarry(encoded+merge, j.judged), j.ref.desc, joinAnd(forms), exText),
		Evidence: append(linkEvidence(ex), j.ref.ev...),
	}
	if j.ref.fromLinks {
		f.Fix = fmt.Sprintf("Check that %s is listed in %s; if it is, no action is needed for these links.", quote(gs[0].ID), whereTrackingIDs)
	}
	return []Finding{f}
}

func checkLinkWrongID(s *store.Store) []Finding {
	j := judgeLinks(s)
	n := linkCount(j.wrong)
	if n == 0 {
		return nil
	}
	var msg string
	if len(j.ref.ids) == 0 {
		msg = fmt.Sprintf("%s AOM's own ID %q, so Amazon credits their sales to AOM, not to the store", nOfLinksCarry(n, j.judged), aomDefaultID)
	} else {
		msg = fmt.Sprintf("%s a tracking ID other than %s: %s, so Amazon credits their sales to that ID's owner, not to the store",
			nOfLinksCarry(n, j.judged), j.ref.desc, listMore(idCounts(j.wrong)))
	}
	if j.aomCounted {
		share := percent(j.aom, j.judged)
		switch {
		case j.lite:
			msg += fmt.Sprintf("; AOM Lite sends about 1 in 10 buy buttons with AOM's ID, but here it is %d%% of the links", share)
		case strings.TrimSpace(s.Edition) == "" && 100*j.aom <= liteShare*j.judged:
			msg += fmt.Sprintf("; if the store runs AOM Lite, about 1 in 10 links with AOM's ID is expected (here %d%%)", share)
		}
	}
	ex, exText := examples(j.wrong)
	return []Finding{{
		Message:  msg + exText,
		Evidence: append(linkEvidence(ex), j.ref.ev...),
	}}
}

// missingForms names each kind of link with no ID, in the order listed.
var missingForms = []struct {
	form      store.LinkForm
	one, many string
}{
	{store.FormAddToCart, "add-to-cart link with no AssociateTag", "add-to-cart links with no AssociateTag"},
	{store.FormCartMerge, "cart checkout link with no associate-id", "cart checkout links with no associate-id"},
	{store.FormAPIRequest, "API request with no AssociateTag", "API requests with no AssociateTag"},
	{store.FormProduct, "product link with no tag", "product links with no tag"},
	{store.FormQueryTag, "link with an empty tag", "links with an empty tag"},
	{store.FormEncodedTag, "API link with an empty encoded tag", "API links with an empty encoded tag"},
}

func checkLinkMissingID(s *store.Store) []Finding {
	j := judgeLinks(s)
	n := linkCount(j.missing)
	if n == 0 {
		return nil
	}
	byForm := map[store.LinkForm]int{}
	for _, g := range j.missing {
		byForm[g.Form] += g.Count
	}
	var parts []string
	for _, m := range missingForms {
		if k := byForm[m.form]; k > 0 {
			parts = append(parts, counted(k, m.one, m.many))
		}
	}
	ex, exText := examples(j.missing)
	return []Finding{{
		Message: fmt.Sprintf("%s no tracking ID (%s), so the sales they bring earn nothing%s",
			nOfLinksCarry(n, j.judged), joinAnd(parts), exText),
		Evidence: linkEvidence(ex),
	}}
}

func checkLinkWrongMarketplace(s *store.Store) []Finding {
	j := judgeLinks(s)
	n := linkCount(j.market)
	if n == 0 {
		return nil
	}
	type key struct{ id, domain string }
	var order []key
	counts, written := map[key]int{}, map[key]string{}
	for _, g := range j.market {
		k := key{normID(g.ID), strings.ToLower(g.Domain)}
		if _, ok := counts[k]; !ok {
			order = append(order, k)
			written[k] = strings.TrimSpace(g.ID)
		}
		counts[k] += g.Count
	}
	sort.SliceStable(order, func(a, b int) bool { return counts[order[a]] > counts[order[b]] })
	var parts []string
	for _, k := range order {
		m, _ := findMarketplace(k.domain)
		suf := diagnoseID(written[k], storeSite{}).suffix
		parts = append(parts, fmt.Sprintf("%s (%s) on %s, which uses IDs ending in -%s (%s)",
			quote(written[k]), suffixRegions[suf], k.domain, m.suffix, counted(counts[k], "link", "links")))
	}
	ex, exText := examples(j.market)
	return []Finding{{
		Message: fmt.Sprintf("%s a tracking ID of another marketplace than the Amazon site they go to: %s, so they earn nothing%s",
			nOfLinksCarry(n, j.judged), listMore(parts), exText),
		Evidence: linkEvidence(ex),
	}}
}

// nOfLinksCarry starts a link finding's message: "4 of 5 links carry", or
// "1 of 5 links carries" when one does.
func nOfLinksCarry(n, of int) string {
	if n == 1 {
		return fmt.Sprintf("1 of %d links carries", of)
	}
	return fmt.Sprintf("%d of %d links carry", n, of)
}
