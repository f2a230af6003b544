package redact

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/evidence/cartmail"
)

// addressHeaders hold people's addresses and names.
var addressHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true,
	"delivered-to": true, "x-original-to": true, "envelope-to": true, "return-path": true,
	"resent-from": true, "resent-to": true, "disposition-notification-to": true,
}

// Mail redacts a cart-report email or an mbox of them: the addresses and
// display names in the address headers, the addresses (in encoded words
// too), IP addresses and given secrets everywhere else. Every line stays
// where it was: a folded header keeps its lines, and a base64 or
// quoted-printable part is decoded, redacted and encoded again in as many
// lines as it had (a line nothing was taken out of is written as it was).
func Mail(data []byte, secrets ...string) ([]byte, Counts) {
	return New(secrets...).mail(data)
}

func (r *Redactor) mail(data []byte) ([]byte, Counts) {
	var c Counts
	lines := splitLines(string(data))
	m := &mailer{t: r.textRedactor(&c)}
	var out strings.Builder
	// An mbox's messages are cut where the cart-report reader cuts them.
	mbox := len(lines) > 0 && strings.HasPrefix(strings.TrimPrefix(lines[0], "\ufeff"), "From ")
	start := 0
	for i := 0; i <= len(lines); i++ {
		sep := i == len(lines) || mbox && i > start && isSeparator(lines[i], strings.TrimSpace(lines[i-1]) == "")
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

func isSeparator(l string, afterBlank bool) bool {
	return cartmail.IsMboxSeparator([]byte(strings.TrimRight(l, "\r\n")), afterBlank)
}

type mailer struct {
	t *textRedactor
}

// message redacts one message: its mbox line, if any, then a part.
func (m *mailer) message(lines []string) string {
	var b strings.Builder
	if len(lines) > 0 && strings.HasPrefix(strings.TrimPrefix(lines[0], "\ufeff"), "From ") {
		b.WriteString(m.t.text(lines[0]))
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
	var b strings.Builder
	for _, h := range headers {
		name, _ := splitHeader(h)
		switch lname := strings.ToLower(strings.TrimSpace(name)); {
		case addressHeaders[lname]:
			b.WriteString(m.addressHeader(h))
		case lname == "message-id" || lname == "in-reply-to" || lname == "references" || lname == "resent-message-id":
			b.WriteString(m.messageIDs(h))
		case lname == "content-type" && params["boundary"] != "":
			// The boundary must stay as the body's delimiters write it.
			b.WriteString(strings.Join(h, ""))
		default:
			for _, l := range h {
				b.WriteString(m.headerLine(l))
			}
		}
	}
	b.WriteString(blank)

	switch {
	case strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" && depth < 8:
		m.multipart(&b, body, params["boundary"], depth)
	case mediaType == "message/rfc822" && (cte == "" || cte == "7bit" || cte == "8bit" || cte == "binary") && depth < 8:
		// A forwarded message: its headers hold names too.
		b.WriteString(m.part(body, depth+1))
	case cte == "base64":
		b.WriteString(m.base64Body(body))
	case cte == "quoted-printable":
		b.WriteString(m.qpBody(body))
	default:
		b.WriteString(m.text(body))
	}
	return b.String()
}

// multipart redacts a multipart body: the preamble, each part, the
// epilogue.
func (m *mailer) multipart(b *strings.Builder, body []string, boundary string, depth int) {
	delim := "--" + boundary
	var cur []string
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
}

func (m *mailer) text(lines []string) string {
	return m.t.text(strings.Join(lines, ""))
}

// lineEnd returns the line ending l has: "\r\n", "\n" or "" at the end of
// a file.
func lineEnd(l string) string {
	switch {
	case strings.HasSuffix(l, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(l, "\n"):
		return "\n"
	}
	return ""
}

// headerLine redacts one line of a header that holds no addresses by
// rule, such as Subject or Received: its encoded words (RFC 2047) are
// decoded, redacted and, if anything was taken out, encoded again.
func (m *mailer) headerLine(l string) string {
	locs := encodedRunRE.FindAllStringIndex(l, -1)
	if locs == nil {
		return m.t.text(l)
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		b.WriteString(m.t.text(l[last:loc[0]]))
		b.WriteString(m.encodedWords(l[loc[0]:loc[1]]))
		last = loc[1]
	}
	b.WriteString(m.t.text(l[last:]))
	return b.String()
}

var (
	encodedWordRE = regexp.MustCompile(`=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=`)
	// encodedRunRE finds encoded words in a row, which decode as one text:
	// the space between them is not part of it.
	encodedRunRE = regexp.MustCompile(`=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=(?:[ \t]+=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)*`)
)

// encodedWords redacts a run of encoded words. Their bytes are taken as
// they are, whatever the charset, and written back in it, so only what was
// taken out changes.
func (m *mailer) encodedWords(run string) string {
	words := encodedWordRE.FindAllStringSubmatch(run, -1)
	charset, enc := words[0][1], strings.ToUpper(words[0][2])
	var raw strings.Builder
	for _, w := range words {
		if !strings.EqualFold(w[1], charset) {
			// Words of several charsets: each is a text of its own.
			var b strings.Builder
			for i, w := range words {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(m.encodedWords(w[0]))
			}
			return b.String()
		}
		dec, ok := decodeWord(strings.ToUpper(w[2]), w[3])
		if !ok {
			return run
		}
		raw.WriteString(dec)
	}
	red := m.t.text(raw.String())
	if red == raw.String() {
		return run
	}
	if i := strings.IndexByte(charset, '*'); i >= 0 {
		charset = charset[:i] // an RFC 2231 language
	}
	if enc == "Q" {
		return mime.QEncoding.Encode(charset, red)
	}
	return mime.BEncoding.Encode(charset, red)
}

// decodeWord decodes the text of an encoded word to its bytes.
func decodeWord(enc, text string) (string, bool) {
	if enc == "B" {
		b, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "="))
		}
		return string(b), err == nil
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '_':
			b.WriteByte(' ')
		case '=':
			if i+3 > len(text) {
				return "", false
			}
			v, ok := unhex(text[i+1 : i+3])
			if !ok {
				return "", false
			}
			b.WriteByte(v)
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// unhex decodes the two hex digits of a "=XX" escape.
func unhex(two string) (byte, bool) {
	b, err := hex.DecodeString(two)
	if err != nil || len(b) != 1 {
		return 0, false
	}
	return b[0], true
}

// addressHeader rewrites an address header: every address becomes the
// placeholder, every display name [redacted], in as many lines as the
// header had.
func (m *mailer) addressHeader(h []string) string {
	_, value := splitHeader(h)
	// The name, the colon and the space after it, as written.
	n := strings.IndexByte(h[0], ':') + 1
	for n < len(h[0]) && (h[0][n] == ' ' || h[0][n] == '\t') {
		n++
	}
	list, err := mail.ParseAddressList(value)
	if err == nil && len(list) > 0 {
		if out, ok := m.layAddresses(h, n, list, strings.Contains(value, "<")); ok {
			return out
		}
	}
	// Not a list net/mail reads, or folded more than it has words: each
	// line on its own.
	var b strings.Builder
	b.WriteString(h[0][:n] + m.addressText(h[0][n:]))
	for _, l := range h[1:] {
		b.WriteString(m.addressText(l))
	}
	return b.String()
}

// layAddresses writes the placeholders of list over the header's lines h:
// each address on the line that held its "@", a name alone on a line of
// its own before it, or, when that does not fill every line, one word a
// line after the first.
func (m *mailer) layAddresses(h []string, n int, list []*mail.Address, angle bool) (string, bool) {
	type word struct {
		text string
		addr int // the address it belongs to
	}
	var words []word
	for i, a := range list {
		switch {
		case a.Name != "":
			words = append(words, word{Name, i}, word{"<" + Email + ">", i})
		case angle:
			words = append(words, word{"<" + Email + ">", i})
		default:
			words = append(words, word{Email, i})
		}
	}
	k := len(h)
	if len(words) < k {
		return "", false
	}
	for _, a := range list {
		if !isPlaceholder(a.Address) {
			m.t.c.Emails++
		}
		if a.Name != "" {
			m.t.c.Names++
		}
	}
	// line[w] is the line word w goes on.
	line := make([]int, len(words))
	ok := func() bool {
		// The addresses by the "@" each line holds.
		var lineOf []int
		for j, l := range h {
			if j == 0 {
				l = l[n:]
			}
			for range strings.Count(l, "@") {
				lineOf = append(lineOf, j)
			}
		}
		if len(lineOf) != len(list) {
			return false
		}
		for w := range words {
			line[w] = lineOf[words[w].addr]
		}
		// A line left empty takes the name of the address that follows.
		used := make([]bool, k)
		for w := range words {
			used[line[w]] = true
		}
		for j := range k {
			if used[j] {
				continue
			}
			w := 0
			for w < len(words) && line[w] <= j {
				w++
			}
			if w+1 >= len(words) || words[w].text != Name || words[w+1].addr != words[w].addr || line[w+1] != j+1 {
				return false
			}
			line[w], used[j] = j, true
		}
		return true
	}()
	if !ok {
		for w := range words {
			line[w] = max(0, w-(len(words)-k))
		}
	}
	var b strings.Builder
	b.WriteString(h[0][:n])
	if strings.IndexByte(h[0], ':')+1 == n {
		b.WriteByte(' ')
	}
	for w, wd := range words {
		if w > 0 {
			if line[w] != line[w-1] {
				l := h[line[w]]
				b.WriteString(lineEnd(h[line[w-1]]) + l[:len(l)-len(strings.TrimLeft(l, " \t"))])
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(wd.text)
		if w+1 < len(words) && words[w+1].addr != wd.addr {
			b.WriteByte(',')
		}
	}
	b.WriteString(lineEnd(h[k-1]))
	return b.String(), true
}

var (
	quotedRE  = regexp.MustCompile(`"(?:[^"\\\r\n]|\\.)*"`)
	commentRE = regexp.MustCompile(`\((?:[^()\\\r\n]|\\.)*\)`)
	nameRE    = regexp.MustCompile(`[^,<>\s][^,<>\r\n]*<`)
)

// addressText takes the addresses and what may be names out of a piece of
// an address header that net/mail cannot read: quoted strings, comments,
// encoded words and the words before a "<".
func (m *mailer) addressText(s string) string {
	s = m.t.text(s)
	name := func(repl string) func(string) string {
		return func(string) string {
			m.t.c.Names++
			return repl
		}
	}
	s = quotedRE.ReplaceAllStringFunc(s, name(Name))
	s = commentRE.ReplaceAllStringFunc(s, name("("+Name+")"))
	s = encodedRunRE.ReplaceAllStringFunc(s, name(Name))
	return nameRE.ReplaceAllStringFunc(s, func(n string) string {
		if strings.TrimSpace(strings.TrimSuffix(n, "<")) == Name {
			return n
		}
		m.t.c.Names++
		return Name + " <"
	})
}

var msgIDRE = regexp.MustCompile(`<[^<>\s]*>|[^\s<>]+@[^\s<>]+`)

// messageIDs replaces each message ID of a header by a digest of it: IDs
// stay unique and matching (a reply's In-Reply-To still names its message)
// but hold no host or address. Each line is rewritten on its own.
func (m *mailer) messageIDs(h []string) string {
	var b strings.Builder
	for j, l := range h {
		if j == 0 {
			i := strings.IndexByte(l, ':') + 1
			b.WriteString(l[:i])
			l = l[i:]
		}
		b.WriteString(msgIDRE.ReplaceAllStringFunc(l, func(id string) string {
			sum := sha256.Sum256([]byte("<" + strings.Trim(id, "<>") + ">"))
			return fmt.Sprintf("<%x@example.invalid>", sum[:8])
		}))
	}
	return b.String()
}

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

// base64Body redacts a base64 body and encodes it again in as many lines
// as it had; a body nothing was taken out of is written as it was.
func (m *mailer) base64Body(body []string) string {
	n := len(body)
	for n > 0 && strings.TrimSpace(body[n-1]) == "" {
		n--
	}
	data := body[:n]
	clean := strings.TrimRight(strings.Map(dropSpace, strings.Join(data, "")), "=")
	raw, err := base64.RawStdEncoding.DecodeString(clean)
	if err != nil || n == 0 {
		return m.text(body)
	}
	red := m.t.text(string(raw))
	if red == string(raw) {
		return strings.Join(body, "")
	}
	enc := base64.StdEncoding.EncodeToString([]byte(red))
	var b strings.Builder
	for i, chunk := range spread(enc, n) {
		b.WriteString(chunk + lineEnd(data[i]))
	}
	b.WriteString(strings.Join(body[n:], ""))
	return b.String()
}

// spread cuts s into k pieces of lengths as even as they can be.
func spread(s string, k int) []string {
	out := make([]string, k)
	base, extra := len(s)/k, len(s)%k
	for i := range out {
		n := base
		if i < extra {
			n++
		}
		out[i], s = s[:n], s[n:]
	}
	return out
}

// qpBody redacts a quoted-printable body line by line: each line of the
// text, written over one physical line or several joined by soft line
// breaks, is decoded, redacted, and, if anything was taken out, encoded
// again over as many physical lines.
func (m *mailer) qpBody(body []string) string {
	var b strings.Builder
	for i := 0; i < len(body); {
		j := i
		for j < len(body)-1 && softBreak(body[j]) {
			j++
		}
		b.WriteString(m.qpLine(body[i : j+1]))
		i = j + 1
	}
	return b.String()
}

func softBreak(l string) bool {
	return strings.HasSuffix(strings.TrimRight(l, " \t\r\n"), "=")
}

func (m *mailer) qpLine(phys []string) string {
	orig := strings.Join(phys, "")
	dec, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(orig)))
	if err != nil {
		dec = cartmail.LenientQP([]byte(orig))
	}
	end := lineEnd(phys[len(phys)-1])
	text := strings.TrimSuffix(strings.TrimSuffix(string(dec), "\n"), "\r")
	if end == "" {
		text = string(dec)
	}
	red := m.t.text(text)
	if red == text {
		return orig
	}
	chunks := spreadQP(encodeQP(red), len(phys))
	var b strings.Builder
	for i, c := range chunks {
		if i < len(chunks)-1 {
			b.WriteString(c + "=" + lineEnd(phys[i]))
		} else {
			b.WriteString(c + end)
		}
	}
	return b.String()
}

// encodeQP encodes one line of text as quoted-printable atoms: a
// character, or an escape "=XX" that a soft line break must not cut.
func encodeQP(s string) []string {
	atoms := make([]string, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '=' || c < ' ' && c != '\t' || c > '~',
			(c == ' ' || c == '\t') && i == len(s)-1: // space at the end of a line is dropped
			atoms = append(atoms, fmt.Sprintf("=%02X", c))
		default:
			atoms = append(atoms, string(c))
		}
	}
	return atoms
}

// spreadQP joins atoms into k pieces of lengths as even as they can be,
// never starting one with "From " (an mbox reader could take it for the
// start of a message).
func spreadQP(atoms []string, k int) []string {
	total := 0
	for _, a := range atoms {
		total += len(a)
	}
	out := make([]string, k)
	a, done := 0, 0
	for i := range k {
		target := total * (i + 1) / k // what the pieces up to this one hold
		var b strings.Builder
		for a < len(atoms) && (i == k-1 || done+len(atoms[a]) <= target) {
			b.WriteString(atoms[a])
			done += len(atoms[a])
			a++
		}
		out[i] = b.String()
		if strings.HasPrefix(out[i], "From ") {
			out[i] = "=46" + out[i][1:]
		}
	}
	return out
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
		return -1
	}
	return r
}

// splitLines splits s after each newline, keeping the newlines.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
