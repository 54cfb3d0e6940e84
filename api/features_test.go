package api

import (
	"bytes"
	"encoding/json"
	"fireplan/coverage/export"
	"fireplan/data"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
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

// TestLayerFeatureBytesAsOrbWritesThem: a layer's item written for
// /api/layers is, byte for byte, what json.Marshal of its orb feature
// gives, for every item of every layer of the sample county.
func TestLayerFeatureBytesAsOrbWritesThem(t *testing.T) {
	sampleServer(t)
	items := 0
	for _, name := range data.LayerNames() {
		v, _ := sampleSnap.Layer(name)
		for i := range v.Len() {
			f := layerFeature(v.Feature(i))
			want, werr := json.Marshal(f)
			got, gerr := export.AppendFeature(nil, f)
			if werr != nil || gerr != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s item %d:\n got %s (%v)\nwant %s (%v)", name, i, got, gerr, want, werr)
			}
			items++
		}
	}
	// What it leaves to json.Marshal: no id, a bbox, extra members.
	for _, f := range []*geojson.Feature{
		{Type: "Feature", Geometry: orb.Point{1, 2}, Properties: geojson.Properties{"a": "<b>"}},
		{Type: "Feature", Geometry: orb.Point{1, 2}, BBox: geojson.BBox{1, 2, 1, 2}},
		{Type: "Feature", ID: 7, Geometry: orb.LineString{{0, 0}, {1, 1}}, ExtraMembers: geojson.Properties{"x": 1}},
	} {
		want, _ := json.Marshal(f)
		if got, err := export.AppendFeature(nil, f); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("got %s (%v), want %s", got, err, want)
		}
	}
	if items < 1000 {
		t.Fatalf("%d items compared", items)
	}
}
