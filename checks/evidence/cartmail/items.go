package cartmail

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/aomdoctor/aomdoctor/checks/evidence/amazonurl"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The layout of AOM's cart-report email is not documented (DOMAIN.md), so
// items are found by what any layout must show: an ASIN, and near it the
// title, quantity and price. Four layouts are read:
//
//   - blocks: a title line ("1. Fiskars Bow Saw") then a line of fields
//     ("ASIN: B00002N5Z2   Qty: 1   Price: $17.99"), or one "Label: value"
//     line per field;
//   - one line per item: "2 x Fiskars Bow Saw (B00002N5Z2) @ $17.99";
//   - tables with a header row (ASIN, Title/Item, Qty, Price), in text
//     (columns split by tabs, "|" or two spaces) or HTML (rendered to tabs);
//   - the cart URLs themselves: add.html's ASIN.n/Quantity.n and the API's
//     Item.n.ASIN/Item.n.Quantity.
//
// Product links (/dp/ASIN) count as an item's ASIN when no line names one.

var (
	asinShape    = regexp.MustCompile(`^(?:B0[0-9A-Z]{8}|[0-9]{9}[0-9X])$`)
	labelledASIN = regexp.MustCompile(`(?i)\b(?:asin|isbn(?:-?10)?)\s*[:#=]?\s*([0-9a-z]{10})\b`)
	bareASIN     = regexp.MustCompile(`\bB0[0-9A-Z]{8}\b`)
	bracketedURL = regexp.MustCompile(`<\s*(?:https?://|www\.)[^>]*>`)
	urlASIN      = regexp.MustCompile(`(?i)/(?:dp|gp/product|o/asin|exec/obidos/asin|gp/aw/d|exec/obidos/tg/detail/-|product-reviews)/([0-9a-z]{10})(?:[/?&#%.;]|$)`)
	urlASINParam = regexp.MustCompile(`(?i)[?&]asin=([0-9a-z]{10})(?:[&#]|$)`)

	// The pairs a cart URL lists its items in.
	cartASINParam = regexp.MustCompile(`(?i)[?&](?:asin\.(\d{1,3})|item\.(\d{1,3})\.asin)=([0-9a-z]{10})`)
	cartQtyParam  = regexp.MustCompile(`(?i)[?&](?:quantity\.(\d{1,3})|item\.(\d{1,3})\.quantity)=(\d{1,4})`)
	buyBoxParam   = regexp.MustCompile(`(?i)[?&]asin\.([0-9a-z]{10})=(\d{1,4})`)

	qtyLabelled = regexp.MustCompile(`(?i)\b(?:qty|quantity|quant|menge|anzahl|quantité|quantite|cantidad|quantità|quantita|aantal)\.?\s*[:=#]?\s*(\d{1,4})\b`)
	qtyX        = regexp.MustCompile(`(?i)(?:^|[\s(\[])[x×](\d{1,4})\b`)
	qtyXEnd     = regexp.MustCompile(`(?i)\s[x×]\s(\d{1,4})\s*[)\]]?\s*$`)
	qtyLead     = regexp.MustCompile(`(?i)^(\d{1,4})\s?[x×]\s+`)

	markerRE = regexp.MustCompile(`(?i)^\s*(?:#?\d{1,3}[.):]|\(\d{1,3}\)|[-*•·]|item\s*#?\s*\d{1,3}\s*[:.)-]?)(?:\s+|$)`)
	labelRE  = regexp.MustCompile(`^\s*([\pL][\pL0-9 #/.()'-]{0,30}?)\s*:\s*(.*)$`)
	quoteRE  = regexp.MustCompile(`^(?:[ \t]*>)+ ?`)
)

const (
	amount       = `\d(?:[\d,.]*\d)?`
	currencySym  = `(?:US\$|CDN\$|CA\$|C\$|AU\$|A\$|R\$|MX\$|\$|£|€|¥|￥|₹)`
	currencyCode = `(?:USD|CAD|AUD|GBP|EUR|JPY|INR|MXN|BRL|CHF|SEK|PLN|Rs\.?)`
	priceAlt     = currencySym + `\s?` + amount + `|\b` + currencyCode + `\s?` + amount + `|` + amount + `\s?(?:€|` + currencyCode + `\b)`
)

var (
	priceRE = regexp.MustCompile(`(?:` + priceAlt + `)`)
	// priceInTitle is a price as a one-line item writes it: "@ $13.99 each".
	priceInTitle  = regexp.MustCompile(`(?:@\s*)?(?:` + priceAlt + `)(?:\s*(?i:each|ea\.?|/\s*ea(?:ch)?)\b)?`)
	priceLabelled = regexp.MustCompile(`\b(?i:price|unit price|item price|our price|each|price each|preis|prix|precio|prezzo|prijs)\s*[:=]?\s*(` + priceAlt + `|` + amount + `)`)
)

// Column and field labels, lower case.
var (
	asinLabels  = set("asin", "isbn", "isbn-10", "isbn10", "asin/isbn", "asin / isbn")
	qtyLabels   = set("qty", "quantity", "quant", "menge", "anzahl", "quantité", "quantite", "cantidad", "quantità", "aantal")
	titleLabels = set("title", "item", "items", "item name", "product", "products", "product name", "name", "description", "artikel", "article", "produit", "titre", "producto", "prodotto")
	priceLabels = set("price", "unit price", "item price", "our price", "each", "price each", "preis", "prix", "precio", "prezzo", "prijs")
	// Labels of report lines that are never an item's title.
	otherLabels = set("date", "time", "sent", "from", "to", "cc", "subject", "reply-to", "visitor", "visitor ip",
		"ip", "ip address", "remote ip", "user agent", "browser", "referrer", "referer", "store", "site", "website",
		"shop", "cart", "amazon cart", "cart id", "cart url", "purchase url", "url", "link", "total", "subtotal",
		"cart subtotal", "cart total", "order", "session", "tracking id", "associate id", "tag", "email", "e-mail")
)

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// hasURL is a cheap test before a URL scan: most lines hold no URL.
func hasURL(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.Contains(s, "WWW.")
}

// urlSpans calls fn with the start and end of every URL in s: from
// "http://", "https://" or "www." (any case) to the first character that
// text never holds in a URL. A hand-written scan: a pattern for this costs
// more than everything else a message needs.
func urlSpans(s string, fn func(start, end int)) {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c != 'h' && c != 'w' {
			continue
		}
		n := 0
		switch {
		case hasPrefixFold(s[i:], "http://"):
			n = 7
		case hasPrefixFold(s[i:], "https://"):
			n = 8
		case hasPrefixFold(s[i:], "www."):
			n = 4
		default:
			continue
		}
		j := i + n
		for j < len(s) && !urlStop(s[j]) {
			j++
		}
		if j > i+n {
			fn(i, j)
			i = j - 1
		}
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// urlStop reports whether c ends a URL in text: white space, brackets and
// quotes around it, and characters a URL must escape.
func urlStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '<', '>', '"', '\'', '`', '{', '}', '|', '\\', '^':
		return true
	}
	return false
}

// findURLs returns the URLs in s.
func findURLs(s string) []string {
	var out []string
	if hasURL(s) {
		urlSpans(s, func(i, j int) { out = append(out, s[i:j]) })
	}
	return out
}

// stripURLs blanks out the URLs of s, so their digits and letters are not
// taken for an ASIN, a quantity or a price.
func stripURLs(s string) string {
	if !hasURL(s) {
		return s
	}
	var b strings.Builder
	last := 0
	urlSpans(s, func(i, j int) {
		b.WriteString(s[last:i])
		b.WriteByte(' ')
		last = j
	})
	b.WriteString(s[last:])
	return b.String()
}

// mayBeMarker is a cheap test before markerRE runs: a marker starts with a
// digit, "#", "(", a bullet or "item".
func mayBeMarker(l string) bool {
	t := strings.TrimLeft(l, " \t")
	if t == "" {
		return false
	}
	switch c := t[0]; {
	case c >= '0' && c <= '9', c == '#', c == '(', c == '-', c == '*':
		return true
	case c >= 0x80:
		return strings.HasPrefix(t, "•") || strings.HasPrefix(t, "·")
	}
	return hasPrefixFold(t, "item")
}

func isMarker(l string) bool { return mayBeMarker(l) && markerRE.MatchString(l) }

func stripMarker(l string) string {
	if !mayBeMarker(l) {
		return l
	}
	return markerRE.ReplaceAllString(l, "")
}

// unquote drops the "> " of quoted (replied or forwarded) lines.
func unquote(l string) string {
	if !strings.Contains(l, ">") {
		return l
	}
	return quoteRE.ReplaceAllString(l, "")
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// hasCurrency is a cheap test before the price patterns run.
func hasCurrency(s string) bool {
	if strings.ContainsAny(s, "$£€¥￥₹") {
		return true
	}
	for _, c := range []string{"USD", "CAD", "AUD", "GBP", "EUR", "JPY", "INR", "MXN", "BRL", "CHF", "SEK", "PLN", "Rs"} {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

var (
	priceWords = []string{"price", "each", "preis", "prix", "precio", "prezzo", "prijs"}
	qtyWords   = []string{"qty", "quant", "menge", "anzahl", "cantidad", "aantal"}
)

// hasWord reports whether s holds any of words (lower case), ignoring
// case: a cheap test before a labelled pattern runs.
func hasWord(s string, words []string) bool {
	l := strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func hasX(s string) bool { return strings.ContainsAny(s, "xX×") }

// mentionsASIN is a cheap test before the labelled-ASIN pattern runs.
func mentionsASIN(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		switch s[i] | 0x20 {
		case 'a':
			if strings.EqualFold(s[i:i+4], "asin") {
				return true
			}
		case 'i':
			if strings.EqualFold(s[i:i+4], "isbn") {
				return true
			}
		}
	}
	return false
}

// items collects a message's items, one per ASIN: AOM's cart holds each
// item once with its quantity, so a second mention (the HTML part, a link)
// only fills what the first lacked.
type items struct {
	list  []store.CartItem
	index map[string]int
}

func (is *items) add(it store.CartItem) {
	it.ASIN = strings.ToUpper(it.ASIN)
	if is.index == nil {
		is.index = map[string]int{}
	}
	i, ok := is.index[it.ASIN]
	if !ok {
		is.index[it.ASIN] = len(is.list)
		is.list = append(is.list, it)
		return
	}
	have := &is.list[i]
	if have.Title == "" {
		have.Title = it.Title
	}
	if have.Qty == 0 {
		have.Qty = it.Qty
	}
	if have.Price == "" {
		have.Price = it.Price
	}
}

// parseItems reads the items of one text body.
func parseItems(text string) []store.CartItem {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		// Quoted (replied or forwarded) lines read as their text.
		lines[i] = strings.TrimRight(unquote(l), " \t\r")
	}
	var is items
	var block []string
	flush := func() {
		parseBlock(&is, block)
		block = block[:0]
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		if cols, sep, ok := tableHeader(l); ok {
			flush()
			i = parseTable(&is, lines, i+1, cols, sep) - 1
			continue
		}
		if isMarker(l) {
			flush()
		}
		block = append(block, l)
	}
	flush()
	return is.list
}

// lineASINs returns the distinct ASINs a line names: labelled ones
// ("ASIN: ..."), bare B0 ASINs outside URLs, and, when it names none, the
// ASIN of a product link in it.
func lineASINs(line string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		a = strings.ToUpper(a)
		if asinShape.MatchString(a) && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	if !hasDigit(line) {
		return nil // every ASIN has a digit: B0..., or an ISBN
	}
	noURLs := stripURLs(line)
	if mentionsASIN(noURLs) {
		for _, m := range labelledASIN.FindAllStringSubmatch(noURLs, -1) {
			add(m[1])
		}
	}
	if strings.Contains(noURLs, "B0") {
		for _, m := range bareASIN.FindAllString(noURLs, -1) {
			add(m)
		}
	}
	if len(out) > 0 || !hasURL(line) {
		return out
	}
	for _, u := range findURLs(line) {
		if a := productASIN(u); a != "" {
			add(a)
		}
	}
	return out
}

// productASIN is the ASIN of a link to one Amazon product; "" for cart and
// API URLs (whose items are read from their parameters) and other links.
func productASIN(u string) string {
	d := unescapeTwice(amazonurl.Clean(u))
	var asin string
	if m := urlASIN.FindStringSubmatch(d); m != nil {
		asin = strings.ToUpper(m[1])
	} else if m := urlASINParam.FindStringSubmatch(d); m != nil {
		asin = strings.ToUpper(m[1])
	}
	if !asinShape.MatchString(asin) {
		return ""
	}
	switch amazonurl.Classify(u, store.Source{}).Form {
	case store.FormQueryTag, store.FormEncodedTag, store.FormProduct:
		return asin
	}
	return ""
}

// cartURLItems reads the items a cart URL lists: add.html's ASIN.n and
// Quantity.n, the API's Item.n.ASIN and Item.n.Quantity, the buy box's
// asin.ASIN=qty.
func cartURLItems(is *items, l store.Link) {
	switch l.Form {
	case store.FormAddToCart, store.FormAPIRequest:
	default:
		return
	}
	d := unescapeTwice(amazonurl.Clean(l.URL))
	asins := map[int]string{}
	qtys := map[int]int{}
	for _, m := range cartASINParam.FindAllStringSubmatch(d, -1) {
		n, _ := strconv.Atoi(m[1] + m[2])
		asins[n] = m[3]
	}
	for _, m := range cartQtyParam.FindAllStringSubmatch(d, -1) {
		n, _ := strconv.Atoi(m[1] + m[2])
		qtys[n], _ = strconv.Atoi(m[3])
	}
	ns := make([]int, 0, len(asins))
	for n := range asins {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	for _, n := range ns {
		if a := strings.ToUpper(asins[n]); asinShape.MatchString(a) {
			is.add(store.CartItem{ASIN: a, Qty: qtys[n]})
		}
	}
	for _, m := range buyBoxParam.FindAllStringSubmatch(d, -1) {
		if a := strings.ToUpper(m[1]); asinShape.MatchString(a) {
			q, _ := strconv.Atoi(m[2])
			is.add(store.CartItem{ASIN: a, Qty: q})
		}
	}
}

func unescapeTwice(s string) string {
	for i := 0; i < 2 && strings.Contains(s, "%"); i++ {
		s = pctDecode(s)
	}
	return s
}

// pctDecode decodes valid %XX escapes and leaves the rest as written.
func pctDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// lineKind is what a line of a block says.
type lineKind int

const (
	lineText          lineKind = iota // free text: maybe an item's title
	lineLabelledTitle                 // "Title: ..."
	lineField                         // "Qty: 2", "Price: $17.99": read by the field patterns
	lineOther                         // "Visitor IP: ...", a heading, a bare URL: no part of an item
)

// classifyLine tells a line's kind, and for lineLabelledTitle the title.
func classifyLine(l string) (lineKind, string) {
	if strings.Contains(l, ":") {
		if m := labelRE.FindStringSubmatch(l); m != nil {
			label := strings.ToLower(strings.TrimSpace(m[1]))
			switch {
			case titleLabels[label]:
				return lineLabelledTitle, cleanTitle(m[2])
			case qtyLabels[label] || priceLabels[label] || asinLabels[label]:
				return lineField, ""
			case otherLabels[label] || letters(stripURLs(m[2])) < 3:
				return lineOther, ""
			}
		}
	}
	t := strings.TrimSpace(l)
	if strings.HasSuffix(t, ":") || len(t) > 300 || letters(stripURLs(t)) < 3 {
		return lineOther, "" // a heading ("Items:"), a URL, a rule of dashes
	}
	return lineText, ""
}

// parseBlock reads the items of a block of lines (between blank lines or
// item markers). Each line naming one ASIN anchors an item; the lines
// around it fill in what it lacks.
func parseBlock(is *items, block []string) {
	type anchor struct {
		line int
		item store.CartItem
	}
	var anchors []anchor
	for i, l := range block {
		asins := lineASINs(l)
		switch len(asins) {
		case 0:
			continue
		case 1:
			anchors = append(anchors, anchor{i, store.CartItem{
				ASIN: asins[0], Title: lineTitle(l), Qty: lineQty(l), Price: linePrice(l),
			}})
		default:
			// "ASINs: B0..., B0...": several items, nothing else sure.
			for _, a := range asins {
				anchors = append(anchors, anchor{i, store.CartItem{ASIN: a}})
			}
		}
	}
	if len(anchors) == 0 {
		return
	}
	// Lines between two anchors fill the earlier item's gaps until one
	// states a field the earlier item already has (a second "Title:"): from
	// there on they belong to the next item. Lines above the first anchor
	// belong to it.
	k, toNext := -1, false
	for i, l := range block {
		for k+1 < len(anchors) && anchors[k+1].line <= i {
			k, toNext = k+1, false
		}
		if k >= 0 && anchors[k].line == i {
			continue
		}
		kind, title := classifyLine(l)
		if kind != lineLabelledTitle && kind != lineField {
			continue
		}
		qty, price := lineQty(l), linePrice(l)
		target := k
		switch {
		case k < 0:
			target = 0
		case k+1 >= len(anchors):
		case toNext:
			target = k + 1
		default:
			if it := anchors[k].item; title != "" && it.Title != "" || qty != 0 && it.Qty != 0 || price != "" && it.Price != "" {
				toNext, target = true, k+1
			}
		}
		it := &anchors[target].item
		if it.Title == "" {
			it.Title = title
		}
		if it.Qty == 0 {
			it.Qty = qty
		}
		if it.Price == "" {
			it.Price = price
		}
	}
	// An item with no title takes the nearest free-text line above it
	// ("1. Fiskars 9163 Steel Bow Saw" over its fields line).
	for j := range anchors {
		a := &anchors[j]
		if a.item.Title != "" {
			continue
		}
		for i, seen := a.line-1, 0; i >= 0 && seen < 3; i-- {
			if j > 0 && i <= anchors[j-1].line {
				break
			}
			if strings.TrimSpace(block[i]) == "" {
				continue
			}
			seen++
			if kind, _ := classifyLine(block[i]); kind == lineText {
				a.item.Title = lineTitle(block[i])
				break
			}
		}
	}
	for _, a := range anchors {
		is.add(a.item)
	}
}

// tableHeader recognises the header row of an items table and returns the
// column of each field it names: a row of two or more cells, one of them
// ASIN or Title/Item, one more of ASIN, Qty or Price.
func tableHeader(l string) (map[string]int, byte, bool) {
	if !strings.Contains(l, "\t") && !strings.Contains(l, "  ") && strings.Count(l, "|") < 2 {
		return nil, 0, false // no columns
	}
	cells, sep := splitCells(l)
	if len(cells) < 2 {
		return nil, 0, false
	}
	cols := map[string]int{}
	for i, c := range cells {
		c = strings.ToLower(strings.Trim(strings.TrimSpace(c), ":.#*"))
		c = strings.TrimSpace(c)
		var role string
		switch {
		case asinLabels[c]:
			role = "asin"
		case qtyLabels[c] || c == "qty." || c == "#":
			role = "qty"
		case titleLabels[c]:
			role = "title"
		case priceLabels[c]:
			role = "price"
		default:
			continue
		}
		if _, dup := cols[role]; !dup {
			cols[role] = i
		}
	}
	_, hasASIN := cols["asin"]
	_, hasTitle := cols["title"]
	_, hasQty := cols["qty"]
	_, hasPrice := cols["price"]
	ok := (hasASIN || hasTitle) && len(cols) >= 2 && (hasASIN || hasQty || hasPrice) && len(lineASINs(l)) == 0
	return cols, sep, ok
}

// splitCells splits a table row: by tabs, by "|" (with or without border
// pipes), else by runs of two or more spaces.
func splitCells(l string) ([]string, byte) {
	var cells []string
	var sep byte
	switch {
	case strings.Contains(l, "\t"):
		cells, sep = strings.Split(l, "\t"), '\t'
	case strings.Count(l, "|") >= 2:
		t := strings.TrimSpace(l)
		t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
		cells, sep = strings.Split(t, "|"), '|'
	default:
		cells, sep = multiSpace.Split(strings.TrimSpace(l), -1), ' '
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells, sep
}

var (
	multiSpace = regexp.MustCompile(`\s{2,}`)
	ruleCells  = regexp.MustCompile(`^[-=+:|\s]*$`)
)

// parseTable reads the rows after a table header, up to the first blank
// line or the first line that is not a row split the same way, and returns
// the index of the line after the table.
func parseTable(is *items, lines []string, i int, cols map[string]int, sep byte) int {
	cell := func(cells []string, role string) string {
		if c, ok := cols[role]; ok && c < len(cells) {
			return cells[c]
		}
		return ""
	}
	for ; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			break
		}
		if ruleCells.MatchString(l) {
			continue // ------ under the header
		}
		cells, s := splitCells(l)
		if s != sep || len(cells) < 2 {
			break
		}
		var it store.CartItem
		for _, f := range strings.Fields(strings.ToUpper(cell(cells, "asin"))) {
			if f = strings.Trim(f, "()[]#:,"); asinShape.MatchString(f) {
				it.ASIN = f
				break
			}
		}
		if it.ASIN == "" {
			if asins := lineASINs(l); len(asins) == 1 {
				it.ASIN = asins[0]
			}
		}
		if it.ASIN == "" {
			continue // a subtotal row, a shipping row
		}
		if n := firstInt(cell(cells, "qty")); n > 0 {
			it.Qty = n
		} else {
			it.Qty = lineQty(l)
		}
		if p := strings.TrimSpace(cell(cells, "price")); strings.ContainsAny(p, "0123456789") {
			it.Price = p
		} else {
			it.Price = linePrice(l)
		}
		if t, ok := cols["title"]; ok && t < len(cells) {
			it.Title = cleanTitle(cells[t])
		} else {
			for c, v := range cells {
				if c != cols["asin"] && letters(v) >= 3 && len(v) > len(it.Title) {
					it.Title = cleanTitle(v)
				}
			}
		}
		is.add(it)
	}
	return i
}

var firstIntRE = regexp.MustCompile(`\d{1,4}`)

func firstInt(s string) int {
	n, _ := strconv.Atoi(firstIntRE.FindString(s))
	return n
}

// lineQty is the quantity a line states: "Qty: 2", "Quantity 2", "x2",
// "... x 2" at its end, "2 x Title" at its start; 0 when none.
func lineQty(l string) int {
	if !hasDigit(l) {
		return 0
	}
	noURLs := stripURLs(l)
	if hasWord(noURLs, qtyWords) {
		if m := qtyLabelled.FindStringSubmatch(noURLs); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	if !hasX(noURLs) {
		return 0
	}
	for _, re := range []*regexp.Regexp{qtyX, qtyXEnd} {
		if m := re.FindStringSubmatch(noURLs); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	if m := qtyLead.FindStringSubmatch(stripMarker(noURLs)); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// linePrice is the price a line states, as written: the labelled one
// ("Price: $17.99") before any other amount.
func linePrice(l string) string {
	if !hasDigit(l) {
		return ""
	}
	noURLs := stripURLs(l)
	if hasWord(noURLs, priceWords) {
		if m := priceLabelled.FindStringSubmatch(noURLs); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	if !hasCurrency(noURLs) {
		return ""
	}
	return strings.TrimSpace(priceRE.FindString(noURLs))
}

// lineTitle is what is left of a line once its marker, ASIN, quantity,
// price and URLs are taken out: the title, when three letters or more.
func lineTitle(l string) string {
	s := stripMarker(l)
	if strings.Contains(s, ":") {
		if m := labelRE.FindStringSubmatch(s); m != nil && titleLabels[strings.ToLower(strings.TrimSpace(m[1]))] {
			s = m[2]
		}
	}
	if hasX(s) {
		s = qtyLead.ReplaceAllString(s, "")
	}
	return cleanTitle(s)
}

var (
	emptyBrackets = regexp.MustCompile(`\(\s*\)|\[\s*\]`)
	asinLabelOnly = regexp.MustCompile(`(?i)\b(?:asin|isbn)\s*[:#=]?\s*$`)
)

// cleanTitle takes URLs, ASINs, quantities and prices out of a title.
func cleanTitle(s string) string {
	// Each pattern runs only where a cheap test says it can match: titles
	// are cleaned for every item of every message.
	if hasURL(s) {
		s = bracketedURL.ReplaceAllString(s, " ")
		s = stripURLs(s)
	}
	if hasDigit(s) {
		if mentionsASIN(s) {
			s = labelledASIN.ReplaceAllString(s, " ")
		}
		if strings.Contains(s, "B0") {
			s = bareASIN.ReplaceAllString(s, " ")
		}
		if hasWord(s, priceWords) {
			s = priceLabelled.ReplaceAllString(s, " ")
		}
		if hasCurrency(s) {
			s = priceInTitle.ReplaceAllString(s, " ")
		}
		if hasWord(s, qtyWords) {
			s = qtyLabelled.ReplaceAllString(s, " ")
		}
		if hasX(s) {
			s = qtyX.ReplaceAllString(s, " ")
			s = qtyXEnd.ReplaceAllString(s, " ")
		}
	}
	if strings.ContainsAny(s, "([") {
		s = emptyBrackets.ReplaceAllString(s, " ")
	}
	if mentionsASIN(s) {
		s = asinLabelOnly.ReplaceAllString(s, " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " -–—:,;|@/*•·")
	if letters(s) < 3 {
		return ""
	}
	return s
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
