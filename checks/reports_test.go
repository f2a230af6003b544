package checks

import (
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

func TestClicksUnderRESTOrSOAP(t *testing.T) {
	rest := []store.LinkTypeRow{ltRow("Remote shopping carts", 2, 0), ltRow("REST", 4, 1)}
	both := []store.LinkTypeRow{ltRow("REST requests", 4, 0), ltRow("SOAP", 1, 0)}
	base := evStore{period: oct, linkType: true, rows: rest}
	with := func(f func(*evStore)) evStore { e := base; f(&e); return e }
	const shows = `the Link-Type report for 2009-10-01 to 2009-10-14 shows 4 clicks under "REST" besides 2 on "Remote shopping carts"`
	contradicts := "the setting may have changed during the period, or another store uses this tracking ID"
	runStoreCases(t, clicksUnderRESTOrSOAP, []storeCase{
		{
			name: "rest_curl explains it", st: with(func(e *evStore) { e.set = []kv{method("rest_curl")} }),
			msg:    []string{shows + `; explained by the connection method "rest_curl" (REST via cURL)`},
			notMsg: []string{"contradict"},
			fix:    []string{clicksUnderRESTOrSOAP.Fix},
			ev:     []Evidence{rowEv(1), ev(1, "AmazonConnectionMethod")},
		},
		{
			name: "rest_file explains it", st: with(func(e *evStore) { e.set = []kv{method("REST_FILE")} }),
			msg: []string{`explained by the connection method "REST_FILE" (REST via file functions)`},
		},
		{
			name: "aom contradicts it", st: with(func(e *evStore) { e.set = []kv{method("aom")} }),
			msg: []string{shows + `; this contradicts the settings, which use "aom", AOM's default: ` + contradicts},
			fix: []string{"Check Control Panel > Settings > Amazon Connection Method", "give each store its own tracking ID"},
			ev:  []Evidence{rowEv(1), ev(1, "AmazonConnectionMethod")},
		},
		{
			name: "absent method is AOM's default", st: with(func(e *evStore) { e.set = []kv{filler} }),
			msg: []string{`this contradicts the settings, which have no AmazonConnectionMethod, so AOM's default "aom" applies: ` + contradicts},
			ev:  []Evidence{rowEv(1)},
		},
		{
			name: "no settings", st: base,
			msg: []string{shows + "; add your settings to see whether the connection method explains it"},
			fix: []string{"Add the store's settings"},
			ev:  []Evidence{rowEv(1)},
		},
		{
			name: "SOAP method, REST clicks", st: with(func(e *evStore) { e.set = []kv{method("soap")} }),
			msg: []string{`this contradicts the connection method "soap" (SOAP), whose carts show under SOAP: ` + contradicts},
		},
		{
			name: "REST method, REST and SOAP clicks", st: with(func(e *evStore) { e.set = []kv{method("rest_curl")}; e.rows = both }),
			msg: []string{`shows 4 clicks under "REST requests" and 1 click under "SOAP"; the REST clicks are explained by the connection method "rest_curl" (REST via cURL), but the SOAP clicks contradict it`},
			ev:  []Evidence{rowEv(0), rowEv(1), ev(1, "AmazonConnectionMethod")},
		},
		{
			name: "unknown method", st: with(func(e *evStore) { e.set = []kv{method("fast")} }),
			msg: []string{`the settings' connection method "fast" is not one AOM knows (see connection-method-unknown)`},
		},
		{
			name: "period unknown", st: with(func(e *evStore) { e.period = "" }),
			msg: []string{`the Link-Type report shows 4 clicks under "REST"`},
		},
		{name: "no REST or SOAP rows", st: with(func(e *evStore) { e.rows = remote(5) }), quiet: true},
		{name: "REST row without clicks", st: with(func(e *evStore) { e.rows = []store.LinkTypeRow{ltRow("REST", 0, 0)} }), quiet: true},
		{name: "interest is not REST", st: with(func(e *evStore) { e.rows = []store.LinkTypeRow{ltRow("Interest-based ads", 5, 0)} }), quiet: true},
	})
}

func TestAssociateIDUnknown(t *testing.T) {
	ids := []string{"gardenshop-20", "gardenshop-1-20"}
	st := func(idv string, extra ...kv) evStore { return evStore{set: append([]kv{id(idv)}, extra...), ids: ids} }
	trackEv := func(i int) Evidence { return Evidence{Path: "tracking.csv", Line: i + 3, Field: "Tracking ID"} }
	runStoreCases(t, associateIDUnknown, []storeCase{
		{name: "known", st: st("gardenshop-20"), quiet: true},
		{name: "known extra ID", st: st("gardenshop-1-20"), quiet: true},
		{name: "known after trimming and lower-casing", st: st(" GardenShop-20 "), quiet: true},
		{name: "empty", st: st(""), quiet: true},
		{name: "AOM's default", st: st("associatomati-20"), quiet: true},
		{name: "absent", st: evStore{set: []kv{filler}, ids: ids}, quiet: true},
		{
			name: "look-alike zero", st: st("gardensh0p-20"),
			msg: []string{
				`associate ID "gardensh0p-20" is not among the tracking IDs the reports show ("gardenshop-1-20" and "gardenshop-20")`,
				`it differs from "gardenshop-20" only by look-alike characters ("0" for "o"); did you mean "gardenshop-20"?`,
			},
			notMsg: []string{"Orders and Earnings"},
			fix:    []string{`Change the Associate ID to "gardenshop-20" in Control Panel > Settings > Amazon Associate ID`},
			ev:     []Evidence{ev(1, "AmazonAssociateId"), trackEv(0)},
		},
		storeCase{
			name: "look-alike one for l", st: st("garden1ine-20", storeType("Amazon.com")),
			msg: []string{`did you mean "gardenline-20"?`},
		}.withIDs("gardenline-20", "treehouse-20"),
		{
			name: "missing hyphen", st: st("gardenshop20"),
			msg: []string{`it differs from "gardenshop-20" only by a hyphen; did you mean "gardenshop-20"?`},
		},
		{
			name: "UK suffix on a US account", st: st("gardenshop-21"),
			msg: []string{`it has the name of "gardenshop-20" with the suffix -21 instead of -20; did you mean "gardenshop-20"?`},
		},
		{
			name: "no suffix", st: st("gardenshop"),
			msg: []string{`it is "gardenshop-20" without its suffix -20; did you mean "gardenshop-20"?`},
		},
		{
			name: "typo", st: st("gardnshop-20"),
			msg: []string{`it is 1 character away from "gardenshop-20"; did you mean "gardenshop-20"?`},
		},
		{
			name: "swapped letters", st: st("gadrenshop-20"),
			msg: []string{`did you mean "gardenshop-20"?`},
		},
		{
			name: "nothing close", st: st("treehouse-20"),
			msg:    []string{`associate ID "treehouse-20" is not among the tracking IDs the reports show ("gardenshop-1-20" and "gardenshop-20")`},
			notMsg: []string{"did you mean"},
			fix:    []string{associateIDUnknown.Fix},
			ev:     []Evidence{ev(1, "AmazonAssociateId"), trackEv(1), trackEv(0)},
		},
		storeCase{
			name: "short IDs are not matched loosely", st: st("abc-20"),
			notMsg: []string{"did you mean"},
		}.withIDs("xyz-20"),
		{
			name: "malformed and unknown", st: st("Garden Shop"),
			msg: []string{`associate ID "Garden Shop" is not among`, `did you mean "gardenshop-20"?`},
		},
		storeCase{
			name: "prefers the store's marketplace", st: st("gardenshop", storeType("Amazon.co.uk")),
			msg: []string{`did you mean "gardenshop-21"?`},
		}.withIDs("gardenshop-20", "gardenshop-21"),
		storeCase{
			name: "many IDs", st: st("treehouse-20"),
			msg: []string{`("a-20", "b-20", "c-20", "d-20", "e-20" and 2 more)`},
		}.withIDs("a-20", "b-20", "c-20", "d-20", "e-20", "f-20", "g-20"),
		{
			name: "IDs from the Orders report only", st: evStore{set: []kv{id("gardensh0p-20")}, orderTags: []string{"gardenshop-20"}},
			sev: Warning,
			msg: []string{"the Orders and Earnings reports name only IDs with sales in the period, so add the Tracking ID Summary report to be sure", `did you mean "gardenshop-20"?`},
			ev:  []Evidence{ev(1, "AmazonAssociateId"), {Path: "orders.csv", Line: 3, Field: "Tag"}},
		},
		{
			name: "secret typed as the ID", st: st(exampleSecret),
			msg: []string{`associate ID "wJal…" is not among`}, notMsg: []string{"wJalr"},
		},
	})
}

// withIDs replaces the tracking IDs the case's reports show.
func (c storeCase) withIDs(ids ...string) storeCase {
	c.st.ids = ids
	return c
}

func TestNearestIDLimits(t *testing.T) {
	known := []string{"gardenshop-20", "associatomati-20"}
	for typed, want := range map[string]string{
		"gardensh0p-20":    "gardenshop-20",
		"GARDENSHOP20":     "gardenshop-20",
		"gardenshop-2o":    "gardenshop-20",
		"gardenshop-22":    "gardenshop-20",
		"gardensh0p":       "gardenshop-20",
		"grdnshp-20":       "gardenshop-20", // 3 letters left out: still close
		"grdnsp-20":        "",
		"associatomati-21": "", // AOM's own ID is never suggested
		"treehouse-20":     "",
	} {
		if got, _ := nearestID(typed, known, "", "20"); got != want {
			t.Errorf("nearestID(%q) = %q, want %q", typed, got, want)
		}
	}
}

func TestConversionOver100(t *testing.T) {
	rows := []store.LinkTypeRow{
		ltRow("Text links", 10, 3),
		ltRow("Remote shopping carts", 2, 5),
		{Label: "Banners", Clicks: 4, ItemsOrdered: 6, Conversion: 150, HasConv: true},
		ltRow("Omakase", 0, 2),
		ltRow("Total", 16, 16),
	}
	base := evStore{period: oct, linkType: true, rows: rows}
	with := func(f func(*evStore)) evStore { e := base; f(&e); return e }
	runStoreCases(t, conversionOver100, []storeCase{
		{
			name: "two rows", st: base,
			msg:    []string{`2 rows of the Link-Type report for 2009-10-01 to 2009-10-14 (14 days) convert above 100%: "Remote shopping carts" at 250% (2 clicks, 5 items ordered) and "Banners" at 150% (4 clicks, 6 items ordered), because a cart can hold several items`},
			notMsg: []string{"Omakase", "Total"},
			ev:     []Evidence{rowEv(1), rowEv(2)},
		},
		{
			name: "one row, period unknown", st: with(func(e *evStore) { e.period = ""; e.rows = []store.LinkTypeRow{ltRow("Remote shopping carts", 3, 4)} }),
			msg: []string{`1 row of the Link-Type report converts above 100%: "Remote shopping carts" at 133.3% (3 clicks, 4 items ordered)`},
		},
		{name: "exactly 100%", st: with(func(e *evStore) { e.rows = []store.LinkTypeRow{ltRow("Remote shopping carts", 3, 3)} }), quiet: true},
		{name: "reported conversion wins", st: with(func(e *evStore) {
			e.rows = []store.LinkTypeRow{{Label: "Remote shopping carts", Clicks: 3, ItemsOrdered: 4, Conversion: 90, HasConv: true}}
		}), quiet: true},
		{name: "no rows", st: with(func(e *evStore) { e.rows = nil }), quiet: true},
	})
}

func TestShortReportPeriod(t *testing.T) {
	runStoreCases(t, shortReportPeriod, []storeCase{
		{
			name: "a fortnight", st: evStore{period: oct, linkType: true},
			msg: []string{"the report period, 2009-10-01 to 2009-10-14, is 14 days: too short to judge conversion (28 days or more are needed)"},
			ev:  []Evidence{{Path: "linktype.csv", Line: 1}},
		},
		{
			name: "one day from --period", st: evStore{flagPeriod: "2009-10-05..2009-10-05", linkType: true},
			msg: []string{"the report period, 2009-10-05 to 2009-10-05, is 1 day:"},
			ev:  []Evidence{{Path: "--period"}},
		},
		{name: "27 days", st: evStore{period: "2009-10-01..2009-10-27", linkType: true}, msg: []string{"is 27 days"}},
		{name: "28 days", st: evStore{period: "2009-10-01..2009-10-28", linkType: true}, quiet: true},
		{
			name: "the Link-Type report's period, not the widest", st: evStore{period: oct, ordersPer: "2009-07-01..2009-10-14", linkType: true, orderTags: []string{"x-20"}},
			msg: []string{"is 14 days"}, ev: []Evidence{{Path: "linktype.csv", Line: 1}},
		},
		{name: "no Link-Type report: the reports' period", st: evStore{period: "2009-07-01..2009-09-30", orderTags: []string{"x-20"}}, quiet: true},
		{name: "no Link-Type report, short Orders report", st: evStore{period: oct, orderTags: []string{"x-20"}}, msg: []string{"is 14 days"}},
		{name: "a quarter", st: evStore{period: "2009-07-01..2009-09-30", linkType: true}, quiet: true},
		{name: "--period overrides a short report", st: evStore{period: oct, flagPeriod: "2009-09-01..2009-09-30", linkType: true}, quiet: true},
	})
}

func TestOtherItemsReported(t *testing.T) {
	orders := []store.ASINOrders{
		{ASIN: "B0000GLOV", Title: "Garden Gloves", Other: 3},
		{ASIN: "B0000BOOK", Title: "A Book", Other: 1, Direct: 1},
		{ASIN: "B0000SAW", Title: "Fiskars Bow Saw", Direct: 2},
		{ASIN: "B0000MUG", Other: 1},
		{ASIN: "B0000PEN", Title: "Pen", Other: 2},
	}
	runStoreCases(t, otherItemsReported, []storeCase{
		{
			name: "some", st: evStore{period: oct, orders: orders},
			msg: []string{`the Orders report for 2009-10-01 to 2009-10-14 shows 7 items ordered that were in no cart ("All Other Items"), on 4 ASINs: B0000GLOV (Garden Gloves, 3), B0000PEN (Pen, 2), B0000BOOK (A Book, 1) and 1 more; visitors added them at Amazon, and they are credited to you`},
			ev:  []Evidence{{Path: "orders.csv", Line: 3, Field: "ASIN"}, {Path: "orders.csv", Line: 7, Field: "ASIN"}, {Path: "orders.csv", Line: 4, Field: "ASIN"}},
		},
		{
			name: "one, no title, no period", st: evStore{orders: orders[3:4]},
			msg: []string{`the Orders report shows 1 item ordered that was in no cart ("All Other Items"), on 1 ASIN: B0000MUG (1)`},
		},
		{name: "none", st: evStore{period: oct, orders: orders[2:3]}, quiet: true},
	})
}
