package checks

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestRegistryIDs pins each rule's ID: IDs are never renumbered or reused.
func TestRegistryIDs(t *testing.T) {
	want := []struct{ id, name string }{
		{"AOM101", "associate-id-missing"},
		{"AOM102", "associate-id-default"},
		{"AOM103", "associate-id-malformed"},
		{"AOM104", "associate-id-wrong-marketplace"},
		{"AOM105", "connection-method-not-default"},
		{"AOM106", "connection-method-unknown"},
		{"AOM107", "cart-reports-not-enabled"},
		{"AOM108", "aws-keys-malformed"},
		{"AOM201", "cart-reports-without-clicks"},
		{"AOM202", "abandoned-carts"},
		{"AOM203", "clicks-without-cart-reports"},
		{"AOM204", "reports-not-yet-processed"},
		{"AOM205", "clicks-under-rest-or-soap"},
		{"AOM206", "associate-id-unknown"},
		{"AOM207", "conversion-over-100"},
		{"AOM208", "short-report-period"},
		{"AOM209", "other-items-reported"},
		{"AOM210", "orders-match-carts"},
		{"AOM301", "link-checker-false-failure"},
		{"AOM302", "link-wrong-id"},
		{"AOM303", "link-missing-id"},
		{"AOM304", "link-wrong-marketplace"},
		{"AOM401", "store-unreachable"},
		{"AOM402", "no-amazon-links-found"},
		{"AOM403", "cart-form-missing-id"},
		{"AOM404", "page-id-differs-from-settings"},
		{"AOM405", "mixed-ids-on-store"},
		{"AOM406", "insecure-amazon-links"},
		{"AOM501", "tracking-id-shared"},
	}
	got := Rules()
	if len(got) != len(want) {
		t.Fatalf("%d rules, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Name != w.name {
			t.Errorf("rule %d is %s %s, want %s %s", i, got[i].ID, got[i].Name, w.id, w.name)
		}
	}
}

// TestRegistryHygiene holds every rule's documentation to DESIGN.md.
func TestRegistryHygiene(t *testing.T) {
	idPattern := regexp.MustCompile(`^AOM\d{3}$`)
	namePattern := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	ids, names := map[string]bool{}, map[string]bool{}
	for _, r := range Rules() {
		t.Run(r.Name, func(t *testing.T) {
			if !idPattern.MatchString(r.ID) {
				t.Errorf("ID %q does not match %s", r.ID, idPattern)
			}
			if !namePattern.MatchString(r.Name) {
				t.Errorf("name %q is not kebab-case", r.Name)
			}
			if ids[r.ID] {
				t.Errorf("ID %s is used twice", r.ID)
			}
			if names[r.Name] {
				t.Errorf("name %s is used twice", r.Name)
			}
			ids[r.ID], names[r.Name] = true, true

			if r.Title == "" {
				t.Error("no title")
			} else if err := titleStyle(r.Title); err != "" {
				t.Errorf("title %q: %s", r.Title, err)
			}
			if strings.TrimSpace(r.Explain) == "" {
				t.Error("no explanation")
			} else if n := strings.Count(r.Explain+" ", ". "); n < 2 || n > 5 || !strings.HasSuffix(r.Explain, ".") {
				t.Errorf("explanation should be 2 to 5 whole sentences, has %d: %q", n, r.Explain)
			}
			if !strings.HasSuffix(r.Fix, ".") || r.Fix == "" || !unicode.IsUpper([]rune(r.Fix)[0]) {
				t.Errorf("fix should be an imperative sentence ending with a period: %q", r.Fix)
			}
			if r.Severity < Info || r.Severity > Error {
				t.Errorf("severity %v is not one of info, warning, error", r.Severity)
			}
			if r.Needs == 0 {
				t.Error("needs no evidence: the engine could never skip it")
			}
			if r.Check == nil {
				t.Error("no Check func")
			}
		})
	}
}

// titleStyle returns what is wrong with a title, or "". Sentence case allows
// capitals only on the first word, acronyms (AOM, AWS, ID) and proper nouns.
func titleStyle(title string) string {
	proper := map[string]bool{"Amazon": true, "Associate-O-Matic": true, "Associates": true}
	switch {
	case len(title) > 60:
		return "longer than 60 characters"
	case strings.HasSuffix(title, "."):
		return "ends with a period"
	case !unicode.IsUpper([]rune(title)[0]):
		return "does not start with a capital"
	}
	for _, w := range strings.Fields(title)[1:] {
		bare := strings.TrimSuffix(w, "'s")
		if unicode.IsUpper([]rune(w)[0]) && !proper[bare] && strings.ToUpper(bare) != bare {
			return "not sentence case: " + w
		}
	}
	return ""
}

func TestTitleStyle(t *testing.T) {
	for title, bad := range map[string]bool{
		"Associate ID is AOM's own default ID":  false,
		"AWS access or secret key is malformed": false,
		"Associate ID Is Missing":               true,
		"Associate ID is missing.":              true,
		"associate ID is missing":               true,
		strings.Repeat("Long ", 13):             true,
	} {
		if got := titleStyle(title) != ""; got != bad {
			t.Errorf("titleStyle(%q) bad = %v, want %v", title, got, bad)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, q := range []string{"associate-id-default", "ASSOCIATE-ID-DEFAULT", "AOM102", "aom102", " aom102 "} {
		if r := Lookup(q); r != associateIDDefault {
			t.Errorf("Lookup(%q) = %v, want associate-id-default", q, r)
		}
	}
	for _, q := range []string{"", "AOM999", "associate-id", "102"} {
		if r := Lookup(q); r != nil {
			t.Errorf("Lookup(%q) = %s, want nil", q, r.Name)
		}
	}
}

func TestRulesIsACopy(t *testing.T) {
	rs := Rules()
	rs[0] = nil
	if Rules()[0] == nil {
		t.Error("changing the slice Rules returned changed the registry")
	}
}
