// Package redact takes secrets and personal data out of a store's evidence
// so that an owner can send it to support: the AWS secret key wherever it
// appears, the owner's and visitors' email addresses, visitors' IP addresses
// and the names in cart-report emails. It keeps everything the rules judge
// (the Associate ID, tracking IDs, ASINs, titles, prices, dates, figures, the
// AWS access key ID, the hosts of URLs), and it keeps each file readable by
// its evidence reader, with its line numbers.
package redact

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf16"

	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The placeholders. The owner's address stays an email address, so the
// cart-reports rule still judges the setting valid; an IP address becomes
// text that no reader takes for one.
const (
	OwnerEmail = "owner@example.invalid"
	Email      = "redacted@example.invalid"
	IP         = "[redacted-ip]"
	Name       = "[redacted]"
)

// MinSecretLen is the length from which a secret value is taken out of every
// file of the store. A shorter one (a key cut short, or junk typed into the
// field) is taken out only where the setting stands: replacing every "abc"
// in a store's pages would change what the rules read, and so little of a
// key gives nothing away.
const MinSecretLen = 8

// Counts says how many values of each kind were taken out of a file.
type Counts struct {
	SecretKeys, Emails, IPs, Names int
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.SecretKeys += o.SecretKeys
	c.Emails += o.Emails
	c.IPs += o.IPs
	c.Names += o.Names
}

// String lists the counts that are not zero, or says "nothing".
func (c Counts) String() string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", what, n))
		}
	}
	add(c.SecretKeys, "secret key")
	add(c.Emails, "email addresses")
	add(c.IPs, "IP addresses")
	add(c.Names, "names")
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// settingsReaders read each kind of settings file, to find the values to
// take out of its text.
var settingsReaders = map[store.Kind]func(string, io.Reader) (*store.Settings, error){
	store.KindSettingsPHP:  evidence.ReadPHP,
	store.KindSettingsHTML: evidence.ReadSettingsHTML,
	store.KindSettingsJSON: evidence.ReadJSON,
	store.KindSettingsYAML: evidence.ReadYAML,
	store.KindSettingsINI:  evidence.ReadINI,
}

// isSecretKey tells the settings whose value is a secret: the AWS secret
// key under any of its names (AwsSecretKey, AmazonSecretKey,
// aws_secret_access_key, ...).
func isSecretKey(key string) bool {
	return strings.Contains(strings.ToLower(key), "secret")
}

// settingsValues reads a settings file of the given kind; nil when it is
// not one or cannot be read.
func settingsValues(kind store.Kind, data []byte) []store.Value {
	read := settingsReaders[kind]
	if read == nil {
		return nil
	}
	s, err := read("settings", bytes.NewReader(data))
	if err != nil || s == nil {
		return nil
	}
	return s.Values()
}

// Secrets returns the secret values (the AWS secret key) a settings file of
// the given kind holds, as its reader reads them, so that they can be taken
// out of the store's other files too (File's secrets). It returns nothing
// for a file of another kind.
func Secrets(kind store.Kind, data []byte) []string {
	var out []string
	for _, v := range settingsValues(kind, data) {
		if isSecretKey(v.Key) && strings.TrimSpace(v.Text) != "" {
			out = append(out, v.Text)
		}
	}
	return out
}

// File redacts one file of the given kind (as evidence.Sniff tells it):
// settings files with Settings, cart-report emails with Mail, every other
// file with Text (UTF-16 text too). secrets are the store's secret values
// (see Secrets), taken out wherever they appear.
func File(kind store.Kind, data []byte, secrets ...string) ([]byte, Counts) {
	switch {
	case settingsReaders[kind] != nil:
		return Settings(kind, data, secrets...)
	case kind == store.KindCartReports:
		return Mail(data, secrets...)
	}
	var c Counts
	r := newRedactor(&c, secrets)
	if s, bigEndian, ok := decodeUTF16(data); ok {
		return encodeUTF16(r.text(s), bigEndian), c
	}
	return []byte(r.text(string(data))), c
}

// redactor takes secrets, email addresses and IP addresses out of text,
// counting them.
type redactor struct {
	c       *Counts
	secrets []string
	owners  map[string]bool // the owner's addresses, lower case: OwnerEmail
}

func newRedactor(c *Counts, secrets []string) *redactor {
	r := &redactor{c: c}
	seen := map[string]bool{}
	for _, s := range secrets {
		for _, v := range []string{s, strings.TrimSpace(s)} {
			if len(v) >= MinSecretLen && !seen[v] {
				seen[v] = true
				r.secrets = append(r.secrets, v)
			}
		}
	}
	return r
}

func (r *redactor) text(s string) string {
	for _, v := range r.secrets {
		var n int
		s, n = replaceSecret(s, v)
		r.c.SecretKeys += n
	}
	return replaceIPs(r.replaceEmails(s), r.c)
}

// Text takes email addresses, IP addresses and the given secret values out
// of free text. An IP address that is the host of a URL stays: it is a web
// server's address, not a visitor's, and the rules read the host.
func Text(s string, c *Counts, secrets ...string) string {
	return newRedactor(c, secrets).text(s)
}

// Settings takes the AWS secret key and the email addresses out of a
// settings file, and any of the given secrets and IP addresses. The values
// to take out are found by reading the file with its reader, then replaced
// where they stand in its text, so the file keeps its format (a quoted
// value stays quoted) and its line numbers.
func Settings(kind store.Kind, data []byte, secrets ...string) ([]byte, Counts) {
	var c Counts
	r := newRedactor(&c, secrets)
	r.owners = map[string]bool{}
	text := string(data)
	for _, v := range settingsValues(kind, data) {
		switch k := strings.ToLower(v.Key); {
		case isSecretKey(k) && strings.TrimSpace(v.Text) != "":
			var n int
			text, n = replaceOwnSecret(text, v)
			c.SecretKeys += n
		case strings.Contains(k, "email"):
			for _, e := range emailRE.FindAllString(v.Text, -1) {
				r.owners[strings.ToLower(e)] = true
			}
		}
	}
	return []byte(r.text(text)), c
}

// replaceOwnSecret takes a secret setting's value out of the file that sets
// it: everywhere in it when the value is long enough to be told apart, or
// else on its own line only.
func replaceOwnSecret(text string, v store.Value) (string, int) {
	value := v.Text
	if len(strings.TrimSpace(value)) >= MinSecretLen || v.Source.Line <= 0 {
		return replaceSecretOrPieces(text, value)
	}
	lines := strings.SplitAfter(text, "\n")
	if v.Source.Line > len(lines) {
		return replaceSecretOrPieces(text, value)
	}
	var n int
	lines[v.Source.Line-1], n = replaceSecretOrPieces(lines[v.Source.Line-1], value)
	return strings.Join(lines, ""), n
}

// replaceSecretOrPieces replaces value in text; when the file writes it
// escaped in a way replaceSecret does not know (a PHP or HTML escape), the
// runs of letters and digits it is made of are replaced instead.
func replaceSecretOrPieces(text, value string) (string, int) {
	if out, n := replaceSecret(text, value); n > 0 {
		return out, n
	}
	total := 0
	pieces := strings.FieldsFunc(value, func(r rune) bool { return !isAlnum(r) })
	for _, f := range pieces {
		if len(f) < 4 {
			continue
		}
		if n := strings.Count(text, f); n > 0 {
			text = strings.ReplaceAll(text, f, SecretPlaceholder(f))
			total = 1
		}
	}
	return text, total
}

// replaceSecret replaces every occurrence of value in text, as written or
// escaped for JSON ("\/") or a URL ("%2B", "%2F", "%3D"), with a placeholder
// of the same shape (SecretPlaceholder). The key rule judges the shape (40
// characters of letters, digits and / + =), so a bundle gives the findings
// the store gave.
func replaceSecret(text, value string) (string, int) {
	if value == "" {
		return text, 0
	}
	ph := SecretPlaceholder(value)
	forms := [][2]string{
		{value, ph},
		{strings.ReplaceAll(value, "/", `\/`), strings.ReplaceAll(ph, "/", `\/`)},
		{url.QueryEscape(value), url.QueryEscape(ph)},
		{url.PathEscape(value), url.PathEscape(ph)},
	}
	total := 0
	seen := map[string]bool{}
	for _, f := range forms {
		if seen[f[0]] {
			continue
		}
		seen[f[0]] = true
		if n := strings.Count(text, f[0]); n > 0 {
			text = strings.ReplaceAll(text, f[0], f[1])
			total += n
		}
	}
	return text, total
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

var (
	// An address, also URL-encoded (%40) as in a link's query. The first
	// character is not a quote, so that 'someone@example.com' in PHP or
	// HTML keeps its quotes.
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-][A-Za-z0-9._%+\-']*(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	ipv4RE  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	ipv6RE  = regexp.MustCompile(`(?i)(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})`)
)

// fileExts are the endings of file names that look like addresses
// ("logo@2x.png", a retina image): not addresses.
var fileExts = map[string]bool{
	"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true, "ico": true,
	"bmp": true, "css": true, "js": true, "htm": true, "html": true, "php": true,
}

func isPlaceholder(e string) bool {
	e = strings.ToLower(e)
	return strings.HasSuffix(e, "@example.invalid") || strings.HasSuffix(e, "%40example.invalid")
}

// replaceEmails replaces every email address in s with Email, or with
// OwnerEmail when it is one of the owner's. An address that is the user
// part and host of a URL (http://user@host/) loses only its user part, so
// the URL keeps its host.
func (r *redactor) replaceEmails(s string) string {
	return replaceMatches(s, emailRE, func(s string, i, j int) string {
		m := s[i:j]
		if isPlaceholder(m) || fileExts[strings.ToLower(m[strings.LastIndexByte(m, '.')+1:])] {
			return m
		}
		r.c.Emails++
		if r.owners[strings.ToLower(m)] {
			return OwnerEmail
		}
		// The domain holds neither "@" nor "%": the last of them divides.
		at, sep := strings.LastIndexByte(m, '@'), "@"
		if k := strings.LastIndex(strings.ToLower(m), "%40"); k > at {
			at, sep = k, "%40"
		}
		if strings.HasSuffix(s[:i], "//") {
			return "redacted" + m[at:]
		}
		return strings.Replace(Email, "@", sep, 1)
	})
}

// replaceIPs replaces IPv4 and IPv6 addresses that stand on their own: not
// part of a longer dotted number (a version 1.2.3.4.5), not the host of a
// URL, not "::" or a CSS "a::before".
func replaceIPs(s string, c *Counts) string {
	s = replaceMatches(s, ipv4RE, func(s string, i, j int) string {
		m := s[i:j]
		switch {
		case i > 0 && s[i-1] == '.', j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]), isURLHost(s, i):
			return m
		}
		if _, err := netip.ParseAddr(m); err != nil {
			return m
		}
		c.IPs++
		return IP
	})
	return replaceMatches(s, ipv6RE, func(s string, i, j int) string {
		m := s[i:j]
		if i > 0 && (isAlnumByte(s[i-1]) || s[i-1] == ':' || s[i-1] == '.') ||
			j < len(s) && (isAlnumByte(s[j]) || s[j] == ':' || s[j] == '.' && j+1 < len(s) && isDigit(s[j+1])) ||
			isURLHost(s, i) {
			return m
		}
		groups := 0
		for _, g := range strings.Split(m, ":") {
			if g != "" {
				groups++
			}
		}
		if a, err := netip.ParseAddr(m); err != nil || !a.Is6() || groups < 2 {
			return m
		}
		c.IPs++
		return IP
	})
}

// isURLHost reports whether the address at s[i:] is the host of a URL.
func isURLHost(s string, i int) bool {
	before := strings.TrimSuffix(s[:i], "[")
	return strings.HasSuffix(before, "//")
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isAlnumByte(b byte) bool { return isAlnum(rune(b)) }

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

// decodeUTF16 decodes text with a UTF-16 byte order mark (a report saved as
// "Unicode text"), without the mark.
func decodeUTF16(data []byte) (s string, bigEndian, ok bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order, bigEndian = binary.BigEndian, true
	default:
		return "", false, false
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return "", false, false
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return string(utf16.Decode(units)), bigEndian, true
}

// encodeUTF16 encodes s as UTF-16 with a byte order mark.
func encodeUTF16(s string, bigEndian bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	out := []byte{0xff, 0xfe}
	if bigEndian {
		order, out = binary.BigEndian, []byte{0xfe, 0xff}
	}
	units := utf16.Encode([]rune(s))
	for _, u := range units {
		out = order.AppendUint16(out, u)
	}
	return out
}

// addressHeaders hold people's addresses and names.
var addressHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true,
	"delivered-to": true, "x-original-to": true, "envelope-to": true, "return-path": true,
	"resent-from": true, "resent-to": true, "disposition-notification-to": true,
}

// Mail redacts a cart-report email or an mbox of them: the addresses and
// display names in the address headers, the addresses, IP addresses and
// given secrets everywhere else. Base64 parts are decoded, redacted and
// encoded again; quoted-printable parts are written back decoded, as 8bit.
func Mail(data []byte, secrets ...string) ([]byte, Counts) {
	var c Counts
	lines := splitLines(string(data))
	nl := "\n"
	if len(lines) > 0 && strings.HasSuffix(lines[0], "\r\n") {
		nl = "\r\n"
	}
	m := &mailer{r: newRedactor(&c, secrets), nl: nl}
	var out strings.Builder
	// Messages are cut at mbox "From " lines that follow a blank line.
	start := 0
	for i := 0; i <= len(lines); i++ {
		sep := i == len(lines) || i > start && isFromLine(lines[i]) && (i == 0 || strings.TrimSpace(lines[i-1]) == "")
		if !sep {
			continue
		}
		if i > start {
			out.WriteString(m.message(lines[start:i]))
		}
		start = i
	}
	return []byte(out.String()), c
}

func isFromLine(l string) bool { return strings.HasPrefix(l, "From ") }

type mailer struct {
	r  *redactor
	nl string
}

// message redacts one message: its mbox line, if any, then a part.
func (m *mailer) message(lines []string) string {
	var b strings.Builder
	if len(lines) > 0 && isFromLine(lines[0]) {
		b.WriteString(m.r.text(lines[0]))
		lines = lines[1:]
	}
	b.WriteString(m.part(lines, 0))
	return b.String()
}

// part redacts a header block and its body.
func (m *mailer) part(lines []string, depth int) string {
	// Header lines run to the first blank line, each with its continuations.
	i := 0
	var headers [][]string
	for ; i < len(lines); i++ {
		t := strings.TrimRight(lines[i], "\r\n")
		if t == "" {
			break
		}
		if (t[0] == ' ' || t[0] == '\t') && len(headers) > 0 {
			headers[len(headers)-1] = append(headers[len(headers)-1], lines[i])
			continue
		}
		if !strings.Contains(t, ":") {
			// Not a header: the whole of it is body text.
			return m.text(lines)
		}
		headers = append(headers, []string{lines[i]})
	}
	blank, body := "", lines[i:]
	if len(body) > 0 {
		blank, body = body[0], body[1:]
	}
	var ctype, cte string
	for _, h := range headers {
		name, value := splitHeader(h)
		switch strings.ToLower(name) {
		case "content-type":
			ctype = value
		case "content-transfer-encoding":
			cte = strings.ToLower(strings.TrimSpace(value))
		}
	}
	mediaType, params, _ := mime.ParseMediaType(ctype)
	multipart := strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" && depth < 8
	decoded := ""
	newCTE := ""
	switch {
	case multipart:
		// handled below
	case cte == "base64":
		raw, err := base64.StdEncoding.DecodeString(strings.Map(dropSpace, strings.Join(body, "")))
		if err == nil {
			decoded = base64Lines(m.r.text(string(raw)), m.nl)
		} else {
			decoded = m.text(body)
		}
	case cte == "quoted-printable":
		raw, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(strings.Join(body, ""))))
		if err == nil {
			decoded, newCTE = m.r.text(string(raw)), "8bit"
		} else {
			decoded = m.text(body)
		}
	default:
		decoded = m.text(body)
	}

	var b strings.Builder
	for _, h := range headers {
		name, value := splitHeader(h)
		lname := strings.ToLower(name)
		switch {
		case lname == "content-transfer-encoding" && newCTE != "":
			b.WriteString(name + ": " + newCTE + m.nl)
		case addressHeaders[lname]:
			b.WriteString(name + ": " + m.addresses(value) + m.nl)
		case lname == "message-id" || lname == "in-reply-to" || lname == "references":
			b.WriteString(name + ": " + m.messageIDs(value) + m.nl)
		default:
			for _, l := range h {
				b.WriteString(m.r.text(l))
			}
		}
	}
	b.WriteString(blank)
	if !multipart {
		b.WriteString(decoded)
		return b.String()
	}
	// A multipart body: the preamble, each part, the epilogue.
	delim := "--" + params["boundary"]
	cur := []string{}
	inPart := false
	flush := func() {
		if inPart {
			b.WriteString(m.part(cur, depth+1))
		} else {
			b.WriteString(m.text(cur))
		}
		cur = cur[:0]
	}
	for _, l := range body {
		t := strings.TrimRight(l, " \t\r\n")
		if t == delim || t == delim+"--" {
			flush()
			b.WriteString(l)
			inPart = t == delim
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return b.String()
}

func (m *mailer) text(lines []string) string {
	return m.r.text(strings.Join(lines, ""))
}

// addresses rewrites an address header: every address becomes the
// placeholder, every display name [redacted].
func (m *mailer) addresses(value string) string {
	list, err := mail.ParseAddressList(value)
	if err != nil || len(list) == 0 {
		// Not a list net/mail reads: take out what looks like a name
		// before an address, then the addresses.
		v := nameRE.ReplaceAllStringFunc(value, func(s string) string {
			m.r.c.Names++
			return Name + " <"
		})
		return m.r.text(strings.TrimSpace(v))
	}
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = Email
		if !isPlaceholder(a.Address) {
			m.r.c.Emails++
		}
		if a.Name != "" {
			m.r.c.Names++
			parts[i] = Name + " <" + Email + ">"
		} else if strings.Contains(value, "<") {
			parts[i] = "<" + Email + ">"
		}
	}
	return strings.Join(parts, ", ")
}

var nameRE = regexp.MustCompile(`[^,<>\s][^,<>]*<`)

// messageIDs replaces each message ID by a digest of it: IDs stay unique
// and matching (a reply's In-Reply-To still names its message) but hold no
// host or address.
func (m *mailer) messageIDs(value string) string {
	return msgIDRE.ReplaceAllStringFunc(strings.TrimSpace(value), func(id string) string {
		sum := sha256.Sum256([]byte(id))
		return fmt.Sprintf("<%x@example.invalid>", sum[:8])
	})
}

var msgIDRE = regexp.MustCompile(`<[^<>]*>|[^\s<>]+@[^\s<>]+`)

// splitHeader returns a header's name and its unfolded value.
func splitHeader(h []string) (string, string) {
	joined := ""
	for i, l := range h {
		l = strings.TrimRight(l, "\r\n")
		if i > 0 {
			l = " " + strings.TrimLeft(l, " \t")
		}
		joined += l
	}
	name, value, _ := strings.Cut(joined, ":")
	return name, strings.TrimSpace(value)
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
		return -1
	}
	return r
}

// base64Lines encodes s in lines of 76 characters.
func base64Lines(s, nl string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + nl)
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc + nl)
	}
	return b.String()
}

// splitLines splits s after each newline, keeping the newlines.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
