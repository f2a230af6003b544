package checks

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// lnk is a link of the given form carrying id to www.<domain>, as the URL
// classifier would record it; its source is set by the builder.
func lnk(form store.LinkForm, id, domain string) store.Link {
	host := "www." + domain
	u := "https://" + host
	switch form {
	case store.FormEncodedTag:
		u += "/dp/B00005N5PF%3FSubscriptionId%3DAKIAIOSFODNN7EXAMPLE%26tag%3D" + url.QueryEscape(id) + "%26linkCode%3Dxm2%26camp%3D2025%26creative%3D165953"
	case store.FormCartMerge:
		u += "/gp/cart/aws-merge.html?cart-id=002-1234567&associate-id=" + url.QueryEscape(id) + "&hmac=abc%3D&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
	case store.FormAddToCart:
		u += "/gp/aws/cart/add.html?ASIN.1=B00005N5PF&Quantity.1=1"
		if id != "" {
			u += "&AssociateTag=" + url.QueryEscape(id)
		}
	case store.FormAPIRequest:
		host = "webservices." + domain
		u = "http://" + host + "/onca/xml?Service=AWSECommerceService&Operation=CartCreate"
		if id != "" {
			u += "&AssociateTag=" + url.QueryEscape(id)
		}
	case store.FormQueryTag:
		u += "/Garden-Hose/dp/B00005N5PF?tag=" + url.QueryEscape(id) + "&linkCode=as2"
	case store.FormProduct:
		u += "/dp/B00005N5PF"
	case store.FormOtherAmazon:
		u += "/gp/help/customer/display.html"
	}
	return store.Link{URL: u, Host: host, Domain: domain, Form: form, ID: id}
}

// times repeats a link n times.
func times(n int, l store.Link) []store.Link {
	out := make([]store.Link, n)
	for i := range out {
		out[i] = l
	}
	return out
}

func links(groups ...[]store.Link) []store.Link {
	var out []store.Link
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func linkEv(line int) Evidence { return Evidence{Path: "links.txt", Line: line} }

const com = "amazon.com"

var (
	encOwn   = lnk(store.FormEncodedTag, "gardenshop-20", com)
	mergeOwn = lnk(store.FormCartMerge, "gardenshop-20", com)
	queryOwn = lnk(store.FormQueryTag, "gardenshop-20", com)
	encOther = lnk(store.FormEncodedTag, "otherstore-20", com)
	encAOM   = lnk(store.FormEncodedTag, "associatomati-20", com)
)

func httpOf(l store.Link) store.Link {
	l.HTTP = true
	l.URL = "http://" + strings.TrimPrefix(l.URL, "https://")
	return l
}

func TestLinkCheckerFalseFailure(t *testing.T) {
	// 4 of 5: the encoded links fall in two groups (https and http).
	mixed := links(times(2, encOwn), times(1, httpOf(encOwn)), times(1, mergeOwn), times(1, queryOwn))
	own := []kv{id("gardenshop-20")}
	const forms = "in the form AOM uses (3 with the tag encoded inside the path as %26tag%3D and 1 cart link with associate-id=): " +
		"Amazon's Link Checker fails such links because it looks only for ?tag=, but Amazon reads the ID inside and credits them"
	runStoreCases(t, linkCheckerFalseFailure, []storeCase{
		{
			name: "settings ID, 4 of 5 across groups", st: evStore{set: own, links: mixed},
			msg: []string{
				`4 of 5 links carry the store's ID "gardenshop-20" (from the settings) ` + forms,
				`; for example "www.amazon.com/dp/B00005N5PF%3F…tag%3Dgardenshop-20…" and "www.amazon.com/gp/cart/aws-merge.html?…"`,
			},
			fix: []string{"No action is needed for these links"},
			ev:  []Evidence{linkEv(1), linkEv(4), ev(1, "AmazonAssociateId")},
		},
		{
			name: "the one ID the reports show", st: evStore{ids: []string{"GardenShop-20"}, links: mixed},
			msg: []string{`4 of 5 links carry the store's ID "gardenshop-20" (the only tracking ID the reports show)`},
			fix: []string{"No action is needed"},
		},
		{
			name: "one of the IDs the reports show", st: evStore{ids: []string{"gardenshop-20", "gardenshop-1-20"}, links: mixed},
			msg: []string{`4 of 5 links carry any of the account's tracking IDs (the reports show "gardenshop-1-20" and "gardenshop-20")`},
		},
		{
			name: "only the links to go by", st: evStore{links: mixed},
			msg:    []string{`4 of 5 links carry "gardenshop-20" (the ID most links carry; add the settings or a Tracking ID Summary report to confirm it is the store's)`},
			fix:    []string{`Check that "gardenshop-20" is listed in Associates Central > Account Settings > Manage Your Tracking IDs; if it is, no action is needed`},
			notFix: []string{"No action"},
		},
		{name: "only plain tags", st: evStore{set: own, links: times(3, queryOwn)}, quiet: true},
		{name: "someone else's ID", st: evStore{set: own, links: times(3, encOther)}, quiet: true},
		{name: "AOM's own ID", st: evStore{set: own, links: times(3, encAOM)}, quiet: true},
		{name: "settings ID unknown to the reports", st: evStore{set: []kv{id("gardensh0p-20")}, ids: []string{"gardenshop-20"}, links: times(3, lnk(store.FormEncodedTag, "gardensh0p-20", com))}, quiet: true},
		{name: "settings ID malformed", st: evStore{set: []kv{id("GardenShop20")}, links: times(3, lnk(store.FormEncodedTag, "GardenShop20", com))}, quiet: true},
		{name: "settings ID is AOM's default", st: evStore{set: []kv{id("associatomati-20")}, links: times(3, encAOM)}, quiet: true},
		{name: "settings ID of another marketplace", st: evStore{set: []kv{id("gardenshop-21")}, links: times(3, lnk(store.FormEncodedTag, "gardenshop-21", com))}, quiet: true},
		{name: "settings have no ID", st: evStore{set: []kv{filler}, ids: []string{"gardenshop-20"}, links: mixed}, quiet: true},
		{name: "own ID on the wrong marketplace's site", st: evStore{set: own, links: times(3, lnk(store.FormEncodedTag, "gardenshop-20", "amazon.co.uk"))}, quiet: true},
	})
}

func TestLinkWrongID(t *testing.T) {
	own := []kv{id("gardenshop-20")}
	tenWith := func(aom int) []store.Link { return links(times(10-aom, encOwn), times(aom, encAOM)) }
	runStoreCases(t, linkWrongID, []storeCase{
		{
			name: "4 of 5", st: evStore{set: own, links: links(times(2, encOther), times(1, httpOf(encOther)), times(1, encAOM), times(1, encOwn))},
			msg: []string{
				`4 of 5 links carry a tracking ID other than the store's ID "gardenshop-20" (from the settings): "otherstore-20" on 3 links and AOM's own "associatomati-20" on 1 link, so Amazon credits their sales to that ID's owner, not to the store`,
				`; for example "www.amazon.com/dp/B00005N5PF%3F…tag%3Dotherstore-20…" and "www.amazon.com/dp/B00005N5PF%3F…tag%3Dassociatomati-20…"`,
			},
			notMsg: []string{"Link Checker", "no action", "if the store runs AOM Lite"},
			notFix: []string{"No action", "no action"},
			ev:     []Evidence{linkEv(1), linkEv(4), ev(1, "AmazonAssociateId")},
		},
		{name: "all own", st: evStore{set: own, links: times(3, encOwn)}, quiet: true},
		{name: "no IDs at all", st: evStore{set: own, links: times(3, lnk(store.FormProduct, "", com))}, quiet: true},
		{name: "ID in another case", st: evStore{set: own, links: times(3, lnk(store.FormQueryTag, "GardenShop-20", com))}, quiet: true},
		{
			name: "malformed settings ID the links carry as meant", st: evStore{set: []kv{id("GardenShop20")}, links: times(3, encOwn)},
			quiet: true,
		},
		{name: "AOM Lite, 1 in 10", st: evStore{set: own, edition: "lite", links: tenWith(1)}, quiet: true},
		{
			name: "AOM Lite, 3 in 10", st: evStore{set: own, edition: "lite", links: tenWith(3)},
			msg: []string{`3 of 10 links carry a tracking ID other than`, `AOM's own "associatomati-20" on 3 links`, "AOM Lite sends about 1 in 10 buy buttons with AOM's ID, but here it is 30% of the links"},
		},
		{
			name: "edition unknown, 1 in 10", st: evStore{set: own, links: tenWith(1)},
			msg: []string{"1 of 10 links", "if the store runs AOM Lite, about 1 in 10 links with AOM's ID is expected (here 10%)"},
		},
		{
			name: "full edition, 1 in 10", st: evStore{set: own, edition: "full", links: tenWith(1)},
			msg: []string{"1 of 10 links"}, notMsg: []string{"Lite"},
		},
		{
			name: "nothing to compare with but AOM's ID", st: evStore{links: links(times(2, encAOM), times(1, lnk(store.FormProduct, "", com)))},
			msg: []string{`2 of 3 links carry AOM's own ID "associatomati-20", so Amazon credits their sales to AOM, not to the store`},
			ev:  []Evidence{linkEv(1)},
		},
		{
			name: "IDs the reports show", st: evStore{ids: []string{"gardenshop-20", "gardenshop-1-20"}, links: links(times(2, encOwn), times(1, encOther))},
			msg: []string{`1 of 3 links carries a tracking ID other than any of the account's tracking IDs (the reports show "gardenshop-1-20" and "gardenshop-20"): "otherstore-20" on 1 link`},
			ev:  []Evidence{linkEv(3), {Path: "tracking.csv", Line: 4, Field: "Tracking ID"}, {Path: "tracking.csv", Line: 3, Field: "Tracking ID"}},
		},
		{
			name: "the links' own majority", st: evStore{links: links(times(3, encOwn), times(1, encOther))},
			msg: []string{`1 of 4 links carries a tracking ID other than "gardenshop-20" (the ID most links carry`},
		},
		{
			name: "other-amazon links are not counted", st: evStore{set: own, links: links(times(1, encOther), times(5, lnk(store.FormOtherAmazon, "", com)))},
			msg: []string{"1 of 1 links"},
		},
	})
}

func TestLinkMissingID(t *testing.T) {
	runStoreCases(t, linkMissingID, []storeCase{
		{
			name: "add-to-cart and product", st: evStore{set: []kv{id("gardenshop-20")}, links: links(
				times(2, lnk(store.FormAddToCart, "", com)), times(1, lnk(store.FormProduct, "", com)), times(2, encOwn),
				times(4, lnk(store.FormOtherAmazon, "", com)))},
			msg: []string{
				"3 of 5 links carry no tracking ID (2 add-to-cart links with no AssociateTag and 1 product link with no tag), so the sales they bring earn nothing",
				`; for example "www.amazon.com/gp/aws/cart/add.html?…" and "www.amazon.com/dp/B00005N5PF"`,
			},
			notMsg: []string{"Link Checker"},
			ev:     []Evidence{linkEv(1), linkEv(3)},
		},
		{
			name: "cart and API request", st: evStore{links: links(times(1, lnk(store.FormCartMerge, "", com)), times(1, lnk(store.FormAPIRequest, "", com)))},
			msg: []string{"2 of 2 links carry no tracking ID (1 cart checkout link with no associate-id and 1 API request with no AssociateTag)", `"webservices.amazon.com/onca/xml?…"`},
		},
		{name: "all carry IDs", st: evStore{links: times(3, encOwn)}, quiet: true},
		{name: "only other Amazon pages", st: evStore{links: times(3, lnk(store.FormOtherAmazon, "", com))}, quiet: true},
	})
}

func TestLinkWrongMarketplace(t *testing.T) {
	runStoreCases(t, linkWrongMarketplace, []storeCase{
		{
			name: "US ID on amazon.co.uk", st: evStore{links: links(
				times(2, lnk(store.FormEncodedTag, "gardenshop-20", "amazon.co.uk")),
				times(1, lnk(store.FormCartMerge, "gardenshop-21", "amazon.com")),
				times(2, lnk(store.FormEncodedTag, "gardenshop-21", "amazon.co.uk")))},
			msg: []string{
				`3 of 5 links carry a tracking ID of another marketplace than the Amazon site they go to: ` +
					`"gardenshop-20" (a US/Canadian ID) on amazon.co.uk, which uses IDs ending in -21 (2 links) and ` +
					`"gardenshop-21" (a UK/European ID) on amazon.com, which uses IDs ending in -20 (1 link), so they earn nothing`,
				`; for example "www.amazon.co.uk/dp/B00005N5PF%3F…tag%3Dgardenshop-20…" and "www.amazon.com/gp/cart/aws-merge.html?…"`,
			},
			ev: []Evidence{linkEv(1), linkEv(3)},
		},
		{name: "all match", st: evStore{links: links(times(2, lnk(store.FormEncodedTag, "gardenshop-21", "amazon.de")), times(1, encOwn))}, quiet: true},
		{name: "Canada uses -20", st: evStore{links: times(2, lnk(store.FormQueryTag, "gardenshop-20", "amazon.ca"))}, quiet: true},
		{name: "unknown marketplace", st: evStore{links: times(2, lnk(store.FormQueryTag, "gardenshop-20", "amazon.sg"))}, quiet: true},
		{name: "no suffix", st: evStore{links: times(2, lnk(store.FormQueryTag, "gardenshop", "amazon.co.uk"))}, quiet: true},
		{name: "AOM's own ID is link-wrong-id's", st: evStore{links: times(2, lnk(store.FormQueryTag, "associatomati-20", "amazon.co.uk"))}, quiet: true},
	})
}

func TestShortLink(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://www.amazon.com/dp/B00005N5PF", "www.amazon.com/dp/B00005N5PF"},
		{"https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20&linkCode=as2", "www.amazon.com/dp/B00005N5PF?…"},
		{"HTTP://www.amazon.com/gp/cart/aws-merge.html?cart-id=1#x", "www.amazon.com/gp/cart/aws-merge.html?…"},
		{"https://www.amazon.com/" + strings.Repeat("a", 70), "www.amazon.com/" + strings.Repeat("a", 60) + "…"},
		{"https://www.amazon.com/dp/B00005N5PF%3FSubscriptionId%3DX%26tag%3D" + url.QueryEscape(exampleSecret), "www.amazon.com/…"},
		{"https://www.amazon.com/dp/B00005N5PF/tag=" + exampleSecret, "www.amazon.com/…"},
		{"https://www.amazon.com/dp/B00005N5PF%3FSubscriptionId%3DAKIAIOSFODNN7EXAMPLE%26tag%3Dgardenshop-20%26linkCode%3Dxm2", "www.amazon.com/dp/B00005N5PF%3F…tag%3Dgardenshop-20…"},
		{"https://www.amazon.com/" + strings.Repeat("b", 70) + "%26tag%3Dgardenshop-20", "www.amazon.com/" + strings.Repeat("b", 41) + "…tag%3Dgardenshop-20…"},
	} {
		l := store.Link{URL: c.in}
		if got := shortLink(l); got != c.want {
			t.Errorf("shortLink(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSecretsNeverPrintedInEvidenceRules puts secret keys, whole and
// damaged, into the settings' ID and into the store's links (as the tag, in
// the query, inside the path) beside reports and cart reports, runs every
// rule, and checks that no finding shows more than a few characters of one.
// It is TestSecretsNeverPrinted for the rules that need more than settings.
func TestSecretsNeverPrintedInEvidenceRules(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
	rng := rand.New(rand.NewPCG(3, 4))
	secrets := []string{exampleSecret}
	for len(secrets) < 10 {
		b := make([]byte, 40)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		secrets = append(secrets, string(b))
	}
	fired := map[string]bool{}
	for _, s := range secrets {
		for _, v := range []string{s, " " + s + " ", s + "-20", s[:35], s[:20] + " " + s[20:], "tag=" + s} {
			var ls []store.Link
			for _, form := range []store.LinkForm{store.FormEncodedTag, store.FormCartMerge, store.FormAddToCart, store.FormAPIRequest, store.FormQueryTag} {
				ls = append(ls, lnk(form, v, com), lnk(form, v, "amazon.co.uk"))
			}
			ls = append(ls, store.Link{URL: "https://www.amazon.com/dp/B00005N5PF/tag=" + v, Host: "www.amazon.com", Domain: com, Form: store.FormProduct},
				encOwn, encOther, encAOM, lnk(store.FormProduct, "", com),
				store.Link{URL: "https://www.amazon.co.uk/dp/B00005N5PF/ref=" + v + "?tag=gardenshop-20", Host: "www.amazon.co.uk", Domain: "amazon.co.uk", Form: store.FormQueryTag, ID: "gardenshop-20"})
			for _, set := range [][]kv{{id(v)}, {id("gardenshop-20"), {key: "AwsSecretKey", val: v}}, nil} {
				st := evStore{
					set: set, period: oct, asOf: "2009-10-14", linkType: true,
					rows:   []store.LinkTypeRow{ltRow("Remote shopping carts", 0, 3), ltRow("REST", 2, 3)},
					carts:  []string{"2009-10-02", "2009-10-03", "2009-10-04", "2009-10-14"},
					ids:    []string{"gardenshop-20"},
					orders: []store.ASINOrders{{ASIN: "B00005N5PF", Direct: 1, Other: 1}},
					links:  ls,
				}.build()
				for _, f := range Run(st, Rules()).Findings {
					fired[f.Rule.Name] = true
					for _, text := range []string{f.Message, f.Fix} {
						if leak := leaked(text, s); leak != "" {
							t.Errorf("%s with %q shows %q of the secret:\n%s", f.Rule.Name, v, leak, text)
						}
					}
				}
			}
		}
	}
	// The stores are built so that every rule that quotes links or IDs has
	// something to say: the test proves nothing about a rule that is silent.
	for _, name := range []string{"associate-id-unknown", "link-wrong-id", "link-wrong-marketplace", "link-missing-id", "link-checker-false-failure",
		"clicks-under-rest-or-soap", "conversion-over-100", "short-report-period", "other-items-reported", "reports-not-yet-processed", "abandoned-carts"} {
		if !fired[name] {
			t.Errorf("%s never fired: the test does not cover it", name)
		}
	}
}
