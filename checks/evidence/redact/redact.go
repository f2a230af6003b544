// Package redact takes secrets and personal data out of a store's evidence
// so that an owner can send it to support: the AWS secret key and the
// owner's address in the settings, and the visitors' addresses, IP addresses
// and names in cart-report emails. It keeps everything the rules judge (the
// Associate ID, tracking IDs, ASINs, titles, prices, dates, figures, the AWS
// access key ID), and it keeps each file readable by its evidence reader.
package redact

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/netip"
	"regexp"
	"strings"

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

// File redacts one file of the given kind (as evidence.Sniff tells it).
// Kinds that hold nothing secret or personal come back unchanged.
func File(kind store.Kind, data []byte) ([]byte, Counts) {
	switch {
	case settingsReaders[kind] != nil:
		return Settings(kind, data)
	case kind == store.KindCartReports:
		return Mail(data)
	}
	return data, Counts{}
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	ipv4RE  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	ipv6RE  = regexp.MustCompile(`(?i)(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})`)
)

// Settings takes the AWS secret key and the email addresses out of a
// settings file. The values to take out are found by reading the file with
// its reader, then replaced where they stand in its text, so the file keeps
// its format (a quoted value stays quoted) and its line numbers.
func Settings(kind store.Kind, data []byte) ([]byte, Counts) {
	var c Counts
	text := string(data)
	if read := settingsReaders[kind]; read != nil {
		if s, err := read("settings", bytes.NewReader(data)); err == nil && s != nil {
			for _, v := range s.Values() {
				k := strings.ToLower(v.Key)
				switch {
				case strings.Contains(k, "secret") && strings.TrimSpace(v.Text) != "":
					var n int
					text, n = replaceSecret(text, v.Text)
					c.SecretKeys += n
				case strings.Contains(k, "email"):
					for _, e := range emailRE.FindAllString(v.Text, -1) {
						if n := strings.Count(text, e); n > 0 {
							text = strings.ReplaceAll(text, e, OwnerEmail)
							c.Emails += n
						}
					}
				}
			}
		}
	}
	text = replaceEmails(text, &c)
	return []byte(text), c
}

// replaceSecret replaces the secret key value in text with a placeholder of
// the same shape: the same length, the same kinds of characters in the same
// places, the same spaces. The key rule judges the shape (40 characters of
// letters, digits and / + =), so a bundle gives the findings the store gave.
func replaceSecret(text, value string) (string, int) {
	if n := strings.Count(text, value); n > 0 {
		return strings.ReplaceAll(text, value, SecretPlaceholder(value)), n
	}
	// The reader may have unescaped the value: take out its pieces.
	total := 0
	for _, f := range strings.Fields(value) {
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

func isPlaceholder(e string) bool {
	return strings.HasSuffix(strings.ToLower(e), "@example.invalid")
}

func replaceEmails(s string, c *Counts) string {
	return emailRE.ReplaceAllStringFunc(s, func(e string) string {
		if isPlaceholder(e) {
			return e
		}
		c.Emails++
		return Email
	})
}

func replaceIPs(s string, c *Counts) string {
	s = ipv4RE.ReplaceAllStringFunc(s, func(m string) string {
		if _, err := netip.ParseAddr(m); err != nil {
			return m
		}
		c.IPs++
		return IP
	})
	return ipv6RE.ReplaceAllStringFunc(s, func(m string) string {
		if a, err := netip.ParseAddr(m); err != nil || !a.Is6() {
			return m
		}
		c.IPs++
		return IP
	})
}

// Text redacts email and IP addresses in free text.
func Text(s string, c *Counts) string {
	return replaceIPs(replaceEmails(s, c), c)
}

// addressHeaders hold people's addresses and names.
var addressHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true,
	"delivered-to": true, "x-original-to": true, "envelope-to": true, "return-path": true,
	"resent-from": true, "resent-to": true, "disposition-notification-to": true,
}

// Mail redacts a cart-report email or an mbox of them: the addresses and
// display names in the address headers, the addresses and IP addresses
// everywhere else. Base64 parts are decoded, redacted and encoded again;
// quoted-printable parts are written back decoded, as 8bit.
func Mail(data []byte) ([]byte, Counts) {
	var c Counts
	lines := splitLines(string(data))
	nl := "\n"
	if len(lines) > 0 && strings.HasSuffix(lines[0], "\r\n") {
		nl = "\r\n"
	}
	m := &mailer{c: &c, nl: nl}
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
	c  *Counts
	nl string
}

// message redacts one message: its mbox line, if any, then a part.
func (m *mailer) message(lines []string) string {
	var b strings.Builder
	if len(lines) > 0 && isFromLine(lines[0]) {
		b.WriteString(Text(lines[0], m.c))
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
	decoded := ""
	newCTE := ""
	switch {
	case strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" && depth < 8:
		// handled below
	case cte == "base64":
		raw, err := base64.StdEncoding.DecodeString(strings.Map(dropSpace, strings.Join(body, "")))
		if err == nil {
			decoded = base64Lines(Text(string(raw), m.c), m.nl)
		} else {
			decoded = m.text(body)
		}
	case cte == "quoted-printable":
		raw, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(strings.Join(body, ""))))
		if err == nil {
			decoded, newCTE = Text(string(raw), m.c), "8bit"
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
				b.WriteString(Text(l, m.c))
			}
		}
	}
	b.WriteString(blank)
	if !strings.HasPrefix(mediaType, "multipart/") || params["boundary"] == "" || depth >= 8 {
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
	return Text(strings.Join(lines, ""), m.c)
}

// addresses rewrites an address header: every address becomes the
// placeholder, every display name [redacted].
func (m *mailer) addresses(value string) string {
	list, err := mail.ParseAddressList(value)
	if err != nil || len(list) == 0 {
		// Not a list net/mail reads: take out what looks like a name
		// before an address, then the addresses.
		v := nameRE.ReplaceAllStringFunc(value, func(s string) string {
			m.c.Names++
			return Name + " <"
		})
		return Text(strings.TrimSpace(v), m.c)
	}
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = Email
		if !isPlaceholder(a.Address) {
			m.c.Emails++
		}
		if a.Name != "" {
			m.c.Names++
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
