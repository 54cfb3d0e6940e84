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
		want    string
	}{
		{"points get lon and lat", []coverage.Column{{Name: "id"}}, []any{"a"}, "id,lon,lat"},
		{"points that carry them keep theirs", []coverage.Column{{Name: "id"}, {Name: "lon"}, {Name: "lat"}}, []any{"a", 111.5, 27.2}, "id,lon,lat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &coverage.Table{Columns: tc.columns, IDs: []string{"a"}, Rows: [][]any{tc.row}, Geoms: []orb.Geometry{orb.Point{0, 0}}, Proj: proj}
			var b bytes.Buffer
			if err := CSV(&b, tb, nil); err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(strings.TrimPrefix(b.String(), "\uFEFF"), "\n")
			if head = strings.TrimSpace(head); head != tc.want {
				t.Errorf("header %q, want %q", head, tc.want)
			}
		})
	}
}
