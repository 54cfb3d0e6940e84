package api

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/tiles"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// sqlTileserv is the query pg_tileserv and Martin run for a table in
// EPSG:4326, with every attribute our tiles carry (%[2]s): the envelope
// goes to the table's SRID so the GiST index serves.
const sqlTileserv = `SELECT ST_AsMVT(t, $1, 4096, 'geom') FROM (
  SELECT id%[2]s, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($2, $3, $4), 4096, 64, true) AS geom
  FROM %[1]s WHERE geom && ST_Transform(ST_TileEnvelope($2, $3, $4, margin => 64.0 / 4096), 4326)
) t WHERE geom IS NOT NULL`

// sweep lists every tile over the county town (and its edges) at z12-z16.
func sweep(s *data.Snapshot) []maptile.Tile {
	var b orb.Bound
	for _, bu := range s.Builtup.Items {
		if bu.Kind == "county_town" {
			b = bu.Geom.Bound()
		}
	}
	var out []maptile.Tile
	for z := maptile.Zoom(12); z <= 16; z++ {
		lo, hi := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z), maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				out = append(out, maptile.New(x, y, z))
			}
		}
	}
	return out
}

func report(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	b.ReportMetric(float64(len(lat))/sum.Seconds(), "tiles/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkTileSweep renders roads and buildings tiles over the county town
// at z12-z16, uncached: ours from memory, PostGIS with ST_AsMVT.
func BenchmarkTileSweep(b *testing.B) {
	srv, _ := sampleServer(b)
	s := sampleSnap
	ts := sweep(s)
	for _, name := range []string{"roads", "buildings"} {
		e, err := srv.tileEntry(name)
		if err != nil {
			b.Fatal(err)
		}
		l, err := srv.tileLayer(context.Background(), e, s, e.Defaults())
		if err != nil {
			b.Fatal(err)
		}
		b.Run("ours/"+name, func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			for i := 0; i < b.N; i++ {
				for _, t := range ts {
					start := time.Now()
					raw, err := tiles.Render(l, t, tiles.DefaultOptions)
					if err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
					tiles.Gzip(raw) // as served, but ST_AsMVT's output is not compressed either
				}
			}
			report(b, lat)
			b.ReportMetric(float64(len(ts)), "tiles/sweep")
		})
	}
	pool := pgtest.Pool(b)
	schema := pgtest.Schema(b, pool)
	ctx := context.Background()
	if err := data.Write(ctx, pool, &data.Set{Roads: s.Roads.Items, Buildings: s.Buildings.Items}, schema); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"roads", "buildings"} {
		sc, _ := data.SchemaOf(name)
		cols := ""
		for _, f := range sc.Fields {
			cols += ", " + pgx.Identifier{f.Name}.Sanitize()
		}
		q := fmt.Sprintf(sqlTileserv, pgx.Identifier{schema, name}.Sanitize(), cols)
		b.Run("postgis/"+name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; i < b.N; i++ {
				for _, t := range ts {
					start := time.Now()
					var mvt []byte
					if err := pool.QueryRow(ctx, q, name, int(t.Z), int(t.X), int(t.Y)).Scan(&mvt); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
				}
			}
			report(b, lat)
		})
	}
}
