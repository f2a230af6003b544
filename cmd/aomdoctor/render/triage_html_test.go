package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks"
)

func triageHTMLOf(t *testing.T, rows []*TriageRow) string {
	t.Helper()
	var b bytes.Buffer
	if err := TriageHTML(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var (
	hrefFrag = regexp.MustCompile(`href="#([^"]*)"`)
	idAttr   = regexp.MustCompile(`\bid="([^"]*)"`)
)

// TestTriageHTMLLinks: every store in the table links to its own section,
// every link lands on an element, and the stores come worst first.
func TestTriageHTMLLinks(t *testing.T) {
	rows := []*TriageRow{
		{Name: "alpha", Findings: []TriageFinding{{Name: "associate-id-missing", Severity: checks.Error, Message: "no ID", Title: "Associate ID is missing", Fix: "Enter it."}}},
		{Name: "beta"},
		{Name: "Beta!", Findings: []TriageFinding{{Name: "aws-keys-malformed", Severity: checks.Warning, Message: "short key"}}},
		{Name: "broken", Problems: []string{"broken.zip: not a zip file"}, Code: checks.ExitBadInput},
		// Names whose anchors would collide once numbered.
		{Name: "a-b"}, {Name: "a-b-2"}, {Name: "a_b"},
	}
	page := triageHTMLOf(t, rows)
	ids := map[string]int{}
	for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q is on %d elements", id, n)
		}
	}
	links := hrefFrag.FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatal("no links to the stores' sections")
	}
	for _, m := range links {
		if ids[m[1]] == 0 {
			t.Errorf("link #%s lands nowhere", m[1])
		}
	}
	// Each store has a section holding its name.
	for _, r := range rows {
		if !strings.Contains(page, "<h3>"+r.Name+"</h3>") {
			t.Errorf("no section for %s", r.Name)
		}
	}
	// Table order: the store that could not be read, then errors, warnings, none.
	table := page[strings.Index(page, "Stores, worst first"):strings.Index(page, "Each store</h2>")]
	var order []string
	for _, m := range regexp.MustCompile(`<td><a href="#[^"]*">([^<]*)</a></td>`).FindAllStringSubmatch(table, -1) {
		order = append(order, m[1])
	}
	if got := strings.Join(order, ","); got != "broken,alpha,Beta!,beta,a-b,a-b-2,a_b" {
		t.Errorf("table order %s, want broken,alpha,Beta!,beta,a-b,a-b-2,a_b", got)
	}
	for _, want := range []string{"Associate ID is missing", "Enter it.", "No ID.", "broken.zip: not a zip file", "1</b>store not checked in full"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestTriageHTMLEscapes: store names, messages, evidence and problems come
// from the stores' files and are shown as text, never as markup.
func TestTriageHTMLEscapes(t *testing.T) {
	rows := []*TriageRow{{
		Name:       "shop" + xssAttr,
		TrackingID: xssScript,
		Findings: []TriageFinding{{
			Name: "associate-id-malformed", Severity: checks.Error, Message: xssScript, Title: xssAttr,
			Fix: xssScript, Evidence: []checks.Evidence{{Path: xssAttr + ".php", Line: 2, Field: xssScript}},
		}},
		Problems: []string{xssScript},
		Code:     checks.ExitBadInput,
	}}
	page := triageHTMLOf(t, rows)
	for _, bad := range []string{"<script>", "<img", "onerror=alert(1)>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the payload is not shown as text")
	}
}

// TestTriageHTMLBaseline: with a baseline, new findings are marked and the
// fixed ones listed under their store.
func TestTriageHTMLBaseline(t *testing.T) {
	rows := []*TriageRow{{
		Name:     "alpha",
		Findings: []TriageFinding{{Name: "associate-id-missing", Severity: checks.Error, Message: "no ID", Status: "new"}},
		Base:     &TriageBaseline{New: 1, Fixed: 1, FixedList: []TriageFinding{{Name: "aws-keys-malformed", Message: "short key"}}},
	}}
	page := triageHTMLOf(t, rows)
	for _, want := range []string{`<span class="new">new</span>`, "Fixed since the baseline run", "<code>aws-keys-malformed</code>: short key", "1 new finding, 0 still there, 1 fixed"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
