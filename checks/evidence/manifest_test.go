package evidence

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

func TestIsManifest(t *testing.T) {
	const title = ManifestTitle + "\"my-store\"\nSecrets and personal data were replaced ...\n"
	tests := []struct {
		path, head string
		want       bool
	}{
		{"MANIFEST", title, true},
		{"bundles/my-store/MANIFEST", title, true},
		{"my-store.zip!MANIFEST", title, true},
		{`C:\bundles\my-store\MANIFEST`, title, true},
		{"manifest", title, true}, // a case-insensitive file system may lower it
		{"MANIFEST", "\xef\xbb\xbf" + title, true},
		{"MANIFEST", "", false},
		{"MANIFEST", "CACHE MANIFEST\n# a web app's cache manifest\n", false},
		{"MANIFEST", "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n", false},
		{"MANIFEST", "Files:\n" + title, false}, // the title must come first
		{"MANIFEST.txt", title, false},
		{".MANIFEST", title, false},
		{"notes.txt", title, false},
	}
	for _, tt := range tests {
		if got := IsManifest(tt.path, []byte(tt.head)); got != tt.want {
			t.Errorf("IsManifest(%q, %.30q) = %v, want %v", tt.path, tt.head, got, tt.want)
		}
	}
}

// TestLoadManifest checks that a bundle's manifest is an input of its own
// kind, read past without error, in a folder and in a zip, and that another
// file named MANIFEST is read as what it is.
func TestLoadManifest(t *testing.T) {
	manifest := ManifestTitle + "\"shop\"\n\nFiles:\nsettings.php\tsettings-php\tredacted: nothing\n"
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"shop/settings.php":    goodPHP,
		"shop/MANIFEST":        manifest,
		"other/settings.php":   goodPHP,
		"other/MANIFEST":       "https://www.amazon.com/dp/B00005N5PF?tag=gardenshop-20\n",
		"unknown/settings.php": goodPHP,
		"unknown/MANIFEST":     "Manifest-Version: 1.0\nCreated-By: 1.8.0 (Oracle Corporation)\n",
	})
	zipPath := filepath.Join(dir, "shop.zip")
	if err := os.WriteFile(zipPath, makeZip(t, zipEntry{name: "settings.php", data: goodPHP}, zipEntry{name: "MANIFEST", data: manifest}), 0o644); err != nil {
		t.Fatal(err)
	}
	kindOf := func(st *store.Store, suffix string) store.Input {
		t.Helper()
		for _, in := range st.Inputs {
			if filepath.Base(in.Path) == suffix || strings.HasSuffix(in.Path, "!"+suffix) {
				return in
			}
		}
		t.Fatalf("no input %s in %v", suffix, st.Inputs)
		return store.Input{}
	}
	for _, p := range []string{filepath.Join(dir, "shop"), zipPath, filepath.Join(dir, "shop", "MANIFEST")} {
		st, err := Load([]string{p})
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if in := kindOf(st, "MANIFEST"); in.Kind != store.KindManifest || in.Err != nil {
			t.Errorf("%s: the manifest is %s (%v), want %s without error", p, in.Kind, in.Err, store.KindManifest)
		}
		if !store.KindManifest.PassedOver() {
			t.Error("a manifest is not evidence: it must be passed over")
		}
	}
	st, err := Load([]string{filepath.Join(dir, "other")})
	if in := kindOf(st, "MANIFEST"); err != nil || in.Kind != store.KindLinkList || st.Links == nil {
		t.Errorf("a list of links named MANIFEST: %s, %v; want it read as a link list", in.Kind, err)
	}
	st, err = Load([]string{filepath.Join(dir, "unknown")})
	if in := kindOf(st, "MANIFEST"); err == nil || in.Kind != store.KindUnknown || in.Err == nil {
		t.Errorf("a Java MANIFEST: %s, %v; want it not recognised, with an error", in.Kind, err)
	}
}
