package checks

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// ConfigFile is the name evidence.FindConfig looks for.
const ConfigFile = ".aomdoctor.yml"

// Config is a team's tuning of the rules, read from .aomdoctor.yml: which
// rules run, at what severity, which findings are accepted, and facts about
// the store its evidence may lack. Every part remembers its line, so notes
// about it can point there.
type Config struct {
	Path       string
	Disable    []RuleRef
	EnableOnly []RuleRef // empty means every rule
	Severity   []SeverityOverride
	Ignore     []IgnoreEntry
	Store      StoreFacts
}

// RuleRef is a rule named in the config, and where.
type RuleRef struct {
	Rule *Rule
	Line int
}

// SeverityOverride sets the severity of every finding of a rule.
type SeverityOverride struct {
	Rule     *Rule
	Severity Severity
	Line     int
}

// IgnoreEntry accepts findings of a rule, for a stated reason, until an
// optional expiry date.
type IgnoreEntry struct {
	Rule *Rule
	// Match narrows the entry to findings whose message or evidence (path or
	// field) contains it; empty matches every finding of the rule.
	Match   string
	Reason  string
	Expires store.Date // zero: never
	Line    int
}

// StoreFacts are what the owner knows about the store that the evidence
// may not say.
type StoreFacts struct {
	Edition     string // "full", "lite" or ""
	Marketplace string // an AmazonStoreType value such as "Amazon.co.uk"
	Name        string
	Line        int // of the marketplace, cited as its source
}

// Expired reports whether the entry no longer applies on today: it ignores
// through its expiry day, and stops the day after.
func (e IgnoreEntry) Expired(today store.Date) bool {
	return !e.Expires.IsZero() && !today.IsZero() && e.Expires.Before(today)
}

// matches reports whether the entry covers f (the rule is checked by the caller).
func (e IgnoreEntry) matches(f Finding) bool {
	if e.Match == "" || strings.Contains(f.Message, e.Match) {
		return true
	}
	for _, ev := range f.Evidence {
		if strings.Contains(ev.Path, e.Match) || (ev.Field != "" && strings.Contains(ev.Field, e.Match)) {
			return true
		}
	}
	return false
}

// ParseConfig reads a config from data; path names it in errors.
func ParseConfig(path string, data []byte) (*Config, error) {
	p := &configParser{path: path, cfg: &Config{Path: path}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// The parser's message already says "yaml: line N: ...".
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 { // an empty file: no tuning
		return p.cfg, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return p.cfg, nil
	}
	p.mapping(root, "the config", func(key string, k, v *yaml.Node) {
		switch key {
		case "disable":
			p.cfg.Disable = p.ruleList(v, key)
		case "enable-only":
			p.cfg.EnableOnly = p.ruleList(v, key)
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				p.errorf(v, "enable-only is empty, which would run no rule; list the rules to run, or remove the key")
			}
		case "severity":
			p.severity(v)
		case "ignore":
			p.ignore(v)
		case "store":
			p.storeFacts(v)
		default:
			p.errorf(k, "unknown key %q (want disable, enable-only, severity, ignore or store)", key)
		}
	})
	p.crossCheck()
	if p.errs != nil {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].line < p.errs[j].line })
		errs := make([]error, len(p.errs))
		for i, e := range p.errs {
			errs[i] = e.err
		}
		return nil, errors.Join(errs...)
	}
	return p.cfg, nil
}

type configParser struct {
	path string
	cfg  *Config
	errs []lineError
}

// lineError is a problem at a line; they are reported in line order.
type lineError struct {
	line int
	err  error
}

func (p *configParser) errorf(n *yaml.Node, format string, a ...any) {
	p.errorAt(n.Line, format, a...)
}

func (p *configParser) errorAt(line int, format string, a ...any) {
	p.errs = append(p.errs, lineError{line, fmt.Errorf("%s:%d: %s", p.path, line, fmt.Sprintf(format, a...))})
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}

// mapping calls fn for each key of n, refusing duplicates and non-mappings.
func (p *configParser) mapping(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s should be a mapping of keys to values, not %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "a key in %s should be a name, not %s", what, kindName(k))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%q is given twice in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

// scalar returns n's text, or reports that key should be a single value.
func (p *configParser) scalar(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "%s should be a single value, not %s", key, kindName(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

func (p *configParser) rule(n *yaml.Node, key string) *Rule {
	name, ok := p.scalar(n, key)
	if !ok {
		return nil
	}
	r := Lookup(name)
	if r == nil {
		p.errorf(n, "%s: unknown rule %q ('aomdoctor rules' lists them)", key, name)
	}
	return r
}

func (p *configParser) ruleList(n *yaml.Node, key string) []RuleRef {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s should be a list of rule names, such as [connection-method-not-default], not %s", key, kindName(n))
		return nil
	}
	out := []RuleRef{}
	for _, item := range n.Content {
		if r := p.rule(item, key); r != nil {
			out = append(out, RuleRef{Rule: r, Line: item.Line})
		}
	}
	return out
}

func (p *configParser) severity(n *yaml.Node) {
	p.mapping(n, "severity", func(name string, k, v *yaml.Node) {
		r := Lookup(name)
		if r == nil {
			p.errorf(k, "severity: unknown rule %q ('aomdoctor rules' lists them)", name)
			return
		}
		lvl, ok := p.scalar(v, "severity of "+name)
		if !ok {
			return
		}
		sev, err := ParseSeverity(lvl)
		if err != nil {
			p.errorf(v, "severity of %s: %v", name, err)
			return
		}
		p.cfg.Severity = append(p.cfg.Severity, SeverityOverride{Rule: r, Severity: sev, Line: k.Line})
	})
}

func (p *configParser) ignore(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "ignore should be a list of entries, each with rule and reason, not %s", kindName(n))
		return
	}
	for _, item := range n.Content {
		e := IgnoreEntry{Line: item.Line}
		ok := true
		var hasRule, hasReason bool
		p.mapping(item, "an ignore entry", func(key string, k, v *yaml.Node) {
			switch key {
			case "rule":
				hasRule = true
				e.Rule = p.rule(v, "ignore rule")
				ok = ok && e.Rule != nil
			case "match":
				s, good := p.scalar(v, "ignore match")
				if good && s == "" {
					p.errorf(v, "ignore match is empty; remove it to ignore every finding of the rule")
					good = false
				}
				e.Match, ok = s, ok && good
			case "reason":
				hasReason = true
				s, good := p.scalar(v, "ignore reason")
				if good && s == "" {
					p.errorf(v, "ignore reason is empty; say why the finding is accepted, for the next person")
					good = false
				}
				e.Reason, ok = s, ok && good
			case "expires":
				s, good := p.scalar(v, "ignore expires")
				if good {
					t, err := time.Parse(time.DateOnly, s)
					if err != nil {
						p.errorf(v, "ignore expires: %q is not a date; use YYYY-MM-DD", s)
						good = false
					}
					e.Expires = store.DateOf(t)
				}
				ok = ok && good
			default:
				p.errorf(k, "unknown key %q in an ignore entry (want rule, match, reason or expires)", key)
				ok = false
			}
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		if !hasRule {
			p.errorf(item, "an ignore entry needs a rule")
			ok = false
		}
		if !hasReason {
			p.errorf(item, "an ignore entry needs a reason: say why the finding is accepted, for the next person")
			ok = false
		}
		if ok {
			p.cfg.Ignore = append(p.cfg.Ignore, e)
		}
	}
}

func (p *configParser) storeFacts(n *yaml.Node) {
	p.mapping(n, "store", func(key string, k, v *yaml.Node) {
		s, ok := p.scalar(v, "store "+key)
		if !ok {
			return
		}
		switch key {
		case "edition":
			switch e := strings.ToLower(s); e {
			case "full", "lite":
				p.cfg.Store.Edition = e
			default:
				p.errorf(v, "store edition: %q is not an AOM edition; use full or lite", s)
			}
		case "marketplace":
			if _, known := findMarketplace(s); !known {
				p.errorf(v, "store marketplace: %q is not an Amazon store aomdoctor knows (use the AOM store type, such as Amazon.com or Amazon.co.uk)", s)
				return
			}
			p.cfg.Store.Marketplace, p.cfg.Store.Line = s, v.Line
		case "name":
			if s == "" {
				p.errorf(v, "store name is empty")
				return
			}
			p.cfg.Store.Name = s
		default:
			p.errorf(k, "unknown key %q in store (want edition, marketplace or name)", key)
		}
	})
}

// crossCheck finds contradictions between keys: a rule both disabled and
// listed in enable-only.
func (p *configParser) crossCheck() {
	only := map[*Rule]bool{}
	for _, r := range p.cfg.EnableOnly {
		only[r.Rule] = true
	}
	for _, d := range p.cfg.Disable {
		if only[d.Rule] {
			p.errorAt(d.Line, "%s is both disabled and in enable-only; keep one", d.Rule.Name)
		}
	}
}

// enabled reports whether the config lets r run.
func (c *Config) enabled(r *Rule) bool {
	if c == nil {
		return true
	}
	for _, d := range c.Disable {
		if d.Rule == r {
			return false
		}
	}
	if len(c.EnableOnly) == 0 {
		return true
	}
	for _, e := range c.EnableOnly {
		if e.Rule == r {
			return true
		}
	}
	return false
}

// applyStore fills in the store facts the evidence lacks. The name replaces
// the folder's name, which is only a label. The marketplace is added to
// settings that lack a store type; it never creates settings, which would make
// every settings rule judge an empty store.
func (c *Config) applyStore(s *store.Store) {
	f := c.Store
	if f.Name != "" {
		s.Name = f.Name
	}
	if f.Edition != "" && s.Edition == "" {
		s.Edition = f.Edition
	}
	if f.Marketplace != "" && s.Settings != nil {
		if v, ok := s.Settings.Get(keyStoreType); !ok || strings.TrimSpace(v.Text) == "" {
			s.Settings.Set(store.Value{Key: keyStoreType, Text: f.Marketplace,
				Source: store.Source{Path: c.Path, Line: f.Line, Field: "store.marketplace"}})
		}
	}
}

// IgnoredFinding is a finding an ignore entry accepted.
type IgnoredFinding struct {
	Finding
	Reason string // the entry's reason
	Line   int    // the entry's line in the config
}

// ConfigNote is something in the config that needs a look.
type ConfigNote struct {
	Path    string // the config file
	Line    int
	Rule    *Rule
	Message string // lower case, no period, like a finding's
}

// apply overrides severities and moves ignored findings out of res.Findings,
// then notes expired entries and entries that matched nothing.
func (c *Config) apply(res *Result, today store.Date) {
	for i := range res.Findings {
		for _, o := range c.Severity {
			if res.Findings[i].Rule == o.Rule {
				res.Findings[i].Severity = o.Severity
			}
		}
	}
	used := make([]bool, len(c.Ignore))
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		ignored := false
		for i, e := range c.Ignore {
			if e.Rule != f.Rule || e.Expired(today) || !e.matches(f) {
				continue
			}
			used[i] = true
			if !ignored {
				res.Ignored = append(res.Ignored, IgnoredFinding{Finding: f, Reason: e.Reason, Line: e.Line})
				ignored = true
			}
		}
		if !ignored {
			kept = append(kept, f)
		}
	}
	res.Findings = kept

	ran := map[*Rule]bool{}
	for _, f := range res.Findings {
		ran[f.Rule] = true
	}
	notRun := map[*Rule]bool{}
	for _, sk := range res.Skipped {
		notRun[sk.Rule] = true
	}
	for _, r := range res.Disabled {
		notRun[r] = true
	}
	for _, fe := range res.Failed {
		notRun[fe.Rule] = true
	}
	for i, e := range c.Ignore {
		note := ConfigNote{Path: c.Path, Line: e.Line, Rule: e.Rule}
		switch {
		case e.Expired(today):
			note.Message = fmt.Sprintf("ignore entry at line %d for rule %s expired on %s: its findings are reported again; fix them, or renew the entry with a new date", e.Line, e.Rule.Name, e.Expires)
		case used[i]:
			continue
		case notRun[e.Rule]:
			// The evidence it would judge was not given this time: the entry
			// may still be needed, so it is not called unused.
			continue
		default:
			what := "any finding"
			if e.Match != "" {
				what = fmt.Sprintf("any finding with %q", e.Match)
			}
			note.Message = fmt.Sprintf("ignore entry at line %d for rule %s is unused: the rule ran and it matched nothing (%s); remove it if the problem is fixed", e.Line, e.Rule.Name, what)
		}
		res.ConfigNotes = append(res.ConfigNotes, note)
	}
	sortIgnored(res.Ignored)
}

func sortIgnored(ig []IgnoredFinding) {
	sort.SliceStable(ig, func(i, j int) bool { return findingLess(ig[i].Finding, ig[j].Finding) })
}
