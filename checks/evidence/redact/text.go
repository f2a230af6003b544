package redact

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// textRedactor takes email addresses, secrets and IP addresses out of
// text, counting them. It never adds or removes a line break.
type textRedactor struct {
	c       *Counts
	secrets []*secretMatcher
	// protect finds, in a text, the spans of the values the store shows
	// anyway (its Associate ID, ...) that hold a secret: a secret is never
	// replaced inside one. Nil when none holds one.
	protect func(string) [][2]int
	owners  map[string]bool // the owner's addresses, normalised (ownerKey): OwnerEmail
}

// text redacts s: the addresses first, so that the owner's is known by
// what it was, then the secrets, then the IP addresses.
func (t *textRedactor) text(s string) string {
	s = t.replaceEmails(s)
	for _, m := range t.secrets {
		var spans [][2]int
		if t.protect != nil {
			spans = t.protect(s)
		}
		var n int
		s, n = m.replaceTokens(s, spans)
		t.c.SecretKeys += n
	}
	return replaceIPs(s, t.c)
}

// Text takes email addresses, IP addresses and the given secret values out
// of free text. A secret is taken out where it stands as a whole token, and
// only when it looks like a key (see MinSecretLen). An IP address that is
// the host of a URL stays: it is a web server's address, not a visitor's,
// and the rules read the host.
func Text(s string, c *Counts, secrets ...string) string {
	return New(secrets...).textRedactor(c).text(s)
}

const (
	// emailLocal is an address's user part: letters of any script,
	// digits, . _ % + - and ' (not first, so that 'someone@example.com' in
	// PHP or HTML keeps its quotes), or a quoted string ("john smith").
	emailLocal = `(?:"[^"\\\r\n]{1,64}"|[\p{L}\p{M}\p{N}._%+\-][\p{L}\p{M}\p{N}._%+\-']*)`
	// emailAt is "@" as written, URL-encoded (in a link's query) or as an
	// HTML character reference.
	emailAt = `(?:@|%40|&#0*64;|&#[xX]0*40;|&commat;)`
	// emailDomain is a host name, internationalised too (bücher.example,
	// or its xn-- form).
	emailDomain = `[\p{L}\p{M}\p{N}\-]+(?:\.[\p{L}\p{M}\p{N}\-]+)*\.(?:[\p{L}\p{M}]{2,}|[xX][nN]--[A-Za-z0-9\-]+)`
)

var (
	emailRE   = regexp.MustCompile(emailLocal + emailAt + emailDomain)
	emailAtRE = regexp.MustCompile(emailAt)
	ipv4RE    = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	// ipv6RunRE finds the runs of hex digits, colons and dots that hold two
	// colons or more: each is a candidate for an IPv6 address, on its own
	// bounds (replaceIPs).
	ipv6RunRE = regexp.MustCompile(`[0-9A-Fa-f.]*(?::[0-9A-Fa-f.]*){2,}`)
)

// fileExts are the endings of file names that look like addresses
// ("logo@2x.png", a retina image): not addresses.
var fileExts = map[string]bool{
	"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true, "ico": true,
	"bmp": true, "css": true, "js": true, "htm": true, "html": true, "php": true,
}

// splitAddress returns an address's user part, its "@" as written and its
// domain.
func splitAddress(m string) (local, at, domain string) {
	locs := emailAtRE.FindAllStringIndex(m, -1)
	if locs == nil {
		return m, "", ""
	}
	// The domain holds no "@" in any form: the last one divides. A quoted
	// user part may hold one.
	l := locs[len(locs)-1]
	return m[:l[0]], m[l[0]:l[1]], m[l[1]:]
}

// ownerKey normalises an address for comparing it with the owner's: "@"
// as written, in lower case.
func ownerKey(m string) string {
	local, _, domain := splitAddress(m)
	return strings.ToLower(local + "@" + domain)
}

func isPlaceholder(m string) bool {
	_, _, domain := splitAddress(m)
	return strings.EqualFold(domain, "example.invalid")
}

// replaceEmails replaces every email address in s with Email, or with
// OwnerEmail when it is one of the owner's, writing its "@" as the address
// did. An address that is the user part and host of a URL
// (http://user@host/) loses only its user part, so the URL keeps its host.
func (t *textRedactor) replaceEmails(s string) string {
	if !strings.Contains(s, "@") && !strings.Contains(s, "%40") && !strings.Contains(s, "&#") && !strings.Contains(s, "&commat;") {
		return s // the common case of a report, passed over quickly
	}
	return replaceMatches(s, emailRE, func(s string, i, j int) string {
		m := s[i:j]
		if isPlaceholder(m) || fileExts[strings.ToLower(m[strings.LastIndexByte(m, '.')+1:])] {
			return m
		}
		t.c.Emails++
		_, at, domain := splitAddress(m)
		switch {
		case t.owners[ownerKey(m)]:
			return strings.Replace(OwnerEmail, "@", at, 1)
		case strings.HasSuffix(s[:i], "//"):
			return "redacted" + at + domain
		}
		return strings.Replace(Email, "@", at, 1)
	})
}

// replaceIPs replaces IPv6 and IPv4 addresses that stand on their own: not
// part of a longer dotted number (a version 1.2.3.4.5), not the host of a
// URL, not "::" or a CSS "a::before". An IPv6 address may follow a label
// ("IPv6:2001:db8::1" in a Received header, "IP:2001:db8::1").
func replaceIPs(s string, c *Counts) string {
	if strings.Count(s, ":") >= 2 {
		s = replaceIPv6(s, c)
	}
	if !strings.Contains(s, ".") {
		return s
	}
	return replaceMatches(s, ipv4RE, func(s string, i, j int) string {
		m := s[i:j]
		switch {
		case i > 0 && s[i-1] == '.', j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]), isURLHost(s, i):
			return m
		}
		for _, octet := range strings.Split(m, ".") {
			// Padded octets (203.000.113.045) are an address too.
			if n, err := strconv.Atoi(octet); err != nil || n > 255 {
				return m
			}
		}
		c.IPs++
		return IP
	})
}

func replaceIPv6(s string, c *Counts) string {
	return replaceMatches(s, ipv6RunRE, func(s string, i, j int) string {
		a, b := i, j
		for b > a && s[b-1] == '.' { // the end of a sentence
			b--
		}
		if a > 0 && isWordByte(s[a-1]) {
			// Glued to a word: the run's first group and colon end the
			// label.
			a += strings.IndexByte(s[a:b], ':') + 1
		}
		m := s[a:b]
		if b < len(s) && isWordByte(s[b]) || isURLHost(s, a) {
			return s[i:j]
		}
		groups := 0
		for _, g := range strings.Split(m, ":") {
			if g != "" {
				groups++
			}
		}
		if addr, err := netip.ParseAddr(m); err != nil || !addr.Is6() || groups < 2 {
			return s[i:j]
		}
		c.IPs++
		return s[i:a] + IP + s[b:j]
	})
}

// isURLHost reports whether the address at s[i:] is the host of a URL.
func isURLHost(s string, i int) bool {
	before := strings.TrimSuffix(s[:i], "[")
	return strings.HasSuffix(before, "//")
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isWordByte(b byte) bool { return isAlnumByte(b) || b == '_' }

// replaceMatches replaces every match of re in s by what repl returns for
// it, given s and the match's bounds, so repl can look around the match.
func replaceMatches(s string, re *regexp.Regexp, repl func(s string, i, j int) string) string {
	locs := re.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		b.WriteString(s[last:l[0]])
		b.WriteString(repl(s, l[0], l[1]))
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}
