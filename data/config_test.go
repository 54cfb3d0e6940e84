package data

import (
	"strings"
	"testing"
)

func TestExampleConfigLoadsAndBadOnesAreNamed(t *testing.T) {
	c, err := LoadConfig("../docs/county.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if tc := c.table(LayerRoads); tc.Schema != "gis" || tc.Table != "road_centerlines" || tc.ID != "gid" || tc.column("class") != "road_class" {
		t.Fatalf("roads mapping %+v", tc)
	}
	if tc := c.table(LayerStations); tc.Schema != "fire" || tc.ID != "id" || tc.SRID != 4326 {
		t.Fatalf("stations mapping %+v", tc)
	}
	if tc := c.table(LayerDistricts); tc.Schema != "gis" || tc.Table != "districts" {
		t.Fatalf("an unmapped layer: %+v", tc)
	}
	for _, tc := range []struct{ json, want string }{
		{`{"layers": {"roadz": {}}}`, `unknown layer "roadz"`},
		{`{"layers": {"roads": {"columns": {"colour": "c"}}}}`, `no attribute "colour"`},
		{`{"layerz": {}}`, `unknown field "layerz"`},
	} {
		c := &Config{}
		err := decodeConfig(strings.NewReader(tc.json), c)
		if err == nil {
			err = c.Check()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.json, err, tc.want)
		}
	}
}
