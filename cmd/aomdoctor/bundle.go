package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/evidence/redact"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// Flag names of the bundle command (--output is check's flgOutput).
const flgForce = "force"

// manifestName is the bundle's list of files, at its root. check and
// triage know it by its name and first line (evidence.IsManifest) and pass
// over it.
const manifestName = evidence.ManifestName

// maxBundleMember caps what is read of one file or zip member.
const maxBundleMember = 512 << 20

func bundleCommand() *cli.Command {
	return &cli.Command{
		Name:      "bundle",
		Usage:     "pack one store's evidence into a zip for support, with secrets and personal data taken out",
		ArgsUsage: "PATH... -o store.zip",
		Description: "PATH is a file, a folder or a .zip, as for check. The bundle holds every file check\n" +
			"reads, with the store's AWS secret key (in any file), email addresses, IP addresses and\n" +
			"names in mail headers replaced by placeholders, and a " + manifestName + " listing each file,\n" +
			"its kind and what was taken out of it. Every file keeps its lines, so check cites the same\n" +
			"lines in the bundle as in the folder. Hidden files and unreadable files are left out.\n" +
			"Flags may come before or after the paths.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flgOutput, Aliases: []string{"o"}, Usage: "write the bundle to `FILE` (a .zip)"},
			&cli.BoolFlag{Name: flgForce, Usage: "overwrite the output file if it exists"},
		},
		Action: runBundle,
	}
}

func runBundle(c *cli.Context) error {
	paths, out, force := c.Args().Slice(), c.String(flgOutput), c.Bool(flgForce)
	if len(paths) == 0 {
		return usageError("bundle needs at least one PATH: the store's evidence (for example 'aomdoctor bundle my-store/ -o my-store.zip')")
	}
	if out == "" {
		return usageError("bundle needs --%s FILE: where to write the zip", flgOutput)
	}
	if _, err := os.Stat(out); err == nil && !force {
		return usageError("%s already exists; use --%s to overwrite it", out, flgForce)
	}
	var buf bytes.Buffer
	sum, err := writeBundle(&buf, paths)
	if err != nil {
		return &exitError{code: checks.ExitBadInput, err: err}
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return &exitError{code: checks.ExitBadInput, err: fmt.Errorf("cannot write the bundle: %w", err)}
	}
	fmt.Fprintf(c.App.ErrWriter, "aomdoctor: wrote %s: %d files (%s), %d left out\n", out, sum.files, sum.redacted, sum.leftOut)
	if len(sum.secretsLeft) > 0 {
		fmt.Fprintf(c.App.ErrWriter, "aomdoctor: warning: a secret key setting of %s could not be found in its text and is still in the bundle: take it out by hand before sending\n",
			strings.Join(sum.secretsLeft, ", "))
	}
	return nil
}

type bundleSummary struct {
	files, leftOut int
	redacted       redact.Counts
	secretsLeft    []string // the files a secret key setting could not be taken out of
}

type bundleFile struct {
	name   string
	kind   store.Kind
	counts redact.Counts
	data   []byte
}

// writeBundle reads paths as check does and writes the redacted zip to w.
func writeBundle(w io.Writer, paths []string) (bundleSummary, error) {
	var sum bundleSummary
	st, _ := evidence.Load(paths)
	base := bundleBase(paths)
	var files []bundleFile
	var left []string
	names := newMemberNames(manifestName)
	// The store's secret key is taken out of every file, not only the
	// settings that set it: an owner may have saved it in a page or a list.
	// The IDs the store shows in its reports and links are no secret, even
	// typed into the secret key's field.
	red := redact.New()
	red.Public(publicIDs(st)...)
	for _, in := range st.Inputs {
		name := bundleName(base, in.Path)
		switch {
		case in.Kind == store.KindManifest:
			left = append(left, name+" (the manifest of an earlier bundle)")
			continue
		case in.Kind == store.KindIgnored || in.Kind == store.KindPHPCode:
			left = append(left, name+" (hidden or not evidence)")
			continue
		case in.Err != nil || in.Kind == store.KindUnknown:
			left = append(left, name+" (not read: "+errText(in.Err)+")")
			continue
		}
		data, err := readInput(in.Path)
		if err != nil {
			left = append(left, name+" (not read: "+err.Error()+")")
			continue
		}
		red.Learn(in.Kind, data)
		files = append(files, bundleFile{name: names.unique(name), kind: in.Kind, data: data})
	}
	for i, f := range files {
		files[i].data, files[i].counts = red.File(f.kind, f.data)
		sum.redacted.Add(files[i].counts)
		if files[i].counts.SecretsLeft > 0 {
			sum.secretsLeft = append(sum.secretsLeft, f.name)
		}
	}
	if len(files) == 0 {
		return sum, errors.New("nothing to bundle: no evidence aomdoctor reads was found in " + strings.Join(paths, ", ") + "; left out: " + strings.Join(left, "; "))
	}
	sum.files, sum.leftOut = len(files), len(left)

	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.Create(f.name)
		if err != nil {
			return sum, err
		}
		if _, err := fw.Write(f.data); err != nil {
			return sum, err
		}
	}
	fw, err := zw.Create(manifestName)
	if err != nil {
		return sum, err
	}
	if _, err := io.WriteString(fw, manifest(st.Name, files, left, sum.redacted)); err != nil {
		return sum, err
	}
	return sum, zw.Close()
}

// publicIDs are the IDs a store's reports and links carry: its tracking
// IDs, which are no secret.
func publicIDs(st *store.Store) []string {
	var out []string
	if st.Reports != nil {
		for id := range st.Reports.IDs {
			out = append(out, id)
		}
		for _, t := range st.Reports.Tracking {
			out = append(out, t.ID)
		}
	}
	for id := range st.Links.IDs() {
		out = append(out, id)
	}
	return out
}

// memberNames makes the names of a bundle's members unique, ignoring
// case: a zip unpacked on macOS or Windows holds one file for "manifest"
// and "MANIFEST", and one folder for "mail" and "Mail". A name taken by a
// file is not a folder's either, nor the other way round.
type memberNames struct {
	files map[string]bool   // lower-case names of files
	dirs  map[string]string // lower-case folders, as first written
}

func newMemberNames(reserved ...string) *memberNames {
	n := &memberNames{files: map[string]bool{}, dirs: map[string]string{}}
	for _, r := range reserved {
		n.files[strings.ToLower(r)] = true
	}
	return n
}

// unique returns name, or name with "-2", "-3", ... before its extension
// (on the file, or on a folder whose name a file took), and takes it.
func (n *memberNames) unique(name string) string {
	segs := strings.Split(name, "/")
	dir := ""
	for i, seg := range segs[:len(segs)-1] {
		p := path.Join(dir, seg)
		if d, ok := n.dirs[strings.ToLower(p)]; ok {
			dir = d // a folder already there: one spelling for it
			continue
		}
		for k := 2; n.files[strings.ToLower(p)]; k++ {
			p = path.Join(dir, fmt.Sprintf("%s-%d", segs[i], k))
		}
		n.dirs[strings.ToLower(p)] = p
		dir = p
	}
	base := segs[len(segs)-1]
	ext := path.Ext(base)
	if ext == base {
		ext = "" // ".htaccess" is a name, not an extension
	}
	p := path.Join(dir, base)
	for k := 2; n.files[strings.ToLower(p)] || n.dirs[strings.ToLower(p)] != ""; k++ {
		p = path.Join(dir, fmt.Sprintf("%s-%d%s", strings.TrimSuffix(base, ext), k, ext))
	}
	n.files[strings.ToLower(p)] = true
	return p
}

func errText(err error) string {
	if err == nil {
		return "not a kind aomdoctor reads"
	}
	return err.Error()
}

// manifest lists every file, its kind and what was taken out of it.
func manifest(storeName string, files []bundleFile, left []string, total redact.Counts) string {
	var b strings.Builder
	// The first line is how check and triage know a manifest
	// (evidence.IsManifest): keep it first and keep its start.
	fmt.Fprintf(&b, "%s%q\n", evidence.ManifestTitle, storeName)
	fmt.Fprintf(&b, "Secrets and personal data were replaced by placeholders: email addresses by\n"+
		"%s (the owner's, in the settings, by %s), IP addresses by\n"+
		"%s, names in mail headers by %s, and the AWS secret key by letters and\n"+
		"digits of the same shape: where the setting is, and in every file where it stands\n"+
		"whole, if it looks like a key. A secret key setting that holds an ID the store shows\n"+
		"in every link (its Associate ID or access key ID, typed into the wrong field) is no\n"+
		"secret and is left as it is. An IP address that is the host of a URL is a web\n"+
		"server's, not a visitor's, and stays. Every file keeps its lines.\n"+
		"Redacted in all: %s.\n\n",
		redact.Email, redact.OwnerEmail, redact.IP, redact.Name, total)
	b.WriteString("Files:\n")
	for _, f := range files {
		fmt.Fprintf(&b, "%s\t%s\tredacted: %s\n", f.name, f.kind, f.counts)
	}
	if len(left) > 0 {
		b.WriteString("\nLeft out:\n")
		for _, l := range left {
			fmt.Fprintf(&b, "%s\n", l)
		}
	}
	return b.String()
}

// bundleBase is the folder the bundle's names are relative to.
func bundleBase(paths []string) string {
	var dirs []string
	for _, p := range paths {
		p = filepath.Clean(p)
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && len(paths) == 1 {
			return p
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	sort.Strings(dirs)
	common := dirs[0]
	for _, d := range dirs[1:] {
		for common != "." && common != string(filepath.Separator) && !strings.HasPrefix(d+string(filepath.Separator), common+string(filepath.Separator)) {
			common = filepath.Dir(common)
		}
	}
	return common
}

// bundleName turns an input's path (zip members as archive!member) into a
// name inside the bundle.
func bundleName(base, p string) string {
	segs := strings.Split(p, "!")
	if rel, err := filepath.Rel(base, segs[0]); err == nil && !strings.HasPrefix(rel, "..") {
		segs[0] = rel
	}
	for i := range len(segs) - 1 {
		segs[i] = strings.TrimSuffix(strings.TrimSuffix(segs[i], ".zip"), ".ZIP")
	}
	name := path.Clean(filepath.ToSlash(strings.Join(segs, "/")))
	name = strings.TrimPrefix(name, "./")
	if name == "" {
		name = "evidence"
	}
	return name
}

// readInput reads an input by the path Load gave it: a file, or a member of
// a zip (archive!member), possibly of a zip in a zip. Load has already
// refused the archives that climb out, hold links or unpack too large.
func readInput(p string) ([]byte, error) {
	if _, err := os.Stat(p); err == nil || !strings.Contains(p, "!") {
		return readCapped(p)
	}
	segs := strings.Split(p, "!")
	data, err := readCapped(segs[0])
	if err != nil {
		return nil, err
	}
	for _, member := range segs[1:] {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		data = nil
		for _, f := range zr.File {
			if strings.ReplaceAll(f.Name, `\`, "/") != member {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			data, err = io.ReadAll(io.LimitReader(rc, maxBundleMember))
			rc.Close()
			if err != nil {
				return nil, err
			}
			break
		}
		if data == nil {
			return nil, fmt.Errorf("%s not found in the archive", member)
		}
	}
	return data, nil
}

func readCapped(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxBundleMember))
}
