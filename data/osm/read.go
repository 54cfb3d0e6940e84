package osm

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// Format is an extract's file format.
type Format int

// Formats Read takes.
const (
	PBF     Format = iota // .osm.pbf
	XML                   // .osm
	GzipXML               // .osm.gz
)

// FormatOf returns the format a file name's suffix names.
func FormatOf(name string) (Format, error) {
	switch n := strings.ToLower(name); {
	case strings.HasSuffix(n, ".pbf"):
		return PBF, nil
	case strings.HasSuffix(n, ".osm"), strings.HasSuffix(n, ".xml"):
		return XML, nil
	case strings.HasSuffix(n, ".osm.gz"), strings.HasSuffix(n, ".xml.gz"):
		return GzipXML, nil
	}
	return 0, fmt.Errorf("%s: not an OSM extract (want .osm.pbf, .osm or .osm.gz)", name)
}

// ReadFile reads the extract at path, its format from its name.
func ReadFile(ctx context.Context, path string, opts Options) (*data.Set, *Stats, error) {
	f, err := FormatOf(path)
	if err != nil {
		return nil, nil, err
	}
	r, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	set, st, err := Read(ctx, r, f, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return set, st, nil
}

// Read maps an extract to fireplan's layers as the package comment says.
// Items are sorted by id in each layer; districts and fire lanes, which OSM
// does not map, stay empty.
func Read(ctx context.Context, r io.Reader, f Format, opts Options) (*data.Set, *Stats, error) {
	if err := opts.check(); err != nil {
		return nil, nil, err
	}
	m := &mapper{opts: opts, st: newStats(), set: &data.Set{},
		nodes: map[osm.NodeID]orb.Point{}, ways: map[osm.WayID]*osm.Way{}}
	if err := m.scan(ctx, r, f); err != nil {
		return nil, nil, err
	}
	for _, step := range []func(){m.points, m.roads, m.areas, m.villages} {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		step()
	}
	m.finish()
	return m.set, m.st, nil
}

// scanner is what the PBF and XML scanners share.
type scanner interface {
	Scan() bool
	Object() osm.Object
	Err() error
	Close() error
}

// mapper holds the extract while the layers are built.
type mapper struct {
	opts Options
	st   *Stats
	set  *data.Set

	nodes  map[osm.NodeID]orb.Point
	tagged []*osm.Node // nodes with tags
	ways   map[osm.WayID]*osm.Way
	wayIDs []osm.WayID // sorted
	rels   []*osm.Relation

	places       []*osm.Node        // village place nodes, for villages
	stationAreas []orb.MultiPolygon // to drop a station's node inside its area
	villageAreas []orb.MultiPolygon // to drop a place node inside its area
}

func (m *mapper) scan(ctx context.Context, r io.Reader, f Format) error {
	var sc scanner
	switch f {
	case PBF:
		// Blocks decode in parallel on every core; objects still come in
		// file order. checkedPBF refuses first what would crash the
		// decoder's goroutines.
		sc = osmpbf.New(ctx, newCheckedPBF(r), runtime.GOMAXPROCS(0))
	case GzipXML:
		gz, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		defer gz.Close()
		sc = osmxml.New(ctx, gz)
	default:
		sc = osmxml.New(ctx, r)
	}
	defer sc.Close()
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			m.nodes[o.ID] = orb.Point{o.Lon, o.Lat}
			if len(o.Tags) > 0 {
				m.tagged = append(m.tagged, o)
			}
		case *osm.Way:
			m.ways[o.ID] = o
			m.wayIDs = append(m.wayIDs, o.ID)
		case *osm.Relation:
			m.rels = append(m.rels, o)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	slices.SortFunc(m.tagged, func(a, b *osm.Node) int { return cmpID(a.ID, b.ID) })
	slices.Sort(m.wayIDs)
	m.wayIDs = slices.Compact(m.wayIDs)
	slices.SortFunc(m.rels, func(a, b *osm.Relation) int { return cmpID(a.ID, b.ID) })
	return nil
}

func cmpID[T ~int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// tags hands an item's source tags to Options.Tags.
func (m *mapper) tags(layer, id string, t osm.Tags) {
	if m.opts.Tags == nil {
		return
	}
	b, err := json.Marshal(t.Map()) // a map: sorted keys
	if err != nil {
		panic(err) // strings always marshal
	}
	m.opts.Tags(layer, id, b)
}

// finish sorts every layer by id and counts it.
func (m *mapper) finish() {
	s := m.set
	slices.SortFunc(s.Hydrants, func(a, b data.Hydrant) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Stations, func(a, b data.Station) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Roads, func(a, b data.Road) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Buildings, func(a, b data.Building) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Villages, func(a, b data.Village) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Townships, func(a, b data.Township) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Builtup, func(a, b data.Builtup) int { return strings.Compare(a.ID, b.ID) })
	for l, n := range map[string]int{data.LayerHydrants: len(s.Hydrants), data.LayerStations: len(s.Stations),
		data.LayerRoads: len(s.Roads), data.LayerBuildings: len(s.Buildings), data.LayerVillages: len(s.Villages),
		data.LayerTownships: len(s.Townships), data.LayerBuiltup: len(s.Builtup)} {
		m.st.Kept[l] = n
	}
}

func nodeID(id osm.NodeID) string { return fmt.Sprintf("n%d", id) }
func wayID(id osm.WayID) string   { return fmt.Sprintf("w%d", id) }
func relID(id osm.RelationID) string {
	return fmt.Sprintf("r%d", id)
}
