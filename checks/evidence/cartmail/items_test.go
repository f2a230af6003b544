package cartmail

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/evidence/amazonurl"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

func TestParseItems(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []store.CartItem
	}{
		{
			name: "title line then fields line, no blank lines or numbers",
			text: "Fiskars 9163 Steel Bow Saw, 21 Inch\nASIN: B00002N5Z2 Qty: 1 Price: $17.99\nCorona BP 3180 ClassicCUT Bypass Pruner\nASIN: B00002N66H Qty: 2 Price: $13.99\nThanks for shopping!\n",
			want: []store.CartItem{
				item("B00002N5Z2", bowSaw, 1, "$17.99"),
				item("B00002N66H", "Corona BP 3180 ClassicCUT Bypass Pruner", 2, "$13.99"),
			},
		},
		{
			name: "field lines, one item after another",
			text: "Title: Fiskars 9163 Steel Bow Saw, 21 Inch\nASIN: B00002N5Z2\nQuantity: 2\nPrice: $17.99\nTitle: Corona BP 3180 ClassicCUT Bypass Pruner\nASIN: B00002N66H\nQuantity: 1\nPrice: $13.99\n",
			want: []store.CartItem{
				item("B00002N5Z2", bowSaw, 2, "$17.99"),
				item("B00002N66H", "Corona BP 3180 ClassicCUT Bypass Pruner", 1, "$13.99"),
			},
		},
		{
			name: "field lines with the ASIN first",
			text: "ASIN: B00002N5Z2\nTitle: Fiskars 9163 Steel Bow Saw, 21 Inch\nQty: 3\n\nCart subtotal: $53.97\n",
			want: []store.CartItem{item("B00002N5Z2", bowSaw, 3, "")},
		},
		{
			name: "pipe table with borders",
			text: "| ASIN | Product | Quantity | Unit price |\n|------|---------|----------|------------|\n| B00002N5Z2 | Fiskars 9163 Steel Bow Saw, 21 Inch | 1 | $17.99 |\n| B00002N66H | Corona BP 3180 ClassicCUT Bypass Pruner | 2 | $13.99 |\n| | Subtotal | | $45.97 |\n",
			want: []store.CartItem{
				item("B00002N5Z2", bowSaw, 1, "$17.99"),
				item("B00002N66H", "Corona BP 3180 ClassicCUT Bypass Pruner", 2, "$13.99"),
			},
		},
		{
			name: "table without an ASIN column: the ASIN from the title's link",
			text: "Item\tQty\tPrice\nFiskars 9163 Steel Bow Saw, 21 Inch <https://www.amazon.com/dp/B00002N5Z2?tag=gardenshop-20>\t1\t$17.99\n",
			want: []store.CartItem{item("B00002N5Z2", bowSaw, 1, "$17.99")},
		},
		{
			name: "title over a product link",
			text: "1. Fiskars 9163 Steel Bow Saw, 21 Inch\n   http://www.amazon.com/dp/B00002N5Z2%3FSubscriptionId%3DAKIAIOSFODNN7EXAMPLE%26tag%3Dgardenshop-20\n",
			want: []store.CartItem{item("B00002N5Z2", bowSaw, 0, "")},
		},
		{
			name: "quoted in a reply",
			text: "> 1. Fiskars 9163 Steel Bow Saw, 21 Inch\n>    ASIN: B00002N5Z2   Qty: 1   Price: $17.99\n",
			want: []store.CartItem{item("B00002N5Z2", bowSaw, 1, "$17.99")},
		},
		{
			name: "lower-case labelled ASIN",
			text: "asin: b00002n5z2 qty 2\n",
			want: []store.CartItem{item("B00002N5Z2", "", 2, "")},
		},
		{
			name: "the same ASIN twice is one item",
			text: "ASIN: B00002N5Z2 Qty: 2\n\nFiskars 9163 Steel Bow Saw, 21 Inch (B00002N5Z2) $17.99\n",
			want: []store.CartItem{item("B00002N5Z2", bowSaw, 2, "$17.99")},
		},
		{
			name: "several ASINs on one line",
			text: "ASINs: B00002N5Z2, B00002N66H\n",
			want: []store.CartItem{item("B00002N5Z2", "", 0, ""), item("B00002N66H", "", 0, "")},
		},
		{
			name: "yen and pound",
			text: "B00002N5Z2 Fiskars Bow Saw ¥1,980 x2\nB00002N66H Corona Pruner £12.50\n",
			want: []store.CartItem{item("B00002N5Z2", "Fiskars Bow Saw", 2, "¥1,980"), item("B00002N66H", "Corona Pruner", 0, "£12.50")},
		},
		{
			name: "unlabelled numbers are not ISBNs",
			text: "Order 0596007973 was placed from 203.0.113.45; call 5551234567.\n",
		},
		{
			name: "no items",
			text: "A visitor to Garden Shop Supplies has checked out to Amazon.\n\nCart subtotal: $0.00\n",
		},
		{
			name: "a cart URL lists no item by itself in the text",
			text: "Amazon cart: https://www.amazon.com/gp/aws/cart/add.html?AssociateTag=gardenshop-20&ASIN.1=B00002N5Z2&Quantity.1=1\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseItems(tc.text)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("items:\n got %s\nwant %s", fmtItems(got), fmtItems(tc.want))
			}
		})
	}
}

func TestCartURLItems(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want []store.CartItem
	}{
		{"https://www.amazon.com/gp/aws/cart/add.html?AssociateTag=gardenshop-20&ASIN.2=B00002N66H&Quantity.2=3&ASIN.1=B00002N5Z2&Quantity.1=1",
			[]store.CartItem{item("B00002N5Z2", "", 1, ""), item("B00002N66H", "", 3, "")}},
		{"http://webservices.amazon.com/onca/xml?Service=AWSECommerceService&Operation=CartCreate&AssociateTag=gardenshop-20&Item.1.ASIN=B00002N5Z2&Item.1.Quantity=2",
			[]store.CartItem{item("B00002N5Z2", "", 2, "")}},
		{"http://www.amazon.com/exec/obidos/dt/assoc/handle-buy-box=B00002N5Z2?tag-value=gardenshop-20&asin.B00002N5Z2=1",
			[]store.CartItem{item("B00002N5Z2", "", 1, "")}},
		{"https://www.amazon.com/dp/B00002N5Z2?tag=gardenshop-20", nil},
		{"https://example.com/gp/aws/cart/add.html?ASIN.1=B00002N5Z2&Quantity.1=1", nil},
	} {
		var is items
		cartURLItems(&is, amazonurl.Classify(tc.url, store.Source{}))
		if !reflect.DeepEqual(is.list, tc.want) {
			t.Errorf("cartURLItems(%s):\n got %s\nwant %s", tc.url, fmtItems(is.list), fmtItems(tc.want))
		}
	}
}

func TestHTMLText(t *testing.T) {
	text, hrefs := htmlText(`<html><head><title>x</title><style>p{}</style></head><body>
<table><tr><td>
<p>A visitor   checked
out.<br>Visitor IP: 203.0.113.45</p>
<table><tr><th>Item</th><th>Qty</th></tr>
<tr><td><a href="https://www.amazon.com/dp/B00002N5Z2?tag=a-20&amp;x=1">Bow <b>Saw</b></a></td><td>1</td></tr></table>
</td></tr></table>
<script>var cart = "no";</script>
<a href="mailto:owner@example.com">mail</a></body></html>`)
	want := "A visitor checked out.\nVisitor IP: 203.0.113.45\nItem\tQty\nBow Saw <https://www.amazon.com/dp/B00002N5Z2?tag=a-20&x=1>\t1\nmail"
	if got := strings.TrimSpace(text); got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	if want := []string{"https://www.amazon.com/dp/B00002N5Z2?tag=a-20&x=1", "mailto:owner@example.com"}; !reflect.DeepEqual(hrefs, want) {
		t.Errorf("hrefs = %q, want %q", hrefs, want)
	}
}

func TestToUTF8(t *testing.T) {
	for _, tc := range []struct {
		in, charset, want string
	}{
		{"caf\xe9 \xa312", "ISO-8859-1", "café £12"},
		{"Gardener\x92s \x96 \x80", "", "Gardener’s – €"},
		{"Gardener\x92s", "windows-1252", "Gardener’s"},
		{"café", "utf-8", "café"},
		{"caf\xe9 ok", "utf-8", "caf\uFFFD ok"},
		{"caf\xc3\xa9", "iso-8859-1", "cafÃ©"}, // declared Latin-1 is Latin-1
	} {
		if got := toUTF8([]byte(tc.in), tc.charset); got != tc.want {
			t.Errorf("toUTF8(%q, %q) = %q, want %q", tc.in, tc.charset, got, tc.want)
		}
	}
	if got := decodeHeader("=?ISO-8859-1?Q?Remote_Cart_Report:_Cornish_Teas_=96_Caf=E9?="); got != "Remote Cart Report: Cornish Teas – Café" {
		t.Errorf("decodeHeader = %q", got)
	}
	if got := decodeHeader("=?x-unknown?Q?abc?="); got != "=?x-unknown?Q?abc?=" {
		t.Errorf("decodeHeader kept %q", got)
	}
}

func TestLenientQP(t *testing.T) {
	if got := string(LenientQP([]byte("cart-id=187&tag=3Dx=\nyz =C3=A9 =ZZ"))); got != "cart-id\x187&tag=xyz é =ZZ" {
		t.Errorf("lenientQP = %q", got)
	}
}
