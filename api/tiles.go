package api

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"fireplan/data"
	"fireplan/tiles"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// maxTileZoom is the deepest zoom served; clients overzoom beyond a layer's.
const maxTileZoom = 24

// tileLayerSpec says how one tile layer is made: its zooms, the query
// parameters it takes and how it builds its features.
type tileLayerSpec struct {
	name, geometry, description string
	minZoom, maxZoom            int
	params                      []string
	// base layers read the snapshot; analysis layers build a collection.
	view           func(*data.Snapshot) data.View
	featureMinZoom func(data.Feature) int
	build          func(s *Server, snap *data.Snapshot, q url.Values) ([]tiles.Feature, error)
}

func roadMinZoom(f data.Feature) int {
	switch f.(data.Road).Class {
	case "motorway", "trunk", "primary":
		return 0
	case "secondary":
		return 10
	case "tertiary":
		return 11
	}
	return 12
}

var tileSpecs = []tileLayerSpec{
	{name: "townships", geometry: "Polygon", minZoom: 6, maxZoom: 14, view: func(s *data.Snapshot) data.View { return s.Townships }},
	{name: "builtup", geometry: "Polygon", minZoom: 8, maxZoom: 15, view: func(s *data.Snapshot) data.View { return s.Builtup }},
	{name: "villages", geometry: "Polygon", minZoom: 10, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.Villages }},
	{name: "districts", geometry: "Polygon", minZoom: 11, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.Districts }},
	{name: "roads", geometry: "LineString", minZoom: 8, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.Roads }, featureMinZoom: roadMinZoom},
	{name: "buildings", geometry: "Polygon", minZoom: 14, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.Buildings }},
	{name: "fire_lanes", geometry: "LineString", minZoom: 14, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.FireLanes }},
	{name: "hydrants", geometry: "Point", minZoom: 12, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.Hydrants }},
	{name: "stations", geometry: "Point", minZoom: 8, maxZoom: 16, view: func(s *data.Snapshot) data.View { return s.Stations }},
	{name: "coverage_isochrones", geometry: "Polygon", minZoom: 8, maxZoom: 15, params: append([]string{}, coverageParamNames...),
		description: "area reached within each target (minutes=5,8,15)", build: buildIsochrones},
	{name: "coverage_gaps", geometry: "Polygon", minZoom: 9, maxZoom: 16, params: append([]string{}, coverageParamNames...),
		description: "villages and districts not reached within the target (minutes=5)", build: buildCoverageGaps},
	{name: "hydrant_gaps", geometry: "LineString", minZoom: 12, maxZoom: 16, params: []string{"mode", "radius_m", "spacing_m", "include_planned"},
		description: "street gaps, spacing gaps, one-sided wide streets, unprotected buildings", build: buildHydrantGaps},
	{name: "hydrant_proposals", geometry: "Point", minZoom: 10, maxZoom: 16, params: []string{"mode", "radius_m", "spacing_m", "include_planned", "count"},
		description: "proposed hydrant sites, ranked (count=20; 0 for all)", build: buildProposals},
	{name: "clusters", geometry: "Polygon", minZoom: 10, maxZoom: 16, params: []string{"separation_m", "by_structure", "min_households"},
		description: "rural house clusters by tier (min_households=30)", build: buildClusters},
}

func tileSpec(name string) (*tileLayerSpec, bool) {
	for i := range tileSpecs {
		if tileSpecs[i].name == name {
			return &tileSpecs[i], true
		}
	}
	return nil, false
}

func tileLayerNames() []string {
	out := make([]string, len(tileSpecs))
	for i, t := range tileSpecs {
		out[i] = t.name
	}
	return out
}

// viewSet prepares a snapshot layer for the tiler over the layer's own index.
func viewSet(v data.View, minZoom func(data.Feature) int) *tiles.Set {
	return tiles.NewSet(v.Len(), func(i int) tiles.Feature {
		f := v.Feature(i)
		tf := tiles.Feature{ID: f.FeatureID(), Geom: f.Geometry(), Props: f.Properties()}
		if minZoom != nil {
			tf.MinZoom = minZoom(f)
		}
		return tf
	}, v.Search)
}

// tileState holds what tiles share across requests: encoded tiles and the
// analysis collections of the current snapshot.
type tileState struct {
	cache       *tiles.Cache
	mu          sync.Mutex
	version     uint64
	collections map[string]*collectionOnce
}

type collectionOnce struct {
	once sync.Once
	c    *tiles.Set
	err  error
}

func newTileState() *tileState {
	return &tileState{cache: tiles.NewCache(128 << 20), collections: map[string]*collectionOnce{}}
}

// tileLayer resolves a layer for a snapshot and query: its prepared
// features, built once per snapshot and parameter set.
func (s *Server) tileLayer(spec *tileLayerSpec, snap *data.Snapshot, q url.Values) (tiles.Layer, error) {
	l := tiles.Layer{Name: spec.name, Geometry: spec.geometry, Description: spec.description, MinZoom: spec.minZoom, MaxZoom: spec.maxZoom}
	key := spec.name + "|" + q.Encode()
	ts := s.tiles
	ts.mu.Lock()
	if ts.version != snap.Version || len(ts.collections) > 64 {
		ts.version, ts.collections = snap.Version, map[string]*collectionOnce{}
	}
	co := ts.collections[key]
	if co == nil {
		co = &collectionOnce{}
		ts.collections[key] = co
	}
	ts.mu.Unlock()
	co.once.Do(func() {
		if spec.view != nil { // base layers: prepared once per snapshot
			co.c = viewSet(spec.view(snap), spec.featureMinZoom)
			return
		}
		fs, err := spec.build(s, snap, q)
		co.c, co.err = tiles.NewCollection(fs), err
	})
	l.Source = co.c
	return l, co.err
}

func etag(version uint64, layer, params string) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s", layer, params)
	return fmt.Sprintf(`"v%d-%x"`, version, h.Sum64())
}

func (s *Server) tile(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	spec, ok := tileSpec(v["layer"])
	if !ok {
		return errorf(http.StatusNotFound, "no tile layer %q (layers: %s)", v["layer"], strings.Join(tileLayerNames(), ", "))
	}
	z, errZ := strconv.Atoi(v["z"])
	x, errX := strconv.ParseUint(v["x"], 10, 32)
	y, errY := strconv.ParseUint(v["y"], 10, 32)
	if errZ != nil || errX != nil || errY != nil || z < 0 || z > maxTileZoom || x >= 1<<uint(z) || y >= 1<<uint(z) {
		return errorf(http.StatusBadRequest, "tile %s/%s/%s out of range: z 0..%d, x and y below 2^z", v["z"], v["x"], v["y"], maxTileZoom)
	}
	q := r.URL.Query()
	if err := checkParams(q, spec.params...); err != nil {
		return err
	}
	snap, err := s.snapshot()
	if err != nil {
		return err
	}
	params := q.Encode()
	tag := etag(snap.Version, spec.name, params)
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	key := fmt.Sprintf("%s|%d/%d/%d|%d|%s", spec.name, z, x, y, snap.Version, params)
	b, hit := s.tiles.cache.Get(key)
	if !hit {
		l, err := s.tileLayer(spec, snap, q)
		if err != nil {
			return err
		}
		if b, err = tiles.Render(l, maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), tiles.DefaultOptions); err != nil {
			return err
		}
		if len(b) > 0 {
			b = tiles.Gzip(b)
		}
		s.tiles.cache.Put(key, b)
	}
	w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
	if len(b) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if b, err = tiles.Gunzip(b); err != nil {
			return err
		}
	} else {
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b) // a client gone away is not our error
	return nil
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) tileJSON(w http.ResponseWriter, r *http.Request) error {
	name := mux.Vars(r)["layer"]
	spec, ok := tileSpec(name)
	if !ok {
		return errorf(http.StatusNotFound, "no tile layer %q", name)
	}
	q := r.URL.Query()
	if err := checkParams(q, spec.params...); err != nil {
		return err
	}
	snap, err := s.snapshot()
	if err != nil {
		return err
	}
	b := snap.Townships.Bound()
	if snap.Townships.Len() == 0 {
		b = snap.Roads.Bound()
	}
	c := b.Center()
	u := baseURL(r) + "/tiles/" + name + "/{z}/{x}/{y}.mvt"
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	w.Header().Set("ETag", etag(snap.Version, name, q.Encode()))
	return writeJSON(w, http.StatusOK, map[string]any{
		"tilejson": "3.0.0", "name": name, "description": spec.description, "scheme": "xyz",
		"tiles": []string{u}, "minzoom": spec.minZoom, "maxzoom": spec.maxZoom,
		"bounds": []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, "center": []float64{c[0], c[1], float64(spec.minZoom + 2)},
		"vector_layers": []map[string]any{{"id": name, "description": spec.description, "minzoom": spec.minZoom, "maxzoom": spec.maxZoom,
			"geometry": spec.geometry, "fields": map[string]string{"id": "String"}}},
	})
}

func (s *Server) tileIndex(w http.ResponseWriter, r *http.Request) error {
	var out []map[string]any
	for _, t := range tileSpecs {
		out = append(out, map[string]any{"name": t.name, "geometry": t.geometry, "minzoom": t.minZoom, "maxzoom": t.maxZoom,
			"params": t.params, "tilejson": baseURL(r) + "/tiles/" + t.name + ".json", "description": t.description})
	}
	return writeJSON(w, http.StatusOK, out)
}

// Analysis layers: the features each draws.

func buildIsochrones(s *Server, snap *data.Snapshot, q url.Values) ([]tiles.Feature, error) {
	res, err := s.engineResponse(snap, q)
	if err != nil {
		return nil, err
	}
	minutes, err := parseMinutes(q, []float64{5, 8, 15})
	if err != nil {
		return nil, err
	}
	var fs []tiles.Feature
	for _, iso := range res.Isochrones(minutes) {
		if iso.Station >= 0 {
			continue
		}
		fs = append(fs, tiles.Feature{ID: fmt.Sprintf("all@%g", iso.Minutes), Geom: iso.Geom,
			Props: map[string]any{"minutes": iso.Minutes, "area_km2": iso.AreaKm2}})
	}
	return fs, nil
}

func buildCoverageGaps(s *Server, snap *data.Snapshot, q url.Values) ([]tiles.Feature, error) {
	res, err := s.engineResponse(snap, q)
	if err != nil {
		return nil, err
	}
	minutes, err := parseMinutes(q, []float64{5})
	if err != nil {
		return nil, err
	}
	return fromGeoJSON(GapsGeoJSON(res.Gaps(minutes[0]), minutes[0])), nil
}

// fromGeoJSON turns an analysis' features, as its endpoint serves them,
// into tile features; drop names properties the map has no use for.
func fromGeoJSON(fc *geojson.FeatureCollection, drop ...string) []tiles.Feature {
	fs := make([]tiles.Feature, 0, len(fc.Features))
	for _, f := range fc.Features {
		for _, k := range drop {
			delete(f.Properties, k)
		}
		fs = append(fs, tiles.Feature{ID: fmt.Sprint(f.ID), Geom: f.Geometry, Props: f.Properties})
	}
	return fs
}

func buildHydrantGaps(s *Server, snap *data.Snapshot, q url.Values) ([]tiles.Feature, error) {
	h, err := s.engineHydrants(snap, q)
	if err != nil {
		return nil, err
	}
	return fromGeoJSON(HydrantGapsGeoJSON(h)), nil
}

func buildProposals(s *Server, snap *data.Snapshot, q url.Values) ([]tiles.Feature, error) {
	h, err := s.engineHydrants(snap, q)
	if err != nil {
		return nil, err
	}
	count, err := intParam(q, "count", 20, 100000)
	if err != nil {
		return nil, err
	}
	var fs []tiles.Feature
	for _, st := range Proposals(h, count) {
		fs = append(fs, tiles.Feature{ID: fmt.Sprintf("site-%05d", st.Rank), Geom: snap.Proj.Inverse(st.Point), Props: siteProps(st)})
	}
	return fs, nil
}

func buildClusters(s *Server, snap *data.Snapshot, q url.Values) ([]tiles.Feature, error) {
	c, err := s.clustersFor(snap, q)
	if err != nil {
		return nil, err
	}
	minHH, err := intParam(q, "min_households", 30, 1000000)
	if err != nil {
		return nil, err
	}
	return fromGeoJSON(ClustersGeoJSON(c, minHH), "centroid"), nil
}

// Warm computes what the map asks for first, the default analyses and the
// tile layers at their default parameters, so a planner's first view of a
// large county does not wait on them. It stops early when ctx ends.
func (s *Server) Warm(ctx context.Context) {
	snap := s.store.Load()
	if snap == nil {
		return
	}
	for i := range tileSpecs {
		if ctx.Err() != nil || s.store.Load() != snap {
			return // shutting down, or a newer snapshot came
		}
		if _, err := s.tileLayer(&tileSpecs[i], snap, url.Values{}); err != nil {
			s.log.Warn("warming tiles", "layer", tileSpecs[i].name, "err", err)
		}
	}
}
