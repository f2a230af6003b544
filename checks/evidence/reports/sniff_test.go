package reports

import (
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

func TestSniff(t *testing.T) {
	utf16le := func(s string) string {
		b := []byte{0xff, 0xfe}
		for _, u := range utf16Encode(s) {
			b = append(b, byte(u), byte(u>>8))
		}
		return string(b)
	}
	for _, tc := range []struct {
		name, head string
		want       store.Kind
	}{
		{"fee-orders", "Fee-Orders reports from 12-01-2020 to 12-31-2020\nCategory,Name,ASIN,Date,Qty,Price($),Link Type,Tag,Indirect Sales,Device Type Group\n", store.KindReportOrders},
		{"fee-earnings", "Category,Name,ASIN,Seller,Tracking ID,Date Shipped,Price($),Items Shipped,Returns,Revenue($),Ad Fees($),Device Type Group\n", store.KindReportEarnings},
		{"fee-daily", "Date,Clicks,Items Ordered (Amazon),Items Ordered (3rd Party),Total Items Ordered,Conversion\n", store.KindReportDailyTrends},
		{"fee-linktype", "Link Type,Clicks,Items Ordered,Conversion,Ordered Revenue($),Items Shipped,Ad Fees($)\n", store.KindReportLinkType},
		{"fee-tracking", "Tracking ID,Clicks,Items Ordered,Items Shipped,Revenue($),Ad Fees($)\n", store.KindReportTracking},
		{"old orders", "Product Name/Item Name\tASIN\tProduct Link Clicks\tItems Ordered Through Product Links\tAll Other Items Reported\tTotal Items Ordered\tProduct Link Conversion\n", store.KindReportOrders},
		{"uk orders", "Item Name,ASIN,Direct Link Clicks,Items Ordered Through Direct Links,All Other Items Ordered,Total Items Ordered\n", store.KindReportOrders},
		{"italian daily", "Data,Clic,Articoli ordinati (Amazon),Articoli ordinati (terze parti),Totale articoli ordinati,Conversione\n", store.KindReportDailyTrends},
		{"italian link type", "Tipo di link,Clic,Articoli ordinati,Conversione,Articoli spediti,Guadagni\n", store.KindReportLinkType},
		{"german link type", "Linktyp;Klicks;Bestellte Artikel;Konversion;Versandte Artikel;Werbekostenerstattung\n", store.KindReportLinkType},
		{"german tracking", "Tracking-ID\tKlicks\tBestellte Artikel\tVersandte Artikel\tEinnahmen\n", store.KindReportTracking},
		{"odd spacing and case", "  LINK   TYPE ,clicks , items  ordered,EARNINGS (£)\n", store.KindReportLinkType},
		{"utf-16 tsv", utf16le("Tracking ID\tClicks\tItems Ordered\r\ngardenshop-20\t5\t1\r\n"), store.KindReportTracking},
		{"utf-8 bom", "\xef\xbb\xbfLink Type,Clicks,Items Ordered\n", store.KindReportLinkType},
		{"title, unknown header", "Fee-Orders reports from 12-01-2020 to 12-31-2020\nfoo,bar\n", store.KindReportOrders},
		{"title only", "Fee-LinkType reports from 10-01-2009 to 10-14-2009\n", store.KindReportLinkType},
		{"cut mid-header", "Link Type,Clicks,Items Ord", store.KindReportLinkType},
		{"xml", "<?xml version=\"1.0\"?>\n<Data><Item ASIN=\"B000BQMHD2\" Qty=\"1\"/></Data>", store.KindReportXML},
		{"report page", "<html><body><table><tr><th>Link Type</th><th>Clicks</th><th>Items Ordered</th></tr></table></body></html>", store.KindReportLinkType},
		{"page without table", "<html><head><title>Earnings Report - Amazon Associates Central</title></head><body>Loading</body></html>", store.KindReportEarnings},

		// Not reports.
		{"empty", "", ""},
		{"blank", " \n\n", ""},
		{"php settings", "<?php\n$cfg['AmazonAssociateId']['value'] = 'gardenshop-20';\n", ""},
		{"control panel", "<html><form><table><tr><td>Amazon Associate ID</td><td><input name=AmazonAssociateId value=gardenshop-20></td></tr></table></form></html>", ""},
		{"ini", "AmazonAssociateId = gardenshop-20\nShoppingCart = Yes\n", ""},
		{"json", "{\"AmazonAssociateId\": \"gardenshop-20\"}", ""},
		{"support note", "Orders report looks wrong, carts are not counted.\nThanks, Ann\n", ""},
		{"some other csv", "Page,Pageviews,Unique Pageviews,Avg. Time on Page\n/garden,1204,987,00:01:12\n", ""},
		{"unsupported fee report", "Fee-Bounties reports from 10-01-2009 to 10-14-2009\nName,Tracking ID,Date Shipped,Bounty Earnings($)\n", ""},
		{"svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>", ""},
		{"other xml", "<?xml version=\"1.0\"?><rss><channel><title>Garden blog</title></channel></rss>", ""},
		{"binary", "\x1f\x8b\x08\x00\x00\x00\x00\x00", ""},
		{"link list", "https://www.amazon.com/dp/B000BQMHD2?tag=gardenshop-20\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSniffHeadOnly checks that Sniff decides from at most 64 KiB, so that
// a file's kind never depends on how much the caller read.
func TestSniffHeadOnly(t *testing.T) {
	long := strings.Repeat("x", 70<<10) + "\nLink Type,Clicks,Items Ordered\n"
	if got := Sniff([]byte(long)); got != "" {
		t.Errorf("Sniff looked past 64 KiB: %q", got)
	}
}
