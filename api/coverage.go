package api

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"fireplan/coverage"
	"fireplan/data"

	"github.com/paulmach/orb/geojson"
)

// parseMinutes reads a comma-separated list of targets in minutes.
func parseMinutes(q url.Values, def []float64) ([]float64, error) {
	v := q.Get("minutes")
	if v == "" {
		return def, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > 8 {
		return nil, errorf(http.StatusBadRequest, "minutes: at most 8 targets")
	}
	seen := map[float64]bool{}
	var out []float64
	for _, p := range parts {
		m, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(m > 0 && m <= 120) {
			return nil, errorf(http.StatusBadRequest, "minutes: %q is not a number of minutes in (0, 120]", p)
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Float64s(out)
	return out, nil
}

// coverageParams starts from the server's parameters and applies the
// overrides a request may make.
func (s *Server) coverageParams(q url.Values) (coverage.Params, error) {
	p := s.opts.Params
	for _, o := range []struct {
		name     string
		dst      *float64
		min, max float64
	}{
		{"truck_width_m", &p.TruckWidthM, 0, 20},
		{"access_max_m", &p.AccessMaxM, 0, 5000},
		{"access_speed_mps", &p.AccessSpeedMps, 0.1, 10},
		{"station_snap_m", &p.StationSnapM, 0, 20000},
	} {
		v := q.Get(o.name)
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= o.min && f <= o.max) {
			return p, errorf(http.StatusBadRequest, "%s must be a number from %g to %g", o.name, o.min, o.max)
		}
		*o.dst = f
	}
	if err := p.Check(); err != nil {
		return p, errorf(http.StatusBadRequest, "%v", err)
	}
	return p, nil
}

var coverageParamNames = []string{"minutes", "truck_width_m", "access_max_m", "access_speed_mps", "station_snap_m"}

func (s *Server) response(r *http.Request, extra ...string) (*coverage.Response, url.Values, error) {
	return analysis(s, r, append(coverageParamNames, extra...), s.engineResponse)
}

// analysis checks a request's parameters against known and returns what
// get makes of the current snapshot, with the query.
func analysis[T any](s *Server, r *http.Request, known []string, get func(*data.Snapshot, url.Values) (T, error)) (T, url.Values, error) {
	var zero T
	q := r.URL.Query()
	if err := checkParams(q, known...); err != nil {
		return zero, nil, err
	}
	snap, err := s.snapshot()
	if err != nil {
		return zero, nil, err
	}
	v, err := get(snap, q)
	return v, q, err
}

func (s *Server) coverageSummary(w http.ResponseWriter, r *http.Request) error {
	res, q, err := s.response(r, "by")
	if err != nil {
		return err
	}
	minutes, err := parseMinutes(q, []float64{5, 8, 15})
	if err != nil {
		return err
	}
	rows, key := res.Summary(minutes), "townships"
	switch q.Get("by") {
	case "", "township":
	case "village":
		rows, key = res.VillageSummary(minutes), "villages"
	default:
		return errorf(http.StatusBadRequest, "by must be township or village")
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"version":    res.Snap.Version,
		"minutes":    minutes,
		key:          rows,
		"stations":   len(res.Starts),
		"problems":   res.Problems,
		"graph":      res.Graph.Report,
		"parameters": paramsJSON(res.Params),
	})
}

func paramsJSON(p coverage.Params) map[string]any {
	return map[string]any{"speed_kmh": p.SpeedKmh, "width_m": p.WidthM, "truck_width_m": p.TruckWidthM,
		"turnout_s": p.TurnoutS, "access_speed_mps": p.AccessSpeedMps, "access_max_m": p.AccessMaxM, "station_snap_m": p.StationSnapM}
}

func (s *Server) coverageGaps(w http.ResponseWriter, r *http.Request) error {
	res, q, err := s.response(r, "format")
	if err != nil {
		return err
	}
	minutes, err := parseMinutes(q, []float64{5})
	if err != nil {
		return err
	}
	if len(minutes) != 1 {
		return errorf(http.StatusBadRequest, "gaps take one target: minutes=5")
	}
	gaps := res.Gaps(minutes[0])
	return writeAs(w, q.Get("format"), fmt.Sprintf("coverage-gaps-%gmin", minutes[0]),
		func() any { return GapsGeoJSON(gaps, minutes[0]) }, func(w io.Writer) error { return WriteGapsCSV(w, gaps) })
}

func secondsOrNil(s float64) any {
	if s < 0 || math.IsInf(s, 0) {
		return nil
	}
	return math.Round(s*10) / 10
}

// GapsGeoJSON encodes coverage gaps as a FeatureCollection.
func GapsGeoJSON(gaps []coverage.Gap, minutes float64) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, g := range gaps {
		f := geojson.NewFeature(g.Geom)
		f.ID = g.Kind + ":" + g.ID
		f.Properties = geojson.Properties{"kind": g.Kind, "id": g.ID, "name": g.Name, "township_id": g.TownshipID,
			"households": g.Households, "uncovered_households": g.Uncovered, "unreachable_households": g.Unreachable,
			"arrival_s": secondsOrNil(g.ArrivalS), "worst_arrival_s": secondsOrNil(g.WorstS), "station_id": g.Station,
			"target_min": minutes}
		fc.Append(f)
	}
	return fc
}

// WriteGapsCSV writes coverage gaps as CSV, one row per area.
func WriteGapsCSV(w io.Writer, gaps []coverage.Gap) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "id", "name", "township_id", "households", "uncovered_households", "unreachable_households", "arrival_s", "worst_arrival_s", "station_id"})
	num := func(s float64) string {
		if v := secondsOrNil(s); v != nil {
			return strconv.FormatFloat(v.(float64), 'f', 1, 64)
		}
		return ""
	}
	for _, g := range gaps {
		cw.Write([]string{g.Kind, g.ID, g.Name, g.TownshipID, strconv.Itoa(g.Households), strconv.Itoa(g.Uncovered),
			strconv.Itoa(g.Unreachable), num(g.ArrivalS), num(g.WorstS), g.Station})
	}
	cw.Flush()
	return cw.Error()
}

// IsochronesGeoJSON encodes isochrones as a FeatureCollection.
func IsochronesGeoJSON(isos []coverage.Isochrone, stationName func(int32) string) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, iso := range isos {
		f := geojson.NewFeature(iso.Geom)
		name, id := "all stations", "all"
		if iso.Station >= 0 {
			name, id = stationName(iso.Station), iso.StationID
		}
		f.ID = fmt.Sprintf("%s@%g", id, iso.Minutes)
		f.Properties = geojson.Properties{"minutes": iso.Minutes, "station_id": id, "station": name, "area_km2": iso.AreaKm2}
		fc.Append(f)
	}
	return fc
}

func (s *Server) coverageIsochrones(w http.ResponseWriter, r *http.Request) error {
	res, q, err := s.response(r, "station")
	if err != nil {
		return err
	}
	minutes, err := parseMinutes(q, []float64{5, 8, 15})
	if err != nil {
		return err
	}
	isos := res.Isochrones(minutes)
	if st := q.Get("station"); st != "" {
		kept := isos[:0]
		for _, iso := range isos {
			if iso.StationID == st || st == "all" && iso.Station < 0 {
				kept = append(kept, iso)
			}
		}
		isos = kept
	}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeJSON(w, http.StatusOK, IsochronesGeoJSON(isos, func(i int32) string { return res.Snap.Stations.Items[i].Name }))
}

// coverageBuildings lists buildings in a bbox with their arrival time and
// first station, paged like layer items.
func (s *Server) coverageBuildings(w http.ResponseWriter, r *http.Request) error {
	res, q, err := s.response(r, "bbox", "limit", "offset")
	if err != nil {
		return err
	}
	hits, matched, err := s.page(q, res.Snap.Buildings, true)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, i := range hits {
		bd := res.Snap.Buildings.Items[i]
		a := res.Buildings[i]
		f := geojson.NewFeature(res.Snap.Proj.Inverse(res.Member.Centroid[i]))
		f.ID = bd.ID
		st := ""
		if a.Station >= 0 {
			st = res.Snap.Stations.Items[a.Station].ID
		}
		f.Properties = geojson.Properties{"id": bd.ID, "households": bd.Households, "arrival_s": secondsOrNil(a.T),
			"station_id": st, "reach": a.Reach.String(), "access_m": math.Round(a.AccessM*10) / 10}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"numberMatched": matched, "numberReturned": len(hits)}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeJSON(w, http.StatusOK, fc)
}

// engineResponse reads the coverage parameters of q and returns the analysis.
func (s *Server) engineResponse(snap *data.Snapshot, q url.Values) (*coverage.Response, error) {
	p, err := s.coverageParams(q)
	if err != nil {
		return nil, err
	}
	res, err := s.engine.Response(snap, p)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	return res, nil
}

// fireLanes reports each old district's fire lanes: by status, too narrow,
// too low, and the buildings no truck road reaches.
func (s *Server) fireLanes(w http.ResponseWriter, r *http.Request) error {
	res, q, err := s.response(r, "min_width_m", "min_height_m")
	if err != nil {
		return err
	}
	p := coverage.DefaultLaneParams()
	for _, o := range []struct {
		name string
		dst  *float64
	}{{"min_width_m", &p.MinWidthM}, {"min_height_m", &p.MinHeightM}} {
		if v := q.Get(o.name); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || !(f > 0 && f <= 50) {
				return errorf(http.StatusBadRequest, "%s must be a number in (0, 50]", o.name)
			}
			*o.dst = f
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"min_width_m": p.MinWidthM, "min_height_m": p.MinHeightM,
		"districts": coverage.FireLanes(res, p)})
}

// stationSiting proposes k new stations (maximal covering): where each adds
// the most households reached within the target.
func (s *Server) stationSiting(w http.ResponseWriter, r *http.Request) error {
	res, q, err := s.response(r, "k", "class")
	if err != nil {
		return err
	}
	k, err := intParam(q, "k", 3, 20)
	if err != nil {
		return err
	}
	minutes, err := parseMinutes(q, []float64{8})
	if err != nil {
		return err
	}
	if len(minutes) != 1 {
		return errorf(http.StatusBadRequest, "siting takes one target: minutes=8")
	}
	class := q.Get("class")
	if class == "" {
		class = "township_fulltime"
	}
	plan, err := res.SiteStations(k, minutes[0], class)
	if err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	fc := geojson.NewFeatureCollection()
	for _, st := range plan.Sites {
		f := geojson.NewFeature(res.Snap.Proj.Inverse(st.Point))
		f.ID = st.Rank
		f.Properties = geojson.Properties{"rank": st.Rank, "township_id": st.TownshipID, "new_households": st.NewHouseholds,
			"covered_after": st.CoveredAfter, "class": plan.Class, "minutes": plan.Minutes}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"households": plan.Households, "covered_before": plan.Covered, "candidates": plan.Candidates}
	w.Header().Set("Content-Type", "application/geo+json")
	return writeJSON(w, http.StatusOK, fc)
}
