package api

import (
	"strings"
	"testing"
)

// TestBBoxMatchingNothingListsNothing: on every list with geometry, a bbox
// no row meets (far away, or over the data where this list has no row) is
// an empty answer in every format, not the whole list.
func TestBBoxMatchingNothingListsNothing(t *testing.T) {
	s, srv := sampleServer(t)
	lists := 0
	for _, e := range s.cat.Entries {
		if e.Geometry == "" || !strings.HasPrefix(e.Path, "/api/") {
			continue
		}
		lists++
		var fc struct {
			NumberMatched int   `json:"numberMatched"`
			Features      []any `json:"features"`
		}
		path := e.Path + "?bbox=0,0,1,1"
		if code := get(t, srv, path, &fc); code != 200 || len(fc.Features) != 0 || fc.NumberMatched != 0 {
			t.Errorf("%s: status %d, %d features (numberMatched %d), want none", path, code, len(fc.Features), fc.NumberMatched)
		}
		code, _, body := fetch(t, srv.URL+path+"&format=csv")
		if lines := strings.Split(strings.TrimSpace(string(body)), "\n"); code != 200 || len(lines) != 1 {
			t.Errorf("%s&format=csv: status %d, %d lines, want the header alone", path, code, len(lines))
		}
	}
	if lists < 5 {
		t.Fatalf("%d lists with geometry under /api/: the catalogue was not read", lists)
	}
}
