package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Where a store owner clicks, named the same way in every rule.
const (
	whereAssociateID = "Control Panel > Settings > Amazon Associate ID"
	whereTrackingIDs = "Associates Central > Account Settings > Manage Your Tracking IDs"
	whereAPIKeys     = "Associates Central > Tools > Product Advertising API"
)

var reEmail = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// quote quotes a setting's value for a message. Messages end up in reports
// that owners paste into support forums, so a value that may hold an AWS
// secret key is masked wherever it was typed.
func quote(v string) string {
	if sensitive(v) {
		return strconv.Quote(mask(v))
	}
	return strconv.Quote(v)
}

// quotePlace quotes a file name or URL for a message. Unlike a setting's
// value it is never masked: a long mixed-case path has the shape of a key,
// and masking it would hide where to look.
func quotePlace(p string) string { return strconv.Quote(p) }

// mask shows no more of a secret than its first four characters, and no
// more than a quarter of it, so even a truncated secret is never whole.
func mask(v string) string {
	r := []rune(strings.TrimSpace(v))
	return string(r[:min(4, len(r)/4)]) + "…"
}

// sensitive reports whether v may hold an AWS secret key, whole or with a
// typo: a run of 30 or more characters of the key's alphabet (spaces
// skipped, one stray character bridged) that switches between upper and
// lower case at least 4 times, as random keys do and words, URL paths,
// ASINs and tracking IDs do not. The joints of a URL's query are not
// bridged, so AWSAccessKeyId=AKIA... in a cart URL does not count.
func sensitive(v string) bool {
	const minLen, minSwitches = 30, 4
	type run struct{ n, switches, gapAfter int }
	var runs []run
	var cur run
	var last rune
	flush := func() {
		if cur.n > 0 {
			runs = append(runs, cur)
		}
		cur, last = run{}, 0
	}
	for _, r := range v {
		switch {
		case unicode.IsSpace(r):
		case isKeyRune(r):
			if isLetterASCII(last) && isLetterASCII(r) && isUpperASCII(last) != isUpperASCII(r) {
				cur.switches++
			}
			cur.n, last = cur.n+1, r
		default:
			flush()
			if len(runs) > 0 {
				runs[len(runs)-1].gapAfter++
				if strings.ContainsRune("=&?#", r) {
					runs[len(runs)-1].gapAfter++ // a URL's joints are never bridged
				}
			}
		}
	}
	flush()
	for i, r := range runs {
		if r.n >= minLen && r.switches >= minSwitches {
			return true
		}
		if i+1 < len(runs) && r.gapAfter == 1 {
			next := runs[i+1]
			if r.n+1+next.n >= minLen && r.switches+next.switches >= minSwitches {
				return true
			}
		}
	}
	return false
}

// isKeyRune reports whether r is in the alphabet of AWS secret keys, less
// the "=" that URLs use between a parameter and its value.
func isKeyRune(r rune) bool { return isLetterASCII(r) || r >= '0' && r <= '9' || r == '/' || r == '+' }

// looksSecretKey reports whether v has the shape of an AWS secret key: 40
// characters of A-Za-z0-9/+=. Mixed case is required too, so 40 lower-case
// letters typed by hand are not taken for a key.
func looksSecretKey(v string) bool {
	if len(v) != 40 || strings.ContainsFunc(v, func(r rune) bool { return !isSecretRune(r) }) {
		return false
	}
	return strings.ContainsAny(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyz")
}

func isSecretRune(r rune) bool { return isKeyRune(r) || r == '=' }

// looksAccessKey reports whether v has the shape of an AWS access key: 20
// upper-case letters and digits. Very old Product Advertising keys do not
// start with AKIA, so a digit is enough to tell a key from a shouted word.
func looksAccessKey(v string) bool {
	if len(v) != 20 || strings.ContainsFunc(v, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
		return false
	}
	return strings.HasPrefix(v, "AKIA") || strings.ContainsAny(v, "0123456789")
}

// settingsEvidence cites the settings files themselves, for a finding about a
// key that none of them has.
func settingsEvidence(s *store.Settings) []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, p := range s.Sources {
		if !seen[p] {
			seen[p] = true
			out = append(out, Evidence{Path: p})
		}
	}
	return out
}

// parseBool reads the ways settings write a yes/no choice.
func parseBool(v string) (val, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "1", "on", "y":
		return true, true
	case "no", "false", "0", "off", "n":
		return false, true
	}
	return false, false
}

// joinAnd joins phrases as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// quoteRunes names characters for a message: `"_" and "."`.
func quoteRunes(rs []rune) string {
	q := make([]string, len(rs))
	for i, r := range rs {
		q[i] = strconv.Quote(string(r))
	}
	return joinAnd(q)
}

// spaceProblems names the spaces in v (leading, trailing, inside) and returns
// v without any of them.
func spaceProblems(v string) (problems []string, compact string) {
	count := func(s string) int { return len([]rune(s)) }
	trimmed := strings.TrimSpace(v)
	if n := count(v) - count(strings.TrimLeftFunc(v, unicode.IsSpace)); n > 0 {
		problems = append(problems, plural(n, "has a leading space", "has leading spaces"))
	}
	if n := count(v) - count(strings.TrimRightFunc(v, unicode.IsSpace)); n > 0 && trimmed != "" {
		problems = append(problems, plural(n, "has a trailing space", "has trailing spaces"))
	}
	compact = strings.Join(strings.Fields(trimmed), "")
	if n := count(trimmed) - count(compact); n > 0 {
		problems = append(problems, plural(n, "has a space inside", "has spaces inside"))
	}
	return problems, compact
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// distinctRunes lists, in order of first appearance, the runes of v for which
// keep is true.
func distinctRunes(v string, keep func(rune) bool) []rune {
	var out []rune
	for _, r := range v {
		if keep(r) && !strings.ContainsRune(string(out), r) {
			out = append(out, r)
		}
	}
	return out
}

// caseProblem names upper- (or lower-) case letters where the other case is
// required: "is in upper case" or "has upper case letters (G, S)".
func caseProblem(v string, wrong func(rune) bool, caseName string, right func(rune) bool) string {
	bad := distinctRunes(v, wrong)
	if len(bad) == 0 {
		return ""
	}
	if !strings.ContainsFunc(v, right) {
		return "is in " + caseName
	}
	names := make([]string, len(bad))
	for i, r := range bad {
		names[i] = string(r)
	}
	return fmt.Sprintf("has %s letters (%s)", caseName, strings.Join(names, ", "))
}

func isUpperASCII(r rune) bool  { return r >= 'A' && r <= 'Z' }
func isLowerASCII(r rune) bool  { return r >= 'a' && r <= 'z' }
func isLetterASCII(r rune) bool { return isUpperASCII(r) || isLowerASCII(r) }
