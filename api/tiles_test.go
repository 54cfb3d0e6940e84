package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/data/sample"
	"fireplan/tiles"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// sqlAsMVT is how pg_tileserv and Martin serve a table: the same extent and
// buffer as ours.
const sqlAsMVT = `SELECT ST_AsMVT(t, $1, 4096, 'geom') FROM (
  SELECT id, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($2, $3, $4), 4096, 64, true) AS geom
  FROM %s WHERE ST_Transform(geom, 3857) && ST_TileEnvelope($2, $3, $4, margin => 64.0 / 4096)
) t WHERE geom IS NOT NULL`

func tileIDs(t *testing.T, b []byte, gz bool) []string {
	t.Helper()
	var ls mvt.Layers
	var err error
	switch {
	case len(b) == 0:
		return nil
	case gz:
		ls, err = mvt.UnmarshalGzipped(b)
	default:
		ls, err = mvt.Unmarshal(b)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range ls {
		for _, f := range l.Features {
			ids = append(ids, f.Properties["id"].(string))
		}
	}
	sort.Strings(ids)
	return ids
}

func TestTilesMatchSTAsMVT(t *testing.T) {
	testServer(t)
	mixed := data.NewSnapshot(sample.Generate(sample.Options{Seed: 7, Mixed: true}), "mixed", nil)
	for _, county := range []struct {
		name string
		s    *data.Snapshot
	}{{"sample", sampleSnap}, {"mixed", mixed}} {
		t.Run(county.name, func(t *testing.T) { tilesMatchAsMVT(t, county.s) })
	}
}

func tilesMatchAsMVT(t *testing.T, s *data.Snapshot) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	ctx := context.Background()
	set := &data.Set{Roads: s.Roads.Items, Buildings: s.Buildings.Items, Townships: s.Townships.Items, Hydrants: s.Hydrants.Items,
		Villages: s.Villages.Items, Stations: s.Stations.Items}
	if err := data.Write(ctx, pool, set, schema); err != nil {
		t.Fatal(err)
	}
	town := s.Stations.Items[0].Geom // the urban station, in the county town
	village := s.Villages.Items[0].Geom.Bound().Center()
	srv, _ := serve(t, s)
	checked := 0
	for _, tc := range []struct {
		layer string
		at    orb.Point
		zooms []maptile.Zoom
	}{
		{"townships", town, []maptile.Zoom{8, 10, 12, 14}},
		{"roads", town, []maptile.Zoom{12, 13, 14, 15, 16}},
		{"roads", village, []maptile.Zoom{13, 15}},
		{"buildings", town, []maptile.Zoom{14, 15, 16}},
		{"buildings", village, []maptile.Zoom{15, 16}},
		{"villages", village, []maptile.Zoom{11, 13, 16}},
		{"hydrants", town, []maptile.Zoom{12, 14, 16}},
		{"stations", town, []maptile.Zoom{12, 15}},
	} {
		e, err := srv.tileEntry(tc.layer)
		if err != nil {
			t.Fatal(err)
		}
		l, err := srv.tileLayer(ctx, e, s, e.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range tc.zooms {
			tile := maptile.At(tc.at, z)
			t.Run(fmt.Sprintf("%s/%d/%d/%d", tc.layer, z, tile.X, tile.Y), func(t *testing.T) {
				ours, err := tiles.Render(l, tile, tiles.DefaultOptions)
				if err != nil {
					t.Fatal(err)
				}
				var theirs []byte
				q := fmt.Sprintf(sqlAsMVT, pgx.Identifier{schema, tc.layer}.Sanitize())
				if err := pool.QueryRow(ctx, q, tc.layer, int(z), int(tile.X), int(tile.Y)).Scan(&theirs); err != nil {
					t.Fatal(err)
				}
				a, b := tileIDs(t, ours, false), tileIDs(t, theirs, false)
				if len(b) == 0 {
					t.Fatal("ST_AsMVT found nothing: not a useful tile")
				}
				if strings.Join(a, ",") != strings.Join(b, ",") {
					t.Fatalf("ours %d features, ST_AsMVT %d: only ours %v, only theirs %v", len(a), len(b), minus(a, b), minus(b, a))
				}
				checked++
			})
		}
	}
	t.Logf("%d tiles agree with ST_AsMVT", checked)
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	if len(out) > 5 {
		out = append(out[:5], "...")
	}
	return out
}

func TestTileEndpoints(t *testing.T) {
	srv := testServer(t)
	town := sampleSnap.Stations.Items[0].Geom
	tile := maptile.At(town, 15)
	path := fmt.Sprintf("/tiles/buildings/15/%d/%d.mvt", tile.X, tile.Y)
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || tag == "" || len(tileIDs(t, body, true)) == 0 {
		t.Fatalf("status %d, encoding %q, etag %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Encoding"), tag, len(body))
	}
	req.Header.Set("If-None-Match", tag)
	if resp, _ := http.DefaultTransport.RoundTrip(req); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: status %d, want 304", resp.StatusCode)
	}
	// Another parameter set is another ETag.
	iso := maptile.At(town, 11)
	etags := map[string]bool{}
	for _, q := range []string{"", "?minutes=5", "?minutes=5,8"} {
		resp, err := http.Get(fmt.Sprintf("%s/tiles/coverage_isochrones/11/%d/%d.mvt%s", srv.URL, iso.X, iso.Y, q))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("isochrone tile %s: status %d", q, resp.StatusCode)
		}
		etags[resp.Header.Get("ETag")] = true
	}
	if len(etags) != 3 {
		t.Fatalf("ETags %v: parameters must change them", etags)
	}
	for _, tc := range []struct {
		path string
		code int
		says string // in the error
	}{
		{"/tiles/roads/3/8/1.mvt", 400, "out of range"},
		{"/tiles/roads/25/0/0.mvt", 400, "out of range"},
		{"/tiles/roads/-1/0/0.mvt", 400, "out of range"},
		{"/tiles/roads/x/0/0.mvt", 400, "whole numbers"},
		{"/tiles/roads/1/0/1.5.mvt", 400, "whole numbers"},
		{"/tiles/nope/1/0/0.mvt", 404, ""},
		{"/tiles/roads/1/0/0.mvt?minutes=5", 400, ""},
		{"/tiles/roads/2/3/1.mvt", 204, ""}, // below the layer's zoom range: empty
		{"/tiles/roads.json", 200, ""},
		{"/tiles/nope.json", 404, ""},
		{"/tiles", 200, ""},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.code || !strings.Contains(string(body), tc.says) {
			t.Errorf("%s: status %d, %s; want %d saying %q", tc.path, resp.StatusCode, body, tc.code, tc.says)
		}
	}
}
