package evidence

import (
	"bufio"
	"errors"
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
	readme, err := os.ReadFile(filepath.Join(badDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		file := strings.Trim(strings.TrimSpace(cells[1]), "`")
		rows[file] = strings.Trim(strings.TrimSpace(cells[3]), "`")
	}
	inTable := map[string]bool{}
	for _, tc := range badFixtures {
		inTable[tc.file] = true
		if got, ok := rows[tc.file]; !ok {
			t.Errorf("README.md has no row for %s", tc.file)
		} else if got != tc.want {
			t.Errorf("README.md says %s must fail with %q; the test says %q", tc.file, got, tc.want)
		}
	}
	for file := range rows {
		if !inTable[file] {
			t.Errorf("README.md has a row for %s, which the test does not check", file)
		}
	}
	entries, err := os.ReadDir(badDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// Folders hold the bad inputs of the other readers, each with a
		// README and a test of its own.
		if e.Name() != "README.md" && !e.IsDir() && !inTable[e.Name()] {
			t.Errorf("fixtures/bad/%s is in neither the README nor the test", e.Name())
		}
		delete(rows, e.Name())
	}
	for file := range rows {
		t.Errorf("README.md lists %s, which is not in fixtures/bad", file)
	}
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
