// Package badtable holds a folder of bad fixtures to the table in its
// README, so the table a person reads and the table a reader's test checks
// cannot drift apart. Only tests import it.
package badtable

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check reads the rows "| `file` | what is wrong | `error` |" of
// dir/README.md and reports through t every file of want (file: the error it
// must give) with no row or another error, every row the test does not
// check, and every file of dir (README.md and folders aside) in neither.
func Check(t testing.TB, dir string, want map[string]string) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.Trim(strings.TrimSpace(cells[3]), "`")
	}
	for file, w := range want {
		if got, ok := rows[file]; !ok {
			t.Errorf("%s/README.md has no row for %s", dir, file)
		} else if got != w {
			t.Errorf("%s/README.md says %s must fail with %q; the test says %q", dir, file, got, w)
		}
	}
	for file := range rows {
		if _, ok := want[file]; !ok {
			t.Errorf("%s/README.md has a row for %s, which the test does not check", dir, file)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// Folders hold the bad inputs of other readers, with READMEs and
		// tests of their own.
		if _, ok := want[e.Name()]; !ok && e.Name() != "README.md" && !e.IsDir() {
			t.Errorf("%s/%s is in neither the README nor the test", dir, e.Name())
		}
	}
}
