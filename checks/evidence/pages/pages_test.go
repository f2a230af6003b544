package pages

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// storePage is an AOM item page as a live store serves it: relative
// shop.php links, an encoded-tag product link, an add-to-cart form with a
// hidden AssociateTag, a second form without one, an Amazon image, a widget
// script, a meta refresh and JavaScript redirects.
const storePage = `<!DOCTYPE html>
<html>
<head>
<meta name="generator" content="Associate-O-Matic v5.2">
<meta http-equiv="refresh" content="30; URL='https://www.amazon.com/gp/aws/cart/add.html?AssociateTag=gardenshop-20&amp;ASIN.1=B00005N5PF&amp;Quantity.1=1'">
<title>  Fiskars Pruning Shears
 - Garden Shop </title>
<script src="//ws-na.amazon-adsystem.com/widgets/q?ServiceVersion=20070822"></script>
<script>
  function checkout() { window.location.href = 'https://www.amazon.com/gp/cart/aws-merge.html?cart-id=002-1&associate-id=gardenshop-20'; }
  function away() { location.replace("http://www.amazon.com/dp/B00005N5PF?tag=otherstore-20"); }
  var x = "location = nowhere";
</script>
</head>
<body>
<div id="nav"><a href="shop.php?c=Garden">Garden</a> <a href="/shop.php?a=cart#top">Cart</a> <a href="shop.php?c=Garden">Garden again</a>
<a href="https://elsewhere.example/">Elsewhere</a> <a href="mailto:me@example.com">Mail</a></div>
<div class="item">
  <a href="shop.php?i=B00005N5PF">Fiskars</a>
  <a href="https://www.amazon.com/dp/B00005N5PF%3FSubscriptionId%3DAKIAJ7QX3MZ2RT5LWB4N%26tag%3Dgardenshop-20%26linkCode%3Dxm2">View at Amazon</a>
  <img src="https://images-na.ssl-images-amazon.com/images/I/41x.jpg">
  <iframe src="https://rcm-na.amazon-adsystem.com/e/cm?t=gardenshop-20&amp;o=1"></iframe>
</div>
<form id="cart-form" method="post" action="https://www.amazon.com/gp/aws/cart/add.html">
  <input type="hidden" name="AssociateTag" value="gardenshop-20">
  <input type="hidden" name="ASIN.1" value="B00005N5PF">
  <input type="text" name="Quantity.1" value="1">
  <input type="submit" value="Add to Cart">
</form>
<div class="item"><form method="get" action="https://www.amazon.com/gp/aws/cart/add.html?AssociateTag=lost-20">
  <input type="hidden" name="ASIN.1" value="B000BQN2UE">
</form></div>
<form action="shop.php?a=search"><input name="k"></form>
<p>Powered by Associate-O-Matic</p>
</body>
</html>`

func TestReadPage(t *testing.T) {
	base, _ := url.Parse("https://www.gardenshop.example/store/shop.php?i=B00005N5PF")
	res, err := ReadPage("item.html", base, strings.NewReader(storePage))
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "Fiskars Pruning Shears - Garden Shop" {
		t.Errorf("title = %q", res.Title)
	}
	if !res.IsStore {
		t.Error("not taken for a store page")
	}
	if res.StoreLinks != 5 {
		t.Errorf("store links = %d, want 5", res.StoreLinks)
	}
	type want struct {
		elem  string
		form  store.LinkForm
		id    string
		http  bool
		field string
		line  int
	}
	wants := []want{
		{ElemMetaRefresh, store.FormAddToCart, "gardenshop-20", false, "head > meta:nth-of-type(2)", 5},
		{ElemScript, store.FormOtherAmazon, "", false, "head > script:nth-of-type(1)", 8},
		{ElemJSRedirect, store.FormCartMerge, "gardenshop-20", false, "head > script:nth-of-type(2)", 10},
		{ElemJSRedirect, store.FormQueryTag, "otherstore-20", true, "head > script:nth-of-type(2)", 11},
		{ElemA, store.FormEncodedTag, "gardenshop-20", false, "div.item > a:nth-of-type(2)", 20},
		{ElemImg, store.FormOtherAmazon, "", false, "div.item > img", 21},
		{ElemIframe, store.FormOtherAmazon, "", false, "div.item > iframe", 22},
		{ElemForm, store.FormAddToCart, "gardenshop-20", false, "form#cart-form", 24},
		{ElemForm, store.FormAddToCart, "", false, "div.item > form", 30},
	}
	if len(res.Links) != len(wants) {
		for _, l := range res.Links {
			t.Logf("%+v", l)
		}
		t.Fatalf("%d links, want %d", len(res.Links), len(wants))
	}
	for i, w := range wants {
		l := res.Links[i]
		if l.Element != w.elem || l.Form != w.form || l.ID != w.id || l.HTTP != w.http ||
			l.Source.Field != w.field || l.Source.Line != w.line || l.Source.Path != "item.html" {
			t.Errorf("link %d = %s %s %q http=%v %q line %d, want %+v (%s)", i, l.Element, l.Form, l.ID, l.HTTP, l.Source.Field, l.Source.Line, w, l.URL)
		}
	}
	wantHost := []string{
		"https://www.gardenshop.example/store/shop.php?c=Garden",
		"https://www.gardenshop.example/shop.php?a=cart",
		"https://www.gardenshop.example/store/shop.php?i=B00005N5PF",
	}
	if strings.Join(res.SameHost, "\n") != strings.Join(wantHost, "\n") {
		t.Errorf("same host = %q, want %q", res.SameHost, wantHost)
	}
}

func TestReadPageSaved(t *testing.T) {
	res, err := ReadPage("item.html", nil, strings.NewReader(storePage))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SameHost) != 0 {
		t.Errorf("same host without a base: %q", res.SameHost)
	}
	if len(res.Links) != 9 {
		t.Errorf("%d links, want 9 (protocol-relative taken as https)", len(res.Links))
	}
}

func TestReadPageNotStore(t *testing.T) {
	page := `<html><head><title>Domain parked</title></head><body><a href="https://parking.example/buy">Buy this domain</a></body></html>`
	res, err := ReadPage("p.html", nil, strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if res.IsStore || len(res.Links) != 0 || res.StoreLinks != 0 {
		t.Errorf("parked page: %+v", res)
	}
}

func TestReadPageTooLarge(t *testing.T) {
	big := strings.NewReader("<html><body>" + strings.Repeat("x", MaxSize) + "</body></html>")
	if _, err := ReadPage("big.html", nil, big); err == nil || err.Error() != "larger than 5 MiB" {
		t.Errorf("error = %v, want larger than 5 MiB", err)
	}
}

func TestRefreshURL(t *testing.T) {
	for in, want := range map[string]string{
		"0;url=https://a.example/":      "https://a.example/",
		"0; URL = 'https://a.example/'": "https://a.example/",
		`5;url="https://a.example/x?y"`: "https://a.example/x?y",
		"0;https://a.example/":          "https://a.example/",
		"30":                            "",
		"0;urlx":                        "",
	} {
		if got := refreshURL(in); got != want {
			t.Errorf("refreshURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSRedirects(t *testing.T) {
	js := `location.href = 'https://a.example/1'; window.location="https://a.example/2";
document.location = 'https:\/\/a.example\/3'; location.replace( "https://a.example/4" ); top.location.assign('https://a.example/5');
var mylocation = "https://no.example/"; location = url;`
	got := strings.Join(jsRedirects(js), " ")
	want := "https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4 https://a.example/5"
	if got != want {
		t.Errorf("jsRedirects = %q, want %q", got, want)
	}
}

func FuzzReadPage(f *testing.F) {
	f.Add([]byte(storePage))
	pages, _ := filepath.Glob("../../../fixtures/stores/pages-*/*.html")
	for _, p := range pages {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	base, _ := url.Parse("https://www.gardenshop.example/store/")
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadPage("fuzz.html", base, strings.NewReader(string(data)))
		if err != nil {
			return
		}
		for _, l := range res.Links {
			if l.Form == store.FormNotAmazon || l.Element == "" {
				t.Fatalf("link kept: %+v", l)
			}
			if l.Source.Line < 0 || l.Source.Line > strings.Count(string(data), "\n")+1 {
				t.Fatalf("line %d out of range", l.Source.Line)
			}
		}
		for _, u := range res.SameHost {
			if !strings.HasPrefix(u, "http") || strings.Contains(u, "#") {
				t.Fatalf("same-host URL %q", u)
			}
		}
	})
}
