// Package tiles encodes any indexed lon/lat features as Mapbox Vector Tiles
// (orb's maptile, clip and simplify; a direct protobuf writer): per-layer zoom range, clipping with a buffer,
// simplification per zoom, points thinned and specks dropped at low zoom,
// and a size cap that simplifies further rather than send a broken tile.
// It knows nothing of what computed the features.
package tiles

import (
	"bytes"
	"compress/gzip"
	"hash/maphash"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"fireplan/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
)

// Tile geometry, as pg_tileserv and Martin serve by default.
const (
	Extent = 4096
	Buffer = 64
)

// LowZoom is the first zoom drawn in full: below it (county and province
// overviews) tiles are simplified, thinned and rid of specks.
const LowZoom = 12

// Feature is one feature of a tile layer, as a caller describes it.
type Feature struct {
	ID      string
	Geom    orb.Geometry // lon/lat
	Props   map[string]any
	MinZoom int // drawn from this zoom on (0: the layer's)
}

// Layer is a named tile layer.
type Layer struct {
	Name        string
	Geometry    string // Point, LineString or Polygon, for clients
	Description string
	MinZoom     int
	MaxZoom     int // tiles exist to here; clients overzoom beyond
	Source      *Set
}

// Set is a layer's features made ready for tiling: ids and lon/lat
// geometry read from the layer when a tile draws them (a province's layers
// had been copied whole, 200 MB the collector scanned again and again),
// minimum zooms read once; a feature's
// properties are read the first time a tile draws it, into pairs of
// indices into one dictionary of keys and encoded values. A tile then
// builds no maps, sorts no keys and hashes no values; it only renumbers the
// dictionary entries it uses. Reading properties lazily keeps a layer of
// millions of features ready in a fraction of the time, and spends nothing
// on features no one looks at.
type Set struct {
	n       int
	id      func(i int) string
	geom    func(i int) orb.Geometry // lon/lat
	rank    []int32                  // position of each feature in id order
	minZoom []int8
	search  func(b orb.Bound, fn func(i int32) bool)
	props   func(i int) map[string]any
	remaps  sync.Pool

	mu     sync.Mutex // guards what follows, which grows as tiles draw features
	tagAt  []int32    // start of feature i's pairs in tags; -1 until drawn
	tags   []uint32
	keys   []string
	keyIdx map[string]uint32
	// Values, encoded, one after another in valBuf: value k is
	// valBuf[valOff[k]:valOff[k+1]]. They are found again by a hash of
	// their bytes, the next hash when another value holds it. Every
	// feature's id is a value of its own: a map panned over a province
	// draws millions, and a slice and a map key each were as many objects
	// for the collector to mark on every cycle.
	valBuf []byte
	valOff []uint32
	valIdx map[uint64]uint32
	seed   maphash.Seed
	scr    []byte
	sorted []string
}

// dict is the dictionary as one tile saw it: entries are only ever
// appended, so a tile reads its prefix without the lock.
type dict struct {
	tagAt  []int32
	tags   []uint32
	keys   []string
	valBuf []byte
	valOff []uint32
}

// val returns value k's encoded bytes.
func (d *dict) val(k uint32) []byte { return d.valBuf[d.valOff[k]:d.valOff[k+1]] }

// vals returns the number of values.
func (d *dict) vals() int { return len(d.valOff) - 1 }

// NewSet prepares n features: id(i) and geom(i) give feature i's id and
// lon/lat geometry whenever a tile draws it, minZoom(i) (nil: the layer's)
// its minimum zoom, once, and props(i) its properties, when a tile first
// draws it; search finds feature indices by lon/lat box (a layer's
// existing index serves).
func NewSet(n int, id func(i int) string, geom func(i int) orb.Geometry, minZoom func(i int) int,
	props func(i int) map[string]any, search func(b orb.Bound, fn func(i int32) bool)) *Set {
	s := &Set{n: n, id: id, geom: geom, minZoom: make([]int8, n), tagAt: make([]int32, n),
		search: search, props: props, keyIdx: map[string]uint32{}, valOff: []uint32{0}, valIdx: map[uint64]uint32{},
		seed: maphash.MakeSeed()}
	byID := make([]int32, n)
	for i := 0; i < n; i++ {
		s.tagAt[i], byID[i] = -1, int32(i)
		if minZoom != nil {
			s.minZoom[i] = int8(minZoom(i))
		}
	}
	slices.SortFunc(byID, func(a, b int32) int { return strings.Compare(id(int(a)), id(int(b))) })
	s.rank = make([]int32, n)
	for r, i := range byID {
		s.rank[i] = int32(r)
	}
	return s
}

// NewCollection prepares fs with an R-tree of their own.
func NewCollection(fs []Feature) *Set {
	return NewIndexed(fs, func(i int) map[string]any { return fs[i].Props })
}

// NewIndexed prepares fs with an R-tree of their own, reading feature i's
// properties from props (fs' Props are not read).
func NewIndexed(fs []Feature, props func(i int) map[string]any) *Set {
	var idx geo.Index
	for i := range fs {
		if fs[i].Geom != nil {
			idx.Insert(int32(i), fs[i].Geom.Bound())
		}
	}
	search := func(b orb.Bound, fn func(i int32) bool) {
		idx.SearchExact(b, func(i int32) orb.Bound { return fs[i].Geom.Bound() }, fn)
	}
	return NewSet(len(fs), func(i int) string { return fs[i].ID }, func(i int) orb.Geometry { return fs[i].Geom },
		func(i int) int { return fs[i].MinZoom }, props, search)
}

// prepare reads the properties of the features in fs not drawn before and
// returns the dictionary as it then stands.
func (s *Set) prepare(fs []int32) dict {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dictBytes() > DictBytes {
		s.restart()
	}
	for _, i := range fs {
		if s.tagAt[i] < 0 {
			s.tagAt[i] = int32(len(s.tags))
			s.addTags(i)
		}
	}
	return dict{tagAt: s.tagAt, tags: s.tags, keys: s.keys, valBuf: s.valBuf, valOff: s.valOff}
}

// DictBytes bounds a layer's dictionary: past it, the next tile starts a
// new one. A map panned over a province would otherwise keep the
// properties of every feature ever drawn (at 110 counties, hundreds of
// megabytes); a feature's are read again in a microsecond.
var DictBytes = 64 << 20

func (s *Set) dictBytes() int {
	return 4*len(s.tags) + len(s.valBuf) + 4*len(s.valOff) + 16*len(s.valIdx)
}

// restart empties the dictionary. Tiles drawing meanwhile keep the one
// they were given: its arrays are left as they are, new ones begun.
func (s *Set) restart() {
	tagAt := make([]int32, s.n)
	for i := range tagAt {
		tagAt[i] = -1
	}
	s.tagAt, s.tags, s.keys, s.keyIdx = tagAt, nil, nil, map[string]uint32{}
	s.valBuf, s.valOff, s.valIdx = nil, []uint32{0}, map[uint64]uint32{}
}

// addTags appends feature i's id and properties, keys sorted, as pairs of
// dictionary indices, ended by a pair of markers.
func (s *Set) addTags(i int32) {
	props := s.props(int(i))
	s.sorted = s.sorted[:0]
	for k, v := range props {
		if v != nil && k != "id" {
			s.sorted = append(s.sorted, k)
		}
	}
	sort.Strings(s.sorted)
	add := func(k string, v any) {
		ki, ok := s.keyIdx[k]
		if !ok {
			ki = uint32(len(s.keys))
			s.keys = append(s.keys, k)
			s.keyIdx[k] = ki
		}
		enc, ok := appendValue(s.scr[:0], v)
		s.scr = enc
		if !ok {
			return
		}
		// Equal bytes are equal values: the encoding holds the type. A
		// value whose hash another holds tries the next.
		var vi uint32
		for h := valueHash(s.seed, enc); ; h++ {
			k, seen := s.valIdx[h]
			if !seen {
				vi = uint32(len(s.valOff) - 1)
				s.valBuf = append(s.valBuf, enc...)
				s.valOff = append(s.valOff, uint32(len(s.valBuf)))
				s.valIdx[h] = vi
				break
			}
			if bytes.Equal(s.valBuf[s.valOff[k]:s.valOff[k+1]], enc) {
				vi = k
				break
			}
		}
		s.tags = append(s.tags, ki, vi)
	}
	add("id", s.id(int(i)))
	for _, k := range s.sorted {
		add(k, props[k])
	}
	s.tags = append(s.tags, endTags, endTags)
}

// valueHash finds a dictionary value again (a variable, so that a test can
// make every value collide).
var valueHash = maphash.Bytes

// endTags ends a feature's pairs in Set.tags.
const endTags = math.MaxUint32

// featureTags returns feature i's pairs from d.
func (d dict) featureTags(i int32) []uint32 {
	t := d.tags[d.tagAt[i]:]
	n := 0
	for t[n] != endTags {
		n += 2
	}
	return t[:n]
}

// Len returns the number of features.
func (s *Set) Len() int { return s.n }

// Options bound a tile's cost.
type Options struct {
	MaxBytes int // encoded size above which a tile is simplified further
}

// DefaultOptions caps tiles at 500 KB, as map clients choke beyond.
var DefaultOptions = Options{MaxBytes: 500 << 10}

// Render encodes layer l's tile t (plain MVT); nil when the tile is empty.
func Render(l Layer, t maptile.Tile, o Options) ([]byte, error) {
	if int(t.Z) < l.MinZoom || int(t.Z) > l.MaxZoom {
		return nil, nil
	}
	set := l.Source
	var fs []int32
	// One unit beyond the buffer: what rounds onto its edge is in, as ST_AsMVTGeom keeps it.
	set.search(t.Bound(float64(Buffer+1)/Extent), func(i int32) bool {
		if int(set.minZoom[i]) <= int(t.Z) {
			fs = append(fs, i)
		}
		return true
	})
	if len(fs) == 0 {
		return nil, nil
	}
	slices.SortFunc(fs, func(a, b int32) int { return int(set.rank[a] - set.rank[b]) }) // id order: deterministic bytes
	// At overview zooms, simplify by half a pixel (of a 512 px tile), drop
	// what covers less than a pixel and thin points; from LowZoom on a tile
	// holds what ST_AsMVT would. A tile over the size cap is simplified
	// (harder on each retry) at any zoom.
	tol, speck := 0.0, 0.0
	low := int(t.Z) < LowZoom && int(t.Z) < l.MaxZoom
	if low {
		tol, speck = 4, 64
	}
	d := set.prepare(fs)
	for attempt := 0; ; attempt++ {
		b, n, err := encode(l.Name, set, d, fs, t, tol, speck, low)
		if err != nil || n == 0 {
			return nil, err
		}
		if len(b) <= o.MaxBytes || attempt == 6 {
			if len(b) > o.MaxBytes { // still too big: keep the first features that fit
				return fit(l.Name, set, d, fs, t, o.MaxBytes)
			}
			return b, nil
		}
		tol, speck = math.Max(8, tol*3), math.Max(64, speck*4)
	}
}

// encode builds one layer's tile; it returns the bytes and the number of
// features kept.
func encode(name string, set *Set, d dict, fs []int32, t maptile.Tile, tol, speck float64, thin bool) ([]byte, int, error) {
	toTile := projector(t)
	box := orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}}
	enc := newLayerEncoder(name, set, d)
	defer enc.release()
	dp := simplify.DouglasPeucker(tol)
	cell := 8 * math.Max(1, tol/4)
	var seen map[[2]int32]bool
	if thin {
		seen = map[[2]int32]bool{}
	}
	for _, f := range fs {
		g := projectCopy(set.geom(int(f)), toTile)
		dim := g.Dimensions()
		if tol > 0 && dim > 0 {
			// Judge a feature's size whole, before clipping: the sliver of a
			// big polygon in the buffer is not a speck.
			g = dp.Simplify(g)
			if g == nil || tooSmall(g, dim, speck) {
				continue
			}
		}
		if b := g.Bound(); !box.Contains(b.Min) || !box.Contains(b.Max) {
			if g = clip.Geometry(box, g); g == nil {
				continue
			}
		}
		if dim > 0 && tooSmall(g, dim, 1e-9) { // what clipping to the grid left without length or area
			continue
		}
		if p, ok := g.(orb.Point); ok && thin {
			// One point per cell, the first in id order: low zooms show where
			// points are without drawing them all.
			k := [2]int32{int32(math.Floor(p[0] / cell)), int32(math.Floor(p[1] / cell))}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		enc.add(g, d.featureTags(f))
	}
	if enc.n == 0 {
		return nil, 0, nil
	}
	return enc.tile(), enc.n, nil
}

func tooSmall(g orb.Geometry, dim int, limit float64) bool {
	if dim == 1 {
		return planar.Length(g) < math.Sqrt(limit)
	}
	return planar.Area(g) < limit
}

// projectCopy returns g in tile units, as a new geometry.
func projectCopy(g orb.Geometry, f orb.Projection) orb.Geometry {
	pts := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = f(p)
		}
		return out
	}
	poly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = pts(r)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.MultiPoint:
		return orb.MultiPoint(pts(g))
	case orb.LineString:
		return orb.LineString(pts(g))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, l := range g {
			out[i] = pts(l)
		}
		return out
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = poly(p)
		}
		return out
	}
	return project.Geometry(orb.Clone(g), f)
}

// toWorld maps lon/lat to Web Mercator world units: x and y in [0, 1],
// y growing southward as tile rows do.
func toWorld(p orb.Point) orb.Point {
	s := math.Sin(p[1] * math.Pi / 180)
	return orb.Point{(p[0] + 180) / 360, 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)}
}

// projector maps lon/lat to tile units of t, rounded to the nearest unit
// as PostGIS ST_AsMVTGeom snaps (orb's ProjectToTile floors, which shifts
// shapes half a unit and loses slivers PostGIS keeps).
func projector(t maptile.Tile) orb.Projection {
	scale := float64(uint64(1)<<t.Z) * Extent
	x0, y0 := float64(t.X)*Extent, float64(t.Y)*Extent
	return func(p orb.Point) orb.Point {
		w := toWorld(p)
		return orb.Point{math.Round(w[0]*scale - x0), math.Round(w[1]*scale - y0)}
	}
}

// fit keeps the longest prefix of features whose tile fits max bytes.
func fit(name string, set *Set, d dict, fs []int32, t maptile.Tile, max int) ([]byte, error) {
	lo, hi := 0, len(fs)
	var best []byte
	for lo < hi {
		mid := (lo + hi + 1) / 2
		b, _, err := encode(name, set, d, fs[:mid], t, 32, 4096, true)
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

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// Gzip compresses a tile at the fastest level: tiles are small and many,
// and the default level spends twice the time for a few per cent.
func Gzip(b []byte) []byte {
	var out bytes.Buffer
	w := gzipPool.Get().(*gzip.Writer)
	w.Reset(&out)
	w.Write(b)
	w.Close()
	gzipPool.Put(w)
	return out.Bytes()
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
