package reports

import (
	"strings"
	"unicode"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// field is what a report column means, whatever its wording or language.
type field uint8

const (
	fNone          field = iota
	fLinkType            // the way visitors reached Amazon (Link-Type rows, Orders "Link Type")
	fClicks              // clicks; "Product Link Clicks" in the old Orders report
	fItemsOrdered        // items ordered, or the total of them
	fOrderedAmazon       // Daily Trends: items ordered sold by Amazon
	fOrdered3P           // Daily Trends: items ordered sold by third parties
	fDirectOrdered       // old Orders report: items ordered through product (direct) links
	fOtherOrdered        // old Orders report: all other items
	fConversion          // percent
	fItemsShipped
	fEarnings // earnings or ad fees: what the Associate is paid
	fRevenue
	fImpressions
	fCTR
	fTrackingID // a tracking ID: "Tracking ID", Orders "Tag"
	fASIN
	fName
	fCategory
	fDate
	fDateShipped
	fQty
	fPrice
	fSeller
	fReturns
	fIndirect
	fDevice
	numFields
)

// lang is the language a header is written in. It decides what a lone
// separator in a number means (1,234 or 1.234) and which way an ambiguous
// date such as 03-04-2009 reads.
type lang uint8

const (
	langNone lang = iota // a word every language uses (ASIN, Tag)
	langEN               // English, as Amazon.com words it: dates month first
	langUK               // English as Amazon.co.uk words it: dates day first
	langDE
	langIT
)

// dayFirst is how a numeric date such as 03-04-2009 reads in l when the
// values themselves do not tell.
func (l lang) dayFirst() bool { return l == langUK || l == langDE || l == langIT }

// decimalComma is whether a lone comma in a number is its decimal point.
func (l lang) decimalComma() bool { return l == langDE || l == langIT }

type synonym struct {
	f field
	l lang
}

// synonyms maps normalised column names (see normHeader) to what they mean.
// The English names are the ones DOMAIN.md records from Amazon's reports, old
// and new wordings. The German and Italian names are tolerant guesses at how
// Amazon.de (PartnerNet) and Amazon.it (Programma Affiliazione) word the
// same columns: no downloaded German or Italian report was at hand when
// they were written, so several plausible wordings of each are listed; add
// the real ones here when a report shows them.
var synonyms = map[string]synonym{}

func init() {
	add := func(f field, l lang, names ...string) {
		for _, n := range names {
			synonyms[normHeader(n)] = synonym{f, l}
		}
	}

	// English (Amazon.com), old and new wordings.
	add(fLinkType, langEN, "Link Type", "Link Types", "Link")
	add(fClicks, langEN, "Clicks", "Product Link Clicks", "Link Clicks", "Total Clicks")
	add(fItemsOrdered, langEN, "Items Ordered", "Total Items Ordered", "Ordered Items", "Total Ordered Items", "Items Ordered Total")
	add(fOrderedAmazon, langEN, "Items Ordered (Amazon)")
	add(fOrdered3P, langEN, "Items Ordered (3rd Party)", "Items Ordered (Third Party)", "Items Ordered (3rd Party Sellers)")
	add(fDirectOrdered, langEN, "Items Ordered Through Product Links", "Ordered Through Product Links")
	add(fOtherOrdered, langEN, "All Other Items Reported", "All Other Items Ordered", "All Other Items")
	add(fConversion, langEN, "Conversion", "Conversion Rate", "Product Link Conversion", "Conversion (%)")
	add(fItemsShipped, langEN, "Items Shipped", "Shipped Items", "Total Items Shipped")
	add(fEarnings, langEN, "Earnings", "Ad Fees", "Advertising Fees", "Total Earnings", "Referral Fees", "Total Ad Fees")
	add(fRevenue, langEN, "Revenue", "Ordered Revenue", "Shipped Revenue", "Total Revenue", "Ordered Product Sales")
	add(fImpressions, langEN, "Impressions")
	add(fCTR, langEN, "Click-Through Rate", "Click Through Rate", "Click-Through Rate (CTR)")
	add(fTrackingID, langEN, "Tracking ID", "Tracking IDs", "Tracking Id Tag", "Associate ID", "Associate Tag", "Store ID")
	add(fName, langEN, "Product Name", "Product Name/Item Name", "Product Title", "Title", "Item")
	add(fCategory, langEN, "Category", "Product Category", "Product Group")
	add(fDate, langEN, "Date", "Day", "Order Date", "Date Ordered")
	add(fDateShipped, langEN, "Date Shipped", "Ship Date", "Shipped Date", "Shipment Date")
	add(fQty, langEN, "Qty", "Quantity", "Qty Ordered")
	add(fPrice, langEN, "Price", "Item Price", "Unit Price")
	add(fSeller, langEN, "Seller", "Sold By")
	add(fReturns, langEN, "Returns", "Items Returned", "Returned Items")
	add(fIndirect, langEN, "Indirect Sales", "Indirect", "Indirect Sale")
	add(fDevice, langEN, "Device Type Group", "Device Type", "Device")
	// English as Amazon.co.uk words it: "direct links" for product links.
	add(fClicks, langUK, "Direct Link Clicks")
	add(fDirectOrdered, langUK, "Items Ordered Through Direct Links", "Ordered Through Direct Links")
	add(fConversion, langUK, "Direct Link Conversion")
	add(fName, langUK, "Item Name")

	// Words every language uses.
	add(fASIN, langNone, "ASIN", "ASIN/ISBN", "ISBN")
	add(fTrackingID, langNone, "Tag", "Tracking-ID")
	add(fName, langNone, "Name")
	add(fCTR, langNone, "CTR")

	// German (Amazon.de PartnerNet): tolerant guesses, see above.
	add(fLinkType, langDE, "Linktyp", "Link-Typ", "Linkart", "Art des Links", "Linktypen")
	add(fClicks, langDE, "Klicks", "Produktlink-Klicks", "Klicks auf Produktlinks", "Klicks gesamt")
	add(fItemsOrdered, langDE, "Bestellte Artikel", "Bestellte Artikel gesamt", "Bestellte Artikel insgesamt", "Artikel bestellt", "Gesamtzahl bestellter Artikel")
	add(fOrderedAmazon, langDE, "Bestellte Artikel (Amazon)")
	add(fOrdered3P, langDE, "Bestellte Artikel (Drittanbieter)", "Bestellte Artikel (von Drittanbietern)", "Bestellte Artikel (Dritthändler)")
	add(fDirectOrdered, langDE, "Über Produktlinks bestellte Artikel", "Bestellt über Produktlinks", "Über Direktlinks bestellte Artikel")
	add(fOtherOrdered, langDE, "Alle anderen bestellten Artikel", "Alle anderen Artikel", "Sonstige bestellte Artikel")
	add(fConversion, langDE, "Konversion", "Konversionsrate", "Umwandlungsrate", "Conversion-Rate")
	add(fItemsShipped, langDE, "Versandte Artikel", "Artikel versandt", "Versendete Artikel")
	add(fEarnings, langDE, "Werbekostenerstattung", "Werbekostenerstattungen", "Einnahmen", "Provision", "Verdienst", "Vergütung")
	add(fRevenue, langDE, "Umsatz", "Bestellter Umsatz", "Versandter Umsatz", "Erlöse")
	add(fImpressions, langDE, "Impressionen", "Einblendungen")
	add(fCTR, langDE, "Klickrate", "Durchklickrate")
	add(fTrackingID, langDE, "Partner-ID", "Tracking-ID-Tag")
	add(fName, langDE, "Produktname", "Artikelname", "Titel", "Artikel")
	add(fCategory, langDE, "Kategorie", "Produktkategorie", "Produktgruppe")
	add(fDate, langDE, "Datum", "Bestelldatum", "Tag der Bestellung")
	add(fDateShipped, langDE, "Versanddatum", "Versandt am", "Datum des Versands")
	add(fQty, langDE, "Menge", "Anzahl", "Stückzahl")
	add(fPrice, langDE, "Preis", "Artikelpreis")
	add(fSeller, langDE, "Verkäufer", "Verkauft von")
	add(fReturns, langDE, "Rücksendungen", "Retouren")
	add(fIndirect, langDE, "Indirekte Verkäufe", "Indirekter Verkauf")
	add(fDevice, langDE, "Gerätetypgruppe", "Gerätetyp-Gruppe", "Gerätetyp", "Gerät")

	// Italian (Amazon.it): tolerant guesses, except the Daily Trends
	// wording DOMAIN.md records (Data, Clic, Articoli ordinati (Amazon)...).
	add(fLinkType, langIT, "Tipo di link", "Tipo link", "Tipologia di link")
	add(fClicks, langIT, "Clic", "Click", "Clic sui link prodotto", "Clic totali")
	add(fItemsOrdered, langIT, "Articoli ordinati", "Totale articoli ordinati", "Articoli ordinati totali")
	add(fOrderedAmazon, langIT, "Articoli ordinati (Amazon)")
	add(fOrdered3P, langIT, "Articoli ordinati (terze parti)", "Articoli ordinati (venditori terzi)")
	add(fDirectOrdered, langIT, "Articoli ordinati tramite link prodotto", "Ordinati tramite link prodotto", "Articoli ordinati tramite link diretti")
	add(fOtherOrdered, langIT, "Tutti gli altri articoli ordinati", "Tutti gli altri articoli", "Altri articoli ordinati")
	add(fConversion, langIT, "Conversione", "Tasso di conversione")
	add(fItemsShipped, langIT, "Articoli spediti", "Articoli inviati")
	add(fEarnings, langIT, "Guadagni", "Commissioni", "Commissioni pubblicitarie", "Commissioni di affiliazione", "Compensi")
	add(fRevenue, langIT, "Entrate", "Ricavi", "Entrate ordinate", "Fatturato")
	add(fImpressions, langIT, "Impressioni", "Visualizzazioni")
	add(fCTR, langIT, "Percentuale di clic", "Tasso di clic")
	add(fTrackingID, langIT, "ID tracking", "ID di tracking", "ID monitoraggio", "ID di monitoraggio")
	add(fName, langIT, "Nome", "Nome prodotto", "Nome articolo", "Titolo")
	add(fCategory, langIT, "Categoria", "Categoria prodotto")
	add(fDate, langIT, "Data", "Data ordine")
	add(fDateShipped, langIT, "Data di spedizione", "Data spedizione")
	add(fQty, langIT, "Quantità", "Qtà", "Qta")
	add(fPrice, langIT, "Prezzo")
	add(fSeller, langIT, "Venditore")
	add(fReturns, langIT, "Resi", "Articoli resi")
	add(fIndirect, langIT, "Vendite indirette", "Vendita indiretta")
	add(fDevice, langIT, "Gruppo tipo di dispositivo", "Tipo di dispositivo", "Dispositivo")
}

// currencies are what a column name may carry after its words, in
// parentheses or not: "Price($)", "Revenue (£)", "Guadagni (EUR)".
var currencies = map[string]bool{
	"$": true, "£": true, "€": true, "¥": true, "₹": true, "%": true, "us$": true, "cdn$": true, "c$": true, "r$": true,
	"usd": true, "gbp": true, "eur": true, "cad": true, "jpy": true, "inr": true, "in €": true, "in eur": true, "in $": true,
}

// normHeader is a column name reduced to what tells it apart: lower case,
// currency suffixes dropped, punctuation and runs of spaces made one space.
// "Price($)" and "price" are the same column; "Items Ordered (Amazon)"
// keeps its parenthesis, which tells it from "Items Ordered (3rd Party)".
func normHeader(s string) string {
	s = strings.ToLower(s)
	// Drop parenthesised currency marks.
	for {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			break
		}
		inner := strings.TrimSpace(s[open+1 : open+end])
		if !currencies[inner] && !onlySymbols(inner) {
			// A meaningful parenthesis: keep its words, and look for
			// currency marks after it.
			s = s[:open] + " " + inner + " " + s[open+end+1:]
			continue
		}
		s = s[:open] + " " + s[open+end+1:]
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	out := b.String()
	// A trailing currency code without parentheses: "Revenue EUR".
	if i := strings.LastIndexByte(out, ' '); i > 0 && currencies[out[i+1:]] {
		out = out[:i]
	}
	return out
}

// onlySymbols reports whether s is made of symbols and punctuation only (an
// unknown currency sign, "%", "#"), not words.
func onlySymbols(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// header is a recognised header row: which column holds what.
type header struct {
	cols   [numFields]int    // column index of each field, -1 when absent
	names  [numFields]string // the column names as written, for Sources and errors
	cells  []string          // every column name as written
	width  int               // columns up to the last named one
	lang   lang
	kind   store.Kind // "" when the columns fit no report kind
	byItem bool       // an Orders report of one row per item (the old report), not one per order line
	known  int        // columns recognised
}

// has reports whether the header has a column for f.
func (h *header) has(f field) bool { return h.cols[f] >= 0 }

// parseHeader reads cells as a header row. When the columns fit no report
// kind, the result's kind is "".
func parseHeader(cells []string) *header {
	h := &header{cells: cells}
	for i := range h.cols {
		h.cols[i] = -1
	}
	var votes [langIT + 1]int
	for i, c := range cells {
		if strings.TrimSpace(c) != "" {
			h.width = i + 1
		}
		syn, ok := synonyms[normHeader(c)]
		if !ok {
			continue
		}
		h.known++
		votes[syn.l]++
		// The first column of a meaning wins: reports put the main one
		// first ("Clicks" before "Product Link Clicks" would be odd).
		if h.cols[syn.f] < 0 {
			h.cols[syn.f] = i
			h.names[syn.f] = strings.TrimSpace(c)
		}
	}
	// The old Link-Type page leaves the first column's heading empty.
	if !h.has(fLinkType) && !h.has(fASIN) && !h.has(fTrackingID) && !h.has(fDate) &&
		len(cells) > 1 && strings.TrimSpace(cells[0]) == "" && h.has(fClicks) {
		h.cols[fLinkType] = 0
		h.names[fLinkType] = "Link Type"
	}
	h.lang = langEN
	best := 0
	for l := langEN; l <= langIT; l++ {
		if votes[l] > best {
			h.lang, best = l, votes[l]
		}
	}
	// English with any UK wording reads dates day first.
	if h.lang == langEN && votes[langUK] > 0 {
		h.lang = langUK
	}
	if h.lang == langEN && hasCurrency(cells, "£", "€") {
		h.lang = langUK
	}
	h.kind, h.byItem = h.decideKind()
	return h
}

// hasCurrency reports whether any cell names one of the currency signs: an
// English header priced in pounds or euros comes from a marketplace that
// writes dates day first.
func hasCurrency(cells []string, signs ...string) bool {
	for _, c := range cells {
		for _, s := range signs {
			if strings.Contains(c, s) {
				return true
			}
		}
	}
	return false
}

// decideKind tells the report kind from the columns present.
func (h *header) decideKind() (store.Kind, bool) {
	counts := h.has(fClicks) || h.has(fItemsOrdered) || h.has(fItemsShipped) || h.has(fEarnings)
	switch {
	case h.has(fASIN):
		switch {
		case h.has(fDirectOrdered) || h.has(fOtherOrdered):
			return store.KindReportOrders, true
		case h.has(fQty) || h.has(fIndirect) || h.has(fTrackingID) && h.has(fDate) && !h.has(fItemsShipped):
			return store.KindReportOrders, false
		case h.has(fItemsShipped) || h.has(fDateShipped):
			return store.KindReportEarnings, false
		case h.has(fItemsOrdered):
			return store.KindReportOrders, true
		}
	case h.has(fLinkType) && counts:
		return store.KindReportLinkType, false
	case h.has(fTrackingID) && counts:
		return store.KindReportTracking, false
	case h.has(fDate) && h.has(fClicks) && (h.has(fItemsOrdered) || h.has(fOrderedAmazon) || h.has(fOrdered3P)):
		return store.KindReportDailyTrends, false
	}
	return "", false
}

// kindNames are the reports' names as Associates Central shows them.
var kindNames = map[store.Kind]string{
	store.KindReportLinkType:    "Link-Type report",
	store.KindReportOrders:      "Orders report",
	store.KindReportTracking:    "Tracking ID Summary report",
	store.KindReportEarnings:    "Earnings report",
	store.KindReportDailyTrends: "Daily Trends report",
	store.KindReportXML:         "XML report",
}

func kindName(k store.Kind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return string(k)
}

// expected lists, for the error about a header it does not know, the
// columns each kind of report is recognised by.
var expected = []struct {
	kind store.Kind
	cols string
}{
	{store.KindReportOrders, "Category, Name, ASIN, Date, Qty, Price, Link Type, Tag, Indirect Sales (or, one row per item: Product Name, ASIN, Items Ordered Through Product Links, All Other Items Ordered, Total Items Ordered)"},
	{store.KindReportLinkType, "Link Type, Clicks, Items Ordered, Conversion, Items Shipped, Ad Fees (or Earnings)"},
	{store.KindReportTracking, "Tracking ID, Clicks, Items Ordered, Items Shipped, Revenue, Ad Fees"},
	{store.KindReportEarnings, "Category, Name, ASIN, Seller, Tracking ID, Date Shipped, Price, Items Shipped, Returns, Revenue, Ad Fees"},
	{store.KindReportDailyTrends, "Date, Clicks, Items Ordered (Amazon), Items Ordered (3rd Party), Total Items Ordered, Conversion"},
}

// expectedColumns says what headers are known, the kind want first when
// the file said what it is.
func expectedColumns(want store.Kind) string {
	var parts []string
	for _, e := range expected {
		if e.kind == want {
			parts = append([]string{kindName(e.kind) + ": " + e.cols}, parts...)
		} else {
			parts = append(parts, kindName(e.kind)+": "+e.cols)
		}
	}
	return strings.Join(parts, "; ")
}

// isReportKind reports whether k is a kind Read can be asked for.
func isReportKind(k store.Kind) bool {
	_, ok := kindNames[k]
	return ok
}
