package evidence

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Exports are the settings written out by hand or by a tool: JSON, YAML or
// key = value lines. Exports take many shapes, so the readers accept the
// plain one (key: value), AOM's own (key: {value: x, default: y}), and
// settings grouped under a section (settings: {key: value}).

var errNoExportSettings = errors.New("no AOM settings found: expected keys such as AmazonAssociateId")

// An export holds a few dozen settings; the cap stops a YAML file whose
// aliases fan out from making billions of entries.
const maxExportEntries = 100_000

var errTooManyEntries = fmt.Errorf("more than %d values; not a settings export", maxExportEntries)

// entry is one key of a JSON or YAML export, in a form both share, so that
// the rules for records and sections are written once.
type entry struct {
	key    string
	line   int
	kind   entryKind
	text   string
	items  []string
	fields []entry
}

type entryKind uint8

const (
	entryScalar entryKind = iota
	entryList
	entryObject
	entryOther // a value that is no setting, such as a list of objects
)

// Sections nest no deeper than this; deeper objects are no settings.
const maxSectionDepth = 3

// collect records the settings of one object. A nested object is a section
// when it holds a known key, and the record of one setting (its value and
// default) otherwise.
func collect(s *store.Settings, name string, obj []entry, depth int) {
	for _, e := range obj {
		key := strings.TrimSpace(e.key)
		if key == "" {
			continue
		}
		src := store.Source{Path: name, Line: e.line, Field: key}
		switch e.kind {
		case entryScalar:
			s.Set(store.Value{Key: key, Text: e.text, Source: src})
		case entryList:
			s.Set(listValue(key, e.items, false, src))
		case entryObject:
			if isSection(e.fields) {
				if depth < maxSectionDepth {
					collect(s, name, e.fields, depth+1)
				}
				continue
			}
			for _, f := range e.fields {
				def := false
				switch strings.ToLower(strings.TrimSpace(f.key)) {
				case "value":
				case "default":
					def = true
				default:
					continue
				}
				fsrc := store.Source{Path: name, Line: f.line, Field: key}
				switch f.kind {
				case entryScalar:
					s.Set(store.Value{Key: key, Text: f.text, Default: def, Source: fsrc})
				case entryList:
					s.Set(listValue(key, f.items, def, fsrc))
				}
			}
		}
	}
}

func isSection(fields []entry) bool {
	for _, f := range fields {
		if IsKnownKey(f.key) {
			return true
		}
	}
	return false
}

// exportSettings turns the entries of an export into settings, or says that
// there were none aomdoctor knows.
func exportSettings(name string, obj []entry) (*store.Settings, error) {
	s := newSettings(name)
	collect(s, name, obj, 0)
	if !hasKnownKey(s) {
		return nil, errNoExportSettings
	}
	return s, nil
}

// ReadJSON reads AOM settings from a JSON object of key: value, where a value
// may also be an array (a list) or {"value": ..., "default": ...}.
func ReadJSON(name string, r io.Reader) (*store.Settings, error) {
	src, err := readText(r, false)
	if err != nil {
		return nil, err
	}
	jr := &jsonReader{dec: json.NewDecoder(bytes.NewReader(src)), lines: newLineIndex(src), size: len(src)}
	jr.dec.UseNumber()
	tok, err := jr.dec.Token()
	if err != nil {
		return nil, jr.fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("line %d: expected a JSON object of settings ({\"AmazonAssociateId\": ...})", jr.line())
	}
	obj, err := jr.object(0)
	if err != nil {
		return nil, err
	}
	if _, err := jr.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, jr.fail(err)
		}
		return nil, fmt.Errorf("line %d: unexpected data after the JSON object", jr.line())
	}
	return exportSettings(name, obj)
}

type jsonReader struct {
	dec     *json.Decoder
	lines   lineIndex
	size    int
	entries int
}

func (jr *jsonReader) line() int { return jr.lines.line(int(jr.dec.InputOffset())) }

// fail turns a decoder error into one that names the line.
func (jr *jsonReader) fail(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: invalid JSON: %s", jr.lines.line(int(syn.Offset)), syn.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("line %d: invalid JSON: unexpected end of file", jr.lines.line(jr.size))
	}
	return err
}

// object reads the members of an object whose '{' has been read.
func (jr *jsonReader) object(depth int) ([]entry, error) {
	var out []entry
	for jr.dec.More() {
		tok, err := jr.dec.Token()
		if err != nil {
			return nil, jr.fail(err)
		}
		key, _ := tok.(string)
		// The offset is just past the key, so on the key's line.
		e := entry{key: key, line: jr.line()}
		if jr.entries++; jr.entries > maxExportEntries {
			return nil, errTooManyEntries
		}
		if tok, err = jr.dec.Token(); err != nil {
			return nil, jr.fail(err)
		}
		switch t := tok.(type) {
		case json.Delim:
			switch {
			case t == '{' && depth < maxSectionDepth:
				e.kind = entryObject
				if e.fields, err = jr.object(depth + 1); err != nil {
					return nil, err
				}
			case t == '[':
				e.kind = entryList
				if e.items, err = jr.array(); err != nil {
					return nil, err
				}
			default:
				e.kind = entryOther
				if err := jr.skip(); err != nil {
					return nil, err
				}
			}
		default:
			e.text = jsonScalar(tok)
		}
		out = append(out, e)
	}
	if _, err := jr.dec.Token(); err != nil { // the closing '}'
		return nil, jr.fail(err)
	}
	return out, nil
}

// array reads the plain items of a list whose '[' has been read; nested
// objects and arrays are no list items and are passed over.
func (jr *jsonReader) array() ([]string, error) {
	items := []string{}
	for jr.dec.More() {
		tok, err := jr.dec.Token()
		if err != nil {
			return nil, jr.fail(err)
		}
		if _, ok := tok.(json.Delim); ok {
			if err := jr.skip(); err != nil {
				return nil, err
			}
			continue
		}
		items = append(items, jsonScalar(tok))
	}
	if _, err := jr.dec.Token(); err != nil {
		return nil, jr.fail(err)
	}
	return items, nil
}

// skip passes over the rest of an object or array whose opening delimiter
// has been read, without recursion, however deep it nests.
func (jr *jsonReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := jr.dec.Token()
		if err != nil {
			return jr.fail(err)
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

func jsonScalar(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return fmt.Sprint(v)
	}
	return "" // null
}

// ReadYAML reads AOM settings from a YAML mapping of key: value, where a
// value may also be a sequence (a list) or a mapping with value and default.
func ReadYAML(name string, r io.Reader) (s *store.Settings, err error) {
	src, err := readText(r, false)
	if err != nil {
		return nil, err
	}
	// The YAML parser is not ours; should it panic on some input, that input
	// is reported like any other unreadable file.
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("invalid YAML: the YAML parser failed: %v", p)
		}
	}()
	yr := &yamlReader{}
	var obj []entry
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err == io.EOF {
			break
		} else if err != nil {
			return nil, yamlError(err)
		}
		root := &doc
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		switch {
		case root.Kind == yaml.MappingNode:
			fields, err := yr.mapping(root, 0)
			if err != nil {
				return nil, err
			}
			obj = append(obj, fields...)
		case root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null", root.Kind == yaml.DocumentNode:
			// An empty document.
		default:
			return nil, fmt.Errorf("line %d: expected a YAML mapping of settings (AmazonAssociateId: ...)", root.Line)
		}
	}
	return exportSettings(name, obj)
}

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError puts the line first, as every reader does.
func yamlError(err error) error {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("line %s: invalid YAML: %s", m[1], m[2])
	}
	return fmt.Errorf("invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

type yamlReader struct{ entries int }

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func (yr *yamlReader) mapping(n *yaml.Node, depth int) ([]entry, error) {
	var out []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || v == nil || k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			continue
		}
		if yr.entries++; yr.entries > maxExportEntries {
			return nil, errTooManyEntries
		}
		e := entry{key: k.Value, line: n.Content[i].Line, kind: entryOther}
		switch {
		case v.Kind == yaml.ScalarNode:
			e.kind, e.text = entryScalar, yamlScalar(v)
		case v.Kind == yaml.SequenceNode:
			e.kind, e.items = entryList, []string{}
			for _, it := range v.Content {
				if it = resolve(it); it != nil && it.Kind == yaml.ScalarNode {
					e.items = append(e.items, yamlScalar(it))
				}
			}
		case v.Kind == yaml.MappingNode && depth < maxSectionDepth:
			fields, err := yr.mapping(v, depth+1)
			if err != nil {
				return nil, err
			}
			e.kind, e.fields = entryObject, fields
		}
		out = append(out, e)
	}
	return out, nil
}

func yamlScalar(n *yaml.Node) string {
	if n.ShortTag() == "!!null" {
		return ""
	}
	return n.Value
}

// ReadINI reads AOM settings from key = value lines. Lines starting with ;
// or # are comments and [section] headers are passed over. Repeated
// "Reports[] = item" lines make a list, and so does "Reports = a, b": that
// key is a checkbox list in AOM, so a comma there separates choices.
func ReadINI(name string, r io.Reader) (*store.Settings, error) {
	src, err := readText(r, false)
	if err != nil {
		return nil, err
	}
	s := newSettings(name)
	var lists listBuilder
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, maxLineSize+2)
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == ';' || t[0] == '#' || t[0] == '[' && strings.HasSuffix(t, "]") {
			continue
		}
		eq := strings.IndexByte(t, '=')
		if eq < 0 {
			continue // not a key = value line; exports carry notes too
		}
		key, list := fieldKey(strings.Trim(strings.TrimSpace(t[:eq]), `"'`))
		if key == "" {
			continue
		}
		val, err := iniValue(strings.TrimSpace(t[eq+1:]))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		src := store.Source{Path: name, Line: line, Field: key}
		switch {
		case list:
			lists.add(line, key, []string{val}, src)
		case strings.EqualFold(key, "Reports"):
			items := []string{}
			for _, it := range strings.Split(val, ",") {
				if it = strings.TrimSpace(it); it != "" {
					items = append(items, it)
				}
			}
			s.Set(listValue(key, items, false, src))
			lists.plainAt(line, key)
		default:
			s.Set(store.Value{Key: key, Text: val, Source: src})
			lists.plainAt(line, key)
		}
	}
	lists.setAll(s)
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !hasKnownKey(s) {
		return nil, errNoExportSettings
	}
	return s, nil
}

// iniValue unquotes a quoted value and drops a trailing comment from a bare
// one; a comment needs a space before it, so "a#b" keeps its "#".
func iniValue(v string) (string, error) {
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		q := v[0]
		var sb strings.Builder
		for i := 1; i < len(v); i++ {
			c := v[i]
			switch {
			case c == '\\' && q == '"' && i+1 < len(v) && (v[i+1] == '"' || v[i+1] == '\\'):
				sb.WriteByte(v[i+1])
				i++
			case c == q:
				return sb.String(), nil
			default:
				sb.WriteByte(c)
			}
		}
		return "", errors.New("unterminated quoted value")
	}
	for i := 1; i < len(v); i++ {
		if (v[i] == ';' || v[i] == '#') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i]), nil
		}
	}
	return v, nil
}
