package reports

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// seedReports adds testdata and the bad fixtures to f's corpus.
func seedReports(f *testing.F, extra ...[]any) {
	for _, dir := range []string{"testdata", badDir} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Base(filepath.Dir(p)) == "fuzz" || filepath.Base(p) == "README.md" {
				return nil
			}
			data, err := os.ReadFile(p)
			if err == nil && len(data) < 1<<20 {
				for _, e := range extra {
					f.Add(append([]any{data}, e...)...)
				}
			}
			return nil
		})
	}
}

func FuzzSniff(f *testing.F) {
	seedReports(f, []any{})
	f.Add([]byte("\xfe\xff\x00L\x00i\x00n\x00k\x00 \x00T\x00y\x00p\x00e\x00,\x00C\x00l\x00i\x00c\x00k\x00s"))
	f.Fuzz(func(t *testing.T, head []byte) {
		k := Sniff(head)
		if k != "" && !isReportKind(k) {
			t.Fatalf("Sniff = %q, not a report kind", k)
		}
	})
}

// kinds are what FuzzRead asks Read for, beside what Sniff says.
var kinds = []store.Kind{"", store.KindReportLinkType, store.KindReportOrders, store.KindReportTracking,
	store.KindReportEarnings, store.KindReportDailyTrends, store.KindReportXML}

func FuzzRead(f *testing.F) {
	seedReports(f, []any{uint8(0)}, []any{uint8(1)})
	f.Add([]byte("Link Type,Clicks\n\"a\n\"\"b,1\n\"x"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, pick uint8) {
		const name = "fuzz!input"
		kind := Sniff(data)
		if pick > 0 {
			kind = kinds[int(pick)%len(kinds)]
		}
		rep, err := Read(name, bytes.NewReader(data), kind)
		if err == nil && rep == nil {
			t.Fatal("no reports and no error")
		}
		// Where the reads of the file end must change nothing.
		again, err2 := Read(name, iotest.HalfReader(bytes.NewReader(data)), kind)
		if (err == nil) != (err2 == nil) || (rep == nil) != (again == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("read whole: %v; read in pieces: %v", err, err2)
		}
		if rep != nil && !sameReports(rep, again) {
			t.Fatal("reading in pieces gives other reports")
		}
		if rep == nil {
			return
		}
		if len(rep.Files) != 1 {
			t.Fatalf("files = %+v", rep.Files)
		}
		checkSources(t, rep, name)
	})
}
