// Package store is the evidence model: plain structs that the readers in
// checks/evidence fill and the rules in checks judge. It imports nothing of
// the project's, so both sides can depend on it without depending on each
// other.
package store

import (
	"sort"
	"strings"
)

// Kind is what an input file was taken for, detected from its content.
type Kind string

// The kinds of input the readers recognise. The string values are part of the
// JSON output and stay stable.
const (
	KindSettingsPHP  Kind = "settings-php"    // PHP assignments of AOM setting keys
	KindSettingsHTML Kind = "settings-html"   // the control panel page saved from a browser
	KindSettingsJSON Kind = "settings-json"   // a JSON export of the settings
	KindSettingsYAML Kind = "settings-yaml"   // a YAML export of the settings
	KindSettingsINI  Kind = "settings-ini"    // a key = value export of the settings
	KindIgnored      Kind = "ignored"         // hidden files and images: read past on purpose
	KindManifest     Kind = "bundle-manifest" // the list of files in a bundle (aomdoctor bundle): not evidence
	KindPHPCode      Kind = "php-code"        // a PHP file met in a folder or zip that names no AOM setting (AOM's own code)
	KindUnknown      Kind = "unknown"         // not recognised: an input problem
)

// PassedOver reports whether inputs of kind k are looked at and read past
// on purpose (hidden files, images, a bundle's manifest): they are neither
// evidence read nor a problem.
func (k Kind) PassedOver() bool {
	return k == KindIgnored || k == KindManifest || k == KindPHPCode
}

// Input is one file the checker was given (inside a folder or a zip too), what
// it was taken for, and the problem reading it, if any.
type Input struct {
	Path string
	Kind Kind
	Err  error
}

// Source says where a value came from, so a finding can point a person at it.
type Source struct {
	Path  string // the file as the user named it (zip members as archive.zip!member)
	Line  int    // 1-based; 0 when the format has no lines worth citing
	Field string // the setting key, column or element the value sits in
}

// Value is one AOM setting as a store has it.
type Value struct {
	Key    string   // the key as written in the evidence, e.g. "AmazonAssociateId"
	Text   string   // the value; for lists, the items joined by ", "
	List   []string // the items of a checkbox list such as Reports; nil for plain values
	IsList bool     // the evidence gave a list (possibly empty), not a single value
	// Default is true when the value is only AOM's default for the key (a
	// ['default'] line in the definitions file): the store never set it.
	Default bool
	Source  Source
}

// Has reports whether a list value holds item, ignoring case and spaces.
func (v Value) Has(item string) bool {
	for _, it := range v.List {
		if strings.EqualFold(strings.TrimSpace(it), item) {
			return true
		}
	}
	return !v.IsList && strings.EqualFold(strings.TrimSpace(v.Text), item)
}

// Settings are the AOM settings of one store, merged from every settings
// input. Keys match case-insensitively.
type Settings struct {
	values map[string]Value
	// Sources lists every settings file merged in, in reading order.
	Sources []string
}

// NewSettings returns an empty set of settings.
func NewSettings() *Settings { return &Settings{values: map[string]Value{}} }

func norm(key string) string { return strings.ToLower(strings.TrimSpace(key)) }

// Set records v. A value the store set replaces a default; a default never
// replaces a value the store set; otherwise the later value wins, as the
// later assignment wins in PHP.
func (s *Settings) Set(v Value) {
	k := norm(v.Key)
	if old, ok := s.values[k]; ok && v.Default && !old.Default {
		return
	}
	s.values[k] = v
}

// Get returns the value of key, matched case-insensitively.
func (s *Settings) Get(key string) (Value, bool) {
	if s == nil {
		return Value{}, false
	}
	v, ok := s.values[norm(key)]
	return v, ok
}

// Len is the number of keys known.
func (s *Settings) Len() int {
	if s == nil {
		return 0
	}
	return len(s.values)
}

// Values returns every value, sorted by key, for rules that look for keys by
// pattern (the AWS key names are not fixed).
func (s *Settings) Values() []Value {
	if s == nil {
		return nil
	}
	out := make([]Value, 0, len(s.values))
	for _, v := range s.values {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return norm(out[i].Key) < norm(out[j].Key) })
	return out
}

// Merge adds every value of o to s by the rules of Set, and o's sources.
func (s *Settings) Merge(o *Settings) {
	if o == nil {
		return
	}
	for _, v := range o.Values() {
		s.Set(v)
	}
	s.Sources = append(s.Sources, o.Sources...)
}

// Store is all the evidence about one store. A nil part means that kind of
// evidence was not given, so the rules that need it are skipped.
type Store struct {
	Name   string  // a label for output: the folder or file the user named
	Inputs []Input // every file looked at, in a stable order
	// Settings is nil when no settings evidence was given.
	Settings *Settings
	// Reports is nil when no Amazon Associates report was given.
	Reports *Reports
	// Carts is nil when no AOM cart-report email was given.
	Carts *CartReports
	// Links is nil when no links were given (link lists, and the Amazon URLs
	// in cart reports and store pages).
	Links *Links
	// Pages is nil when no store page was given or fetched.
	Pages *Pages

	// AsOf is "today" for reasoning about Amazon's report lag (--as-of).
	AsOf Date
	// Period, when known, overrides the period the reports give (--period).
	Period Period
	// Edition is the AOM edition the store runs: "full", "lite", or "" when
	// unknown. AOM Lite sends about 1 in 10 buy buttons with AOM's own ID.
	Edition string
}

// ReportPeriod is the period the evidence covers: --period when given, else
// what the reports say, else zero.
func (s *Store) ReportPeriod() Period {
	if s.Period.Known() {
		return s.Period
	}
	return s.Reports.Period()
}
