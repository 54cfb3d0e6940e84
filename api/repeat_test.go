package api

import (
	"strings"
	"testing"
)

// TestRepeatedParameterRefused: a parameter given twice is refused,
// naming it, on every kind of route; a repeated OGC column filter still
// matches any of its values.
func TestRepeatedParameterRefused(t *testing.T) {
	_, srv := sharedServer(t)
	cases := []struct {
		path string
		want int
		msg  string
	}{
		{"/api/coverage?minutes=5&minutes=8", 400, "minutes: given twice; give it once (a list is comma-separated: minutes=5,8)"},
		{"/api/coverage?minutes=5,8", 200, ""},
		{"/api/coverage?by=village&by=township", 400, "by: given twice; give it once"},
		{"/api/coverage/gaps?format=json&format=geojson&minutes=5", 400, "format: given twice"},
		{"/api/layers/hydrants/items?limit=1&limit=2", 400, "limit: given twice"},
		{"/tiles/coverage_gaps.json?minutes=5&minutes=8", 400, "minutes: given twice"},
		{"/tiles/coverage_gaps.json?scenario=a&scenario=b", 400, "scenario: given twice"},
		{"/ogc/collections/hydrants/items?f=json&f=json", 400, "f: given twice"},
		{"/ogc/collections/coverage_gaps/items?minutes=5&minutes=8", 400, "minutes: given twice"},
		{"/ogc/collections?lang=en&lang=zh", 400, "lang: given twice"},
		{"/ogc/collections/hydrants/items?status=broken&status=working&limit=1", 200, ""},
	}
	for _, c := range cases {
		var out struct{ Error string }
		got := get(t, srv, c.path, &out)
		if got != c.want || !strings.Contains(out.Error, c.msg) {
			t.Errorf("%s: %d %q, want %d %q", c.path, got, out.Error, c.want, c.msg)
		}
	}
}
