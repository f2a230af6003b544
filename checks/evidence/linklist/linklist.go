// Package linklist reads link lists: text files of URLs, one a line, as an
// owner collects them from a store's pages, a spreadsheet or Amazon's Link
// Checker. Each URL is classified by amazonurl, so a link list is judged like
// the links found anywhere else.
package linklist

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/evidence/amazonurl"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// MaxLine is the longest line read; a longer one is an error naming it.
// Real URLs, even the old API's encoded ones, are under 2 KiB.
const MaxLine = 64 << 10

// maxLineErrors bounds the line errors kept one by one; the rest are
// counted in one more error, so a large file that is mostly not URLs costs
// no more memory than a small one.
const maxLineErrors = 100

var utf8BOM = []byte("\xef\xbb\xbf")

// Sniff tells from content whether head (the first 64 KiB of a file) is a
// link list: its first line that is not blank or a "#" comment is a URL,
// at least two thirds of such lines are URLs (http://, https:// or www.),
// and at least one goes to Amazon. It returns store.KindLinkList or "".
func Sniff(head []byte) store.Kind {
	head = bytes.TrimPrefix(head, utf8BOM)
	if bytes.IndexByte(head, 0) >= 0 {
		return "" // binary
	}
	lines := strings.Split(string(head), "\n")
	if len(head) >= 64<<10 && len(lines) > 1 {
		lines = lines[:len(lines)-1] // cut off by the sniff limit
	}
	urls, other, amazon := 0, 0, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		u, ok := urlOf(t)
		if !ok {
			if urls == 0 {
				return "" // a link list starts with a link
			}
			other++
			continue
		}
		urls++
		if !amazon && amazonurl.Classify(u, store.Source{}).Form != store.FormNotAmazon {
			amazon = true
		}
	}
	if amazon && urls >= 2*other {
		return store.KindLinkList
	}
	return ""
}

// urlOf returns the URL of a trimmed link-list line: the line, less any
// "# comment" after it, when that is one URL (wrapped in <...> or quotes
// or not).
func urlOf(t string) (string, bool) {
	if i := strings.Index(t, " #"); i >= 0 {
		t = strings.TrimSpace(t[:i])
	} else if i := strings.Index(t, "\t#"); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	if t == "" || strings.ContainsAny(t, " \t") || !utf8.ValidString(t) {
		return "", false
	}
	u := strings.ToLower(amazonurl.Clean(t))
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "www.") {
		return t, true
	}
	// amazon.com/dp/... with neither scheme nor www.
	return t, amazonurl.Classify(t, store.Source{}).Form != store.FormNotAmazon
}

// Read adds the URL of every line to a new store.Links (those to Amazon
// are kept), each citing the file and its line. Blank lines and "#"
// comments are passed over; any other line that is not one URL is an error
// naming the line, and so is a line longer than MaxLine. The good lines are
// kept whatever the errors, which are gathered in a *multierror.Error.
func Read(name string, r io.Reader) (*store.Links, error) {
	links := store.NewLinks()
	var errs *multierror.Error
	lineErrs, moreErrs := 0, 0
	lineErr := func(err error) {
		if lineErrs < maxLineErrors {
			errs = multierror.Append(errs, err)
			lineErrs++
		} else {
			moreErrs++
		}
	}
	sp := &splitter{max: MaxLine}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 2*MaxLine)
	sc.Split(sp.split)
	n, urls := 0, 0
	for sc.Scan() {
		n++
		if sp.wasLong {
			lineErr(fmt.Errorf("line %d: longer than %d KiB; not a URL", n, MaxLine>>10))
			continue
		}
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, string(utf8BOM))
		}
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		u, ok := urlOf(t)
		if !ok {
			lineErr(fmt.Errorf("line %d: not a URL: %s", n, quoteShort(t)))
			continue
		}
		urls++
		links.Add(amazonurl.Classify(u, store.Source{Path: name, Line: n}))
	}
	if err := sc.Err(); err != nil {
		errs = multierror.Append(errs, fmt.Errorf("line %d: %w", n+1, err))
	}
	if moreErrs > 0 {
		errs = multierror.Append(errs, fmt.Errorf("%d more lines are not URLs", moreErrs))
	}
	if urls == 0 && errs == nil {
		errs = multierror.Append(errs, errors.New("no URLs found"))
	}
	return links, errs.ErrorOrNil()
}

// quoteShort quotes a line for an error, cut to 60 characters: enough to
// find it, not a screenful.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		return fmt.Sprintf("%q...", string(r[:60]))
	}
	return fmt.Sprintf("%q", s)
}

// splitter is a bufio.SplitFunc's state that reads lines like
// bufio.ScanLines but, instead of failing the whole scan on a line longer
// than max, reads past it and returns it as an empty token with wasLong
// set, so the lines after it are still read.
type splitter struct {
	max     int
	long    bool // inside a long line
	wasLong bool // the token just returned stands for a long line
}

// longLine is the token that stands for a long line: empty, but not nil, so
// the Scanner returns it.
var longLine = []byte{}

func (s *splitter) split(data []byte, atEOF bool) (int, []byte, error) {
	s.wasLong = false
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		if s.long {
			s.long, s.wasLong = false, true
			return i + 1, longLine, nil
		}
		return i + 1, bytes.TrimSuffix(data[:i], []byte("\r")), nil
	}
	if s.long || len(data) >= s.max {
		if atEOF {
			s.long, s.wasLong = false, true
			return len(data), longLine, nil
		}
		s.long = true
		return len(data), nil, nil // drop what is read of it; keep reading
	}
	if atEOF && len(data) > 0 {
		return len(data), bytes.TrimSuffix(data, []byte("\r")), nil
	}
	return 0, nil, nil
}
