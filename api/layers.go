package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fireplan/coverage"
	"fireplan/coverage/export"
	"fireplan/data"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

type layerInfo struct {
	Name     string         `json:"name"`
	Geometry string         `json:"geometry"`
	Count    int            `json:"count"`
	BBox     []float64      `json:"bbox,omitempty"` // minLon, minLat, maxLon, maxLat
	Source   string         `json:"source"`
	Skipped  map[string]int `json:"skipped"`
	Notes    []string       `json:"notes,omitempty"`
}

func (s *Server) layers(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.snapshot()
	if err != nil {
		return err
	}
	out := []layerInfo{}
	for _, name := range data.LayerNames() {
		v, _ := snap.Layer(name)
		li := layerInfo{Name: name, Geometry: v.Schema().Geom.String(), Count: v.Len(), Skipped: map[string]int{}}
		if v.Len() > 0 {
			b := v.Bound()
			li.BBox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		}
		if lr := snap.Report.Layer(name); lr != nil {
			li.Source, li.Skipped, li.Notes = lr.Source, lr.Skipped, lr.Notes
		}
		out = append(out, li)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"version": snap.Version, "source": snap.Source, "layers": out,
		"attribution": snap.Report.Attribution()})
}

func (s *Server) report(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.snapshot()
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, snap.Report)
}

// parseBBox reads minLon,minLat,maxLon,maxLat.
func parseBBox(v string) (orb.Bound, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return orb.Bound{}, errorf(http.StatusBadRequest, "bbox must be minLon,minLat,maxLon,maxLat")
	}
	var f [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || x != x {
			return orb.Bound{}, errorf(http.StatusBadRequest, "bbox value %q is not a number", p)
		}
		f[i] = x
	}
	switch {
	case f[0] < -180 || f[2] > 180 || f[1] < -90 || f[3] > 90:
		return orb.Bound{}, errorf(http.StatusBadRequest, "bbox outside lon -180..180, lat -90..90")
	case f[0] > f[2] || f[1] > f[3]:
		return orb.Bound{}, errorf(http.StatusBadRequest, "bbox min must not exceed max")
	}
	return orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, nil
}

// intParam reads a non-negative integer parameter up to max.
func intParam(q url.Values, name string, def, max int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, errorf(http.StatusBadRequest, "%s must be an integer from 0 to %d", name, max)
	}
	return n, nil
}

func (s *Server) items(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.snapshotFor(r)
	if err != nil {
		return err
	}
	name := mux.Vars(r)["name"]
	v, ok := snap.Layer(name)
	if !ok {
		return errorf(http.StatusNotFound, "no layer %q (layers: %s)", name, strings.Join(data.LayerNames(), ", "))
	}
	q := r.URL.Query()
	e, _ := s.cat.Entry(name)
	format, o := q.Get("format"), export.Options{Lang: q.Get("lang"), County: coverage.County(snap), Date: snap.LoadedAt}
	if format == "" {
		format = "geojson"
	}
	if o.Lang == "" {
		o.Lang = export.Langs[0]
	}
	if err := export.Check(e, format, o); err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	hits, matched, err := s.page(q, v)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache")
	if format == "geojson" || format == "json" {
		w.Header().Set("ETag", fmt.Sprintf(`"v%d"`, snap.Version))
		return writeFeatures(w, hits, v.Feature, map[string]any{"numberMatched": matched, "numberReturned": len(hits)})
	}
	// A spreadsheet of the same page: the layer's attributes titled and
	// labelled in lang, with each item's township and location.
	w.Header().Set("ETag", fmt.Sprintf(`"v%d-%s-%s"`, snap.Version, format, o.Lang))
	w.Header().Set("Content-Type", export.ContentType(format))
	w.Header().Set("Content-Disposition", disposition(name, e.Title.In(o.Lang), format))
	sw := &startedWriter{w: w}
	lt := coverage.LayerTable(e, snap, hits)
	if err := export.Write(sw, format, e, lt, export.AllRows(lt), o); err != nil && !sw.started {
		return err
	}
	return nil
}

// page finds a layer's items in the request's bbox (all without one,
// unless required) and returns the page limit and offset ask for, in item
// order so pages are stable, with the number matched.
func (s *Server) page(q url.Values, v data.View) ([]int32, int, error) {
	hits, err := layerHits(q, v)
	if err != nil {
		return nil, 0, err
	}
	page, err := window(s, q, hits, false)
	return page, len(hits), err
}

// layerHits returns a layer's items in the request's bbox (every item
// without one), in item order: /api/layers and /ogc page the same hits.
func layerHits(q url.Values, v data.View) ([]int32, error) {
	var hits []int32
	if bb := q.Get("bbox"); bb != "" {
		b, err := parseBBox(bb)
		if err != nil {
			return nil, err
		}
		v.Search(b, func(i int32) bool { hits = append(hits, i); return true })
		slices.Sort(hits)
	} else {
		hits = make([]int32, v.Len())
		for i := range hits {
			hits[i] = int32(i)
		}
	}
	return hits, nil
}

// window cuts the page limit and offset ask for out of hits. Without
// either, whole keeps every hit (an analysis' list); otherwise the first
// page of the default size is served (a layer's items).
func window[T any](s *Server, q url.Values, hits []T, whole bool) ([]T, error) {
	if whole && !q.Has("limit") && !q.Has("offset") {
		return hits, nil
	}
	limit, err := intParam(q, "limit", s.opts.DefaultItems, s.opts.MaxItems)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(q, "offset", 0, 1<<30)
	if err != nil {
		return nil, err
	}
	hits = hits[min(offset, len(hits)):]
	return hits[:min(limit, len(hits))], nil
}

// writeFeatures streams a FeatureCollection feature by feature.
func writeFeatures(w http.ResponseWriter, idx []int32, feature func(int) data.Feature, extra map[string]any) error {
	w.Header().Set("Content-Type", "application/geo+json")
	if _, err := fmt.Fprint(w, `{"type":"FeatureCollection"`); err != nil {
		return nil // client gone
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, _ := json.Marshal(extra[k])
		fmt.Fprintf(w, `,%q:%s`, k, b)
	}
	fmt.Fprint(w, `,"features":[`)
	var b []byte
	for n, i := range idx {
		var err error
		if b, err = export.AppendFeature(b[:0], layerFeature(feature(int(i)))); err != nil {
			return err
		}
		if n > 0 {
			w.Write([]byte{','})
		}
		if _, err := w.Write(b); err != nil {
			return nil
		}
	}
	_, err := fmt.Fprint(w, "]}\n")
	if err != nil {
		return nil
	}
	return nil
}

// layerFeature is a layer's item as GeoJSON: its attributes and its id,
// which the properties repeat.
func layerFeature(f data.Feature) *geojson.Feature {
	gf := geojson.NewFeature(f.Geometry())
	gf.ID = f.FeatureID()
	gf.Properties = geojson.Properties(f.Properties())
	gf.Properties["id"] = f.FeatureID()
	return gf
}
