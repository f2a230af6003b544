package evidence

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Zips come from strangers' mail and downloads, so nothing in one is trusted:
// its members are never written to disk, a member whose path climbs out of
// the archive or that is a link is refused, and the sizes its headers
// declare are checked before anything is unpacked, while reads are capped
// so that a header that lies cannot make one either.
const (
	maxZipFiles  = 10_000
	maxZipTotal  = 512 << 20
	maxZipRatio  = 200
	maxNestedZip = 64 << 20
)

// Evidence is often zipped twice (a mailed zip of a folder that held the
// Associates report download, itself a zip), so a zip inside a zip is read as
// a zip, one level deep; a deeper one is reported, not unpacked.
const maxZipDepth = 1

var (
	errNestedTooDeep = errors.New("a zip inside a zip inside a zip: unpack the outer archives and name the inner one")
	errMemberData    = errors.New("the member's data does not match its header (a damaged archive or a zip bomb)")
)

// isZip reports whether head starts like a zip archive (or an empty one).
func isZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
}

// zipArchive reads every member of the archive ra of size bytes, naming each
// display!member.
func (l *loader) zipArchive(display string, ra io.ReaderAt, size int64, depth int) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		l.add(display, store.KindUnknown, fmt.Errorf("not a readable zip archive: %w", err))
		return
	}
	if err := checkArchive(zr); err != nil {
		l.add(display, store.KindUnknown, err)
		return
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	names := map[string]bool{}
	for _, f := range files {
		names[strings.ReplaceAll(f.Name, `\`, "/")] = true
	}
	members := 0
	for _, f := range files {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if strings.HasSuffix(name, "/") || f.FileInfo().IsDir() {
			continue
		}
		members++
		mp := display + "!" + name
		if err := checkMember(f, name); err != nil {
			l.add(mp, store.KindUnknown, err)
			continue
		}
		if hiddenMember(name) || inSavedPageFolder(name, names) {
			l.add(mp, store.KindIgnored, nil)
			continue
		}
		l.zipMember(mp, f, depth)
	}
	if members == 0 {
		l.add(display, store.KindUnknown, errors.New("the zip archive holds no files"))
	}
}

// checkArchive refuses an archive as a whole by what its headers declare.
func checkArchive(zr *zip.Reader) error {
	if n := len(zr.File); n > maxZipFiles {
		return fmt.Errorf("the zip archive holds %d files, more than %d: unpack it and name the evidence files", n, maxZipFiles)
	}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" {
			return errors.New("an Office document (a zip of XML parts), not a kind aomdoctor reads: save spreadsheets as CSV")
		}
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxZipTotal || total < f.UncompressedSize64 {
			return fmt.Errorf("the zip archive would unpack to more than %d MiB; refusing a possible zip bomb (unpack it and name the evidence files)", maxZipTotal>>20)
		}
	}
	return nil
}

// checkMember refuses one member by its name and header.
func checkMember(f *zip.File, name string) error {
	switch {
	case path.IsAbs(name) || len(name) >= 2 && name[1] == ':':
		return fmt.Errorf("the member's path %q is absolute; refusing it", f.Name)
	case hasDotDot(name):
		return fmt.Errorf("the member's path %q climbs out of the archive; refusing it", f.Name)
	case f.Mode()&fs.ModeSymlink != 0:
		return errors.New("a symbolic link in the archive; refusing it")
	case f.Flags&0x1 != 0:
		return errors.New("encrypted (password-protected) in the archive; aomdoctor cannot read it")
	case f.UncompressedSize64 > 0 && (f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > maxZipRatio):
		return fmt.Errorf("compression ratio over %d:1 (%d bytes packed into %d); refusing a possible zip bomb", maxZipRatio, f.UncompressedSize64, f.CompressedSize64)
	}
	return nil
}

func hasDotDot(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// inSavedPageFolder tells a member inside a browser's "Page_files" folder
// whose page is in the archive beside it (see isSavedPageFolder).
func inSavedPageFolder(name string, names map[string]bool) bool {
	segs := strings.Split(name, "/")
	for i := range len(segs) - 1 {
		dir := strings.Join(segs[:i], "/")
		if dir != "" {
			dir += "/"
		}
		if isSavedPageFolder(segs[i], func(page string) bool { return names[dir+page] }) {
			return true
		}
	}
	return false
}

func hiddenMember(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if isHidden(seg) {
			return true
		}
	}
	return false
}

// zipMember reads one member, or the archive it is.
func (l *loader) zipMember(mp string, f *zip.File, depth int) {
	if l.ctx.Err() != nil {
		return
	}
	rc, err := f.Open()
	if err != nil {
		if errors.Is(err, zip.ErrAlgorithm) {
			err = fmt.Errorf("compression method %d is not supported", f.Method)
		}
		l.add(mp, store.KindUnknown, err)
		return
	}
	defer rc.Close()
	r := &memberReader{r: rc, left: int64(min(f.UncompressedSize64, maxZipTotal))}
	head, err := readHead(r, r.left)
	if err != nil {
		l.add(mp, store.KindUnknown, err)
		return
	}
	if !isZip(head) {
		l.read(mp, head, r)
		return
	}
	switch {
	case depth >= maxZipDepth:
		l.add(mp, store.KindUnknown, errNestedTooDeep)
		return
	case f.UncompressedSize64 > maxNestedZip:
		l.add(mp, store.KindUnknown, fmt.Errorf("a zip inside the zip of more than %d MiB: unpack it and name it", maxNestedZip>>20))
		return
	}
	// archive/zip needs random access, so the inner zip is held in memory;
	// its size is capped above.
	rest, err := io.ReadAll(r)
	if err != nil {
		l.add(mp, store.KindUnknown, err)
		return
	}
	data := append(head, rest...)
	l.zipArchive(mp, bytes.NewReader(data), int64(len(data)), depth+1)
}

// memberReader reads a member no further than its header promised, and says
// plainly when the data does not match the header.
type memberReader struct {
	r    io.Reader
	left int64
}

func (m *memberReader) Read(p []byte) (int, error) {
	if m.left <= 0 {
		// One byte more than promised is a lie; the end here is the truth,
		// once archive/zip has checked the checksum.
		var one [1]byte
		n, err := m.r.Read(one[:])
		switch {
		case n > 0:
			return 0, errMemberData
		case err != nil && err != io.EOF:
			return 0, memberError(err)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > m.left {
		p = p[:m.left]
	}
	n, err := m.r.Read(p)
	m.left -= int64(n)
	if err != nil && err != io.EOF {
		err = memberError(err)
	}
	return n, err
}

func memberError(err error) error {
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errMemberData
	}
	return err
}
