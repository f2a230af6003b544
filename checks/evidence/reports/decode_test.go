package reports

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// decodeHead's shortcut for UTF-8 gives what decode gives, on every kind of
// start a file can have.
func TestDecodeHeadMatchesDecode(t *testing.T) {
	for _, head := range []string{
		"", "a", "ab", "abc", "Date,Clicks\n", "\xef\xbb\xbfDate,Clicks\n",
		"\xff\xfeD\x00a\x00", "\xfe\xff\x00D\x00a", "D\x00a\x00t\x00", "\x00D\x00a\x00t",
		"\xff", "\xfe", "\x00\x00\x00\x00", "<html>\x00",
	} {
		br, release := decode(strings.NewReader(head))
		want, _ := io.ReadAll(br)
		release()
		if got := decodeHead([]byte(head)); !bytes.Equal(got, want) {
			t.Errorf("%q: decodeHead %q, decode %q", head, got, want)
		}
	}
}
