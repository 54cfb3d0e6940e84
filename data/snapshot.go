package data

import (
	"fmt"
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
	index  geo.Index      // lon/lat bounds
	MIndex geo.Index      // metric bounds
	// Version hashes the layer's content (see contentVersion).
	Version uint64
}

// View is the layer-independent face of a Layer, for serving and tiling.
type View interface {
	Schema() Schema
	Len() int
	Bound() orb.Bound
	Feature(i int) Feature
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

// Search calls fn for every item whose lon/lat box meets b until fn returns false.
func (l *Layer[T]) Search(b orb.Bound, fn func(i int32) bool) { l.index.Search(b, fn) }

func newLayer[T hashedFeature](s Schema, items []T, proj *geo.Projection) *Layer[T] {
	l := &Layer[T]{schema: s, Items: items, Metric: make([]orb.Geometry, len(items)), MBound: make([]orb.Bound, len(items))}
	l.Version = layerVersion(l)
	for i, it := range items {
		g := it.Geometry()
		b := g.Bound()
		if i == 0 {
			l.bound = b
		} else {
			l.bound = l.bound.Union(b)
		}
		l.index.Insert(int32(i), b)
		m := proj.ForwardGeometry(g)
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
	if err := opt.Check(); err != nil {
		return nil, err
	}
	if rep == nil {
		rep = &Report{}
	}
	s := &Snapshot{Source: source, LoadedAt: time.Now(), Report: rep, Options: opt}
	set.Hydrants = filter(LayerHydrants, set.Hydrants, rep, source)
	set.Stations = filter(LayerStations, set.Stations, rep, source)
	set.Roads = filter(LayerRoads, set.Roads, rep, source)
	set.Buildings = filter(LayerBuildings, set.Buildings, rep, source)
	set.Villages = filter(LayerVillages, set.Villages, rep, source)
	set.Districts = filter(LayerDistricts, set.Districts, rep, source)
	set.FireLanes = filter(LayerFireLanes, set.FireLanes, rep, source)
	set.Townships = filter(LayerTownships, set.Townships, rep, source)
	set.Builtup = filter(LayerBuiltup, set.Builtup, rep, source)

	o, maxM := set.origin(), opt.MaxDistanceM
	set.Hydrants = dropFar(set.Hydrants, o, maxM, rep.Layer(LayerHydrants))
	set.Stations = dropFar(set.Stations, o, maxM, rep.Layer(LayerStations))
	set.Roads = dropFar(set.Roads, o, maxM, rep.Layer(LayerRoads))
	set.Buildings = dropFar(set.Buildings, o, maxM, rep.Layer(LayerBuildings))
	set.Villages = dropFar(set.Villages, o, maxM, rep.Layer(LayerVillages))
	set.Districts = dropFar(set.Districts, o, maxM, rep.Layer(LayerDistricts))
	set.FireLanes = dropFar(set.FireLanes, o, maxM, rep.Layer(LayerFireLanes))
	set.Townships = dropFar(set.Townships, o, maxM, rep.Layer(LayerTownships))
	set.Builtup = dropFar(set.Builtup, o, maxM, rep.Layer(LayerBuiltup))

	s.Proj = geo.NewProjection(o)
	s.Hydrants = newLayer(schema(LayerHydrants), set.Hydrants, s.Proj)
	s.Stations = newLayer(schema(LayerStations), set.Stations, s.Proj)
	s.Roads = newLayer(schema(LayerRoads), set.Roads, s.Proj)
	s.Buildings = newLayer(schema(LayerBuildings), set.Buildings, s.Proj)
	s.Villages = newLayer(schema(LayerVillages), set.Villages, s.Proj)
	s.Districts = newLayer(schema(LayerDistricts), set.Districts, s.Proj)
	s.FireLanes = newLayer(schema(LayerFireLanes), set.FireLanes, s.Proj)
	s.Townships = newLayer(schema(LayerTownships), set.Townships, s.Proj)
	builtup := set.Builtup
	if len(builtup) == 0 && opt.BuiltupGapM > 0 && len(set.Buildings) > 0 {
		var n int
		builtup, n = deriveBuiltup(s.Buildings, s.Proj, opt.BuiltupGapM, opt.BuiltupMinAreaM2)
		lr := rep.Layer(LayerBuiltup)
		rule := fmt.Sprintf("buildings within %g m of each other grouped, each group's convex hull grown by %g m, kept from %g ha",
			opt.BuiltupGapM, opt.BuiltupGapM/2, opt.BuiltupMinAreaM2/10000)
		switch len(builtup) {
		case 0:
			lr.Note("none loaded, and none derived from the buildings: no group reaches the size (%s)", rule)
		default:
			lr.Note("none loaded: derived %d from the buildings (ids derived-1..derived-%d, holding %d of %d buildings): %s",
				len(builtup), len(builtup), n, len(set.Buildings), rule)
			// The layer is in use now: not absent, and it weakens nothing.
			lr.Absent, lr.Loaded, lr.Source = false, len(builtup), "derived from the buildings"
		}
	}
	s.Builtup = newLayer(schema(LayerBuiltup), builtup, s.Proj)
	s.Version = contentVersion(s)
	return s, nil
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
