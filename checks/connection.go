package checks

import (
	"fmt"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

const keyConnectionMethod = "AmazonConnectionMethod"

// connectionMethods are the values AOM offers for AmazonConnectionMethod,
// with its labels, the default first. reportRows names where carts may show
// in the Link-Type report with that method.
var connectionMethods = []struct{ value, label, reportRows string }{
	{"aom", "RECOMMENDED: let Associate-O-Matic determine best method", ""},
	{"rest_file", "REST via file functions", "REST"},
	{"rest_curl", "REST via cURL", "REST"},
	{"soap", "SOAP", "SOAP"},
}

const whereConnection = "Control Panel > Settings > Amazon Connection Method"

var connectionNotDefault = &Rule{
	ID:       "AOM105",
	Name:     "connection-method-not-default",
	Title:    "Connection method is not AOM's default",
	Severity: Warning,
	Needs:    NeedSettings,
	Explain: "The connection method decides how AOM talks to Amazon. " +
		"AOM's own setting picks the best way by itself, and AOM asks owners to change it only when its support says so. " +
		"With REST or SOAP chosen, your carts can show in Amazon's Link-Type report under the REST or SOAP rows " +
		"instead of Remote shopping carts, which makes the report hard to match with your cart reports.",
	Fix:   "Set " + whereConnection + ` back to "RECOMMENDED: let Associate-O-Matic determine best method" (aom), unless AOM support told you to change it.`,
	Check: checkConnectionNotDefault,
}

var connectionUnknown = &Rule{
	ID:       "AOM106",
	Name:     "connection-method-unknown",
	Title:    "Connection method is not one AOM knows",
	Severity: Warning,
	Needs:    NeedSettings,
	Explain: "The connection method decides how AOM talks to Amazon, and AOM knows only four choices: aom, rest_file, rest_curl and soap. " +
		"Any other value is most likely a typo or a leftover from editing the settings by hand, " +
		"and the store may not reach Amazon the way you expect. " +
		"Setting it back to AOM's own choice is the safe option.",
	Fix:   "Set " + whereConnection + ` to "RECOMMENDED: let Associate-O-Matic determine best method" (aom).`,
	Check: checkConnectionUnknown,
}

// connectionMethod returns the store's connection method, lower-cased and
// trimmed, with its value. An absent or empty setting is AOM's default, aom,
// and gives ok false: there is nothing to judge.
func connectionMethod(s *store.Settings) (method string, v store.Value, ok bool) {
	v, ok = s.Get(keyConnectionMethod)
	method = strings.ToLower(strings.TrimSpace(v.Text))
	return method, v, ok && method != ""
}

func checkConnectionNotDefault(s *store.Store) []Finding {
	method, v, ok := connectionMethod(s.Settings)
	if !ok {
		return nil
	}
	for _, m := range connectionMethods {
		if m.value == method && m.reportRows != "" {
			return []Finding{{
				Message: fmt.Sprintf("connection method %s (%s) is not AOM's default %q, so carts may show under the %s rows of the Link-Type report instead of %q",
					quote(v.Text), m.label, "aom", m.reportRows, "Remote shopping carts"),
				Evidence: []Evidence{FromSource(v.Source)},
			}}
		}
	}
	return nil
}

func checkConnectionUnknown(s *store.Store) []Finding {
	method, v, ok := connectionMethod(s.Settings)
	if !ok {
		return nil
	}
	allowed := make([]string, len(connectionMethods))
	for i, m := range connectionMethods {
		if m.value == method {
			return nil
		}
		allowed[i] = m.value
	}
	return []Finding{{
		Message:  fmt.Sprintf("connection method %s is not one AOM knows (allowed: %s)", quote(v.Text), strings.Join(allowed, ", ")),
		Evidence: []Evidence{FromSource(v.Source)},
	}}
}
