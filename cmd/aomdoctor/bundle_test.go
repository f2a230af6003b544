package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

var bundleStores = []string{"seed-story", "healthy-us", "id-typo-tracking", "healthy-quarter", "links-bad"}

func findingKeys(t *testing.T, paths []string) []string {
	t.Helper()
	st, _ := evidence.Load(paths)
	st.AsOf = store.DateOf(time.Date(2009, 10, 20, 0, 0, 0, 0, time.UTC))
	res := checks.RunWith(st, ruleSet(), nil, st.AsOf)
	var keys []string
	for _, f := range res.Findings {
		keys = append(keys, fmt.Sprintf("%s %s", f.Rule.Name, f.Severity))
	}
	sort.Strings(keys)
	return keys
}

// secretsOf collects the values no bundle may hold, from the fixture itself.
func secretsOf(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	secretRE := regexp.MustCompile(`AwsSecretKey'\]\['value'\] = "([^"]+)"|name="AwsSecretKey" value="([^"]+)"`)
	emailRE := regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	ipRE := regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	nameRE := regexp.MustCompile(`(?m)^(?:From|To|Reply-To): *"?([^"<\n]+?)"? *<`)
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, _ := os.ReadFile(p)
		s := string(b)
		for _, m := range secretRE.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1]+m[2])
		}
		if strings.HasSuffix(p, ".eml") || strings.HasSuffix(p, ".mbox") {
			out = append(out, emailRE.FindAllString(s, -1)...)
			out = append(out, ipRE.FindAllString(s, -1)...)
			for _, m := range nameRE.FindAllStringSubmatch(s, -1) {
				out = append(out, m[1]+" <") // the name as a display name; "Associate-O-Matic" is also the software's name in bodies
			}
		}
		return nil
	})
	return out
}

func TestBundleRedactsAndKeepsFindings(t *testing.T) {
	for _, name := range bundleStores {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("fixtures", "stores", name) // TestMain runs from the repository root
			out := filepath.Join(t.TempDir(), name+".zip")
			var stdout, stderr bytes.Buffer
			if code := run([]string{"aomdoctor", "bundle", dir, "-o", out}, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			zr, err := zip.OpenReader(out)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			var all strings.Builder
			var manifest string
			names := map[string]bool{}
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				all.Write(b)
				if f.Name == manifestName {
					manifest = string(b)
				} else {
					names[f.Name] = true
				}
			}
			text := all.String()
			for _, v := range secretsOf(t, dir) {
				if strings.Contains(text, v) {
					t.Errorf("%q survives in the bundle", v)
				}
			}
			st, _ := evidence.Load([]string{dir})
			if v, ok := st.Settings.Get("AmazonAssociateId"); ok && !strings.Contains(text, v.Text) {
				t.Errorf("associate ID %q lost", v.Text)
			}
			for n := range names {
				if !strings.Contains(manifest, n+"\t") {
					t.Errorf("MANIFEST does not list %s", n)
				}
			}
			if want, got := findingKeys(t, []string{dir}), findingKeys(t, []string{out}); strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("findings differ:\nfolder: %v\nbundle: %v", want, got)
			}
			if code := run([]string{"aomdoctor", "bundle", dir, "-o", out}, &stdout, &stderr); code != checks.ExitBadInput {
				t.Errorf("overwrite without --force: exit %d, want 2", code)
			}
		})
	}
}
