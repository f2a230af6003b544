package checks

import (
	"fmt"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

const (
	keyShoppingCart = "ShoppingCart"
	keyReportsEmail = "ReportsEmail"
	keyReports      = "Reports"
	// reportRemoteCart is the one choice of the Reports checkbox list: an
	// email each time a visitor checks out to Amazon.
	reportRemoteCart = "Remote_Cart"
	whereReports     = "Control Panel > Reports"
)

var cartReportsNotEnabled = &Rule{
	ID:       "AOM107",
	Name:     "cart-reports-not-enabled",
	Title:    "Cart reports are not emailed to the owner",
	Severity: Warning,
	Needs:    NeedSettings,
	Explain: "AOM can email you a cart report each time a visitor checks out to Amazon. " +
		"Those reports are your own record of what reached Amazon: without them you cannot compare your carts " +
		"with the clicks in Amazon's Link-Type report, which is how a wrong Associate ID is usually noticed. " +
		"They need an email address to go to and the Remote_Cart report ticked. " +
		"A cart report is not a sale: it only tells what was in the cart.",
	Fix:   "Enter your email address in " + whereReports + " > Reports Email and tick " + reportRemoteCart + " there, then save.",
	Check: checkCartReports,
}

func checkCartReports(s *store.Store) []Finding {
	set := s.Settings
	// An absent, empty or unreadable ShoppingCart is taken as AOM's default,
	// Yes: the cart is on unless the settings say plainly that it is off.
	if v, ok := set.Get(keyShoppingCart); ok {
		if on, known := parseBool(v.Text); known && !on {
			return []Finding{{
				Severity: Info,
				Message: fmt.Sprintf("the shopping cart is off (ShoppingCart %s), so there are no remote carts at all: "+
					"buy buttons open Amazon product pages, there are no cart reports to compare, "+
					"and clicks show under product-link rows of the Link-Type report, not remote shopping carts", quote(v.Text)),
				Fix:      "No fix is needed unless you meant to use AOM's cart; then set Control Panel > Settings > Shopping Cart to Yes.",
				Evidence: []Evidence{FromSource(v.Source)},
			}}
		}
	}

	var reasons []string
	var ev []Evidence
	absent := false
	emailOK := false
	switch v, ok := set.Get(keyReportsEmail); {
	case !ok:
		reasons, absent = append(reasons, "no "+keyReportsEmail+" was found in the settings"), true
	case strings.TrimSpace(v.Text) == "":
		why := keyReportsEmail + " is empty"
		if v.Default {
			why += " (AOM's default: the store never set it)"
		}
		reasons, ev = append(reasons, why), append(ev, FromSource(v.Source))
	case !allEmails(v.Text):
		reasons, ev = append(reasons, fmt.Sprintf("%s %s is not an email address", keyReportsEmail, quote(v.Text))), append(ev, FromSource(v.Source))
	default:
		emailOK = true
	}
	ticked := false
	switch v, ok := set.Get(keyReports); {
	case !ok:
		reasons, absent = append(reasons, "no "+keyReports+" setting was found, so "+reportRemoteCart+" is not ticked"), true
	case strings.TrimSpace(v.Text) == "" && len(v.List) == 0:
		reasons, ev = append(reasons, keyReports+" has nothing ticked, not even "+reportRemoteCart), append(ev, FromSource(v.Source))
	case !hasReport(v, reportRemoteCart):
		reasons, ev = append(reasons, fmt.Sprintf("%s %s does not include %s", keyReports, quote(v.Text), reportRemoteCart)), append(ev, FromSource(v.Source))
	default:
		ticked = true
	}
	if len(reasons) == 0 {
		return nil
	}
	if absent {
		ev = append(ev, settingsEvidence(set)...)
	}
	f := Finding{
		Message:  "the owner gets no cart reports to compare with Amazon's clicks: " + joinAnd(reasons),
		Evidence: ev,
	}
	switch {
	case emailOK:
		f.Fix = "Tick " + reportRemoteCart + " in " + whereReports + ", then save."
	case ticked:
		f.Fix = "Enter your email address in " + whereReports + " > Reports Email, then save."
	}
	return []Finding{f}
}

// allEmails reports whether v is one email address, or several separated by
// commas or semicolons.
func allEmails(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' })
	for _, p := range parts {
		if !reEmail.MatchString(strings.TrimSpace(p)) {
			return false
		}
	}
	return len(parts) > 0
}

// hasReport reports whether a Reports value includes the named report. It
// reads the choice tolerantly ("Remote Cart", "remote-cart") because exports
// and hand edits do not keep AOM's spelling, and a single text value may be
// a comma-separated list.
func hasReport(v store.Value, name string) bool {
	items := v.List
	if !v.IsList {
		items = strings.FieldsFunc(v.Text, func(r rune) bool { return r == ',' || r == ';' || r == '|' })
	}
	for _, it := range items {
		if squash(it) == squash(name) {
			return true
		}
	}
	return false
}

// squash keeps only the letters and digits of s, lower-cased.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case isLowerASCII(r) || r >= '0' && r <= '9':
			return r
		case isUpperASCII(r):
			return r - 'A' + 'a'
		}
		return -1
	}, s)
}
