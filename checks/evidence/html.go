package evidence

import (
	"bytes"
	"errors"
	"html"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

var errNoForm = errors.New("no AOM settings form found in this page (save the control panel's settings page, not a store page)")

// ReadSettingsHTML reads AOM settings from the control panel page saved from
// a browser: the form fields named after the keys, as the page shows them.
func ReadSettingsHTML(name string, r io.Reader) (*store.Settings, error) {
	src, err := readText(r, true)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		src = latin1ToUTF8(src)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	fields := htmlFields(doc, fieldLines(src))

	// A control panel page can hold other forms (a login box, a search box)
	// beside the settings form: take every field of the forms that hold a
	// known key, and known keys wherever they are, and nothing else.
	settingsForm := map[int]bool{}
	for _, f := range fields {
		if IsKnownKey(f.key) && f.form >= 0 {
			settingsForm[f.form] = true
		}
	}
	s := newSettings(name)
	var lists listBuilder
	for i, f := range fields {
		if !IsKnownKey(f.key) && !settingsForm[f.form] {
			continue
		}
		src := store.Source{Path: name, Line: f.line, Field: f.key}
		switch {
		case f.list:
			// A box that is not ticked still shows the list exists.
			var items []string
			if f.set {
				items = f.items
			}
			lists.add(i, f.key, items, src)
		case f.set:
			s.Set(store.Value{Key: f.key, Text: f.value, Source: src})
			lists.plainAt(i, f.key)
		}
	}
	lists.setAll(s)
	// A known field that gives no value (a radio group with none ticked)
	// does not make the page a settings form.
	if !hasKnownKey(s) {
		return nil, errNoForm
	}
	return s, nil
}

// htmlField is what one form element contributes.
type htmlField struct {
	key   string
	list  bool // a checkbox group or multiple select: name="Reports[]"
	set   bool // the browser would send it: text, a ticked box, a selection
	value string
	items []string // a list field's selected items
	form  int      // index of its form on the page, -1 outside any form
	line  int
}

func htmlFields(doc *goquery.Document, lines map[string][]int) []htmlField {
	// Forms are keyed by their node; goquery's IndexOfNode would make a page
	// of many forms quadratic.
	forms := map[any]int{}
	doc.Find("form").Each(func(i int, form *goquery.Selection) { forms[form.Get(0)] = i })
	seen := map[string]int{}
	var out []htmlField
	doc.Find("input, select, textarea").Each(func(_ int, el *goquery.Selection) {
		name := strings.TrimSpace(el.AttrOr("name", ""))
		if name == "" {
			return
		}
		// The n-th element of a name is taken to be its n-th mention in the
		// source, so a ticked radio button gets its own line.
		n := seen[name]
		seen[name]++
		f := htmlField{form: -1}
		if ls := lines[name]; n < len(ls) {
			f.line = ls[n]
		} else if len(ls) > 0 {
			f.line = ls[0]
		}
		f.key, f.list = fieldKey(name)
		if f.key == "" {
			return
		}
		if form := el.Closest("form"); form.Length() > 0 {
			f.form = forms[form.Get(0)]
		}
		switch goquery.NodeName(el) {
		case "select":
			selectValue(el, &f)
		case "textarea":
			f.value, f.set = el.Text(), true
		default:
			typ := strings.ToLower(strings.TrimSpace(el.AttrOr("type", "text")))
			switch typ {
			case "submit", "button", "reset", "image", "file":
				return
			case "checkbox", "radio":
				_, checked := el.Attr("checked")
				// A ticked box with no value sends "on", as browsers do.
				f.value, f.set = el.AttrOr("value", "on"), checked
			default:
				f.value, f.set = el.AttrOr("value", ""), true
			}
			if f.list && f.set {
				f.items = []string{f.value}
			}
		}
		out = append(out, f)
	})
	return out
}

// selectValue takes the selected option, or the first when none is, as a
// browser shows it; a multiple select gives a list of the selected ones.
func selectValue(el *goquery.Selection, f *htmlField) {
	_, multiple := el.Attr("multiple")
	f.list = f.list || multiple
	opts := el.Find("option")
	selected := opts.FilterFunction(func(_ int, o *goquery.Selection) bool {
		_, ok := o.Attr("selected")
		return ok
	})
	if !multiple && selected.Length() == 0 {
		selected = opts.First()
	}
	if !multiple && selected.Length() > 1 {
		selected = selected.Last()
	}
	f.set = true
	f.items = []string{}
	selected.Each(func(_ int, o *goquery.Selection) {
		v, ok := o.Attr("value")
		if !ok {
			v = strings.TrimSpace(o.Text())
		}
		f.items = append(f.items, v)
	})
	if len(f.items) > 0 {
		f.value = f.items[0]
	}
}

// fieldKey turns a form field name into a setting key: "AmazonAssociateId",
// "cfg[AmazonAssociateId]" and "cfg[AmazonAssociateId][value]" all name
// AmazonAssociateId; a trailing "[]" ("Reports[]") makes it a list.
func fieldKey(name string) (key string, list bool) {
	name = strings.TrimSpace(name)
	if strings.HasSuffix(name, "[]") {
		list = true
		name = strings.TrimSpace(strings.TrimSuffix(name, "[]"))
	}
	open := strings.IndexByte(name, '[')
	if open < 0 || !strings.HasSuffix(name, "]") {
		return name, list
	}
	segs := []string{name[:open]}
	for rest := name[open:]; rest != ""; {
		end := strings.IndexByte(rest, ']')
		if rest[0] != '[' || end < 0 {
			return name, list
		}
		segs = append(segs, strings.Trim(strings.TrimSpace(rest[1:end]), `"'`))
		rest = rest[end+1:]
	}
	if len(segs) > 2 && strings.EqualFold(segs[len(segs)-1], "value") {
		segs = segs[:len(segs)-1]
	}
	return strings.TrimSpace(segs[len(segs)-1]), list
}

// goquery keeps no line numbers, so the lines come from the raw page: every
// name="..." of a form element, in order of appearance.
var fieldNameAttr = regexp.MustCompile(`(?is)<(?:input|select|textarea)\b[^>]*?\bname\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

func fieldLines(src []byte) map[string][]int {
	idx := newLineIndex(src)
	out := map[string][]int{}
	for _, m := range fieldNameAttr.FindAllSubmatchIndex(src, -1) {
		for g := 1; g <= 3; g++ {
			if m[2*g] >= 0 {
				name := strings.TrimSpace(html.UnescapeString(string(src[m[2*g]:m[2*g+1]])))
				out[name] = append(out[name], idx.line(m[2*g]))
				break
			}
		}
	}
	return out
}
