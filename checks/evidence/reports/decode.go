package reports

import (
	"bufio"
	"bytes"
	"io"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// headSize is how much of a file Sniff looks at, and how much Read peeks at
// to choose between CSV, tab-separated text and a saved page.
const headSize = 64 << 10

// decode returns r as UTF-8: a UTF-8 byte order mark dropped, UTF-16 (what
// spreadsheet programs save as "Unicode text") transcoded. Invalid UTF-8 is
// passed on as it is; the readers replace it where they keep text, because
// reports "may carry a few invalid characters" and must still be read.
// release gives the reader's buffers back once the caller is done with it.
func decode(r io.Reader) (br *bufio.Reader, release func()) {
	br = getReader(r)
	b, _ := br.Peek(4)
	var inner *bufio.Reader
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		br.Discard(2)
		inner, br = br, getReader(&utf16Reader{r: br})
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		br.Discard(2)
		inner, br = br, getReader(&utf16Reader{r: br, bigEndian: true})
	case len(b) == 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		// UTF-16 without a byte order mark: ASCII text with every other
		// byte zero is nothing else.
		inner, br = br, getReader(&utf16Reader{r: br})
	case len(b) == 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
		inner, br = br, getReader(&utf16Reader{r: br, bigEndian: true})
	}
	return br, func() {
		putReader(br)
		if inner != nil {
			putReader(inner)
		}
	}
}

// readerPool keeps decode's buffered readers: a triage of thousands of
// small stores would otherwise allocate (and collect) a 64 KiB buffer for
// every report file.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, headSize) }}

func getReader(r io.Reader) *bufio.Reader {
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readerPool.Put(br)
}

// decodeHead is head as decode reads it, for sniffing. UTF-8 text, by far
// the most common, is head itself (less a byte order mark), not a copy.
func decodeHead(head []byte) []byte {
	if !isUTF16(head) {
		return bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	}
	br, release := decode(bytes.NewReader(head))
	defer release()
	out, _ := io.ReadAll(io.LimitReader(br, 2*headSize))
	return out
}

// isUTF16 tells, from its first bytes, text that decode transcodes: a
// UTF-16 byte order mark, or ASCII with every other byte zero.
func isUTF16(b []byte) bool {
	if len(b) >= 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff) {
		return true
	}
	return len(b) >= 4 && (b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0 || b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0)
}

// utf16Reader transcodes UTF-16 to UTF-8 as it streams. Unpaired
// surrogates and an odd last byte become U+FFFD: a damaged character must
// not stop the report.
type utf16Reader struct {
	r         io.Reader
	bigEndian bool
	in        [32 << 10]byte
	n         int // bytes of in not yet decoded: an odd byte, or a high surrogate waiting for its pair
	buf, out  []byte
	err       error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		m, err := u.r.Read(u.in[u.n:])
		u.n += m
		if err != nil {
			u.err = err
		}
		u.decode(u.err != nil)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) unit(i int) uint16 {
	if u.bigEndian {
		return uint16(u.in[i])<<8 | uint16(u.in[i+1])
	}
	return uint16(u.in[i+1])<<8 | uint16(u.in[i])
}

// decode decodes what is buffered; at the end (final) nothing is kept back.
func (u *utf16Reader) decode(final bool) {
	u.buf = u.buf[:0]
	i := 0
	for ; i+1 < u.n; i += 2 {
		c := rune(u.unit(i))
		if utf16.IsSurrogate(c) {
			if i+3 >= u.n && !final {
				break // its pair is in the next read
			}
			if i+3 < u.n {
				if r := utf16.DecodeRune(c, rune(u.unit(i+2))); r != utf8.RuneError {
					u.buf = utf8.AppendRune(u.buf, r)
					i += 2
					continue
				}
			}
			c = utf8.RuneError
		}
		u.buf = utf8.AppendRune(u.buf, c)
	}
	if final && i < u.n {
		u.buf = utf8.AppendRune(u.buf, utf8.RuneError)
		i = u.n
	}
	u.n = copy(u.in[:], u.in[i:u.n])
	u.out = u.buf
}

// crReader turns the lone carriage returns of old Mac line ends into line
// feeds. It is used only when a file has no line feed at all, so a CRLF
// never becomes two line ends.
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 to their characters; the
// rest of the range is Latin-1, where a byte is its code point.
var cp1252 = [32]rune{
	'€', 0xfffd, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0xfffd, 'Ž', 0xfffd,
	0xfffd, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0xfffd, 'ž', 'Ÿ',
}

// fromWindows1252 reads b as Windows-1252, the superset of Latin-1 that
// pages of AOM's era were served in and that browsers save them in.
func fromWindows1252(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xa0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
