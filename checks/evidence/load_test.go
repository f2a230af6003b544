package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/go-multierror"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

const (
	goodPHP  = "<?php\n$cfg['AmazonAssociateId']['value'] = 'gardenshop-20';\n$cfg['AmazonAssociateId']['default'] = 'associatomati-20';\n"
	goodJSON = "{\"ShoppingCart\": \"No\", \"AmazonStoreType\": \"Amazon.com\"}"
	goodINI  = "AmazonConnectionMethod = soap\nAmazonStoreType = Amazon.ca\n"
)

// writeTree writes files (path: content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// zipEntry is one member of a test archive; raw members are written with
// the header as given, so that a test can lie in it.
type zipEntry struct {
	name string
	data string
	mode fs.FileMode
	raw  *zip.FileHeader
}

func makeZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		var err error
		if e.raw != nil {
			fw, err := w.CreateRaw(e.raw)
			if err == nil {
				_, err = fw.Write([]byte(e.data))
			}
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.data == "" {
			h.Method = zip.Store // a deflate writer per empty file makes 10,001 of them slow
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		fw, err := w.CreateHeader(h)
		if err == nil {
			_, err = fw.Write([]byte(e.data))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func inputsOf(st *store.Store) map[string]store.Input {
	out := map[string]store.Input{}
	for _, in := range st.Inputs {
		out[in.Path] = in
	}
	return out
}

func TestLoadFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gardenshop")
	writeTree(t, dir, map[string]string{
		"settings.txt":          goodPHP,  // PHP, whatever the name says
		"export.php":            goodJSON, // JSON, whatever the name says
		"sub/deeper/export.cfg": goodINI,
		"notes.md":              "Just some notes about the shop.\n",
		".hidden.php":           "garbage",
		".git/config":           "garbage",
		"Thumbs.db":             "\x00\x01garbage",
		"logo.dat":              string(pngBytes(t)),
	})
	st, err := Load([]string{dir})
	if st.Name != "gardenshop" {
		t.Errorf("Name = %q", st.Name)
	}
	var paths []string
	for _, in := range st.Inputs {
		paths = append(paths, strings.TrimPrefix(filepath.ToSlash(in.Path), filepath.ToSlash(dir)+"/"))
	}
	wantPaths := []string{".git", ".hidden.php", "Thumbs.db", "export.php", "logo.dat", "notes.md", "settings.txt", "sub/deeper/export.cfg"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("inputs %q, want %q", paths, wantPaths)
	}
	in := inputsOf(st)
	kinds := map[string]store.Kind{
		".git": store.KindIgnored, ".hidden.php": store.KindIgnored, "Thumbs.db": store.KindIgnored, "logo.dat": store.KindIgnored,
		"settings.txt": store.KindSettingsPHP, "export.php": store.KindSettingsJSON, "sub/deeper/export.cfg": store.KindSettingsINI,
		"notes.md": store.KindUnknown,
	}
	for p, k := range kinds {
		got := in[filepath.Join(dir, filepath.FromSlash(p))]
		if got.Kind != k {
			t.Errorf("%s: kind %s, want %s", p, got.Kind, k)
		}
		if (got.Err != nil) != (k == store.KindUnknown) {
			t.Errorf("%s: err %v", p, got.Err)
		}
	}
	// The unknown file is reported with what aomdoctor reads instead...
	notes := filepath.Join(dir, "notes.md")
	if err == nil || !strings.Contains(err.Error(), notes+": not a kind aomdoctor reads: expected AOM settings as PHP, a saved control-panel page (HTML), a JSON, YAML or key = value export, an Amazon Associates report") {
		t.Fatalf("error = %v", err)
	}
	var merr *multierror.Error
	if !errors.As(err, &merr) || len(merr.Errors) != 1 {
		t.Errorf("want one gathered error, got %v", err)
	}
	// ...while the good files still load, merged.
	checkValuesFrom(t, st.Settings,
		want{key: "AmazonAssociateId", text: "gardenshop-20", line: 2},
		want{key: "ShoppingCart", text: "No", line: 1},
		want{key: "AmazonConnectionMethod", text: "soap", line: 1},
		// Merged in path order: sub/deeper/export.cfg comes after export.php.
		want{key: "AmazonStoreType", text: "Amazon.ca", line: 2},
	)
	if got, want := st.Settings.Sources, []string{filepath.Join(dir, "export.php"), filepath.Join(dir, "settings.txt"), filepath.Join(dir, "sub/deeper/export.cfg")}; !reflect.DeepEqual(got, want) {
		t.Errorf("Sources = %q, want %q", got, want)
	}
}

// checkValuesFrom is checkValues for settings merged from several files.
func checkValuesFrom(t *testing.T, s *store.Settings, ws ...want) {
	t.Helper()
	if s == nil {
		t.Fatal("no settings")
	}
	for _, w := range ws {
		v, ok := s.Get(w.key)
		if !ok || v.Text != w.text || (w.line != 0 && v.Source.Line != w.line) {
			t.Errorf("%s = %+v, want %q on line %d", w.key, v, w.text, w.line)
		}
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"shop/a.php": goodPHP, "shop/b.json": goodJSON})
	a, b := filepath.Join(dir, "shop", "a.php"), filepath.Join(dir, "shop", "b.json")
	missing := filepath.Join(dir, "shop", "missing.php")

	st, err := Load([]string{b, a, missing, a})
	if st.Name != "shop" {
		t.Errorf("Name = %q, want the common folder", st.Name)
	}
	if len(st.Inputs) != 3 || st.Inputs[0].Path != a || st.Inputs[1].Path != b || st.Inputs[2].Path != missing {
		t.Errorf("inputs = %+v: want a, b, missing once each, sorted", st.Inputs)
	}
	if err == nil || !strings.Contains(err.Error(), missing+": no such file or folder") {
		t.Errorf("error = %v", err)
	}
	if st.Settings.Len() != 3 {
		t.Errorf("settings %v", st.Settings.Values())
	}

	st, err = Load([]string{a})
	if err != nil || st.Name != "a.php" || st.Settings == nil {
		t.Errorf("one file: name %q, err %v", st.Name, err)
	}

	// A hidden file named outright is read: the user asked for it.
	hidden := filepath.Join(dir, ".settings")
	writeTree(t, dir, map[string]string{".settings": goodPHP})
	st, err = Load([]string{hidden})
	if err != nil || st.Inputs[0].Kind != store.KindSettingsPHP {
		t.Errorf("hidden file named outright: %+v, %v", st.Inputs, err)
	}

	// No settings input at all: nil settings, not empty ones.
	img := filepath.Join(dir, "logo.png")
	writeTree(t, dir, map[string]string{"logo.png": string(pngBytes(t))})
	st, err = Load([]string{img})
	if err != nil || st.Settings != nil || st.Inputs[0].Kind != store.KindIgnored {
		t.Errorf("image only: %+v, settings %v, err %v", st.Inputs, st.Settings, err)
	}

	// A settings file that fails gives no settings, but is still an input.
	bad := filepath.Join(dir, "bad.php")
	writeTree(t, dir, map[string]string{"bad.php": "<?php $cfg['AmazonAssociateId'] = 'x"})
	st, err = Load([]string{bad, a})
	if err == nil || st.Settings == nil || st.Settings.Len() != 1 || len(st.Settings.Sources) != 1 {
		t.Errorf("one bad, one good: settings %v, err %v", st.Settings, err)
	}
}

func TestLoadNothing(t *testing.T) {
	st, err := Load(nil)
	if err != nil || st.Settings != nil || len(st.Inputs) != 0 || st.Inputs == nil {
		t.Errorf("Load(nil) = %+v, %v", st, err)
	}
}

func TestLoadZip(t *testing.T) {
	dir := t.TempDir()
	inner := makeZip(t, zipEntry{name: "inner.ini", data: goodINI}, zipEntry{name: "deeper.zip", data: string(makeZip(t, zipEntry{name: "x.php", data: goodPHP}))})
	data := makeZip(t,
		zipEntry{name: "store/settings.php", data: goodPHP},
		zipEntry{name: "store/export", data: goodJSON},
		zipEntry{name: "store/", data: ""},
		zipEntry{name: "__MACOSX/store/._settings.php", data: "\x00\x05\x16\x07"},
		zipEntry{name: "store/.DS_Store", data: "\x00\x00\x00\x01Bud1"},
		zipEntry{name: "store/logo.png", data: string(pngBytes(t))},
		zipEntry{name: "store/readme.txt", data: "hello"},
		zipEntry{name: "bundle.zip", data: string(inner)},
		zipEntry{name: "../evil.php", data: goodPHP},
		zipEntry{name: "/etc/passwd", data: goodPHP},
		zipEntry{name: `..\windows.php`, data: goodPHP},
		zipEntry{name: "link.php", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777},
	)
	zpath := filepath.Join(dir, "evidence.ZIP")
	if err := os.WriteFile(zpath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Load([]string{zpath})
	if st.Name != "evidence" {
		t.Errorf("Name = %q", st.Name)
	}
	in := inputsOf(st)
	m := func(name string) store.Input { return in[zpath+"!"+name] }
	for name, k := range map[string]store.Kind{
		"store/settings.php": store.KindSettingsPHP, "store/export": store.KindSettingsJSON,
		"__MACOSX/store/._settings.php": store.KindIgnored, "store/.DS_Store": store.KindIgnored, "store/logo.png": store.KindIgnored,
		"bundle.zip!inner.ini": store.KindSettingsINI,
	} {
		if got := m(name); got.Kind != k || got.Err != nil {
			t.Errorf("%s: %+v, want %s and no error", name, got, k)
		}
	}
	if _, ok := in[zpath+"!store/"]; ok {
		t.Error("a folder entry became an input")
	}
	for name, msg := range map[string]string{
		"store/readme.txt":      "not a kind aomdoctor reads",
		"bundle.zip!deeper.zip": "a zip inside a zip inside a zip",
		"../evil.php":           `the member's path "../evil.php" climbs out of the archive; refusing it`,
		"/etc/passwd":           `the member's path "/etc/passwd" is absolute; refusing it`,
		"../windows.php":        "climbs out of the archive",
		"link.php":              "a symbolic link in the archive; refusing it",
	} {
		got := m(name)
		if got.Err == nil || !strings.Contains(got.Err.Error(), msg) {
			t.Errorf("%s: error %v, want %q", name, got.Err, msg)
		}
		if err == nil || !strings.Contains(err.Error(), zpath+"!"+name+": ") {
			t.Errorf("the gathered error does not name %s: %v", name, err)
		}
	}
	checkValuesFrom(t, st.Settings,
		want{key: "AmazonAssociateId", text: "gardenshop-20", line: 2},
		want{key: "ShoppingCart", text: "No"},
		want{key: "AmazonConnectionMethod", text: "soap"},
	)
	v, _ := st.Settings.Get("AmazonAssociateId")
	if v.Source.Path != zpath+"!store/settings.php" {
		t.Errorf("source %q, want the member's name", v.Source.Path)
	}
	// The refused members must not have been read.
	if len(st.Settings.Sources) != 3 {
		t.Errorf("sources %q", st.Settings.Sources)
	}
}

func TestLoadZipInFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a/evidence.bin": string(makeZip(t, zipEntry{name: "s.php", data: goodPHP}))})
	st, err := Load([]string{dir})
	if err != nil || len(st.Inputs) != 1 || st.Inputs[0].Path != filepath.Join(dir, "a", "evidence.bin")+"!s.php" {
		t.Fatalf("inputs %+v, err %v", st.Inputs, err)
	}
}

func TestLoadZipBombs(t *testing.T) {
	random := make([]byte, 1<<20)
	rand.New(rand.NewSource(1)).Read(random)
	compress := func(b []byte) []byte { // raw deflate, as a zip stores it
		var out bytes.Buffer
		w := zip.NewWriter(&out)
		fw, _ := w.CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Deflate})
		fw.Write(b)
		w.Close()
		zr, _ := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
		rc, _ := zr.File[0].OpenRaw()
		raw := new(bytes.Buffer)
		raw.ReadFrom(rc)
		return raw.Bytes()
	}
	rawRandom := compress(random)
	zeros := bytes.Repeat([]byte{0}, 1<<20)
	padded := "AmazonAssociateId = gardenshop-20\n" + strings.Repeat("; padding\n", 100_000)
	rawPadded := compress([]byte(padded))
	tests := []struct {
		name    string
		data    []byte
		path    string // the input that carries the error
		want    string
		loadsOK bool // the good member beside it still loads
	}{
		{"honest bomb", makeZip(t, zipEntry{name: "bomb.php", data: string(zeros)}, zipEntry{name: "ok.php", data: goodPHP}),
			"!bomb.php", "compression ratio over 200:1", true},
		{"lying header, small declared", makeZip(t,
			zipEntry{raw: &zip.FileHeader{Name: "liar.ini", Method: zip.Deflate, CompressedSize64: uint64(len(rawPadded)), UncompressedSize64: uint64(len(rawPadded) * 100)}, data: string(rawPadded)},
			zipEntry{name: "ok.php", data: goodPHP}),
			"!liar.ini", "does not match its header", true},
		{"total over 512 MiB", makeZip(t,
			zipEntry{raw: &zip.FileHeader{Name: "a.csv", Method: zip.Deflate, CompressedSize64: uint64(len(rawRandom)), UncompressedSize64: 190 << 20}, data: string(rawRandom)},
			zipEntry{raw: &zip.FileHeader{Name: "b.csv", Method: zip.Deflate, CompressedSize64: uint64(len(rawRandom)), UncompressedSize64: 190 << 20}, data: string(rawRandom)},
			zipEntry{raw: &zip.FileHeader{Name: "c.csv", Method: zip.Deflate, CompressedSize64: uint64(len(rawRandom)), UncompressedSize64: 190 << 20}, data: string(rawRandom)}),
			"", "would unpack to more than 512 MiB; refusing a possible zip bomb", false},
		{"too many files", func() []byte {
			es := make([]zipEntry, 10_001)
			for i := range es {
				es[i] = zipEntry{name: "f" + strconv.Itoa(i)}
			}
			return makeZip(t, es...)
		}(), "", "holds 10001 files, more than 10000", false},
		{"corrupt", []byte("PK\x03\x04 this is not really a zip"), "", "not a readable zip archive", false},
		{"empty", makeZip(t), "", "the zip archive holds no files", false},
		{"office document", makeZip(t, zipEntry{name: "[Content_Types].xml", data: "<Types/>"}), "", "an Office document", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zpath := filepath.Join(t.TempDir(), "bomb.zip")
			if err := os.WriteFile(zpath, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			st, err := Load([]string{zpath})
			if err == nil || !strings.Contains(err.Error(), zpath+tc.path+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q for %s", err, tc.want, zpath+tc.path)
			}
			if tc.loadsOK != (st.Settings != nil) {
				t.Errorf("settings %v, want loaded %v", st.Settings, tc.loadsOK)
			}
		})
	}
}

func TestLoadSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"real/settings.php": goodPHP, "shop/x.json": goodJSON})
	if err := os.Symlink(filepath.Join(dir, "real", "settings.php"), filepath.Join(dir, "shop", "linked.php")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "shop", "linked-dir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "shop"), filepath.Join(dir, "shop-link")); err != nil {
		t.Fatal(err)
	}
	st, err := Load([]string{filepath.Join(dir, "shop-link")})
	in := inputsOf(st)
	if got := in[filepath.Join(dir, "shop-link", "linked.php")]; got.Kind != store.KindSettingsPHP || got.Err != nil {
		t.Errorf("link to a file: %+v", got)
	}
	if got := in[filepath.Join(dir, "shop-link", "linked-dir")]; got.Err == nil || !strings.Contains(got.Err.Error(), "a link to a folder") {
		t.Errorf("link to a folder: %+v", got)
	}
	if err == nil || st.Settings.Len() != 3 {
		t.Errorf("settings %v, err %v", st.Settings.Values(), err)
	}
}

func TestStoreName(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"s/a/x.php": "", "s/b/y.php": ""})
	tests := []struct {
		paths []string
		want  string
	}{
		{[]string{"stores/garden.zip"}, "garden"},
		{[]string{"stores/garden/"}, "garden"},
		{[]string{filepath.Join(dir, "s/a/x.php"), filepath.Join(dir, "s/b/y.php")}, "s"},
		{[]string{filepath.Join(dir, "s/a"), filepath.Join(dir, "s/a/x.php")}, "a"},
		{[]string{"/a.php", "/b.php"}, "a.php"},
	}
	for _, tc := range tests {
		if got := StoreName(tc.paths); got != tc.want {
			t.Errorf("StoreName(%q) = %q, want %q", tc.paths, got, tc.want)
		}
	}
	wd, _ := os.Getwd()
	if got := StoreName([]string{"."}); got != filepath.Base(wd) {
		t.Errorf("StoreName(.) = %q, want %q", got, filepath.Base(wd))
	}
}

// A load given up on stops: no file is read once its context is done, and
// the error says why the store is incomplete.
func TestLoadContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := LoadContext(ctx, []string{"../../fixtures/stores/seed-story"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if len(st.Inputs) != 0 || st.Settings != nil || st.Reports != nil || st.Carts != nil {
		t.Errorf("read after cancel: %d inputs", len(st.Inputs))
	}
	// A reader already reading stops at its next read.
	r := ctxReader{ctx, strings.NewReader("Date,Clicks\n")}
	if _, err := r.Read(make([]byte, 4)); !errors.Is(err, context.Canceled) {
		t.Errorf("read after cancel: %v", err)
	}
}

// Pointed at an AOM install folder, the loader passes over AOM's own PHP code
// (files with no settings in them) without calling it a problem; the same
// file named outright was meant as settings, and is an error.
func TestLoadPassesOverPHPCode(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "settings.php"), []byte("<?php\n$cfg['AmazonAssociateId']['value'] = \"gardenshop-20\";\n"), 0o644)
	code := filepath.Join(dir, "index.php")
	os.WriteFile(code, []byte("<?php\nrequire_once 'includes/config.php';\n$page = new ShopPage($_GET);\necho $page->render();\n"), 0o644)
	st, err := Load([]string{dir})
	if err != nil {
		t.Fatalf("folder: %v", err)
	}
	kinds := map[string]store.Kind{}
	for _, in := range st.Inputs {
		kinds[filepath.Base(in.Path)] = in.Kind
	}
	if kinds["index.php"] != store.KindPHPCode || kinds["settings.php"] != store.KindSettingsPHP {
		t.Errorf("kinds %v", kinds)
	}
	if v, ok := st.Settings.Get("AmazonAssociateId"); !ok || v.Text != "gardenshop-20" {
		t.Errorf("settings not read: %v", v)
	}
	if _, err := Load([]string{code}); err == nil || !strings.Contains(err.Error(), "no settings assignments found") {
		t.Errorf("named outright: %v", err)
	}

	// Code with assignments of its own (a language file, a version) is
	// passed over too; a file that names an AOM setting but cannot be read
	// as settings stays a problem, wherever it was met.
	os.WriteFile(filepath.Join(dir, "lang.php"), []byte("<?php\n$lang['home'] = 'Home';\ndefine('AOM_VERSION', '5.1.0');\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "config.php"), []byte("<?php\n$AmazonAssociateId = \"gardenshop-20\";\n"), 0o644)
	st, err = Load([]string{dir})
	kinds = map[string]store.Kind{}
	for _, in := range st.Inputs {
		kinds[filepath.Base(in.Path)] = in.Kind
	}
	if kinds["lang.php"] != store.KindPHPCode {
		t.Errorf("lang.php taken for %s", kinds["lang.php"])
	}
	if err == nil || !strings.Contains(err.Error(), "config.php") {
		t.Errorf("a settings file that cannot be read is not an error: %v", err)
	}
}
