package checks

import "testing"

func TestSensitive(t *testing.T) {
	for v, want := range map[string]bool{
		exampleSecret:                                 true,
		" " + exampleSecret + " ":                     true,
		exampleSecret[:30]:                            true,
		exampleSecret + "-20":                         true,
		"tag=" + exampleSecret:                        true,
		exampleSecret[:20] + " " + exampleSecret[20:]: true,
		exampleSecret[:20] + "_" + exampleSecret[21:]: true,
		exampleSecret[:20] + "-" + exampleSecret[21:]: true,

		"gardenshop-20":                        false,
		"AKIAIOSFODNN7EXAMPLE":                 false,
		"owner.of.the.garden.shop@example.com": false,
		"https://www.amazon.com/gp/product/B00005N5PF/ref=as_li_tl?ie=UTF8&tag=gardenshop-20":     false,
		"https://www.amazon.com/Garden-Hose-Fifty-Feet/dp/B00005N5PF?tag=gardenshop-20":           false,
		"cart-id=002&associate-id=gardenshop-20&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE":              false,
		"/dp/B00005N5PF%3FSubscriptionId%3DAKIAIOSFODNN7EXAMPLE%26tag%3Dgardenshop-20%26linkCode": false,
		"Garden_Shop_For_Kids_And_Adults_Online":                                                  false,
		"gardenshopforkidsandadultsonlinewithlongname-20":                                         false,
	} {
		if got := sensitive(v); got != want {
			t.Errorf("sensitive(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestMask(t *testing.T) {
	for v, want := range map[string]string{
		exampleSecret:        "wJal…",
		"  " + exampleSecret: "wJal…",
		"abcdefgh":           "ab…",
		"abc":                "…",
		"":                   "…",
	} {
		if got := mask(v); got != want {
			t.Errorf("mask(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestFindMarketplace(t *testing.T) {
	for v, want := range map[string]string{
		"Amazon.com":                "Amazon.com",
		" amazon.CO.UK ":            "Amazon.co.uk",
		"www.amazon.de":             "Amazon.de",
		"https://www.amazon.co.jp/": "Amazon.co.jp",
		"uk":                        "Amazon.co.uk",
		"GB":                        "Amazon.co.uk",
		"ca":                        "Amazon.ca",
		"Amazon.sg":                 "",
		"Amazon":                    "",
		"":                          "",
	} {
		m, ok := findMarketplace(v)
		if ok != (want != "") || m.site != want {
			t.Errorf("findMarketplace(%q) = %q, %v; want %q", v, m.site, ok, want)
		}
	}
}

func TestJoinAnd(t *testing.T) {
	for want, items := range map[string][]string{
		"":           nil,
		"a":          {"a"},
		"a and b":    {"a", "b"},
		"a, b and c": {"a", "b", "c"},
	} {
		if got := joinAnd(items); got != want {
			t.Errorf("joinAnd(%q) = %q, want %q", items, got, want)
		}
	}
}
