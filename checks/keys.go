package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

var awsKeysMalformed = &Rule{
	ID:       "AOM108",
	Name:     "aws-keys-malformed",
	Title:    "AWS access or secret key is malformed",
	Severity: Warning,
	Needs:    NeedSettings,
	Explain: "Amazon's Product Advertising API needs an access key and a secret key, and the store signs every request to Amazon with them. " +
		"An access key is 20 capital letters and digits; a secret key is 40 letters, digits and the signs / + =. " +
		"A key with a typo or a space in it, or the two keys swapped, makes Amazon turn the store's requests away, so products may not show. " +
		"Copy both keys again exactly as Amazon gave them.",
	Fix:   "Copy the access key and secret key again from " + whereAPIKeys + " into the key fields of Control Panel > Settings, with no spaces.",
	Check: checkAWSKeys,
}

// awsKey is a setting that holds one of the two AWS keys.
type awsKey struct {
	v      store.Value
	secret bool
	// problems are predicates for "access key "x" (Key) ..."; other says the
	// value has the shape of the other kind of key instead.
	problems []string
	other    bool
}

// isAWSKeyName tells the key settings apart by name: AOM's exact names are
// unconfirmed (AwsAccessKey, AmazonAccessKey, AccessKeyId, AWSAccessKeyId;
// AwsSecretKey, AmazonSecretKey, SecretAccessKey, SecretKey), and
// SecretAccessKey names a secret even though it says "access key" too.
func isAWSKeyName(key string) (isKey, secret bool) {
	k := squash(key)
	switch {
	case strings.Contains(k, "secret"):
		return true, true
	case strings.Contains(k, "accesskey"):
		return true, false
	}
	return false, false
}

func judgeAWSKey(v store.Value, secret bool) awsKey {
	k := awsKey{v: v, secret: secret}
	spaces, compact := spaceProblems(v.Text)
	n := len([]rune(compact))
	if secret {
		if k.other = looksAccessKey(compact); k.other {
			return k
		}
		k.problems = spaces
		if n != 40 {
			k.problems = append(k.problems, fmt.Sprintf("is %d characters long instead of 40", n))
		}
		if odd := distinctRunes(compact, func(r rune) bool { return !isSecretRune(r) }); len(odd) > 0 {
			k.problems = append(k.problems, "contains "+quoteRunes(odd))
		}
		return k
	}
	if k.other = looksSecretKey(compact); k.other {
		return k
	}
	k.problems = spaces
	if n != 20 {
		k.problems = append(k.problems, fmt.Sprintf("is %d characters long instead of 20", n))
	}
	if p := caseProblem(compact, isLowerASCII, "lower case", isUpperASCII); p != "" {
		k.problems = append(k.problems, p)
	}
	if odd := distinctRunes(compact, func(r rune) bool {
		return !(isUpperASCII(r) || isLowerASCII(r) || r >= '0' && r <= '9')
	}); len(odd) > 0 {
		k.problems = append(k.problems, "contains "+quoteRunes(odd))
	}
	return k
}

// quoted shows the key for a message: a secret key never whole, and an
// access key only when it is too short to be a secret typed in its place.
func (k awsKey) quoted() string {
	_, compact := spaceProblems(k.v.Text)
	if k.secret || len(compact) >= 30 || sensitive(k.v.Text) {
		return strconv.Quote(mask(k.v.Text))
	}
	return strconv.Quote(k.v.Text)
}

func (k awsKey) kind() string {
	if k.secret {
		return "secret key"
	}
	return "access key"
}

func checkAWSKeys(s *store.Store) []Finding {
	var keys []awsKey
	var accessAsSecret, secretAsAccess []awsKey
	for _, v := range s.Settings.Values() {
		isKey, secret := isAWSKeyName(v.Key)
		if !isKey || strings.TrimSpace(v.Text) == "" {
			continue
		}
		k := judgeAWSKey(v, secret)
		keys = append(keys, k)
		switch {
		case k.other && secret:
			secretAsAccess = append(secretAsAccess, k)
		case k.other:
			accessAsSecret = append(accessAsSecret, k)
		}
	}

	var out []Finding
	swapped := len(accessAsSecret) > 0 && len(secretAsAccess) > 0
	if swapped {
		a, sk := accessAsSecret[0], secretAsAccess[0]
		out = append(out, Finding{
			Message: fmt.Sprintf("the access key and secret key look swapped: %s holds %s, shaped like a secret key, and %s holds %s, shaped like an access key",
				a.v.Key, a.quoted(), sk.v.Key, sk.quoted()),
			Fix:      "Swap the two: put the 20-character access key in the access key field and the 40-character secret key in the secret key field of Control Panel > Settings.",
			Evidence: []Evidence{FromSource(a.v.Source), FromSource(sk.v.Source)},
		})
	}
	for _, k := range keys {
		problems := k.problems
		if k.other && !swapped {
			if k.secret {
				problems = []string{"looks like an access key (20 capital letters and digits), not a secret key"}
			} else {
				problems = []string{"looks like a secret key (40 letters, digits and / + =), not an access key"}
			}
		}
		if len(problems) == 0 {
			continue
		}
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s %s (%s) %s", k.kind(), k.quoted(), k.v.Key, joinAnd(problems)),
			Evidence: []Evidence{FromSource(k.v.Source)},
		})
	}
	return out
}
