package evidence

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aomdoctor/aomdoctor/checks/evidence/cartmail"
	"github.com/aomdoctor/aomdoctor/checks/evidence/linklist"
	"github.com/aomdoctor/aomdoctor/checks/evidence/reports"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// SniffSize is how much of a file's start Sniff looks at.
const SniffSize = 64 << 10

// KnownKeys are the AOM setting keys aomdoctor knows by name. Sniffing and the
// readers use them to tell AOM settings from other files; keys match ignoring
// case. Amazon API key names are not fixed, so IsKnownKey also accepts names
// that look like them.
var KnownKeys = []string{
	"AmazonStoreType",
	"AmazonAssociateId",
	"AmazonConnectionMethod",
	"ShoppingCart",
	"ReportsEmail",
	"Reports",
	"PageCaching",
	"UrlRest",
	"UrlSoap",
	"EcsVersion",
}

// awsKeyName matches AwsAccessKey, AmazonSecretKey, AccessKeyId,
// SecretAccessKey, aws_access_key_id and the like once "_" and "-" are gone.
var awsKeyName = regexp.MustCompile(`^(aws|amazon)?(secret)?(access|secret)(key)?(id)?$`)

// IsKnownKey reports whether key is one of KnownKeys or looks like the name of
// an Amazon API access or secret key, ignoring case.
func IsKnownKey(key string) bool {
	key = strings.TrimSpace(key)
	for _, k := range KnownKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	k := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(key))
	m := awsKeyName.FindStringSubmatch(k)
	// A bare "access" or "secret" is too common a word to be taken for one.
	return m != nil && (m[1] != "" || m[4] != "")
}

// settingKeyMention finds, in any text, the name of an AOM setting or of an
// Amazon API key as settings write it. "Reports" alone is too common a word
// to count.
var settingKeyMention = regexp.MustCompile(`(?i)amazonstoretype|amazonassociateid|amazonconnectionmethod|shoppingcart|reportsemail|pagecaching|urlrest|urlsoap|ecsversion|(aws|amazon)_?(secret|access)_?key|secret_?access_?key|access_?key_?id`)

// mentionsSettingKey reports whether text names any AOM setting: a file
// that does was meant as settings, even when it cannot be read as them.
func mentionsSettingKey(text []byte) bool { return settingKeyMention.Match(text) }

// A detector recognises kinds of input from the start of a file, returning
// "" when it does not. Detectors are tried in order and the first that
// answers decides; a detector for a new kind goes before any more general one
// it would otherwise lose to (report pages, for instance, before the
// catch-all HTML detector that takes a page for the control panel).
type detector func(head []byte) store.Kind

// is makes a detector of a yes-or-no test for one kind.
func is(kind store.Kind, match func(head []byte) bool) detector {
	return func(head []byte) store.Kind {
		if match(head) {
			return kind
		}
		return ""
	}
}

var detectors = []detector{
	is(store.KindUnknown, isBlank),
	is(store.KindIgnored, isImage),
	// Emails and Amazon reports have signatures of their own (a mail header
	// block; a report title or header row, UTF-16 included), so they go
	// before the settings detectors, which would take an HTML report page
	// for the control panel.
	cartmail.Sniff,
	reports.Sniff,
	is(store.KindUnknown, isUTF16),
	// Strong signatures first: these files name their format in their first
	// bytes, so a stray bad byte later must not hide what they are; their
	// reader then reports the bad byte with its line.
	is(store.KindSettingsPHP, startsPHP),
	// A page of the store itself: HTML with links to Amazon or to AOM's
	// shop.php pages and no settings field. It goes before the catch-all
	// below, which would take it for the control panel.
	is(store.KindStorePage, isStorePage),
	// Every other HTML page is taken for the control panel; when its reader
	// finds no settings form, the page is read as a store page after all
	// (its links may lie past the head), and a page with neither gets a
	// clear error.
	is(store.KindSettingsHTML, isHTML),
	is(store.KindSettingsJSON, startsJSONObject),
	is(store.KindUnknown, looksBinary),
	is(store.KindSettingsPHP, hasPHPAssignment),
	is(store.KindSettingsYAML, isYAML),
	is(store.KindSettingsINI, isINI),
	linklist.Sniff,
}

// Sniff detects a file's kind from its content, never from its name: head is
// up to the first SniffSize bytes. It returns KindUnknown for what it cannot
// recognise, and KindIgnored for images.
func Sniff(head []byte) store.Kind {
	// A longer head is cut, so that a file's kind never depends on how much
	// of it the caller happened to read.
	head = head[:min(len(head), SniffSize)]
	for _, d := range detectors {
		if k := d(head); k != "" {
			return k
		}
	}
	return store.KindUnknown
}

// A bundle (aomdoctor bundle) carries, at its root, a manifest named
// ManifestName whose first line starts with ManifestTitle. It lists the
// bundle's files and what was redacted in them: it is not evidence, and the
// loader passes over it without reading it.
const (
	ManifestName  = "MANIFEST"
	ManifestTitle = "aomdoctor bundle of "
)

// IsManifest reports whether a file is a bundle's manifest: by its name
// (the last element of path, a file or a zip member, in any case) and by
// its first line, so that another file that happens to be called MANIFEST
// is read, or reported, as any other file would be. This is the one kind
// known by name as well as content: only aomdoctor writes it.
func IsManifest(path string, head []byte) bool {
	name := path[strings.LastIndexAny(path, `/\!`)+1:]
	return strings.EqualFold(name, ManifestName) && bytes.HasPrefix(bytes.TrimPrefix(head, utf8BOM), []byte(ManifestTitle))
}

// text returns head without a UTF-8 byte order mark and leading space.
func text(head []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n\f\v")
}

func isBlank(head []byte) bool { return len(bytes.TrimSpace(bytes.TrimPrefix(head, utf8BOM))) == 0 }

func isImage(head []byte) bool {
	if strings.HasPrefix(http.DetectContentType(head), "image/") {
		return true
	}
	// DetectContentType takes SVG for XML or plain text.
	t := text(head)
	start := bytes.ToLower(t[:min(len(t), 1024)])
	return bytes.HasPrefix(start, []byte("<svg")) ||
		bytes.HasPrefix(start, []byte("<?xml")) && bytes.Contains(start, []byte("<svg")) && !bytes.Contains(start, []byte("<html"))
}

func isUTF16(head []byte) bool {
	return bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff})
}

func startsPHP(head []byte) bool {
	t := text(head)
	if len(t) >= 5 && strings.EqualFold(string(t[:5]), "<?php") {
		return true
	}
	// The short open tag, but not <?xml.
	return len(t) >= 3 && t[0] == '<' && t[1] == '?' && isSpace(t[2])
}

var htmlMarkers = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"),
	[]byte("<form"), []byte("<input"), []byte("<select"), []byte("<textarea"),
}

func isHTML(head []byte) bool {
	t := text(head)
	if len(t) == 0 || t[0] != '<' {
		return false
	}
	lower := bytes.ToLower(t)
	for _, m := range htmlMarkers {
		if bytes.Contains(lower, m) {
			return true
		}
	}
	return false
}

func startsJSONObject(head []byte) bool {
	t := text(head)
	return len(t) > 0 && t[0] == '{'
}

// looksBinary reports whether head is not text: it holds a NUL byte, or more
// than a tenth of it is invalid UTF-8 or control characters. A settings file
// saved in Latin-1 has a few invalid bytes, not that many; its reader then
// names the line.
func looksBinary(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			// A multi-byte character cut at the end of head is not bad.
			if len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				return bad*10 > len(head)
			}
			bad++
		case r < 0x20 && !isSpace(byte(r)), r == 0x7f:
			bad++
		}
		i += size
	}
	return bad*10 > len(head)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

var (
	phpSubscript = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*\s*\[\s*['"]([^'"\r\n]{1,80})['"]\s*\]`)
	phpDefine    = regexp.MustCompile(`(?i)\bdefine\s*\(\s*['"]([^'"\r\n]{1,80})['"]`)
)

// hasPHPAssignment finds a PHP file without an opening tag, such as a snippet
// pasted from the settings file, by a known key in array or define() form.
func hasPHPAssignment(head []byte) bool {
	for _, re := range []*regexp.Regexp{phpSubscript, phpDefine} {
		for _, m := range re.FindAllSubmatch(head, -1) {
			if IsKnownKey(string(m[1])) {
				return true
			}
		}
	}
	return false
}

// firstKnownKeySep returns the separator (':' or '=') after the first known
// key that starts a line, or 0. It tells YAML from key = value exports, which
// otherwise share their look.
func firstKnownKeySep(head []byte) byte {
	for _, line := range bytes.Split(head, []byte("\n")) {
		t := bytes.TrimLeft(line, " \t")
		t = bytes.TrimPrefix(t, []byte("- "))
		t = bytes.TrimLeft(t, `"'`)
		end := 0
		for end < len(t) && (isWordByte(t[end]) || t[end] == '[' || t[end] == ']' || t[end] == '-') {
			end++
		}
		if end == 0 {
			continue
		}
		key, _ := fieldKey(string(t[:end]))
		if !IsKnownKey(key) {
			continue
		}
		rest := bytes.TrimLeft(bytes.TrimLeft(t[end:], `"'`), " \t")
		if len(rest) > 0 && (rest[0] == ':' || rest[0] == '=') {
			return rest[0]
		}
	}
	return 0
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isYAML(head []byte) bool { return firstKnownKeySep(head) == ':' }

func isINI(head []byte) bool { return firstKnownKeySep(head) == '=' }

var (
	// htmlFieldName finds the names of form fields, to tell the control
	// panel (fields named after AOM's keys) from a store page.
	htmlFieldName = regexp.MustCompile(`(?i)<(?:input|select|textarea)\b[^>]*?\bname\s*=\s*["']?([A-Za-z0-9_\-\[\]]{1,80})`)
	// storeURL finds a URL attribute that goes to an Amazon host or to AOM's
	// shop.php pages. It only decides the kind: the page reader classifies
	// every URL with the one classifier.
	storeURL = regexp.MustCompile(`(?i)\b(?:href|action|src)\s*=\s*["']?(?:(?:https?:)?//[a-z0-9.-]*amazon(?:-adsystem)?\.[a-z.]+[/"'?\s>]|[^"'\s>]*shop\.php\?)`)
)

// isStorePage tells a page of an AOM store (saved from the browser) from the
// control panel: links to Amazon or to shop.php, and no field named after an
// AOM setting.
func isStorePage(head []byte) bool {
	if !isHTML(head) || !storeURL.Match(head) {
		return false
	}
	for _, m := range htmlFieldName.FindAllSubmatch(head, -1) {
		if key, _ := fieldKey(string(m[1])); IsKnownKey(key) {
			return false
		}
	}
	return true
}
