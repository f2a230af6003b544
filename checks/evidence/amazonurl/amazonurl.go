// Package amazonurl is the one URL classifier: it decodes a URL found in the
// evidence, tells whether it goes to Amazon, which marketplace, how it
// carries an Associate ID and which ID. Every reader that finds URLs (cart
// reports, link lists, store pages) uses it, so links are judged alike.
//
// The classifier is written for URLs as people paste them and as old mail and
// HTML carry them: wrapped in <...>, followed by a full stop, with &amp; for
// &, percent-encoded once or twice. It parses by hand rather than with
// net/url, because net/url refuses a whole URL over one bad escape and an
// evidence reader must still see the tag in it.
package amazonurl

import (
	"regexp"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Classify decodes and classifies one URL. It never fails: what is not a URL
// to Amazon is FormNotAmazon. src is kept on the link as its evidence.
func Classify(raw string, src store.Source) store.Link {
	l := store.Link{URL: raw, Form: store.FormNotAmazon, Source: src}
	u, ok := split(Clean(raw))
	if !ok {
		return l
	}
	l.Host, l.HTTP = u.host, u.scheme == "http"
	h := classifyHost(u.host)
	if h.kind == hostNotAmazon {
		return l
	}
	l.Domain = h.domain
	l.Form, l.ID = classifyPath(h, u)
	return l
}

// Clean strips what text and HTML put around and inside a URL: surrounding
// space, <...> or quotes, "URL:", trailing punctuation of the sentence it
// ends, and the HTML entities for "&". Readers use it to tell two mentions of
// one URL apart from two URLs.
func Clean(raw string) string {
	s := strings.TrimSpace(raw)
	for {
		before := s
		s = strings.TrimSpace(s)
		s = strings.TrimLeft(s, `<"'([`)
		if len(s) >= 4 && strings.EqualFold(s[:4], "url:") {
			s = s[4:] // RFC 1738's <URL:http://...>
		}
		s = trimTrailing(s)
		if s == before {
			break
		}
	}
	return unescapeAmp(s)
}

// trimTrailing drops one trailing character that ends a sentence or a wrapper
// rather than the URL. A ")" stays when it closes a "(" inside the URL, as in
// Wikipedia-style paths.
func trimTrailing(s string) string {
	if s == "" {
		return s
	}
	switch c := s[len(s)-1]; c {
	case '.', ',', ';', ':', '!', '?', '\'', '"', '>', ']', '*':
		return s[:len(s)-1]
	case ')':
		if strings.Count(s, "(") < strings.Count(s, ")") {
			return s[:len(s)-1]
		}
	}
	return s
}

// ampEntities are the spellings of "&" that HTML source puts in hrefs. Only
// these are decoded: a general HTML unescape would read "&region=" as
// "®ion=" (a legacy entity needs no semicolon).
var ampEntities = strings.NewReplacer("&amp;", "&", "&AMP;", "&", "&Amp;", "&", "&#38;", "&", "&#038;", "&", "&#x26;", "&", "&#X26;", "&")

func unescapeAmp(s string) string {
	for i := 0; i < 3 && strings.Contains(s, "&"); i++ { // &amp;amp; from HTML escaped twice
		t := ampEntities.Replace(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

// parts is a URL split by hand: the query is still encoded.
type parts struct {
	scheme string // lower case; "" when the URL had none (www.amazon.com/...)
	host   string // lower case, without user info, port or trailing dot
	path   string // as written
	query  string // after the first literal "?", as written
}

var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`)

// split takes a URL apart. Only http, https, protocol-relative and bare-host
// URLs (www.amazon.com/...) split; mailto:, javascript: and text do not.
func split(s string) (parts, bool) {
	var p parts
	if m := schemeRE.FindStringSubmatch(s); m != nil && !strings.Contains(m[1], ".") {
		p.scheme = strings.ToLower(m[1])
		if p.scheme != "http" && p.scheme != "https" {
			return p, false
		}
		s = s[len(m[0]):]
		// Tolerate the backslashes and missing slash of hand-typed URLs.
		s = strings.TrimLeft(s, `/\`)
	} else {
		s = strings.TrimPrefix(s, "//")
	}
	end := strings.IndexAny(s, `/?#\`)
	if end < 0 {
		end = len(s)
	}
	host, rest := s[:end], s[end:]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		// https://www.amazon.com@evil.example/ goes to evil.example.
		host = host[at+1:]
	}
	if c := strings.LastIndexByte(host, ':'); c >= 0 && allDigits(host[c+1:]) {
		host = host[:c]
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if !validHost(host) {
		return p, false
	}
	p.host = host
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	p.path, p.query = rest, ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		p.path, p.query = rest[:i], rest[i+1:]
	}
	p.path = strings.ReplaceAll(p.path, `\`, "/")
	return p, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validHost accepts DNS names only: letters, digits, hyphens and dots, at
// least two labels, none empty. Look-alikes in other scripts fail here.
func validHost(h string) bool {
	if h == "" || len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" {
			return false
		}
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// hostKind is what a host is for.
type hostKind int

const (
	hostNotAmazon hostKind = iota
	hostShop               // a marketplace's pages: www., smile., bare
	hostAPI                // webservices., ecs.amazonaws., xml-*.amznxslt.com
	hostOther              // Amazon's, but no page that credits a store: media, sign-in, short links
)

type hostInfo struct {
	kind   hostKind
	domain string // the marketplace domain, or Amazon's registered domain for hostOther
}

// marketplaces are Amazon's retail domains (and the country domains that
// redirect to one). A host matches one only at a label boundary, so
// www.amazon.com.au is amazon.com.au's and never amazon.com's.
var marketplaces = []string{
	"amazon.com.au", "amazon.com.br", "amazon.com.mx", "amazon.com.tr", "amazon.com.be",
	"amazon.co.uk", "amazon.co.jp", "amazon.co.za",
	"amazon.com", "amazon.ca", "amazon.de", "amazon.fr", "amazon.it", "amazon.es",
	"amazon.in", "amazon.nl", "amazon.se", "amazon.pl", "amazon.ae", "amazon.sa",
	"amazon.sg", "amazon.eg", "amazon.ie", "amazon.cn", "amazon.jp", "amazon.at",
}

// apiDomains maps the old API's own hosts to the marketplace they served.
var apiDomains = map[string]string{
	"amazonaws.com":   "amazon.com",
	"amazonaws.co.uk": "amazon.co.uk",
	"amazonaws.de":    "amazon.de",
	"amazonaws.fr":    "amazon.fr",
	"amazonaws.ca":    "amazon.ca",
	"amazonaws.jp":    "amazon.co.jp",
}

// xsltRegions maps the XSLT service's xml-<region>.amznxslt.com hosts.
var xsltRegions = map[string]string{
	"us": "amazon.com", "uk": "amazon.co.uk", "de": "amazon.de",
	"fr": "amazon.fr", "ca": "amazon.ca", "jp": "amazon.co.jp",
}

// otherDomains are Amazon's domains that serve no marketplace page: images,
// ad widgets and impression pixels, short links (which hide where they go,
// and so which ID, until followed).
var otherDomains = []string{
	"ssl-images-amazon.com", "images-amazon.com", "media-amazon.com",
	"amazon-adsystem.com", "assoc-amazon.com", "assoc-amazon.co.uk", "assoc-amazon.de",
	"assoc-amazon.fr", "assoc-amazon.ca", "assoc-amazon.jp",
	"amzn.to", "amzn.eu", "amzn.asia", "a.co",
}

// otherSubs are marketplace subdomains that are not shop pages: the
// Associates site and sign-in, Seller Central, media and widget servers.
var otherSubs = map[string]bool{
	"affiliate-program": true, "associates": true, "sellercentral": true,
	"sellercentral-europe": true, "vendorcentral": true, "images": true, "ecx": true,
	"g-ecx": true, "g-images": true, "z-ecx": true, "aws": true, "developer": true,
	"advertising": true, "payments": true, "pay": true, "kdp": true, "rcm": true,
	"ws": true, "ad": true,
}

// otherSubPrefixes catch the numbered and regional variants (rcm-uk, ws-na,
// fls-eu, images-na).
var otherSubPrefixes = []string{"rcm-", "ws-", "fls-", "images-", "aax-", "ecx-"}

func classifyHost(host string) hostInfo {
	for _, d := range marketplaces {
		sub, ok := under(host, d)
		if !ok {
			continue
		}
		first := sub
		if i := strings.LastIndexByte(sub, '.'); i >= 0 {
			first = sub[i+1:] // the label next to the domain decides
		}
		switch {
		case first == "webservices" || first == "ecs" || first == "xml":
			return hostInfo{hostAPI, d}
		case otherSubs[first] || hasAnyPrefix(first, otherSubPrefixes):
			return hostInfo{hostOther, d}
		}
		return hostInfo{hostShop, d}
	}
	if _, ok := under(host, "amzn.com"); ok {
		return hostInfo{hostShop, "amazon.com"} // amzn.com/ASIN is Amazon.com's own short form
	}
	for d, m := range apiDomains {
		if sub, ok := under(host, d); ok {
			if sub == "ecs" || strings.HasSuffix(sub, ".ecs") || strings.HasPrefix(sub, "webservices") {
				return hostInfo{hostAPI, m}
			}
			// Other amazonaws.com hosts (S3, EC2) serve anyone's content.
			return hostInfo{kind: hostNotAmazon}
		}
	}
	if sub, ok := under(host, "amznxslt.com"); ok {
		if m, ok := xsltRegions[strings.TrimPrefix(sub, "xml-")]; ok {
			return hostInfo{hostAPI, m}
		}
		return hostInfo{hostOther, "amznxslt.com"}
	}
	for _, d := range otherDomains {
		if _, ok := under(host, d); ok {
			return hostInfo{hostOther, d}
		}
	}
	return hostInfo{kind: hostNotAmazon}
}

// under reports whether host is domain or a subdomain of it, and the labels
// before it. amazon.com.evil.example and notamazon.com are not under
// amazon.com.
func under(host, domain string) (string, bool) {
	if host == domain {
		return "", true
	}
	if strings.HasSuffix(host, "."+domain) {
		return host[:len(host)-len(domain)-1], true
	}
	return "", false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// classifyPath decides the form from the path and the parameters of a URL on
// an Amazon host, and returns the ID it carries.
func classifyPath(h hostInfo, u parts) (store.LinkForm, string) {
	if h.kind == hostOther {
		return store.FormOtherAmazon, ""
	}
	path, ps := decodeParams(u)
	lp := strings.ToLower(path)
	switch {
	case strings.HasPrefix(lp, "/onca/") || strings.HasPrefix(lp, "/paapi5/"):
		// ECS 3 (xml.amazon.com/onca/xml3) took the tag as t=.
		id, _ := ps.get("associatetag", "partnertag", "tag", "t")
		return store.FormAPIRequest, id.value
	case h.kind == hostAPI:
		return store.FormOtherAmazon, "" // a WSDL or the service's home page
	case strings.HasPrefix(lp, "/gp/cart/aws-merge"):
		id, _ := ps.get("associateid", "associatetag")
		return store.FormCartMerge, id.value
	case strings.HasPrefix(lp, "/gp/aws/cart/add"):
		id, _ := ps.get("associatetag", "tag")
		return store.FormAddToCart, id.value
	case strings.Contains(lp, "/handle-buy-box"):
		// The Associates "buy box" form of the obidos era: tag-value=ID.
		id, _ := ps.get("tagvalue", "tag")
		return store.FormAddToCart, id.value
	}
	if id, ok := ps.get("tag"); ok {
		if id.encoded {
			return store.FormEncodedTag, id.value
		}
		return store.FormQueryTag, id.value
	}
	if id, ok := obidosTag(path); ok {
		return store.FormEncodedTag, id
	}
	if notShopPage(lp) {
		return store.FormOtherAmazon, ""
	}
	return store.FormProduct, ""
}

// notShopPage is true for paths on a shop host that are no page a store
// links to: sign-in, the Associates pages, static files.
func notShopPage(lp string) bool {
	for _, p := range []string{"/ap/", "/gp/associates", "/associates", "/gp/sign-in", "/gp/flex/sign-in", "/images/", "/favicon.ico", "/robots.txt"} {
		if strings.HasPrefix(lp, p) {
			return true
		}
	}
	for _, ext := range []string{".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".svg", ".wsdl", ".xsd"} {
		if strings.HasSuffix(lp, ext) {
			return true
		}
	}
	return false
}

var sessionID = regexp.MustCompile(`^\d{3}-\d{7}-\d{7}$`)

// obidosTag finds the ID in the path of a very old link:
// /exec/obidos/ASIN/B00005N5PF/TAG, /o/ASIN/B00005N5PF/ref=nosim/TAG,
// /exec/obidos/ISBN=0596000278/TAG, /exec/obidos/redirect-home/TAG.
func obidosTag(path string) (string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	i := 0
	switch {
	case len(segs) >= 2 && strings.EqualFold(segs[0], "exec") && strings.EqualFold(segs[1], "obidos"):
		i = 2
	case len(segs) >= 1 && strings.EqualFold(segs[0], "o"):
		i = 1
	default:
		return "", false
	}
	if i >= len(segs) {
		return "", false
	}
	switch s := strings.ToLower(segs[i]); {
	case s == "asin":
		i += 2 // past the ASIN
	case strings.HasPrefix(s, "isbn=") || s == "redirect-home":
		i++
	default:
		return "", false
	}
	for ; i < len(segs); i++ {
		s := segs[i]
		if s == "" || strings.Contains(s, "=") || sessionID.MatchString(s) {
			continue // ref=nosim, qid=..., a session ID: not the tag
		}
		return s, true
	}
	return "", false
}

// param is one query parameter's value, and whether it was hidden in an
// encoded part of the URL (where Amazon's Link Checker does not look).
type param struct {
	value   string
	encoded bool
}

// params are a URL's parameters by normalised name, literal ones first, so
// a plain ?tag= wins over one encoded in the path.
type params struct {
	names  []string
	values []param
}

// get returns the first non-empty value of the first of names present, or
// the first empty one when all are empty: "?tag=" is a tag left blank, which
// is worth telling from no tag at all.
func (ps params) get(names ...string) (param, bool) {
	var empty param
	found := false
	for i, n := range ps.names {
		for _, want := range names {
			if n != want {
				continue
			}
			if ps.values[i].value != "" {
				return ps.values[i], true
			}
			if !found {
				empty, found = ps.values[i], true
			}
		}
	}
	return empty, found
}

// parse adds the parameters of query q. A value that decodes to more
// parameters (cart-id=1%26associate-id%3DID, or a location=...%3Ftag%3DID
// of a redirect) has them added too, after all of q's own, as encoded ones.
func (ps *params) parse(q string, encoded bool) {
	var nested []string
	for _, kv := range strings.Split(q, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k = normName(unescape(k))
		if k == "" {
			continue
		}
		// Values may be encoded once more than their URL (a tag of
		// "gardenshop%252D20" in a link escaped twice).
		for i := 0; i < 2 && hasEscape(v); i++ {
			v = unescape(v)
		}
		if i := strings.IndexAny(v, "?&"); i >= 0 && strings.Contains(v[i:], "=") {
			nested = append(nested, v[i+1:])
			v = v[:i]
		}
		ps.names = append(ps.names, k)
		ps.values = append(ps.values, param{v, encoded})
	}
	// One level deep is all real links need; deeper nesting is not followed,
	// which also bounds the work on hostile input.
	for _, n := range nested {
		for _, kv := range strings.Split(n, "&") {
			k, v, ok := strings.Cut(kv, "=")
			if k = normName(unescape(k)); ok && k != "" {
				ps.names = append(ps.names, k)
				ps.values = append(ps.values, param{unescape(v), true})
			}
		}
	}
}

// normName folds a parameter name so Tag, associate-id, Associate_ID and
// AssociateTag match however a program spelled them.
func normName(k string) string {
	return nameFold.Replace(strings.ToLower(strings.TrimSpace(k)))
}

var nameFold = strings.NewReplacer("-", "", "_", "")

// decodeParams returns the decoded path and every parameter: the literal
// query's, then any query hidden in the path or in an encoded query by the
// old API's URL-encoding (%3F, %26, %3D; %253F when encoded twice).
func decodeParams(u parts) (string, params) {
	var ps params
	q := u.query
	if strings.Contains(q, "=") {
		ps.parse(q, false)
	} else if hasEscape(q) {
		// ?SubscriptionId%3DKEY%26tag%3DID: a query, but encoded.
		ps.parse(decodeUntil(q, "="), true)
	}
	path := decodeUntil(u.path, "?")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		ps.parse(path[i+1:], true)
		path = path[:i]
	}
	return path, ps
}

// decodeUntil percent-decodes s, at most three times, until sep appears in
// it; a link encoded once or twice (%3F, %253F) comes out with its "?".
func decodeUntil(s, sep string) string {
	for i := 0; i < 3 && !strings.Contains(s, sep) && hasEscape(s); i++ {
		s = unescape(s)
	}
	return s
}

func hasEscape(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' && isHex(s[i+1]) && isHex(s[i+2]) {
			return true
		}
	}
	return false
}

// unescape decodes every valid %XX and leaves anything else as written, so
// one stray "%" does not lose the rest of the URL. "+" stays "+": an ID is
// kept as written.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
