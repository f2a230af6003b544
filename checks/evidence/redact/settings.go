package redact

import (
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// maxTries caps how many places in a settings file are tried for a secret
// setting's value: it is found at the first in any file a person wrote.
const maxTries = 64

// Settings takes the AWS secret key and the email addresses out of a
// settings file, and any of the given secrets and IP addresses. The values
// to take out are found by reading the file with its reader; each secret
// setting's value is then replaced where the setting stands (on its line,
// after its key, written as it is, escaped or split by string
// concatenation), and the reader must read the placeholder there and every
// other setting as before. So the file keeps its format (a quoted value
// stays quoted), its lines and its other values: a secret that is also the
// start of the Associate ID leaves the ID alone. A secret setting that
// holds a value the store shows anyway, such as its Associate ID typed into
// the wrong field, is left as it is (Counts.PublicSecrets).
func Settings(kind store.Kind, data []byte, secrets ...string) ([]byte, Counts) {
	r := New(secrets...)
	r.Learn(kind, data)
	return r.settings(kind, data)
}

func (r *Redactor) settings(kind store.Kind, data []byte) ([]byte, Counts) {
	var c Counts
	text := string(data)
	orig := readSettings(kind, text)
	t := r.textRedactor(&c)
	t.owners = map[string]bool{}
	// The owner's addresses are known by what they were before anything
	// was replaced.
	for _, v := range orig.Values() {
		if k := strings.ToLower(v.Key); strings.Contains(k, "email") && !isSecretKey(k) {
			for _, e := range emailRE.FindAllString(v.Text, -1) {
				t.owners[ownerKey(e)] = true
			}
		}
	}
	for _, v := range orig.Values() {
		if !isSecretKey(v.Key) || strings.TrimSpace(v.Text) == "" {
			continue
		}
		if r.isPublic(v.Text) {
			c.PublicSecrets++
			continue
		}
		var ok bool
		if text, ok = replaceOwnSecret(kind, text, orig, v); ok {
			c.SecretKeys++
		} else {
			c.SecretsLeft++
		}
	}
	return []byte(t.text(text)), c
}

// replaceOwnSecret replaces the value of the secret setting v in the text
// of the settings file that sets it, and reports whether the file's reader
// then reads v's placeholder and every other setting as before.
func replaceOwnSecret(kind store.Kind, text string, orig *store.Settings, v store.Value) (string, bool) {
	values := []string{v.Text}
	if t := strings.TrimSpace(v.Text); t != v.Text {
		values = append(values, t)
	}
	for _, value := range values {
		m := newSecretMatcher(value, true)
		want := strings.Replace(v.Text, value, SecretPlaceholder(value), 1)
		for i, sub := range candidates(m, text, v) {
			if i == maxTries {
				break
			}
			out := text[:sub[0]] + m.placeholder(text, sub) + text[sub[1]:]
			if readsAsBefore(kind, out, orig, v.Key, want) {
				return out, true
			}
		}
	}
	return text, false
}

// candidates are the places value might be set in text, the likeliest
// first: on the setting's line after its key, then elsewhere on that line,
// then anywhere else in the file.
func candidates(m *secretMatcher, text string, v store.Value) [][]int {
	lineStart, lineEnd := -1, -1
	if v.Source.Line > 0 {
		start, n := 0, 1
		for n < v.Source.Line {
			i := strings.IndexByte(text[start:], '\n')
			if i < 0 {
				start = -1
				break
			}
			start += i + 1
			n++
		}
		if start >= 0 {
			lineStart, lineEnd = start, len(text)
			if i := strings.IndexByte(text[start:], '\n'); i >= 0 {
				lineEnd = start + i
			}
		}
	}
	keyEnd := lineStart
	if lineStart >= 0 {
		if i := strings.Index(strings.ToLower(text[lineStart:lineEnd]), strings.ToLower(v.Key)); i >= 0 {
			keyEnd = lineStart + i + len(v.Key)
		}
	}
	var all [][]int
	for from := 0; from <= len(text) && len(all) < 100*maxTries; {
		sub := m.find(text, from)
		if sub == nil {
			break
		}
		all = append(all, sub)
		from = sub[0] + 1
	}
	rank := func(sub []int) int {
		switch {
		case sub[0] >= keyEnd && sub[0] <= lineEnd:
			return 0
		case sub[0] >= lineStart && sub[0] <= lineEnd:
			return 1
		}
		return 2
	}
	sort.SliceStable(all, func(i, j int) bool { return rank(all[i]) < rank(all[j]) })
	return all
}

// readsAsBefore reports whether the settings text reads with the secret
// setting key holding want and every setting that is not a secret as in
// orig.
func readsAsBefore(kind store.Kind, text string, orig *store.Settings, key, want string) bool {
	s := readSettings(kind, text)
	if s == nil {
		return false
	}
	if v, ok := s.Get(key); !ok || v.Text != want {
		return false
	}
	for _, o := range orig.Values() {
		if isSecretKey(o.Key) {
			continue
		}
		if v, ok := s.Get(o.Key); !ok || v.Text != o.Text {
			return false
		}
	}
	return true
}
