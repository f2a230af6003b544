package checks

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

const exampleAccess = "AKIAIOSFODNN7EXAMPLE"

func access(v string) kv { return kv{key: "AwsAccessKey", val: v} }
func secret(v string) kv { return kv{key: "AwsSecretKey", val: v} }

func TestAWSKeysMalformed(t *testing.T) {
	cases := []ruleCase{
		{name: "good pair", set: []kv{access(exampleAccess), secret(exampleSecret)}, quiet: true},
		{name: "old access key without AKIA", set: []kv{access("0PN5J17HBGZHT7JJ3X82")}, quiet: true},
		{name: "no keys", set: []kv{filler}, quiet: true},
		{name: "empty keys", set: []kv{access(""), secret(" ")}, quiet: true},
		{name: "secret with / + =", set: []kv{secret("abcdEFGH0123/+==abcdEFGH0123/+==abcdEFGH")}, quiet: true},
		{
			name: "access key too short", set: []kv{access("AKIAIOSFODNN7EXAMPL"), secret(exampleSecret)},
			msg: []string{`access key "AKIAIOSFODNN7EXAMPL" (AwsAccessKey) is 19 characters long instead of 20`},
			fix: []string{"Copy the access key and secret key again from Associates Central > Tools > Product Advertising API"},
			ev:  []Evidence{ev(1, "AwsAccessKey")},
		},
		{
			name: "access key in lower case", set: []kv{access(strings.ToLower(exampleAccess))},
			msg: []string{"is in lower case"}, notMsg: []string{"characters long"},
		},
		{
			name: "access key with a lower case letter", set: []kv{access("AKIAIOSFODNn7EXAMPLE")},
			msg: []string{"has lower case letters (n)"},
		},
		{
			name: "access key with spaces and a hyphen", set: []kv{access(" AKIA IOSFODNN7EXAMP-E")},
			msg: []string{`access key " AKIA IOSFODNN7EXAMP-E" (AwsAccessKey) has a leading space, has a space inside and contains "-"`},
		},
		{
			name: "secret too short", set: []kv{secret(exampleSecret[:39])},
			msg:    []string{`secret key "wJal…" (AwsSecretKey) is 39 characters long instead of 40`},
			notMsg: []string{exampleSecret[:39], "wJalr"},
			ev:     []Evidence{ev(1, "AwsSecretKey")},
		},
		{
			name: "secret with spaces and an underscore", set: []kv{secret(" " + exampleSecret[:20] + "_" + exampleSecret[21:] + " ")},
			msg: []string{"has a leading space, has a trailing space and contains \"_\""}, notMsg: []string{"wJalr"},
		},
		{
			name: "tiny secret is not shown at all", set: []kv{secret("abc")},
			msg: []string{`secret key "…" (AwsSecretKey) is 3 characters long instead of 40`},
		},
		{
			name: "swapped", set: []kv{access(exampleSecret), secret(exampleAccess)},
			msg: []string{
				`the access key and secret key look swapped: AwsAccessKey holds "wJal…", shaped like a secret key, and AwsSecretKey holds "AKIA…", shaped like an access key`,
			},
			notMsg: []string{exampleAccess},
			fix:    []string{"Swap the two"},
			ev:     []Evidence{ev(1, "AwsAccessKey"), ev(2, "AwsSecretKey")},
		},
		{
			name: "secret in the access key field", set: []kv{{key: "AccessKeyId", val: exampleSecret}},
			msg: []string{`access key "wJal…" (AccessKeyId) looks like a secret key`},
		},
		{
			name: "access key in the secret field", set: []kv{{key: "SecretAccessKey", val: exampleAccess}},
			msg: []string{`secret key "AKIA…" (SecretAccessKey) looks like an access key`},
		},
	}
	for _, name := range []string{"AmazonAccessKey", "AWSAccessKeyId", "accesskeyid", "aws_access_key"} {
		cases = append(cases, ruleCase{name: "access key named " + name, set: []kv{{key: name, val: "AKIA"}}, msg: []string{"(" + name + ") is 4 characters"}})
	}
	for _, name := range []string{"AmazonSecretKey", "SecretKey", "SECRETACCESSKEY", "aws_secret_key"} {
		cases = append(cases, ruleCase{name: "secret key named " + name, set: []kv{{key: name, val: "abc"}}, msg: []string{"(" + name + ") is 3 characters"}})
	}
	runCases(t, awsKeysMalformed, cases)
}

func TestAWSKeysEachKeyItsOwnFinding(t *testing.T) {
	fs := runRule(t, awsKeysMalformed, settingsStore(access("AKIA"), secret("abc")))
	var got []Evidence
	for _, f := range fs {
		checkStyle(t, f)
		got = append(got, f.Evidence...)
	}
	if want := []Evidence{ev(1, "AwsAccessKey"), ev(2, "AwsSecretKey")}; !reflect.DeepEqual(got, want) {
		t.Errorf("evidence %v, want %v (one finding a key)", got, want)
	}
}

// TestSecretsNeverPrinted types secret keys, whole and damaged, into every
// setting the rules read and checks that no finding of any rule shows more
// than a few characters of one.
func TestSecretsNeverPrinted(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
	rng := rand.New(rand.NewPCG(1, 2))
	secrets := []string{exampleSecret}
	for len(secrets) < 20 {
		b := make([]byte, 40)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		secrets = append(secrets, string(b))
	}
	keys := []string{
		"AmazonAssociateId", "AwsAccessKey", "AwsSecretKey", "AccessKeyId", "SecretKey",
		"AmazonConnectionMethod", "ReportsEmail", "Reports", "AmazonStoreType", "ShoppingCart",
	}
	runs := 0
	for _, s := range secrets {
		variants := []string{
			s, " " + s + " ", s + "-20", s + "-21", "tag=" + s, `"` + s + `"`,
			s[:39], s[:35], s + "x", s[:20] + " " + s[20:], s[:20] + "_" + s[21:],
			s + "@example.com", "https://www.amazon.com/dp/B00005N5PF?tag=" + s,
		}
		for _, v := range variants {
			for _, k := range keys {
				st := settingsStore(kv{key: k, val: v}, kv{key: "AwsAccessKey2", val: v})
				for _, f := range Run(st, Rules()).Findings {
					runs++
					for _, text := range []string{f.Message, f.Fix} {
						if leak := leaked(text, s); leak != "" {
							t.Errorf("%s with %s = %q shows %q of the secret:\n%s", f.Rule.Name, k, v, leak, text)
						}
					}
				}
			}
		}
	}
	if runs == 0 {
		t.Fatal("no findings at all: the test proves nothing")
	}
}

// leaked returns the first 8-character piece of secret found in text, in any
// case: the four characters a mask shows are allowed, more are not.
func leaked(text, secret string) string {
	lt := strings.ToLower(text)
	for i := 0; i+8 <= len(secret); i++ {
		if piece := strings.ToLower(secret[i : i+8]); strings.Contains(lt, piece) {
			return secret[i : i+8]
		}
	}
	return ""
}
