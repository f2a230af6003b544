package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaPath is where CI keeps the official SARIF 2.1.0 schema, beside
// the repository; it is never copied into the project.
func sarifSchemaPath(t *testing.T) string {
	t.Helper()
	root, err := os.Getwd() // TestMain has moved to the repository root
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "..", "shared", "schemas", "sarif-schema-2.1.0.json")
}

// storeArgs reads the @args lines of a fixture store's .expect file: the
// flags (such as --as-of) the store is checked with.
func storeArgs(t *testing.T, dir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ".expect"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var args []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "@args "); ok {
			args = append(args, strings.Fields(rest)...)
		}
	}
	return args
}

// TestSARIFSchema validates the SARIF of every fixture store against the
// official schema, when the schema is at hand.
func TestSARIFSchema(t *testing.T) {
	path := sarifSchemaPath(t)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("SARIF schema not found at %s (a fresh clone has no ../shared/schemas): not validating", path)
	}
	schemaFile, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	schemaFile.Close()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compiling %s: %v", path, err)
	}

	// A control: the schema must reject what SARIF forbids, or the test
	// below proves nothing.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"level":"fatal","message":{"text":"x"}}]}]}`))
	if sch.Validate(bad) == nil {
		t.Fatal("the schema accepted a result with level \"fatal\": it is not validating")
	}

	dirs, _ := filepath.Glob("fixtures/stores/*")
	dirs = append(dirs, "cmd/aomdoctor/testdata/mixed")
	validated := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		args := append(append([]string{"check", "--format", "sarif"}, storeArgs(t, dir)...), dir)
		stdout, stderr, code := runCLI(args...)
		if code > 2 {
			t.Errorf("%s: exit %d: %s", dir, code, stderr)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
		if err != nil {
			t.Errorf("%s: SARIF is not JSON: %v", dir, err)
			continue
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate against %s:\n%v", dir, path, err)
			continue
		}
		checkSARIFContract(t, dir, stdout)
		validated++
	}
	if validated == 0 {
		t.Fatal("no fixture store was validated")
	}
	t.Logf("validated the SARIF of %d stores against %s", validated, path)
}

// checkSARIFContract checks what the schema cannot: every rule listed once,
// each result pointing at its rule, somewhere and with a fingerprint.
func checkSARIFContract(t *testing.T, dir, out string) {
	t.Helper()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Markdown string `json:"markdown"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID       string            `json:"ruleId"`
				RuleIndex    int               `json:"ruleIndex"`
				Locations    []json.RawMessage `json:"locations"`
				Fingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("%s: want one run: %v", dir, err)
	}
	run := log.Runs[0]
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: result %s has ruleIndex %d pointing elsewhere", dir, r.RuleID, r.RuleIndex)
		}
		if len(r.Locations) == 0 {
			t.Errorf("%s: result %s has no location", dir, r.RuleID)
		}
		if len(r.Fingerprints["aomdoctor/v1"]) != 64 {
			t.Errorf("%s: result %s has no aomdoctor/v1 fingerprint", dir, r.RuleID)
		}
		for _, l := range r.Locations {
			if bytes.Contains(l, []byte(`"uri": "`)) && bytes.Contains(l, []byte(`\\`)) {
				t.Errorf("%s: a URI with a backslash: %s", dir, l)
			}
		}
	}
}
