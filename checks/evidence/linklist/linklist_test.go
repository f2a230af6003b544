package linklist

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

type group struct {
	form   store.LinkForm
	id     string
	domain string
	http   bool
	count  int
	lines  []int
}

func groups(ls *store.Links) []group {
	var out []group
	for _, g := range ls.Groups() {
		var lines []int
		for _, ex := range g.Examples {
			lines = append(lines, ex.Source.Line)
		}
		out = append(out, group{g.Form, g.ID, g.Domain, g.HTTP, g.Count, lines})
	}
	return out
}

func TestReadTestdata(t *testing.T) {
	path := filepath.Join("testdata", "links.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	links, err := Read(path, f)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := []group{
		{store.FormEncodedTag, "gardenshop-20", "amazon.com", true, 2, []int{3, 4}},
		{store.FormQueryTag, "gardenshop-20", "amazon.com", false, 1, []int{7}},
		{store.FormCartMerge, "gardenshop-20", "amazon.com", false, 1, []int{9}},
		{store.FormQueryTag, "associatomati-20", "amazon.com", false, 1, []int{11}},
		{store.FormOtherAmazon, "", "images-amazon.com", true, 1, []int{14}},
	}
	if got := groups(links); !reflect.DeepEqual(got, want) {
		t.Errorf("groups:\n got %+v\nwant %+v", got, want)
	}
	if links.Total != 6 {
		t.Errorf("total %d, want 6 (the store's own page is not Amazon's)", links.Total)
	}
	for _, g := range links.Groups() {
		for _, ex := range g.Examples {
			if ex.Source.Path != path || ex.Source.Field != "" {
				t.Errorf("source %+v", ex.Source)
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	in := "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n" +
		"see https://www.amazon.com/dp/B00002N66H?tag=gardenshop-20 for the pruner\n" +
		"\r\n" +
		"ftp://ftp.example.com/pub/links.txt\n" +
		strings.Repeat("x", MaxLine+10) + "\n" +
		"https://www.amazon.co.uk/dp/B000BQWDZ2?tag=cornishteas-21\r\n" +
		"Bow saw, " + strings.Repeat("very ", 20) + "long line\n" +
		"https://www.amazon.com/dp/B00002N5Z2?tag=gardenshop-20"
	links, err := Read("links.txt", strings.NewReader(in))
	var merr *multierror.Error
	if !errors.As(err, &merr) {
		t.Fatalf("error %v (%T), want *multierror.Error", err, err)
	}
	want := []string{
		`line 2: not a URL: "see https://www.amazon.com/dp/B00002N66H?tag=gardenshop-20 f"...`,
		`line 4: not a URL: "ftp://ftp.example.com/pub/links.txt"`,
		`line 5: longer than 64 KiB; not a URL`,
		`line 7: not a URL: "Bow saw, very very very very very very very very very very v"...`,
	}
	var got []string
	for _, e := range merr.Errors {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	wantGroups := []group{
		{store.FormQueryTag, "gardenshop-20", "amazon.com", false, 2, []int{1, 8}},
		{store.FormQueryTag, "cornishteas-21", "amazon.co.uk", false, 1, []int{6}},
	}
	if got := groups(links); !reflect.DeepEqual(got, wantGroups) {
		t.Errorf("good lines kept:\n got %+v\nwant %+v", got, wantGroups)
	}
}

func TestReadLongLastLine(t *testing.T) {
	in := "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n" + strings.Repeat("y", 3*MaxLine)
	links, err := Read("l.txt", strings.NewReader(in))
	if err == nil || err.Error() != "1 error occurred:\n\t* line 2: longer than 64 KiB; not a URL\n\n" {
		t.Errorf("error = %q", err)
	}
	if links.Total != 1 {
		t.Errorf("total %d, want 1", links.Total)
	}
}

func TestReadManyBadLines(t *testing.T) {
	in := "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n" + strings.Repeat("not a url\n", 250)
	_, err := Read("l.txt", strings.NewReader(in))
	var merr *multierror.Error
	if !errors.As(err, &merr) || len(merr.Errors) != maxLineErrors+1 {
		t.Fatalf("error %v", err)
	}
	if last := merr.Errors[maxLineErrors].Error(); last != "150 more lines are not URLs" {
		t.Errorf("last error %q", last)
	}
	if first := merr.Errors[0].Error(); first != `line 2: not a URL: "not a url"` {
		t.Errorf("first error %q", first)
	}
}

func TestReadEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n# only comments\n", "\xef\xbb\xbf"} {
		links, err := Read("l.txt", strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), "no URLs found") || links == nil {
			t.Errorf("Read(%q) = %v", in, err)
		}
	}
}

func TestReadBOMAndCRLF(t *testing.T) {
	links, err := Read("l.txt", strings.NewReader("\xef\xbb\xbfhttps://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\r\nwww.amazon.de/dp/B00005N5PF?tag=gartenladen-21\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	ids := links.IDs()
	if ids["gardenshop-20"] != 1 || ids["gartenladen-21"] != 1 {
		t.Errorf("ids = %v", ids)
	}
}

func TestSniff(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "links.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, head := range map[string]string{
		"testdata":       string(data),
		"one link":       "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n",
		"no scheme":      "amazon.co.uk/dp/B000BQWDZ2?tag=cornishteas-21",
		"bom crlf":       "\xef\xbb\xbfhttps://www.amazon.com/dp/B00005N5PF\r\n",
		"a few bad":      "https://www.amazon.com/dp/B00005N5PF\nhttps://example.com/\nnot a url\n",
		"cut at 64 KiB":  strings.Repeat("https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n", 1300)[:64<<10],
		"comment header": "# my links\n\nhttps://www.amazon.com/dp/B00005N5PF\n",
	} {
		if got := Sniff([]byte(head)); got != store.KindLinkList {
			t.Errorf("Sniff(%s) = %q, want %q", name, got, store.KindLinkList)
		}
	}
	for name, head := range map[string]string{
		"empty":            "",
		"comments only":    "# https://www.amazon.com/dp/B00005N5PF\n",
		"no Amazon link":   "https://example.com/\nhttps://www.gardenshopsupplies.example/\n",
		"mostly prose":     "https://www.amazon.com/dp/B00005N5PF\nsome text\nmore text\n",
		"starts with text": "Links for support:\nhttps://www.amazon.com/dp/B00005N5PF\nhttps://www.amazon.com/dp/B00002N66H\n",
		"email":            "From: a@example.com\nDate: Mon, 12 Oct 2009 15:42:07 -0400\n\nhttps://www.amazon.com/dp/B00005N5PF\n",
		"php":              "<?php\n$cfg['UrlRest']['value'] = 'http://webservices.amazon.com/onca/xml';\n",
		"ini":              "UrlRest = http://webservices.amazon.com/onca/xml\n",
		"html":             "<a href=\"https://www.amazon.com/dp/B00005N5PF\">saw</a>\n",
		"binary":           "https://www.amazon.com/dp/B00005N5PF\n\x00\x01",
	} {
		if got := Sniff([]byte(head)); got != "" {
			t.Errorf("Sniff(%s) = %q, want \"\"", name, got)
		}
	}
}

func FuzzLinklistRead(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("testdata", "links.txt")); err == nil {
		f.Add(data)
	}
	f.Add([]byte("https://www.amazon.com/dp/B00005N5PF?tag=x-20\r\n# c\n\nnot a url\n<www.amazon.co.uk/o/ASIN/B000BQWDZ2/cornishteas-21> # c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		links, err := Read("fuzz.txt", strings.NewReader(string(data)))
		if links == nil {
			t.Fatal("nil links")
		}
		if err != nil {
			var merr *multierror.Error
			if !errors.As(err, &merr) {
				t.Fatalf("error %T", err)
			}
		}
		for _, g := range links.Groups() {
			if g.Form == store.FormNotAmazon || g.Count < 1 {
				t.Fatalf("group %+v", g)
			}
			for _, ex := range g.Examples {
				if ex.Source.Path != "fuzz.txt" || ex.Source.Line < 1 {
					t.Fatalf("source %+v", ex.Source)
				}
			}
		}
		if k := Sniff(data); k != "" && k != store.KindLinkList {
			t.Fatalf("Sniff = %q", k)
		}
	})
}
