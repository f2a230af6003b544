package evidence

import (
	"bufio"
	"errors"
	"github.com/aomdoctor/aomdoctor/checks/internal/badtable"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

const badDir = "../../fixtures/bad"

// badFixtures is the table of fixtures/bad/README.md; the test checks the two
// agree, so neither can drift.
var badFixtures = []struct{ file, want string }{
	{"bad-indentation.yaml", "line 4: invalid YAML: mapping values are not allowed"},
	{"binary-garbage.php", "binary data, not a settings file"},
	{"empty.php", "empty file"},
	{"invalid-utf8.php", "line 4: invalid UTF-8"},
	{"no-form.html", "an HTML page with no AOM settings form, no report table and no links to Amazon"},
	{"no-settings.php", "no settings assignments found"},
	{"other-program.json", "no AOM settings found"},
	{"support-notes.txt", "not a kind aomdoctor reads: expected AOM settings as PHP"},
	{"syntax-error.json", "line 4: invalid JSON"},
	{"unterminated-comment.php", "line 4: unterminated comment starting here"},
	{"unterminated-quote.ini", "line 4: unterminated quoted value"},
	{"unterminated-string.php", "line 12: unterminated string starting here"},
	{"utf16-export.ini", "UTF-16 text: save the file as UTF-8"},
}

func TestBadFixtures(t *testing.T) {
	for _, tc := range badFixtures {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(badDir, tc.file)
			st, err := Load([]string{path})
			if err == nil {
				t.Fatalf("Load(%s): no error, want %q", tc.file, tc.want)
			}
			if want := path + ": "; !strings.Contains(err.Error(), want+tc.want) {
				t.Errorf("Load(%s) error = %q, want it to hold %q", tc.file, err, want+tc.want)
			}
			if len(st.Inputs) != 1 || st.Inputs[0].Err == nil || st.Inputs[0].Path != path {
				t.Fatalf("inputs = %+v, want one input for %s with an error", st.Inputs, path)
			}
			if st.Settings != nil {
				t.Errorf("settings from a bad file: %v", st.Settings.Values())
			}
		})
	}
}

func TestBadFixturesMatchREADME(t *testing.T) {
	want := map[string]string{}
	for _, tc := range badFixtures {
		want[tc.file] = tc.want
	}
	badtable.Check(t, badDir, want)
}

// TestLongLine checks that one endless line is refused after reading about
// a megabyte of it, whatever it looks like at the start.
func TestLongLine(t *testing.T) {
	for _, tc := range []struct{ name, start string }{
		{"php", `<?php $cfg['AmazonAssociateId']['value'] = '`},
		{"unknown", "xxxx"},
		{"json", `{"AmazonAssociateId": "`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "settings.php")
			writeLongLine(t, path, tc.start, 50<<20)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Load([]string{path})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			want := path + ": line 1: longer than 1 MiB; not a settings file"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error = %v, want %q", err, want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
				t.Errorf("allocated %d MiB for a 50 MB line; it should stop after about 1 MiB", alloc>>20)
			}
			if elapsed > 5*time.Second {
				t.Errorf("took %v", elapsed)
			}
		})
	}
}

func writeLongLine(t *testing.T, path, start string, size int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(start)
	chunk := strings.Repeat("x", 64<<10)
	for n := len(start); n < size; n += len(chunk) {
		w.WriteString(chunk)
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
}

func TestTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.ini")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("AmazonAssociateId = gardenshop-20\n")
	line := "; " + strings.Repeat("padding ", 100) + "\n"
	for n := 0; n < 17<<20; n += len(line) {
		w.WriteString(line)
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	st, err := Load([]string{path})
	if err == nil || !strings.Contains(err.Error(), "too large for a settings file (over 16 MiB)") {
		t.Fatalf("error = %v, want too large", err)
	}
	if st.Inputs[0].Kind != store.KindSettingsINI {
		t.Errorf("kind = %s, want %s", st.Inputs[0].Kind, store.KindSettingsINI)
	}
}
