// Package tiles encodes any indexed lon/lat features as Mapbox Vector Tiles
// (orb's mvt and maptile): per-layer zoom range, clipping with a buffer,
// simplification per zoom, points thinned and specks dropped at low zoom,
// and a size cap that simplifies further rather than send a broken tile.
// It knows nothing of what computed the features.
package tiles

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"sort"

	"fireplan/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
)

// Tile geometry, as pg_tileserv and Martin serve by default.
const (
	Extent = 4096
	Buffer = 64
)

// Feature is one feature of a tile layer.
type Feature struct {
	ID      string
	Geom    orb.Geometry // lon/lat
	Props   map[string]any
	MinZoom int // drawn from this zoom on (0: the layer's)
}

// Source yields a layer's features whose lon/lat box meets b.
type Source interface {
	Search(b orb.Bound, fn func(f *Feature) bool)
}

// Layer is a named tile layer.
type Layer struct {
	Name        string
	Geometry    string // Point, LineString or Polygon, for clients
	Description string
	MinZoom     int
	MaxZoom     int // tiles exist to here; clients overzoom beyond
	Source      Source
}

// Collection is an in-memory Source over a slice of features.
type Collection struct {
	fs  []Feature
	idx geo.Index
}

// NewCollection indexes fs.
func NewCollection(fs []Feature) *Collection {
	c := &Collection{fs: fs}
	for i := range fs {
		c.idx.Insert(int32(i), fs[i].Geom.Bound())
	}
	return c
}

// Len returns the number of features.
func (c *Collection) Len() int { return len(c.fs) }

// Search implements Source.
func (c *Collection) Search(b orb.Bound, fn func(f *Feature) bool) {
	c.idx.Search(b, func(i int32) bool { return fn(&c.fs[i]) })
}

// Options bound a tile's cost.
type Options struct {
	MaxBytes int // encoded size above which a tile is simplified further
}

// DefaultOptions caps tiles at 500 KB, as map clients choke beyond.
var DefaultOptions = Options{MaxBytes: 500 << 10}

// Render encodes layer l's tile t, gzipped; nil when the tile is empty.
func Render(l Layer, t maptile.Tile, o Options) ([]byte, error) {
	if int(t.Z) < l.MinZoom || int(t.Z) > l.MaxZoom {
		return nil, nil
	}
	var fs []*Feature
	l.Source.Search(t.Bound(float64(Buffer)/Extent), func(f *Feature) bool {
		if f.MinZoom <= int(t.Z) {
			fs = append(fs, f)
		}
		return true
	})
	if len(fs) == 0 {
		return nil, nil
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].ID < fs[j].ID }) // deterministic bytes
	// Below the layer's top zoom, simplify by half a pixel (of a 512 px
	// tile) and drop what covers less than a pixel; each retry for size
	// doubles both.
	tol, speck := 4.0, 64.0
	if int(t.Z) >= l.MaxZoom {
		tol, speck = 0, 0
	}
	for attempt := 0; ; attempt++ {
		b, n, err := encode(l.Name, fs, t, tol, speck, int(t.Z) < l.MaxZoom)
		if err != nil || n == 0 {
			return nil, err
		}
		if len(b) <= o.MaxBytes || attempt == 6 {
			if len(b) > o.MaxBytes { // still too big: keep the first features that fit
				return fit(l.Name, fs, t, o.MaxBytes)
			}
			return b, nil
		}
		tol, speck = math.Max(8, tol*3), math.Max(64, speck*4)
	}
}

// encode builds and gzips one layer; it returns the bytes and the number of
// features kept.
func encode(name string, fs []*Feature, t maptile.Tile, tol, speck float64, thin bool) ([]byte, int, error) {
	fc := geojson.NewFeatureCollection()
	for _, f := range fs {
		gf := geojson.NewFeature(orb.Clone(f.Geom)) // ProjectToTile works in place
		gf.Properties = make(geojson.Properties, len(f.Props)+1)
		for k, v := range f.Props {
			gf.Properties[k] = v
		}
		gf.Properties["id"] = f.ID
		fc.Append(gf)
	}
	layer := mvt.NewLayer(name, fc)
	toTile := projector(t)
	for _, f := range layer.Features {
		f.Geometry = project.Geometry(f.Geometry, toTile)
	}
	if tol > 0 {
		// Judge a feature's size whole, before clipping: the sliver of a
		// big polygon in the buffer is not a speck.
		layer.Simplify(simplify.DouglasPeucker(tol))
		layer.RemoveEmpty(math.Sqrt(speck), speck)
	}
	layer.Clip(orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}})
	layer.RemoveEmpty(1e-9, 1e-9) // what clipping to the grid left without length or area
	if thin {
		thinPoints(layer, 8*math.Max(1, tol/4))
	}
	if len(layer.Features) == 0 {
		return nil, 0, nil
	}
	b, err := mvt.MarshalGzipped(mvt.Layers{layer})
	if err != nil {
		return nil, 0, fmt.Errorf("tile %s %d/%d/%d: %w", name, t.Z, t.X, t.Y, err)
	}
	return b, len(layer.Features), nil
}

// projector maps lon/lat to tile units of t, rounded to the nearest unit as
// PostGIS ST_AsMVTGeom snaps (orb's ProjectToTile floors, which shifts
// shapes half a unit and loses slivers PostGIS keeps).
func projector(t maptile.Tile) orb.Projection {
	scale := float64(uint64(1)<<t.Z) * Extent
	x0, y0 := float64(t.X)*Extent, float64(t.Y)*Extent
	return func(p orb.Point) orb.Point {
		x := (p[0] + 180) / 360 * scale
		s := math.Sin(p[1] * math.Pi / 180)
		y := (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * scale
		return orb.Point{math.Round(x - x0), math.Round(y - y0)}
	}
}

// thinPoints keeps one point per cell of the given size (tile units), the
// first in id order, so low zooms show where points are without drawing all.
func thinPoints(l *mvt.Layer, cell float64) {
	seen := map[[2]int32]bool{}
	kept := l.Features[:0]
	for _, f := range l.Features {
		if p, ok := f.Geometry.(orb.Point); ok {
			k := [2]int32{int32(math.Floor(p[0] / cell)), int32(math.Floor(p[1] / cell))}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		kept = append(kept, f)
	}
	l.Features = kept
}

// fit keeps the longest prefix of features whose tile fits max bytes.
func fit(name string, fs []*Feature, t maptile.Tile, max int) ([]byte, error) {
	lo, hi := 0, len(fs)
	var best []byte
	for lo < hi {
		mid := (lo + hi + 1) / 2
		b, _, err := encode(name, fs[:mid], t, 32, 4096, true)
		if err != nil {
			return nil, err
		}
		if len(b) <= max {
			lo, best = mid, b
		} else {
			hi = mid - 1
		}
	}
	return best, nil
}

// Gunzip returns the plain tile for clients that do not take gzip.
func Gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	_, err = out.ReadFrom(r)
	return out.Bytes(), err
}
