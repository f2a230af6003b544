package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Downloads are read by a splitter of their own rather than encoding/csv:
// a Fee-Orders report of a million rows must pass in a fraction of the time
// a general CSV tool takes. Lines are cut with bytes.IndexByte and their
// fields point into the read buffer, copied only to undo doubled quotes;
// only a quoted field that runs past its line end takes the careful path,
// which knows line breaks inside quotes and quotes left open.

// maxRecord bounds one record. Report rows are a few hundred bytes; a longer
// one is a broken file (an unterminated quote, or not a report at all) and
// must not fill memory.
const maxRecord = 1 << 20

// A quoted field may hold line breaks, but not many: one longer than these
// is taken for a quote left open.
const (
	maxQuotedLines = 20
	maxQuotedSpan  = 64 << 10
)

// errLongRecord is returned when a record runs over maxRecord.
var errLongRecord = fmt.Errorf("longer than %d MiB: not a report row", maxRecord>>20)

// splitter reads delimited records (CSV or tab-separated) from a stream.
type splitter struct {
	r        io.Reader
	buf      []byte
	pos, end int // unread data is buf[pos:end]
	eof      bool
	err      error // a read error other than io.EOF
	comma    byte
	line     int // the physical line buf[pos] starts

	// The record read by next.
	fields       [][]byte
	recLine      int  // the physical line it starts on
	unterminated bool // a quoted field did not close: the record was cut at its first line end
	want         int  // fields a record should have; a quoted record spanning lines that has another count is re-read as one line
	scratch      []byte
	offs         []int

	// chunk marks a splitter over one chunk of a larger stream (see
	// parallel.go): its data ends at a line end, and a record that would
	// need data past it sets overrun instead of reading on.
	chunk, overrun bool
}

// splitBuffer is the splitter's buffer: large enough that refills are rare.
const splitBuffer = 256 << 10

// newSplitter splits what r reads at comma, with a buffer of size bytes
// (it grows for longer records).
func newSplitter(r io.Reader, comma byte, size int) *splitter {
	return &splitter{r: r, buf: make([]byte, max(size, 512)), comma: comma, line: 1}
}

// fill reads more data after compacting the buffer; it grows the buffer
// when a record does not fit. It reports false when no more data can come.
func (s *splitter) fill() bool {
	if s.eof {
		return false
	}
	if s.chunk {
		s.overrun = s.pos < s.end
		s.eof = true
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= 2*maxRecord {
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.eof, s.err = true, io.ErrNoProgress
	return false
}

// next reads the next record into s.fields. It returns false at the end of
// the data, and an error when the data cannot be read (s.err) or a record
// is longer than maxRecord; the fields are valid until the next call.
func (s *splitter) next() (bool, error) {
	s.unterminated = false
	for {
		if s.pos == s.end && !s.fill() {
			return false, s.err
		}
		nl := bytes.IndexByte(s.buf[s.pos:s.end], '\n')
		if nl < 0 && !s.eof {
			if s.end-s.pos > maxRecord {
				return false, fmt.Errorf("line %d: %w", s.line, errLongRecord)
			}
			if s.fill() || s.pos == s.end {
				continue
			}
		}
		lineEnd := s.end
		if nl >= 0 {
			lineEnd = s.pos + nl
		}
		if lineEnd-s.pos > maxRecord {
			return false, fmt.Errorf("line %d: %w", s.line, errLongRecord)
		}
		line := bytes.TrimSuffix(s.buf[s.pos:lineEnd], []byte("\r"))
		quote := bytes.IndexByte(line, '"') >= 0
		if !quote {
			s.split(line)
		}
		if !quote || s.splitQuotedLine(line) {
			s.recLine = s.line
			s.line++
			s.pos = min(lineEnd+1, s.end)
			return true, nil
		}
		switch consumed, lines, st := s.quoted(true); st {
		case qNeedMore:
			if s.chunk {
				s.overrun, s.eof = true, true
				return false, nil
			}
			if s.end-s.pos > maxRecord || !s.fill() {
				// A quote that never closes: read the first line alone.
				consumed, lines, _ = s.quoted(false)
			} else {
				continue
			}
			s.finish(consumed, lines)
		case qDone:
			if s.want > 0 && lines > 1 && len(s.fields) != s.want {
				// A record spanning lines with the wrong number of fields
				// is more likely a stray quote than a field with line
				// breaks: read its first line alone, so that one bad
				// line does not swallow the good rows after it.
				consumed, lines, _ = s.quoted(false)
			}
			s.finish(consumed, lines)
		case qUnterminated, qStray:
			consumed, lines, _ = s.quoted(false)
			s.finish(consumed, lines)
		}
		return true, nil
	}
}

func (s *splitter) finish(consumed, lines int) {
	s.recLine = s.line
	s.line += lines
	s.pos += consumed
}

// split cuts an unquoted line at the delimiter.
func (s *splitter) split(line []byte) {
	s.fields = s.fields[:0]
	for {
		i := bytes.IndexByte(line, s.comma)
		if i < 0 {
			s.fields = append(s.fields, line)
			return
		}
		s.fields = append(s.fields, line[:i])
		line = line[i+1:]
	}
}

// splitQuotedLine cuts a line holding a quote when every quoted field
// closes on it, as nearly all do; it reports false, having done nothing
// that counts, when one runs on past the line end. Fields point into the
// line unless they hold a doubled quote, which is undone in s.scratch.
func (s *splitter) splitQuotedLine(line []byte) bool {
	s.fields = s.fields[:0]
	// Undoing quotes never lengthens a field, so with this capacity the
	// appends below never move s.scratch under the fields pointing into it.
	if cap(s.scratch) < len(line) {
		s.scratch = make([]byte, 0, 2*len(line))
	}
	s.scratch = s.scratch[:0]
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, s.comma)
			if i < 0 {
				s.fields = append(s.fields, line)
				return true
			}
			s.fields = append(s.fields, line[:i])
			line = line[i+1:]
			continue
		}
		rest := line[1:]
		start, copied := len(s.scratch), false
		for {
			q := bytes.IndexByte(rest, '"')
			if q < 0 {
				return false
			}
			after := rest[q+1:]
			if len(after) > 0 && after[0] == '"' {
				s.scratch = append(s.scratch, rest[:q+1]...) // a doubled quote
				rest, copied = after[1:], true
				continue
			}
			if len(after) > 0 && after[0] != s.comma {
				s.scratch = append(s.scratch, rest[:q+1]...) // a stray quote: keep it
				rest, copied = after, true
				continue
			}
			if copied {
				s.scratch = append(s.scratch, rest[:q]...)
				s.fields = append(s.fields, s.scratch[start:])
			} else {
				s.fields = append(s.fields, rest[:q])
			}
			if len(after) == 0 {
				return true
			}
			line = after[1:]
			if len(line) == 0 {
				s.fields = append(s.fields, line)
				return true
			}
			break
		}
	}
}

type quoteStatus int

const (
	qDone         quoteStatus = iota
	qNeedMore                 // the record goes on past the buffered data
	qUnterminated             // a quoted field is still open at the end of the file
	qStray                    // a field spanning lines holds a stray quote: broken quoting
)

// quoted parses the record at s.pos that holds a quote, as RFC 4180 says
// and leniently where files break it: a quote inside an unquoted field is
// a character, and a quote inside a quoted field that is neither doubled
// nor followed by the delimiter or a line end is a character too. When
// multi is false a quoted field may not span lines: it ends at the line end
// (and s.unterminated is set). It returns the bytes consumed, including the
// line end, and the physical lines they span.
func (s *splitter) quoted(multi bool) (consumed, lines int, st quoteStatus) {
	data := s.buf[s.pos:s.end]
	s.scratch = s.scratch[:0]
	s.offs = s.offs[:0]
	i := 0
	lines = 1
	stray := false
	defer func() {
		// A stray quote in a field that spans lines means the quoting is
		// broken, not that the field holds line breaks.
		if st == qDone && stray && lines > 1 && multi {
			st = qStray
		}
	}()
	for {
		// One field.
		if i < len(data) && data[i] == '"' {
			i++
			for {
				q := bytes.IndexByte(data[i:], '"')
				if !multi {
					if nl := bytes.IndexByte(data[i:], '\n'); nl >= 0 && (q < 0 || nl < q) {
						s.scratch = append(s.scratch, bytes.TrimSuffix(data[i:i+nl], []byte("\r"))...)
						s.offs = append(s.offs, len(s.scratch))
						s.unterminated = true
						s.setFields()
						return i + nl + 1, 1, qDone
					}
				}
				if q < 0 {
					if multi && (len(data) > maxQuotedSpan || lines+bytes.Count(data[i:], []byte("\n")) > maxQuotedLines) {
						return 0, 0, qStray
					}
					if !s.eof {
						return 0, 0, qNeedMore
					}
					if multi {
						return 0, 0, qUnterminated
					}
					s.scratch = append(s.scratch, data[i:]...)
					s.offs = append(s.offs, len(s.scratch))
					s.unterminated = true
					s.setFields()
					return len(data), 1, qDone
				}
				part := data[i : i+q]
				lines += bytes.Count(part, []byte("\n"))
				if lines > maxQuotedLines || i+q > maxQuotedSpan {
					// So long a field is a quote left open: read the line
					// alone. Bounding it keeps a file with a stray quote
					// on every line from costing the square of its size.
					return 0, 0, qStray
				}
				s.scratch = append(s.scratch, part...)
				i += q + 1
				if i == len(data) && !s.eof {
					return 0, 0, qNeedMore // a doubled quote may be cut in two
				}
				if i < len(data) && data[i] == '"' {
					s.scratch = append(s.scratch, '"')
					i++
					continue
				}
				if i == len(data) || data[i] == s.comma || data[i] == '\n' ||
					data[i] == '\r' && (i+1 == len(data) || data[i+1] == '\n') {
					break
				}
				s.scratch = append(s.scratch, '"') // a stray quote: keep it
				stray = true
			}
			// After the closing quote: the delimiter, a line end or the
			// end of the data.
			s.offs = append(s.offs, len(s.scratch))
			switch {
			case i == len(data):
				if !s.eof {
					return 0, 0, qNeedMore
				}
				s.setFields()
				return i, lines, qDone
			case data[i] == s.comma:
				i++
				continue
			default:
				if data[i] == '\r' {
					i++
				}
				s.setFields()
				return i + 1, lines, qDone
			}
		}
		// An unquoted field runs to the delimiter or the line end.
		j := i
		for j < len(data) && data[j] != s.comma && data[j] != '\n' {
			j++
		}
		if j == len(data) && !s.eof {
			return 0, 0, qNeedMore
		}
		if j == len(data) || data[j] == '\n' {
			s.scratch = append(s.scratch, bytes.TrimSuffix(data[i:j], []byte("\r"))...)
			s.offs = append(s.offs, len(s.scratch))
			s.setFields()
			if j == len(data) {
				return j, lines, qDone
			}
			return j + 1, lines, qDone
		}
		s.scratch = append(s.scratch, data[i:j]...)
		s.offs = append(s.offs, len(s.scratch))
		i = j + 1
	}
}

// setFields points s.fields at the fields gathered in s.scratch.
func (s *splitter) setFields() {
	s.fields = s.fields[:0]
	start := 0
	for _, end := range s.offs {
		s.fields = append(s.fields, s.scratch[start:end])
		start = end
	}
}
