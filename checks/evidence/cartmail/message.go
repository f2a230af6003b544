package cartmail

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aomdoctor/aomdoctor/checks/evidence/amazonurl"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Limits on one message's MIME tree: real cart reports have a part or two;
// these only stop hostile input from costing more than its size.
const (
	maxDepth = 10
	maxParts = 500
)

// report is what one message says.
type report struct {
	date    store.Date
	hasTime bool
	items   []store.CartItem
	links   []store.Link // its Amazon URLs, classified, with no Source yet
	isCart  bool         // false for mail that is plainly no cart report
}

// textPart is one text body of a message. Parts of one multipart/
// alternative share a group: they are one body written twice.
type textPart struct {
	text  string
	html  bool
	group int
}

// msgReader walks one message's MIME tree.
type msgReader struct {
	texts  []textPart
	hrefs  []string
	groups int
	parts  int
	// fwdDate is the Date of an attached (message/rfc822) original, which
	// is when the cart was made, not when it was forwarded.
	fwdDate    store.Date
	fwdHasTime bool
	fwdOK      bool
}

var errNoHeader = errors.New("no header block: the message does not start with mail headers (From:, Date:, Subject:)")

// headerLineRE is an RFC 5322 header field's start: a name of printable
// characters other than ":" and space, then ":".
var headerLineRE = regexp.MustCompile(`^[!-9;-~]+:`)

// readMessage reads one message. An error means the message is broken and
// none of it is used: a half-read report would be counted as a whole one.
func readMessage(raw []byte) (report, error) {
	var r report
	for len(raw) > 0 && (raw[0] == '\n' || raw[0] == '\r') {
		raw = raw[1:]
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return r, errors.New("empty message")
	}
	first := raw
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		first = raw[:i]
	}
	if !headerLineRE.Match(first) {
		return r, errNoHeader
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return r, fmt.Errorf("bad header block: %v", err)
	}
	body, _ := io.ReadAll(msg.Body) // a bytes.Reader does not fail
	if len(bytes.TrimSpace(body)) == 0 {
		return r, errors.New("no body: the message ends after its headers")
	}
	m := &msgReader{}
	if err := m.entity(msg.Header, body, 0, -1); err != nil {
		return r, err
	}
	if len(m.texts) == 0 {
		return r, errors.New("no text body: no text/plain or text/html part")
	}

	r.date, r.hasTime, _ = parseDate(msg.Header.Get("Date"))
	switch {
	case m.fwdOK:
		r.date, r.hasTime = m.fwdDate, m.fwdHasTime
	default:
		if d, t, ok := m.forwardedDate(); ok {
			r.date, r.hasTime = d, t
		} else if r.date.IsZero() {
			r.date, r.hasTime, _ = m.bodyDate()
		}
	}

	var is items
	m.items(&is)
	for _, u := range m.urls() {
		if l := amazonurl.Classify(u, store.Source{}); l.Form != store.FormNotAmazon {
			r.links = append(r.links, l)
			cartURLItems(&is, l)
		}
	}
	r.items = is.list

	subject := decodeHeader(msg.Header.Get("Subject"))
	from := decodeHeader(msg.Header.Get("From"))
	r.isCart = len(r.items) > 0 || len(r.links) > 0 || mentionsCart(subject+" "+from, m.texts)
	return r, nil
}

// mentionsCart is the last test of whether a message is a cart report: it
// names a cart or Associate-O-Matic somewhere.
func mentionsCart(head string, texts []textPart) bool {
	has := func(s string) bool {
		s = strings.ToLower(s)
		return strings.Contains(s, "cart") || strings.Contains(s, "associate-o-matic")
	}
	if has(head) {
		return true
	}
	for _, t := range texts {
		if has(t.text) {
			return true
		}
	}
	return false
}

// header is what entity needs of mail.Header and textproto.MIMEHeader.
type header interface{ Get(string) string }

// entity reads one MIME entity. group is the alternative group it belongs
// to, -1 when none yet.
func (m *msgReader) entity(h header, body []byte, depth, group int) error {
	if depth > maxDepth {
		return fmt.Errorf("MIME parts nested more than %d deep", maxDepth)
	}
	if m.parts++; m.parts > maxParts {
		return fmt.Errorf("more than %d MIME parts", maxParts)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if mt == "" || err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		// RFC 2045: no Content-Type, or one that does not parse, means
		// plain text.
		mt, params = "text/plain", nil
	}
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return m.multipart(mt, params["boundary"], body, depth, group)
	case mt == "message/rfc822":
		data, err := decodeBody(cte, body, mt)
		if err != nil {
			return err
		}
		inner, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("attached message: bad header block: %v", err)
		}
		if !m.fwdOK {
			m.fwdDate, m.fwdHasTime, m.fwdOK = parseDate(inner.Header.Get("Date"))
		}
		innerBody, _ := io.ReadAll(inner.Body)
		return m.entity(inner.Header, innerBody, depth+1, group)
	case strings.HasPrefix(mt, "text/"):
		data, err := decodeBody(cte, body, mt)
		if err != nil {
			return err
		}
		text := toUTF8(data, params["charset"])
		if group < 0 {
			group = m.newGroup()
		}
		if mt == "text/html" || looksHTML(text) {
			t, hrefs := htmlText(text)
			m.texts = append(m.texts, textPart{t, true, group})
			m.hrefs = append(m.hrefs, hrefs...)
		} else {
			m.texts = append(m.texts, textPart{text, false, group})
		}
	}
	// Images, PDFs and other attachments say nothing of the cart.
	return nil
}

func (m *msgReader) newGroup() int {
	m.groups++
	return m.groups
}

func (m *msgReader) multipart(mt, boundary string, body []byte, depth, group int) error {
	if boundary == "" {
		return fmt.Errorf("%s without a boundary parameter", mt)
	}
	if mt == "multipart/alternative" && group < 0 {
		group = m.newGroup()
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	truncated := fmt.Errorf("%s body ends without its closing boundary %q", mt, "--"+boundary+"--")
	for n := 0; ; n++ {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if n == 0 {
				return fmt.Errorf("%s body has no parts: boundary %q not found", mt, "--"+boundary)
			}
			return truncated
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return truncated
		}
		if err := m.entity(p.Header, data, depth+1, group); err != nil {
			return err
		}
	}
}

// decodeBody undoes a Content-Transfer-Encoding. Unknown encodings are
// taken as they are: the text may still be readable.
func decodeBody(cte string, body []byte, mt string) ([]byte, error) {
	switch cte {
	case "base64":
		clean := make([]byte, 0, len(body))
		for _, c := range body {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				clean = append(clean, c)
			}
		}
		// Padding is optional in practice; RawStdEncoding without it
		// reads both.
		clean = bytes.TrimRight(clean, "=")
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, err := base64.RawStdEncoding.Decode(out, clean)
		var bad base64.CorruptInputError
		if errors.As(err, &bad) {
			return nil, fmt.Errorf("undecodable base64 in the %s part: %s", mt, base64Where(body, int(bad)))
		}
		return out[:n], nil
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			// Sloppy mailers leave a bare "=" in URLs; keep what is not a
			// valid escape as written rather than lose the message.
			return LenientQP(body), nil
		}
		return out, nil
	}
	return body, nil
}

// base64Where says where in body the k-th base64 character (white space
// not counted) is, in the words of a person reading the part.
func base64Where(body []byte, k int) string {
	line, seen := 1, 0
	for _, c := range body {
		switch c {
		case '\n':
			line++
			continue
		case ' ', '\t', '\r':
			continue
		}
		if seen == k {
			return fmt.Sprintf("%q on line %d of the part is not base64", c, line)
		}
		seen++
	}
	return "the base64 text ends in the middle of a character"
}

// LenientQP decodes quoted-printable that mime/quotedprintable refuses:
// valid =XX escapes and soft line breaks are decoded, the rest kept. The
// bundle's redaction decodes as this reader does.
func LenientQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '=' {
			out = append(out, b[i])
			continue
		}
		switch {
		case i+1 < len(b) && b[i+1] == '\n':
			i++
		case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			i += 2
		case i+2 < len(b) && hexByte(b[i+1:i+3]) >= 0:
			out = append(out, byte(hexByte(b[i+1:i+3])))
			i += 2
		default:
			out = append(out, '=')
		}
	}
	return out
}

// hexByte is the byte two hex digits spell, or -1 when they are not hex.
func hexByte(two []byte) int {
	var v [1]byte
	if _, err := hex.Decode(v[:], two); err != nil {
		return -1
	}
	return int(v[0])
}

var htmlStart = regexp.MustCompile(`(?i)^\s*<(?:!doctype html|html|body|table|div|p|br)\b`)

// looksHTML catches HTML sent as text/plain, as PHP's mail() often did.
func looksHTML(s string) bool { return htmlStart.MatchString(s) }

// latinCharsets are the 8-bit charsets read as Windows-1252, which is
// ISO-8859-1 with printable characters where Latin-1 has control codes
// (what browsers and mail programs do too).
var latinCharsets = map[string]bool{
	"iso-8859-1": true, "iso8859-1": true, "iso_8859-1": true, "latin1": true, "latin-1": true, "l1": true,
	"iso-8859-15": true, "iso8859-15": true, "latin9": true, "windows-1252": true, "cp1252": true,
	"x-cp1252": true, "win-1252": true, "us-ascii": true, "ascii": true,
}

// toUTF8 converts a text body to UTF-8. Text that is not valid UTF-8 and
// declares no 8-bit charset is taken for Windows-1252, the usual case of
// old PHP mail; a UTF-8 body with a few bad bytes keeps the rest.
func toUTF8(b []byte, charset string) string {
	cs := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if latinCharsets[cs] && cs != "us-ascii" && cs != "ascii" {
		return cp1252(b)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if cs == "utf-8" || cs == "utf8" {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return cp1252(b)
}

// cp1252High are the characters of Windows-1252's 0x80-0x9F; the five
// unassigned codes map to themselves.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func cp1252(b []byte) string {
	var s strings.Builder
	s.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			s.WriteByte(c)
		case c < 0xA0:
			s.WriteRune(cp1252High[c-0x80])
		default:
			s.WriteRune(rune(c))
		}
	}
	return s.String()
}

// wordDecoder decodes RFC 2047 encoded words (=?ISO-8859-1?Q?...?=).
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	if !latinCharsets[strings.ToLower(charset)] {
		return nil, fmt.Errorf("unsupported charset %q", charset)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(cp1252(b)), nil
}}

// decodeHeader decodes a header's encoded words, keeping the raw value
// when they do not decode.
func decodeHeader(s string) string {
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		return s
	}
	// mime decodes ISO-8859-1 itself, leaving Windows-1252's dashes and
	// quotes as C1 control codes, which no subject means.
	return strings.Map(func(r rune) rune {
		if r >= 0x80 && r < 0xA0 {
			return cp1252High[r-0x80]
		}
		return r
	}, d)
}

// items reads the items of every text part: of each alternative group the
// plain part's, or the HTML part's when the plain one lists no item (a
// "view this mail in HTML" stub).
func (m *msgReader) items(is *items) {
	for g := 1; g <= m.groups; g++ {
		var found []store.CartItem
		for _, html := range []bool{false, true} {
			for _, t := range m.texts {
				if t.group == g && t.html == html {
					found = append(found, parseItems(t.text)...)
				}
			}
			if len(found) > 0 {
				break
			}
		}
		for _, it := range found {
			is.add(it)
		}
	}
}

// urls lists every URL of the message once: in the text of every part and
// in every a[href], in that order.
func (m *msgReader) urls() []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		c := amazonurl.Clean(u)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, u)
		}
	}
	for _, t := range m.texts {
		for _, u := range findURLs(t.text) {
			add(u)
		}
	}
	for _, h := range m.hrefs {
		add(h)
	}
	return out
}

var (
	forwardRE = regexp.MustCompile(`(?i)^\s*(?:-+\s*(?:forwarded message|original message)\s*-+|begin forwarded message:?)\s*$`)
	fwdDateRE = regexp.MustCompile(`(?i)^\s*(?:date|sent|datum|gesendet|envoyé|enviado)\s*:\s*(.+)$`)
	// bodyDateRE is a report's own date line, which AOM's layout may have.
	bodyDateRE = regexp.MustCompile(`(?i)^\s*(?:date|date/time|time)\s*:\s*(.+)$`)
)

// forwardedDate is the Date of an original forwarded inline: the first
// Date:/Sent: line in the dozen lines after a forwarding marker.
func (m *msgReader) forwardedDate() (store.Date, bool, bool) {
	for _, t := range m.texts {
		lines := strings.Split(t.text, "\n")
		for i, l := range lines {
			if !forwardRE.MatchString(unquote(l)) {
				continue
			}
			for j := i + 1; j < len(lines) && j <= i+12; j++ {
				if mm := fwdDateRE.FindStringSubmatch(unquote(lines[j])); mm != nil {
					if d, ht, ok := parseDate(mm[1]); ok {
						return d, ht, true
					}
				}
			}
		}
	}
	return store.Date{}, false, false
}

// bodyDate is the first date line of the body, for a message that lost its
// Date header.
func (m *msgReader) bodyDate() (store.Date, bool, bool) {
	for _, t := range m.texts {
		for _, l := range strings.Split(t.text, "\n") {
			if mm := bodyDateRE.FindStringSubmatch(unquote(l)); mm != nil {
				if d, ht, ok := parseDate(mm[1]); ok {
					return d, ht, true
				}
			}
		}
	}
	return store.Date{}, false, false
}
