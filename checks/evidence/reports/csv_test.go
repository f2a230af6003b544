package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// records splits text with a splitter reading through r's wrapper, as
// "line: field|field" strings.
func records(t *testing.T, text string, comma byte, wrap func(io.Reader) io.Reader) []string {
	t.Helper()
	sp := newSplitter(wrap(strings.NewReader(text)), comma, 512)
	var out []string
	for {
		ok, err := sp.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out
		}
		rec := fmt.Sprintf("%d: %s", sp.recLine, bytes.Join(sp.fields, []byte("|")))
		if sp.unterminated {
			rec += " (unterminated)"
		}
		out = append(out, rec)
	}
}

func TestSplitter(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"plain", "a,b,c\n1,2,3\n", []string{"1: a|b|c", "2: 1|2|3"}},
		{"no final newline", "a,b\n1,2", []string{"1: a|b", "2: 1|2"}},
		{"crlf", "a,b\r\n1,2\r\n", []string{"1: a|b", "2: 1|2"}},
		{"quoted", `a,"b, c",d` + "\n", []string{"1: a|b, c|d"}},
		{"doubled quotes", `"5/8"" Cut","say ""hi"""` + "\n", []string{`1: 5/8" Cut|say "hi"`}},
		{"empty quoted", `"",x,""` + "\n", []string{"1: |x|"}},
		{"quote inside unquoted field", `Fiskars 18" Lopper,x` + "\n", []string{`1: Fiskars 18" Lopper|x`}},
		{"stray quote in quoted field", `"ab"c",x` + "\n", []string{`1: ab"c|x`}},
		{"trailing delimiter after quote", `"a",` + "\n", []string{"1: a|"}},
		{"line break in quotes", "\"a\nb\",c\nd,e\n", []string{"1: a\nb|c", "3: d|e"}},
		{"crlf in quotes", "\"a\r\nb\",c\r\nd,e\r\n", []string{"1: a\r\nb|c", "3: d|e"}},
		{"unterminated at eof", "a,b\n\"c,d", []string{"1: a|b", "2: c,d (unterminated)"}},
		{"blank lines", "\n\na\n", []string{"1: ", "2: ", "3: a"}},
	} {
		for _, w := range []struct {
			name string
			wrap func(io.Reader) io.Reader
		}{
			{"whole", func(r io.Reader) io.Reader { return r }},
			{"bytewise", iotest.OneByteReader},
			{"halves", iotest.HalfReader},
		} {
			t.Run(tc.name+"/"+w.name, func(t *testing.T) {
				got := records(t, tc.text, ',', w.wrap)
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("got  %q\nwant %q", got, tc.want)
				}
			})
		}
	}
}

// TestSplitterBufferBoundaries puts quoted records across the splitter's
// buffer refills, at every offset.
func TestSplitterBufferBoundaries(t *testing.T) {
	var b strings.Builder
	n := 0
	for b.Len() < 700<<10 {
		fmt.Fprintf(&b, "%d,\"name, %d \"\"q\"\"\",%s\n", n, n, strings.Repeat("x", n%97))
		n++
	}
	sp := newSplitter(iotest.HalfReader(strings.NewReader(b.String())), ',', splitBuffer)
	for i := 0; ; i++ {
		ok, err := sp.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			if i != n {
				t.Fatalf("read %d records, want %d", i, n)
			}
			return
		}
		want := fmt.Sprintf("%d|name, %d \"q\"|%s", i, i, strings.Repeat("x", i%97))
		if got := string(bytes.Join(sp.fields, []byte("|"))); got != want || sp.recLine != i+1 {
			t.Fatalf("record %d on line %d = %q, want %q", i, sp.recLine, got, want)
		}
	}
}

func TestSplitterLongRecord(t *testing.T) {
	text := "a,b\n" + strings.Repeat("x", 3<<20) + "\nc,d\n"
	sp := newSplitter(strings.NewReader(text), ',', splitBuffer)
	if ok, err := sp.next(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, err := sp.next(); err == nil || !strings.Contains(err.Error(), "line 2: longer than 1 MiB") {
		t.Errorf("error = %v", err)
	}
	// A quote that never closes, over more than a record's worth, is read
	// as one line.
	text = "a,b\n\"" + strings.Repeat("y,\n", 1<<20) + "c,d\n"
	sp = newSplitter(strings.NewReader(text), ',', splitBuffer)
	sp.next()
	if ok, err := sp.next(); !ok || err != nil || !sp.unterminated || sp.recLine != 2 {
		t.Errorf("ok %v err %v unterminated %v line %d", ok, err, sp.unterminated, sp.recLine)
	}
	if ok, _ := sp.next(); !ok || sp.recLine != 3 {
		t.Errorf("after it: line %d", sp.recLine)
	}
}
