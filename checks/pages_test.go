package checks

import (
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// pagesStore builds a store whose pages carry n links of each ID, as
// encoded product links on item.html.
func pagesStore(edition string, ids map[string]int) *store.Store {
	st := settingsStore(kv{key: "AmazonAssociateId", val: "gardenshop-20"})
	st.Edition = edition
	p := store.NewPages()
	p.AddPage("item.html")
	for id, n := range ids {
		for i := range n {
			p.Links.Add(store.Link{URL: "https://www.amazon.com/dp/B00005N5PF%3Ftag%3D" + id, Host: "www.amazon.com", Domain: "amazon.com",
				Form: store.FormEncodedTag, ID: id, Element: "a", Source: store.Source{Path: "item.html", Line: i + 1, Field: "div.item > a"}})
		}
	}
	st.Pages = p
	return st
}

func TestStoreUnreachable(t *testing.T) {
	st := &store.Store{Pages: &store.Pages{Start: "https://shop.example/", StartErr: "timed out after 10s", Links: store.NewLinks()}}
	fs := runRule(t, storeUnreachable, st)
	if len(fs) != 1 || fs[0].Message != `the start page "https://shop.example/" could not be fetched: timed out after 10s` {
		t.Fatalf("findings = %+v", fs)
	}
	st.Pages = &store.Pages{Read: 3, Links: store.NewLinks()}
	if fs := runRule(t, storeUnreachable, st); len(fs) != 0 {
		t.Errorf("reachable store: %+v", fs)
	}
}

func TestMixedIDsOnStore(t *testing.T) {
	for _, tc := range []struct {
		name, edition string
		ids           map[string]int
		sev           Severity
		msg           string
	}{
		{"lite share expected", "lite", map[string]int{"gardenshop-20": 45, "associatomati-20": 5}, Info, "the store runs AOM Lite, which sends about 1 in 10 buy buttons with AOM's ID, so 10% is expected"},
		{"lite far above", "lite", map[string]int{"gardenshop-20": 30, "associatomati-20": 20}, Warning, "but here it is 40%, far more than Lite explains"},
		{"full edition", "full", map[string]int{"gardenshop-20": 45, "associatomati-20": 5}, Warning, `"gardenshop-20" on 45 links (90%) and AOM's own "associatomati-20" on 5 links (10%)`},
		{"unknown edition", "", map[string]int{"gardenshop-20": 45, "associatomati-20": 5}, Warning, "only AOM Lite sends AOM's ID"},
		{"another account", "lite", map[string]int{"gardenshop-20": 45, "otherstore-20": 5}, Warning, `"otherstore-20" on 5 links (10%)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := runRule(t, mixedIDsOnStore, pagesStore(tc.edition, tc.ids))
			if len(fs) != 1 || fs[0].Severity != tc.sev || !strings.Contains(fs[0].Message, tc.msg) {
				t.Fatalf("findings = %+v, want %s with %q", fs, tc.sev, tc.msg)
			}
		})
	}
	if fs := runRule(t, mixedIDsOnStore, pagesStore("", map[string]int{"gardenshop-20": 9})); len(fs) != 0 {
		t.Errorf("one ID: %+v", fs)
	}
}

func TestPageIDDiffersLite(t *testing.T) {
	ids := map[string]int{"gardenshop-20": 45, "associatomati-20": 5}
	if fs := runRule(t, pageIDDiffersFromSettings, pagesStore("lite", ids)); len(fs) != 0 {
		t.Errorf("Lite's share counted: %+v", fs)
	}
	fs := runRule(t, pageIDDiffersFromSettings, pagesStore("full", ids))
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, `5 of 50 links on the store's pages carry a tracking ID other than the settings' "gardenshop-20": AOM's own "associatomati-20" on 5 links`) {
		t.Fatalf("findings = %+v", fs)
	}
	// A malformed settings ID the shape rules read is the store's own.
	st := pagesStore("", map[string]int{"gardenshop-20": 3})
	st.Settings = settingsStore(kv{key: "AmazonAssociateId", val: " GardenShop-20"}).Settings
	if fs := runRule(t, pageIDDiffersFromSettings, st); len(fs) != 0 {
		t.Errorf("normalised ID differs: %+v", fs)
	}
}

func TestNoAmazonLinksOneVsMany(t *testing.T) {
	p := store.NewPages()
	p.AddPage("https://shop.example/")
	p.Links.Add(store.Link{Form: store.FormOtherAmazon, Domain: "amazon.com", Element: "img"})
	fs := runRule(t, noAmazonLinksFound, &store.Store{Pages: p})
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, `the 1 page read ("https://shop.example/") has no link or cart form`) {
		t.Fatalf("findings = %+v", fs)
	}
}

// A saved page's path is where to look, never a secret: a long mixed-case
// path (the shape of an AWS secret key) is quoted whole.
func TestNoAmazonLinksNamesLongPaths(t *testing.T) {
	const name = "/home/JaneDoe/Downloads/SavedPages/GardenShopHomePage/index.html"
	p := store.NewPages()
	p.AddPage(name)
	fs := runRule(t, noAmazonLinksFound, &store.Store{Pages: p})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, `"`+name+`"`) {
		t.Fatalf("findings = %+v", fs)
	}
}
