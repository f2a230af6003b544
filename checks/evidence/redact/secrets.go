package redact

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// MinSecretLen is the length from which a secret value may be taken out of
// every file of the store, where it stands as a whole token. A shorter one
// (a key cut short, or junk typed into the field) is taken out only where
// the setting stands: replacing every "abc" in a store's pages would change
// what the rules read, and so little of a key gives nothing away.
const MinSecretLen = 12

// keyLike reports whether a secret value looks like a key, and so may be
// taken out wherever it stands whole: MinSecretLen to maxKeyLen characters, no
// space at its ends, of the key alphabet (letters, digits, / + =) but for
// at most two others (a typo's "-", a stray space), with upper- and
// lower-case letters and a digit, as random keys have and words, tracking
// IDs, ASINs and access key IDs do not.
func keyLike(v string) bool {
	if len(v) < MinSecretLen || len(v) > maxKeyLen || strings.TrimSpace(v) != v {
		return false
	}
	var upper, lower, digit bool
	odd := 0
	for _, r := range v {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case r == '/' || r == '+' || r == '=':
		case r >= ' ' && r < 0x7f:
			odd++
		default:
			return false
		}
	}
	return upper && lower && digit && odd <= 2
}

var (
	accessKeyRE  = regexp.MustCompile(`^[A-Z0-9]{20}$`)
	trackingIDRE = regexp.MustCompile(`(?i)^[a-z0-9][a-z0-9-]*-[0-9]{2}$`)
)

// publicShape reports whether a secret setting's value has the shape of a
// value that is no secret: an AWS access key ID (20 capital letters and
// digits, in every cart URL the store makes) or a tracking ID (in every
// link), typed into the secret key's field.
func publicShape(v string) bool {
	v = strings.TrimSpace(v)
	if accessKeyRE.MatchString(v) && (strings.HasPrefix(v, "AKIA") || strings.ContainsAny(v, "0123456789")) {
		return true
	}
	return trackingIDRE.MatchString(v)
}

// A secretMatcher finds one secret value in text, written as it is or
// escaped: URL-encoded (%2F or %2f), JSON-escaped (\/, \u002f), as HTML
// character references (&#47;, &#x2F;, &sol;). In a settings file (full)
// it also finds the value split by PHP or JavaScript string concatenation
// ("q9Vd..." .\n "Bc6J..."), and escapes of its letters and digits.
type secretMatcher struct {
	value string
	vr    []rune // value, rune by rune
	ph    []rune // SecretPlaceholder(value), rune by rune
	re    *regexp.Regexp
	// anchor is a run of the value's letters and digits that every form
	// the matcher finds holds as it is: a text without it is passed over
	// without running the expression. Empty for a full matcher.
	anchor string
	// token holds the characters that may continue a key, besides letters,
	// digits, "/" and "+": the value's own odd characters.
	token string
	// literal, for a value longer than maxKeyLen, are the forms it is
	// found in and their placeholders, instead of re.
	literal [][2]string
}

// concatGlue is what PHP or JavaScript puts between two pieces of a string:
// a closing quote, "." or "+", an opening quote, with any space or line
// breaks between.
const concatGlue = `(?:["']\s*[.+]\s*["'])?`

// maxKeyLen is the length up to which a value is matched in all its forms:
// a key is 40 characters, and the expression for a much longer value would
// cost more than it could find.
const maxKeyLen = 128

func newSecretMatcher(value string, full bool) *secretMatcher {
	m := &secretMatcher{value: value, vr: []rune(value), ph: []rune(SecretPlaceholder(value))}
	if len(m.vr) > maxKeyLen {
		// Not a key: found as written, JSON-escaped or URL-encoded only.
		ph := SecretPlaceholder(value)
		m.literal = [][2]string{
			{value, ph},
			{strings.ReplaceAll(value, "/", `\/`), strings.ReplaceAll(ph, "/", `\/`)},
			{url.QueryEscape(value), url.QueryEscape(ph)},
			{url.PathEscape(value), url.PathEscape(ph)},
		}
		return m
	}
	var b strings.Builder
	for i, r := range value {
		if i > 0 && full {
			b.WriteString(concatGlue)
		}
		b.WriteString("(" + strings.Join(charForms(r, full), "|") + ")")
		if !isAlnum(r) && !strings.ContainsRune("/+= ", r) && !strings.ContainsRune(m.token, r) {
			m.token += string(r)
		}
	}
	m.re = regexp.MustCompile(b.String())
	if !full {
		for _, run := range strings.FieldsFunc(value, func(r rune) bool { return !isAlnum(r) }) {
			if len(run) > len(m.anchor) {
				m.anchor = run
			}
		}
	}
	return m
}

// charForms are the ways a character of a secret can be written, as
// regular expressions: itself, and for a character other than a letter or
// digit (any character, in a full matcher) its escapes.
func charForms(r rune, full bool) []string {
	forms := []string{regexp.QuoteMeta(string(r))}
	if r >= 0x80 || isAlnum(r) && !full {
		return forms
	}
	hex := hexCI(fmt.Sprintf("%02X", r))
	forms = append(forms,
		"%"+hex,
		`\\u00`+hex,
		"&#0*"+strconv.Itoa(int(r))+";",
		"&#[xX]0*"+hex+";",
	)
	if full {
		forms = append(forms, `\\x`+hex, `\\0*`+strconv.FormatInt(int64(r), 8)) // PHP's "\x2f", "\057"
		if !isAlnum(r) {
			forms = append(forms, `\\`+regexp.QuoteMeta(string(r))) // PHP's \" \$ \\, JSON's \"
		}
	}
	switch r {
	case '/':
		forms = append(forms, `\\/`, "&sol;")
	case '+':
		forms = append(forms, "&plus;")
	case '=':
		forms = append(forms, "&equals;")
	case ' ':
		forms = append(forms, `\+`, "&nbsp;")
	case '&':
		forms = append(forms, "&amp;")
	case '<':
		forms = append(forms, "&lt;")
	case '>':
		forms = append(forms, "&gt;")
	case '"':
		forms = append(forms, "&quot;")
	case '\'':
		forms = append(forms, "&apos;")
	}
	return forms
}

// hexCI is a regular expression for two hex digits in either case.
func hexCI(h string) string {
	var b strings.Builder
	for _, c := range h {
		if c >= 'A' && c <= 'F' {
			b.WriteString("[" + string(c) + string(c-'A'+'a') + "]")
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// find returns the submatch indexes of the first form of the value at or
// after s[from:], in s's offsets, or nil.
func (m *secretMatcher) find(s string, from int) []int {
	if m.literal != nil {
		// sub[2] says which form it is.
		var best []int
		for k, f := range m.literal {
			if i := strings.Index(s[from:], f[0]); i >= 0 && (best == nil || from+i < best[0]) {
				best = []int{from + i, from + i + len(f[0]), k}
			}
		}
		return best
	}
	loc := m.re.FindStringIndex(s[from:])
	if loc == nil {
		return nil
	}
	i, j := from+loc[0], from+loc[1]
	sub := m.re.FindStringSubmatchIndex(s[i:j])
	for k := range sub {
		if sub[k] >= 0 {
			sub[k] += i
		}
	}
	return sub
}

// placeholder is the text that replaces the match sub of s: each character
// of the value becomes its placeholder's, and an escaped sign, which the
// placeholder keeps, stays as it was written; what joins the pieces of a
// split value stays too, so the file keeps its lines.
func (m *secretMatcher) placeholder(s string, sub []int) string {
	if m.literal != nil {
		return m.literal[sub[2]][1]
	}
	var b strings.Builder
	last := sub[0]
	for k, r := range m.vr {
		i, j := sub[2+2*k], sub[3+2*k]
		b.WriteString(s[last:i])
		if piece := s[i:j]; piece != string(r) && !isAlnum(r) {
			b.WriteString(piece)
		} else {
			b.WriteRune(m.ph[k])
		}
		last = j
	}
	b.WriteString(s[last:sub[1]])
	return b.String()
}

// replaceTokens replaces every form of the value in s that stands as a
// whole token (see bounded) and lies in no protected span, and says how
// many it replaced.
func (m *secretMatcher) replaceTokens(s string, protected [][2]int) (string, int) {
	if m.anchor != "" && !strings.Contains(s, m.anchor) {
		return s, 0
	}
	var b strings.Builder
	n, last := 0, 0
	for from := 0; from <= len(s); {
		sub := m.find(s, from)
		if sub == nil {
			break
		}
		i, j := sub[0], sub[1]
		if !m.bounded(s, i, j) || overlaps(protected, i, j) {
			from = i + 1
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(m.placeholder(s, sub))
		last, from = j, j
		n++
	}
	if n == 0 {
		return s, 0
	}
	b.WriteString(s[last:])
	return b.String(), n
}

// bounded reports whether s[i:j] stands as a whole token: the characters
// around it cannot be part of a key (a letter, a digit, "/" or "+", or one
// of the value's own odd characters, written as they are or escaped). "="
// may stand on either side: key=VALUE in a query.
func (m *secretMatcher) bounded(s string, i, j int) bool {
	inKey := func(c byte) bool {
		return isAlnumByte(c) || c == '/' || c == '+' || strings.IndexByte(m.token, c) >= 0
	}
	if i > 0 && inKey(s[i-1]) {
		return false
	}
	if j < len(s) {
		if inKey(s[j]) {
			return false
		}
		rest := strings.ToLower(s[j:min(len(s), j+8)])
		for _, esc := range []string{"%2b", "%2f", `\/`, "&#43;", "&#47;", "&#x2b;", "&#x2f;", `\u002b`, `\u002f`} {
			if strings.HasPrefix(rest, esc) {
				return false
			}
		}
	}
	return true
}

func overlaps(spans [][2]int, i, j int) bool {
	for _, sp := range spans {
		if i < sp[1] && sp[0] < j {
			return true
		}
	}
	return false
}

// SecretPlaceholder is value with every letter and digit replaced, keeping
// its shape: letters by those of "redactedsecretkey" in the original's case,
// digits by 0; other characters and spaces stay.
func SecretPlaceholder(value string) string {
	const word = "redactedsecretkey"
	var b strings.Builder
	i := 0
	for _, r := range value {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteByte(word[i%len(word)])
		case r >= 'A' && r <= 'Z':
			b.WriteByte(word[i%len(word)] - 'a' + 'A')
		case r >= '0' && r <= '9':
			b.WriteByte('0')
		default:
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func isAlnumByte(b byte) bool { return isAlnum(rune(b)) }
