package evidence

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aomdoctor/aomdoctor/checks"
)

// The config file is found and read here, beside the other readers, so the
// checks package judges a parsed Config and never touches the disk.

// FindConfig looks for .aomdoctor.yml in start (a folder, or the folder of a
// file) and then in each parent, up to the filesystem root.
func FindConfig(start string) (string, bool) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", false
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		p := filepath.Join(dir, checks.ConfigFile)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			// Name it as the user named the start: relative stays relative.
			if !filepath.IsAbs(start) {
				if wd, err := os.Getwd(); err == nil {
					if rel, err := filepath.Rel(wd, p); err == nil {
						return rel, true
					}
				}
			}
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// LoadConfig reads and checks a config file. Every problem is reported,
// each as FILE:LINE: what is wrong.
func LoadConfig(path string) (*checks.Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the config: %w", err)
	}
	return checks.ParseConfig(path, b)
}
