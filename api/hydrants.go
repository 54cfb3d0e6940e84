package api

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"fireplan/coverage"
	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var hydrantParamNames = []string{"mode", "radius_m", "spacing_m", "include_planned", "format"}

// hydrantParams reads the hydrant analysis overrides a request may make.
func hydrantParams(q url.Values) (coverage.HydrantParams, error) {
	p := coverage.DefaultHydrantParams()
	switch q.Get("mode") {
	case "", "street":
	case "straight":
		p.Straight = true
	default:
		return p, errorf(http.StatusBadRequest, "mode must be street or straight")
	}
	for _, o := range []struct {
		name     string
		dst      *float64
		min, max float64
	}{{"radius_m", &p.RadiusM, 10, 1000}, {"spacing_m", &p.SpacingM, 20, 2000}} {
		if v := q.Get(o.name); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || !(f >= o.min && f <= o.max) {
				return p, errorf(http.StatusBadRequest, "%s must be a number from %g to %g", o.name, o.min, o.max)
			}
			*o.dst = f
		}
	}
	switch q.Get("include_planned") {
	case "", "false":
	case "true":
		p.IncludePlanned = true
	default:
		return p, errorf(http.StatusBadRequest, "include_planned must be true or false")
	}
	return p, nil
}

func (s *Server) hydrants(r *http.Request, extra ...string) (*coverage.Hydrants, url.Values, error) {
	return analysis(s, r, append(hydrantParamNames, extra...), s.engineHydrants)
}

func lonlat(h *coverage.Hydrants, g orb.Geometry) orb.Geometry { return h.Snap.Proj.InverseGeometry(g) }

func round1m(f float64) float64 { return math.Round(f*10) / 10 }

// HydrantGapsGeoJSON encodes every kind of hydrant gap as one collection:
// street_gap and spacing lines, one_side wide streets, uncovered buildings.
func HydrantGapsGeoJSON(h *coverage.Hydrants) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	g := h.St.G
	for i, st := range h.Stretches {
		f := geojson.NewFeature(lonlat(h, g.SubLine(st.Edge, st.A, st.B)))
		f.ID = fmt.Sprintf("street_gap:%d", i)
		f.Properties = geojson.Properties{"kind": "street_gap", "street": st.Street, "road_id": st.RoadID, "length_m": round1m(st.Length())}
		fc.Append(f)
	}
	for i, sg := range h.Spacing {
		f := geojson.NewFeature(lonlat(h, h.St.ChainLine(sg.Chain, sg.A, sg.B)))
		f.ID = fmt.Sprintf("spacing:%d", i)
		f.Properties = geojson.Properties{"kind": "spacing", "spacing_kind": sg.Kind, "street": sg.Street,
			"span_m": round1m(sg.B - sg.A), "uncovered_m": round1m(sg.Hi - sg.Lo)}
		fc.Append(f)
	}
	for _, os := range h.OneSide {
		f := geojson.NewFeature(lonlat(h, g.EdgeLine(os.Edge)))
		f.ID = "one_side:" + os.RoadID
		f.Properties = geojson.Properties{"kind": "one_side", "street": os.Street, "road_id": os.RoadID, "width_m": os.WidthM,
			"hydrants_left": os.Left, "hydrants_right": os.Right}
		fc.Append(f)
	}
	for _, i := range h.BuildingGaps {
		b := h.Snap.Buildings.Items[i]
		f := geojson.NewFeature(h.Snap.Proj.Inverse(h.Member.Centroid[i]))
		f.ID = "building:" + b.ID
		f.Properties = geojson.Properties{"kind": "building", "id": b.ID, "households": b.Households}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"problems": h.Problems, "mode": modeName(h.P), "radius_m": h.P.RadiusM, "spacing_m": h.P.SpacingM}
	return fc
}

func modeName(p coverage.HydrantParams) string {
	if p.Straight {
		return "straight"
	}
	return "street"
}

// WriteHydrantGapsCSV writes one row per gap.
func WriteHydrantGapsCSV(w io.Writer, h *coverage.Hydrants) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "detail", "street", "id", "length_m", "households"})
	f := func(v float64) string { return strconv.FormatFloat(round1m(v), 'f', 1, 64) }
	for _, st := range h.Stretches {
		cw.Write([]string{"street_gap", "", st.Street, st.RoadID, f(st.Length()), ""})
	}
	for _, sg := range h.Spacing {
		cw.Write([]string{"spacing", sg.Kind, sg.Street, "", f(sg.B - sg.A), ""})
	}
	for _, os := range h.OneSide {
		cw.Write([]string{"one_side", fmt.Sprintf("left %d right %d", os.Left, os.Right), os.Street, os.RoadID, "", ""})
	}
	for _, i := range h.BuildingGaps {
		b := h.Snap.Buildings.Items[i]
		cw.Write([]string{"building", "", "", b.ID, "", strconv.Itoa(b.Households)})
	}
	cw.Flush()
	return cw.Error()
}

// ProposalsGeoJSON encodes proposed sites.
func ProposalsGeoJSON(h *coverage.Hydrants, sites []coverage.Site) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, st := range sites {
		f := geojson.NewFeature(h.Snap.Proj.Inverse(st.Point))
		f.ID = st.Rank
		f.Properties = siteProps(st)
		fc.Append(f)
	}
	return fc
}

func siteProps(st coverage.Site) geojson.Properties {
	return geojson.Properties{"rank": st.Rank, "street": st.Street, "road_id": st.RoadID,
		"new_street_m": round1m(st.NewStreetM), "new_spacing_m": round1m(st.NewSpacingM),
		"new_buildings": st.NewBuildings, "new_households": st.NewHouseholds}
}

// WriteProposalsCSV writes one row per proposed site.
func WriteProposalsCSV(w io.Writer, h *coverage.Hydrants, sites []coverage.Site) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "lon", "lat", "street", "road_id", "new_street_m", "new_spacing_m", "new_buildings", "new_households"})
	for _, st := range sites {
		ll := h.Snap.Proj.Inverse(st.Point)
		cw.Write([]string{strconv.Itoa(st.Rank), strconv.FormatFloat(ll[0], 'f', 7, 64), strconv.FormatFloat(ll[1], 'f', 7, 64),
			st.Street, st.RoadID, strconv.FormatFloat(round1m(st.NewStreetM), 'f', 1, 64), strconv.FormatFloat(round1m(st.NewSpacingM), 'f', 1, 64),
			strconv.Itoa(st.NewBuildings), strconv.Itoa(st.NewHouseholds)})
	}
	cw.Flush()
	return cw.Error()
}

// Proposals returns the best count sites (the year's plan), or with count
// 0 the whole plan that closes every gap.
func Proposals(h *coverage.Hydrants, count int) []coverage.Site {
	plan := h.Plan()
	if count > 0 {
		return plan.Greedy[:min(count, len(plan.Greedy))]
	}
	return plan.Sites
}

func (s *Server) hydrantGaps(w http.ResponseWriter, r *http.Request) error {
	h, q, err := s.hydrants(r)
	if err != nil {
		return err
	}
	return writeAs(w, q.Get("format"), "hydrant-gaps", func() any { return HydrantGapsGeoJSON(h) },
		func(w io.Writer) error { return WriteHydrantGapsCSV(w, h) })
}

func (s *Server) hydrantProposals(w http.ResponseWriter, r *http.Request) error {
	h, q, err := s.hydrants(r, "count")
	if err != nil {
		return err
	}
	count, err := intParam(q, "count", 0, 100000)
	if err != nil {
		return err
	}
	sites := Proposals(h, count)
	return writeAs(w, q.Get("format"), "hydrant-proposals", func() any {
		fc := ProposalsGeoJSON(h, sites)
		plan := h.Plan()
		fc.ExtraMembers = geojson.Properties{"plan_size": len(plan.Sites), "uncoverable": plan.Uncoverable, "count": len(sites)}
		return fc
	}, func(w io.Writer) error { return WriteProposalsCSV(w, h, sites) })
}

func (s *Server) hydrantStats(w http.ResponseWriter, r *http.Request) error {
	h, _, err := s.hydrants(r)
	if err != nil {
		return err
	}
	tw, dis := h.Stats()
	return writeJSON(w, http.StatusOK, map[string]any{
		"townships": tw, "districts": dis, "intact_target": coverage.IntactTarget,
		"new_per_year_target": 20, "plan_size": len(h.Plan().Sites), "problems": h.Problems,
	})
}

// engineHydrants reads the hydrant parameters of q and returns the analysis.
func (s *Server) engineHydrants(snap *data.Snapshot, q url.Values) (*coverage.Hydrants, error) {
	p, err := hydrantParams(q)
	if err != nil {
		return nil, err
	}
	h, err := s.engine.Hydrants(snap, p)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	return h, nil
}
