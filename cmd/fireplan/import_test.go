package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/geo"
	"fireplan/geo/datum"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// writeFile writes b to name in a fresh directory and returns its path.
func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// schemaConfig is a config naming only the schema, as a county importing
// into its own schema would write it, plus extra JSON keys.
func schemaConfig(t *testing.T, schema, extra string) string {
	t.Helper()
	return writeFile(t, "county.json", fmt.Appendf(nil, `{"schema": %q%s}`, schema, extra))
}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("fireplan %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

func TestImportOSMMatchesServeOSM(t *testing.T) {
	url := pgtest.URL(t)
	pool := pgtest.Pool(t)
	ctx := context.Background()
	roads, err := os.ReadFile("../../data/osm/testdata/roads.osm")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		servable   bool // roads and stations: check exits 0
	}{
		{"helsinki", "../../coverage/internal/fixture/testdata/helsinki-center-2019.osm.pbf", true},
		{"points", "../../data/osm/testdata/points.osm", false},
		{"buildings", "../../data/osm/testdata/buildings.osm", false},
		{"places", "../../data/osm/testdata/places.osm", false},
		// A name with a quote and a backslash ends up in the table comment.
		{"quoted name", writeFile(t, `o'neil \ roads.osm`, roads), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := pgtest.Schema(t, pool)
			out := runOK(t, "import", "--osm", tc.path, "--db", url, "--schema", schema)
			for _, w := range []string{"OpenStreetMap mapping", "kept    roads", "wrote " + filepath.Base(tc.path)} {
				if !strings.Contains(out, w) {
					t.Errorf("import output lacks %q:\n%s", w, out)
				}
			}
			mem, _, err := readOSM(ctx, tc.path, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			set, rep, err := data.Load(ctx, pool, &data.Config{Schema: schema})
			if err != nil {
				t.Fatal(err)
			}
			db := data.NewSnapshot(set, "postgis", rep)
			if a, b := mem.Report.Attribution(), db.Report.Attribution(); a != data.OSMAttribution || b != data.OSMAttribution {
				t.Errorf("attribution in memory %q, from the tables %q, want %q on the map", a, b, data.OSMAttribution)
			}
			// PostGIS judges validity, serve --osm does not: an area PostGIS
			// finds invalid is the only difference, and import names it.
			invalid := 0
			for _, l := range data.LayerNames() {
				m, _ := mem.Layer(l)
				d, _ := db.Layer(l)
				lr := rep.Layer(l)
				for _, p := range lr.Problems {
					if p.Reason != data.ReasonInvalidGeometry || !strings.Contains(out, p.ID) {
						t.Errorf("%s: load skipped %s, which import did not name", l, p)
					}
				}
				invalid += lr.SkippedTotal()
				if m.Len() != d.Len()+lr.SkippedTotal() {
					t.Errorf("%s: %d read by serve --osm, %d imported and loaded, %d invalid", l, m.Len(), d.Len(), lr.SkippedTotal())
				}
			}
			if invalid == 0 && mem.Version != db.Version {
				t.Errorf("version %x in memory, %x through PostGIS: the same data should hash the same", mem.Version, db.Version)
			}
			checkTagsAndComment(t, pool, schema, filepath.Base(tc.path))

			var cout, cerr bytes.Buffer
			err = run(ctx, []string{"check", "--db", url, "--config", schemaConfig(t, schema, "")}, &cout, &cerr)
			if tc.servable && err != nil {
				t.Errorf("check: %v\n%s", err, cout.String())
			}
			if strings.Contains(cout.String(), "unmapped") {
				t.Errorf("check reports unmapped values:\n%s", cout.String())
			}
		})
	}
}

// checkTagsAndComment asserts that every imported road keeps its way's tags
// and every table carries the OSM attribution.
func checkTagsAndComment(t *testing.T, pool *pgxpool.Pool, schema, file string) {
	t.Helper()
	ctx := context.Background()
	var n, tagged int
	q := fmt.Sprintf("SELECT count(*), count(*) FILTER (WHERE tags ? 'highway') FROM %s", pgx.Identifier{schema, "roads"}.Sanitize())
	if err := pool.QueryRow(ctx, q).Scan(&n, &tagged); err != nil {
		t.Fatal(err)
	}
	if n != tagged {
		t.Errorf("%d of %d roads have their highway tag in tags", tagged, n)
	}
	for _, l := range data.LayerNames() {
		var c *string
		if err := pool.QueryRow(ctx, "SELECT obj_description(to_regclass($1), 'pg_class')", pgx.Identifier{schema, l}.Sanitize()).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c == nil || !strings.Contains(*c, "© OpenStreetMap contributors") || !strings.Contains(*c, "ODbL") || !strings.Contains(*c, file) {
			t.Errorf("%s: comment %v lacks the attribution or %q", l, c, file)
		}
	}
}

// chinaCounty is a few parallel east-west streets 200 m apart near 111.5 E
// 27.2 N, where GCJ-02 moves a point by several hundred metres, and a
// station.
func chinaCounty() (*data.Set, *geo.Projection) {
	proj := geo.NewProjection(orb.Point{111.5, 27.2})
	set := &data.Set{Stations: []data.Station{{ID: "S1", Geom: proj.Inverse(orb.Point{0, 0}), Class: "township_fulltime", Status: "active"}}}
	for i := range 8 {
		y := float64(i-4) * 200
		set.Roads = append(set.Roads, data.Road{ID: fmt.Sprintf("street-%d", i), Class: "residential",
			Geom: orb.LineString{proj.Inverse(orb.Point{-1500, y}), proj.Inverse(orb.Point{1500, y})}})
	}
	return set, proj
}

// nearestRoad returns the road nearest a hydrant and its distance (metres).
func nearestRoad(t *testing.T, pool *pgxpool.Pool, schema, hydrant string) (string, float64) {
	t.Helper()
	q := fmt.Sprintf(`SELECT r.id, ST_Distance(h.geom::geography, r.geom::geography) FROM %s h, %s r
WHERE h.id = $1 ORDER BY 2 LIMIT 1`, pgx.Identifier{schema, "hydrants"}.Sanitize(), pgx.Identifier{schema, "roads"}.Sanitize())
	var id string
	var d float64
	if err := pool.QueryRow(context.Background(), q, hydrant).Scan(&id, &d); err != nil {
		t.Fatal(err)
	}
	return id, d
}

func TestImportPointsInAWebMapDatumLandsOnItsStreet(t *testing.T) {
	url := pgtest.URL(t)
	pool := pgtest.Pool(t)
	ctx := context.Background()
	set, proj := chinaCounty()
	// The hydrant stands on street-5 (y = 200 m), 300 m east of the centre.
	want := proj.Inverse(orb.Point{300, 200})
	for _, tc := range []struct {
		name  string
		datum datum.Datum
		flag  string // --datum; "" leaves it to the config
		cfg   string
	}{
		{"gcj02 flag", datum.GCJ02, "gcj02", ""},
		{"bd09 flag", datum.BD09, "bd09", ""},
		{"gcj02 in the config", datum.GCJ02, "", `, "layers": {"hydrants": {"datum": "gcj02"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := pgtest.Schema(t, pool)
			if err := data.Write(ctx, pool, set, schema); err != nil {
				t.Fatal(err)
			}
			p := tc.datum.FromWGS84(want) // as copied from the web map
			if d := geo.Dist(proj.Forward(p), proj.Forward(want)); d < 300 {
				t.Fatalf("%s moves the point only %.0f m: not a test", tc.datum, d)
			}
			csv := writeFile(t, "hydrants.csv", fmt.Appendf(nil, "id,lng,lat,kind,status\nH1,%.7f,%.7f,municipal,working\n", p[0], p[1]))
			args := []string{"import", "--points", csv, "--layer", "hydrants", "--db", url, "--schema", schema,
				"--config", schemaConfig(t, schema, tc.cfg)}
			if tc.flag != "" {
				args = append(args, "--datum", tc.flag)
			}
			runOK(t, args...)
			if id, d := nearestRoad(t, pool, schema, "H1"); id != "street-5" || d > 1 {
				t.Errorf("hydrant landed %.2f m from %s, want on street-5", d, id)
			}
			// Read as WGS84 it lands on another street: the datum mattered.
			runOK(t, "import", "--points", csv, "--layer", "hydrants", "--db", url, "--schema", schema, "--datum", "wgs84")
			if id, d := nearestRoad(t, pool, schema, "H1"); id == "street-5" && d < 1 {
				t.Errorf("without the datum the hydrant is on street-5 too: the test proves nothing")
			}
		})
	}
}

func TestImportPointsReportsBadRowsByLine(t *testing.T) {
	url := pgtest.URL(t)
	pool := pgtest.Pool(t)
	ctx := context.Background()
	header := []string{"编号", "经度", "纬度", "类型", "状态", "流量"}
	rows := [][]string{
		{"H1", "111.5010", "27.2010", "市政", "完好", "15"},
		{"H2", "东经111", "27.2020", "市政", "完好", ""},        // line 3: bad lon
		{"H3", "111.5030", "", "消防水池", "损坏", ""},          // line 4: no lat
		{"H4", "111.5040", "27.2040", "水鹤", "完好", "大"},    // line 5: unmapped kind; flow nulled
		{"H5", "111.5050", "27.2050", "消防水池", "", "-3"},   // status defaulted; negative flow nulled
		{"H1", "111.5060", "27.2060", "市政", "完好", ""},     // line 7: duplicate id
		{"H7", "211.5070", "27.2070", "天然水源", "完好", "20"}, // line 8: lon out of range
	}
	cfg := `, "layers": {"hydrants": {"id": "编号",
  "columns": {"kind": "类型", "status": "状态", "flow_lps": "流量"},
  "values": {"kind": {"市政": "municipal", "消防水池": "fire_pool", "天然水源": "natural"}, "status": {"完好": "working", "损坏": "broken"}},
  "defaults": {"status": "working"}}}`
	var csv strings.Builder
	for _, r := range append([][]string{header}, rows...) {
		csv.WriteString(strings.Join(r, ",") + "\r\n")
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		file func(t *testing.T) string
	}{
		{"csv utf-8 with bom", func(t *testing.T) string { return writeFile(t, "xhs.csv", []byte("\ufeff"+csv.String())) }},
		{"csv utf-8", func(t *testing.T) string { return writeFile(t, "xhs.csv", []byte(csv.String())) }},
		{"csv gbk", func(t *testing.T) string { return writeFile(t, "xhs.csv", []byte(gbk)) }},
		{"xlsx", func(t *testing.T) string {
			f := excelize.NewFile()
			defer f.Close()
			for i, r := range append([][]string{header}, rows...) {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				vals := make([]any, len(r))
				for j, v := range r {
					vals[j] = v
				}
				if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(t.TempDir(), "xhs.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			return path
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := pgtest.Schema(t, pool)
			out := runOK(t, "import", "--points", tc.file(t), "--layer", "hydrants", "--db", url, "--schema", schema,
				"--config", schemaConfig(t, schema, cfg))
			for _, w := range []string{
				"coordinates 经度/纬度, datum wgs84",
				`line 3: id "H2": bad_coordinate: 经度 = "东经111" is not a number`,
				`line 4: id "H3": null_geometry: 经度 or 纬度 is empty`,
				`line 5: id "H4": bad_attribute: kind = "水鹤" is not one of`,
				`line 7: id "H1": duplicate_id`,
				`line 8: id "H7": bad_coordinate`,
				`kind: "水鹤" 1`,
				"default status                        1 rows",
				"nulled  bad_attribute flow_lps        1  (row kept)",
				"wrote 2 hydrants into " + schema + ".hydrants (5 rows skipped)",
			} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			var kinds, tag string
			q := fmt.Sprintf(`SELECT string_agg(id || ':' || kind || ':' || status || ':' || coalesce(flow_lps::text, '-'), ' ' ORDER BY id),
  min(tags->>'类型') FROM %s`, pgx.Identifier{schema, "hydrants"}.Sanitize())
			if err := pool.QueryRow(ctx, q).Scan(&kinds, &tag); err != nil {
				t.Fatal(err)
			}
			if kinds != "H1:municipal:working:15 H5:fire_pool:working:-" || tag != "市政" {
				t.Errorf("written %q, tags %q", kinds, tag)
			}
		})
	}
}
