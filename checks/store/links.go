package store

import (
	"sort"
	"strings"
)

// LinkForm is how a URL to Amazon carries (or fails to carry) an Associate ID.
type LinkForm string

// The forms the URL classifier tells apart. The values are stable: they
// appear in JSON output.
const (
	FormQueryTag    LinkForm = "query-tag"    // ?tag=ID: what Amazon's Link Checker understands
	FormEncodedTag  LinkForm = "encoded-tag"  // the API's form: %3F...%26tag%3DID inside the path
	FormCartMerge   LinkForm = "cart-merge"   // a remote cart's PurchaseURL: associate-id=ID
	FormAddToCart   LinkForm = "add-to-cart"  // /gp/aws/cart/add.html with AssociateTag=ID (or tag=)
	FormAPIRequest  LinkForm = "api-request"  // webservices.amazon.*/onca/xml or /onca/soap with AssociateTag
	FormProduct     LinkForm = "product"      // an Amazon page link with no ID anywhere in it
	FormOtherAmazon LinkForm = "other-amazon" // an Amazon host, but not a link that could carry an ID
	FormNotAmazon   LinkForm = "not-amazon"   // not an Amazon host at all
)

// Link is one URL to Amazon found in the evidence, decoded and classified.
type Link struct {
	URL    string   // as found
	Host   string   // lower case, e.g. www.amazon.co.uk
	Domain string   // the marketplace's domain, e.g. amazon.co.uk; empty when not Amazon
	Form   LinkForm // how it carries the ID
	ID     string   // the decoded Associate ID, as written (not lower-cased); empty when none
	HTTP   bool     // plain http, not https
	// Element is the page element the URL came from: "a", "form", "iframe",
	// "img", "script", "meta-refresh", "js-redirect"; empty outside pages.
	Element string
	Source  Source // where it was found (file or page, line, CSS path of the element)
}

// HasID reports whether the link carries an Associate ID at all.
func (l Link) HasID() bool { return l.ID != "" }

// maxLinkExamples bounds the examples kept per group of alike links.
const maxLinkExamples = 5

// LinkGroup is the links that are alike for judging: same form, same ID,
// same marketplace domain, same scheme.
type LinkGroup struct {
	Form     LinkForm
	ID       string
	Domain   string
	HTTP     bool
	Element  string
	Count    int
	Examples []Link // the first few, in reading order
}

// Links holds every Amazon link found, as groups of alike links with counts
// and a few examples, so a million links cost what a few dozen groups do.
type Links struct {
	Total  int
	groups map[linkKey]*LinkGroup
	order  []linkKey
}

type linkKey struct {
	form    LinkForm
	id      string
	domain  string
	http    bool
	element string
}

// NewLinks returns an empty set of links.
func NewLinks() *Links { return &Links{groups: map[linkKey]*LinkGroup{}} }

// Add counts one link. Links that are not Amazon's are not kept.
func (ls *Links) Add(l Link) {
	if l.Form == FormNotAmazon || l.Form == "" {
		return
	}
	k := linkKey{l.Form, l.ID, l.Domain, l.HTTP, l.Element}
	g, ok := ls.groups[k]
	if !ok {
		g = &LinkGroup{Form: l.Form, ID: l.ID, Domain: l.Domain, HTTP: l.HTTP, Element: l.Element}
		ls.groups[k] = g
		ls.order = append(ls.order, k)
	}
	g.Count++
	ls.Total++
	if len(g.Examples) < maxLinkExamples {
		g.Examples = append(g.Examples, l)
	}
}

// Merge adds every link group of o to ls.
func (ls *Links) Merge(o *Links) {
	if o == nil {
		return
	}
	for _, k := range o.order {
		og := o.groups[k]
		for _, ex := range og.Examples {
			ls.Add(ex)
		}
		if extra := og.Count - len(og.Examples); extra > 0 {
			ls.groups[k].Count += extra
			ls.Total += extra
		}
	}
}

// Groups returns the groups, largest first, then in the order first seen.
func (ls *Links) Groups() []*LinkGroup {
	if ls == nil {
		return nil
	}
	out := make([]*LinkGroup, 0, len(ls.order))
	for _, k := range ls.order {
		out = append(out, ls.groups[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// IDs counts the links by the Associate ID they carry (lower case), links
// with none under "".
func (ls *Links) IDs() map[string]int {
	out := map[string]int{}
	for _, g := range ls.Groups() {
		out[strings.ToLower(g.ID)] += g.Count
	}
	return out
}
