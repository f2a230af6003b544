package reports

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/aomdoctor/aomdoctor/checks/internal/badtable"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

const badDir = "../../../fixtures/bad/reports"

// badFixtures is the table of fixtures/bad/reports/README.md, which the
// test checks it agrees with. partial marks the files whose good rows are
// still returned with the error.
var badFixtures = []struct {
	file, want string
	partial    bool
}{
	{"bad-date.csv", `line 5: Date: "2009-13-45" is not a date`, true},
	{"bad-number.csv", `line 4: Clicks: "1,2O4" is not a number`, true},
	{"empty.csv", "empty file", false},
	{"no-table.html", "no report table found in this page", false},
	{"report.xml", "XML reports are not supported yet: download the report as CSV (Associates Central > Reports > Download report > CSV)", false},
	{"title-header-mismatch.csv", "line 1: the title says Fee-Orders (an Orders report), but the header on line 2 has the columns of a Link-Type report", false},
	{"title-only.csv", "line 1: the title says Fee-LinkType (a Link-Type report), but no header follows it", false},
	{"truncated-orders.csv", "line 8: 4 fields, the header has 10", true},
	{"unknown-header.csv", "line 2: the title on line 1 says Fee-Orders (an Orders report), but the header is not one", false},
	{"unsupported-report.csv", "line 1: a Fee-Bounties report, which aomdoctor does not read", false},
	{"unterminated-quote.csv", "line 6: unterminated quoted field", true},
	{"wrong-field-count.csv", "line 57: 7 fields, the header has 10; skipped 2 bad rows (lines 57, 59)", true},
}

func TestBadFixtures(t *testing.T) {
	for _, tc := range badFixtures {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(badDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Read(tc.file, bytes.NewReader(data), Sniff(data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to hold %q", err, tc.want)
			}
			var pe *PartialError
			switch {
			case tc.partial && (rep == nil || !errors.As(err, &pe)):
				t.Errorf("want the good rows with a *PartialError; got %v, %T", rep, err)
			case !tc.partial && rep != nil:
				t.Errorf("reports returned with a file-level error")
			}
			if rep != nil {
				checkSources(t, rep, tc.file)
			}
		})
	}
}

func TestBadFixturesMatchREADME(t *testing.T) {
	want := map[string]string{}
	for _, tc := range badFixtures {
		want[tc.file] = tc.want
	}
	badtable.Check(t, badDir, want)
}

// dumpReports writes r in a stable form, for comparing two reads.
func dumpReports(w io.Writer, r *store.Reports) {
	fmt.Fprintf(w, "%+v\n%+v\n%+v\n%+v\n%+v\n%d\n", r.Files, r.LinkType, r.Tracking, r.Daily, r.OrderedByLinkType, r.ShippedItems)
	var keys []string
	for k := range r.IDs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%+v\n", *r.IDs[k])
	}
	keys = keys[:0]
	for k := range r.Orders {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%+v\n", *r.Orders[k])
	}
}
