package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScenarioApplyOnTheSample(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	closing := write("close.json", `{"name":"close a station","changes":[{"layer":"stations","op":"set","id":"st00001","status":"planned"}]}`)
	for _, tc := range []struct {
		name string
		args []string
		want string // in stdout, or in the error
		err  bool
	}{
		{"text", []string{"apply", closing, "--report", "coverage", "--minutes", "5"}, "county within 5 min: -", false},
		{"flags first", []string{"apply", "--report", "coverage", "--minutes", "5", closing}, "county within 5 min: -", false},
		{"no file", []string{"apply", "--report", "all"}, "one FILE.json", true},
		{"bad report", []string{"apply", closing, "--report", "clusters"}, "--report", true},
		{"unknown id", []string{"apply", write("bad.json", `{"changes":[{"layer":"hydrants","op":"remove","id":"nope"}]}`)}, `change 0: no hydrant "nope" in the data (field id)`, true},
		{"bad enum", []string{"apply", write("enum.json", `{"changes":[{"layer":"hydrants","op":"set","id":"hy00001","kind":"well"}]}`)}, "(field kind)", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"scenario"}, tc.args...), &out, io.Discard)
			got := out.String()
			if err != nil {
				got = err.Error()
			}
			if (err != nil) != tc.err || !strings.Contains(got, tc.want) {
				t.Errorf("error %v, output %q; want %q", err, got, tc.want)
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"scenario", "apply", closing, "--json", "--report", "all"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Coverage struct {
			HouseholdsGained map[string]int `json:"households_gained"`
		} `json:"coverage"`
		Hydrants *struct{} `json:"hydrants"`
	}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil || d.Coverage.HouseholdsGained["5"] >= 0 || d.Hydrants == nil {
		t.Errorf("--json: %v, %s", err, out.Bytes())
	}
}
