package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Settings are a few kilobytes of text. The limits are far above any real
// settings file, and low enough that a wrong file (a database dump, a video,
// one endless line) is refused quickly and without filling memory.
const (
	maxSettingsSize = 16 << 20
	maxLineSize     = 1 << 20
)

var (
	errBinary   = errors.New("binary data, not a settings file")
	errEmpty    = errors.New("empty file")
	errUTF16    = errors.New("UTF-16 text: save the file as UTF-8 and try again")
	errTooLarge = fmt.Errorf("too large for a settings file (over %d MiB)", maxSettingsSize>>20)
)

func errLongLine(line int) error {
	return fmt.Errorf("line %d: longer than %d MiB; not a settings file", line, maxLineSize>>20)
}

var utf8BOM = []byte("\xef\xbb\xbf")

// readText reads a settings file whole, refusing binary data, overlong lines
// and oversized files as soon as it meets them, so a wrong file costs little.
// Unless latin1OK, every line must be valid UTF-8: settings are text, and a
// value with a stray byte in it would be judged wrongly. The UTF-8 byte order
// mark, which Windows editors add, is dropped.
func readText(r io.Reader, latin1OK bool) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r, SniffSize)); err != nil {
		return nil, err
	}
	switch head := buf.Bytes(); {
	case isUTF16(head):
		return nil, errUTF16
	case looksBinary(head):
		return nil, errBinary
	}
	lines := lineChecker{latin1OK: latin1OK, line: 1}
	if err := lines.check(buf.Bytes(), false); err != nil {
		return nil, err
	}
	if buf.Len() == SniffSize {
		chunk := make([]byte, 32<<10)
		for {
			n, err := r.Read(chunk)
			if buf.Len()+n > maxSettingsSize {
				return nil, errTooLarge
			}
			buf.Write(chunk[:n])
			if err := lines.check(buf.Bytes(), false); err != nil {
				return nil, err
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if err := lines.check(buf.Bytes(), true); err != nil {
		return nil, err
	}
	return bytes.TrimPrefix(buf.Bytes(), utf8BOM), nil
}

// lineChecker checks the lines of a growing buffer as they complete.
type lineChecker struct {
	latin1OK bool
	line     int // the line being read
	start    int // where it starts
	pos      int // how far it has been searched for its end
}

// check checks every line of b that has ended since the last call; at the
// end of the file (eof) the last line needs no newline.
func (lc *lineChecker) check(b []byte, eof bool) error {
	for {
		i := bytes.IndexByte(b[lc.pos:], '\n')
		if i < 0 {
			lc.pos = len(b)
			switch {
			case len(b)-lc.start > maxLineSize:
				return errLongLine(lc.line)
			case eof && len(b) > lc.start:
				return checkLine(b[lc.start:], lc.line, lc.latin1OK)
			}
			return nil
		}
		end := lc.pos + i
		if end-lc.start > maxLineSize {
			return errLongLine(lc.line)
		}
		if err := checkLine(b[lc.start:end], lc.line, lc.latin1OK); err != nil {
			return err
		}
		lc.line++
		lc.start = end + 1
		lc.pos = lc.start
	}
}

func checkLine(b []byte, line int, latin1OK bool) error {
	if bytes.IndexByte(b, 0) >= 0 {
		return fmt.Errorf("line %d: %w", line, errBinary)
	}
	if latin1OK || utf8.Valid(b) {
		return nil
	}
	col := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Errorf("line %d: invalid UTF-8 (byte 0x%02X at column %d); save the file as UTF-8", line, b[i], col+1)
		}
		i += size
		col++
	}
	return nil
}

// latin1ToUTF8 reads b as ISO-8859-1. Old control panel pages were served in
// it and browsers save a page in the encoding it came in.
func latin1ToUTF8(b []byte) []byte {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return []byte(sb.String())
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int

func newLineIndex(b []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range b {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// line returns the line holding byte offset off.
func (idx lineIndex) line(off int) int {
	lo, hi := 0, len(idx)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if idx[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

// newSettings starts the settings read from one file.
func newSettings(name string) *store.Settings {
	s := store.NewSettings()
	s.Sources = []string{name}
	return s
}

// hasKnownKey reports whether s holds a key aomdoctor knows, which is what
// tells AOM settings apart from some other program's configuration.
func hasKnownKey(s *store.Settings) bool {
	for _, v := range s.Values() {
		if IsKnownKey(v.Key) {
			return true
		}
	}
	return false
}

// listValue makes the value of a checkbox list; an empty list means no box
// was ticked, which is itself worth knowing.
func listValue(key string, items []string, def bool, src store.Source) store.Value {
	if items == nil {
		items = []string{}
	}
	return store.Value{Key: key, Text: strings.Join(items, ", "), List: items, IsList: true, Default: def, Source: src}
}

// listBuilder gathers the items of list keys (Reports[] = ...) as they come
// and sets each list once at the end, so a list of many items costs no more
// than its items. When a plain value of the key comes after the list's last
// item, the later one wins, as it would in PHP.
type listBuilder struct {
	lists map[string]*pendingList
	order []string
	plain map[string]int // where the last plain value of each key came
}

type pendingList struct {
	key   string
	items []string
	src   store.Source
	last  int
}

// add records items of the list key at position pos; the first call names
// the list's source.
func (b *listBuilder) add(pos int, key string, items []string, src store.Source) {
	if b.lists == nil {
		b.lists = map[string]*pendingList{}
	}
	k := strings.ToLower(key)
	l, ok := b.lists[k]
	if !ok {
		l = &pendingList{key: key, items: []string{}, src: src}
		b.lists[k] = l
		b.order = append(b.order, k)
	}
	l.items = append(l.items, items...)
	l.last = pos
}

// plainAt notes a plain value of key at position pos.
func (b *listBuilder) plainAt(pos int, key string) {
	if b.plain == nil {
		b.plain = map[string]int{}
	}
	b.plain[strings.ToLower(key)] = pos
}

// setAll sets every list in s.
func (b *listBuilder) setAll(s *store.Settings) {
	for _, k := range b.order {
		l := b.lists[k]
		if p, ok := b.plain[k]; ok && p > l.last {
			continue
		}
		s.Set(listValue(l.key, l.items, false, l.src))
	}
}
