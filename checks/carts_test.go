package checks

import "testing"

func cart(v string) kv  { return kv{key: "ShoppingCart", val: v} }
func email(v string) kv { return kv{key: "ReportsEmail", val: v} }
func reports(items ...string) kv {
	if items == nil {
		items = []string{}
	}
	return kv{key: "Reports", list: items}
}

func TestCartReportsNotEnabled(t *testing.T) {
	const noCarts = "so there are no remote carts at all: buy buttons open Amazon product pages, there are no cart reports to compare, and clicks show under product-link rows of the Link-Type report, not remote shopping carts"
	cases := []ruleCase{
		{name: "all set", set: []kv{cart("Yes"), email("owner@example.com"), reports("Remote_Cart")}, quiet: true},
		{name: "cart absent means Yes", set: []kv{email("owner@example.com"), reports("Remote_Cart")}, quiet: true},
		{name: "reports as plain text", set: []kv{email("owner@example.com"), {key: "Reports", val: "Remote_Cart"}}, quiet: true},
		{name: "report spelled loosely", set: []kv{email("owner@example.com"), {key: "Reports", val: "other, remote cart"}}, quiet: true},
		{name: "two addresses", set: []kv{email("owner@example.com; help@example.com"), reports("Remote_Cart")}, quiet: true},
		{
			name: "nothing set", set: []kv{filler},
			msg: []string{
				"the owner gets no cart reports to compare with Amazon's clicks",
				"no ReportsEmail was found in the settings",
				"no Reports setting was found, so Remote_Cart is not ticked",
			},
			fix: []string{"Enter your email address in Control Panel > Reports > Reports Email and tick Remote_Cart there, then save."},
			ev:  []Evidence{{Path: "settings.php"}},
		},
		{
			name: "empty email", set: []kv{email(""), reports("Remote_Cart")},
			msg:    []string{"ReportsEmail is empty"},
			notMsg: []string{"Remote_Cart", "AOM's default"},
			fix:    []string{"Enter your email address in Control Panel > Reports > Reports Email, then save."},
			ev:     []Evidence{ev(1, "ReportsEmail")},
		},
		{
			name: "email is AOM's empty default", set: []kv{{key: "ReportsEmail", def: true}, reports("Remote_Cart")},
			msg: []string{"ReportsEmail is empty (AOM's default: the store never set it)"},
			ev:  []Evidence{{Path: "definitions.php", Line: 1, Field: "ReportsEmail"}},
		},
		{
			name: "not an email", set: []kv{email("owner at example.com"), reports("Remote_Cart")},
			msg: []string{`ReportsEmail "owner at example.com" is not an email address`},
			ev:  []Evidence{ev(1, "ReportsEmail")},
		},
		{
			name: "report not ticked", set: []kv{email("owner@example.com"), reports("Other")},
			msg:    []string{`Reports "Other" does not include Remote_Cart`},
			notMsg: []string{"ReportsEmail"},
			fix:    []string{"Tick Remote_Cart in Control Panel > Reports, then save."},
			ev:     []Evidence{ev(2, "Reports")},
		},
		{
			name: "nothing ticked", set: []kv{email("owner@example.com"), reports()},
			msg: []string{"Reports has nothing ticked, not even Remote_Cart"},
		},
		{
			name: "reports absent", set: []kv{email("owner@example.com")},
			msg: []string{"no Reports setting was found"},
			ev:  []Evidence{{Path: "settings.php"}},
		},
		{
			name: "every reason at once", set: []kv{cart("1"), email("owner"), reports("Other")},
			msg: []string{`ReportsEmail "owner" is not an email address and Reports "Other" does not include Remote_Cart`},
			ev:  []Evidence{ev(2, "ReportsEmail"), ev(3, "Reports")},
		},
		{
			name: "unreadable cart value is taken as Yes", set: []kv{cart("maybe"), email("")},
			sev: Warning, msg: []string{"ReportsEmail is empty"},
		},
		{
			name: "cart off", set: []kv{cart("No")},
			sev: Info, msg: []string{`the shopping cart is off (ShoppingCart "No"), ` + noCarts},
			fix: []string{"No fix is needed unless you meant to use AOM's cart"},
			ev:  []Evidence{ev(1, "ShoppingCart")},
		},
		{
			name: "cart off outranks missing reports", set: []kv{cart("off"), email("owner")},
			sev: Info, msg: []string{`(ShoppingCart "off")`}, notMsg: []string{"ReportsEmail"},
		},
	}
	for _, on := range []string{"yes", "TRUE", "1", "On"} {
		cases = append(cases, ruleCase{name: "cart " + on, set: []kv{cart(on), email("")}, sev: Warning})
	}
	for _, off := range []string{"no", "False", "0", "OFF"} {
		cases = append(cases, ruleCase{name: "cart " + off, set: []kv{cart(off), email("")}, sev: Info})
	}
	runCases(t, cartReportsNotEnabled, cases)
}
