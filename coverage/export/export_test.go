package export

import (
	"bytes"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

func TestCSVHeaderHasLonLatOnce(t *testing.T) {
	proj := geo.NewProjection(orb.Point{111.5, 27.2})
	for _, tc := range []struct {
		name    string
		columns []coverage.Column
		row     []any
		geom    orb.Geometry
		want    string
	}{
		{"points get lon and lat", []coverage.Column{{Name: "id", Title: coverage.Title{Zh: "编号", En: "id"}}}, []any{"a"}, orb.Point{0, 0}, "id,longitude,latitude"},
		{"lines get them too", []coverage.Column{{Name: "id", Title: coverage.Title{Zh: "编号", En: "id"}}}, []any{"a"},
			orb.LineString{{0, 0}, {10, 0}}, "id,longitude,latitude"},
		{"points that carry them keep theirs", []coverage.Column{{Name: "id", Title: coverage.Title{En: "id"}}, {Name: "lon", Title: coverage.Title{En: "lon"}},
			{Name: "lat", Title: coverage.Title{En: "lat"}}}, []any{"a", 111.5, 27.2}, orb.Point{0, 0}, "id,lon,lat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &coverage.Table{Columns: tc.columns, Proj: proj}
			tb.Add("a", tc.geom, tc.row...)
			var b bytes.Buffer
			if err := CSV(&b, tb, []int{0}, "en"); err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(strings.TrimPrefix(b.String(), "\uFEFF"), "\n")
			if head = strings.TrimSpace(head); head != tc.want {
				t.Errorf("header %q, want %q", head, tc.want)
			}
		})
	}
}
