package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/quotedprintable"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/aomdoctor/aomdoctor/checks"
	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/evidence/redact"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// fixtureStores lists every fixture store folder.
func fixtureStores(t *testing.T) []string {
	t.Helper()
	dirs, _ := filepath.Glob("fixtures/stores/*") // TestMain runs from the repository root
	var out []string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixture stores")
	}
	return out
}

// bundleArgs are the options a fixture store is checked with: its .expect
// file's @args, and its own config named outright (a bundle leaves the
// hidden .aomdoctor.yml out, and a zip's folder has none).
func bundleArgs(t *testing.T, dir string) []string {
	t.Helper()
	args := storeArgs(t, dir)
	if len(args) == 0 {
		args = []string{"--as-of", "2009-10-20"}
	}
	if cfg := filepath.Join(dir, checks.ConfigFile); fileExists(cfg) {
		args = append(args, "--config", cfg)
	}
	return args
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// bundleOf bundles dir into a zip in a temporary folder and returns its path.
func bundleOf(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	// Not t.TempDir(): a finding quotes a page by its path, and masks one
	// that looks like a secret key, as the test's name in mixed case does.
	tmp, err := os.MkdirTemp("", "aomdoctor-bundle")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	out := filepath.Join(tmp, filepath.Base(dir)+".zip")
	args := append([]string{"bundle", dir, "-o", out}, extra...)
	if _, stderr, code := runCLI(args...); code != 0 {
		t.Fatalf("bundle %s: exit %d: %s", dir, code, stderr)
	}
	return out
}

// checkJSON is what the bundle tests compare of 'check --format json'.
type checkJSON struct {
	Store struct {
		Name   string `json:"name"`
		Inputs []struct {
			Path  string `json:"path"`
			Kind  string `json:"kind"`
			Error string `json:"error"`
		} `json:"inputs"`
	} `json:"store"`
	Findings []jsonFinding `json:"findings"`
	Ignored  []jsonFinding `json:"ignored"`
}

type jsonFinding struct {
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Evidence []struct {
		Path  string `json:"path"`
		Line  int    `json:"line"`
		Field string `json:"field"`
	} `json:"evidence"`
}

func checkAsJSON(t *testing.T, args ...string) (checkJSON, int) {
	t.Helper()
	stdout, stderr, code := runCLI(append([]string{"check", "--format", "json"}, args...)...)
	var rep checkJSON
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("check %v: not JSON (%v); stderr:\n%s", args, err, stderr)
	}
	return rep, code
}

// secretQuote is how a finding quotes the secret key: its first four
// characters, which in a bundle are the placeholder's.
var secretQuote = regexp.MustCompile(`secret key "[^"]{4}…"`)

// findingLines are a result's findings and ignored findings as "name
// severity message [path:line field, ...]", sorted, with the folder or zip
// the evidence is in taken out of the messages and the evidence's paths,
// and the quoted start of the secret key normalised. A bundle keeps every
// file's lines, so the evidence cites the same line of the same file.
func findingLines(rep checkJSON, prefixes ...string) []string {
	strip := func(s string) string {
		for _, p := range prefixes {
			s = strings.ReplaceAll(s, p, "")
		}
		return s
	}
	var out []string
	for _, list := range [][]jsonFinding{rep.Findings, rep.Ignored} {
		for _, f := range list {
			msg := secretQuote.ReplaceAllString(strip(f.Message), `secret key "…"`)
			var ev []string
			for _, e := range f.Evidence {
				// A zip inside the store is a folder in the bundle.
				p := strings.ReplaceAll(filepath.ToSlash(strip(e.Path)), ".zip!", "/")
				ev = append(ev, fmt.Sprintf("%s:%d %s", p, e.Line, e.Field))
			}
			out = append(out, f.Name+" "+f.Severity+" "+msg+" ["+strings.Join(ev, ", ")+"]")
		}
	}
	sort.Strings(out)
	return out
}

// TestBundleKeepsFindings bundles every fixture store and checks that
// check gives the bundle the findings it gives the folder, and reads every
// file of it, the manifest as a manifest.
func TestBundleKeepsFindings(t *testing.T) {
	for _, dir := range fixtureStores(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			zipPath := bundleOf(t, dir)
			args := bundleArgs(t, dir)
			orig, origCode := checkAsJSON(t, append(args, dir)...)
			bund, bundCode := checkAsJSON(t, append(args, zipPath)...)
			want := findingLines(orig, dir+string(filepath.Separator), dir+"/")
			got := findingLines(bund, zipPath+"!")
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("findings differ:\nfolder:\n  %s\nbundle:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
			}
			if origCode != bundCode {
				t.Errorf("exit %d on the folder, %d on the bundle", origCode, bundCode)
			}
			if bund.Store.Name != orig.Store.Name {
				t.Errorf("the bundle's store is named %q, the folder's %q", bund.Store.Name, orig.Store.Name)
			}
			manifests := 0
			for _, in := range bund.Store.Inputs {
				if in.Error != "" {
					t.Errorf("%s: %s", in.Path, in.Error)
				}
				if in.Kind == string(store.KindManifest) {
					manifests++
					if in.Path != zipPath+"!"+evidence.ManifestName {
						t.Errorf("the manifest is %s, want it at the bundle's root", in.Path)
					}
				}
			}
			if manifests != 1 {
				t.Errorf("%d inputs taken for the manifest, want 1", manifests)
			}
			if _, _, code := runCLI("bundle", dir, "-o", zipPath); code != checks.ExitBadInput {
				t.Errorf("overwrite without --force: exit %d, want 2", code)
			}
			if _, stderr, code := runCLI("bundle", "--force", dir, "-o", zipPath); code != 0 {
				t.Errorf("overwrite with --force: exit %d: %s", code, stderr)
			}
		})
	}
}

// TestBundleTextReport checks that the manifest is listed for what it is
// and not counted as a file read.
func TestBundleTextReport(t *testing.T) {
	dir := "fixtures/stores/seed-story"
	zipPath := bundleOf(t, dir)
	want, _, _ := runCLI("check", "--as-of", "2009-10-20", dir)
	got, _, _ := runCLI("check", "--verbose", "--as-of", "2009-10-20", zipPath)
	first := func(s string) string { return strings.SplitN(s, "\n", 2)[0] }
	if first(got) != first(want) {
		t.Errorf("the bundle's first line %q differs from the folder's %q", first(got), first(want))
	}
	if !strings.Contains(got, evidence.ManifestName+": aomdoctor bundle manifest") {
		t.Errorf("--verbose does not list the manifest as one:\n%s", got)
	}
	md, _, _ := runCLI("check", "-f", "markdown", "--as-of", "2009-10-20", zipPath)
	if !strings.Contains(md, "8 files read") {
		t.Errorf("the markdown report counts the manifest as read:\n%s", md)
	}
}

// TestTriageOfBundles checks that triage gives a folder of bundles the
// findings it gives the stores' folders.
func TestTriageOfBundles(t *testing.T) {
	// Not with-config: its .aomdoctor.yml is hidden and stays out of the
	// bundle, so triage of the bundle judges it without the owner's ignores.
	stores := []string{"seed-story", "healthy-quarter", "id-typo-tracking", "pages-wrong-id", "links-bad", "aws-keys-bad"}
	bundles, err := os.MkdirTemp("", "aomdoctor-bundles")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(bundles)
	var targets []string
	for _, s := range stores {
		dir := filepath.Join("fixtures", "stores", s)
		targets = append(targets, dir)
		if _, stderr, code := runCLI("bundle", dir, "-o", filepath.Join(bundles, s+".zip")); code != 0 {
			t.Fatalf("bundle %s: exit %d: %s", s, code, stderr)
		}
	}
	list := filepath.Join(t.TempDir(), "targets.txt")
	if err := os.WriteFile(list, []byte(strings.Join(targets, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	perStore := func(args ...string) (map[string][]string, int) {
		stdout, stderr, code := runCLI(append([]string{"triage", "--format", "jsonl", "--as-of", "2009-11-05"}, args...)...)
		out := map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
			var rep checkJSON
			if err := json.Unmarshal([]byte(line), &rep); err != nil {
				t.Fatalf("triage %v: %v in %q; stderr:\n%s", args, err, line, stderr)
			}
			for _, in := range rep.Store.Inputs {
				if in.Error != "" {
					t.Errorf("triage %v: %s: %s", args, in.Path, in.Error)
				}
			}
			dir := filepath.Join("fixtures", "stores", rep.Store.Name)
			out[rep.Store.Name] = findingLines(rep, dir+"/", filepath.Join(bundles, rep.Store.Name+".zip")+"!")
		}
		return out, code
	}
	want, wantCode := perStore("--targets", list)
	got, gotCode := perStore(bundles)
	if len(want) != len(stores) || len(got) != len(stores) {
		t.Fatalf("%d stores from the folders and %d from the bundles, want %d each", len(want), len(got), len(stores))
	}
	for _, s := range stores {
		if strings.Join(want[s], "\n") != strings.Join(got[s], "\n") {
			t.Errorf("%s: findings differ:\nfolder:\n  %s\nbundle:\n  %s", s, strings.Join(want[s], "\n  "), strings.Join(got[s], "\n  "))
		}
	}
	if wantCode != gotCode {
		t.Errorf("triage exits %d on the folders, %d on the bundles", wantCode, gotCode)
	}
}

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	ipv4Pattern  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	ipv6Pattern  = regexp.MustCompile(`(?i)\b(?:[0-9a-f]{1,4}:){2,7}:?[0-9a-f]{1,4}\b`)
	namePattern  = regexp.MustCompile(`(?mi)^(?:From|To|Cc|Reply-To|Sender):[ \t]*"?([^"<\r\n]+?)"?[ \t]*<`)
	b64Line      = regexp.MustCompile(`^[A-Za-z0-9+/=]{16,}\r?$`)
)

// views are the ways a person could read a file's text: as it is, its
// UTF-16 decoded, its base64 blocks and quoted-printable decoded, URL and
// HTML escapes undone. A value hidden by an encoding still shows in one.
func views(data []byte) []string {
	s := string(data)
	if len(data) >= 2 && (data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff) {
		u := make([]uint16, (len(data)-2)/2)
		for i := range u {
			lo, hi := data[2+2*i], data[3+2*i]
			if data[0] == 0xfe {
				lo, hi = hi, lo
			}
			u[i] = uint16(lo) | uint16(hi)<<8
		}
		s = string(utf16.Decode(u))
	}
	out := []string{s, html.UnescapeString(s)}
	if qp, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s))); err == nil {
		out = append(out, string(qp))
	}
	if u, err := url.QueryUnescape(s); err == nil {
		out = append(out, u)
	}
	var block strings.Builder
	flush := func() {
		if b, err := base64.StdEncoding.DecodeString(block.String()); err == nil && len(b) > 0 {
			out = append(out, string(b))
		}
		block.Reset()
	}
	for _, l := range strings.Split(s, "\n") {
		if b64Line.MatchString(l) {
			block.WriteString(strings.TrimSpace(l))
			continue
		}
		flush()
	}
	flush()
	return out
}

// personalValues collects, from a fixture store's files, every value no
// bundle of it may hold: the AWS secret key (as the settings readers read
// it), every email and IP address in any file, and the display names in
// mail headers.
func personalValues(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" {
			seen[v] = true
		}
	}
	st, _ := evidence.Load([]string{dir})
	for _, in := range st.Inputs {
		if in.Kind.PassedOver() || in.Err != nil {
			continue
		}
		data, err := readInput(in.Path)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range redact.Secrets(in.Kind, data) {
			add(s)
		}
		for _, v := range views(data) {
			for _, m := range emailPattern.FindAllString(v, -1) {
				add(m)
			}
			for _, m := range append(ipv4Pattern.FindAllString(v, -1), ipv6Pattern.FindAllString(v, -1)...) {
				if _, err := netip.ParseAddr(m); err == nil {
					add(m)
				}
			}
			for _, m := range namePattern.FindAllStringSubmatch(v, -1) {
				add(m[1] + " <") // a display name; "Associate-O-Matic" is also the software's name in bodies
			}
		}
	}
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// zipTexts returns every view of every member of the zip at path, and the
// zip's own bytes.
func zipTexts(t *testing.T, path string) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{"(zip bytes)": {string(raw)}}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = views(b)
	}
	return out
}

// TestBundleLeavesNoPersonalData bundles every fixture store and looks for
// each secret and personal value of the store in every member of the zip,
// in every encoding.
func TestBundleLeavesNoPersonalData(t *testing.T) {
	total := 0
	for _, dir := range fixtureStores(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			values := personalValues(t, dir)
			total += len(values)
			zipPath := bundleOf(t, dir)
			for member, texts := range zipTexts(t, zipPath) {
				for _, v := range values {
					for _, text := range texts {
						if strings.Contains(text, v) {
							t.Errorf("%q survives in %s", v, member)
							break
						}
					}
				}
			}
			st, _ := evidence.Load([]string{dir})
			if v, ok := st.Settings.Get("AmazonAssociateId"); ok && v.Text != "" {
				found := false
				for _, texts := range zipTexts(t, zipPath) {
					found = found || strings.Contains(strings.Join(texts, "\n"), v.Text)
				}
				if !found {
					t.Errorf("the associate ID %q is lost", v.Text)
				}
			}
		})
	}
	if total < 100 {
		t.Errorf("only %d secret or personal values found in the fixtures: the collector is broken", total)
	}
}

// TestBundleManifest checks that MANIFEST lists every file with its kind
// and redactions, and the files left out.
func TestBundleManifest(t *testing.T) {
	zipPath := bundleOf(t, "fixtures/stores/seed-story")
	texts := zipTexts(t, zipPath)
	manifest, ok := texts[evidence.ManifestName]
	if !ok {
		t.Fatalf("no %s at the bundle's root: %v", evidence.ManifestName, texts)
	}
	m := manifest[0]
	if !strings.HasPrefix(m, evidence.ManifestTitle+`"seed-story"`+"\n") {
		t.Errorf("the manifest does not start with its title:\n%s", m)
	}
	for name := range texts {
		if name == evidence.ManifestName || name == "(zip bytes)" {
			continue
		}
		if !strings.Contains(m, "\n"+name+"\t") {
			t.Errorf("the manifest does not list %s:\n%s", name, m)
		}
	}
	for _, want := range []string{
		"settings.php\tsettings-php\tredacted: secret key: 1, email addresses: 1\n",
		"Fee-LinkType.csv\treport-link-type\tredacted: nothing\n",
		"Left out:\n.expect (hidden or not evidence)\n",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("the manifest lacks %q:\n%s", want, m)
		}
	}

	// A bundle of a bundle leaves the first manifest out and writes its own.
	again := filepath.Join(t.TempDir(), "again.zip")
	if _, stderr, code := runCLI("bundle", zipPath, "-o", again); code != 0 {
		t.Fatalf("bundle of a bundle: exit %d: %s", code, stderr)
	}
	texts2 := zipTexts(t, again)
	if len(texts2) != len(texts) {
		t.Errorf("a bundle of a bundle holds %d members, want %d", len(texts2)-1, len(texts)-1)
	}
	if m2 := texts2[evidence.ManifestName][0]; !strings.Contains(m2, "MANIFEST (the manifest of an earlier bundle)") {
		t.Errorf("the second manifest does not say the first was left out:\n%s", m2)
	}
}

// TestBundleRedactsEveryFile builds a store whose secret key, owner's
// address and a visitor's IP address also stand in a saved page, a link
// list and a UTF-16 report, and checks they are taken out of each while the
// findings stay.
func TestBundleRedactsEveryFile(t *testing.T) {
	const (
		secret    = "Zk8Pq2Wm5Xr9Tn3Lv7Hc1Jd4Bs6Fg0Ye+Ao/Uk2Q"
		contact   = "hello@birdfeederdepot.example"
		visitorIP = "198.51.100.77"
		serverIP  = "192.0.2.10"
	)
	src := "fixtures/stores/pages-healthy"
	dir := filepath.Join(t.TempDir(), "shop")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyWith := func(from, to string, edit func(string) string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(src, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), []byte(edit(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyWith("settings.php", "settings.php", func(s string) string {
		return regexp.MustCompile(`(AwsSecretKey'\]\['value'\] = ")[^"]*`).ReplaceAllString(s, "${1}"+secret)
	})
	copyWith("home.html", "home.html", func(s string) string {
		return strings.Replace(s, "</body>", "<p>Write to <a href=\"mailto:"+contact+"\">"+contact+"</a> or "+
			url.QueryEscape(contact)+"</p>\n<!-- cached for "+visitorIP+" with key "+secret+" -->\n"+
			"<a href=\"http://"+serverIP+"/shop.php?c=1\">mirror</a>\n</body>", 1)
	})
	copyWith("item.html", "item.html", func(s string) string { return s })
	links := "https://www.amazon.com/dp/B00005N5PF?tag=birdfeederdepot-20\n" +
		"https://www.amazon.com/dp/B000BQN2UE?tag=birdfeederdepot-20&AWSSecretKey=" + url.QueryEscape(secret) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "links.txt"), []byte(links), 0o644); err != nil {
		t.Fatal(err)
	}
	// An unrelated file named MANIFEST is evidence like any other.
	if err := os.WriteFile(filepath.Join(dir, "MANIFEST"), []byte("https://www.amazon.com/dp/B0002FP328?tag=birdfeederdepot-20\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	zipPath := bundleOf(t, dir)
	texts := zipTexts(t, zipPath)
	for member, views := range texts {
		for _, v := range []string{secret, contact, visitorIP} {
			for _, text := range views {
				if strings.Contains(text, v) {
					t.Errorf("%q survives in %s", v, member)
					break
				}
			}
		}
	}
	home := texts["home.html"][0]
	for _, want := range []string{"mailto:" + redact.Email, "redacted%40example.invalid", "cached for " + redact.IP,
		"with key " + redact.SecretPlaceholder(secret), "http://" + serverIP + "/shop.php", "birdfeederdepot-20"} {
		if !strings.Contains(home, want) {
			t.Errorf("home.html lacks %q", want)
		}
	}
	if l := texts["links.txt"][0]; !strings.Contains(l, url.QueryEscape(redact.SecretPlaceholder(secret))) {
		t.Errorf("links.txt lost the secret's placeholder:\n%s", l)
	}
	if _, ok := texts["MANIFEST-2"]; !ok {
		t.Errorf("the store's own MANIFEST file is not bundled as MANIFEST-2: %v", keys(texts))
	}
	if m := texts[evidence.ManifestName][0]; !strings.Contains(m, "home.html\tstore-page\tredacted: secret key: 1, email addresses: 3, IP addresses: 1\n") {
		t.Errorf("the manifest does not count home.html's redactions:\n%s", m)
	}

	orig, origCode := checkAsJSON(t, dir)
	bund, bundCode := checkAsJSON(t, zipPath)
	want, got := findingLines(orig, dir+"/"), findingLines(bund, zipPath+"!")
	if strings.Join(want, "\n") != strings.Join(got, "\n") || origCode != bundCode {
		t.Errorf("findings differ (exit %d and %d):\nfolder:\n  %s\nbundle:\n  %s", origCode, bundCode, strings.Join(want, "\n  "), strings.Join(got, "\n  "))
	}
	for _, in := range orig.Store.Inputs {
		if strings.HasSuffix(in.Path, "MANIFEST") && in.Kind != string(store.KindLinkList) {
			t.Errorf("a MANIFEST that is a link list was taken for %s", in.Kind)
		}
	}
}

func keys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestBundleUsage checks the bundle's own usage errors.
func TestBundleUsage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.zip")
	notes := filepath.Join(t.TempDir(), "notes")
	if err := os.Mkdir(notes, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notes, "todo.txt"), []byte("call the owner back on Monday\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"bundle", "-o", out}, "needs at least one PATH"},
		{[]string{"bundle", "fixtures/stores/healthy-us"}, "needs --output FILE"},
		{[]string{"bundle", "fixtures/stores/healthy-us", "-o"}, "flag needs an argument: -o"},
		{[]string{"bundle", "fixtures/stores/healthy-us", "--zip", out}, "flag provided but not defined: -zip"},
		{[]string{"bundle", notes, "-o", out}, "nothing to bundle"},
	} {
		_, stderr, code := runCLI(tt.args...)
		if code != checks.ExitBadInput || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if fileExists(out) {
		t.Errorf("a failed bundle wrote %s", out)
	}
}

// copyStore copies a fixture store to a temporary folder, editing each
// file's text with edit, and returns the copy's path.
func copyStore(t *testing.T, src string, edit func(name, text string) string) string {
	t.Helper()
	// Not t.TempDir(): see bundleOf.
	tmp, err := os.MkdirTemp("", "aomdoctor-store")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	dir := filepath.Join(tmp, filepath.Base(src))
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return os.WriteFile(p, []byte(edit(filepath.ToSlash(rel), string(b))), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// sameFindings checks that check gives the store in dir and its bundle
// the same findings, evidence and exit code; renames are the old and new
// names of files the bundle renamed.
func sameFindings(t *testing.T, dir, zipPath string, renames []string, args ...string) {
	t.Helper()
	orig, origCode := checkAsJSON(t, append(args, dir)...)
	bund, bundCode := checkAsJSON(t, append(args, zipPath)...)
	want, got := findingLines(orig, dir+string(filepath.Separator), dir+"/"), findingLines(bund, zipPath+"!")
	for i := range got {
		for k := 0; k+1 < len(renames); k += 2 {
			got[i] = strings.ReplaceAll(got[i], renames[k+1], renames[k])
		}
	}
	if strings.Join(want, "\n") != strings.Join(got, "\n") || origCode != bundCode {
		t.Errorf("findings differ (exit %d and %d):\nfolder:\n  %s\nbundle:\n  %s", origCode, bundCode, strings.Join(want, "\n  "), strings.Join(got, "\n  "))
	}
}

// TestBundleSecretFieldHoldsAnID bundles a store whose secret key field
// holds its Associate ID or its access key ID: neither is a secret (every
// link carries them), so both stay everywhere, the findings stay, and the
// manifest says why.
func TestBundleSecretFieldHoldsAnID(t *testing.T) {
	secretRE := regexp.MustCompile(`(AwsSecretKey'\]\['value'\] = ")[^"]*`)
	for _, id := range []string{"gardenshop-20", "AKIAJ7QX3MZ2RT5LWB4N"} {
		t.Run(id, func(t *testing.T) {
			dir := copyStore(t, "fixtures/stores/seed-story", func(name, s string) string {
				if name == "settings.php" {
					return secretRE.ReplaceAllString(s, "${1}"+id)
				}
				return s
			})
			zipPath := bundleOf(t, dir)
			sameFindings(t, dir, zipPath, nil, "--as-of", "2009-10-20")
			texts := zipTexts(t, zipPath)
			settings := texts["settings.php"][0]
			for _, want := range []string{`['AmazonAssociateId']['value'] = "gardenshop-20"`, `['AwsAccessKey']['value'] = "AKIAJ7QX3MZ2RT5LWB4N"`,
				`['AwsSecretKey']['value'] = "` + id + `"`} {
				if !strings.Contains(settings, want) {
					t.Errorf("the bundled settings lack %q:\n%s", want, settings)
				}
			}
			for name, views := range texts {
				if all := strings.Join(views, "\n"); strings.HasSuffix(name, ".eml") && !strings.Contains(all, "associate-id=gardenshop-20&") {
					t.Errorf("%s lost the cart URL's ID:\n%s", name, all)
				}
			}
			if m := texts[evidence.ManifestName][0]; !strings.Contains(m, "settings.php\tsettings-php\tredacted: email addresses: 1, secret key kept (a public ID, not a secret): 1\n") {
				t.Errorf("the manifest does not say the secret key was kept:\n%s", m)
			}
		})
	}
}

// TestBundleSecretLeftIn checks that a secret key the bundle cannot find
// in its settings' text is not counted as taken out, and that the bundle
// says so.
func TestBundleSecretLeftIn(t *testing.T) {
	dir := copyStore(t, "fixtures/stores/healthy-us", func(name, s string) string {
		// PHP's \u{71} is "q": the reader decodes it, the redactor does not
		// know it.
		return strings.Replace(s, `"q9Vd2kLm7`, `"\u{71}9Vd2kLm7`, 1)
	})
	out := filepath.Join(t.TempDir(), "x.zip")
	_, stderr, code := runCLI("bundle", dir, "-o", out)
	if code != 0 || !strings.Contains(stderr, "warning: a secret key setting of settings.php could not be found") {
		t.Errorf("exit %d, stderr %q: want a warning naming settings.php", code, stderr)
	}
	if m := zipTexts(t, out)[evidence.ManifestName][0]; !strings.Contains(m, "settings.php\tsettings-php\tredacted: email addresses: 1, secret key NOT taken out (not found in the text): 1\n") {
		t.Errorf("the manifest does not say the secret key is still there:\n%s", m)
	}
}

// TestBundleKeepsLines checks that every file of every fixture store keeps
// its number of lines in the bundle, so every line a finding cites is the
// same line.
func TestBundleKeepsLines(t *testing.T) {
	for _, dir := range fixtureStores(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(bundleOf(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
			if err != nil {
				t.Fatal(err)
			}
			members := map[string]*zip.File{}
			for _, f := range zr.File {
				members[f.Name] = f
			}
			st, _ := evidence.Load([]string{dir})
			for _, in := range st.Inputs {
				if in.Kind.PassedOver() || in.Err != nil || in.Kind == store.KindUnknown {
					continue
				}
				name := bundleName(filepath.Clean(dir), in.Path)
				f := members[name]
				if f == nil {
					t.Errorf("%s is not in the bundle as %s", in.Path, name)
					continue
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(rc)
				rc.Close()
				want, err := readInput(in.Path)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := bytes.Count(got, []byte("\n")), bytes.Count(want, []byte("\n")); g != w {
					t.Errorf("%s: %d lines in the bundle, %d in the store", name, g, w)
				}
			}
		})
	}
}

// TestBundleMemberNames checks that no two members of a bundle are one
// file, or a file and a folder, when unpacked where case does not count.
func TestBundleMemberNames(t *testing.T) {
	n := newMemberNames(manifestName)
	var got []string
	for _, name := range []string{"manifest", "MANIFEST", "Manifest.txt", "manifest.TXT", "Mail/a.eml", "mail/A.eml", "mail/b.eml",
		"cart", "cart/x.eml", "cart/y.eml", "x.eml", "X.eml/z.eml", ".htaccess", ".HTACCESS"} {
		got = append(got, n.unique(name))
	}
	want := []string{"manifest-2", "MANIFEST-3", "Manifest.txt", "manifest-2.TXT", "Mail/a.eml", "Mail/A-2.eml", "Mail/b.eml",
		"cart", "cart-2/x.eml", "cart-2/y.eml", "x.eml", "X.eml-2/z.eml", ".htaccess", ".HTACCESS-2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("names\n got %q\nwant %q", got, want)
	}

	// A store's own "manifest" file keeps out of the bundle's MANIFEST's way.
	dir := copyStore(t, "fixtures/stores/link-checker-fails", func(_, s string) string { return s })
	links, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(links) == 0 {
		t.Fatalf("no link list in %s: %v", dir, err)
	}
	if err := os.Rename(links[0], filepath.Join(dir, "manifest")); err != nil {
		t.Fatal(err)
	}
	zipPath := bundleOf(t, dir)
	texts := zipTexts(t, zipPath)
	if _, ok := texts["manifest-2"]; !ok {
		t.Errorf("the store's manifest file is not bundled as manifest-2: %v", keys(texts))
	}
	sameFindings(t, dir, zipPath, []string{"manifest:", "manifest-2:"}, "--as-of", "2009-10-20")
}
