// Package redact takes secrets and personal data out of a store's evidence
// so that an owner can send it to support: the AWS secret key wherever it
// appears, the owner's and visitors' email addresses, visitors' IP addresses
// and the names in cart-report emails. It keeps everything the rules judge
// (the Associate ID, tracking IDs, ASINs, titles, prices, dates, figures, the
// AWS access key ID, the hosts of URLs), and it keeps each file readable by
// its evidence reader, with its line numbers: a replacement never adds or
// removes a line break, a folded mail header stays folded, and a
// quoted-printable or base64 mail part is written back in its encoding, in
// as many lines as it had.
package redact

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
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

// Counts says how many values of each kind were taken out of a file, and
// what of the secret key was not.
type Counts struct {
	SecretKeys, Emails, IPs, Names int
	// PublicSecrets counts the secret key settings left as they are
	// because they hold a value the store shows in its links anyway (its
	// Associate ID or access key ID, typed into the wrong field).
	PublicSecrets int
	// SecretsLeft counts the secret key settings whose value could not be
	// found in the file's text: the file still holds them.
	SecretsLeft int
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.SecretKeys += o.SecretKeys
	c.Emails += o.Emails
	c.IPs += o.IPs
	c.Names += o.Names
	c.PublicSecrets += o.PublicSecrets
	c.SecretsLeft += o.SecretsLeft
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
	add(c.PublicSecrets, "secret key kept (a public ID, not a secret)")
	add(c.SecretsLeft, "secret key NOT taken out (not found in the text)")
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

// isPublicKey tells the settings whose value the store shows in every link
// or cart URL it makes: the Associate ID (tracking ID) and the AWS access
// key ID.
func isPublicKey(key string) bool {
	k := strings.ToLower(key)
	if isSecretKey(k) {
		return false
	}
	return strings.Contains(k, "associate") || strings.Contains(k, "tracking") || strings.Contains(k, "access")
}

// readSettings reads a settings file of the given kind; nil when it is not
// one or cannot be read.
func readSettings(kind store.Kind, data string) *store.Settings {
	read := settingsReaders[kind]
	if read == nil {
		return nil
	}
	s, err := read("settings", strings.NewReader(data))
	if err != nil {
		return nil
	}
	return s
}

// secretLineRE finds the quoted strings of a line.
var secretLineRE = regexp.MustCompile(`"([^"\\\r\n]*)"|'([^'\\\r\n]*)'`)

// Secrets returns the secret values (the AWS secret key) a settings file of
// the given kind holds: those its reader reads, and the strings that look
// like a whole secret key on a line that names a secret but that the
// reader cannot take (define('AWS_SECRET_KEY', getenv('K') ?: '...')). It
// returns nothing for a file of another kind.
func Secrets(kind store.Kind, data []byte) []string {
	var out []string
	s := readSettings(kind, string(data))
	if s == nil {
		return nil
	}
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, v := range s.Values() {
		if isSecretKey(v.Key) && strings.TrimSpace(v.Text) != "" {
			add(v.Text)
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(strings.ToLower(line), "secret") {
			continue
		}
		for _, m := range secretLineRE.FindAllStringSubmatch(line, -1) {
			if v := m[1] + m[2]; len(v) >= 20 && keyLike(v) {
				add(v)
			}
		}
	}
	return out
}

// A Redactor redacts the files of one store. Tell it every settings file
// first (Learn), and the IDs the store's reports and links carry (Public),
// so that a secret key set in the settings is taken out of the pages and
// lists too, and an ID typed into the secret key's field is known for the
// public value it is; then redact each file (File).
type Redactor struct {
	given   []string // secret values, as given and learnt
	public  []string // values the store shows anyway
	ready   bool
	secrets []*secretMatcher // the given values that look like keys and are not public
}

// New returns a Redactor that takes the given secret values out of every
// file, besides those it learns.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if strings.TrimSpace(s) != "" {
			r.given = append(r.given, s)
		}
	}
	return r
}

// Learn reads a file of the store for its secret values and the public
// values of its settings (the Associate ID, the access key ID). Files of
// other kinds hold none.
func (r *Redactor) Learn(kind store.Kind, data []byte) {
	r.ready = false
	r.given = append(r.given, Secrets(kind, data)...)
	for _, v := range readSettings(kind, string(data)).Values() {
		if isPublicKey(v.Key) {
			r.Public(v.Text)
		}
	}
}

// Public adds values the store shows anyway: the tracking IDs of its
// reports, the IDs its links carry. A secret key setting that holds one is
// no secret, and is left as it is; no secret is replaced inside one.
func (r *Redactor) Public(values ...string) {
	r.ready = false
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			r.public = append(r.public, v)
		}
	}
}

// isPublic reports whether a secret setting's value is one the store shows
// anyway, or is shaped like one (publicShape).
func (r *Redactor) isPublic(v string) bool {
	v = strings.TrimSpace(v)
	if publicShape(v) {
		return true
	}
	for _, p := range r.public {
		if strings.EqualFold(p, v) {
			return true
		}
	}
	return false
}

func (r *Redactor) prepare() {
	if r.ready {
		return
	}
	r.ready = true
	r.secrets = nil
	seen := map[string]bool{}
	for _, s := range r.given {
		s = strings.TrimSpace(s)
		if seen[s] || !keyLike(s) || r.isPublic(s) {
			continue
		}
		seen[s] = true
		r.secrets = append(r.secrets, newSecretMatcher(s, false))
	}
}

// textRedactor returns the text redactor of the store's secrets, counting
// into c.
func (r *Redactor) textRedactor(c *Counts) *textRedactor {
	r.prepare()
	t := &textRedactor{c: c, secrets: r.secrets}
	// The public values that hold a secret whole, which the secret's
	// replacement must leave alone; in practice none.
	var holders []*regexp.Regexp
	for _, p := range r.public {
		for _, m := range r.secrets {
			if len(p) > len(m.value) && strings.Contains(strings.ToLower(p), strings.ToLower(m.value)) {
				holders = append(holders, regexp.MustCompile(`(?i)`+regexp.QuoteMeta(p)))
				break
			}
		}
	}
	if len(holders) > 0 {
		t.protect = func(s string) [][2]int {
			var spans [][2]int
			for _, re := range holders {
				for _, l := range re.FindAllStringIndex(s, -1) {
					spans = append(spans, [2]int{l[0], l[1]})
				}
			}
			return spans
		}
	}
	return t
}

// File redacts one file of the given kind (as evidence.Sniff tells it):
// settings files as Settings does, cart-report emails as Mail does, every
// other file as text (UTF-16 text too).
func (r *Redactor) File(kind store.Kind, data []byte) ([]byte, Counts) {
	switch {
	case settingsReaders[kind] != nil:
		return r.settings(kind, data)
	case kind == store.KindCartReports:
		return r.mail(data)
	}
	var c Counts
	t := r.textRedactor(&c)
	if s, bigEndian, ok := decodeUTF16(data); ok {
		return encodeUTF16(t.text(s), bigEndian), c
	}
	return []byte(t.text(string(data))), c
}

// File redacts one file of the given kind with a Redactor that knows the
// given secrets and, if the file is a settings file, the file itself.
func File(kind store.Kind, data []byte, secrets ...string) ([]byte, Counts) {
	r := New(secrets...)
	r.Learn(kind, data)
	return r.File(kind, data)
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
