package api

import (
	"encoding/csv"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"fireplan/coverage"
	"fireplan/data"

	"github.com/paulmach/orb/geojson"
)

func (s *Server) clusters(r *http.Request, extra ...string) (*coverage.Clusters, url.Values, error) {
	return analysis(s, r, append([]string{"separation_m", "by_structure"}, extra...), s.clustersFor)
}

// clustersFor reads the cluster parameters of q and returns the analysis.
func (s *Server) clustersFor(snap *data.Snapshot, q url.Values) (*coverage.Clusters, error) {
	p := coverage.DefaultClusterParams()
	if v := q.Get("separation_m"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0 && f <= 100) {
			return nil, errorf(http.StatusBadRequest, "separation_m must be a number in (0, 100]")
		}
		p.SeparationM = f
	}
	switch q.Get("by_structure") {
	case "", "false":
	case "true":
		p.ByStructure = true
	default:
		return nil, errorf(http.StatusBadRequest, "by_structure must be true or false")
	}
	c, err := s.engine.Clusters(snap, p, s.opts.Params)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "%v", err)
	}
	return c, nil
}

func finiteOrNil(f float64) any {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return math.Round(f*10) / 10
}

func clusterProps(c *coverage.Clusters, cl *coverage.Cluster) geojson.Properties {
	s := c.Snap
	township, village := "", ""
	if cl.Township >= 0 {
		township = s.Townships.Items[cl.Township].ID
	}
	if cl.Village >= 0 {
		village = s.Villages.Items[cl.Village].ID
	}
	return geojson.Properties{"id": cl.ID, "households": cl.Households, "buildings": len(cl.Buildings), "tier": cl.Tier,
		"wood_share": cl.WoodShare, "township_id": township, "village_id": village, "retrofitted": cl.Retrofitted,
		"volunteer_brigade": cl.VolunteerBrigade, "arrival_s": finiteOrNil(cl.ArrivalS), "water_m": finiteOrNil(cl.WaterM),
		"centroid": s.Proj.Inverse(cl.Centroid)}
}

// ClustersGeoJSON encodes clusters of at least min households as outlines.
func ClustersGeoJSON(c *coverage.Clusters, minHouseholds int) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for i := range c.Clusters {
		cl := &c.Clusters[i]
		if cl.Households < minHouseholds {
			continue
		}
		f := geojson.NewFeature(c.Snap.Proj.InverseGeometry(cl.Outline))
		f.ID = cl.ID
		f.Properties = clusterProps(c, cl)
		fc.Append(f)
	}
	return fc
}

// WriteClustersCSV writes one row per cluster of at least min households.
func WriteClustersCSV(w io.Writer, c *coverage.Clusters, minHouseholds int) error {
	cw := csv.NewWriter(w)
	cols := []string{"id", "tier", "households", "buildings", "wood_share", "township_id", "village_id", "retrofitted",
		"volunteer_brigade", "arrival_s", "water_m", "lon", "lat"}
	cw.Write(cols)
	for i := range c.Clusters {
		cl := &c.Clusters[i]
		if cl.Households < minHouseholds {
			continue
		}
		p := clusterProps(c, cl)
		row := make([]string, len(cols))
		for k, col := range cols[:len(cols)-2] {
			if p[col] != nil {
				row[k] = toString(p[col])
			}
		}
		ll := c.Snap.Proj.Inverse(cl.Centroid)
		row[len(cols)-2], row[len(cols)-1] = strconv.FormatFloat(ll[0], 'f', 7, 64), strconv.FormatFloat(ll[1], 'f', 7, 64)
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func (s *Server) clusterList(w http.ResponseWriter, r *http.Request) error {
	c, q, err := s.clusters(r, "min_households", "format")
	if err != nil {
		return err
	}
	minHH, err := intParam(q, "min_households", 30, 1000000)
	if err != nil {
		return err
	}
	return writeAs(w, q.Get("format"), "clusters", func() any { return ClustersGeoJSON(c, minHH) },
		func(w io.Writer) error { return WriteClustersCSV(w, c, minHH) })
}

func (s *Server) clusterLedger(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.clusters(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tiers": coverage.Tiers, "separation_m": c.P.SeparationM,
		"by_structure": c.P.ByStructure, "rural_buildings": len(c.Rural), "clusters": len(c.Clusters), "townships": c.Ledger()})
}
