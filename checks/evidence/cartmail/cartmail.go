// Package cartmail reads AOM's cart-report emails (the "Remote Cart"
// report AOM mails each time a visitor checks out to Amazon), as single
// .eml files or mbox mailboxes, into store.CartReports and the Amazon links
// in them into store.Links.
//
// AOM's email layout is not documented, so the reader takes what any layout
// must hold: the Date header, the items (ASIN with title, quantity and price
// near it) and every Amazon URL. Mailboxes are read one message at a time:
// a mailbox of 100,000 reports costs the memory of its largest message.
package cartmail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// maxMessage bounds one message; a larger one is reported and skipped. Cart
// reports are a few KiB; 16 MiB leaves room for a forwarded one with
// attachments.
const maxMessage = 16 << 20

// mailHeaders are header names that only mail has; Sniff needs two.
var mailHeaders = map[string]bool{
	"from": true, "date": true, "subject": true, "to": true, "mime-version": true, "received": true,
	"return-path": true, "message-id": true, "content-type": true, "content-transfer-encoding": true,
	"delivered-to": true, "reply-to": true, "x-mailer": true, "cc": true, "sender": true,
	"dkim-signature": true, "x-original-to": true, "envelope-to": true, "x-php-script": true,
}

var (
	headerNameRE = regexp.MustCompile(`^([!-9;-~]+):[ \t]*(.*)$`)
	// fromLineRE is an mbox separator: "From sender date", the date with a
	// time and a year (asctime, as every mbox writer puts it).
	fromLineRE = regexp.MustCompile(`^From \S+ .*\d{1,2}:\d{2}.*\d{4}`)
	// asctimeRE is the strict form, taken as a separator even where no blank
	// line comes before it.
	asctimeRE    = regexp.MustCompile(`^From \S+ +(?:[A-Z][a-z]{2} +)?[A-Z][a-z]{2} +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})? +(?:[-+]\d{4} +|[A-Z]{3,4} +)?\d{4}\s*$`)
	quotedFromRE = regexp.MustCompile(`^>+From `)
)

var utf8BOM = []byte("\xef\xbb\xbf")

// Sniff tells from content whether head (the first 64 KiB of a file) is a
// cart-report email or a mailbox of them. It wants the header block first
// (after an mbox "From " line) with at least two mail headers, From or Date
// among them with a real address or date, so that a "key: value" text or a
// YAML file is not taken for mail. It returns store.KindCartReports or "".
func Sniff(head []byte) store.Kind {
	head = bytes.TrimPrefix(head, utf8BOM)
	// Only the header block is looked at: lines are cut one at a time up
	// to the first blank line, not the whole head.
	rest := string(head)
	if first, after, _ := strings.Cut(rest, "\n"); strings.HasPrefix(first, "From ") {
		if len(strings.Fields(first)) < 2 {
			return ""
		}
		rest = after
	}
	known, real := 0, false
	for i := 0; ; i++ {
		l, after, more := strings.Cut(rest, "\n")
		rest = after
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			if i == 0 {
				return ""
			}
			continue // a folded header
		}
		m := headerNameRE.FindStringSubmatch(l)
		if m == nil {
			if !more && len(head) >= 64<<10 {
				break // cut off by the sniff limit mid-line
			}
			return ""
		}
		name := strings.ToLower(m[1])
		// Mail programs capitalise header names; YAML keys rarely are.
		if !mailHeaders[name] || m[1][0] < 'A' || m[1][0] > 'Z' {
			continue
		}
		known++
		switch name {
		case "from":
			real = real || strings.Contains(m[2], "@")
		case "date":
			_, _, ok := parseDate(m[2])
			real = real || ok
		}
		if !more {
			break
		}
	}
	if known >= 2 && real {
		return store.KindCartReports
	}
	return ""
}

// IsMboxSeparator reports whether line (without its line end) starts a new
// message of an mbox: "From sender date" after a blank line, or in the
// strict asctime form anywhere. The bundle's redaction cuts messages here
// too.
func IsMboxSeparator(line []byte, afterBlank bool) bool {
	return bytes.HasPrefix(line, []byte("From ")) && fromLineRE.Match(line) && (afterBlank || asctimeRE.Match(line))
}

// Read reads one .eml file or mbox mailbox (told apart by the first line),
// message by message, adding each cart report to a new store.CartReports
// and every Amazon URL in it to a new store.Links, each citing the file, the
// line the message starts on and "message N".
//
// A broken message (bad MIME, undecodable base64, no header block, no body)
// is an error naming its number and line, and reading goes on with the
// next; mail that is plainly no cart report (no cart, ASIN or Amazon link
// in it) is counted in Skipped. Read returns what it could read together
// with every error, gathered in a *multierror.Error.
func Read(name string, r io.Reader) (*store.CartReports, *store.Links, error) {
	carts, links := store.NewCartReports(), store.NewLinks()
	carts.Files = append(carts.Files, name)
	var errs *multierror.Error
	n := 0
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() { br.Reset(nil); readerPool.Put(br) }()
	sp := &splitter{br: br}
	err := sp.each(func(raw []byte, line int, tooBig bool) {
		n++
		if tooBig {
			errs = multierror.Append(errs, fmt.Errorf("message %d (line %d): larger than %d MiB; skipped", n, line, maxMessage>>20))
			return
		}
		rep, err := readMessage(raw)
		if err != nil {
			errs = multierror.Append(errs, fmt.Errorf("message %d (line %d): %w", n, line, err))
			return
		}
		if !rep.isCart {
			carts.Skipped++
			return
		}
		src := store.Source{Path: name, Line: line, Field: fmt.Sprintf("message %d", n)}
		carts.Add(store.CartReport{Source: src, Date: rep.date, HasTime: rep.hasTime, Items: rep.items})
		for _, l := range rep.links {
			l.Source = src
			links.Add(l)
		}
	})
	if err != nil {
		errs = multierror.Append(errs, err)
	} else if n == 0 {
		errs = multierror.Append(errs, errors.New("empty file: no messages"))
	}
	return carts, links, errs.ErrorOrNil()
}

// readerPool keeps Read's buffered readers: a triage of thousands of small
// stores would otherwise allocate (and collect) 64 KiB for every mail file.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// splitter cuts a file into messages: the whole file for an .eml, at each
// "From " line for an mbox. It holds one message at a time.
type splitter struct {
	br   *bufio.Reader
	line int // lines read so far
}

// readLine appends the next line, without its line ending, to dst while dst
// stays within limit bytes; the rest of a longer line is read past and
// overflow set. eof is true, with nothing appended, once the input is done.
func (s *splitter) readLine(dst []byte, limit int) (out []byte, overflow, eof bool, err error) {
	got := false
	for {
		chunk, err := s.br.ReadSlice('\n')
		if len(chunk) > 0 {
			got = true
			if room := limit - len(dst); len(chunk) <= room {
				dst = append(dst, chunk...)
			} else {
				overflow = true
				if room > 0 {
					dst = append(dst, chunk[:room]...)
				}
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && !got:
			return dst, overflow, true, nil
		case err != nil && err != io.EOF:
			return dst, overflow, false, fmt.Errorf("line %d: %w", s.line+1, err)
		}
		s.line++
		dst = bytes.TrimSuffix(dst, []byte("\n"))
		dst = bytes.TrimSuffix(dst, []byte("\r"))
		return dst, overflow, false, nil
	}
}

// each calls fn with every message, its first line's number and whether it
// was too large to keep. raw is reused after fn returns.
func (s *splitter) each(fn func(raw []byte, line int, tooBig bool)) error {
	var (
		msg       []byte
		scratch   []byte
		mbox      bool
		have      bool // a message has started
		tooBig    bool
		msgLine   = 1
		prevBlank = true
	)
	for {
		start := len(msg)
		var (
			line     []byte
			overflow bool
			eof      bool
			err      error
		)
		if tooBig {
			// Past the limit, only look for the next separator.
			scratch, _, eof, err = s.readLine(scratch[:0], 256)
			line = scratch
		} else {
			msg, overflow, eof, err = s.readLine(msg, maxMessage)
			line = msg[start:]
		}
		if err != nil {
			return err
		}
		if eof {
			break
		}
		if s.line == 1 {
			if bytes.HasPrefix(line, utf8BOM) {
				msg = append(msg[:start], line[len(utf8BOM):]...)
				line = msg[start:]
			}
			mbox = bytes.HasPrefix(line, []byte("From "))
			have = true
			if mbox {
				msg = msg[:start]
				prevBlank = false
				continue
			}
		}
		if mbox && IsMboxSeparator(line, prevBlank) {
			if !tooBig {
				msg = msg[:start]
			}
			fn(msg, msgLine, tooBig)
			msg, tooBig, msgLine, prevBlank = msg[:0], false, s.line, false
			continue
		}
		prevBlank = len(bytes.TrimSpace(line)) == 0
		if tooBig {
			continue
		}
		if overflow || len(msg)+1 > maxMessage {
			tooBig = true
			msg = msg[:0]
			continue
		}
		if mbox && len(line) > 0 && line[0] == '>' && quotedFromRE.Match(line) {
			// mboxrd: one ">" was added before each "From " line of a body.
			copy(msg[start:], msg[start+1:])
			msg = msg[:len(msg)-1]
		}
		msg = append(msg, '\n')
	}
	if have {
		fn(msg, msgLine, tooBig)
	}
	return nil
}
