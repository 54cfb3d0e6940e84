package data

import (
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Set is the raw content of a county: the nine layers as typed slices.
// A loader or the sample generator fills it; NewSnapshot checks and indexes it.
type Set struct {
	Hydrants  []Hydrant
	Stations  []Station
	Roads     []Road
	Buildings []Building
	Villages  []Village
	Districts []District
	FireLanes []FireLane
	Townships []Township
	Builtup   []Builtup
}

// Layer is one layer of a snapshot: the items, their geometry in metres and
// R-tree indexes on both.
type Layer[T Feature] struct {
	schema Schema
	Items  []T
	Metric []orb.Geometry // Items' geometry in the snapshot's projection
	MBound []orb.Bound    // bounds of Metric
	bound  orb.Bound      // lon/lat
	boxes  []geo.Box32    // lon/lat bounds, offsets from boxO
	boxO   orb.Point
	proj   *geo.Projection
	MIndex geo.Index // metric bounds
	// Version hashes the layer's content (see contentVersion).
	Version uint64
}

// View is the layer-independent face of a Layer, for serving and tiling.
type View interface {
	Schema() Schema
	Len() int
	Bound() orb.Bound
	Feature(i int) Feature
	// ID and Geom are item i's id and lon/lat geometry, read without the
	// copy of the item Feature makes.
	ID(i int) string
	Geom(i int) orb.Geometry
	// Search calls fn for every item whose lon/lat box meets b.
	Search(b orb.Bound, fn func(i int32) bool)
	// ContentVersion hashes the layer's content.
	ContentVersion() uint64
	// Metres returns the items' geometries in metres of the projection.
	Metres() []orb.Geometry
}

// Metres returns the items' geometries in metres.
func (l *Layer[T]) Metres() []orb.Geometry { return l.Metric }

// ContentVersion returns the layer's Version.
func (l *Layer[T]) ContentVersion() uint64 { return l.Version }

// Schema returns the layer's schema.
func (l *Layer[T]) Schema() Schema { return l.schema }

// Len returns the number of items.
func (l *Layer[T]) Len() int { return len(l.Items) }

// Bound returns the lon/lat bound of the layer (empty bound when empty).
func (l *Layer[T]) Bound() orb.Bound { return l.bound }

// Feature returns item i.
func (l *Layer[T]) Feature(i int) Feature { return l.Items[i] }

// ID returns item i's id.
func (l *Layer[T]) ID(i int) string { return l.Items[i].FeatureID() }

// Geom returns item i's lon/lat geometry.
func (l *Layer[T]) Geom(i int) orb.Geometry { return l.Items[i].Geometry() }

// Search calls fn for every item whose lon/lat box meets b until fn returns
// false: exactly those, as a bbox filter and a tile promise.
//
// The metric index answers it: a lon/lat index beside it would cost a
// province hundreds of megabytes and its load a second R-tree. The box is
// first cut to the layer's own, where the projection is true.
func (l *Layer[T]) Search(b orb.Bound, fn func(i int32) bool) {
	if len(l.Items) == 0 || !b.Intersects(l.bound) {
		return
	}
	c := orb.Bound{Min: orb.Point{max(b.Min[0], l.bound.Min[0]), max(b.Min[1], l.bound.Min[1])},
		Max: orb.Point{min(b.Max[0], l.bound.Max[0]), min(b.Max[1], l.bound.Max[1])}}
	l.MIndex.Search(l.proj.ForwardCover(c), func(i int32) bool {
		if !l.boxes[i].Meets(b, l.boxO, func() orb.Bound { return l.Items[i].Geometry().Bound() }) {
			return true
		}
		return fn(i)
	})
}

// layerItem is an item a layer can be built of.
type layerItem[T any] interface {
	hashedFeature
	// packed returns the item with its geometry, id and attributes copied
	// into p's shared arrays.
	packed(p *packer) T
}

// newLayer projects and indexes items, which it owns: each is replaced by
// its packed copy.
func newLayer[T layerItem[T]](s Schema, items []T, proj *geo.Projection) *Layer[T] {
	l := &Layer[T]{schema: s, Items: items, Metric: make([]orb.Geometry, len(items)), MBound: make([]orb.Bound, len(items)),
		boxes: make([]geo.Box32, len(items)), proj: proj}
	l.Version = layerVersion(l)
	var raw packer
	var metric geo.Arena
	for i := range items {
		items[i] = items[i].packed(&raw)
		g := items[i].Geometry()
		b := g.Bound()
		if i == 0 {
			l.bound = b
		} else {
			l.bound = l.bound.Union(b)
		}
		if i == 0 {
			l.boxO = b.Min
		}
		l.boxes[i] = geo.NewBox32(b, l.boxO)
		m := metric.Forward(proj, g)
		l.Metric[i] = m
		l.MBound[i] = m.Bound()
		l.MIndex.Insert(int32(i), l.MBound[i])
	}
	return l
}

// Snapshot is an immutable, indexed county. Analyses read it without locks;
// a reload builds a new one and swaps it in (see Store).
type Snapshot struct {
	Version  uint64    // hash of the layers' content: equal data, equal version, in any process
	Source   string    // "sample seed=... scale=..." or the database; not part of Version
	LoadedAt time.Time // not part of Version
	Proj     *geo.Projection
	Options  Options   // what it was built with; a derived snapshot keeps them
	Base     *Snapshot // the snapshot it was derived from (see Derive); nil for a load
	Report   *Report
	// derivedBuiltup: no built-up area was loaded, so they were derived
	// from the buildings (and change with them).
	derivedBuiltup bool

	Hydrants  *Layer[Hydrant]
	Stations  *Layer[Station]
	Roads     *Layer[Road]
	Buildings *Layer[Building]
	Villages  *Layer[Village]
	Districts *Layer[District]
	FireLanes *Layer[FireLane]
	Townships *Layer[Township]
	Builtup   *Layer[Builtup]
}

func schema(name string) Schema {
	s, _ := SchemaOf(name)
	return s
}

// filter runs already typed items through the id and geometry checks.
func filter[T Feature](layer string, items []T, rep *Report, source string) []T {
	lr := rep.Layer(layer)
	if lr == nil {
		lr = newLayerReport(layer, source)
		rep.Layers = append(rep.Layers, lr)
	}
	lr.Loaded = 0
	c := newCollector[T](schema(layer), nil, lr)
	// Nearly all are kept: one allocation, not a province's worth of regrowing.
	c.items, c.seen = make([]T, 0, len(items)), make(map[string]struct{}, len(items))
	for _, it := range items {
		c.keep(it)
	}
	return c.items
}

// NewSnapshot is NewSnapshotWith under DefaultOptions.
func NewSnapshot(set *Set, source string, rep *Report) *Snapshot {
	s, _ := NewSnapshotWith(set, source, rep, DefaultOptions()) // the defaults pass Check
	return s
}

// NewSnapshotWith checks every item of set (ids unique and present,
// geometry of the right type with finite lon/lat), adds what it skipped to
// rep (a new report when nil), projects and indexes the rest. The
// projection's origin follows the bulk of the data (see Set.origin); a
// feature with a vertex beyond opt.MaxDistanceM of it is skipped as
// bad_coordinate. Without built-up areas, they are derived from the
// buildings (see deriveBuiltup) and noted in the report. The version is a
// hash of the items kept, derived areas included (see Snapshot.Version).
func NewSnapshotWith(set *Set, source string, rep *Report, opt Options) (*Snapshot, error) {
	return build(nil, nil, set, source, rep, opt)
}

// Rebuild returns the snapshot NewSnapshotWith would build from set, where
// only the layers named in read differ from what prev was built from: every
// other layer, with its indexes, metric geometry and report, is prev's. A
// reload after a hydrant's edit then checks, projects and indexes the
// hydrants alone. When the roads were read (the projection's origin follows
// them), or the options differ, everything is built anew.
func Rebuild(prev *Snapshot, read []string, set *Set, source string, rep *Report, opt Options) (*Snapshot, error) {
	if prev == nil || prev.Base != nil || prev.Options != opt || prev.Roads.Len() == 0 || slices.Contains(read, LayerRoads) {
		return NewSnapshotWith(set, source, rep, opt)
	}
	return build(prev, read, set, source, rep, opt)
}

// build is NewSnapshotWith, keeping prev's layers not named in read.
func build(prev *Snapshot, read []string, set *Set, source string, rep *Report, opt Options) (*Snapshot, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	if rep == nil {
		rep = &Report{}
	}
	s := &Snapshot{Source: source, LoadedAt: time.Now(), Report: rep, Options: opt}
	// A layer not read again is prev's; built-up areas derived from the
	// buildings change with them.
	k := map[string]bool{}
	for _, name := range LayerNames() {
		k[name] = prev != nil && !slices.Contains(read, name)
	}
	k[LayerBuiltup] = k[LayerBuiltup] && (k[LayerBuildings] || !prev.derivedBuiltup)
	for _, name := range LayerNames() {
		if k[name] {
			rep.keep(prev.Report.Layer(name))
		}
	}
	checked(&set.Hydrants, LayerHydrants, k, rep, source)
	checked(&set.Stations, LayerStations, k, rep, source)
	checked(&set.Roads, LayerRoads, k, rep, source)
	checked(&set.Buildings, LayerBuildings, k, rep, source)
	checked(&set.Villages, LayerVillages, k, rep, source)
	checked(&set.Districts, LayerDistricts, k, rep, source)
	checked(&set.FireLanes, LayerFireLanes, k, rep, source)
	checked(&set.Townships, LayerTownships, k, rep, source)
	checked(&set.Builtup, LayerBuiltup, k, rep, source)

	if prev != nil {
		s.Proj = prev.Proj // the roads are prev's: so is the origin
	} else {
		s.Proj = geo.NewProjection(set.origin())
	}
	o, maxM := s.Proj.Origin(), opt.MaxDistanceM
	var p Snapshot
	if prev != nil {
		p = *prev
	}
	s.Hydrants = placed(set.Hydrants, LayerHydrants, p.Hydrants, k, o, maxM, rep, s.Proj)
	s.Stations = placed(set.Stations, LayerStations, p.Stations, k, o, maxM, rep, s.Proj)
	s.Roads = placed(set.Roads, LayerRoads, p.Roads, k, o, maxM, rep, s.Proj)
	s.Buildings = placed(set.Buildings, LayerBuildings, p.Buildings, k, o, maxM, rep, s.Proj)
	s.Villages = placed(set.Villages, LayerVillages, p.Villages, k, o, maxM, rep, s.Proj)
	s.Districts = placed(set.Districts, LayerDistricts, p.Districts, k, o, maxM, rep, s.Proj)
	s.FireLanes = placed(set.FireLanes, LayerFireLanes, p.FireLanes, k, o, maxM, rep, s.Proj)
	s.Townships = placed(set.Townships, LayerTownships, p.Townships, k, o, maxM, rep, s.Proj)
	if k[LayerBuiltup] {
		s.Builtup, s.derivedBuiltup = p.Builtup, p.derivedBuiltup
	} else {
		set.Builtup = dropFar(set.Builtup, o, maxM, rep.Layer(LayerBuiltup))
		s.Builtup = newLayer(schema(LayerBuiltup), s.builtup(set, rep, opt), s.Proj)
	}
	if prev != nil {
		rep.sort() // kept reports came first
	}
	s.Version = contentVersion(s)
	return s, nil
}

// checked runs a layer's items through the id and geometry checks, unless
// the layer is kept from an earlier snapshot.
func checked[T Feature](items *[]T, layer string, kept map[string]bool, rep *Report, source string) {
	if !kept[layer] {
		*items = filter(layer, *items, rep, source)
	}
}

// placed returns a layer kept from an earlier snapshot, or projects and
// indexes items after dropping what lies beyond maxM of the origin.
func placed[T layerItem[T]](items []T, layer string, prev *Layer[T], kept map[string]bool, o orb.Point, maxM float64, rep *Report, proj *geo.Projection) *Layer[T] {
	if kept[layer] {
		return prev
	}
	return newLayer(schema(layer), dropFar(items, o, maxM, rep.Layer(layer)), proj)
}

// builtup returns set's built-up areas, or without any those derived from
// s's buildings, noted in rep.
func (s *Snapshot) builtup(set *Set, rep *Report, opt Options) []Builtup {
	builtup := set.Builtup
	if len(builtup) > 0 || opt.BuiltupGapM <= 0 || s.Buildings.Len() == 0 {
		return builtup
	}
	var n int
	s.derivedBuiltup = true
	builtup, n = deriveBuiltup(s.Buildings, s.Proj, opt.BuiltupGapM, opt.BuiltupMinAreaM2)
	lr := rep.Layer(LayerBuiltup)
	rule := fmt.Sprintf("buildings within %g m of each other grouped, each group's convex hull grown by %g m, kept from %g ha",
		opt.BuiltupGapM, opt.BuiltupGapM/2, opt.BuiltupMinAreaM2/10000)
	switch len(builtup) {
	case 0:
		lr.Note("none loaded, and none derived from the buildings: no group reaches the size (%s)", rule)
	default:
		lr.Note("none loaded: derived %d from the buildings (ids derived-1..derived-%d, holding %d of %d buildings): %s",
			len(builtup), len(builtup), n, s.Buildings.Len(), rule)
		// The layer is in use now: not absent, and it weakens nothing.
		lr.Absent, lr.Loaded, lr.Source = false, len(builtup), "derived from the buildings"
	}
	return builtup
}

// Layer returns the named layer's view.
func (s *Snapshot) Layer(name string) (View, bool) {
	switch name {
	case LayerHydrants:
		return s.Hydrants, true
	case LayerStations:
		return s.Stations, true
	case LayerRoads:
		return s.Roads, true
	case LayerBuildings:
		return s.Buildings, true
	case LayerVillages:
		return s.Villages, true
	case LayerDistricts:
		return s.Districts, true
	case LayerFireLanes:
		return s.FireLanes, true
	case LayerTownships:
		return s.Townships, true
	case LayerBuiltup:
		return s.Builtup, true
	}
	return nil, false
}

// Store holds the current snapshot; readers never lock.
type Store struct {
	p atomic.Pointer[Snapshot]
}

// Load returns the current snapshot (nil before the first Swap).
func (st *Store) Load() *Snapshot { return st.p.Load() }

// Swap publishes s as the current snapshot.
func (st *Store) Swap(s *Snapshot) { st.p.Store(s) }

// VersionHex returns Version as 16 hex digits, as cache keys and ETags carry it.
func (s *Snapshot) VersionHex() string { return fmt.Sprintf("%016x", s.Version) }
