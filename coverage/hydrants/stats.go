package hydrants

import (
	"fireplan/coverage/areas"
	"math"

	"github.com/paulmach/orb"
)

// IntactTarget is the share of built hydrants that must be in working order.
const IntactTarget = 0.98

// TownshipHydrants counts a township's hydrants by kind and status.
type TownshipHydrants struct {
	ID          string                    `json:"id"`
	Name        string                    `json:"name"`
	ByKind      map[string]map[string]int `json:"by_kind"` // kind -> status -> count
	Working     int                       `json:"working"`
	Broken      int                       `json:"broken"`
	Planned     int                       `json:"planned"`
	IntactRate  *float64                  `json:"intact_rate"` // working / (working + broken); null with none built
	MeetsTarget bool                      `json:"meets_target"`
}

// DistrictHydrants is an old district's hydrant debt and protection.
type DistrictHydrants struct {
	ID                  string  `json:"id"`
	Name                string  `json:"name"`
	StreetM             float64 `json:"street_m"`
	ProtectedStreetM    float64 `json:"protected_street_m"`
	StreetShare         float64 `json:"street_share"`
	Households          int     `json:"households"`
	ProtectedHouseholds int     `json:"protected_households"`
	HouseholdShare      float64 `json:"household_share"`
	Hydrants            int     `json:"working_hydrants"`
	Debt                int     `json:"hydrant_debt"` // sites of the full plan inside the district
}

// Stats returns hydrants per township (last row: the county, id "county")
// and debt and protection per old district: the sites of plan (the full
// plan) inside each district.
func (h *Hydrants) Stats(plan *Plan) ([]TownshipHydrants, []DistrictHydrants) {
	s := h.Snap
	tw := make([]TownshipHydrants, s.Townships.Len()+1)
	for i, t := range s.Townships.Items {
		tw[i] = TownshipHydrants{ID: t.ID, Name: t.Name, ByKind: map[string]map[string]int{}}
	}
	all := len(tw) - 1
	tw[all] = TownshipHydrants{ID: "county", Name: "county", ByKind: map[string]map[string]int{}}
	dis := make([]DistrictHydrants, s.Districts.Len())
	for i, d := range s.Districts.Items {
		dis[i] = DistrictHydrants{ID: d.ID, Name: d.Name}
	}
	for i, hy := range s.Hydrants.Items {
		p := s.Hydrants.Metric[i].(orb.Point)
		rows := []*TownshipHydrants{&tw[all]}
		if k := areas.Containing(&s.Townships.MIndex, s.Townships.Metric, p); k >= 0 {
			rows = append(rows, &tw[k])
		}
		for _, r := range rows {
			if r.ByKind[hy.Kind] == nil {
				r.ByKind[hy.Kind] = map[string]int{}
			}
			r.ByKind[hy.Kind][hy.Status]++
			switch hy.Status {
			case "working":
				r.Working++
			case "broken":
				r.Broken++
			case "planned":
				r.Planned++
			}
		}
		if k := areas.Containing(&s.Districts.MIndex, s.Districts.Metric, p); k >= 0 && hy.Status == "working" {
			dis[k].Hydrants++
		}
	}
	for i := range tw {
		if built := tw[i].Working + tw[i].Broken; built > 0 {
			r := areas.Share(float64(tw[i].Working), float64(built))
			tw[i].IntactRate = &r
			tw[i].MeetsTarget = r >= IntactTarget
		}
	}
	// Streets of each district: edges whose middle lies inside it.
	g := h.St.G
	for e := range g.Edges {
		e := int32(e)
		k := areas.Containing(&s.Districts.MIndex, s.Districts.Metric, g.EdgePoint(e, g.Edges[e].Length/2))
		if k < 0 {
			continue
		}
		l := g.Edges[e].Length
		unprot := 0.0
		for _, gap := range subtract(l, h.protectedIntervals(e)) {
			unprot += gap.B - gap.A
		}
		dis[k].StreetM += l
		dis[k].ProtectedStreetM += l - unprot
	}
	for i, b := range s.Buildings.Items {
		if k := h.Member.District[i]; k >= 0 {
			dis[k].Households += b.Households
			if h.Protected[i] {
				dis[k].ProtectedHouseholds += b.Households
			}
		}
	}
	for _, site := range plan.Sites {
		if k := areas.Containing(&s.Districts.MIndex, s.Districts.Metric, site.Point); k >= 0 {
			dis[k].Debt++
		}
	}
	for i := range dis {
		d := &dis[i]
		d.StreetM, d.ProtectedStreetM = math.Round(d.StreetM), math.Round(d.ProtectedStreetM)
		d.StreetShare = areas.Share(d.ProtectedStreetM, d.StreetM)
		d.HouseholdShare = areas.Share(float64(d.ProtectedHouseholds), float64(d.Households))
	}
	return tw, dis
}
