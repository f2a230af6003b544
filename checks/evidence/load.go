// Package evidence reads what a store owner can hand over (the AOM settings
// file, the control panel page saved from a browser, an export of the
// settings, in files, folders or zips) into a store.Store for the rules to
// judge. Every input's kind is sniffed from its content, never from its name,
// because owners rename, copy and re-save files freely; the one exception is
// the MANIFEST aomdoctor writes into a bundle, known by its name and first
// line together and passed over (IsManifest). Readers only read:
// they never judge what they find, and one bad file never stops the others.
package evidence

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/evidence/cartmail"
	"github.com/aomdoctor/aomdoctor/checks/evidence/linklist"
	"github.com/aomdoctor/aomdoctor/checks/evidence/reports"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// accepted names the kinds of input aomdoctor reads, for the error about a
// file it does not; add a kind here when adding its detector.
var accepted = []string{
	"AOM settings as PHP",
	"a saved control-panel page (HTML)",
	"a JSON, YAML or key = value export",
	"an Amazon Associates report (CSV, tab-separated, or a report page saved from the browser)",
	"AOM cart-report emails (.eml or mbox)",
	"pages saved from the store (HTML with links to Amazon)",
	"or a list of Amazon links (one URL a line)",
}

var errUnknownKind = errors.New("not a kind aomdoctor reads: expected " + strings.Join(accepted, ", "))

// readers maps each kind of settings input to its reader.
var readers = map[store.Kind]func(name string, r io.Reader) (*store.Settings, error){
	store.KindSettingsPHP:  ReadPHP,
	store.KindSettingsHTML: ReadSettingsHTML,
	store.KindSettingsJSON: ReadJSON,
	store.KindSettingsYAML: ReadYAML,
	store.KindSettingsINI:  ReadINI,
}

// reportKinds are the kinds the Amazon report reader reads.
var reportKinds = map[store.Kind]bool{
	store.KindReportLinkType: true, store.KindReportOrders: true, store.KindReportTracking: true,
	store.KindReportEarnings: true, store.KindReportDailyTrends: true, store.KindReportXML: true,
}

// Load reads every path (a file, a folder walked recursively, or a .zip of
// them, in any mix) as the evidence of one store. Every file looked at is an
// Input of the store, sorted by path; the error gathers the problems of all
// inputs, and the store holds whatever could be read despite them.
func Load(paths []string) (*store.Store, error) {
	return LoadContext(context.Background(), paths)
}

// LoadContext is Load that stops early when ctx is done: no further file is
// opened and the file being read fails at its next read, so a caller that
// gave up on a store (triage's --store-timeout) does not leave it reading.
// What it returns then is incomplete and carries ctx's error.
func LoadContext(ctx context.Context, paths []string) (*store.Store, error) {
	l := &loader{ctx: ctx, seen: map[string]bool{}, named: map[string]bool{}}
	for _, p := range paths {
		l.path(p)
	}
	sort.SliceStable(l.items, func(i, j int) bool { return l.items[i].in.Path < l.items[j].in.Path })

	st := &store.Store{Name: StoreName(paths), Inputs: []store.Input{}}
	var errs *multierror.Error
	for _, it := range l.items {
		st.Inputs = append(st.Inputs, it.in)
		if it.in.Err != nil {
			errs = multierror.Append(errs, fmt.Errorf("%s: %w", it.in.Path, it.in.Err))
		}
		// Settings merge in path order, so the result does not depend on
		// the order the paths were given in.
		if it.settings != nil {
			if st.Settings == nil {
				st.Settings = store.NewSettings()
			}
			st.Settings.Merge(it.settings)
		}
		if it.reports != nil {
			if st.Reports == nil {
				st.Reports = store.NewReports()
			}
			st.Reports.Merge(it.reports)
		}
		if it.carts != nil {
			if st.Carts == nil {
				st.Carts = store.NewCartReports()
			}
			st.Carts.Merge(it.carts)
		}
		if it.links != nil {
			if st.Links == nil {
				st.Links = store.NewLinks()
			}
			st.Links.Merge(it.links)
		}
		if it.pages != nil {
			if st.Pages == nil {
				st.Pages = store.NewPages()
			}
			st.Pages.Merge(it.pages)
			// The link rules judge the pages' links as well: a link is
			// judged the same wherever it was found.
			if it.pages.Links.Total > 0 {
				if st.Links == nil {
					st.Links = store.NewLinks()
				}
				st.Links.Merge(it.pages.Links)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		errs = multierror.Append(errs, err)
	}
	return st, errs.ErrorOrNil()
}

// loaded is one input and what was read from it. Settings are all or
// nothing (a half-read settings file would mislead); reports, cart reports
// and links keep what was read before and around a bad row or message, with
// the error alongside, so one broken message does not hide a mailbox.
type loaded struct {
	in       store.Input
	settings *store.Settings
	reports  *store.Reports
	carts    *store.CartReports
	links    *store.Links
	pages    *store.Pages
}

type loader struct {
	ctx   context.Context
	items []loaded
	seen  map[string]bool // paths already read, when a file is named twice
	named map[string]bool // files the user named outright, not met in a folder or zip
}

func (l *loader) add(path string, kind store.Kind, err error) {
	l.items = append(l.items, loaded{in: store.Input{Path: path, Kind: kind, Err: err}})
}

// path reads one path the user named. Hidden files named outright are read:
// only those met inside folders and zips are passed over.
func (l *loader) path(p string) {
	clean := filepath.Clean(p)
	fi, err := os.Stat(clean)
	switch {
	case err != nil:
		l.add(clean, store.KindUnknown, osError(err))
	case fi.IsDir():
		l.walk(clean)
	case !fi.Mode().IsRegular():
		l.add(clean, store.KindUnknown, errors.New("not a regular file"))
	default:
		l.named[clean] = true
		l.file(clean, clean)
	}
}

// osError drops the path and the operation from an os error: the input
// already names the path, and a user needs only what went wrong.
func osError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file or folder")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read: %w", pe.Err)
	}
	return err
}

// isHidden passes over dot files and the clutter operating systems leave in
// folders and zips (Finder's __MACOSX copies, Windows thumbnails).
func isHidden(name string) bool {
	switch strings.ToLower(name) {
	case "__macosx", "thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r":
		return true
	}
	return strings.HasPrefix(name, ".")
}

// savedPageExts are the extensions a browser gives a page it saves.
var savedPageExts = []string{".html", ".htm", ".xhtml", ".shtml"}

// isSavedPageFolder tells the folder a browser's "Save Page As, complete"
// writes beside the page: "Page_files" next to "Page.html", holding the
// page's style sheets, scripts and images. That is the browsers' convention
// (Firefox, Chrome, Edge and Safari alike); the files in it are not evidence,
// and reading them would only add noise. A folder named so without its page
// beside it is read as usual, so no settings file hides in one.
func isSavedPageFolder(name string, exists func(page string) bool) bool {
	stem, ok := strings.CutSuffix(name, "_files")
	if !ok || stem == "" {
		return false
	}
	for _, ext := range savedPageExts {
		if exists(stem + ext) {
			return true
		}
	}
	return false
}

// walk reads a folder. Links inside it are followed to files but not to
// folders, which could loop.
func (l *loader) walk(root string) {
	walkRoot := root
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		walkRoot = resolved // WalkDir would not enter a root that is a link
	}
	err := filepath.WalkDir(walkRoot, func(p string, d fs.DirEntry, err error) error {
		if l.ctx.Err() != nil {
			return filepath.SkipAll // given up on: LoadContext says so
		}
		display := root
		if rel, rerr := filepath.Rel(walkRoot, p); rerr == nil {
			display = filepath.Join(root, rel)
		}
		if err != nil {
			l.add(display, store.KindUnknown, osError(err))
			if d != nil && d.IsDir() && p != walkRoot {
				return filepath.SkipDir
			}
			return nil
		}
		if p != walkRoot && isHidden(d.Name()) {
			l.add(display, store.KindIgnored, nil)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() && p != walkRoot && isSavedPageFolder(d.Name(), func(page string) bool {
			fi, err := os.Stat(filepath.Join(filepath.Dir(p), page))
			return err == nil && fi.Mode().IsRegular()
		}) {
			l.add(display, store.KindIgnored, nil)
			return filepath.SkipDir
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			fi, err := os.Stat(p)
			switch {
			case err != nil:
				l.add(display, store.KindUnknown, fmt.Errorf("a link to nothing readable: %w", osError(err)))
				return nil
			case fi.IsDir():
				l.add(display, store.KindUnknown, errors.New("a link to a folder, which aomdoctor does not follow: name the folder itself"))
				return nil
			case !fi.Mode().IsRegular():
				l.add(display, store.KindUnknown, errors.New("not a regular file"))
				return nil
			}
		case !d.Type().IsRegular():
			l.add(display, store.KindUnknown, errors.New("not a regular file"))
			return nil
		}
		l.file(display, p)
		return nil
	})
	if err != nil {
		l.add(root, store.KindUnknown, osError(err))
	}
}

// file reads the file at osPath, shown to the user as display.
func (l *loader) file(display, osPath string) {
	if l.seen[display] || l.ctx.Err() != nil {
		return
	}
	l.seen[display] = true
	f, err := os.Open(osPath)
	if err != nil {
		l.add(display, store.KindUnknown, osError(err))
		return
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	head, err := readHead(f, size)
	if err != nil {
		l.add(display, store.KindUnknown, osError(err))
		return
	}
	if isZip(head) {
		fi, err := f.Stat()
		if err != nil {
			l.add(display, store.KindUnknown, osError(err))
			return
		}
		l.zipArchive(display, f, fi.Size(), 0)
		return
	}
	l.read(display, head, f)
}

// ctxReader fails once its context is done, so that any reader reading
// through it stops at its next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readHead reads the first SniffSize bytes of r, or all of a shorter r.
// size is r's length when known (negative when not), so that a small file
// does not cost a SniffSize buffer.
func readHead(r io.Reader, size int64) ([]byte, error) {
	limit := int64(SniffSize)
	if size >= 0 && size < limit {
		limit = size + 1 // one more, to see the end
	}
	head := make([]byte, limit)
	n, err := io.ReadFull(r, head)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return head[:n], err
}

// read sniffs one input from its head and reads it with its reader; rest is
// what follows head.
func (l *loader) read(display string, head []byte, rest io.Reader) {
	if IsManifest(display, head) {
		l.add(display, store.KindManifest, nil)
		return
	}
	kind := Sniff(head)
	it := loaded{in: store.Input{Path: display, Kind: kind}}
	rest = ctxReader{l.ctx, rest}
	r := io.MultiReader(bytes.NewReader(head), rest)
	switch read := readers[kind]; {
	case kind == store.KindSettingsHTML || kind == store.KindStorePage:
		it.in.Err = guard(func() (err error) {
			it.in.Kind, it.settings, it.pages, err = readHTML(display, kind, r)
			return err
		})
	case read != nil:
		it.settings, it.in.Err = safeRead(read, display, r)
		if kind == store.KindSettingsPHP && it.in.Err != nil && !l.named[display] && !mentionsSettingKey(head) {
			// Code (index.php, shop.php, a language file) in an install
			// folder the user pointed at: not settings, and not a problem.
			// A PHP file that names an AOM setting but could not be read,
			// or one named outright, was meant as settings: an error.
			it.in.Kind, it.in.Err = store.KindPHPCode, nil
		}
	case reportKinds[kind]:
		it.in.Err = guard(func() (err error) {
			it.reports, err = reports.Read(display, r, kind)
			return err
		})
	case kind == store.KindCartReports:
		it.in.Err = guard(func() (err error) {
			it.carts, it.links, err = cartmail.Read(display, r)
			return err
		})
	case kind == store.KindLinkList:
		it.in.Err = guard(func() (err error) {
			it.links, err = linklist.Read(display, r)
			return err
		})
	case kind == store.KindUnknown:
		it.in.Err = explainUnknown(head, rest)
	}
	l.items = append(l.items, it)
}

// safeRead reads settings all or nothing, guarded.
func safeRead(read func(string, io.Reader) (*store.Settings, error), name string, r io.Reader) (s *store.Settings, err error) {
	err = guard(func() (err error) {
		s, err = read(name, r)
		return err
	})
	if err != nil {
		s = nil // a file with an error is not half used
	}
	return s, err
}

// guard runs a reader so that a bug in it costs one input, not the run.
func guard(read func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error reading this file (please report it): %v", p)
		}
	}()
	return oneLine(read())
}

// oneLine makes a reader's gathered errors (several bad messages in one
// mailbox, say) read as one line after the file's name, instead of
// go-multierror's bulleted block.
func oneLine(err error) error {
	var merr *multierror.Error
	if errors.As(err, &merr) {
		merr.ErrorFormat = func(es []error) string {
			parts := make([]string, len(es))
			for i, e := range es {
				parts[i] = e.Error()
			}
			return strings.Join(parts, "; ")
		}
	}
	return err
}

// explainUnknown says why a file was not recognised, as precisely as it can
// tell without reading much of it.
func explainUnknown(head []byte, rest io.Reader) error {
	switch {
	case isBlank(head):
		if len(head) < SniffSize || isBlankStream(rest) {
			return errEmpty
		}
	case isUTF16(head):
		return errUTF16
	case looksBinary(head):
		return errBinary
	case len(head) == SniffSize && bytes.IndexByte(head, '\n') < 0:
		if !hasNewline(rest, maxLineSize-len(head)) {
			return errLongLine(1)
		}
	}
	return errUnknownKind
}

// isBlankStream reports whether r holds nothing but white space, reading at
// most maxSettingsSize of it.
func isBlankStream(r io.Reader) bool {
	br := bufio.NewReader(io.LimitReader(r, maxSettingsSize))
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err == io.EOF
		}
		if !isSpace(c) {
			return false
		}
	}
}

// hasNewline reports whether a newline comes within the next n bytes of r,
// or r ends first.
func hasNewline(r io.Reader, n int) bool {
	br := bufio.NewReader(io.LimitReader(r, int64(n)))
	for read := 0; ; {
		chunk, err := br.ReadSlice('\n')
		read += len(chunk)
		switch {
		case err == nil:
			return true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			return read < n
		default:
			return false
		}
	}
}

// StoreName is the name Load gives the store of paths: the folder or file
// the user named (a zip without its extension), or the folder holding them.
func StoreName(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	if len(paths) > 1 {
		if common := commonDir(paths); common != "" {
			return baseName(common)
		}
	}
	return baseName(paths[0])
}

func baseName(p string) string {
	p = filepath.Clean(p)
	if b := filepath.Base(p); b == "." || b == ".." || b == string(filepath.Separator) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
	}
	b := filepath.Base(p)
	if ext := filepath.Ext(b); strings.EqualFold(ext, ".zip") && len(b) > len(ext) {
		b = b[:len(b)-len(ext)]
	}
	return b
}

// commonDir is the deepest folder holding every path, or "" when that is
// the file system's root.
func commonDir(paths []string) string {
	var common []string
	for i, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return ""
		}
		parts := strings.Split(abs, string(filepath.Separator))
		if i == 0 {
			common = parts[:len(parts)-1]
			if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
				common = parts
			}
			continue
		}
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	dir := strings.Join(common, string(filepath.Separator))
	if len(common) <= 1 || dir == "" {
		return ""
	}
	return dir
}
