package coverage

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fireplan/coverage/areas"
	"fireplan/coverage/hydrants"
	"fireplan/coverage/lanes"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// One district, one plan: per old district, what a truck, a hydrant and
// the first crew reach, and the actions that close the gaps, ranked by the
// households each brings in.

func laneParamDecls() []Param {
	return []Param{
		{Name: "min_width_m", Kind: Float, Default: "4", Min: 0.5, Max: 50, Title: Title{"最小宽度(米)", "least width (m)"}},
		{Name: "min_height_m", Kind: Float, Default: "4", Min: 0.5, Max: 50, Title: Title{"最小净高(米)", "least clear height (m)"}},
		{Name: "lane_reach_m", Kind: Float, Default: strconv.Itoa(lanes.DefaultReachM), Min: 1, Max: 5000,
			Title: Title{"距消防车道或道路最远(米)", "farthest from a usable lane or truck road (m)"}},
	}
}

var laneParams = append([]string{"min_width_m", "min_height_m", "lane_reach_m"}, responseParams...)

func laneParamsOf(v Values) lanes.Params {
	return lanes.Params{MinWidthM: v.Float("min_width_m"), MinHeightM: v.Float("min_height_m"), ReachM: v.Float("lane_reach_m")}
}

// access is the old districts' truck access, shared by fire_lane_districts
// and districts.
func (c *Catalog) access(ctx context.Context, s *data.Snapshot, v Values) (*lanes.Access, error) {
	return get(ctx, c, "lane_access", s.VersionHex()+"|"+v.keyOf(laneParams), func(ctx context.Context) (*lanes.Access, int64, error) {
		r, err := c.response(ctx, s, v)
		if err != nil {
			return nil, 0, err
		}
		a := lanes.Districts(r, laneParamsOf(v))
		return a, int64(len(a.WayM))*8 + int64(len(a.Lanes))*96 + int64(len(a.Districts))*256 + 1024, nil
	})
}

func districtParamDecls(rp []Param) []Param {
	return params(laneParamDecls(), hydrantParamDecls(), []Param{minutesParam("5", 1),
		{Name: "lang", Kind: Enum, Default: "zh", Enum: []string{"zh", "en"}, Title: Title{"语言(措施一栏)", "language of the actions column"}}}, rp)
}

func districtCol(name, typ, zh, en string) Column {
	return Column{Name: name, Type: typ, Title: Title{zh, en}}
}

func districtColumns() []Column {
	return []Column{
		districtCol("id", "string", "编号", "id"), districtCol("name", "string", "名称", "name"),
		districtCol("township_id", "string", "乡镇编号", "township id"), districtCol("township", "string", "乡镇", "township"),
		districtCol("households", "integer", "户数", "households"), districtCol("buildings", "integer", "建筑数", "buildings"),
		districtCol("households_affected", "integer", "受影响户数", "households affected"),
		districtCol("length_m", "number", "消防车道长度(米)", "fire lanes (m)"),
		districtCol("marked_m", "number", "已标线(米)", "marked (m)"), districtCol("unmarked_m", "number", "未标线(米)", "unmarked (m)"),
		districtCol("obstructed_m", "number", "被占用(米)", "obstructed (m)"), districtCol("unknown_m", "number", "状况不明(米)", "status unknown (m)"),
		districtCol("usable_m", "number", "可用长度(米)", "usable (m)"),
		districtCol("buildings_beyond_reach", "integer", "车辆不可达建筑数", "buildings beyond a truck's reach"),
		districtCol("households_beyond_reach", "integer", "车辆不可达户数", "households beyond a truck's reach"),
		districtCol("working_hydrants", "integer", "完好消火栓数", "working hydrants"),
		districtCol("broken_hydrants", "integer", "损坏消火栓数", "broken hydrants"),
		districtCol("hydrant_debt", "integer", "欠建消火栓数", "hydrant sites owed"),
		districtCol("protected_share", "number", "消火栓保护户数比例", "households protected by hydrants"),
		districtCol("arrival_min", "number", "首车到场(分钟,建筑中位数)", "first crew, median building (min)"),
		districtCol("worst_arrival_min", "number", "最迟到场(分钟)", "first crew, slowest building (min)"),
		districtCol("late_households", "integer", "超时户数", "households waiting longer than the target"),
		districtCol("actions", "string", "措施(按受益户数)", "actions (most households first)"),
	}
}

// Action kinds beside the lane fixes of lanes.Plan.
const (
	AddHydrants   = "add_hydrants"   // the hydrant plan's sites inside the district
	RepairHydrant = "repair_hydrant" // a broken hydrant inside it
	StationCover  = "station_cover"  // a micro fire station for the households the first crew reaches late
)

// ActionKinds names every kind of action, in Chinese and English.
var ActionKinds = map[string]Title{
	lanes.ClearObstruction: {"清除车道占用", "clear the lane"},
	lanes.WidenLane:        {"拓宽或加高车道", "widen or raise the lane"},
	lanes.BuildLane:        {"新建消防车道", "build a fire lane"},
	AddHydrants:            {"增设消火栓", "add hydrants"},
	RepairHydrant:          {"修复消火栓", "repair a hydrant"},
	StationCover:           {"建微型消防站", "set up a micro fire station"},
}

// Action is one thing to do in an old district. Households are those it
// brings within reach (of a truck, a hydrant, the first crew in time)
// first, in rank order; Metres (lanes) or Count (hydrants) is its size.
type Action struct {
	Rank       int      `json:"rank"`
	Kind       string   `json:"kind"`
	What       Title    `json:"what"`
	Ref        string   `json:"ref,omitempty"` // the lane or hydrant it concerns
	Lon        float64  `json:"lon"`
	Lat        float64  `json:"lat"`
	Households int      `json:"households"`
	Buildings  int      `json:"buildings"`
	Metres     *float64 `json:"metres,omitempty"`
	Count      *int     `json:"count,omitempty"`
}

// HydrantSite is a site of the hydrant plan inside a district.
type HydrantSite struct {
	Rank          int     `json:"rank"` // in the county's full plan
	Street        string  `json:"street"`
	RoadID        string  `json:"road_id"`
	Lon           float64 `json:"lon"`
	Lat           float64 `json:"lat"`
	NewHouseholds int     `json:"new_households"`
}

// District is one old district's plan.
type District struct {
	Index                 int                `json:"-"` // into the snapshot's districts
	ID                    string             `json:"id"`
	Name                  string             `json:"name"`
	TownshipID            string             `json:"township_id"`
	Township              string             `json:"township"`
	Lon                   float64            `json:"lon"` // the centroid
	Lat                   float64            `json:"lat"`
	Households            int                `json:"households"`
	Buildings             int                `json:"buildings"`
	HouseholdsAffected    int                `json:"households_affected"` // beyond a truck's reach, unprotected by hydrants or reached late
	LengthM               float64            `json:"length_m"`
	ByStatusM             map[string]float64 `json:"by_status_m"`
	NarrowM               float64            `json:"too_narrow_m"`
	LowM                  float64            `json:"too_low_m"`
	UsableM               float64            `json:"usable_m"`
	BuildingsBeyondReach  int                `json:"buildings_beyond_reach"`
	HouseholdsBeyondReach int                `json:"households_beyond_reach"`
	WorkingHydrants       int                `json:"working_hydrants"`
	BrokenHydrants        int                `json:"broken_hydrants"`
	HydrantDebt           int                `json:"hydrant_debt"`
	ProtectedHouseholds   int                `json:"protected_households"`
	ProtectedShare        float64            `json:"protected_share"`
	ArrivalMin            *float64           `json:"arrival_min"`       // median over its buildings; null when most are never reached
	WorstArrivalMin       *float64           `json:"worst_arrival_min"` // slowest building; null when one is never reached
	TargetMin             float64            `json:"target_min"`
	LateHouseholds        int                `json:"late_households"` // first crew later than the target, or never
	LateBuildings         int                `json:"late_buildings"`
	Actions               []Action           `json:"actions"`
	Lanes                 []lanes.Lane       `json:"lanes"`
	HydrantSites          []HydrantSite      `json:"hydrant_sites"`
}

// districtParams are what District answers depend on: every parameter of
// the districts entry but the language.
var districtParams = append(append(append([]string{}, laneParams...), hydrantParams...), "minutes")

// Districts returns every old district's plan for snapshot s and values v
// of the districts entry, most households affected first.
func (c *Catalog) Districts(ctx context.Context, s *data.Snapshot, v Values) ([]District, error) {
	return get(ctx, c, "districts", s.VersionHex()+"|"+v.keyOf(districtParams), func(ctx context.Context) ([]District, int64, error) {
		a, err := c.access(ctx, s, v)
		if err != nil {
			return nil, 0, err
		}
		r, err := c.response(ctx, s, v)
		if err != nil {
			return nil, 0, err
		}
		h, plan, err := c.plan(ctx, s, v)
		if err != nil {
			return nil, 0, err
		}
		ds := planDistricts(s, a, h, plan, r.Buildings, v.Float("minutes"))
		n := int64(1024)
		for _, d := range ds {
			n += int64(len(d.Actions))*160 + int64(len(d.Lanes))*128 + int64(len(d.HydrantSites))*96 + 512
		}
		return ds, n, nil
	})
}

// planDistricts assembles the plans from the truck access a, the hydrants
// h and their plan, the first crew's arrivals arr (per building) and the
// arrival target (minutes).
func planDistricts(s *data.Snapshot, a *lanes.Access, h *hydrants.Hydrants, plan *hydrants.Plan, arr []response.Arrival, target float64) []District {
	_, hd := h.Stats(plan)
	places := districtPlaces(s) // names told apart, as every list shows them
	out := make([]District, s.Districts.Len())
	for k, dd := range s.Districts.Items {
		dl := a.Districts[k]
		c := areas.Centroid(s.Districts.Metric[k])
		ll := s.Proj.Inverse(c)
		d := District{Index: k, ID: dd.ID, Name: places[k].Name, Lon: round7(ll[0]), Lat: round7(ll[1]), Households: dl.Households, Buildings: dl.Buildings,
			LengthM: dl.LengthM, ByStatusM: dl.ByStatusM, NarrowM: dl.NarrowM, LowM: dl.LowM, UsableM: dl.UsableM,
			BuildingsBeyondReach: dl.BeyondReach, HouseholdsBeyondReach: dl.BeyondReachHousehold,
			WorkingHydrants: hd[k].Hydrants, HydrantDebt: hd[k].Debt, ProtectedHouseholds: hd[k].ProtectedHouseholds,
			ProtectedShare: hd[k].HouseholdShare, TargetMin: target, Lanes: []lanes.Lane{}, HydrantSites: []HydrantSite{}}
		d.TownshipID, d.Township = places[k].TownshipID, places[k].Township
		for _, l := range a.Lanes {
			if int(l.District) == k {
				d.Lanes = append(d.Lanes, l)
			}
		}
		out[k] = d
	}
	times := make([][]float64, len(out))
	for i, b := range s.Buildings.Items {
		k := a.Member.District[i]
		if k < 0 {
			continue
		}
		d := &out[k]
		t := arr[i].T
		times[k] = append(times[k], t)
		late := !(t <= target*60)
		if late {
			d.LateHouseholds += b.Households
			d.LateBuildings++
		}
		if late || a.Beyond(i) || !h.Protected[i] {
			d.HouseholdsAffected += b.Households
		}
	}
	for k := range out {
		d := &out[k]
		if ts := times[k]; len(ts) > 0 {
			slices.Sort(ts)
			d.ArrivalMin, d.WorstArrivalMin = minutes(ts[(len(ts)-1)/2]), minutes(ts[len(ts)-1])
		}
		d.Actions = laneActions(s, a, k)
	}
	hydrantActions(s, h, plan, out)
	for k := range out {
		d := &out[k]
		if d.LateHouseholds > 0 {
			d.Actions = append(d.Actions, Action{Kind: StationCover, Lon: d.Lon, Lat: d.Lat, Households: d.LateHouseholds, Buildings: d.LateBuildings,
				What: Title{fmt.Sprintf("首车到场超过%g分钟:建微型消防站", target),
					fmt.Sprintf("the first crew comes after %g min: set up a micro fire station", target)}})
		}
		// Most households first; the lane fixes keep their plan's order
		// among equals, as each counts what the ones before it left.
		sort.SliceStable(d.Actions, func(i, j int) bool { return d.Actions[i].Households > d.Actions[j].Households })
		for i := range d.Actions {
			d.Actions[i].Rank = i + 1
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].HouseholdsAffected != out[j].HouseholdsAffected {
			return out[i].HouseholdsAffected > out[j].HouseholdsAffected
		}
		if out[i].Households != out[j].Households {
			return out[i].Households > out[j].Households
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// minutes turns seconds into minutes rounded to 0.01; nil when never.
func minutes(s float64) *float64 {
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return nil
	}
	m := math.Round(s/60*100) / 100
	return &m
}

func metres(m float64) *float64 {
	r := math.Round(m*10) / 10
	return &r
}

// dm writes a measured width or height to the decimetre.
func dm(m float64) string { return strconv.FormatFloat(math.Round(m*10)/10, 'f', -1, 64) }

func one() *int {
	n := 1
	return &n
}

func laneActions(s *data.Snapshot, a *lanes.Access, k int) []Action {
	var out []Action
	for _, f := range a.Plan(k) {
		ll := s.Proj.Inverse(f.At)
		act := Action{Kind: f.Kind, Lon: round7(ll[0]), Lat: round7(ll[1]), Households: f.Households, Buildings: f.Buildings, Metres: metres(f.LengthM)}
		switch f.Kind {
		case lanes.BuildLane:
			act.What = Title{fmt.Sprintf("新建消防车道%.0f米(宽不小于%g米,净高不小于%g米)", f.LengthM, a.P.MinWidthM, a.P.MinHeightM),
				fmt.Sprintf("build a %.0f m fire lane (at least %g m wide and %g m clear)", f.LengthM, a.P.MinWidthM, a.P.MinHeightM)}
		case lanes.ClearObstruction:
			l := a.Lanes[f.Lane]
			act.Ref = l.ID
			act.What = Title{fmt.Sprintf("清除消防车道%s占用(%.0f米)", l.ID, l.LengthM), fmt.Sprintf("clear lane %s (%.0f m) of what blocks it", l.ID, l.LengthM)}
		case lanes.WidenLane:
			l := a.Lanes[f.Lane]
			act.Ref = l.ID
			var zh, en []string
			if l.Narrow {
				zh = append(zh, fmt.Sprintf("宽%s米拓宽至%g米", dm(*l.WidthM), a.P.MinWidthM))
				en = append(en, fmt.Sprintf("widen from %s to %g m", dm(*l.WidthM), a.P.MinWidthM))
			}
			if l.Low {
				zh = append(zh, fmt.Sprintf("净高%s米提高至%g米", dm(*l.HeightM), a.P.MinHeightM))
				en = append(en, fmt.Sprintf("raise the clearance from %s to %g m", dm(*l.HeightM), a.P.MinHeightM))
			}
			if l.Obstructed {
				zh = append(zh, "清除占用")
				en = append(en, "clear it")
			}
			act.What = Title{fmt.Sprintf("消防车道%s(%.0f米):%s", l.ID, l.LengthM, strings.Join(zh, ",")),
				fmt.Sprintf("lane %s (%.0f m): %s", l.ID, l.LengthM, strings.Join(en, ", "))}
		}
		out = append(out, act)
	}
	return out
}

// hydrantActions adds to each district the sites the hydrant plan owes it
// and the repair of each broken hydrant inside it. A repair is credited
// with the unprotected households of the district within the radius of
// it in a straight line (in street mode a bound from above), the
// repairs bringing in the most first.
func hydrantActions(s *data.Snapshot, h *hydrants.Hydrants, plan *hydrants.Plan, ds []District) {
	at := make([]int, len(ds)) // snapshot district -> position in ds
	for i := range ds {
		at[ds[i].Index] = i
	}
	sites := make([][]hydrants.Site, len(ds))
	for _, st := range plan.Sites {
		if k := areas.Containing(&s.Districts.MIndex, s.Districts.Metric, st.Point); k >= 0 {
			sites[k] = append(sites[k], st)
		}
	}
	for k, ss := range sites {
		d := &ds[at[k]]
		hh, nb := 0, 0
		for _, st := range ss {
			ll := s.Proj.Inverse(st.Point)
			d.HydrantSites = append(d.HydrantSites, HydrantSite{Rank: st.Rank, Street: st.Street, RoadID: st.RoadID,
				Lon: round7(ll[0]), Lat: round7(ll[1]), NewHouseholds: st.NewHouseholds})
			hh += st.NewHouseholds
			nb += st.NewBuildings
		}
		if len(ss) == 0 {
			continue
		}
		n := len(ss)
		first := d.HydrantSites[0]
		d.Actions = append(d.Actions, Action{Kind: AddHydrants, Lon: first.Lon, Lat: first.Lat, Households: hh, Buildings: nb, Count: &n,
			What: Title{fmt.Sprintf("按消火栓规划增设%d处(点位见消火栓表,首处在%s)", n, first.Street),
				fmt.Sprintf("add the hydrant plan's %d sites (listed with the hydrants; the first on %s)", n, first.Street)}})
	}
	broken := make([][]int, len(ds))
	for i, hy := range s.Hydrants.Items {
		if hy.Status != "broken" {
			continue
		}
		if k := areas.Containing(&s.Districts.MIndex, s.Districts.Metric, s.Hydrants.Metric[i].(orb.Point)); k >= 0 {
			broken[k] = append(broken[k], i)
			ds[at[k]].BrokenHydrants++
		}
	}
	for k, bs := range broken {
		if len(bs) == 0 {
			continue
		}
		d := &ds[at[k]]
		var open []int // unprotected buildings of the district
		for i, dk := range h.Member.District {
			if int(dk) == k && !h.Protected[i] {
				open = append(open, i)
			}
		}
		done := make([]bool, len(open))
		near := func(hi int) (b, hh int, js []int) {
			p := s.Hydrants.Metric[hi].(orb.Point)
			for j, i := range open {
				if !done[j] && geo.PointDistance(p, s.Buildings.Metric[i]) <= h.P.RadiusM {
					b, hh, js = b+1, hh+s.Buildings.Items[i].Households, append(js, j)
				}
			}
			return b, hh, js
		}
		for len(bs) > 0 {
			best, bestB, bestHH := 0, -1, -1
			for j, hi := range bs {
				if b, hh, _ := near(hi); hh > bestHH {
					best, bestB, bestHH = j, b, hh
				}
			}
			hi := bs[best]
			_, _, js := near(hi)
			for _, j := range js {
				done[j] = true
			}
			bs = slices.Delete(bs, best, best+1)
			hy := s.Hydrants.Items[hi]
			ll := hy.Geom
			d.Actions = append(d.Actions, Action{Kind: RepairHydrant, Ref: hy.ID, Lon: round7(ll[0]), Lat: round7(ll[1]),
				Households: bestHH, Buildings: bestB, Count: one(),
				What: Title{fmt.Sprintf("修复损坏消火栓%s", hy.ID), fmt.Sprintf("repair broken hydrant %s", hy.ID)}})
		}
	}
}

// actionsText is the actions of a district in one line of lang, the first
// few only.
func actionsText(d *District, lang string) string {
	const most = 5
	var parts []string
	for i, a := range d.Actions {
		if i == most {
			if lang == "en" {
				parts = append(parts, fmt.Sprintf("and %d more", len(d.Actions)-most))
			} else {
				parts = append(parts, fmt.Sprintf("另%d项", len(d.Actions)-most))
			}
			break
		}
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("%d. %s (%d households)", a.Rank, a.What.En, a.Households))
		} else {
			parts = append(parts, fmt.Sprintf("%d.%s(%d户)", a.Rank, a.What.Zh, a.Households))
		}
	}
	if lang == "en" {
		return strings.Join(parts, "; ")
	}
	return strings.Join(parts, ";")
}

func buildDistricts(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	ds, err := c.Districts(ctx, s, v)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: e.Columns}
	for i := range ds {
		d := &ds[i]
		t.Add(d.ID, s.Districts.Metric[d.Index], d.ID, d.Name, d.TownshipID, d.Township, d.Households, d.Buildings, d.HouseholdsAffected,
			d.LengthM, d.ByStatusM["marked"], d.ByStatusM["unmarked"], d.ByStatusM["obstructed"], d.ByStatusM["unknown"], d.UsableM,
			d.BuildingsBeyondReach, d.HouseholdsBeyondReach, d.WorkingHydrants, d.BrokenHydrants, d.HydrantDebt, d.ProtectedShare,
			optional(d.ArrivalMin), optional(d.WorstArrivalMin), d.LateHouseholds, actionsText(d, v.Get("lang")))
	}
	return t, nil
}

// optional is a table value: nil for none.
func optional(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
