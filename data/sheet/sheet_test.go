package sheet

import (
	"strings"
	"testing"
)

func TestFindCoords(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         Coords
		err          string
	}{
		{"lon lat", "id,lon,lat", Coords{X: "lon", Y: "lat"}, ""},
		{"lng", "id,LNG,Lat", Coords{X: "LNG", Y: "Lat"}, ""},
		{"longitude", "id, Longitude , Latitude", Coords{X: "Longitude", Y: "Latitude"}, ""},
		{"chinese", "编号,经度,纬度", Coords{X: "经度", Y: "纬度"}, ""},
		{"lon lat win over x y", "x,y,lon,lat", Coords{X: "lon", Y: "lat"}, ""},
		{"x y", "id,X,Y", Coords{X: "X", Y: "Y", Projected: true}, ""},
		{"easting northing", "id,Easting,Northing", Coords{X: "Easting", Y: "Northing", Projected: true}, ""},
		{"none", "id,a,b", Coords{}, "no coordinate columns"},
		{"two lons", "lon,lng,lat", Coords{}, "several coordinate columns: lon, lng"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(tc.header + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := tab.FindCoords()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestReadCSVLines(t *testing.T) {
	// A quoted cell over two lines and blank lines: lines are the file's.
	tab, err := ReadCSV(strings.NewReader("\ufeffid,lon,lat,note\n\nA,1,2,\"two\nlines\"\nB,3,4\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows := tab.Points(Coords{X: "lon", Y: "lat"})
	if tab.Columns[0] != "id" || len(rows) != 2 || rows[0].Line != 3 || rows[1].Line != 5 || rows[1].Cells["note"] != "" {
		t.Errorf("columns %q rows %+v", tab.Columns, rows)
	}
}
