package api

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"fireplan/coverage"
	"fireplan/data"
	"fireplan/geo"
	"fireplan/tiles"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/maptile"
)

// maxTileZoom is the deepest zoom served; clients overzoom beyond a layer's.
const maxTileZoom = 24

// tileEntry returns the catalogue entry a tile layer serves.
func (s *Server) tileEntry(name string) (*coverage.Entry, error) {
	if e, ok := s.cat.Entry(name); ok && e.Tiled {
		return e, nil
	}
	var names []string
	for _, e := range s.cat.Entries {
		if e.Tiled {
			names = append(names, e.Name)
		}
	}
	return nil, errorf(http.StatusNotFound, "no tile layer %q (layers: %s)", name, strings.Join(names, ", "))
}

// viewSet prepares a snapshot layer for the tiler over the layer's own
// items and index.
func viewSet(v data.View) *tiles.Set {
	var minZoom func(i int) int
	if roads, ok := v.(*data.Layer[data.Road]); ok {
		minZoom = func(i int) int { return coverage.RoadMinZoom(roads.Items[i].Class) }
	}
	return tiles.NewSet(v.Len(), v.ID, v.Geom, minZoom, func(i int) map[string]any { return v.Feature(i).Properties() }, v.Search)
}

// tableSet prepares an analysis' rows for the tiler, straight from the table.
func tableSet(t *coverage.Table) *tiles.Set {
	fs := make([]tiles.Feature, t.Len())
	var lonlat geo.Arena // a geometry per row, not an object per row
	for i := range fs {
		fs[i] = tiles.Feature{ID: t.ID(i), Geom: lonlat.Inverse(t.Proj, t.Geom(i))}
	}
	return tiles.NewIndexed(fs, t.Record)
}

// tileLayer resolves a layer for a snapshot and values: its prepared
// features, built once per data version and canonical parameters.
func (s *Server) tileLayer(ctx context.Context, e *coverage.Entry, snap *data.Snapshot, v coverage.Values) (tiles.Layer, error) {
	l := tiles.Layer{Name: e.Name, Geometry: e.Geometry, Description: e.Description.En, MinZoom: e.MinZoom, MaxZoom: e.MaxZoom}
	key := "tileset|" + e.Name + "|" + tileVersion(e, snap) + "|" + v.Key()
	set, err := s.cat.Cache.Get(ctx, "tileset:"+e.Name, key, func(ctx context.Context) (any, int64, error) {
		if !e.Analysis() {
			view, _ := snap.Layer(e.Layer)
			return viewSet(view), int64(view.Len())*16 + 1024, nil
		}
		t, err := s.cat.Table(ctx, e, snap, v)
		if err != nil {
			return nil, 0, err
		}
		return tableSet(t), t.Bytes(), nil
	})
	if err != nil {
		return l, err
	}
	l.Source = set.(*tiles.Set)
	return l, nil
}

// tileVersion is what a tile layer's content depends on: a base layer's
// own content (so an edited hydrant leaves the buildings' tiles, their
// ETags and their prepared sets as they were), or the whole snapshot for
// an analysis.
func tileVersion(e *coverage.Entry, snap *data.Snapshot) string {
	if e.Analysis() {
		return snap.VersionHex()
	}
	return snap.Key(e.Layer)
}

func etag(version, layer, params string) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s", layer, params)
	return fmt.Sprintf(`"%s-%x"`, version, h.Sum64())
}

func (s *Server) tile(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	e, err := s.tileEntry(v["layer"])
	if err != nil {
		return err
	}
	z, errZ := strconv.Atoi(v["z"])
	x, errX := strconv.ParseUint(v["x"], 10, 32)
	y, errY := strconv.ParseUint(v["y"], 10, 32)
	if errZ != nil || errX != nil || errY != nil {
		return errorf(http.StatusBadRequest, "tile %s/%s/%s: z, x and y must be whole numbers not below 0", v["z"], v["x"], v["y"])
	}
	if z < 0 || z > maxTileZoom || x >= 1<<uint(z) || y >= 1<<uint(z) {
		return errorf(http.StatusBadRequest, "tile %s/%s/%s out of range: z 0..%d, x and y below 2^z", v["z"], v["x"], v["y"], maxTileZoom)
	}
	vals, err := e.Parse(r.URL.Query(), "scenario")
	if err != nil {
		return err
	}
	snap, err := s.snapshotFor(r)
	if err != nil {
		return err
	}
	params := vals.Key()
	version := tileVersion(e, snap)
	tag := etag(version, e.Name, params)
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	key := fmt.Sprintf("tile|%s|%d/%d/%d|%s|%s", e.Name, z, x, y, version, params)
	tb, err := s.cat.Cache.Get(r.Context(), coverage.TileKind, key, func(ctx context.Context) (any, int64, error) {
		l, err := s.tileLayer(ctx, e, snap, vals)
		if err != nil {
			return nil, 0, err
		}
		b, err := tiles.Render(l, maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), tiles.DefaultOptions)
		if err != nil {
			return nil, 0, err
		}
		if len(b) > 0 {
			b = tiles.Gzip(b)
		}
		return b, int64(len(b)) + 128, nil
	})
	if err != nil {
		return err
	}
	b := tb.([]byte)
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
	e, err := s.tileEntry(name)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	vals, err := e.Parse(q, "scenario")
	if err != nil {
		return err
	}
	snap, err := s.snapshotFor(r)
	if err != nil {
		return err
	}
	b := layerBound(snap)
	c := b.Center()
	u := baseURL(r) + "/tiles/" + name + "/{z}/{x}/{y}.mvt"
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	fields := map[string]string{}
	for _, c := range e.Columns {
		fields[c.Name] = map[string]string{"string": "String", "integer": "Number", "number": "Number", "boolean": "Boolean"}[c.Type]
	}
	w.Header().Set("ETag", etag(tileVersion(e, snap), name, vals.Key()))
	return writeJSON(w, http.StatusOK, map[string]any{
		"tilejson": "3.0.0", "name": name, "description": e.Description.En, "scheme": "xyz",
		"tiles": []string{u}, "minzoom": e.MinZoom, "maxzoom": e.MaxZoom, "attribution": snap.Report.Attribution(),
		"bounds": []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, "center": []float64{c[0], c[1], float64(e.MinZoom + 2)},
		"vector_layers": []map[string]any{{"id": name, "description": e.Description.En, "minzoom": e.MinZoom, "maxzoom": e.MaxZoom,
			"geometry": e.Geometry, "fields": fields}},
	})
}

func (s *Server) tileIndex(w http.ResponseWriter, r *http.Request) error {
	var out []map[string]any
	for _, e := range s.cat.Entries {
		if !e.Tiled {
			continue
		}
		params := make([]string, len(e.Params))
		for i, p := range e.Params {
			params[i] = p.Name
		}
		out = append(out, map[string]any{"name": e.Name, "geometry": e.Geometry, "minzoom": e.MinZoom, "maxzoom": e.MaxZoom,
			"params": params, "tilejson": baseURL(r) + "/tiles/" + e.Name + ".json", "description": e.Description.En,
			"title": e.Title})
	}
	return writeJSON(w, http.StatusOK, out)
}

// Warm computes every tile layer and analysis at its default parameters,
// what the map opens on first, so a planner's first view of a large county
// does not wait on the rest. What it computes is pinned in the cache
// (see coverage.Pin): the defaults are what most requests ask, and must not
// be pushed out by what-ifs. It is background work (coverage.Background),
// leaving a core for the tiles the map asks meanwhile. Then it drops from
// the cache everything no request and no part of the warm-up has asked for
// since it began: what was computed from data a reload replaced goes at
// once. Under a memory limit the what-ifs' cache is then fitted to the room
// the defaults leave (see whatIfRoom). It stops early, sweeping nothing,
// when ctx ends or a newer snapshot comes.
func (s *Server) Warm(ctx context.Context) {
	snap := s.store.Load()
	if snap == nil {
		return
	}
	start := time.Now()
	gen := s.cat.Cache.Mark()
	ctx = coverage.Background(coverage.Pin(ctx))
	// The base layers' tiles, the analyses the map opens on, then the
	// rest; an analysis' tile set computes its table too.
	order := slices.Clone(s.cat.Entries)
	rank := func(e *coverage.Entry) int {
		switch {
		case !e.Analysis():
			return 0
		case e.Opening:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(order, func(a, b *coverage.Entry) int { return rank(a) - rank(b) })
	for _, e := range order {
		if ctx.Err() != nil || s.store.Load() != snap {
			return
		}
		var err error
		switch {
		case e.Tiled:
			_, err = s.tileLayer(ctx, e, snap, e.Defaults())
		case e.Analysis():
			_, err = s.cat.Table(ctx, e, snap, e.Defaults())
		}
		if err != nil && ctx.Err() == nil {
			s.log.Warn("warming", "layer", e.Name, "err", err)
		}
	}
	if ctx.Err() == nil && s.store.Load() == snap {
		s.warmTook.Store(int64(time.Since(start)))
		s.warmed.Store(int64(snap.Version))
		if n, bytes := s.cat.Cache.Sweep(gen); n > 0 {
			s.log.Info("cache swept", "entries", n, "mb", bytes>>20)
		}
		if room, ok := whatIfRoom(); ok {
			s.log.Info("what-if cache fitted to the memory limit", "mb", s.cat.Cache.Fit(room)>>20)
		}
	}
}
