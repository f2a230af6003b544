package evidence

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// seedFixtures adds every fixture file (stores and bad inputs, zips unpacked
// one level) and the inline samples to f's corpus.
func seedFixtures(f *testing.F, samples ...string) {
	for _, s := range samples {
		f.Add([]byte(s))
	}
	for _, dir := range []string{"../../fixtures/stores", "../../fixtures/bad"} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil || len(data) > 1<<20 {
				return nil
			}
			f.Add(data)
			return nil
		})
	}
}

var fuzzSamples = []string{
	goodPHP, goodJSON, goodINI, controlPanel,
	"<?php\n$cfg['Reports']['value'] = array(\n 'Remote_Cart',\n);\ndefine('AmazonStoreType', \"Amazon.\\x63om\");\n",
	"<?php $cfg = ['AmazonAssociateId' => ['value' => 'x-20', 'default' => 'associatomati-20']]; ?> text <?= 1 ?>",
	"<?php $cfg['ReportsEmail'] = <<<EOT\n  a \\u{1F600} $x\n  EOT;\n",
	"AmazonAssociateId: x-20\nReports: [Remote_Cart]\nsettings: {ShoppingCart: {value: Yes}}\n",
	"AmazonAssociateId = \"x-20\" ; c\nReports[] = Remote_Cart\n[s]\n",
	"{\"settings\": {\"AmazonAssociateId\": {\"value\": \"x-20\"}, \"Reports\": [\"Remote_Cart\"]}}",
	"<form><input name=\"cfg[Reports][]\" type=checkbox checked value=Remote_Cart><select name=AmazonStoreType><option>Amazon.com</select></form>",
}

// checkRead is the property every reader keeps: no panic, and when it
// succeeds every value has a key and cites the file it came from.
func checkRead(t *testing.T, read func(string, io.Reader) (*store.Settings, error), data []byte) {
	const name = "fuzz!input"
	s, err := read(name, bytes.NewReader(data))
	if err != nil {
		if s != nil {
			t.Fatalf("settings returned with error %v", err)
		}
		return
	}
	if s == nil || s.Len() == 0 {
		t.Fatalf("no error and no settings")
	}
	for _, v := range s.Values() {
		if v.Key == "" || v.Source.Path != name {
			t.Fatalf("value %+v: want a key and Source.Path %q", v, name)
		}
		if v.IsList && v.List == nil || !v.IsList && v.List != nil {
			t.Fatalf("value %+v: IsList and List disagree", v)
		}
	}
}

func FuzzReadPHP(f *testing.F) {
	seedFixtures(f, fuzzSamples...)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, ReadPHP, data) })
}

func FuzzReadSettingsHTML(f *testing.F) {
	seedFixtures(f, fuzzSamples...)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, ReadSettingsHTML, data) })
}

func FuzzReadJSON(f *testing.F) {
	seedFixtures(f, fuzzSamples...)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, ReadJSON, data) })
}

func FuzzReadYAML(f *testing.F) {
	seedFixtures(f, fuzzSamples...)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, ReadYAML, data) })
}

func FuzzReadINI(f *testing.F) {
	seedFixtures(f, fuzzSamples...)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, ReadINI, data) })
}

// FuzzSniff also checks that a file's kind depends on its head alone and
// that its reader, when it has one, keeps the readers' property.
func FuzzSniff(f *testing.F) {
	seedFixtures(f, fuzzSamples...)
	f.Fuzz(func(t *testing.T, data []byte) {
		kind := Sniff(data)
		if len(data) > SniffSize && Sniff(data[:SniffSize]) != kind {
			t.Fatalf("kind depends on more than the head")
		}
		if read := readers[kind]; read != nil {
			checkRead(t, read, data)
		}
	})
}
