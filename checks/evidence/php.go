package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The PHP reader is a tolerant reader of literal assignments, not a PHP
// interpreter: it lexes the file, looks for statements of the few shapes AOM
// settings take, and passes over everything else. Nothing is ever executed,
// and a value that is not a literal (a variable, a function call, a constant)
// is not taken at all, because its value cannot be known from the file.

var errNoPHPAssignments = errors.New(`no settings assignments found (expected lines such as $cfg['AmazonAssociateId']['value'] = "yourid-20";)`)

// ReadPHP reads AOM settings from PHP assignments such as
// $cfg['AmazonAssociateId']['value'] = "x"; and define('Key', 'x');.
func ReadPHP(name string, r io.Reader) (*store.Settings, error) {
	src, err := readText(r, false)
	if err != nil {
		return nil, err
	}
	p := &phpParser{lx: newPHPLexer(src), name: name, s: newSettings(name)}
	if err := p.run(); err != nil {
		return nil, err
	}
	switch {
	case p.statements == 0:
		return nil, errNoPHPAssignments
	case !hasKnownKey(p.s):
		return nil, fmt.Errorf("no AOM settings found: the %d assignments set none of the keys aomdoctor knows, such as AmazonAssociateId", p.statements)
	}
	return p.s, nil
}

type phpKind uint8

const (
	phpEOF phpKind = iota
	phpVar
	phpIdent
	phpString
	phpNumber
	phpPunct
)

type phpTok struct {
	kind phpKind
	text string // the variable or identifier name, the decoded string, the number as written, or the punctuation
	line int
}

type phpLexer struct {
	src    []byte
	pos    int
	line   int
	inCode bool
	toks   []phpTok // lexed, not yet taken
}

func newPHPLexer(src []byte) *phpLexer {
	// A file with no opening tag is a snippet of code; one with a tag starts
	// in text, as PHP runs it.
	return &phpLexer{src: src, line: 1, inCode: !bytes.Contains(src, []byte("<?"))}
}

// next returns the next token, dropping comments and the text outside
// <?php ... ?>, and a token of kind phpEOF at the end. Tokens are made as the
// parser takes them, so a large file's tokens are never all held at once.
// The only errors are strings and comments that never end, because after
// one of those nothing else in the file can be trusted.
func (lx *phpLexer) next() (phpTok, error) {
	for len(lx.toks) == 0 {
		if lx.pos >= len(lx.src) {
			return phpTok{line: lx.line}, nil
		}
		if err := lx.step(); err != nil {
			return phpTok{}, err
		}
	}
	t := lx.toks[0]
	lx.toks = lx.toks[1:]
	return t, nil
}

// step lexes what starts at lx.pos: at most one token.
func (lx *phpLexer) step() error {
	if !lx.inCode {
		lx.inCode = lx.skipText()
		return nil
	}
	src := lx.src
	c := src[lx.pos]
	next := lx.peek(1)
	switch {
	case c == '\n':
		lx.line++
		lx.pos++
	case isSpace(c):
		lx.pos++
	case c == '#' || c == '/' && next == '/':
		lx.inCode = !lx.lineComment()
	case c == '/' && next == '*':
		return lx.blockComment()
	case c == '?' && next == '>':
		lx.pos += 2
		lx.emit(phpPunct, ";", lx.line)
		lx.inCode = false
	case c == '\'':
		return lx.singleQuoted()
	case c == '"':
		return lx.doubleQuoted()
	case c == '`':
		return lx.backtick()
	case c == '<' && bytes.HasPrefix(src[lx.pos:], []byte("<<<")):
		return lx.heredoc()
	case c == '$' && isIdentStart(next):
		lx.pos++
		lx.emit(phpVar, lx.ident(), lx.line)
	case isDigit(c) || c == '.' && isDigit(next):
		lx.number()
	case isIdentStart(c):
		lx.emit(phpIdent, lx.ident(), lx.line)
	default:
		lx.punct()
	}
	return nil
}

func (lx *phpLexer) peek(n int) byte {
	if lx.pos+n < len(lx.src) {
		return lx.src[lx.pos+n]
	}
	return 0
}

func (lx *phpLexer) emit(k phpKind, text string, line int) {
	lx.toks = append(lx.toks, phpTok{kind: k, text: text, line: line})
}

// skipText moves past text outside PHP to just after the next opening tag,
// and reports whether there was one.
func (lx *phpLexer) skipText() bool {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == '\n' {
			lx.line++
		}
		if c == '<' && lx.peek(1) == '?' {
			rest := lx.src[lx.pos+2:]
			switch {
			case len(rest) >= 3 && strings.EqualFold(string(rest[:3]), "php"):
				lx.pos += 5
				return true
			case len(rest) >= 1 && rest[0] == '=':
				lx.pos += 3
				return true
			case len(rest) >= 1 && isSpace(rest[0]):
				lx.pos += 2
				return true
			}
		}
		lx.pos++
	}
	return false
}

// lineComment skips a // or # comment and reports whether it ended in ?>,
// which in PHP closes the code even inside such a comment.
func (lx *phpLexer) lineComment() (closed bool) {
	for lx.pos < len(lx.src) {
		switch c := lx.src[lx.pos]; {
		case c == '\n':
			return false
		case c == '?' && lx.peek(1) == '>':
			lx.pos += 2
			lx.emit(phpPunct, ";", lx.line)
			return true
		}
		lx.pos++
	}
	return false
}

func (lx *phpLexer) blockComment() error {
	start := lx.line
	lx.pos += 2
	for lx.pos < len(lx.src) {
		if lx.src[lx.pos] == '*' && lx.peek(1) == '/' {
			lx.pos += 2
			return nil
		}
		if lx.src[lx.pos] == '\n' {
			lx.line++
		}
		lx.pos++
	}
	return fmt.Errorf("line %d: unterminated comment starting here (a /* without */)", start)
}

func errUnterminated(line int) error {
	return fmt.Errorf("line %d: unterminated string starting here", line)
}

// quoted returns the raw body of a string that starts at lx.pos with quote,
// and moves past its closing quote.
func (lx *phpLexer) quoted(quote byte) ([]byte, int, error) {
	start := lx.line
	i := lx.pos + 1
	for i < len(lx.src) {
		switch lx.src[i] {
		case '\\':
			if i+1 < len(lx.src) && lx.src[i+1] == '\n' {
				lx.line++
			}
			i += 2
			continue
		case '\n':
			lx.line++
		case quote:
			body := lx.src[lx.pos+1 : i]
			lx.pos = i + 1
			return body, start, nil
		}
		i++
	}
	return nil, start, errUnterminated(start)
}

// In '...' only \' and \\ are escapes; any other backslash is itself.
var singleQuoteEscapes = strings.NewReplacer(`\\`, `\`, `\'`, `'`)

func (lx *phpLexer) singleQuoted() error {
	body, line, err := lx.quoted('\'')
	if err != nil {
		return err
	}
	s := singleQuoteEscapes.Replace(string(body))
	lx.emit(phpString, s, line)
	return nil
}

func (lx *phpLexer) doubleQuoted() error {
	body, line, err := lx.quoted('"')
	if err != nil {
		return err
	}
	lx.emit(phpString, unescapeDouble(body, true), line)
	return nil
}

// backtick runs a shell command in PHP; it is lexed only so that its quotes
// and comment marks do not confuse what follows, and is never a value.
func (lx *phpLexer) backtick() error {
	_, line, err := lx.quoted('`')
	if err != nil {
		return err
	}
	lx.emit(phpPunct, "`", line)
	return nil
}

// heredoc reads <<<ID ... ID and <<<'ID' ... ID (nowdoc). AOM's help texts
// may be written this way, and their apostrophes must not start strings.
func (lx *phpLexer) heredoc() error {
	start := lx.line
	i := lx.pos + 3
	for i < len(lx.src) && (lx.src[i] == ' ' || lx.src[i] == '\t') {
		i++
	}
	var quote byte
	if i < len(lx.src) && (lx.src[i] == '\'' || lx.src[i] == '"') {
		quote = lx.src[i]
		i++
	}
	idStart := i
	for i < len(lx.src) && (isIdentStart(lx.src[i]) || i > idStart && isDigit(lx.src[i])) {
		i++
	}
	id := string(lx.src[idStart:i])
	if quote != 0 {
		if i >= len(lx.src) || lx.src[i] != quote {
			id = ""
		}
		i++
	}
	if i < len(lx.src) && lx.src[i] == '\r' {
		i++
	}
	if id == "" || i >= len(lx.src) || lx.src[i] != '\n' {
		// Not a heredoc after all: a shift and a comparison.
		lx.pos += 3
		lx.emit(phpPunct, "<<<", start)
		return nil
	}
	bodyStart := i + 1
	lines := 1
	for j := bodyStart; j <= len(lx.src); {
		end := bytes.IndexByte(lx.src[j:], '\n')
		if end < 0 {
			end = len(lx.src)
		} else {
			end += j
		}
		ln := lx.src[j:end]
		trimmed := bytes.TrimLeft(ln, " \t")
		if bytes.HasPrefix(trimmed, []byte(id)) && (len(trimmed) == len(id) || !isIdentByte(trimmed[len(id)])) {
			indent := len(ln) - len(trimmed)
			body := heredocBody(lx.src[bodyStart:j], indent)
			if quote != '\'' {
				body = unescapeDouble([]byte(body), false)
			}
			lx.emit(phpString, body, start)
			lx.line += lines
			lx.pos = j + indent + len(id)
			return nil
		}
		if end == len(lx.src) {
			break
		}
		j = end + 1
		lines++
	}
	return fmt.Errorf("line %d: unterminated heredoc string starting here (no closing %s)", start, id)
}

// heredocBody drops the closing marker's indentation from every line and the
// newline before the marker, as PHP 7.3 and later do.
func heredocBody(b []byte, indent int) string {
	b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r"))
	if indent == 0 {
		return string(b)
	}
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		n := 0
		for n < indent && n < len(l) && (l[n] == ' ' || l[n] == '\t') {
			n++
		}
		lines[i] = l[n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

var phpEscapes = map[byte]string{'n': "\n", 't': "\t", 'r': "\r", 'v': "\v", 'e': "\x1b", 'f': "\f", '\\': `\`, '$': "$"}

// unescapeDouble decodes the escapes of a "..." string (quoteEscape) or a
// heredoc. Variables in the string are kept as written: their values are not
// in the file. Escapes that make invalid UTF-8 become U+FFFD, so values stay
// text.
func unescapeDouble(b []byte, quoteEscape bool) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			sb.WriteByte(c)
			continue
		}
		e := b[i+1]
		if s, ok := phpEscapes[e]; ok {
			sb.WriteString(s)
			i++
			continue
		}
		switch {
		case e == '"' && quoteEscape:
			sb.WriteByte('"')
			i++
		case e >= '0' && e <= '7':
			j := i + 1
			for j < len(b) && j < i+4 && b[j] >= '0' && b[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(string(b[i+1:j]), 8, 16)
			sb.WriteByte(byte(n))
			i = j - 1
		case e == 'x' && i+2 < len(b) && isHex(b[i+2]):
			j := i + 2
			for j < len(b) && j < i+4 && isHex(b[j]) {
				j++
			}
			n, _ := strconv.ParseUint(string(b[i+2:j]), 16, 8)
			sb.WriteByte(byte(n))
			i = j - 1
		case e == 'u' && i+2 < len(b) && b[i+2] == '{':
			end := bytes.IndexByte(b[i+3:], '}')
			if end < 0 {
				sb.WriteByte(c)
				continue
			}
			n, err := strconv.ParseUint(string(b[i+3:i+3+end]), 16, 32)
			if err != nil || n > utf8.MaxRune {
				sb.WriteByte(c)
				continue
			}
			sb.WriteRune(rune(n))
			i += 3 + end
		default:
			sb.WriteByte(c)
		}
	}
	return strings.ToValidUTF8(sb.String(), "\uFFFD")
}

func (lx *phpLexer) ident() string {
	start := lx.pos
	for lx.pos < len(lx.src) && isIdentByte(lx.src[lx.pos]) {
		lx.pos++
	}
	return string(lx.src[start:lx.pos])
}

// number takes a numeric literal as written (1, 1.5, 0x1F, 1_000, 1e3).
func (lx *phpLexer) number() {
	start := lx.pos
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if isIdentByte(c) || c == '.' && isDigit(lx.peek(1)) {
			lx.pos++
			continue
		}
		if (c == '+' || c == '-') && (lx.src[lx.pos-1] == 'e' || lx.src[lx.pos-1] == 'E') && isDigit(lx.peek(1)) && !bytes.HasPrefix(bytes.ToLower(lx.src[start:lx.pos]), []byte("0x")) {
			lx.pos++
			continue
		}
		break
	}
	lx.emit(phpNumber, string(lx.src[start:lx.pos]), lx.line)
}

// punct emits one operator. "=" must only ever be a plain assignment, so
// ==, === and => stay whole, as do compound assignments such as .= and +=.
func (lx *phpLexer) punct() {
	c := lx.src[lx.pos]
	n := 1
	switch {
	case c == '=' && lx.peek(1) == '=' && lx.peek(2) == '=':
		n = 3
	case c == '=' && (lx.peek(1) == '=' || lx.peek(1) == '>'):
		n = 2
	case strings.IndexByte(".+-*/%&|^!<>?:", c) >= 0 && lx.peek(1) == '=':
		n = 2
	}
	lx.emit(phpPunct, string(lx.src[lx.pos:lx.pos+n]), lx.line)
	lx.pos += n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) }

// phpValue is a literal: a scalar, or an array of entries.
type phpValue struct {
	isArray bool
	text    string
	entries []phpEntry
}

type phpEntry struct {
	key   string
	keyed bool // written as key => value
	line  int
	val   phpValue
}

// Arrays nest no deeper than this in settings; the limit keeps a hostile file
// from recursing without end.
const maxPHPDepth = 32

// definitionFields are the fields of AOM's definitions array. Only value and
// default are values; the others (the input type, the choices, the help
// text) describe the setting and are passed over.
var definitionFields = map[string]bool{"value": true, "default": true, "type": true, "list": true, "help": true, "required": true}

// A statement's value holds no more entries than this; a longer array is no
// setting, and the cap keeps a hostile file from filling memory.
const maxPHPEntries = 100_000

// phpParser reads statements from the token stream. It never goes back: a
// statement that turns out not to be a settings assignment is abandoned at
// the token that did not fit, and reading goes on from that token, which may
// start the next statement.
type phpParser struct {
	lx         *phpLexer
	la         []phpTok // tokens looked ahead at
	err        error    // the lexer's error; the stream ends there
	name       string
	s          *store.Settings
	statements int // settings statements recognised, whether or not they hold values
	entries    int // array entries in the current statement
}

// peek returns the token n places ahead without taking it.
func (p *phpParser) peek(n int) phpTok {
	for len(p.la) <= n {
		if p.err != nil {
			return phpTok{}
		}
		t, err := p.lx.next()
		if err != nil {
			p.err = err
			return phpTok{}
		}
		p.la = append(p.la, t)
	}
	return p.la[n]
}

// take takes the next token.
func (p *phpParser) take() phpTok {
	t := p.peek(0)
	if len(p.la) > 0 {
		p.la = p.la[1:]
	}
	return t
}

func (p *phpParser) isPunct(n int, s string) bool {
	t := p.peek(n)
	return t.kind == phpPunct && t.text == s
}

func (p *phpParser) isIdent(n int, s string) bool {
	t := p.peek(n)
	return t.kind == phpIdent && strings.EqualFold(t.text, s)
}

func (p *phpParser) run() error {
	for {
		t := p.peek(0)
		p.entries = 0
		switch {
		case p.err != nil:
			return p.err
		case t.kind == phpEOF:
			return nil
		case t.kind == phpVar:
			p.assignment()
		case p.isIdent(0, "define") && p.isPunct(1, "("):
			p.define()
		case p.isIdent(0, "return"):
			p.returnArray()
		default:
			p.take()
		}
	}
}

// endStatement takes the end of a statement; the last one in a file may
// lack its semicolon.
func (p *phpParser) endStatement() bool {
	switch {
	case p.isPunct(0, ";"):
		p.take()
		return true
	case p.peek(0).kind == phpEOF && p.err == nil:
		return true
	}
	return false
}

// assignment reads $var[...]... = literal;.
func (p *phpParser) assignment() {
	line := p.take().line
	var subs []string
	for p.isPunct(0, "[") {
		k := p.peek(1)
		if k.kind != phpString && k.kind != phpNumber && k.kind != phpIdent || !p.isPunct(2, "]") {
			return
		}
		subs = append(subs, k.text)
		p.take()
		p.take()
		p.take()
	}
	if !p.isPunct(0, "=") {
		return
	}
	p.take()
	val, ok := p.value(0)
	if !ok || !p.endStatement() {
		return
	}
	switch len(subs) {
	case 0:
		// $cfg = array('AmazonAssociateId' => 'x', ...): one setting per entry.
		if !p.setEntries(val) {
			return
		}
	case 1:
		p.set(subs[0], val, line, false, true)
	case 2:
		switch strings.ToLower(strings.TrimSpace(subs[1])) {
		case "value":
			p.set(subs[0], val, line, false, false)
		case "default":
			p.set(subs[0], val, line, true, false)
		}
		// Any other field (type, list, help, required) describes the
		// setting in AOM's definitions; it is no value.
	default:
		// Deeper fields, such as ['list'][0], belong to the definitions too.
	}
	p.statements++
}

// define reads define('Key', literal);.
func (p *phpParser) define() {
	line := p.take().line
	p.take() // (
	key := p.peek(0)
	if key.kind != phpString || !p.isPunct(1, ",") {
		return
	}
	p.take()
	p.take()
	val, ok := p.value(0)
	if !ok {
		return
	}
	if p.isPunct(0, ",") { // the old case-insensitive flag
		p.take()
		if _, ok := p.value(0); !ok {
			return
		}
	}
	if !p.isPunct(0, ")") {
		return
	}
	p.take()
	if !p.endStatement() {
		return
	}
	p.set(key.text, val, line, false, true)
	p.statements++
}

// returnArray reads a config file that returns its settings: return [...];.
func (p *phpParser) returnArray() {
	p.take()
	val, ok := p.value(0)
	if !ok || !p.endStatement() || !p.setEntries(val) {
		return
	}
	p.statements++
}

// setEntries sets one setting per string-keyed entry of an array, and
// reports whether there was any.
func (p *phpParser) setEntries(val phpValue) bool {
	found := false
	for _, e := range val.entries {
		if !e.keyed || isNumeric(e.key) {
			continue
		}
		p.set(e.key, e.val, e.line, false, true)
		found = true
	}
	return found
}

func isNumeric(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil
}

// set records key = val. When asRecord, an array with definition fields
// (array('type' => 'text', 'default' => 'x')) is read as the setting's
// definition: its value and default, nothing else.
func (p *phpParser) set(key string, val phpValue, line int, def, asRecord bool) {
	key = strings.TrimSpace(key)
	if key == "" {
		return
	}
	if val.isArray && asRecord && isRecord(val) {
		for _, e := range val.entries {
			if !e.keyed {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(e.key)) {
			case "value":
				p.set(key, e.val, e.line, false, false)
			case "default":
				p.set(key, e.val, e.line, true, false)
			}
		}
		return
	}
	src := store.Source{Path: p.name, Line: line, Field: key}
	if !val.isArray {
		p.s.Set(store.Value{Key: key, Text: val.text, Default: def, Source: src})
		return
	}
	items := []string{}
	for _, e := range val.entries {
		if !e.val.isArray {
			items = append(items, e.val.text)
		}
	}
	p.s.Set(listValue(key, items, def, src))
}

func isRecord(val phpValue) bool {
	for _, e := range val.entries {
		if e.keyed && definitionFields[strings.ToLower(strings.TrimSpace(e.key))] {
			return true
		}
	}
	return false
}

// value reads a literal: a string (possibly joined with "."), a number,
// true/false/null, or an array. ok is false for anything else, such as a
// variable or a function call, which is left untaken.
func (p *phpParser) value(depth int) (v phpValue, ok bool) {
	t := p.peek(0)
	switch {
	case t.kind == phpString || t.kind == phpNumber:
		p.take()
		var text strings.Builder
		text.WriteString(t.text)
		for p.isPunct(0, ".") {
			n := p.peek(1)
			if n.kind != phpString && n.kind != phpNumber {
				return v, false
			}
			p.take()
			p.take()
			text.WriteString(n.text)
		}
		return phpValue{text: text.String()}, true
	case (p.isPunct(0, "-") || p.isPunct(0, "+")) && p.peek(1).kind == phpNumber:
		sign := ""
		if t.text == "-" {
			sign = "-"
		}
		p.take()
		return phpValue{text: sign + p.take().text}, true
	case p.isIdent(0, "true") || p.isIdent(0, "false"):
		p.take()
		return phpValue{text: strings.ToLower(t.text)}, true
	case p.isIdent(0, "null"):
		p.take()
		return phpValue{}, true
	case p.isIdent(0, "array") && p.isPunct(1, "("):
		p.take()
		p.take()
		return p.array(")", depth)
	case p.isPunct(0, "["):
		p.take()
		return p.array("]", depth)
	}
	return v, false
}

// array reads the entries of array(...) or [...] up to closer, whose opener
// has been taken.
func (p *phpParser) array(closer string, depth int) (v phpValue, ok bool) {
	if depth >= maxPHPDepth {
		return v, false
	}
	v.isArray = true
	for {
		if p.isPunct(0, closer) {
			p.take()
			return v, true
		}
		if p.entries++; p.entries > maxPHPEntries {
			return v, false
		}
		line := p.peek(0).line
		item, ok := p.value(depth + 1)
		if !ok {
			return v, false
		}
		e := phpEntry{val: item, line: line}
		if p.isPunct(0, "=>") {
			if item.isArray {
				return v, false
			}
			p.take()
			e.key, e.keyed = item.text, true
			if e.val, ok = p.value(depth + 1); !ok {
				return v, false
			}
		}
		v.entries = append(v.entries, e)
		switch {
		case p.isPunct(0, ","):
			p.take()
		case p.isPunct(0, closer):
			p.take()
			return v, true
		default:
			return v, false
		}
	}
}
