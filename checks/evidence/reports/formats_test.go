package reports

import (
	"bytes"
	"encoding/csv"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// TestFormatsAgree writes each kind of report in every form it comes in
// (CSV with and without its title, tab-separated, UTF-16 "Unicode text", a
// saved page) and checks that all read the same.
func TestFormatsAgree(t *testing.T) {
	for _, file := range []string{"linktype-title.csv", "linktype-de.csv", "orders-title.csv", "tracking-utf16le.txt", "earnings.csv", "dailytrends-it.csv"} {
		t.Run(file, func(t *testing.T) {
			title, rows := loadTable(t, file)
			want := readAs(t, file, []byte(writeDelimited(title, rows, ',')), true)
			if !want.Files[0].Period.Known() || want.Files[0].Rows == 0 {
				t.Fatalf("the CSV gives no period or no rows: %+v", want.Files[0])
			}
			for _, v := range []struct {
				name     string
				data     []byte
				noPeriod bool
			}{
				{"csv-notitle", []byte(writeDelimited("", rows, ',')), true},
				{"tsv", []byte(writeDelimited(title, rows, '\t')), false},
				{"utf16le-tsv", utf16LE(strings.ReplaceAll(writeDelimited(title, rows, '\t'), "\n", "\r\n")), false},
				{"html", []byte(writePage(title, rows)), false},
			} {
				got := readAs(t, v.name, v.data, !v.noPeriod)
				w := want
				if v.noPeriod {
					w = withoutPeriod(want)
				}
				var a, b bytes.Buffer
				dumpReports(&a, w)
				dumpReports(&b, got)
				if a.String() != b.String() {
					t.Errorf("%s reads differently:\n got %s\nwant %s", v.name, b.String(), a.String())
				}
			}
		})
	}
}

// loadTable reads a testdata report as its title and rows.
func loadTable(t *testing.T, file string) (string, [][]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	text := string(decodeHead(data))
	title, rest, _ := strings.Cut(text, "\n")
	comma := ','
	if strings.Count(rest, "\t") > strings.Count(rest, ",") {
		comma = '\t'
	} else if strings.Count(rest, ";") > strings.Count(rest, ",") {
		comma = ';'
	}
	r := csv.NewReader(strings.NewReader(rest))
	r.Comma, r.FieldsPerRecord = comma, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(title), rows
}

func writeDelimited(title string, rows [][]string, comma rune) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title + "\n")
	}
	w := csv.NewWriter(&b)
	w.Comma = comma
	w.WriteAll(rows)
	return b.String()
}

func utf16LE(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16Encode(s) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func writePage(title string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><title>Report</title></head><body>\n<p>" + html.EscapeString(title) + "</p>\n<table>\n")
	for i, row := range rows {
		tag := "td"
		if i == 0 {
			tag = "th"
		}
		b.WriteString("<tr>")
		for _, c := range row {
			b.WriteString("<" + tag + ">" + html.EscapeString(c) + "</" + tag + ">")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n</body></html>\n")
	return b.String()
}

// readAs reads data and makes the result comparable across forms: the
// sources, which differ by form, are dropped.
func readAs(t *testing.T, name string, data []byte, wantPeriod bool) *store.Reports {
	t.Helper()
	kind := Sniff(data)
	rep, err := Read(name, bytes.NewReader(data), kind)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	checkSources(t, rep, name)
	if got := rep.Files[0].Period.Known(); got != wantPeriod {
		t.Errorf("%s: period known = %v", name, got)
	}
	rep.Files[0].Path = ""
	rep.Files[0].Period.Source = store.Source{}
	for i := range rep.LinkType {
		rep.LinkType[i].Source = store.Source{}
	}
	for i := range rep.Tracking {
		rep.Tracking[i].Source = store.Source{}
	}
	for i := range rep.Daily {
		rep.Daily[i].Source = store.Source{}
	}
	for _, s := range rep.IDs {
		s.Source = store.Source{}
	}
	for _, o := range rep.Orders {
		o.Source = store.Source{}
	}
	return rep
}

func withoutPeriod(r *store.Reports) *store.Reports {
	c := *r
	c.Files = append([]store.ReportFile(nil), r.Files...)
	c.Files[0].Period = store.Period{}
	return &c
}
