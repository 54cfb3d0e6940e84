package tiles

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
)

// specTile is where the spec tests draw: z14 over the county town, a zoom
// drawn in full (no simplification, no specks dropped).
var specTile = maptile.At(orb.Point{111.47, 27.23}, 14)

// fromTile maps tile units of t (y down) back to lon/lat.
func fromTile(t maptile.Tile) orb.Projection {
	n := float64(uint64(1) << t.Z)
	return func(p orb.Point) orb.Point {
		wx := (float64(t.X) + p[0]/Extent) / n
		wy := (float64(t.Y) + p[1]/Extent) / n
		return orb.Point{wx*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*wy))) * 180 / math.Pi}
	}
}

// box returns a ring around [x0, x1] x [y0, y1] in tile units, with
// positive spec area (clockwise on screen, y down) when pos, else negative.
func box(x0, y0, x1, y1 float64, pos bool) orb.Ring {
	r := orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	if !pos {
		r.Reverse()
	}
	return r
}

// specArea is twice a ring's area by the MVT spec's surveyor's formula in
// tile units: positive for exterior rings.
func specArea(r orb.Ring) float64 {
	a := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return a
}

func roundRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = orb.Point{math.Round(p[0]), math.Round(p[1])}
	}
	return out
}

// renderTileUnits renders geometries given in tile units of t, one feature
// each, in order.
func renderTileUnits(t *testing.T, tile maptile.Tile, gs []orb.Geometry) []byte {
	t.Helper()
	fs := make([]Feature, len(gs))
	for i, g := range gs {
		fs[i] = Feature{ID: fmt.Sprintf("f%03d", i), Geom: project.Geometry(orb.Clone(g), fromTile(tile))}
	}
	l := Layer{Name: "spec", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
	b, err := Render(l, tile, Options{MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decoded flattens a tile's only layer into polygons, lines and points.
func decoded(t *testing.T, b []byte) (polys []orb.Polygon, lines []orb.LineString, points []orb.Point) {
	t.Helper()
	if b == nil {
		return nil, nil, nil
	}
	ls, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatalf("mvt.Unmarshal: %v", err)
	}
	if len(ls) != 1 {
		t.Fatalf("%d layers", len(ls))
	}
	for _, f := range ls[0].Features {
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polys = append(polys, g)
		case orb.MultiPolygon:
			polys = append(polys, g...)
		case orb.LineString:
			lines = append(lines, g)
		case orb.MultiLineString:
			lines = append(lines, g...)
		case orb.Point:
			points = append(points, g)
		case orb.MultiPoint:
			points = append(points, g...)
		default:
			t.Fatalf("decoded %T", g)
		}
	}
	return polys, lines, points
}

// expectedPolygons snaps the tile-unit input to whole units (as the
// projection does, like ST_AsMVTGeom), clips it to the encoder's buffered
// box with orb's clip, drops features left without area, and keeps the
// polygons whose exterior keeps some area once rounded again.
func expectedPolygons(gs []orb.Geometry) []orb.Polygon {
	bound := orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}}
	snap := func(p orb.Point) orb.Point { return orb.Point{math.Round(p[0]), math.Round(p[1])} }
	var out []orb.Polygon
	for _, g := range gs {
		c := clip.Geometry(bound, project.Geometry(orb.Clone(g), snap))
		if c == nil || planar.Area(c) < 1e-9 {
			continue
		}
		var ps []orb.Polygon
		switch c := c.(type) {
		case orb.Polygon:
			ps = []orb.Polygon{c}
		case orb.MultiPolygon:
			ps = c
		}
		for _, p := range ps {
			if len(p) > 0 && planar.Area(roundRing(p[0])) != 0 {
				out = append(out, p)
			}
		}
	}
	return out
}

// checkDecoded asserts what a spec decoder must see: winding by the spec,
// no two consecutive equal points, no ring repeating its first point.
func checkDecoded(t *testing.T, polys []orb.Polygon, lines []orb.LineString) {
	t.Helper()
	for i, p := range polys {
		for j, r := range p {
			if a := specArea(r); (j == 0) != (a > 0) || a == 0 {
				t.Errorf("polygon %d ring %d: spec area %g (exterior must be > 0, holes < 0)", i, j, a/2)
			}
			// The decoder closes rings by appending the first point.
			for k := 1; k < len(r); k++ {
				if r[k] == r[k-1] {
					t.Errorf("polygon %d ring %d: point %d repeats %v", i, j, k, r[k])
				}
			}
			if len(r) < 4 {
				t.Errorf("polygon %d ring %d: %d points", i, j, len(r))
			}
		}
	}
	for i, l := range lines {
		if len(l) < 2 {
			t.Errorf("line %d: %d points", i, len(l))
		}
		for k := 1; k < len(l); k++ {
			if l[k] == l[k-1] {
				t.Errorf("line %d: point %d repeats %v", i, k, l[k])
			}
		}
	}
}

func TestRenderFollowsMVTSpec(t *testing.T) {
	big := func(pos bool) orb.Ring { return box(1000, 1000, 2000, 2000, pos) }
	hole := func(x, y float64, pos bool) orb.Ring { return box(x, y, x+100, y+100, pos) }
	tests := []struct {
		name   string
		geoms  []orb.Geometry // tile units of specTile, y down
		holes  []int          // holes of each decoded polygon, in order
		lines  int
		points int
	}{
		{
			name:  "hole, spec winding",
			geoms: []orb.Geometry{orb.Polygon{big(true), hole(1200, 1200, false)}},
			holes: []int{1},
		},
		{
			name:  "hole, GeoJSON winding (exterior counter-clockwise in lon/lat, as isochrones)",
			geoms: []orb.Geometry{orb.Polygon{big(false), hole(1200, 1200, true)}},
			holes: []int{1},
		},
		{
			name:  "holes wound as their exterior",
			geoms: []orb.Geometry{orb.Polygon{big(true), hole(1200, 1200, true), hole(1500, 1500, true)}, orb.Polygon{big(false), hole(1200, 1200, false)}},
			holes: []int{2, 1},
		},
		{
			name: "multipolygon, mixed windings",
			geoms: []orb.Geometry{orb.MultiPolygon{
				{box(100, 100, 900, 900, false), hole(200, 200, true), hole(500, 500, false)},
				{box(1000, 100, 1900, 900, true)},
				{box(2000, 100, 2900, 900, true), hole(2200, 200, true)},
			}},
			holes: []int{2, 0, 1},
		},
		{
			name: "open rings (closing point not given)",
			geoms: []orb.Geometry{orb.Polygon{
				{{1000, 1000}, {1000, 2000}, {2000, 2000}, {2000, 1000}},
				{{1200, 1200}, {1300, 1200}, {1300, 1300}, {1200, 1300}},
			}},
			holes: []int{1},
		},
		{
			name: "points repeated after rounding",
			geoms: []orb.Geometry{orb.Polygon{
				{{100, 100}, {100.2, 100.1}, {300, 100}, {300, 100}, {300.3, 299.8}, {100, 300}, {100.4, 99.6}, {100, 100}},
				{{150, 150}, {150, 250}, {150.1, 249.9}, {250, 250}, {250, 150}, {149.7, 150.2}, {150, 150}},
			}},
			holes: []int{1},
		},
		{
			name: "sliver exterior collapses with its hole",
			geoms: []orb.Geometry{orb.MultiPolygon{
				{{{100, 100.1}, {400, 100.2}, {400, 100.4}, {100, 100.3}, {100, 100.1}}, {{200, 100.2}, {210, 100.2}, {210, 100.3}, {200, 100.2}}},
				{box(1000, 1000, 1100, 1100, false)},
			}},
			holes: []int{0},
		},
		{
			name: "ring rounding onto a line",
			geoms: []orb.Geometry{
				orb.Polygon{{{100, 100}, {200, 100.3}, {300, 100.1}, {200, 99.8}, {100, 100}}},
				orb.Polygon{big(true), {{1500, 1500}, {1600, 1500.4}, {1700, 1500}, {1600, 1499.6}, {1500, 1500}}},
			},
			holes: []int{0},
		},
		{
			name: "tiny rings",
			geoms: []orb.Geometry{
				orb.Polygon{box(500.1, 500.1, 500.4, 500.4, true)},
				orb.Polygon{big(false), box(1500.1, 1500.1, 1500.3, 1500.4, true), hole(1700, 1700, true)},
				orb.Polygon{box(3000, 3000, 3001, 3001, false)},
			},
			holes: []int{1, 0},
		},
		{
			name:  "only a tiny ring: no tile",
			geoms: []orb.Geometry{orb.Polygon{box(500.1, 500.1, 500.4, 500.4, false)}},
		},
		{
			name: "clipped at the buffer, hole across it",
			geoms: []orb.Geometry{
				orb.Polygon{box(-500, 1000, 800, 2000, false), box(-300, 1200, 200, 1500, true), hole(400, 1400, false)},
				orb.MultiPolygon{{box(-900, -900, -300, -300, true)}, {box(3900, 3900, 4500, 4600, false), box(4000, 4000, 4300, 4300, true)}},
			},
			holes: []int{2, 1},
		},
		{
			name: "lines: repeated points, collapsing lines",
			geoms: []orb.Geometry{
				orb.LineString{{10, 10}, {10.2, 10.1}, {50, 10}, {50, 10}, {50, 60}},
				orb.LineString{{10, 10}, {10.3, 10.2}, {9.8, 9.9}},
				orb.MultiLineString{{{20, 20}, {20.4, 20.1}}, {{30, 30}, {30, 30}, {40, 40}}, {{60, 60}, {60, 60}}},
			},
			lines: 2,
		},
		{
			name: "points",
			geoms: []orb.Geometry{
				orb.Point{10.2, 10.4},
				orb.MultiPoint{{20, 20}, {20.1, 19.9}, {30, 30}},
			},
			points: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := renderTileUnits(t, specTile, tt.geoms)
			if b != nil {
				if err := CheckMVT(b); err != nil {
					t.Errorf("CheckMVT: %v", err)
				}
				if err := CheckMVT(Gzip(b)); err != nil {
					t.Errorf("CheckMVT gzipped: %v", err)
				}
			}
			polys, lines, points := decoded(t, b)
			checkDecoded(t, polys, lines)
			if len(lines) != tt.lines || len(points) != tt.points {
				t.Errorf("%d lines, %d points; want %d, %d", len(lines), len(points), tt.lines, tt.points)
			}
			var holes []int
			for _, p := range polys {
				holes = append(holes, len(p)-1)
			}
			if fmt.Sprint(holes) != fmt.Sprint(tt.holes) {
				t.Fatalf("holes per polygon %v, want %v", holes, tt.holes)
			}
			want := expectedPolygons(tt.geoms)
			if len(want) != len(polys) {
				t.Fatalf("%d polygons, clipped input has %d", len(polys), len(want))
			}
			for i, p := range polys {
				got, exp := planar.Area(p), planar.Area(want[i])
				// Rounding moves each vertex by at most 0.71 units.
				if tol := 0.75*planar.Length(want[i]) + 1; math.Abs(got-exp) > tol {
					t.Errorf("polygon %d: area %g, clipped input %g (tolerance %g)", i, got, exp, tol)
				}
			}
		})
	}
}

// star returns a simple star-shaped ring of k vertices around c, radii in
// [r/2, r], wound either way.
func star(rng *rand.Rand, c orb.Point, r float64, k int) orb.Ring {
	ring := make(orb.Ring, 0, k+1)
	for i := 0; i < k; i++ {
		a := 2 * math.Pi * (float64(i) + 0.8*rng.Float64()) / float64(k)
		d := r * (0.5 + 0.5*rng.Float64())
		ring = append(ring, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	if rng.Intn(2) == 0 {
		ring.Reverse()
	}
	return ring
}

// TestRenderRandomShapesFollowMVTSpec renders random polygons (with holes,
// either winding, sizes down to below a unit) and lines at a full zoom and
// at an overview zoom; SEED= repeats a run.
func TestRenderRandomShapesFollowMVTSpec(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewSource(seed))
	for run := 0; run < 20; run++ {
		var gs []orb.Geometry
		for i := 0; i < 60; i++ {
			c := orb.Point{rng.Float64()*4600 - 250, rng.Float64()*4600 - 250}
			r := math.Exp(rng.Float64()*math.Log(3000/0.3)) * 0.3 // 0.3 to 3000 units
			var mp orb.MultiPolygon
			for j := 0; j <= rng.Intn(3); j++ {
				cc := orb.Point{c[0] + float64(j)*2.5*r, c[1]}
				p := orb.Polygon{star(rng, cc, r, 3+rng.Intn(40))}
				// Holes inside the exterior's inner radius, apart from each other.
				for h := 0; h < rng.Intn(3); h++ {
					hc := orb.Point{cc[0] + (float64(h)-1)*0.15*r, cc[1]}
					p = append(p, star(rng, hc, 0.07*r, 3+rng.Intn(10)))
				}
				mp = append(mp, p)
			}
			if len(mp) == 1 {
				gs = append(gs, mp[0])
			} else {
				gs = append(gs, mp)
			}
			var l orb.LineString
			for j := 0; j < 2+rng.Intn(20); j++ {
				l = append(l, orb.Point{c[0] + rng.NormFloat64()*r, c[1] + rng.NormFloat64()*r})
			}
			gs = append(gs, l)
		}
		for _, z := range []maptile.Zoom{14, 10} {
			tile := specTile
			if z != tile.Z {
				tile = maptile.At(tile.Center(), z)
			}
			b := renderTileUnits(t, tile, gs)
			if err := CheckMVT(b); err != nil {
				t.Fatalf("run %d z%d: CheckMVT: %v", run, z, err)
			}
			polys, lines, _ := decoded(t, b)
			checkDecoded(t, polys, lines)
			if z == 14 {
				if want := expectedPolygons(gs); len(polys) != len(want) {
					t.Fatalf("run %d: %d polygons, clipped input has %d", run, len(polys), len(want))
				}
			}
		}
	}
}

// rawTile is one layer holding one feature of geometry type typ with the
// given command integers, bypassing every encoder.
func rawTile(typ uint32, geom ...uint32) []byte {
	f := appendTag(nil, 3, wireVarint)
	f = append(f, byte(typ))
	f = appendPacked(f, 4, geom)
	l := appendTag(nil, 15, wireVarint)
	l = append(l, 2)
	l = appendLen(l, 1, []byte("raw"))
	l = appendLen(l, 2, f)
	return appendLen(nil, 3, l)
}

func TestCheckMVTFindsViolations(t *testing.T) {
	marshal := func(gs ...orb.Geometry) []byte {
		fc := geojson.NewFeatureCollection()
		for _, g := range gs {
			fc.Append(geojson.NewFeature(g))
		}
		l := mvt.NewLayer("orb", fc)
		l.Version = 2
		b, err := mvt.Marshal(mvt.Layers{l})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	z := func(v int32) uint32 { return zigzag(v) }
	tests := []struct {
		name string
		tile []byte
		want string // in the error; "" for none
	}{
		{"polygon with hole", marshal(orb.Polygon{box(0, 0, 100, 100, true), box(10, 10, 20, 20, false)}), ""},
		{"multipolygon", marshal(orb.MultiPolygon{{box(0, 0, 100, 100, true), box(10, 10, 20, 20, false)}, {box(200, 0, 300, 100, true)}}), ""},
		{"gzipped", Gzip(marshal(orb.Polygon{box(0, 0, 100, 100, true)})), ""},
		{"line and points", marshal(orb.LineString{{0, 0}, {5, 5}}, orb.MultiPoint{{1, 1}, {1, 1}}), ""},
		{"exterior wound negative", marshal(orb.Polygon{box(0, 0, 100, 100, false)}), "exterior"},
		{"gzipped, exterior wound negative", Gzip(marshal(orb.Polygon{box(0, 0, 100, 100, false)})), "exterior"},
		{"zero-length LineTo in a line", marshal(orb.LineString{{0, 0}, {0, 0}, {5, 5}}), "zero-length"},
		{"zero-length LineTo in a ring", marshal(orb.Polygon{{{0, 0}, {100, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}), "zero-length"},
		{"closing point repeated", marshal(orb.Polygon{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}, {0, 0}}}), "repeats its first point"},
		{"ring of two points", marshal(orb.Polygon{{{0, 0}, {100, 0}}}), "LineTo with 2 or more"},
		{"ring without area", marshal(orb.Polygon{{{0, 0}, {50, 0}, {100, 0}, {0, 0}}}), "no area"},
		{"line without LineTo", rawTile(typeLine, 1<<3|cmdMoveTo, z(1), z(1)), "geometry ends"},
		{"line MoveTo of two", rawTile(typeLine, 2<<3|cmdMoveTo, z(1), z(1), z(2), z(2)), "want MoveTo(1)"},
		{"ring without ClosePath", rawTile(typePolygon, 1<<3|cmdMoveTo, 0, 0, 2<<3|cmdLineTo, z(10), 0, 0, z(10)), "geometry ends"},
		{"ClosePath count 2", rawTile(typePolygon, 1<<3|cmdMoveTo, 0, 0, 2<<3|cmdLineTo, z(10), 0, 0, z(10), 2<<3|cmdClose), "ClosePath(1)"},
		{"parameters cut short", rawTile(typeLine, 1<<3|cmdMoveTo, z(1), z(1), 3<<3|cmdLineTo, z(1), z(1)), "geometry ends"},
		{"point with a LineTo", rawTile(typePoint, 1<<3|cmdMoveTo, 0, 0, 1<<3|cmdLineTo, z(1), 0), "after the MoveTo"},
		{"unknown geometry type", rawTile(4, 1<<3|cmdMoveTo, 0, 0), "geometry type 4"},
		{"not a tile", []byte{0xff, 0xff}, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckMVT(tt.tile)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("CheckMVT: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("CheckMVT: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// BenchmarkRender renders a z14 tile of polygons with holes and lines in
// GeoJSON winding, the shape of isochrone and road layers.
func BenchmarkRender(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	proj := fromTile(specTile)
	var fs []Feature
	for i := 0; i < 400; i++ {
		c := orb.Point{rng.Float64() * Extent, rng.Float64() * Extent}
		r := 20 + rng.Float64()*300
		p := orb.Polygon{star(rng, c, r, 50), star(rng, c, 0.2*r, 20)}
		l := orb.LineString{}
		for j := 0; j < 50; j++ {
			l = append(l, orb.Point{c[0] + float64(j)*4, c[1] + 30*math.Sin(float64(j)/5)})
		}
		fs = append(fs,
			Feature{ID: fmt.Sprintf("p%04d", i), Geom: project.Geometry(p, proj), Props: map[string]any{"minutes": i % 15}},
			Feature{ID: fmt.Sprintf("l%04d", i), Geom: project.Geometry(l, proj), Props: map[string]any{"class": "road"}})
	}
	l := Layer{Name: "bench", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Render(l, specTile, DefaultOptions); err != nil {
			b.Fatal(err)
		}
	}
}
