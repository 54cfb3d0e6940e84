package web

import (
	"regexp"
	"slices"
	"testing"

	"fireplan/coverage"
	"fireplan/coverage/response"
)

// TestOpeningLayersAreWarmedFirst: the analyses the map draws when it
// opens (on: true in layers.js) are the catalogue's Opening entries, which
// the warm-up computes before the others.
func TestOpeningLayersAreWarmedFirst(t *testing.T) {
	js, err := files.ReadFile("layers.js")
	if err != nil {
		t.Fatal(err)
	}
	var on []string
	for _, m := range regexp.MustCompile(`\{ id: "(\w+)",[^}]*\bon: true\b`).FindAllSubmatch(js, -1) {
		on = append(on, string(m[1]))
	}
	if len(on) == 0 {
		t.Fatal("no analysis on when the map opens in layers.js: has its list changed shape?")
	}
	c, err := coverage.New(response.DefaultParams(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var opening []string
	for _, e := range c.Entries {
		if e.Opening {
			opening = append(opening, e.Name)
		}
	}
	slices.Sort(on)
	slices.Sort(opening)
	if !slices.Equal(on, opening) {
		t.Errorf("the map opens on %v, the catalogue's Opening entries are %v", on, opening)
	}
}
