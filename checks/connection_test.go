package checks

import "testing"

func method(v string) kv { return kv{key: "AmazonConnectionMethod", val: v} }

var methodEv = []Evidence{ev(1, "AmazonConnectionMethod")}

func TestConnectionNotDefault(t *testing.T) {
	runCases(t, connectionNotDefault, []ruleCase{
		{name: "absent means aom", set: []kv{filler}, quiet: true},
		{name: "empty means aom", set: []kv{method("")}, quiet: true},
		{name: "aom", set: []kv{method("aom")}, quiet: true},
		{name: "AOM", set: []kv{method(" AOM ")}, quiet: true},
		{name: "unknown is the other rule's", set: []kv{method("curl")}, quiet: true},
		{
			name: "rest_file", set: []kv{method("rest_file")},
			msg: []string{`connection method "rest_file" (REST via file functions) is not AOM's default "aom"`, "REST rows of the Link-Type report", `"Remote shopping carts"`},
			fix: []string{`back to "RECOMMENDED: let Associate-O-Matic determine best method" (aom), unless AOM support told you to change it.`},
			ev:  methodEv,
		},
		{
			name: "rest_curl", set: []kv{method("rest_curl")},
			msg: []string{`"rest_curl" (REST via cURL)`, "REST rows"}, ev: methodEv,
		},
		{
			name: "SOAP, spaced and upper case", set: []kv{method(" SOAP ")},
			msg: []string{`connection method " SOAP " (SOAP)`, "SOAP rows"}, ev: methodEv,
		},
	})
}

func TestConnectionUnknown(t *testing.T) {
	cases := []ruleCase{
		{name: "absent", set: []kv{filler}, quiet: true},
		{name: "empty", set: []kv{method("  ")}, quiet: true},
		{
			name: "typo", set: []kv{method("curl")},
			msg: []string{`connection method "curl" is not one AOM knows (allowed: aom, rest_file, rest_curl, soap)`},
			fix: []string{`"RECOMMENDED: let Associate-O-Matic determine best method" (aom).`},
			ev:  methodEv,
		},
		{name: "hyphen for underscore", set: []kv{method("rest-curl")}, msg: []string{`"rest-curl"`}},
	}
	for _, m := range connectionMethods {
		cases = append(cases, ruleCase{name: m.value, set: []kv{method(m.value)}, quiet: true})
	}
	runCases(t, connectionUnknown, cases)
}
