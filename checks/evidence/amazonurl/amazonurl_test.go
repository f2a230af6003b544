package amazonurl

import (
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// classifyCases are real-shaped URLs (the keys, IDs and cart IDs are made
// up) and what a user must see for each.
var classifyCases = []struct {
	name   string
	raw    string
	form   store.LinkForm
	id     string
	domain string
	host   string
	http   bool
}{
	// Plain query tags, as the Associates site builds them.
	{"query tag", "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20&linkCode=as2", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"query tag after others", "http://www.amazon.co.uk/gp/product/B000BQWDZ2/ref=as_li_ss_tl?ie=UTF8&camp=1634&creative=19450&creativeASIN=B000BQWDZ2&linkCode=as2&tag=cornishteas-21", store.FormQueryTag, "cornishteas-21", "amazon.co.uk", "www.amazon.co.uk", true},
	{"query tag capital name", "https://www.amazon.de/dp/B00005N5PF/?Tag=Gartenladen-21", store.FormQueryTag, "Gartenladen-21", "amazon.de", "www.amazon.de", false},
	{"slug product", "https://www.amazon.com/Fiskars-9163-Steel-Bow-Saw/dp/B00002N5Z2/ref=sr_1_1?keywords=bow+saw&tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"search with tag", "https://www.amazon.ca/s?k=pruning+shears&tag=gardenshopca-20", store.FormQueryTag, "gardenshopca-20", "amazon.ca", "www.amazon.ca", false},
	{"home page with tag", "https://www.amazon.com/?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"smile", "https://smile.amazon.com/dp/B00005N5PF?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "smile.amazon.com", false},
	{"bare domain", "https://amazon.co.jp/dp/4048686585?tag=niwashop-22", store.FormQueryTag, "niwashop-22", "amazon.co.jp", "amazon.co.jp", false},
	{"upper-case host", "HTTPS://WWW.AMAZON.COM/dp/B00005N5PF?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"port and fragment", "https://www.amazon.com:443/dp/B00005N5PF?tag=gardenshop-20#customerReviews", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"id kept as written", "https://www.amazon.com/dp/B00005N5PF?tag=GardenShop-20", store.FormQueryTag, "GardenShop-20", "amazon.com", "www.amazon.com", false},
	{"id with encoded space", "https://www.amazon.com/dp/B00005N5PF?tag=%20gardenshop-20", store.FormQueryTag, " gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"empty tag", "https://www.amazon.com/dp/B00005N5PF?tag=&linkCode=as2", store.FormQueryTag, "", "amazon.com", "www.amazon.com", false},
	{"amzn.com short product", "http://amzn.com/B00005N5PF?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "amzn.com", true},
	{"australia", "https://www.amazon.com.au/dp/B00005N5PF?tag=gardenshopau-22", store.FormQueryTag, "gardenshopau-22", "amazon.com.au", "www.amazon.com.au", false},
	{"mexico", "https://www.amazon.com.mx/dp/B00005N5PF?tag=jardin-20", store.FormQueryTag, "jardin-20", "amazon.com.mx", "www.amazon.com.mx", false},

	// The old API's links: the tag URL-encoded inside the path.
	{"encoded tag", "http://www.amazon.com/dp/B00005N5PF%3FSubscriptionId%3D1A2B3C4D5E6F7G8H9J0K%26tag%3Dgardenshop-20%26linkCode%3Dxm2%26camp%3D2025%26creative%3D165953%26creativeASIN%3DB00005N5PF", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"encoded tag lower-case escapes", "http://www.amazon.co.uk/dp/B000BQWDZ2%3fSubscriptionId%3d1A2B3C4D5E6F7G8H9J0K%26tag%3dcornishteas-21%26linkCode%3dxm2", store.FormEncodedTag, "cornishteas-21", "amazon.co.uk", "www.amazon.co.uk", true},
	{"double-encoded tag", "http://www.amazon.com/dp/B00005N5PF%253FSubscriptionId%253D1A2B3C4D5E6F7G8H9J0K%2526tag%253Dgardenshop-20%2526linkCode%253Dxm2", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"o/ASIN encoded", "http://www.amazon.com/o/ASIN/B00005N5PF%3FSubscriptionId=1A2B3C4D5E6F7G8H9J0K%26tag=gardenshop-20%26linkCode=xm2", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"redirect.html of ECS 4", "http://www.amazon.com/gp/redirect.html%3FASIN=B00005N5PF%26tag=gardenshop-20%26lcode=xm2%26cID=2025%26ccmID=165953%26location=/o/ASIN/B00005N5PF%253FSubscriptionId=1A2B3C4D5E6F7G8H9J0K", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"encoded query after ?", "https://www.amazon.com/dp/B00005N5PF?SubscriptionId%3DKEY%26tag%3Dgardenshop-20", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"encoded tag in the tag's own value", "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop%252D20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"redirect with the tag in its location", "https://www.amazon.com/gp/redirect.html?ie=UTF8&location=https%3A%2F%2Fwww.amazon.com%2Fdp%2FB00005N5PF%3Ftag%3Dgardenshop-20", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"redirect with its own tag", "https://www.amazon.com/gp/redirect.html?ie=UTF8&location=https%3A%2F%2Fwww.amazon.com%2Fdp%2FB00005N5PF&tag=gardenshop-20&linkCode=ur2", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"obidos path tag", "http://www.amazon.com/exec/obidos/ASIN/B00005N5PF/gardenshop-20", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"obidos nosim", "http://www.amazon.com/exec/obidos/ASIN/0596000278/ref=nosim/gardenshop-20/102-1234567-1234567", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"o/ASIN path tag", "http://www.amazon.co.uk/o/ASIN/B000BQWDZ2/cornishteas-21", store.FormEncodedTag, "cornishteas-21", "amazon.co.uk", "www.amazon.co.uk", true},
	{"obidos ISBN", "http://www.amazon.com/exec/obidos/ISBN=0596000278/gardenshop-20", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"obidos redirect-home", "http://www.amazon.com/exec/obidos/redirect-home/gardenshop-20", store.FormEncodedTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},
	{"obidos session only", "http://www.amazon.com/exec/obidos/ASIN/B00005N5PF/102-1234567-1234567", store.FormProduct, "", "amazon.com", "www.amazon.com", true},
	{"obidos query tag", "http://www.amazon.com/exec/obidos/redirect?tag=gardenshop-20&path=tg/browse/-/1000", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", true},

	// Remote carts.
	{"cart merge", "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=102-7344651-9283214&associate-id=gardenshop-20&hmac=Yt9Zl6SDwm%2BN3uaB3kJpsH8hb4I%3D&SubscriptionId=AKIAIOSFODNN7EXAMPLE&MergeCart=False", store.FormCartMerge, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"cart merge AWSAccessKeyId", "http://www.amazon.co.uk/gp/cart/aws-merge.html?cart-id=026-1234567-7654321%26associate-id%3Dcornishteas-21%26hmac%3Dabc%26AWSAccessKeyId%3DAKIAIOSFODNN7EXAMPLE", store.FormCartMerge, "cornishteas-21", "amazon.co.uk", "www.amazon.co.uk", true},
	{"cart merge no id", "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=102-7344651-9283214&hmac=abc&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE", store.FormCartMerge, "", "amazon.com", "www.amazon.com", false},
	{"cart merge empty id", "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=102-7344651-9283214&associate-id=&hmac=abc", store.FormCartMerge, "", "amazon.com", "www.amazon.com", false},
	{"cart merge Associate_ID", "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=1&Associate_ID=gardenshop-20", store.FormCartMerge, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"add to cart", "https://www.amazon.com/gp/aws/cart/add.html?AssociateTag=gardenshop-20&ASIN.1=B00002N5Z2&Quantity.1=1&ASIN.2=B0000AX9EA&Quantity.2=2", store.FormAddToCart, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"add to cart tag=", "https://www.amazon.de/gp/aws/cart/add.html?tag=gartenladen-21&ASIN.1=B00002N5Z2&Quantity.1=1", store.FormAddToCart, "gartenladen-21", "amazon.de", "www.amazon.de", false},
	{"add to cart no id", "https://www.amazon.com/gp/aws/cart/add.html?ASIN.1=B00002N5Z2&Quantity.1=1", store.FormAddToCart, "", "amazon.com", "www.amazon.com", false},
	{"obidos buy box", "http://www.amazon.com/exec/obidos/dt/assoc/handle-buy-box=B00002N5Z2?tag-value=gardenshop-20&asin.B00002N5Z2=1", store.FormAddToCart, "gardenshop-20", "amazon.com", "www.amazon.com", true},

	// API requests.
	{"REST request", "http://webservices.amazon.com/onca/xml?Service=AWSECommerceService&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Operation=CartCreate&AssociateTag=gardenshop-20&Item.1.ASIN=B00002N5Z2&Item.1.Quantity=1", store.FormAPIRequest, "gardenshop-20", "amazon.com", "webservices.amazon.com", true},
	{"REST request UK", "https://webservices.amazon.co.uk/onca/xml?Service=AWSECommerceService&Operation=ItemLookup&associatetag=cornishteas-21", store.FormAPIRequest, "cornishteas-21", "amazon.co.uk", "webservices.amazon.co.uk", false},
	{"REST request ecs host", "http://ecs.amazonaws.com/onca/xml?Service=AWSECommerceService&Operation=ItemSearch&AssociateTag=gardenshop-20", store.FormAPIRequest, "gardenshop-20", "amazon.com", "ecs.amazonaws.com", true},
	{"REST request ecs Japan", "http://ecs.amazonaws.jp/onca/xml?Service=AWSECommerceService&AssociateTag=niwashop-22", store.FormAPIRequest, "niwashop-22", "amazon.co.jp", "ecs.amazonaws.jp", true},
	{"REST request no tag", "http://webservices.amazon.com/onca/xml?Service=AWSECommerceService&Operation=ItemLookup", store.FormAPIRequest, "", "amazon.com", "webservices.amazon.com", true},
	{"SOAP endpoint", "https://webservices.amazon.com/onca/soap?Service=AWSECommerceService", store.FormAPIRequest, "", "amazon.com", "webservices.amazon.com", false},
	{"ECS 3", "http://xml.amazon.com/onca/xml3?t=gardenshop-20&dev-t=D1ABCDEFGHIJKL&AsinSearch=B00002N5Z2&type=lite&f=xml", store.FormAPIRequest, "gardenshop-20", "amazon.com", "xml.amazon.com", true},
	{"XSLT service", "http://xml-us.amznxslt.com/onca/xml?Service=AWSECommerceService&AssociateTag=gardenshop-20", store.FormAPIRequest, "gardenshop-20", "amazon.com", "xml-us.amznxslt.com", true},
	{"WSDL", "http://webservices.amazon.com/AWSECommerceService/AWSECommerceService.wsdl", store.FormOtherAmazon, "", "amazon.com", "webservices.amazon.com", true},

	// Links with no ID.
	{"product no id", "https://www.amazon.com/dp/B00005N5PF", store.FormProduct, "", "amazon.com", "www.amazon.com", false},
	{"gp/product no id", "https://www.amazon.fr/gp/product/B00005N5PF/ref=ox_sc_act_title_1", store.FormProduct, "", "amazon.fr", "www.amazon.fr", false},
	{"search no id", "https://www.amazon.it/s?k=cesoie", store.FormProduct, "", "amazon.it", "www.amazon.it", false},
	{"AssociateTag is no product tag", "https://www.amazon.com/dp/B00005N5PF?AssociateTag=gardenshop-20", store.FormProduct, "", "amazon.com", "www.amazon.com", false},
	{"encoded path no tag", "http://www.amazon.com/dp/B00005N5PF%3FSubscriptionId%3D1A2B3C4D5E6F7G8H9J0K%26linkCode%3Dxm2", store.FormProduct, "", "amazon.com", "www.amazon.com", true},
	{"india", "https://www.amazon.in/dp/B00005N5PF", store.FormProduct, "", "amazon.in", "www.amazon.in", false},
	{"brazil", "https://www.amazon.com.br/dp/B00005N5PF", store.FormProduct, "", "amazon.com.br", "www.amazon.com.br", false},
	{"netherlands", "https://www.amazon.nl/dp/B00005N5PF", store.FormProduct, "", "amazon.nl", "www.amazon.nl", false},
	{"spain", "https://www.amazon.es/dp/B00005N5PF", store.FormProduct, "", "amazon.es", "www.amazon.es", false},

	// Amazon, but nothing a store's ID travels in.
	{"images", "http://ecx.images-amazon.com/images/I/41Xq8rRZ6ZL._SL160_.jpg", store.FormOtherAmazon, "", "images-amazon.com", "ecx.images-amazon.com", true},
	{"ssl images", "https://images-na.ssl-images-amazon.com/images/I/41Xq8rRZ6ZL.jpg", store.FormOtherAmazon, "", "ssl-images-amazon.com", "images-na.ssl-images-amazon.com", false},
	{"media", "https://m.media-amazon.com/images/I/41Xq8rRZ6ZL._AC_SL1000_.jpg", store.FormOtherAmazon, "", "media-amazon.com", "m.media-amazon.com", false},
	{"amzn.to", "https://amzn.to/3xYz9Qp", store.FormOtherAmazon, "", "amzn.to", "amzn.to", false},
	{"associates site", "https://affiliate-program.amazon.com/home/account/tag/manage", store.FormOtherAmazon, "", "amazon.com", "affiliate-program.amazon.com", false},
	{"associates sign-in", "https://www.amazon.com/ap/signin?openid.return_to=https%3A%2F%2Faffiliate-program.amazon.com%2F", store.FormOtherAmazon, "", "amazon.com", "www.amazon.com", false},
	{"widget", "http://rcm.amazon.com/e/cm?t=gardenshop-20&o=1&p=8&l=as1&asins=B00002N5Z2", store.FormOtherAmazon, "", "amazon.com", "rcm.amazon.com", true},
	{"ad system", "https://ws-na.amazon-adsystem.com/widgets/q?ServiceVersion=20070822&OneJS=1&tag=gardenshop-20", store.FormOtherAmazon, "", "amazon-adsystem.com", "ws-na.amazon-adsystem.com", false},
	{"impression pixel", "http://www.assoc-amazon.com/e/ir?t=gardenshop-20&l=as2&o=1&a=B00002N5Z2", store.FormOtherAmazon, "", "assoc-amazon.com", "www.assoc-amazon.com", true},

	// Not Amazon.
	{"lookalike suffix", "https://www.amazon.com.evil.example/dp/B00005N5PF?tag=gardenshop-20", store.FormNotAmazon, "", "", "www.amazon.com.evil.example", false},
	{"lookalike prefix", "https://notamazon.com/dp/B00005N5PF?tag=gardenshop-20", store.FormNotAmazon, "", "", "notamazon.com", false},
	{"lookalike hyphen", "https://amazon-com.example/dp/B00005N5PF?tag=gardenshop-20", store.FormNotAmazon, "", "", "amazon-com.example", false},
	{"user info trick", "https://www.amazon.com@evil.example/dp/B00005N5PF?tag=gardenshop-20", store.FormNotAmazon, "", "", "evil.example", false},
	{"cyrillic a", "https://www.amаzon.com/dp/B00005N5PF", store.FormNotAmazon, "", "", "", false},
	{"S3 bucket", "https://gardenshop.s3.amazonaws.com/logo.png", store.FormNotAmazon, "", "", "gardenshop.s3.amazonaws.com", false},
	{"store's own page", "http://www.gardenshopsupplies.example/index.php?a=B00002N5Z2", store.FormNotAmazon, "", "", "www.gardenshopsupplies.example", true},
	{"redirector holding an Amazon URL", "https://click.example.com/r?u=https%3A%2F%2Fwww.amazon.com%2Fdp%2FB00005N5PF%3Ftag%3Dgardenshop-20", store.FormNotAmazon, "", "", "click.example.com", false},
	{"mailto", "mailto:orders@amazon.com", store.FormNotAmazon, "", "", "", false},
	{"javascript", "javascript:void(0)", store.FormNotAmazon, "", "", "", false},
	{"ftp", "ftp://ftp.amazon.com/pub", store.FormNotAmazon, "", "", "", false},
	{"plain text", "Price: $17.99", store.FormNotAmazon, "", "", "", false},
	{"an ASIN alone", "B00005N5PF", store.FormNotAmazon, "", "", "", false},
	{"empty", "", store.FormNotAmazon, "", "", "", false},
	{"just a scheme", "https://", store.FormNotAmazon, "", "", "", false},
	{"IP address", "http://203.0.113.45/dp/B00005N5PF", store.FormNotAmazon, "", "", "203.0.113.45", true},

	// Tolerance: what text and HTML wrap around a URL.
	{"angle brackets", "<https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20>", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"URL: wrapper", "<URL:https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20>", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"sentence end", "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20.", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"in parentheses", "(https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20),", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"quoted", `"https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20"`, store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"spaces around", "  \thttps://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20 \r\n", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"html amp", "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=102-7344651-9283214&amp;associate-id=gardenshop-20&amp;hmac=abc", store.FormCartMerge, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"html amp twice", "https://www.amazon.com/dp/B00005N5PF?linkCode=as2&amp;amp;tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"numeric amp", "https://www.amazon.com/gp/aws/cart/add.html?ASIN.1=B00002N5Z2&#38;AssociateTag=gardenshop-20", store.FormAddToCart, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"no entity guessing", "https://www.amazon.com/dp/B00005N5PF?region=US&tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"no scheme", "www.amazon.com/dp/B00005N5PF?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"protocol relative", "//www.amazon.com/dp/B00005N5PF?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"bad escape elsewhere", "https://www.amazon.com/dp/B00005N5PF?keywords=50%off&tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
	{"trailing dot host", "https://www.amazon.com./dp/B00005N5PF?tag=gardenshop-20", store.FormQueryTag, "gardenshop-20", "amazon.com", "www.amazon.com", false},
}

func TestClassify(t *testing.T) {
	src := store.Source{Path: "links.txt", Line: 7, Field: "message 2"}
	for _, tc := range classifyCases {
		t.Run(tc.name, func(t *testing.T) {
			l := Classify(tc.raw, src)
			if l.Form != tc.form || l.ID != tc.id || l.Domain != tc.domain || l.Host != tc.host || l.HTTP != tc.http {
				t.Errorf("Classify(%q)\n got form=%s id=%q domain=%q host=%q http=%v\nwant form=%s id=%q domain=%q host=%q http=%v",
					tc.raw, l.Form, l.ID, l.Domain, l.Host, l.HTTP, tc.form, tc.id, tc.domain, tc.host, tc.http)
			}
			if l.URL != tc.raw {
				t.Errorf("URL = %q, want it as found: %q", l.URL, tc.raw)
			}
			if l.Source != src {
				t.Errorf("Source = %+v, want %+v", l.Source, src)
			}
		})
	}
}

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<https://www.amazon.com/dp/B00005N5PF>.", "https://www.amazon.com/dp/B00005N5PF"},
		{"https://en.example.org/wiki/Saw_(tool)", "https://en.example.org/wiki/Saw_(tool)"},
		{"(see https://www.amazon.com/dp/B00005N5PF)", "see https://www.amazon.com/dp/B00005N5PF"},
		{"https://www.amazon.com/?a=1&amp;b=2", "https://www.amazon.com/?a=1&b=2"},
		{"  'www.amazon.com'  ", "www.amazon.com"},
		{"", ""},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var forms = map[store.LinkForm]bool{
	store.FormQueryTag: true, store.FormEncodedTag: true, store.FormCartMerge: true,
	store.FormAddToCart: true, store.FormAPIRequest: true, store.FormProduct: true,
	store.FormOtherAmazon: true, store.FormNotAmazon: true,
}

func FuzzClassify(f *testing.F) {
	for _, tc := range classifyCases {
		f.Add(tc.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l := Classify(raw, store.Source{Path: "fuzz"})
		if !forms[l.Form] {
			t.Fatalf("Classify(%q): form %q is none of the constants", raw, l.Form)
		}
		if l.URL != raw {
			t.Fatalf("URL %q changed to %q", raw, l.URL)
		}
		if l.Form == store.FormNotAmazon && (l.Domain != "" || l.ID != "") {
			t.Fatalf("Classify(%q): not Amazon but domain %q, id %q", raw, l.Domain, l.ID)
		}
		if l.Form != store.FormNotAmazon && l.Domain == "" {
			t.Fatalf("Classify(%q): Amazon form %s with no domain", raw, l.Form)
		}
		if (l.Form == store.FormProduct || l.Form == store.FormOtherAmazon) && l.ID != "" {
			t.Fatalf("Classify(%q): form %s with id %q", raw, l.Form, l.ID)
		}
		for i := 0; i < len(l.Host); i++ {
			if c := l.Host[i]; c >= 'A' && c <= 'Z' {
				t.Fatalf("Classify(%q): host %q not lower case", raw, l.Host)
			}
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, tc := range classifyCases {
			Classify(tc.raw, store.Source{})
		}
	}
}
