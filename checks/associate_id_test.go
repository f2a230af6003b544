package checks

import "testing"

const exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func id(v string) kv        { return kv{key: "AmazonAssociateId", val: v} }
func storeType(v string) kv { return kv{key: "AmazonStoreType", val: v} }

var idEv = []Evidence{ev(1, "AmazonAssociateId")}

func TestAssociateIDMissing(t *testing.T) {
	runCases(t, associateIDMissing, []ruleCase{
		{name: "set", set: []kv{id("gardenshop-20")}, quiet: true},
		{name: "AOM default only", set: []kv{{key: "AmazonAssociateId", val: "associatomati-20", def: true}}, quiet: true},
		{name: "AOM default set", set: []kv{id("associatomati-20")}, quiet: true},
		{
			name: "absent", set: []kv{filler},
			msg: []string{"no AmazonAssociateId was found in the settings"},
			fix: []string{"Amazon.com tracking ID (ending in -20)", "Control Panel > Settings > Amazon Associate ID"},
			ev:  []Evidence{{Path: "settings.php"}},
		},
		{name: "empty", set: []kv{id("")}, msg: []string{"associate ID is empty"}, ev: idEv},
		{name: "spaces", set: []kv{id("  \t")}, msg: []string{`associate ID "  \t" holds only spaces`}, ev: idEv},
		{
			name: "empty default only", set: []kv{{key: "AmazonAssociateId", val: "", def: true}},
			msg: []string{"never set its own Associate ID", "default for it is empty"},
			ev:  []Evidence{{Path: "definitions.php", Line: 1, Field: "AmazonAssociateId"}},
		},
		{
			name: "fix names the UK suffix", set: []kv{id(""), storeType("Amazon.co.uk")},
			fix: []string{"Amazon.co.uk tracking ID (ending in -21)"},
		},
		{
			name: "unknown store type gets the rule's fix", set: []kv{id(""), storeType("Amazon.sg")},
			fix: []string{associateIDMissing.Fix},
		},
	})
}

func TestAssociateIDDefault(t *testing.T) {
	runCases(t, associateIDDefault, []ruleCase{
		{name: "own ID", set: []kv{id("gardenshop-20")}, quiet: true},
		{name: "absent", set: []kv{filler}, quiet: true},
		{name: "empty", set: []kv{id("")}, quiet: true},
		{name: "another AOM-like ID", set: []kv{id("associatomati-21")}, quiet: true},
		{
			name:  "store's own value replaces the default",
			set:   []kv{{key: "AmazonAssociateId", val: "associatomati-20", def: true}, id("gardenshop-20")},
			quiet: true,
		},
		{
			name: "set to AOM's", set: []kv{id("associatomati-20")},
			msg:    []string{`associate ID "associatomati-20" is AOM's own ID`, "credits AOM"},
			notMsg: []string{"never set"},
			fix:    []string{"Amazon.com tracking ID (ending in -20)", "Manage Your Tracking IDs"},
			ev:     idEv,
		},
		{
			name: "spaces and case", set: []kv{id(" AssociatOmati-20 ")},
			msg: []string{`associate ID " AssociatOmati-20 " is AOM's own ID`},
		},
		{
			name: "default only", set: []kv{{key: "AmazonAssociateId", val: "associatomati-20", def: true}},
			msg: []string{`the store never set its own Associate ID, so AOM's default "associatomati-20" applies`},
			ev:  []Evidence{{Path: "definitions.php", Line: 1, Field: "AmazonAssociateId"}},
		},
	})
}

func TestAssociateIDMalformed(t *testing.T) {
	didYouMean := func(s string) []string { return []string{`did you mean "` + s + `"?`} }
	changeTo := func(s string) []string {
		return []string{`Change the Associate ID to "` + s + `" in Control Panel > Settings > Amazon Associate ID, then check it against Account Settings > Manage Your Tracking IDs in Associates Central.`}
	}
	runCases(t, associateIDMalformed, []ruleCase{
		{name: "valid", set: []kv{id("gardenshop-20")}, quiet: true},
		{name: "valid extra tracking ID", set: []kv{id("gardenshop-1-20")}, quiet: true},
		{name: "valid UK", set: []kv{id("gardenshop-21"), storeType("Amazon.co.uk")}, quiet: true},
		{name: "wrong marketplace is not malformed", set: []kv{id("gardenshop-22")}, quiet: true},
		{name: "AOM default", set: []kv{id(" AssociatOmati-20 ")}, quiet: true},
		{name: "empty", set: []kv{id("")}, quiet: true},
		{name: "blank", set: []kv{id("   ")}, quiet: true},
		{name: "absent", set: []kv{filler}, quiet: true},
		{
			name: "leading and trailing spaces", set: []kv{id(" gardenshop-20  ")},
			msg: append([]string{`associate ID " gardenshop-20  " has a leading space and has trailing spaces`}, didYouMean("gardenshop-20")...),
			fix: changeTo("gardenshop-20"), ev: idEv,
		},
		{
			name: "inner space", set: []kv{id("garden shop-20")},
			msg: append([]string{"has a space inside"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "upper case letters", set: []kv{id("GardenShop-20")},
			msg: append([]string{"has upper case letters (G, S)"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "all upper case", set: []kv{id("GARDENSHOP-20")},
			msg: append([]string{"is in upper case"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "no suffix, US by default", set: []kv{id("gardenshop")},
			msg: append([]string{"has no -NN suffix (Amazon.com IDs end in -20)"}, didYouMean("gardenshop-20")...),
			fix: changeTo("gardenshop-20"),
		},
		{
			name: "no suffix, UK store", set: []kv{id("gardenshop"), storeType("Amazon.co.uk")},
			msg: didYouMean("gardenshop-21"), fix: changeTo("gardenshop-21"),
		},
		{
			name: "no suffix, Japan store", set: []kv{id("gardenshop"), storeType("amazon.co.jp")},
			msg: didYouMean("gardenshop-22"),
		},
		{
			name: "no suffix, unknown store type", set: []kv{id("gardenshop"), storeType("Amazon.sg")},
			msg: []string{"has no -NN suffix such as -20"}, notMsg: []string{"did you mean"},
			fix: []string{associateIDMalformed.Fix},
		},
		{
			name: "extra tracking ID without suffix", set: []kv{id("gardenshop-1")},
			msg: didYouMean("gardenshop-1-20"),
		},
		{
			name: "suffix without hyphen", set: []kv{id("gardenshop20")},
			msg: append([]string{"has its suffix without the hyphen (20 instead of -20)"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "doubled suffix", set: []kv{id("gardenshop-20-20")},
			msg: append([]string{"has its suffix twice (-20-20)"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "two different suffixes", set: []kv{id("gardenshop-21-20")},
			msg: append([]string{"ends in two suffixes (-21-20)"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "unknown suffix", set: []kv{id("gardenshop-25")},
			msg: append([]string{"ends in -25, which no marketplace uses (known: -20, -21, -22)"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "letter O for zero", set: []kv{id("gardenshop-2O")},
			msg: append([]string{"has a letter for a digit in its suffix (-2o instead of -20)"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "nothing before the suffix", set: []kv{id("-20")},
			msg: []string{"has nothing before its suffix"}, notMsg: []string{"did you mean"},
		},
		{
			name: "wrapped in quotes", set: []kv{id(`'gardenshop-20'`)},
			msg: append([]string{"is wrapped in quotes"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "email", set: []kv{id("owner@gardenshop.com")},
			msg:    []string{`associate ID "owner@gardenshop.com" is an email address, not a tracking ID`},
			notMsg: []string{"did you mean"}, fix: []string{associateIDMalformed.Fix},
		},
		{
			name: "product link", set: []kv{id("https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20&linkCode=as2")},
			msg: append([]string{"is a URL, not a tracking ID"}, didYouMean("gardenshop-20")...),
			fix: changeTo("gardenshop-20"),
		},
		{
			name: "API link with the tag encoded in the path",
			set:  []kv{id("/dp/B00005N5PF%3FSubscriptionId%3DKEY%26tag%3DGardenShop-20%26linkCode%3Dxm2")},
			msg:  append([]string{"is a piece of a link, not a tracking ID"}, didYouMean("gardenshop-20")...),
		},
		{
			name: "lower-case percent escapes", set: []kv{id("linkCode%3dxm2%26tag%3dgardenshop-20")},
			msg: didYouMean("gardenshop-20"),
		},
		{
			name: "cart URL", set: []kv{id("https://www.amazon.com/gp/cart/aws-merge.html?cart-id=123&associate-id=gardenshop-20&hmac=abc")},
			msg: didYouMean("gardenshop-20"),
		},
		{
			name: "REST request", set: []kv{id("http://webservices.amazon.com/onca/xml?Service=AWSECommerceService&AssociateTag=gardenshop-20&Operation=CartCreate")},
			msg: didYouMean("gardenshop-20"),
		},
		{
			name: "tag fragment", set: []kv{id("tag=gardenshop-20")},
			msg: append([]string{`associate ID "tag=gardenshop-20" is a piece of a link`}, didYouMean("gardenshop-20")...),
		},
		{
			name: "tag in the path", set: []kv{id("https://www.amazon.com/dp/B00005N5PF/tag=gardenshop-20")},
			msg: didYouMean("gardenshop-20"),
		},
		{
			name: "fragment with a malformed tag", set: []kv{id("tag=GardenShop")},
			msg: didYouMean("gardenshop-20"),
		},
		{
			name: "fragment with AOM's own ID", set: []kv{id("tag=associatomati-20")},
			msg: []string{`carries AOM's own ID "associatomati-20"`}, notMsg: []string{"did you mean"},
		},
		{
			name: "URL with no tag", set: []kv{id("https://www.amazon.com/dp/B00005N5PF")},
			msg: []string{"is a URL with no tag in it, not a tracking ID"}, notMsg: []string{"did you mean"},
		},
		{
			name: "access key", set: []kv{id("AKIAIOSFODNN7EXAMPLE")},
			msg:    []string{`associate ID "AKIAIOSFODNN7EXAMPLE" looks like an AWS access key, not a tracking ID`},
			notMsg: []string{"upper case", "did you mean"},
			fix:    []string{"keep the AWS access key in its own field."},
		},
		{
			name: "old access key without AKIA", set: []kv{id("0PN5J17HBGZHT7JJ3X82")},
			msg: []string{"looks like an AWS access key"},
		},
		{
			name: "secret key", set: []kv{id(exampleSecret)},
			msg:    []string{`associate ID "wJal…" looks like an AWS secret key, not a tracking ID`},
			notMsg: []string{exampleSecret, "wJalr"},
			fix:    []string{"create a new key in Associates Central > Tools > Product Advertising API"},
			ev:     idEv,
		},
		{
			name: "secret key with a suffix", set: []kv{id(exampleSecret + "-20")},
			msg: []string{`"wJal…" holds what looks like an AWS secret key`}, notMsg: []string{"wJalr", "did you mean"},
		},
		{
			name: "secret key as a tag", set: []kv{id("https://www.amazon.com/dp/B00005N5PF?tag=" + exampleSecret)},
			msg:    []string{`associate ID "http…" is a URL, not a tracking ID and has what looks like an AWS secret key as its tag`},
			notMsg: []string{"wJalr", "did you mean"}, fix: []string{"create a new key"},
		},
		{
			name: "cart URL with its access key and hmac", set: []kv{id("https://www.amazon.com/gp/cart/aws-merge.html?cart-id=002-1234567-8901234&associate-id=gardenshop-20&hmac=Pw6u7b1xZ0%2FqRk3LmN9sT2vW4yA%3D&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE")},
			msg: append([]string{`"https://www.amazon.com/gp/cart/aws-merge.html?cart-id=`}, didYouMean("gardenshop-20")...),
		},
		{
			name: "other characters", set: []kv{id("garden_shop.-20")},
			msg:    []string{`associate ID "garden_shop.-20" contains "_" and "."`},
			notMsg: []string{"did you mean"}, fix: []string{associateIDMalformed.Fix},
		},
		{
			name: "several things at once", set: []kv{id(" GardenShop20 ")},
			msg: []string{
				`associate ID " GardenShop20 " has a leading space, has a trailing space, has upper case letters (G, S) and has its suffix without the hyphen (20 instead of -20); did you mean "gardenshop-20"?`,
			},
		},
	})
}

func TestAssociateIDWrongMarketplace(t *testing.T) {
	const usFix = "Enter your Amazon.com tracking ID (ending in -20) in Control Panel > Settings > Amazon Associate ID; an ID from another marketplace earns nothing here."
	bothEv := []Evidence{ev(1, "AmazonAssociateId"), ev(2, "AmazonStoreType")}
	runCases(t, associateIDWrongMarketplace, []ruleCase{
		{name: "US", set: []kv{id("gardenshop-20")}, quiet: true},
		{name: "US explicit", set: []kv{id("gardenshop-20"), storeType("Amazon.com")}, quiet: true},
		{name: "Canada", set: []kv{id("gardenshop-20"), storeType("Amazon.ca")}, quiet: true},
		{name: "Mexico", set: []kv{id("gardenshop-20"), storeType("amazon.com.mx")}, quiet: true},
		{name: "Germany", set: []kv{id("gardenshop-21"), storeType("Amazon.de")}, quiet: true},
		{name: "India", set: []kv{id("gardenshop-21"), storeType("Amazon.in")}, quiet: true},
		{name: "Japan", set: []kv{id("gardenshop-22"), storeType("Amazon.co.jp")}, quiet: true},
		{name: "Australia", set: []kv{id("gardenshop-22"), storeType("Amazon.com.au")}, quiet: true},
		{name: "unknown store type", set: []kv{id("gardenshop-21"), storeType("Amazon.sg")}, quiet: true},
		{name: "AOM default on a UK store", set: []kv{id("associatomati-20"), storeType("Amazon.co.uk")}, quiet: true},
		{name: "no suffix", set: []kv{id("gardenshop")}, quiet: true},
		{name: "unknown suffix", set: []kv{id("gardenshop-25")}, quiet: true},
		{name: "secret", set: []kv{id(exampleSecret + "-21")}, quiet: true},
		{name: "empty", set: []kv{id("")}, quiet: true},
		{
			name: "UK ID, store type assumed", set: []kv{id("gardenshop-21")},
			msg: []string{
				`associate ID "gardenshop-21" ends in -21, a UK/European ID, but the store sells on Amazon.com`,
				"no AmazonStoreType was found in the settings, so AOM's default Amazon.com is assumed",
				"which uses IDs ending in -20",
			},
			fix: []string{usFix}, ev: idEv,
		},
		{
			name: "empty store type is assumed too", set: []kv{id("gardenshop-21"), storeType(" ")},
			msg: []string{"is assumed"}, ev: idEv,
		},
		{
			name: "US ID on a UK store", set: []kv{id("gardenshop-20"), storeType("Amazon.co.uk")},
			msg: []string{
				`associate ID "gardenshop-20" ends in -20, a US/Canadian ID, but the store sells on Amazon.co.uk (AmazonStoreType), which uses IDs ending in -21`,
			},
			notMsg: []string{"assumed"},
			fix:    []string{"Enter your Amazon.co.uk tracking ID (ending in -21)"},
			ev:     bothEv,
		},
		{
			name: "Japanese ID on a German store", set: []kv{id("gardenshop-22"), storeType("Amazon.de")},
			msg: []string{"a Japanese/Australian ID", "Amazon.de", "ending in -21"}, ev: bothEv,
		},
		{
			name: "store type as a host name", set: []kv{id("gardenshop-20"), storeType("www.amazon.co.uk/")},
			msg: []string{"Amazon.co.uk"},
		},
		{
			name: "store type as a country code", set: []kv{id("gardenshop-20"), storeType("UK")},
			msg: []string{"Amazon.co.uk"},
		},
		{
			name: "malformed with a clear suffix", set: []kv{id(" GardenShop-21 ")},
			msg: []string{`associate ID " GardenShop-21 " ends in -21`}, fix: []string{usFix},
		},
		{
			name: "doubled suffix", set: []kv{id("gardenshop-21-21")},
			msg: []string{"ends in -21, a UK/European ID"},
		},
		{
			name: "link with a UK tag", set: []kv{id("https://www.amazon.co.uk/dp/B00005N5PF?tag=gardenshop-21&linkCode=as2")},
			msg: []string{"carries the suffix -21, a UK/European ID"},
		},
	})
}
