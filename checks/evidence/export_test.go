package evidence

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

type exportCase struct {
	name string
	src  string
	want []want
}

func runExportCases(t *testing.T, read func(string, io.Reader) (*store.Settings, error), file string, tests []exportCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := read(file, strings.NewReader(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, s, file, tc.want...)
		})
	}
}

func TestReadJSON(t *testing.T) {
	runExportCases(t, ReadJSON, "export.json", []exportCase{
		{"flat", `{
  "AmazonAssociateId": "gardenshop-20",
  "amazonstoretype": "Amazon.com",
  "EcsVersion": 2005,
  "PageCaching": true,
  "ReportsEmail": null,
  "Reports": ["Remote_Cart", 7, {"nested": 1}]
}`, []want{
			{key: "AmazonAssociateId", text: "gardenshop-20", line: 2},
			{key: "AmazonStoreType", text: "Amazon.com", line: 3},
			{key: "EcsVersion", text: "2005", line: 4},
			{key: "PageCaching", text: "true", line: 5},
			{key: "ReportsEmail", text: "", line: 6},
			{key: "Reports", text: "Remote_Cart, 7", list: []string{"Remote_Cart", "7"}, line: 7},
		}},
		{"records", `{"AmazonAssociateId": {"type": "text",
  "Value": "gardenshop-20",
  "default": "associatomati-20"},
 "ShoppingCart": {"default": "Yes"},
 "Reports": {"value": []}}`, []want{
			{key: "AmazonAssociateId", text: "gardenshop-20", line: 2},
			{key: "ShoppingCart", text: "Yes", deflt: true, line: 4},
			{key: "Reports", text: "", list: []string{}, line: 5},
		}},
		{"section", `{"exported": "2009-03-02", "settings": {
  "AmazonAssociateId": "gardenshop-20"}, "meta": {"tool": {"deep": [1]}}}`, []want{
			{key: "AmazonAssociateId", text: "gardenshop-20", line: 2},
			{key: "exported", text: "2009-03-02", line: 1},
			{key: "settings", missing: true},
			{key: "tool", missing: true},
		}},
		{"empty key skipped", `{"": "x", "AmazonAssociateId": "y-20"}`, []want{{key: "AmazonAssociateId", text: "y-20"}}},
	})
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"missing comma", "{\n\"AmazonAssociateId\": \"a\"\n\"ShoppingCart\": \"Yes\"}", "line 3: invalid JSON: invalid character"},
		{"trailing comma", "{\"AmazonAssociateId\": \"a\",\n}", "line 2: invalid JSON"},
		{"cut short", "{\"AmazonAssociateId\": \"a\",\n\"Reports\": [", "line 2: invalid JSON: unexpected end of file"},
		{"not an object", "[1, 2]", "line 1: expected a JSON object of settings"},
		{"trailing data", "{\"AmazonAssociateId\": \"a\"}\n{}", "line 2: unexpected data after the JSON object"},
		{"no known key", `{"name": "theme"}`, "no AOM settings found"},
		{"invalid utf-8", "{\n\"AmazonAssociateId\": \"caf\xe9\"}", "line 2: invalid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON("x.json", strings.NewReader(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReadYAML(t *testing.T) {
	runExportCases(t, ReadYAML, "export.yaml", []exportCase{
		{"flat", `# AOM settings
---
AmazonAssociateId: gardenshop-20
amazonstoretype: "Amazon.com"
EcsVersion: 2005-09-15
ReportsEmail: ~
Reports:
  - Remote_Cart
  - {nested: map}
ShoppingCart: 'No'
`, []want{
			{key: "AmazonAssociateId", text: "gardenshop-20", line: 3},
			{key: "AmazonStoreType", text: "Amazon.com", line: 4},
			{key: "EcsVersion", text: "2005-09-15", line: 5},
			{key: "ReportsEmail", text: "", line: 6},
			{key: "Reports", text: "Remote_Cart", list: []string{"Remote_Cart"}, line: 7},
			{key: "ShoppingCart", text: "No", line: 10},
		}},
		{"records, sections and aliases", `settings:
  AmazonAssociateId:
    type: text
    default: associatomati-20
  Reports: &r [Remote_Cart]
  Other: *r
  PageCaching: {value: Off}
`, []want{
			{key: "AmazonAssociateId", text: "associatomati-20", deflt: true, line: 4},
			{key: "Reports", text: "Remote_Cart", list: []string{"Remote_Cart"}, line: 5},
			{key: "Other", text: "Remote_Cart", list: []string{"Remote_Cart"}, line: 6},
			{key: "PageCaching", text: "Off", line: 7},
			{key: "settings", missing: true},
		}},
		{"two documents", "AmazonAssociateId: a-20\n---\nShoppingCart: Yes\n", []want{
			{key: "AmazonAssociateId", text: "a-20", line: 1}, {key: "ShoppingCart", text: "Yes", line: 3},
		}},
	})
}

func TestReadYAMLErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"bad indentation", "AmazonStoreType: Amazon.com\nAmazonAssociateId: a-20\n  ShoppingCart: Yes\n", "line 3: invalid YAML: mapping values are not allowed"},
		{"tab indentation", "settings:\n\tAmazonAssociateId: a-20\n", "line 2: invalid YAML"},
		{"a list at the top", "- AmazonAssociateId\n", "line 1: expected a YAML mapping"},
		{"no known key", "name: theme\n", "no AOM settings found"},
		{"empty document", "---\n", "no AOM settings found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadYAML("x.yaml", strings.NewReader(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestReadYAMLAliasFanOut checks that aliases that multiply (a billion
// laughs) cannot make the reader walk billions of entries.
func TestReadYAMLAliasFanOut(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a {")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "k%d: v, ", i)
	}
	b.WriteString("AmazonAssociateId: x}\nb: &b {")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "b%d: *a, ", i)
	}
	b.WriteString("z: 1}\nc: {")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "c%d: *b, ", i)
	}
	b.WriteString("z: 1}\n")
	_, err := ReadYAML("bomb.yaml", strings.NewReader(b.String()))
	if err == nil || !strings.Contains(err.Error(), "more than 100000 values") {
		t.Fatalf("error = %v, want too many values", err)
	}
}

func TestReadINI(t *testing.T) {
	runExportCases(t, ReadINI, "export.ini", []exportCase{
		{"plain", `; AOM settings
# exported by hand
[amazon]
AmazonAssociateId = gardenshop-20
amazonstoretype=Amazon.com ; the US store
ReportsEmail = "orders@gardenshop.example" ; quoted
UrlRest = 'http://webservices.amazon.com/onca/xml'
SiteTitle = Garden#Shop
not a setting line
ShoppingCart =
`, []want{
			{key: "AmazonAssociateId", text: "gardenshop-20", line: 4},
			{key: "AmazonStoreType", text: "Amazon.com", line: 5},
			{key: "ReportsEmail", text: "orders@gardenshop.example", line: 6},
			{key: "UrlRest", text: "http://webservices.amazon.com/onca/xml", line: 7},
			{key: "SiteTitle", text: "Garden#Shop", line: 8},
			{key: "ShoppingCart", text: "", line: 10},
		}},
		{"repeated list lines", "AmazonAssociateId = a-20\nReports[] = Remote_Cart\nreports[] = Other\n", []want{
			{key: "Reports", text: "Remote_Cart, Other", list: []string{"Remote_Cart", "Other"}, line: 2},
		}},
		{"comma list only for Reports", "AmazonAssociateId = a-20\nReports = Remote_Cart, Other\nSiteTitle = Seeds, Tools\n", []want{
			{key: "Reports", text: "Remote_Cart, Other", list: []string{"Remote_Cart", "Other"}, line: 2},
			{key: "SiteTitle", text: "Seeds, Tools", line: 3},
		}},
		{"empty Reports is an empty list", "AmazonAssociateId = a-20\nReports =\n", []want{
			{key: "Reports", text: "", list: []string{}, line: 2},
		}},
		{"escaped quote", `AmazonAssociateId = "a\"b\\c"`, []want{{key: "AmazonAssociateId", text: `a"b\c`}}},
		{"a plain value after the list wins", "AmazonAssociateId = a-20\nReports[] = x\nReports[] = y\nReports = z\n", []want{
			{key: "Reports", text: "z", list: []string{"z"}, line: 4},
		}},
		{"a list after the plain value wins", "AmazonAssociateId = a-20\nSiteTitle = z\nSiteTitle[] = x\n", []want{
			{key: "SiteTitle", text: "x", list: []string{"x"}, line: 3},
		}},
	})
}

func TestReadINIErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unterminated quote", "AmazonStoreType = Amazon.com\nAmazonAssociateId = \"a-20\n", "line 2: unterminated quoted value"},
		{"no known key", "name = theme\n", "no AOM settings found"},
		{"invalid utf-8", "AmazonAssociateId = caf\xe9\n", "line 1: invalid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadINI("x.ini", strings.NewReader(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLongListsAreLinear guards against rebuilding a list for every item,
// which made a file of many list lines take minutes.
func TestLongListsAreLinear(t *testing.T) {
	const n = 200_000
	start := time.Now()
	s, err := ReadINI("x.ini", strings.NewReader("AmazonAssociateId = a-20\n"+strings.Repeat("Reports[] = Remote_Cart\n", n)))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("Reports"); len(v.List) != n || v.Source.Line != 2 {
		t.Errorf("got %d items from line %d", len(v.List), v.Source.Line)
	}
	page := "<form><input name=AmazonAssociateId value=a-20>" + strings.Repeat("<input type=checkbox name=Reports[] value=x checked>\n", n/10) + "</form>"
	if s, err = ReadSettingsHTML("x.html", strings.NewReader(page)); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("Reports"); len(v.List) != n/10 {
		t.Errorf("got %d items", len(v.List))
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}
