package api

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"fireplan/coverage"
)

var update = flag.Bool("update", false, "rewrite the README's parameter table")

// TestRoutesTakeWhatTheyDeclare holds every route to its declared
// parameters: one it does not declare is a 400 naming it, and none it
// declares is refused as unknown.
func TestRoutesTakeWhatTheyDeclare(t *testing.T) {
	s, srv := sharedServer(t)
	var sc struct{ ID string }
	if code, _ := post(t, srv.URL+"/api/scenarios", `{"changes": [{"layer": "hydrants", "op": "remove", "id": "`+sampleSnap.Hydrants.Items[0].ID+`"}]}`, &sc); sc.ID == "" {
		t.Fatalf("creating a scenario: status %d", code)
	}
	concrete := strings.NewReplacer("{name}", "hydrants", "{layer}", "coverage_gaps", "{z}", "0", "{x}", "0", "{y}", "0", "{id}", sc.ID)
	do := func(method, path string, q url.Values) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path+"?"+q.Encode(), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, rt := range s.Routes() {
		path := concrete.Replace(rt.Path)
		method := rt.Methods[0]
		if method == http.MethodDelete {
			continue // the scenario stays for the routes after it; its own test deletes
		}
		if code, body := do(method, path, url.Values{"zz_unknown": {"1"}}); code != http.StatusBadRequest || !strings.Contains(body, "zz_unknown") {
			t.Errorf("%s %s?zz_unknown=1: status %d %s, want a 400 naming it", method, rt.Path, code, body)
		}
		for _, p := range rt.Params {
			if method == http.MethodPost {
				break // a POST would create what it names
			}
			if code, body := do(method, path, url.Values{p.Name: {sampleValue(p)}}); strings.Contains(body, "unknown parameter") {
				t.Errorf("%s %s?%s=%s: status %d %s: a declared parameter refused", method, rt.Path, p.Name, sampleValue(p), code, body)
			}
		}
	}
}

// sampleValue is a value a parameter accepts.
func sampleValue(p coverage.Param) string {
	switch {
	case p.Default != "":
		return p.Default
	case len(p.Enum) > 0:
		return p.Enum[0]
	case p.Name == "bbox":
		return "111,27,112,28"
	}
	return "x"
}

// TestReadmeParameterTable keeps the README's table of every parameter
// the one the routes declare; go test ./api -run ReadmeParameter -update
// (make readme) writes it.
func TestReadmeParameterTable(t *testing.T) {
	s, _ := sampleServer(t)
	const begin, end = "<!-- parameters: written by make readme from the routes; do not edit -->\n", "<!-- end of parameters -->\n"
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(b, []byte(begin)), bytes.Index(b, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q and %q", begin, end)
	}
	want := ParamTable(s.Routes(), "en")
	if got := string(b[i+len(begin) : j]); got != want {
		if !*update {
			t.Fatalf("README.md's parameter table is not the routes' (run make readme):\n%s", diffLines(got, want))
		}
		out := append(append(append([]byte{}, b[:i+len(begin)]...), want...), b[j:]...)
		if err := os.WriteFile("../README.md", out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// diffLines lists the lines only one side has.
func diffLines(got, want string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	return b.String()
}

// TestReadmeExamplesAnswer runs every GET the README shows with curl
// against the sample county: each must answer 200.
func TestReadmeExamplesAnswer(t *testing.T) {
	_, srv := sharedServer(t)
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("curl (?:-o \\S+ )?'?localhost:8080(/[^' `]*)'?")
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		m := re.FindStringSubmatch(line)
		if m == nil || strings.Contains(line, "-X ") || strings.Contains(m[1], "ID") {
			continue // writes, and examples naming a scenario the reader made
		}
		n++
		resp, err := http.Get(srv.URL + m[1])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("README: curl %s: status %d %.200s", m[1], resp.StatusCode, body)
		}
	}
	if n < 20 {
		t.Fatalf("found %d curl examples in the README; the pattern no longer matches them", n)
	}
}
