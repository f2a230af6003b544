// Package pages reads one page of an AOM store, saved from a browser or
// fetched live, and finds every URL on it that goes to Amazon: links, cart
// forms (with the hidden fields that carry the Associate ID), frames, images,
// scripts, meta refreshes and simple JavaScript redirects. Each URL goes
// through the one URL classifier, amazonurl, with the page, the line and a
// short CSS path of the element as its evidence. It also gives the crawler
// the links to follow on the store's own host.
//
// The reader only reads: it never judges the links it finds.
package pages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/aomdoctor/aomdoctor/checks/evidence/amazonurl"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// MaxSize is the largest page ReadPage reads. AOM's pages are tens of
// kilobytes; a page over this is not a store page worth judging, and the
// cap keeps memory flat when a server sends something endless.
const MaxSize = 5 << 20

// ErrTooLarge is the error of a page over MaxSize.
var ErrTooLarge = errors.New("larger than 5 MiB")

// The elements a link can come from, as Link.Element says them.
const (
	ElemA           = "a"
	ElemForm        = "form"
	ElemIframe      = "iframe"
	ElemImg         = "img"
	ElemScript      = "script"
	ElemMetaRefresh = "meta-refresh"
	ElemJSRedirect  = "js-redirect"
)

// Result is what one page shows.
type Result struct {
	// Links are the page's URLs to Amazon, classified, in document order.
	Links []store.Link
	// SameHost are the absolute http(s) URLs of the page's a[href] on the
	// base URL's host, without fragments and without repeats, in document
	// order: the pages a crawler may follow. Empty when base is nil.
	SameHost []string
	// Title is the page's title, with white space collapsed.
	Title string
	// IsStore is true when the page looks like an AOM store page: links or
	// forms to Amazon, links to AOM's shop.php pages, or a mention of
	// Associate-O-Matic (the "Powered by" footer or a generator meta).
	IsStore bool
	// StoreLinks counts the links and forms to AOM's own shop.php pages.
	StoreLinks int
}

// AmazonLinks counts the links that could carry an Associate ID: Amazon
// links other than help pages, images and widgets.
func (r Result) AmazonLinks() int {
	n := 0
	for _, l := range r.Links {
		if l.Form != store.FormOtherAmazon && l.Form != store.FormNotAmazon {
			n++
		}
	}
	return n
}

// ReadPage reads one HTML page named name (a file or a URL, for evidence).
// base is the page's URL, against which relative URLs are resolved; nil for
// a page saved from a browser, whose relative URLs are then passed over (a
// browser's "Save Page As" writes the links that matter as absolute URLs).
func ReadPage(name string, base *url.URL, r io.Reader) (Result, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Result{}, err
	}
	if len(src) > MaxSize {
		return Result{}, ErrTooLarge
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(src))
	if err != nil {
		return Result{}, fmt.Errorf("not readable as HTML: %w", err)
	}
	p := &page{name: name, base: base, src: src, lines: newlines(src), seenHost: map[string]bool{}, css: newCSSPaths()}
	if b, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if u := p.resolve(b); u != nil {
			p.base = u
		}
	}
	p.res.Title = strings.Join(strings.Fields(doc.Find("title").First().Text()), " ")
	doc.Find("a[href], form, iframe[src], img[src], script, meta[http-equiv]").Each(func(_ int, s *goquery.Selection) {
		p.element(s)
	})
	lower := bytes.ToLower(src)
	p.res.IsStore = p.res.AmazonLinks() > 0 || p.res.StoreLinks > 0 || bytes.Contains(lower, []byte("associate-o-matic"))
	return p.res, nil
}

type page struct {
	name     string
	base     *url.URL
	src      []byte
	lines    []int
	cursor   int // where the last element was found in src
	res      Result
	seenHost map[string]bool
	css      *cssPaths
}

func (p *page) element(s *goquery.Selection) {
	n := s.Get(0)
	switch n.Data {
	case "a":
		href := strings.TrimSpace(s.AttrOr("href", ""))
		p.sameHost(href)
		if isShopLink(href) {
			p.res.StoreLinks++
		}
		p.add(href, href, ElemA, n)
	case "form":
		action := strings.TrimSpace(s.AttrOr("action", ""))
		if isShopLink(action) {
			p.res.StoreLinks++
		}
		if action == "" {
			return // submits to the page itself, which is not Amazon
		}
		p.add(formURL(s, action), action, ElemForm, n)
	case "iframe", "img":
		src := strings.TrimSpace(s.AttrOr("src", ""))
		p.add(src, src, n.Data, n)
	case "script":
		if src, ok := s.Attr("src"); ok {
			src = strings.TrimSpace(src)
			p.add(src, src, ElemScript, n)
			return
		}
		for _, u := range jsRedirects(s.Text()) {
			p.add(u, u, ElemJSRedirect, n)
		}
	case "meta":
		if !strings.EqualFold(strings.TrimSpace(s.AttrOr("http-equiv", "")), "refresh") {
			return
		}
		if u := refreshURL(s.AttrOr("content", "")); u != "" {
			p.add(u, u, ElemMetaRefresh, n)
		}
	}
}

// add classifies raw (made absolute) and keeps it when it goes to Amazon;
// find is the text to look for in the page's source for the line.
func (p *page) add(raw, find, elem string, n *html.Node) {
	abs := p.absolute(raw)
	if abs == "" {
		return
	}
	l := amazonurl.Classify(abs, store.Source{})
	if l.Form == store.FormNotAmazon {
		return
	}
	l.Element = elem
	l.Source = store.Source{Path: p.name, Line: p.line(find), Field: p.css.path(n)}
	p.res.Links = append(p.res.Links, l)
}

// absolute makes raw an absolute URL: as it is when it has an http(s)
// scheme, resolved against the base otherwise; "" when it cannot be.
func (p *page) absolute(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if hasHTTPScheme(raw) {
		return raw // as written: the classifier reads what net/url refuses
	}
	if strings.HasPrefix(raw, "//") && p.base == nil {
		// A protocol-relative URL on a saved page: the store served it
		// over https or http; https is today's norm.
		return "https:" + raw
	}
	if u := p.resolve(raw); u != nil && (u.Scheme == "http" || u.Scheme == "https") {
		return u.String()
	}
	return ""
}

func (p *page) resolve(raw string) *url.URL {
	if p.base == nil {
		return nil
	}
	u, err := p.base.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil
	}
	return u
}

func hasHTTPScheme(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// sameHost keeps href when it is a page on the base's host.
func (p *page) sameHost(href string) {
	if p.base == nil || href == "" {
		return
	}
	u, err := p.base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, p.base.Host) {
		return
	}
	u.Fragment, u.RawFragment = "", ""
	s := u.String()
	if !p.seenHost[s] {
		p.seenHost[s] = true
		p.res.SameHost = append(p.res.SameHost, s)
	}
}

// isShopLink tells AOM's own store links: shop.php with a query (category,
// item and cart pages).
func isShopLink(href string) bool {
	path, query, ok := strings.Cut(href, "?")
	if !ok || query == "" {
		return false
	}
	path, _, _ = strings.Cut(path, "#")
	return strings.HasSuffix(strings.ToLower(path), "shop.php")
}

// formURL is the URL a form submits: its action with the values of its
// fields as the query, which is where Amazon's add-to-cart page reads
// AssociateTag, ASIN.n and Quantity.n from, sent by GET or POST alike. A
// GET form replaces the action's own query with its fields, as browsers do,
// so a tag written only in a GET form's action is lost, as it is for real.
func formURL(form *goquery.Selection, action string) string {
	var q []string
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		var val string
		switch goquery.NodeName(in) {
		case "select":
			opt := in.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = in.Find("option").First()
			}
			val = opt.AttrOr("value", strings.TrimSpace(opt.Text()))
		case "textarea":
			val = in.Text()
		default:
			switch strings.ToLower(strings.TrimSpace(in.AttrOr("type", "text"))) {
			case "submit", "button", "reset", "image", "file":
				return
			case "checkbox", "radio":
				if _, ok := in.Attr("checked"); !ok {
					return
				}
				val = in.AttrOr("value", "on")
			default:
				val = in.AttrOr("value", "")
			}
		}
		q = append(q, url.QueryEscape(name)+"="+url.QueryEscape(val))
	})
	u, _, _ := strings.Cut(action, "#")
	if !strings.EqualFold(strings.TrimSpace(form.AttrOr("method", "get")), "post") {
		u, _, _ = strings.Cut(u, "?")
	}
	if len(q) == 0 {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + strings.Join(q, "&")
}

// refreshURL takes the URL of a meta refresh's content, "0;url=...".
func refreshURL(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		rest, ok = strings.CutPrefix(strings.TrimSpace(content), ",")
		if !ok {
			return ""
		}
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		rest = strings.TrimSpace(rest[3:])
		var found bool
		if rest, found = strings.CutPrefix(rest, "="); !found {
			return ""
		}
		rest = strings.TrimSpace(rest)
	}
	return strings.Trim(rest, `"' `)
}

// jsRedirect finds the simple redirects of inline scripts: location = '...',
// location.href = "...", window.location = ..., document.location = ...,
// location.replace('...') and location.assign('...'). Anything computed is
// beyond a reader that does not run scripts.
var jsRedirect = regexp.MustCompile(`\blocation(?:\.href\s*=\s*|\s*=\s*|\.(?:replace|assign)\s*\(\s*)(?:"([^"\r\n]*)"|'([^'\r\n]*)')`)

func jsRedirects(script string) []string {
	var out []string
	for _, m := range jsRedirect.FindAllStringSubmatch(script, 100) {
		u := m[1] + m[2]
		if u != "" {
			out = append(out, strings.ReplaceAll(u, `\/`, "/"))
		}
	}
	return out
}

// newlines returns the offsets of the newlines of src.
func newlines(src []byte) []int {
	var out []int
	for i, c := range src {
		if c == '\n' {
			out = append(out, i)
		}
	}
	return out
}

// line finds, best effort, the line of the element whose URL is v: the
// first mention of v's start at or after the element before it, else
// anywhere; 0 when v is not found as written (entities, other quoting).
func (p *page) line(v string) int {
	key := v
	if i := strings.IndexAny(key, "&\"'<>"); i >= 0 {
		key = key[:i]
	}
	if len(key) > 60 {
		key = key[:60]
	}
	if len(key) < 4 {
		return 0
	}
	at := -1
	if i := bytes.Index(p.src[p.cursor:], []byte(key)); i >= 0 {
		at = p.cursor + i
	} else if i := bytes.Index(p.src, []byte(key)); i >= 0 {
		at = i
	}
	if at < 0 {
		return 0
	}
	p.cursor = at + len(key)
	return sort.SearchInts(p.lines, at) + 1
}

// cssPaths makes short CSS paths of elements: tag#id when the element has
// an id, else its parent's tag with its id or first class, then the
// element's tag, with :nth-of-type when its parent has several of them:
// "form#cart-form", "div.item > a:nth-of-type(2)".
type cssPaths struct {
	nth   map[*html.Node]int // an element's place among its parent's children of its tag
	count map[*html.Node]int // how many children of its tag its parent has
	done  map[*html.Node]bool
}

func newCSSPaths() *cssPaths {
	return &cssPaths{nth: map[*html.Node]int{}, count: map[*html.Node]int{}, done: map[*html.Node]bool{}}
}

func (c *cssPaths) path(n *html.Node) string {
	if id := attr(n, "id"); id != "" && !strings.ContainsAny(id, " \t\n") {
		return n.Data + "#" + id
	}
	self := n.Data
	if par := n.Parent; par != nil && par.Type == html.ElementNode {
		c.index(par)
		if c.count[n] > 1 {
			self += fmt.Sprintf(":nth-of-type(%d)", c.nth[n])
		}
		return describe(par) + " > " + self
	}
	return self
}

// index numbers the element children of par by tag, once per parent, so a
// page of many links costs one pass.
func (c *cssPaths) index(par *html.Node) {
	if c.done[par] {
		return
	}
	c.done[par] = true
	seen := map[string]int{}
	var kids []*html.Node
	for k := par.FirstChild; k != nil; k = k.NextSibling {
		if k.Type == html.ElementNode {
			seen[k.Data]++
			c.nth[k] = seen[k.Data]
			kids = append(kids, k)
		}
	}
	for _, k := range kids {
		c.count[k] = seen[k.Data]
	}
}

func describe(n *html.Node) string {
	if id := attr(n, "id"); id != "" && !strings.ContainsAny(id, " \t\n") {
		return n.Data + "#" + id
	}
	if f := strings.Fields(attr(n, "class")); len(f) > 0 {
		return n.Data + "." + f[0]
	}
	return n.Data
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}
