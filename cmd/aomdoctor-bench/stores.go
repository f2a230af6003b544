package main

// The store bundles for the triage figures: many small stores as owners send
// them, and stores with a year of reports. A store's files are a pure
// function of the seed and its index, so runs are repeatable and stores are
// written in parallel. The shapes follow fixtures/stores: AOM settings (PHP,
// the control panel saved as HTML, or a JSON export), Associates report
// downloads with their title line, and AOM's Remote Cart emails as .eml files
// or an mbox. Everything is made up: .example domains, documentation IP
// addresses, keys of the right shape that are not keys.

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// market is one Amazon marketplace as a store's files show it.
type market struct {
	storeType  string // AmazonStoreType
	host       string // the Amazon host of cart links
	suffix     string // the tracking ID's suffix
	sign       string // the price mark in cart emails
	signAfter  bool   // "17,99 €" rather than "$17.99"
	col        string // the currency mark in report headers: "Price($)"
	dayFirst   bool   // report dates DD-MM-YYYY
	zone       *time.Location
	cartPrefix string // the first group of a cart ID
	feePct     float64
	weight     int // share of stores, of 100
}

var markets = []market{
	{"Amazon.com", "www.amazon.com", "-20", "$", false, "$", false, time.FixedZone("EST", -5*3600), "002", 4.0, 60},
	{"Amazon.co.uk", "www.amazon.co.uk", "-21", "£", false, "£", true, time.FixedZone("GMT", 0), "026", 5.0, 20},
	{"Amazon.ca", "www.amazon.ca", "-20", "CDN$ ", false, "CDN$", true, time.FixedZone("EST", -5*3600), "701", 4.0, 10},
	{"Amazon.de", "www.amazon.de", "-21", " €", true, "€", true, time.FixedZone("CET", 3600), "028", 5.0, 10},
}

func pickMarket(r *rand.Rand) market {
	n := r.IntN(100)
	for _, m := range markets {
		if n < m.weight {
			return m
		}
		n -= m.weight
	}
	return markets[0]
}

// The words store names are made of, and the products they sell.
var (
	nameFirst = []string{"Garden", "Birdfeeder", "Cornish Tea", "Knitwit", "Vintage Vinyl", "Home Brew", "Pet Supply", "Orchid",
		"Bonsai", "Kitchen Gadget", "Camping Gear", "Fly Fishing", "Yoga Mat", "Baby Sling", "Quilting", "Coffee Bean",
		"Cycle Parts", "Aquarium", "Candle Craft", "Soap Making", "Rain Barrel", "Seed Saver", "Telescope", "Chess Set",
		"Model Train", "Beekeeping", "Herb Garden", "Tea Pot", "Dog Bed", "Cat Tree", "Guitar Pedal", "Cast Iron"}
	nameSecond = []string{"Shop", "Depot", "Barn", "Corner", "Haven", "Hub", "Emporium", "Supplies", "Outlet", "Store",
		"Market", "Boutique", "Works", "Nook", "Central", "Warehouse"}
	productCats = []string{"Home & Garden", "Kitchen & Dining", "Tools & Home Improvement", "Patio, Lawn & Garden", "Books",
		"Pet Supplies", "Sports & Outdoors", "Toys & Games", "Arts, Crafts & Sewing", "Grocery & Gourmet Food", "Music"}
	productNouns = []string{"Steel Bow Saw, 21 Inch", "Touch N Flow Revolver Spray Gun, Green", "ClassicCUT Bypass Pruner, 1 Inch",
		"4-Pound Garden-Tone 3-4-4 Plant Food", "Hanging Basket Bracket", "Electronic Aqua Timer", "Bird Feeding Station",
		"Sowing Compost, 10 L", "Heritage 8.8 Litre Watering Can", "Kneeler, Sage", "English Breakfast Tea, 100 Bags",
		"Encyclopedia of Gardening", "Stainless Steel French Press, 34 oz", "Cast Iron Skillet, 12 Inch", "Merino Wool Yarn, 4 Pack",
		"Turntable Belt Drive", "Beer Brewing Starter Kit", "Orthopedic Dog Bed, Large", "Aquarium Heater 100W",
		"Soy Wax Flakes, 10 lb", "Lavender Essential Oil, 4 fl oz", "Beginner's Bonsai Kit", "Tent Footprint, 2-Person",
		"Tapered Leader, 9 ft 5X", "Non-Slip Yoga Mat, 6mm", "Ring Sling Baby Carrier", "Rotary Cutter 45mm",
		"Whole Bean Coffee, 2 lb", "Chain Checker Tool", "Refractor Telescope 70mm", "Tournament Chess Set"}
	productMakers = []string{"Fiskars", "Dramm", "Corona", "Espoma", "Gardman", "Melnor", "Westland", "Haws", "Burgon & Ball",
		"Twinings", "Bodum", "Lodge", "Lion Brand", "Audio-Technica", "Northern Brewer", "KOPEKS", "Eheim", "Golden Brands",
		"Plant Therapy", "Brussel's", "REI", "Rio", "Gaiam", "Maya Wrap", "Olfa", "Lavazza", "Park Tool", "Celestron", "Wood Expressions"}
)

// product is an item a store sells.
type product struct {
	asin, title, category string
	cents                 int
}

const asinChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

func newASIN(r *rand.Rand) string {
	b := []byte("B00")
	for range 7 {
		b = append(b, asinChars[r.IntN(len(asinChars))])
	}
	return string(b)
}

func newProduct(r *rand.Rand) product {
	return product{
		asin:     newASIN(r),
		title:    productMakers[r.IntN(len(productMakers))] + " " + productNouns[r.IntN(len(productNouns))],
		category: productCats[r.IntN(len(productCats))],
		cents:    299 + r.IntN(12000),
	}
}

func catalog(r *rand.Rand, n int) []product {
	ps := make([]product, n)
	for i := range ps {
		ps[i] = newProduct(r)
	}
	return ps
}

// keyChars and secretChars are the alphabets of AWS access and secret keys.
const (
	keyChars    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func randString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// What is wrong with a small store, if anything. The shares are in
// profileFor; most stores are healthy.
type flaw int

const (
	healthy flaw = iota
	flawMissingID
	flawDefaultID
	flawTypoID
	flawWrongMarketplace
	flawConnection
	flawReportsOff
	flawNoCart
	flawKeys
)

// aomDefaultID is the Associate ID AOM ships with: its own.
const aomDefaultID = "associatomati-20"

// profile is who a store is: its name, marketplace, IDs and settings.
type profile struct {
	index    int
	name     string // "Birdfeeder Barn"
	dir      string // the folder or zip name, unique
	domain   string // the store's own domain, under .example
	m        market
	realID   string // the owner's tracking ID, as Amazon knows it
	setID    string // the ID typed into the settings
	conn     string
	cart     bool
	reports  bool
	access   string
	secret   string
	settings int // 0 PHP, 1 control panel HTML, 2 JSON export
	flaw     flaw
}

func storeRand(seed uint64, set string, i int) *rand.Rand {
	h := uint64(14695981039346656037)
	for _, c := range []byte(set) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return rand.New(rand.NewPCG(seed^h, uint64(i)*0x9e3779b97f4a7c15+1))
}

// baseProfile is store i of a set, with its own ID. It never looks at other
// stores, so profileFor can borrow another store's ID without recursion.
func baseProfile(seed uint64, set string, i int) (profile, *rand.Rand) {
	r := storeRand(seed, set, i)
	first, second := nameFirst[r.IntN(len(nameFirst))], nameSecond[r.IntN(len(nameSecond))]
	name := first + " " + second
	slug := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	p := profile{
		index:   i,
		name:    name,
		dir:     fmt.Sprintf("%s-%05d", strings.ToLower(strings.ReplaceAll(name, " ", "-")), i),
		domain:  fmt.Sprintf("%s%d.example", slug, i),
		m:       pickMarket(r),
		conn:    "aom",
		cart:    true,
		reports: true,
		access:  "AKIA" + randString(r, keyChars, 16),
		secret:  randString(r, secretChars, 40),
	}
	// Real IDs are a name cut short plus a few characters to make it unique.
	if len(slug) > 14 {
		slug = slug[:14]
	}
	p.realID = slug + strings.ToLower(fmt.Sprintf("%x", i)) + p.m.suffix
	p.setID = p.realID
	switch n := r.IntN(20); {
	case n < 15:
		p.settings = 0
	case n < 19:
		p.settings = 1
	default:
		p.settings = 2
	}
	return p, r
}

// profileFor is store i of a set. small stores get the mistakes of new
// owners; the stores with a year of reports are running ones, mostly
// healthy. A few stores of either set share a tracking ID with an earlier
// store of the same marketplace: one owner, several stores, one ID.
func profileFor(seed uint64, set string, i int, small bool) (profile, *rand.Rand) {
	p, r := baseProfile(seed, set, i)
	if i > 0 && r.IntN(50) == 0 {
		j := i - 1 - r.IntN(min(i, 25))
		if q, _ := baseProfile(seed, set, j); q.m.storeType == p.m.storeType {
			p.realID, p.setID = q.realID, q.realID
		}
	}
	if !small {
		// No new owner's mistakes; a few owners changed the connection method.
		if r.IntN(20) == 0 {
			p.flaw, p.conn = flawConnection, []string{"rest_curl", "soap"}[r.IntN(2)]
		}
		return p, r
	}
	switch n := r.IntN(100); {
	case n < 62:
	case n < 66:
		p.flaw, p.setID = flawMissingID, ""
	case n < 70:
		p.flaw, p.setID = flawDefaultID, aomDefaultID
	case n < 77:
		p.flaw, p.setID = flawTypoID, typo(r, p.realID)
	case n < 81:
		p.flaw = flawWrongMarketplace
		if p.m.suffix == "-20" {
			p.setID = strings.TrimSuffix(p.realID, "-20") + "-21"
		} else {
			p.setID = strings.TrimSuffix(p.realID, "-21") + "-20"
		}
	case n < 86:
		p.flaw, p.conn = flawConnection, []string{"rest_curl", "rest_file", "soap"}[r.IntN(3)]
	case n < 91:
		p.flaw, p.reports = flawReportsOff, false
	case n < 95:
		p.flaw, p.cart = flawNoCart, false
	default:
		p.flaw = flawKeys
		if r.IntN(2) == 0 {
			p.access = strings.ToLower(p.access) + " "
		} else {
			p.secret = p.secret[:20+r.IntN(15)]
		}
	}
	return p, r
}

// typo is one of the mistakes seen in the wild when typing an ID.
func typo(r *rand.Rand, id string) string {
	body, suffix, _ := strings.Cut(id, "-")
	switch r.IntN(6) {
	case 0: // capitals, no hyphen: "BirdfeederBarn20"
		return strings.ToUpper(body[:1]) + body[1:] + suffix
	case 1: // a leading space
		return " " + id
	case 2: // a zero for an o, or a one for an l
		if strings.ContainsRune(body, 'o') {
			return strings.Replace(body, "o", "0", 1) + "-" + suffix
		}
		return body + "1-" + suffix
	case 3: // the suffix doubled
		return id + "-" + suffix
	case 4: // an email address
		return body + "@example.com"
	default: // the suffix left off
		return body
	}
}

// bundle is a store's files, relative paths with '/'.
type bundle struct {
	files []bundleFile
}

type bundleFile struct {
	name string
	data []byte
}

func (b *bundle) add(name string, data []byte) { b.files = append(b.files, bundleFile{name, data}) }

// write writes the bundle as dir/name/..., or as dir/name.zip (whose members
// sit in a folder of the store's name when inFolder, as zipping a folder
// gives). It returns the bytes written.
func (b *bundle) write(dir, name string, asZip, inFolder bool, mod time.Time) (int64, error) {
	if !asZip {
		var n int64
		for _, f := range b.files {
			p := filepath.Join(dir, name, filepath.FromSlash(f.name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return n, err
			}
			if err := os.WriteFile(p, f.data, 0o644); err != nil {
				return n, err
			}
			n += int64(len(f.data))
		}
		return n, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range b.files {
		member := f.name
		if inFolder {
			member = name + "/" + member
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: member, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return 0, err
		}
		if _, err := w.Write(f.data); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), os.WriteFile(filepath.Join(dir, name+".zip"), buf.Bytes(), 0o644)
}

// settingsFile writes the store's AOM settings in its chosen format.
func settingsFile(b *bundle, p profile, saved time.Time) {
	reportsEmail := "orders@" + p.domain
	if !p.reports {
		reportsEmail = ""
	}
	yesNo := map[bool]string{true: "Yes", false: "No"}[p.cart]
	switch p.settings {
	case 0:
		var s strings.Builder
		fmt.Fprintf(&s, "<?php\n/*\n * Associate-O-Matic store settings\n * %s - www.%s\n * Saved from the control panel on %s\n */\n\n", p.name, p.domain, saved.Format("2006-01-02 15:04"))
		fmt.Fprintf(&s, "// ---- Amazon ----\n$cfg['AmazonStoreType']['value'] = %q;\n$cfg['AmazonAssociateId']['value'] = %q;\n", p.m.storeType, p.setID)
		fmt.Fprintf(&s, "$cfg['AmazonConnectionMethod']['value'] = %q;\n$cfg['AwsAccessKey']['value'] = %q;\n$cfg['AwsSecretKey']['value'] = %q;\n\n", p.conn, p.access, p.secret)
		fmt.Fprintf(&s, "// ---- Store ----\n$cfg['SiteName']['value'] = '%s';\n$cfg['ShoppingCart']['value'] = %q;\n$cfg['PageCaching']['value'] = \"On\";\n\n", p.name, yesNo)
		fmt.Fprintf(&s, "// ---- Reports ----\n$cfg['ReportsEmail']['value'] = %q;\n", reportsEmail)
		if p.reports {
			s.WriteString("$cfg['Reports']['value'] = Array('Remote_Cart');\n?>\n")
		} else {
			s.WriteString("$cfg['Reports']['value'] = Array();\n?>\n")
		}
		b.add("settings.php", []byte(s.String()))
	case 1:
		var s strings.Builder
		s.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Associate-O-Matic Control Panel - Settings</title>\n</head>\n<body>\n")
		s.WriteString("<div id=\"header\"><h1>Associate-O-Matic v5.4.1 Control Panel</h1></div>\n<form method=\"post\" action=\"aom.php?pg=settings\" name=\"settings\">\n<table class=\"cp\">\n")
		s.WriteString("<tr><td class=\"label\">Amazon Store Type</td>\n<td><select name=\"AmazonStoreType\">\n")
		for _, m := range markets {
			sel := ""
			if m.storeType == p.m.storeType {
				sel = ` selected="selected"`
			}
			fmt.Fprintf(&s, "<option value=%q%s>%s</option>\n", m.storeType, sel, m.storeType)
		}
		fmt.Fprintf(&s, "</select></td></tr>\n<tr><td class=\"label\">Amazon Associate ID</td>\n<td><input type=\"text\" name=\"AmazonAssociateId\" value=%q size=\"30\"></td></tr>\n", p.setID)
		s.WriteString("<tr><td class=\"label\">Amazon Connection Method</td>\n<td><select name=\"AmazonConnectionMethod\">\n")
		for _, c := range [][2]string{{"aom", "RECOMMENDED: let Associate-O-Matic determine best method"}, {"rest_file", "REST (file functions)"}, {"rest_curl", "REST (cURL)"}, {"soap", "SOAP"}} {
			sel := ""
			if c[0] == p.conn {
				sel = " selected"
			}
			fmt.Fprintf(&s, "<option value=%q%s>%s</option>\n", c[0], sel, c[1])
		}
		fmt.Fprintf(&s, "</select></td></tr>\n<tr><td class=\"label\">Amazon Access Key ID</td>\n<td><input type=\"text\" name=\"AwsAccessKey\" value=%q size=\"30\"></td></tr>\n", p.access)
		fmt.Fprintf(&s, "<tr><td class=\"label\">Amazon Secret Access Key</td>\n<td><input type=\"password\" name=\"AwsSecretKey\" value=%q size=\"50\"></td></tr>\n", p.secret)
		yes, no := " checked", ""
		if !p.cart {
			yes, no = "", " checked"
		}
		fmt.Fprintf(&s, "<tr><td class=\"label\">Shopping Cart</td>\n<td><input type=\"radio\" name=\"ShoppingCart\" value=\"Yes\"%s> Yes\n<input type=\"radio\" name=\"ShoppingCart\" value=\"No\"%s> No</td></tr>\n", yes, no)
		s.WriteString("<tr><td class=\"label\">Page Caching</td>\n<td><select name=\"PageCaching\"><option selected>On</option><option>Off</option></select></td></tr>\n")
		fmt.Fprintf(&s, "<tr><td class=\"label\">Reports Email</td>\n<td><input type=\"text\" name=\"ReportsEmail\" value=%q size=\"40\"></td></tr>\n", reportsEmail)
		checked := ""
		if p.reports {
			checked = " checked"
		}
		fmt.Fprintf(&s, "<tr><td class=\"label\">Reports</td>\n<td><label><input type=\"checkbox\" name=\"Reports[]\" value=\"Remote_Cart\"%s> Remote Cart (email each time a visitor checks out to Amazon)</label></td></tr>\n", checked)
		s.WriteString("</table>\n<p><input type=\"submit\" value=\"Save Settings\"></p>\n</form>\n<div id=\"footer\">Associate-O-Matic &copy; 2004-2010</div>\n</body>\n</html>\n")
		b.add("control-panel.html", []byte(s.String()))
	default:
		reports := `["Remote_Cart"]`
		if !p.reports {
			reports = "[]"
		}
		b.add("aom-settings.json", fmt.Appendf(nil, "{\n  \"AmazonStoreType\": %q,\n  \"AmazonAssociateId\": %q,\n  \"AmazonConnectionMethod\": %q,\n  \"AwsAccessKey\": %q,\n  \"AwsSecretKey\": %q,\n  \"ShoppingCart\": %q,\n  \"ReportsEmail\": %q,\n  \"Reports\": %s\n}\n",
			p.m.storeType, p.setID, p.conn, p.access, p.secret, yesNo, reportsEmail, reports))
	}
}

// cartItem is one line of a cart.
type cartItem struct {
	product
	qty int
}

// cart is one visitor's checkout to Amazon: one Remote Cart email.
type cart struct {
	t         time.Time // in the store's zone
	day       int       // of the report period
	items     []cartItem
	clicked   bool // reached Amazon: a click on the remote-cart row
	converted bool // something in it was bought
}

func newCart(r *rand.Rand, t time.Time, day int, cat []product) cart {
	c := cart{t: t, day: day}
	for range 1 + min(r.IntN(4), r.IntN(4)) {
		c.items = append(c.items, cartItem{cat[r.IntN(len(cat))], 1 + min(r.IntN(3), r.IntN(3))})
	}
	return c
}

// price formats cents as the marketplace's cart emails do.
func (m market) price(cents int) string {
	if m.signAfter {
		return fmt.Sprintf("%d,%02d%s", cents/100, cents%100, m.sign)
	}
	return fmt.Sprintf("%s%d.%02d", m.sign, cents/100, cents%100)
}

// cartMail writes one Remote Cart email as AOM sends it (the layout of
// fixtures/stores: a plain-text body, the items, the Amazon cart link).
func cartMail(w *bytes.Buffer, r *rand.Rand, p profile, c cart, n int) {
	local := c.t
	fmt.Fprintf(w, "Return-Path: <noreply@%s>\nFrom: Associate-O-Matic <noreply@%s>\nTo: orders@%s\n", p.domain, p.domain, p.domain)
	fmt.Fprintf(w, "Subject: Remote Cart Report: %s\nDate: %s\nMessage-ID: <%d.%d@%s>\n", p.name, local.Format("Mon, 02 Jan 2006 15:04:05 -0700"), local.Unix(), n, p.domain)
	fmt.Fprintf(w, "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n")
	fmt.Fprintf(w, "A visitor to %s has checked out to Amazon.\n\nDate: %s\nVisitor IP: %s.%d\n\nItems:\n", p.name, local.Format("02 Jan 2006 15:04:05"), []string{"203.0.113", "198.51.100"}[r.IntN(2)], 1+r.IntN(254))
	total := 0
	for j, it := range c.items {
		fmt.Fprintf(w, "%d. %s\n   ASIN: %s   Qty: %d   Price: %s\n", j+1, it.title, it.asin, it.qty, p.m.price(it.cents))
		total += it.qty * it.cents
	}
	fmt.Fprintf(w, "\nCart subtotal: %s\n\n", p.m.price(total))
	fmt.Fprintf(w, "Amazon cart: https://%s/gp/cart/aws-merge.html?cart-id=%s-%07d-%07d&associate-id=%s&hmac=%s%%3D&AWSAccessKeyId=%s\n\n",
		p.m.host, p.m.cartPrefix, r.IntN(10_000_000), r.IntN(10_000_000), url.QueryEscape(p.setID), randString(r, secretChars[:62], 27), strings.TrimSpace(p.access))
	fmt.Fprintf(w, "--\nSent by Associate-O-Matic from %s\n", p.name)
}

// mbox writes the carts as one mbox file.
func mbox(r *rand.Rand, p profile, carts []cart) []byte {
	var w bytes.Buffer
	w.Grow(len(carts) * 1100)
	for i, c := range carts {
		fmt.Fprintf(&w, "From noreply@%s %s\n", p.domain, c.t.UTC().Format("Mon Jan 02 15:04:05 2006"))
		cartMail(&w, r, p, c, i)
		w.WriteByte('\n')
	}
	return w.Bytes()
}

// reportDate formats a day as the marketplace's report downloads do.
func (m market) reportDate(t time.Time) string {
	if m.dayFirst {
		return t.Format("02-01-2006")
	}
	return t.Format("01-02-2006")
}

func (m market) title(report string, from, to time.Time) string {
	return fmt.Sprintf("Fee-%s reports from %s to %s\n", report, m.reportDate(from), m.reportDate(to))
}

// money formats cents as report downloads do: "1,093.64", quoted when it
// has a thousands separator.
func money(cents int) string {
	s := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	if cents < 100_000 {
		return s
	}
	whole := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%q", fmt.Sprintf("%s.%02d", b.String(), cents%100))
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func conversion(items, clicks int) string {
	if clicks == 0 {
		return "N/A"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(items)/float64(clicks))
}

// Link types of the Link-Type and Orders reports.
const (
	ltCarts   = "Remote shopping carts"
	ltText    = "Text links"
	ltProduct = "Product links"
	ltSearch  = "Search box"
)

var linkTypes = []string{ltText, ltProduct, ltSearch, ltCarts}

// linkStats is one row of the Link-Type report.
type linkStats struct {
	clicks, ordered, shipped, revenue int // revenue in cents
}

func linkTypeReport(m market, from, to time.Time, stats map[string]*linkStats, total bool) []byte {
	var w bytes.Buffer
	w.WriteString(m.title("LinkType", from, to))
	fmt.Fprintf(&w, "Link Type,Clicks,Items Ordered,Conversion,Ordered Revenue(%s),Items Shipped,Ad Fees(%s)\n", m.col, m.col)
	var sum linkStats
	for _, lt := range linkTypes {
		s := stats[lt]
		if s == nil {
			continue
		}
		fmt.Fprintf(&w, "%s,%d,%d,%s,%s,%d,%s\n", lt, s.clicks, s.ordered, conversion(s.ordered, s.clicks), money(s.revenue), s.shipped, money(int(float64(s.revenue)*m.feePct/100)))
		sum.clicks, sum.ordered, sum.shipped, sum.revenue = sum.clicks+s.clicks, sum.ordered+s.ordered, sum.shipped+s.shipped, sum.revenue+s.revenue
	}
	if total {
		fmt.Fprintf(&w, "Total,%d,%d,%s,%s,%d,%s\n", sum.clicks, sum.ordered, conversion(sum.ordered, sum.clicks), money(sum.revenue), sum.shipped, money(int(float64(sum.revenue)*m.feePct/100)))
	}
	return w.Bytes()
}

// orderRow is one line of the Orders report.
type orderRow struct {
	day      int
	p        product
	qty      int
	link     string
	indirect bool
	device   string
}

func ordersReport(m market, tag string, from, to time.Time, rows []orderRow) []byte {
	var w bytes.Buffer
	w.Grow(len(rows) * 120)
	w.WriteString(m.title("Orders", from, to))
	fmt.Fprintf(&w, "Category,Name,ASIN,Date,Qty,Price(%s),Link Type,Tag,Indirect Sales,Device Type Group\n", m.col)
	for _, o := range rows {
		ind := "N"
		if o.indirect {
			ind = "Y"
		}
		fmt.Fprintf(&w, "%s,%s,%s,%s,%d,%s,%s,%s,%s,%s\n", csvField(o.p.category), csvField(o.p.title), o.p.asin, m.reportDate(from.AddDate(0, 0, o.day)),
			o.qty, money(o.p.cents), o.link, tag, ind, o.device)
	}
	return w.Bytes()
}

func device(r *rand.Rand) string {
	switch n := r.IntN(20); {
	case n < 17:
		return "DESKTOP"
	case n < 19:
		return "PHONE"
	default:
		return "TABLET"
	}
}

// smallStore is a store as a new owner sends it to support: the settings,
// a month's Link-Type report, sometimes an Orders report, and the few cart
// reports of that month, as .eml files or an mbox.
func smallStore(seed uint64, i int) (profile, *bundle, bool, bool) {
	p, r := profileFor(seed, "small", i, true)
	b := &bundle{}
	from := time.Date(2009, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2009, 11, 30, 0, 0, 0, 0, time.UTC)
	settingsFile(b, p, from.AddDate(0, 0, -r.IntN(60)))
	cat := catalog(r, 5+r.IntN(20))

	var carts []cart
	if p.cart && p.reports {
		for range r.IntN(6) {
			day := r.IntN(28)
			t := time.Date(2009, 11, 1+day, 0, 0, 0, 0, p.m.zone).Add(time.Duration(r.IntN(24*3600)) * time.Second)
			carts = append(carts, newCart(r, t, day, cat))
		}
		slices.SortFunc(carts, func(a, b cart) int { return a.t.Compare(b.t) })
	}
	// Amazon credits the owner only when the cart carries the right ID.
	credited := p.setID == p.realID
	stats := map[string]*linkStats{ltText: {clicks: r.IntN(40)}, ltCarts: {}}
	if r.IntN(2) == 0 {
		stats[ltSearch] = &linkStats{clicks: r.IntN(5)}
	}
	var rows []orderRow
	for k := range carts {
		c := &carts[k]
		if !credited {
			continue
		}
		c.clicked = r.IntN(4) != 0 || stats[ltCarts].clicks == 0
		if !c.clicked {
			continue
		}
		stats[ltCarts].clicks++
		if r.IntN(3) != 0 {
			continue
		}
		c.converted = true
		for _, it := range c.items {
			if r.IntN(5) != 0 {
				rows = append(rows, orderRow{c.day, it.product, it.qty, ltCarts, false, device(r)})
				s := stats[ltCarts]
				s.ordered += it.qty
				s.shipped += it.qty
				s.revenue += it.qty * it.cents
			}
		}
	}
	if !p.cart || !credited {
		// No remote carts reach Amazon at all (no cart, or an ID that is
		// not the owner's): the row may be missing from the download.
		if r.IntN(2) == 0 {
			delete(stats, ltCarts)
		}
	}
	b.add("Fee-LinkType.csv", linkTypeReport(p.m, from, to, stats, r.IntN(2) == 0))
	if len(rows) > 0 && r.IntN(3) == 0 {
		b.add("Fee-Orders.csv", ordersReport(p.m, p.realID, from, to, rows))
	}
	if len(carts) > 0 {
		if r.IntN(3) == 0 {
			b.add("Remote Cart Reports.mbox", mbox(r, p, carts))
		} else {
			for n, c := range carts {
				var w bytes.Buffer
				cartMail(&w, r, p, c, n)
				b.add(fmt.Sprintf("cart-reports/Remote Cart Report %s.eml", c.t.Format("2006-01-02 1504")), w.Bytes())
			}
		}
	}
	asZip := r.IntN(5) == 0
	return p, b, asZip, r.IntN(2) == 0
}

// yearStore is a running store's year: the settings, the Link-Type, Orders,
// Tracking ID Summary and Daily Trends reports for 2009, and every Remote
// Cart email of the year in one mbox. The reports agree with each other and
// with the carts: the carts that reached Amazon are the clicks on the
// remote-cart row, the ordered items of the converted carts are its Orders
// rows, and the Daily Trends days add up to the Link-Type totals.
func yearStore(seed uint64, i int) (profile, *bundle) {
	p, r := profileFor(seed, "year", i, false)
	b := &bundle{}
	from := time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2009, 12, 31, 0, 0, 0, 0, time.UTC)
	const days = 365
	settingsFile(b, p, from.AddDate(0, 0, -r.IntN(300)))

	// A small-to-medium store: a thousand to seven thousand Orders rows a
	// year, most stores near the low end (3,000 on average); a fifth to
	// two fifths as many carts, the rest of the orders coming through the
	// store's other links and what visitors add at Amazon.
	u := r.Float64()
	wantRows := 1000 + int(6000*u*u)
	nCarts := int(float64(wantRows) * (0.2 + 0.2*r.Float64()))
	cat := catalog(r, 40+r.IntN(260))
	others := catalog(r, 200) // items visitors add on Amazon itself

	// Busier weekends and a Christmas season.
	weights := make([]float64, days)
	cum := make([]float64, days)
	total := 0.0
	for d := range weights {
		t := from.AddDate(0, 0, d)
		w := 1 + 0.3*r.Float64()
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 1.25
		}
		switch t.Month() {
		case time.November:
			w *= 1.6
		case time.December:
			w *= 2.2 - 1.4*float64(max(t.Day()-20, 0))/11
		case time.January, time.February:
			w *= 0.8
		}
		weights[d] = w
		total += w
		cum[d] = total
	}
	pickDay := func() int { return min(sort.SearchFloat64s(cum, r.Float64()*total), days-1) }

	carts := make([]cart, nCarts)
	for k := range carts {
		day := pickDay()
		t := time.Date(2009, 1, 1+day, 0, 0, 0, 0, p.m.zone).Add(time.Duration(r.IntN(24*3600)) * time.Second)
		carts[k] = newCart(r, t, day, cat)
	}
	slices.SortFunc(carts, func(a, b cart) int { return a.t.Compare(b.t) })

	clicks := map[string][]int{}
	for _, lt := range linkTypes {
		clicks[lt] = make([]int, days)
	}
	var rows []orderRow
	for k := range carts {
		c := &carts[k]
		day := c.day
		if c.clicked = r.IntN(100) < 85; !c.clicked {
			continue
		}
		clicks[ltCarts][day]++
		if c.converted = r.IntN(100) < 45; !c.converted {
			continue
		}
		od := min(day+min(r.IntN(3), r.IntN(3)), days-1)
		for _, it := range c.items {
			if r.IntN(100) < 85 {
				rows = append(rows, orderRow{od, it.product, it.qty, ltCarts, false, device(r)})
			}
		}
		// What the visitor added on Amazon: credited, never in a cart report.
		for range r.IntN(3) {
			rows = append(rows, orderRow{od, others[r.IntN(len(others))], 1, ltCarts, true, device(r)})
		}
	}
	// The rest of the year's orders came through the store's other links.
	for len(rows) < wantRows {
		lt := ltText
		switch n := r.IntN(20); {
		case n < 5:
			lt = ltProduct
		case n < 7:
			lt = ltSearch
		}
		d := pickDay()
		pr := cat[r.IntN(len(cat))]
		indirect := r.IntN(10) < 3
		if indirect {
			pr = others[r.IntN(len(others))]
		}
		if !indirect {
			clicks[lt][d]++
		}
		rows = append(rows, orderRow{d, pr, 1 + min(r.IntN(3), r.IntN(4)), lt, indirect, device(r)})
	}
	slices.SortStableFunc(rows, func(a, b orderRow) int { return a.day - b.day })
	// Clicks that bought nothing: most clicks. A text link converts at a
	// few percent, a search box worse.
	perOrder := map[string]float64{ltText: 15 + 10*r.Float64(), ltProduct: 8 + 6*r.Float64(), ltSearch: 20 + 10*r.Float64()}
	linkRows := map[string]int{}
	for _, o := range rows {
		linkRows[o.link]++
	}
	for lt, k := range perOrder {
		want := k * float64(linkRows[lt])
		for d := range days {
			clicks[lt][d] += poisson(r, want*weights[d]/total)
		}
	}

	stats := map[string]*linkStats{}
	dayOrdered, day3P := make([]int, days), make([]int, days)
	for _, o := range rows {
		s := stats[o.link]
		if s == nil {
			s = &linkStats{}
			stats[o.link] = s
		}
		s.ordered += o.qty
		s.revenue += o.qty * o.p.cents
		if r.IntN(100) < 96 {
			s.shipped += o.qty
		}
		if r.IntN(100) < 80 {
			dayOrdered[o.day] += o.qty
		} else {
			day3P[o.day] += o.qty
		}
	}
	dayClicks := make([]int, days)
	for _, lt := range linkTypes {
		s := stats[lt]
		if s == nil {
			s = &linkStats{}
			stats[lt] = s
		}
		for d, n := range clicks[lt] {
			s.clicks += n
			dayClicks[d] += n
		}
	}

	b.add("Fee-LinkType.csv", linkTypeReport(p.m, from, to, stats, r.IntN(2) == 0))
	b.add("Fee-Orders.csv", ordersReport(p.m, p.realID, from, to, rows))

	var w bytes.Buffer
	w.WriteString(p.m.title("Tracking", from, to))
	fmt.Fprintf(&w, "Tracking ID,Clicks,Items Ordered,Items Shipped,Revenue(%s),Ad Fees(%s)\n", p.m.col, p.m.col)
	var sum linkStats
	for _, s := range stats {
		sum.clicks, sum.ordered, sum.shipped, sum.revenue = sum.clicks+s.clicks, sum.ordered+s.ordered, sum.shipped+s.shipped, sum.revenue+s.revenue
	}
	fmt.Fprintf(&w, "%s,%d,%d,%d,%s,%s\n", p.realID, sum.clicks, sum.ordered, sum.shipped, money(sum.revenue), money(int(float64(sum.revenue)*p.m.feePct/100)))
	// The account's other tracking IDs, for its other sites.
	for k := range r.IntN(3) {
		body, suffix, _ := strings.Cut(p.realID, "-")
		c, o := r.IntN(500), r.IntN(30)
		rev := o * (500 + r.IntN(4000))
		fmt.Fprintf(&w, "%s%d-%s,%d,%d,%d,%s,%s\n", body, k+1, suffix, c, o, o, money(rev), money(int(float64(rev)*p.m.feePct/100)))
	}
	b.add("Fee-Tracking.csv", bytes.Clone(w.Bytes()))

	w.Reset()
	w.WriteString(p.m.title("DailyTrends", from, to))
	w.WriteString("Date,Clicks,Items Ordered (Amazon),Items Ordered (3rd Party),Total Items Ordered,Conversion\n")
	for d := range days {
		all := dayOrdered[d] + day3P[d]
		fmt.Fprintf(&w, "%s,%d,%d,%d,%d,%s\n", p.m.reportDate(from.AddDate(0, 0, d)), dayClicks[d], dayOrdered[d], day3P[d], all, conversion(all, dayClicks[d]))
	}
	b.add("Fee-DailyTrends.csv", bytes.Clone(w.Bytes()))

	b.add("Remote Cart Reports 2009.mbox", mbox(r, p, carts))
	return p, b
}

// poisson draws from a Poisson distribution of mean lambda (Knuth's method
// for small means, a rounded normal for large ones).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, prod := math.Exp(-lambda), 0, r.Float64()
	for prod > l {
		k++
		prod *= r.Float64()
	}
	return k
}

// storeSet is what writeStores wrote.
type storeSet struct {
	dir     string
	names   map[string]bool // the store names triage will report
	files   []string        // every file written, for cat
	bytes   int64
	zips    int
	flaws   map[flaw]int
	sharing int // stores whose tracking ID another store also uses
}

// writeStores writes n stores made by gen into dir, on every CPU.
func writeStores(dir string, n int, seed uint64, gen func(seed uint64, i int) (profile, *bundle, bool, bool)) (*storeSet, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	set := &storeSet{dir: dir, names: map[string]bool{}, flaws: map[flaw]int{}}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan int)
		ids   = map[string]int{}
	)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, b, asZip, inFolder := gen(seed, i)
				written, err := b.write(dir, p.dir, asZip, inFolder, time.Date(2009, 12, 1, 12, 0, 0, 0, time.UTC))
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				set.names[p.dir] = true
				set.bytes += written
				set.flaws[p.flaw]++
				ids[p.realID]++
				if asZip {
					set.zips++
					set.files = append(set.files, filepath.Join(dir, p.dir+".zip"))
				} else {
					for _, f := range b.files {
						set.files = append(set.files, filepath.Join(dir, p.dir, filepath.FromSlash(f.name)))
					}
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, c := range ids {
		if c > 1 {
			set.sharing += c
		}
	}
	sort.Strings(set.files)
	return set, first
}

func yearStoreGen(seed uint64, i int) (profile, *bundle, bool, bool) {
	p, b := yearStore(seed, i)
	return p, b, false, false
}
