package api

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"fireplan/coverage"
	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/tiles"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/project"
)

// shoelace is a ring's area by the surveyor's formula on its coordinates
// as they are, the MVT 2.1 spec's (4.3.4.4): in tile coordinates (y down)
// an exterior ring's is positive and a hole's negative.
func shoelace(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	if n := len(r); n > 0 && r[0] != r[n-1] {
		a += r[n-1][0]*r[0][1] - r[0][0]*r[n-1][1]
	}
	return a / 2
}

func polygons(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// checkMVT decodes a gzipped tile and checks it against MVT 2.1 as a
// strict client reads it: one layer of the entry's name, version 2, extent
// 4096; each feature with a unique id and integer coordinates within the
// buffer; the geometry of the layer's kind; polygon rings closed with
// three distinct points at least, exteriors of positive area and holes of
// negative area.
func checkMVT(b []byte, name, geometry string) (*mvt.Layer, error) {
	ls, err := mvt.UnmarshalGzipped(b)
	if err != nil {
		return nil, err
	}
	if len(ls) != 1 || ls[0].Name != name {
		return nil, fmt.Errorf("%d layers, want one named %s", len(ls), name)
	}
	l := ls[0]
	if l.Version != 2 || l.Extent != tiles.Extent {
		return nil, fmt.Errorf("version %d, extent %d: want 2 and %d", l.Version, l.Extent, tiles.Extent)
	}
	ids := map[string]bool{}
	lim := float64(tiles.Extent + tiles.Buffer + 1)
	for _, f := range l.Features {
		id, _ := f.Properties["id"].(string)
		if id == "" || ids[id] {
			return nil, fmt.Errorf("feature id %v missing or repeated", f.Properties["id"])
		}
		ids[id] = true
		var bad error
		eachPoint(f.Geometry, func(p orb.Point) {
			if bad == nil && (p[0] != math.Trunc(p[0]) || p[1] != math.Trunc(p[1]) || math.Abs(p[0]-tiles.Extent/2) > lim-tiles.Extent/2 ||
				math.Abs(p[1]-tiles.Extent/2) > lim-tiles.Extent/2) {
				bad = fmt.Errorf("feature %s: point %v off the grid or beyond the buffer", id, p)
			}
		})
		if bad != nil {
			return nil, bad
		}
		dim := f.Geometry.Dimensions()
		if want := map[string]int{"Point": 0, "LineString": 1, "Polygon": 2}[geometry]; dim != want && dim != 0 {
			// Points may join any layer: buildings without an outline, the
			// unprotected buildings among hydrant gaps.
			return nil, fmt.Errorf("feature %s: a %s in a %s layer", id, f.Geometry.GeoJSONType(), geometry)
		}
		for _, p := range polygons(f.Geometry) {
			for k, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					return nil, fmt.Errorf("feature %s: ring %d of %d points, open or degenerate", id, k, len(r))
				}
				if a := shoelace(r); k == 0 && a <= 0 || k > 0 && a >= 0 {
					return nil, fmt.Errorf("feature %s: ring %d (%s) has area %g in tile coordinates: exteriors must be positive, holes negative",
						id, k, map[bool]string{true: "exterior", false: "hole"}[k == 0], a)
				}
			}
		}
	}
	return l, nil
}

func eachPoint(g orb.Geometry, fn func(orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		fn(g)
	case orb.MultiPoint:
		for _, p := range g {
			fn(p)
		}
	case orb.LineString:
		for _, p := range g {
			fn(p)
		}
	case orb.MultiLineString:
		for _, l := range g {
			eachPoint(l, fn)
		}
	case orb.Ring:
		for _, p := range g {
			fn(p)
		}
	case orb.Polygon:
		for _, r := range g {
			eachPoint(r, fn)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			eachPoint(p, fn)
		}
	}
}

// inTile projects lon/lat geometry to tile t's coordinates (extent 4096,
// y down, not rounded) and clips it to the tile and its buffer.
func inTile(g orb.Geometry, t maptile.Tile) orb.Geometry {
	g = project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point {
		f := maptile.Fraction(p, t.Z)
		return orb.Point{(f[0] - float64(t.X)) * tiles.Extent, (f[1] - float64(t.Y)) * tiles.Extent}
	})
	box := orb.Bound{Min: orb.Point{-tiles.Buffer, -tiles.Buffer}, Max: orb.Point{tiles.Extent + tiles.Buffer, tiles.Extent + tiles.Buffer}}
	return clip.Geometry(box, g)
}

// shape is what a polygon feature holds in a tile: polygons, holes, area
// (exteriors less holes, in square tile units) and perimeter.
type shape struct {
	polygons, holes int
	area, perimeter float64
}

func shapeOf(mp orb.MultiPolygon) shape {
	var s shape
	for _, p := range mp {
		if len(p) == 0 || math.Abs(shoelace(p[0])) == 0 {
			continue
		}
		s.polygons++
		for k, r := range p {
			a := math.Abs(shoelace(r))
			if k > 0 {
				if a == 0 {
					continue
				}
				s.holes++
				a = -a
			}
			s.area += a
			for i := 0; i+1 < len(r); i++ {
				s.perimeter += math.Hypot(r[i+1][0]-r[i][0], r[i+1][1]-r[i][1])
			}
		}
	}
	return s
}

// sourceFeatures returns an entry's features at its default parameters:
// id and lon/lat geometry, as the tiles are built from.
func sourceFeatures(t *testing.T, s *Server, e *coverage.Entry, snap *data.Snapshot) ([]string, []orb.Geometry) {
	t.Helper()
	var ids []string
	var geoms []orb.Geometry
	if !e.Analysis() {
		v, _ := snap.Layer(e.Layer)
		for i := 0; i < v.Len(); i++ {
			f := v.Feature(i)
			ids, geoms = append(ids, f.FeatureID()), append(geoms, f.Geometry())
		}
		return ids, geoms
	}
	tb, err := s.Catalog().Table(context.Background(), e, snap, e.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	for i := range tb.Len() {
		ids, geoms = append(ids, tb.ID(i)), append(geoms, tb.LonLat(i))
	}
	return ids, geoms
}

// conformanceTiles picks, at each zoom from 8 to 16 the layer serves, the
// tiles holding holes of its polygons first, then the centres of features
// spread through the layer: at most max in all.
func conformanceTiles(e *coverage.Entry, geoms []orb.Geometry, max int) []maptile.Tile {
	var holes, centres []orb.Point
	for _, g := range geoms {
		for _, p := range polygons(g) {
			for _, r := range p[1:] {
				if len(r) > 0 {
					holes = append(holes, r[0])
				}
			}
		}
	}
	const spread = 24
	for k := 0; k < spread && len(geoms) > 0; k++ {
		centres = append(centres, geoms[k*len(geoms)/spread].Bound().Center())
	}
	lo, hi := max8(e.MinZoom), min(16, e.MaxZoom)
	if hi < lo {
		return nil
	}
	perZoom := max / (hi - lo + 1)
	var out []maptile.Tile
	for z := lo; z <= hi; z++ {
		seen := map[maptile.Tile]bool{}
		for _, pts := range [][]orb.Point{holes[:min(len(holes), perZoom/2)], centres} {
			for _, p := range pts {
				tl := maptile.At(p, maptile.Zoom(z))
				if len(seen) < perZoom && !seen[tl] {
					seen[tl] = true
					out = append(out, tl)
				}
			}
		}
	}
	return out
}

func max8(z int) int { return max(8, z) }

// Every tile layer's tiles at z8-z16 are valid MVT 2.1, and hold their
// polygons as the table has them: from LowZoom (z12) on, the tile is the
// geometry clipped to the tile and buffer, so the polygons, holes and area
// match it; below, simplified, a tile has no more polygons or holes than
// that. A hole wound like an exterior reads as an extra polygon: it fails.
func TestTilesConformToMVT(t *testing.T) {
	s, srv := sampleServer(t)
	mixedSnap := data.NewSnapshot(sample.Generate(sample.Options{Seed: 7, Mixed: true}), "mixed", nil)
	mixed, mixedSrv := serve(t, mixedSnap)
	for _, county := range []struct {
		name string
		s    *Server
		srv  *httptest.Server
		snap *data.Snapshot
	}{{"sample", s, srv, sampleSnap}, {"mixed", mixed, mixedSrv, mixedSnap}} {
		t.Run(county.name, func(t *testing.T) { conformToMVT(t, county.s, county.srv, county.snap) })
	}
}

// conformToMVT checks every tile layer of one county's server.
func conformToMVT(t *testing.T, s *Server, srv *httptest.Server, snap *data.Snapshot) {
	for _, e := range s.Catalog().Entries {
		if !e.Tiled {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			ids, geoms := sourceFeatures(t, s, e, snap)
			byID := make(map[string]orb.Geometry, len(ids))
			for i, id := range ids {
				byID[id] = geoms[i]
			}
			ts := conformanceTiles(e, geoms, 40)
			if len(ts) == 0 {
				t.Fatalf("no tiles to check between z%d and z%d", e.MinZoom, e.MaxZoom)
			}
			var nonEmpty, polys, holes, tight int
			for _, tl := range ts {
				req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", srv.URL, e.Name, tl.Z, tl.X, tl.Y), nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := readAll(resp)
				if resp.StatusCode == http.StatusNoContent {
					continue
				}
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
					t.Fatalf("tile %v: status %d, encoding %q", tl, resp.StatusCode, resp.Header.Get("Content-Encoding"))
				}
				nonEmpty++
				if err := tiles.CheckMVT(b); err != nil {
					t.Fatalf("tile %d/%d/%d: %v", tl.Z, tl.X, tl.Y, err)
				}
				l, err := checkMVT(b, e.Name, e.Geometry)
				if err != nil {
					t.Fatalf("tile %d/%d/%d: %v", tl.Z, tl.X, tl.Y, err)
				}
				for _, f := range l.Features {
					id := f.Properties["id"].(string)
					src, ok := byID[id]
					if !ok {
						t.Fatalf("tile %d/%d/%d: feature %s is not in the table", tl.Z, tl.X, tl.Y, id)
					}
					got := polygons(f.Geometry)
					if got == nil {
						continue
					}
					want := shapeOf(polygons(inTile(src, tl)))
					have := shapeOf(got)
					polys, holes = polys+have.polygons, holes+have.holes
					where := fmt.Sprintf("tile %d/%d/%d feature %s", tl.Z, tl.X, tl.Y, id)
					if tl.Z < tiles.LowZoom && int(tl.Z) < e.MaxZoom {
						// Simplified: rings may go, none may come.
						if have.polygons > want.polygons || have.holes > want.holes {
							t.Errorf("%s: %d polygons with %d holes, the table clipped to the tile has %d with %d",
								where, have.polygons, have.holes, want.polygons, want.holes)
						}
						continue
					}
					tight++
					// Each vertex moves at most half a unit either way when
					// rounded to the grid: the area by less than the perimeter.
					tol := want.perimeter + 4
					if have.polygons != want.polygons || have.holes != want.holes || math.Abs(have.area-want.area) > tol {
						t.Errorf("%s: %d polygons, %d holes, area %.1f; the table clipped to the tile: %d, %d, %.1f (±%.1f)",
							where, have.polygons, have.holes, have.area, want.polygons, want.holes, want.area, tol)
					}
				}
			}
			t.Logf("%d tiles, %d non-empty; %d polygons with %d holes, %d compared in full", len(ts), nonEmpty, polys, holes, tight)
			if nonEmpty == 0 {
				t.Fatal("every tile checked was empty")
			}
			if e.Geometry == "Polygon" && polys == 0 {
				t.Fatal("no polygon checked in a polygon layer")
			}
		})
	}
}

func readAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
