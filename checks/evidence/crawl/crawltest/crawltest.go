// Package crawltest serves an AOM-like store for the crawler's tests and
// benchmarks: home, category, item and view-cart pages linked as AOM links
// them (shop.php?c=...&i=...), Amazon links with the API's encoded tag, and
// add-to-cart and checkout forms with a hidden AssociateTag. Pages are made
// per request from a few numbers, so a test can ask for a store of any size
// and with the mistakes it needs, and nothing ever leaves loopback.
package crawltest

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// AOMID is the tracking ID AOM Lite puts on about 1 in 10 buy buttons.
const AOMID = "associatomati-20"

// Store describes the store to serve. Zero values take the defaults.
type Store struct {
	Name             string // default "Garden Shop Supplies"
	ID               string // the Associate ID on links and forms; default "gardenshop-20"
	CartID           string // the ID on add-to-cart and checkout forms; default ID
	Categories       int    // default 3
	ItemsPerCategory int    // default 4
	// Lite makes every 10th item's links and forms carry AOMID, as AOM Lite
	// does with its buy buttons.
	Lite bool
	// Extra are more hrefs on the home page, for the paths a test serves
	// itself (a redirect loop, a page that never answers, another host).
	Extra []string
}

// Pages is the number of pages the store has: home, view cart, the
// categories and their items.
func (s Store) Pages() int {
	s = s.withDefaults()
	return 2 + s.Categories*(1+s.ItemsPerCategory)
}

func (s Store) withDefaults() Store {
	if s.Name == "" {
		s.Name = "Garden Shop Supplies"
	}
	if s.ID == "" {
		s.ID = "gardenshop-20"
	}
	if s.CartID == "" {
		s.CartID = s.ID
	}
	if s.Categories <= 0 {
		s.Categories = 3
	}
	if s.ItemsPerCategory <= 0 {
		s.ItemsPerCategory = 4
	}
	return s
}

var categoryNames = []string{"Lawn-Garden", "Kitchen", "Tools", "Patio", "Books", "Outdoor-Power", "Pet-Supplies", "Lighting"}

var titles = []string{"Fiskars 9163 Steel Bow Saw, 21 Inch", "Dramm 12380 Touch N Flow Revolver Spray Gun",
	"Corona BP 3180 Bypass Pruner", "Espoma GT4 4-Pound Garden Tone", "Gardman 7634 Hanging Basket Bracket",
	"Melnor 65015 Water Timer", "Bond LH002 Heavy Duty Garden Trowel", "Ames 2917200 Leaf Rake"}

func (s Store) category(c int) string {
	if c < len(categoryNames) {
		return categoryNames[c]
	}
	return "Category-" + strconv.Itoa(c+1)
}

// item numbers run across the store, so "every 10th" is the store's share.
func (s Store) item(c, i int) (n int, asin, title string) {
	n = c*s.ItemsPerCategory + i
	return n, fmt.Sprintf("B000%06d", 100000+n*7919%900000), titles[n%len(titles)]
}

func (s Store) idFor(n int, id string) string {
	if s.Lite && n%10 == 9 {
		return AOMID
	}
	return id
}

// amazonLink is a product link as the Product Advertising API gave it to
// AOM: the tag percent-encoded inside the path.
func amazonLink(asin, title, id string) string {
	slug := strings.NewReplacer(" ", "-", ",", "", ".", "").Replace(title)
	return fmt.Sprintf("https://www.amazon.com/%s/dp/%s%%3FSubscriptionId%%3DAKIAJ7QX3MZ2RT5LWB4N%%26tag%%3D%s%%26linkCode%%3Dxm2%%26camp%%3D2025%%26creative%%3D165953%%26creativeASIN%%3D%s",
		slug, asin, id, asin)
}

// Handler serves the store at the root of a server. Unknown pages are 404s.
func (s Store) Handler() http.Handler {
	s = s.withDefaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var body string
		switch {
		case r.URL.Path == "/" || r.URL.Path == "/index.php":
			body = s.home()
		case r.URL.Path == "/shop.php" && q.Get("a") == "cart":
			body = s.cart()
		case r.URL.Path == "/shop.php" && q.Get("c") != "":
			c, i, ok := s.find(q.Get("c"), q.Get("i"))
			switch {
			case !ok:
				http.NotFound(w, r)
				return
			case i < 0:
				body = s.categoryPage(c)
			default:
				body = s.itemPage(c, i)
			}
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
}

func (s Store) find(cat, asin string) (c, i int, ok bool) {
	for c = range s.Categories {
		if s.category(c) != cat {
			continue
		}
		if asin == "" {
			return c, -1, true
		}
		for i = range s.ItemsPerCategory {
			if _, a, _ := s.item(c, i); a == asin {
				return c, i, true
			}
		}
	}
	return 0, 0, false
}

func (s Store) page(title, main string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>%s - %s</title>\n", html.EscapeString(title), html.EscapeString(s.Name))
	b.WriteString("<link rel=\"stylesheet\" href=\"templates/default/style.css\">\n</head>\n<body>\n<div id=\"header\"><a href=\"./\"><img src=\"images/logo.png\" alt=\"\"></a>\n<ul id=\"nav\">\n")
	for c := range s.Categories {
		fmt.Fprintf(&b, "<li><a href=\"shop.php?c=%s\">%s</a></li>\n", s.category(c), strings.ReplaceAll(s.category(c), "-", " &amp; "))
	}
	b.WriteString("<li><a href=\"shop.php?a=cart\">View Cart</a></li>\n</ul>\n</div>\n<div id=\"content\">\n")
	b.WriteString(main)
	b.WriteString("</div>\n<div id=\"footer\"><a href=\"#top\">Top</a> | Powered by <a href=\"https://www.associate-o-matic.com/\">Associate-O-Matic</a></div>\n</body>\n</html>\n")
	return b.String()
}

func (s Store) home() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<h1>Welcome to %s</h1>\n<div class=\"featured\">\n", html.EscapeString(s.Name))
	for c := range s.Categories {
		_, asin, title := s.item(c, 0)
		fmt.Fprintf(&b, "<div class=\"item\"><a href=\"shop.php?c=%s&amp;i=%s#reviews\">%s</a></div>\n", s.category(c), asin, html.EscapeString(title))
	}
	b.WriteString("</div>\n")
	for _, e := range s.Extra {
		fmt.Fprintf(&b, "<p><a href=\"%s\">%s</a></p>\n", html.EscapeString(e), html.EscapeString(e))
	}
	return s.page("Home", b.String())
}

func (s Store) categoryPage(c int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<h1>%s</h1>\n<table class=\"items\">\n", s.category(c))
	for i := range s.ItemsPerCategory {
		n, asin, title := s.item(c, i)
		fmt.Fprintf(&b, "<tr><td><a href=\"shop.php?c=%s&amp;i=%s\">%s</a></td><td><a href=\"%s\" target=\"_blank\">Buy from Amazon.com</a></td></tr>\n",
			s.category(c), asin, html.EscapeString(title), amazonLink(asin, title, s.idFor(n, s.ID)))
	}
	b.WriteString("</table>\n")
	return s.page(s.category(c), b.String())
}

func (s Store) itemPage(c, i int) string {
	n, asin, title := s.item(c, i)
	var b strings.Builder
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p><a href=\"shop.php?c=%s\">Back to %s</a></p>\n", html.EscapeString(title), s.category(c), s.category(c))
	fmt.Fprintf(&b, "<p class=\"detail\"><a href=\"%s\">See details on Amazon.com</a></p>\n", amazonLink(asin, title, s.idFor(n, s.ID)))
	fmt.Fprintf(&b, "<form id=\"add-to-cart\" method=\"GET\" action=\"https://www.amazon.com/gp/aws/cart/add.html\">\n"+
		"<input type=\"hidden\" name=\"AssociateTag\" value=\"%s\">\n"+
		"<input type=\"hidden\" name=\"SubscriptionId\" value=\"AKIAJ7QX3MZ2RT5LWB4N\">\n"+
		"<input type=\"hidden\" name=\"ASIN.1\" value=\"%s\">\n"+
		"<input type=\"text\" name=\"Quantity.1\" value=\"1\" size=\"2\">\n"+
		"<input type=\"submit\" value=\"Add to Cart\">\n</form>\n", s.idFor(n, s.CartID), asin)
	return s.page(title, b.String())
}

func (s Store) cart() string {
	_, a1, t1 := s.item(0, 0)
	_, a2, t2 := s.item(0, 1%s.ItemsPerCategory)
	main := fmt.Sprintf("<h1>Your Shopping Cart</h1>\n<table class=\"cart\">\n<tr><td>%s</td><td>1</td></tr>\n<tr><td>%s</td><td>2</td></tr>\n</table>\n"+
		"<form id=\"checkout\" method=\"POST\" action=\"https://www.amazon.com/gp/aws/cart/add.html\">\n"+
		"<input type=\"hidden\" name=\"AssociateTag\" value=\"%s\">\n"+
		"<input type=\"hidden\" name=\"ASIN.1\" value=\"%s\"><input type=\"hidden\" name=\"Quantity.1\" value=\"1\">\n"+
		"<input type=\"hidden\" name=\"ASIN.2\" value=\"%s\"><input type=\"hidden\" name=\"Quantity.2\" value=\"2\">\n"+
		"<input type=\"submit\" value=\"Proceed to Checkout\">\n</form>\n",
		html.EscapeString(t1), html.EscapeString(t2), s.CartID, a1, a2)
	return s.page("Shopping Cart", main)
}
