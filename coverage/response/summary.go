package response

import (
	"math"
	"sort"
	"strconv"

	"github.com/paulmach/orb"
)

// AreaSummary counts households reached within each target in one area.
type AreaSummary struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Households  int                `json:"households"`
	Buildings   int                `json:"buildings"`
	Covered     map[string]int     `json:"covered"`       // households reached within each target, by minutes
	Share       map[string]float64 `json:"share"`         // Covered / Households
	NoRoad      int                `json:"no_road"`       // households beyond the access limit of any passable road
	Unconnected int                `json:"not_connected"` // households on roads no station reaches

	covered []int // per target, while buildings are added: no map update per building
}

func minutesKey(m float64) string { return strconv.FormatFloat(m, 'f', -1, 64) }

// Summary returns households covered at each target (minutes) per township,
// then one row for the whole county (id "county"); buildings in no township
// come under id "outside" when there are any.
func (r *Response) Summary(targets []float64) []AreaSummary {
	s := r.Snap
	rows := make([]AreaSummary, s.Townships.Len()+2)
	for i, t := range s.Townships.Items {
		rows[i] = newSummary(t.ID, t.Name, targets)
	}
	out, all := len(rows)-2, len(rows)-1
	rows[out] = newSummary("outside", "outside every township", targets)
	rows[all] = newSummary("county", "county", targets)
	for i, b := range s.Buildings.Items {
		k := r.Member.Township[i]
		if k < 0 {
			k = int32(out)
		}
		a := r.Buildings[i]
		for _, row := range []*AreaSummary{&rows[k], &rows[all]} {
			row.add(a, b.Households, targets)
		}
	}
	for i := range rows {
		rows[i].finish(targets)
	}
	if rows[out].Buildings == 0 {
		rows = append(rows[:out], rows[all])
	}
	return rows
}

// VillageSummary returns households covered at each target per village
// (by the buildings inside it), in village order.
func (r *Response) VillageSummary(targets []float64) []AreaSummary {
	s := r.Snap
	rows := make([]AreaSummary, s.Villages.Len())
	for i, v := range s.Villages.Items {
		rows[i] = newSummary(v.ID, v.Name, targets)
	}
	for i, b := range s.Buildings.Items {
		if k := r.Member.Village[i]; k >= 0 {
			rows[k].add(r.Buildings[i], b.Households, targets)
		}
	}
	for i := range rows {
		rows[i].finish(targets)
	}
	return rows
}

func newSummary(id, name string, targets []float64) AreaSummary {
	return AreaSummary{ID: id, Name: name, Covered: map[string]int{}, Share: map[string]float64{}, covered: make([]int, len(targets))}
}

func (a *AreaSummary) add(arr Arrival, households int, targets []float64) {
	a.Households += households
	a.Buildings++
	switch arr.Reach {
	case NoRoad:
		a.NoRoad += households
	case NotConnected:
		a.Unconnected += households
	}
	for j, m := range targets {
		if arr.T <= m*60 {
			a.covered[j] += households
		}
	}
}

func (a *AreaSummary) finish(targets []float64) {
	for j, m := range targets {
		k := minutesKey(m)
		a.Covered[k] += a.covered[j]
		if a.Households > 0 {
			a.Share[k] = math.Round(float64(a.Covered[k])/float64(a.Households)*10000) / 10000
		}
	}
	a.covered = nil
}

// Gap is a village or district (or the rest of a township) where some
// households wait longer than the target.
type Gap struct {
	Kind        string       `json:"kind"` // village, district, township_rest
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	TownshipID  string       `json:"township_id"`
	Households  int          `json:"households"`
	Uncovered   int          `json:"uncovered_households"`
	ArrivalS    float64      `json:"arrival_s"`       // at the centroid; -1 when unreachable
	WorstS      float64      `json:"worst_arrival_s"` // slowest reached building; -1 when none reached
	Unreachable int          `json:"unreachable_households"`
	Station     string       `json:"station_id,omitempty"`
	Geom        orb.Geometry `json:"-"` // metres: the area, or the uncovered buildings' centroids
}

// Gaps lists every village and district where households wait longer than
// minutes, and per township the uncovered buildings outside both, worst
// first: unreachable before slow, then by arrival time.
func (r *Response) Gaps(minutes float64) []Gap {
	s := r.Snap
	limit := minutes * 60
	vil := make([]Gap, s.Villages.Len())
	for i, v := range s.Villages.Items {
		vil[i] = Gap{Kind: "village", ID: v.ID, Name: v.Name, TownshipID: v.TownshipID, Geom: s.Villages.Metric[i]}
		r.centroidArrival(&vil[i], r.Villages[i])
	}
	dis := make([]Gap, s.Districts.Len())
	for i, d := range s.Districts.Items {
		dis[i] = Gap{Kind: "district", ID: d.ID, Name: d.Name, Geom: s.Districts.Metric[i]}
		r.centroidArrival(&dis[i], r.Districts[i])
	}
	rest := map[int32]*Gap{}
	for i, b := range s.Buildings.Items {
		a := r.Buildings[i]
		var g *Gap
		switch {
		case r.Member.District[i] >= 0:
			g = &dis[r.Member.District[i]]
		case r.Member.Village[i] >= 0:
			g = &vil[r.Member.Village[i]]
		default:
			t := r.Member.Township[i]
			g = rest[t]
			if g == nil {
				g = &Gap{Kind: "township_rest", ID: "outside", Name: "outside every township", ArrivalS: -1, WorstS: -1, Geom: orb.MultiPoint{}}
				if t >= 0 {
					tw := s.Townships.Items[t]
					g.ID, g.Name, g.TownshipID = tw.ID, tw.Name+" (outside villages and districts)", tw.ID
				}
				rest[t] = g
			}
		}
		g.Households += b.Households
		if a.Reach != Reached {
			g.Unreachable += b.Households
		} else if a.T > g.WorstS {
			g.WorstS = a.T
		}
		if a.T > limit {
			g.Uncovered += b.Households
			if mp, ok := g.Geom.(orb.MultiPoint); ok {
				g.Geom = append(mp, r.Member.Centroid[i])
			}
		}
	}
	var out []Gap
	for _, g := range append(vil, dis...) {
		if g.Uncovered > 0 || g.Households == 0 && g.ArrivalS < 0 || g.ArrivalS > limit {
			out = append(out, g)
		}
	}
	for _, g := range rest {
		if g.Uncovered > 0 {
			out = append(out, *g)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		ka, kb := gapOrder(out[a]), gapOrder(out[b])
		if ka != kb {
			return ka > kb
		}
		if out[a].Uncovered != out[b].Uncovered {
			return out[a].Uncovered > out[b].Uncovered
		}
		return out[a].ID < out[b].ID
	})
	return out
}

// gapOrder ranks a gap: any unreachable households first, then the
// slowest arrival at its centroid or any of its buildings.
func gapOrder(g Gap) float64 {
	if g.Unreachable > 0 || g.ArrivalS < 0 && g.Kind != "township_rest" {
		return math.Inf(1)
	}
	return math.Max(g.ArrivalS, g.WorstS)
}

func (r *Response) centroidArrival(g *Gap, a Arrival) {
	g.ArrivalS, g.WorstS = -1, -1
	if a.Reach == Reached {
		g.ArrivalS = round1(a.T)
		g.Station = r.Snap.Stations.Items[a.Station].ID
	}
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
