package coverage

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fireplan/coverage/areas"
	"fireplan/coverage/clusters"
	"fireplan/coverage/hydrants"
	"fireplan/coverage/response"
	"fireplan/coverage/siting"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Catalog is every base layer and analysis fireplan serves, declared once,
// with the one cache their results live in.
type Catalog struct {
	Entries []*Entry
	Cache   *Cache
	Limit   *Limiter // admits the tables computed at once; nil: no limit
	base    response.Params
	byName  map[string]*Entry
}

// New returns the catalogue over response-time defaults base (speeds,
// widths and turnout times come from it; the per-request parameters'
// defaults too), with a cache of cacheBytes.
func New(base response.Params, cacheBytes int64) (*Catalog, error) {
	if err := base.Check(); err != nil {
		return nil, err
	}
	c := &Catalog{Cache: NewCache(cacheBytes), base: base, byName: map[string]*Entry{}}
	c.Entries = append(baseLayers(), c.analyses()...)
	for _, e := range c.Entries {
		if e.Layer != "" {
			e.Uses = []string{e.Layer}
		} else {
			e.Uses = uses[e.Name]
		}
		if c.byName[e.Name] != nil {
			return nil, fmt.Errorf("catalogue: %s declared twice", e.Name)
		}
		c.byName[e.Name] = e
		for _, p := range e.Params {
			if _, err := p.canonical(p.Default); err != nil && !(p.Kind == Text && p.Default == "") {
				return nil, fmt.Errorf("catalogue: %s: default of %v", e.Name, err)
			}
		}
	}
	return c, nil
}

// uses names the layers each analysis reads; an absent or empty one
// weakens it (see Weakened).
var uses = map[string][]string{
	"coverage_summary":    {data.LayerRoads, data.LayerStations, data.LayerBuildings, data.LayerVillages, data.LayerDistricts, data.LayerTownships},
	"coverage_gaps":       {data.LayerRoads, data.LayerStations, data.LayerBuildings, data.LayerVillages, data.LayerDistricts, data.LayerTownships},
	"coverage_isochrones": {data.LayerRoads, data.LayerStations},
	"coverage_buildings":  {data.LayerRoads, data.LayerStations, data.LayerBuildings, data.LayerTownships},
	"fire_lane_districts": {data.LayerDistricts, data.LayerFireLanes, data.LayerBuildings, data.LayerRoads, data.LayerStations},
	"district_plans":      {data.LayerDistricts, data.LayerFireLanes, data.LayerBuildings, data.LayerRoads, data.LayerStations, data.LayerHydrants, data.LayerBuiltup, data.LayerTownships},
	"station_siting":      {data.LayerRoads, data.LayerStations, data.LayerBuildings, data.LayerTownships, data.LayerBuiltup},
	"township_brigades":   {data.LayerRoads, data.LayerStations, data.LayerBuildings, data.LayerTownships},
	"village_brigades":    {data.LayerVillages, data.LayerTownships, data.LayerRoads, data.LayerStations, data.LayerBuildings},
	"hydrant_gaps":        {data.LayerRoads, data.LayerHydrants, data.LayerBuiltup, data.LayerBuildings, data.LayerTownships},
	"hydrant_proposals":   {data.LayerRoads, data.LayerHydrants, data.LayerBuiltup, data.LayerBuildings, data.LayerTownships},
	"hydrant_stats":       {data.LayerRoads, data.LayerHydrants, data.LayerBuiltup, data.LayerBuildings, data.LayerTownships},
	"hydrant_districts":   {data.LayerDistricts, data.LayerHydrants, data.LayerRoads},
	"clusters":            {data.LayerBuildings, data.LayerVillages, data.LayerBuiltup, data.LayerHydrants, data.LayerStations, data.LayerRoads},
	"cluster_ledger":      {data.LayerBuildings, data.LayerVillages, data.LayerBuiltup, data.LayerHydrants, data.LayerStations, data.LayerRoads, data.LayerTownships},
}

// Weakened returns the analyses that read layer, in catalogue order: what an
// absent or empty layer leaves without its input.
func (c *Catalog) Weakened(layer string) []string {
	var out []string
	for _, e := range c.Entries {
		if e.Analysis() && slices.Contains(e.Uses, layer) {
			out = append(out, e.Name)
		}
	}
	return out
}

// Entry returns the entry called name.
func (c *Catalog) Entry(name string) (*Entry, bool) {
	e, ok := c.byName[name]
	return e, ok
}

// Table returns an analysis' rows for snapshot s and values v, computed
// once per data version and canonical parameters.
func (c *Catalog) Table(ctx context.Context, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	if e.build == nil {
		return nil, fmt.Errorf("%s is a base layer, not an analysis", e.Name)
	}
	return get(ctx, c, "table:"+e.Name, s.VersionHex()+"|"+v.Key(), func(ctx context.Context) (*Table, int64, error) {
		// Only a table not in the cache takes a slot: one computed, or
		// being computed for another caller, is served without waiting.
		ctx, release, err := c.Limit.Acquire(ctx)
		if err != nil {
			return nil, 0, err
		}
		defer release()
		t, err := e.build(ctx, c, e, s, v)
		if err != nil {
			return nil, 0, err
		}
		t.Proj = s.Proj
		if e.Sort != "" {
			t.sortDesc(e.Sort)
		}
		return t, t.Bytes(), nil
	})
}

// col declares a column; its Chinese title comes from zhTitles.
func col(name, typ, en string) Column {
	zh, ok := zhTitles[name]
	if !ok {
		panic("catalogue: no Chinese title for column " + name)
	}
	return Column{Name: name, Type: typ, Title: Title{Zh: zh, En: en}}
}

var zhTitles = map[string]string{
	"id": "编号", "name": "名称", "kind": "类别", "township_id": "乡镇编号", "village_id": "行政村编号",
	"households": "户数", "buildings": "建筑数", "no_road": "无可通行道路户数", "not_connected": "道路不连通户数",
	"uncovered_households": "超时户数", "unreachable_households": "不可达户数", "arrival_min": "到场时间(分钟)",
	"worst_arrival_min": "最迟到场时间(分钟)", "station_id": "消防站编号", "station": "消防站", "target_min": "目标(分钟)",
	"minutes": "时间(分钟)", "area_km2": "面积(平方公里)", "reach": "可达情况", "access_m": "步行距离(米)",
	"lanes": "消防车道数", "length_m": "长度(米)", "marked_m": "已标线(米)", "unmarked_m": "未标线(米)",
	"obstructed_m": "被占用(米)", "unknown_m": "状况不明(米)", "too_narrow_m": "宽度不足(米)", "too_low_m": "净高不足(米)",
	"usable_m": "可用长度(米)", "buildings_beyond_reach": "车辆不可达建筑数", "households_beyond_reach": "车辆不可达户数",
	"rank": "排序", "new_households": "新增覆盖户数", "covered_after": "建成后覆盖户数", "class": "类型",
	"detail": "说明", "street": "街道", "road_id": "道路编号", "width_m": "宽度(米)", "hydrants_left": "左侧消火栓数",
	"hydrants_right": "右侧消火栓数", "new_street_m": "新增保护街道(米)", "new_spacing_m": "补足间距(米)",
	"new_buildings": "新增保护建筑数", "working": "完好", "broken": "损坏", "planned": "规划", "intact_rate": "完好率",
	"meets_target": "是否达标", "municipal": "市政消火栓", "fire_pool": "消防水池", "natural": "天然水源", "crane": "消防水鹤",
	"street_m": "街道长度(米)", "protected_street_m": "受保护街道(米)", "street_share": "街道保护率",
	"protected_households": "受保护户数", "household_share": "户数保护率", "working_hydrants": "完好消火栓数",
	"hydrant_debt": "欠建消火栓数", "tier": "规模等级", "wood_share": "木结构比例", "retrofitted": "已改造",
	"volunteer_brigade": "志愿消防队", "water_m": "距水源(米)", "retrofitted_100plus": "百户以上已改造数",
	"retrofit_share_100plus": "百户以上改造比例", "retrofit_target": "改造目标",
	"clusters_30plus_without_brigade": "30户以上无志愿队", "clusters_30plus_without_water": "30户以上无水源",
	"covered": "覆盖户数", "share": "覆盖率", "clusters": "连片数",
	"lon": "经度", "lat": "纬度", "required": "必选", "new_in_township": "其中本乡镇户数", "brigades_after": "建成后有专职队乡镇数",
	"share_after": "建成后比例", "to_target": "达标所需", "villages": "行政村数", "with_brigade": "有志愿队村数",
	"without_brigade": "无志愿队村数", "target": "目标", "gap": "差额(村)", "first_villages": "优先补建村", "first_households": "优先补建村户数",
	"township": "乡镇", "village": "行政村", "first_village_names": "优先补建村名称",
}

// enum declares an enumeration column: its codes labelled by values.
func enum(name, en string, values map[string]Title) Column {
	c := col(name, "string", en)
	c.Values = values
	return c
}

// Labels of the enumeration columns' codes.
var (
	gapKinds = map[string]Title{"village": {"行政村", "village"}, "district": {"老旧小区", "old district"},
		"township_rest": {"乡镇其余建筑", "rest of the township"}}
	reaches = map[string]Title{"reached": {"可到达", "reached"}, "no_passable_road": {"无可通行道路", "no passable road"},
		"not_connected": {"道路不连通", "road not connected to a station"}}
	stationClasses = map[string]Title{"special": {"特勤消防站", "special service station"}, "urban1": {"一级普通消防站", "class 1 urban station"},
		"urban2": {"二级普通消防站", "class 2 urban station"}, "small": {"小型普通消防站", "small urban station"},
		"township_fulltime": {"乡镇专职消防队", "township full-time brigade"}, "volunteer": {"志愿消防队", "volunteer brigade"},
		"micro": {"微型消防站", "micro station"}}
	hydrantGapKinds = map[string]Title{"street_gap": {"保护半径外街道", "street beyond every hydrant's radius"},
		"spacing": {"间距超标", "spacing too wide"}, "one_side": {"宽街单侧设栓", "wide street with hydrants on one side"},
		"building": {"未受保护建筑", "unprotected building"}}
	// spacingKinds label hydrant_gaps' detail of a spacing row; the detail
	// of a building row is the building's id and stays as it is.
	spacingKinds = map[string]Title{"between": {"两栓间距过大", "between two hydrants"}, "end": {"街道末端无栓", "street end"},
		"none": {"整条街无栓", "no hydrant on the street"}}
	tiers = map[string]Title{"100+": {"100户以上", "100 households or more"}, "50-99": {"50-99户", "50-99 households"},
		"30-49": {"30-49户", "30-49 households"}, "<30": {"30户以下", "under 30 households"}}
)

// Parameters shared by several entries.
func (c *Catalog) responseParamDecls() []Param {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return []Param{
		{Name: "truck_width_m", Kind: Float, Default: f(c.base.TruckWidthM), Min: 0, Max: 20, Title: Title{"消防车宽度(米)", "truck width (m)"}},
		{Name: "access_max_m", Kind: Float, Default: f(c.base.AccessMaxM), Min: 0, Max: 5000, Title: Title{"最远步行距离(米)", "longest walk from the road (m)"}},
		{Name: "access_speed_mps", Kind: Float, Default: f(c.base.AccessSpeedMps), Min: 0.1, Max: 10, Title: Title{"步行速度(米/秒)", "walking speed (m/s)"}},
		{Name: "station_snap_m", Kind: Float, Default: f(c.base.StationSnapM), Min: 0, Max: 20000, Title: Title{"消防站距道路上限(米)", "station to road at most (m)"}},
	}
}

func minutesParam(def string, maxLen int) Param {
	return Param{Name: "minutes", Kind: Floats, Default: def, Min: 0, Max: 120, MaxLen: maxLen, Title: Title{"到场时间目标(分钟)", "response target (minutes)"}}
}

func hydrantParamDecls() []Param {
	return []Param{
		{Name: "mode", Kind: Enum, Default: "street", Enum: []string{"street", "straight"}, Title: Title{"保护半径量法", "protection measured along streets or straight"}},
		{Name: "radius_m", Kind: Float, Default: "150", Min: 10, Max: 1000, Title: Title{"保护半径(米)", "protection radius (m)"}},
		{Name: "spacing_m", Kind: Float, Default: "120", Min: 20, Max: 2000, Title: Title{"最大间距(米)", "largest spacing (m)"}},
		{Name: "include_planned", Kind: Bool, Default: "false", Title: Title{"计入规划消火栓", "count planned hydrants"}},
	}
}

func clusterParamDecls() []Param {
	return []Param{
		{Name: "separation_m", Kind: Float, Default: "6", Min: 0.5, Max: 50, Title: Title{"防火间距(米)", "separation (m)"}},
		{Name: "by_structure", Kind: Bool, Default: "false", Title: Title{"按耐火等级取间距", "separation by structure (GB 50016 table 5.2.2)"}},
	}
}

func params(groups ...[]Param) []Param {
	var out []Param
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// inMinutes turns seconds into minutes rounded to 0.01, the unit people
// read times in; unreachable is null.
func inMinutes(s float64) any {
	if s < 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return nil
	}
	return math.Round(s/60*100) / 100
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func minutesName(prefix string, m float64) string {
	return prefix + "_" + strconv.FormatFloat(m, 'f', -1, 64) + "min"
}

func (c *Catalog) analyses() []*Entry {
	rp := c.responseParamDecls()
	return []*Entry{
		{
			Name: "coverage_summary", Path: "/api/coverage",
			Title:       Title{"到场时间覆盖", "response-time coverage"},
			Description: Title{"各乡镇(或行政村)在各目标时间内可到达的户数", "households reached within each target, per township (or village)"},
			Params: params([]Param{minutesParam("5,8,15", 8),
				{Name: "by", Kind: Enum, Default: "township", Enum: []string{"township", "village"}, Title: Title{"统计单元", "rows per"}}}, rp),
			Columns: []Column{col("id", "string", "id"), col("name", "string", "name"), col("households", "integer", "households"),
				col("buildings", "integer", "buildings"), col("no_road", "integer", "households beyond the access limit"),
				col("not_connected", "integer", "households on roads no station reaches")},
			build: buildSummary,
		},
		{
			Name: "coverage_gaps", Opening: true, Path: "/api/coverage/gaps", Geometry: "Polygon", MinZoom: 9, MaxZoom: 16, Tiled: true,
			Title:       Title{"覆盖缺口", "coverage gaps"},
			Description: Title{"目标时间内不能到达的行政村、老旧小区和其余建筑", "villages, old districts and other buildings not reached within the target"},
			Params:      params([]Param{minutesParam("5", 1)}, rp),
			Columns: []Column{enum("kind", "kind", gapKinds), col("id", "string", "id"), col("name", "string", "name"),
				col("township_id", "string", "township id"), col("township", "string", "township"), col("households", "integer", "households"),
				col("uncovered_households", "integer", "households waiting longer"), col("unreachable_households", "integer", "households never reached"),
				col("arrival_min", "number", "arrival at the centroid (min)"), col("worst_arrival_min", "number", "slowest arrival (min)"),
				col("station_id", "string", "first station id"), col("station", "string", "first station"), col("target_min", "number", "target (minutes)")},
			Sort:  "uncovered_households",
			build: buildGaps,
		},
		{
			Name: "coverage_isochrones", Opening: true, Path: "/api/coverage/isochrones", Geometry: "Polygon", MinZoom: 8, MaxZoom: 15, Tiled: true,
			Title:       Title{"等时圈", "isochrones"},
			Description: Title{"各目标时间内可到达的范围", "area reached within each target (station=all: any station; an id: that station; each: every station's own)"},
			Params: params([]Param{minutesParam("5,8,15", 8),
				{Name: "station", Kind: Text, Default: "all", Title: Title{"消防站", "station: all, each or an id"}}}, rp),
			Columns: []Column{col("minutes", "number", "minutes"), col("station_id", "string", "station id"),
				col("station", "string", "station"), col("area_km2", "number", "area (km2)")},
			build: buildIsochrones,
		},
		{
			Name: "coverage_buildings", Opening: true, Path: "/api/coverage/buildings", Geometry: "Point",
			Title:       Title{"建筑到场时间", "arrival per building"},
			Description: Title{"每栋建筑的首车到场时间和首到消防站", "first crew's arrival and station per building"},
			Params:      rp,
			Columns: []Column{col("id", "string", "id"), col("households", "integer", "households"), col("arrival_min", "number", "arrival (min)"),
				col("station_id", "string", "first station id"), col("station", "string", "first station"), enum("reach", "reach", reaches),
				col("access_m", "number", "walk from the road (m)"), col("township_id", "string", "township id"), col("township", "string", "township")},
			build: buildBuildings,
		},
		{
			Name: "fire_lane_districts", Path: "/api/firelanes", Geometry: "Polygon",
			Title:       Title{"老旧小区消防车道", "fire lanes per old district"},
			Description: Title{"各老旧小区消防车道:按状况、宽度不足、净高不足、车辆不可达建筑", "lanes by status, too narrow or low, buildings no truck reaches"},
			Params:      params(laneParamDecls(), rp),
			Columns: []Column{col("id", "string", "id"), col("name", "string", "name"), col("township_id", "string", "township id"),
				col("township", "string", "township"), col("lanes", "integer", "lanes"),
				col("length_m", "number", "length (m)"), col("marked_m", "number", "marked (m)"), col("unmarked_m", "number", "unmarked (m)"),
				col("obstructed_m", "number", "obstructed (m)"), col("unknown_m", "number", "status unknown (m)"),
				col("too_narrow_m", "number", "too narrow (m)"), col("too_low_m", "number", "too low (m)"), col("usable_m", "number", "usable (m)"),
				col("buildings", "integer", "buildings"), col("households", "integer", "households"),
				col("buildings_beyond_reach", "integer", "buildings beyond a truck's reach"), col("households_beyond_reach", "integer", "households beyond a truck's reach")},
			Sort:  "households_beyond_reach",
			build: buildLanes,
		},
		{
			Name: "district_plans", Path: "/api/districts", Geometry: "Polygon",
			Title: Title{"老旧小区一区一策", "one district, one plan"},
			Description: Title{"各老旧小区:消防车道、车辆不可达户数、消火栓欠账、首车到场时间和按受益户数排序的措施(/api/districts/{id}为单个小区)",
				"per old district: fire lanes, households beyond a truck's reach, hydrant debt, first-crew arrival and the actions ranked by households (/api/districts/{id}: one district)"},
			Params:  districtParamDecls(rp),
			Columns: districtColumns(),
			Sort:    "households_affected",
			build:   buildDistricts,
		},
		{
			Name: "station_siting", Path: "/api/stations/siting", Geometry: "Point", MinZoom: 8, MaxZoom: 16, Tiled: true,
			Title: Title{"新建消防站选址", "new station sites"},
			Description: Title{"新增k个消防站使目标时间内覆盖户数最多的位置(贪心加交换改进);share=0.9:达到该覆盖率的最少站数;planned=required:规划站必选",
				"where k new stations reach the most households within the target (greedy, improved by swaps); share=0.9: the fewest reaching that share; planned=required: planned stations always in"},
			Params: params([]Param{
				{Name: "k", Kind: Int, Default: "3", Min: 1, Max: 20, Title: Title{"新建数量", "stations to add"}},
				minutesParam("8", 1),
				{Name: "class", Kind: Enum, Default: "township_fulltime", Enum: data.StationClasses, Title: Title{"消防站类型", "station class"}},
				{Name: "planned", Kind: Enum, Default: "ignore", Enum: []string{"ignore", "required"}, Title: Title{"规划消防站", "planned stations: ignore, or required in the answer"}},
				{Name: "candidates", Kind: Enum, Default: "nodes", Enum: []string{"nodes", "seats", "planned"},
					Title: Title{"候选位置", "candidates: road nodes, township seats (built-up areas), planned stations"}},
				{Name: "share", Kind: Float, Default: "0", Min: 0, Max: 1, Title: Title{"目标覆盖率(0为不用)", "share to reach with the fewest sites (0: k sites)"}},
				{Name: "k_max", Kind: Int, Default: "20", Min: 1, Max: 100, Title: Title{"最多新建数量", "most sites for share"}}}, rp),
			Columns: []Column{col("rank", "integer", "rank"), col("township_id", "string", "township id"), col("township", "string", "township"),
				col("new_households", "integer", "households it adds"), col("covered_after", "integer", "covered once built"),
				enum("class", "class", stationClasses), col("minutes", "number", "target (minutes)"), col("lon", "number", "longitude"),
				col("lat", "number", "latitude"), col("required", "boolean", "required"), col("station_id", "string", "planned station id"),
				col("station", "string", "planned station")},
			build: buildSiting,
		},
		{
			Name: "township_brigades", Path: "/api/townships/brigades", Geometry: "Point",
			Title: Title{"乡镇专职消防队规划", "township full-time brigade plan"},
			Description: Title{"无专职消防队的乡镇按新建一支(乡镇内最佳位置)新增覆盖户数排序,对照70%目标",
				"townships without a full-time brigade ranked by the households one (at the best site inside) newly brings within the target, against the 70% target"},
			Params: params([]Param{minutesParam("15", 1),
				{Name: "target", Kind: Float, Default: "0.7", Min: 0, Max: 1, Title: Title{"目标比例", "target share of townships"}}}, rp),
			Columns: []Column{col("rank", "integer", "rank"), col("id", "string", "township id"), col("name", "string", "name"),
				col("new_households", "integer", "households it adds (county)"), col("new_in_township", "integer", "of them in the township"),
				col("covered_after", "integer", "covered once built"), col("brigades_after", "integer", "townships with a brigade after"),
				col("share_after", "number", "share of townships after"), col("to_target", "boolean", "needed for the target"),
				col("lon", "number", "longitude"), col("lat", "number", "latitude"), col("minutes", "number", "target (minutes)")},
			build: buildTownshipBrigades,
		},
		{
			Name: "village_brigades", Path: "/api/villages/brigades",
			Title: Title{"行政村志愿消防队台账", "village volunteer-brigade ledger"},
			Description: Title{"各乡镇有无志愿消防队的行政村数、比例、距70%目标的差额和优先补建的村(order=households按户数,arrival按首车到场时间)",
				"per township, villages with and without a volunteer brigade, the share, the gap to 70% and the villages to add first (order=households or arrival of the first crew)"},
			Params: params([]Param{
				{Name: "target", Kind: Float, Default: "0.7", Min: 0, Max: 1, Title: Title{"目标比例", "target share of villages"}},
				{Name: "order", Kind: Enum, Default: "households", Enum: []string{siting.ByHouseholds, siting.ByArrival}, Title: Title{"优先顺序", "add first by"}}}, rp),
			Columns: []Column{col("id", "string", "township id"), col("name", "string", "name"), col("villages", "integer", "villages"),
				col("with_brigade", "integer", "with a brigade"), col("without_brigade", "integer", "without one"), col("share", "number", "share"),
				col("target", "number", "target"), col("meets_target", "boolean", "meets the target"), col("gap", "integer", "villages to add"),
				col("first_villages", "string", "to add first (ids)"), col("first_village_names", "string", "to add first"),
				col("first_households", "integer", "their households")},
			build: buildVillageBrigades,
		},
		{
			Name: "hydrant_gaps", Path: "/api/hydrants/gaps", Geometry: "LineString", MinZoom: 12, MaxZoom: 16, Tiled: true,
			Title:       Title{"消火栓缺口", "hydrant gaps"},
			Description: Title{"保护半径外的街道、间距超标、宽街单侧、未受保护建筑", "street gaps, spacing gaps, one-sided wide streets, unprotected buildings"},
			Params:      hydrantParamDecls(),
			Columns: []Column{enum("kind", "kind", hydrantGapKinds), enum("detail", "detail", spacingKinds), col("street", "string", "street"),
				col("road_id", "string", "road"), col("township_id", "string", "township id"), col("township", "string", "township"),
				col("length_m", "number", "length (m)"), col("width_m", "number", "width (m)"),
				col("hydrants_left", "integer", "hydrants left"), col("hydrants_right", "integer", "hydrants right"),
				col("households", "integer", "households unprotected"), col("lon", "number", "longitude"), col("lat", "number", "latitude")},
			Sort:  "households",
			build: buildHydrantGaps,
		},
		{
			Name: "hydrant_proposals", Opening: true, Path: "/api/hydrants/proposals", Geometry: "Point", MinZoom: 10, MaxZoom: 16, Tiled: true,
			Title: Title{"新增消火栓选址", "proposed hydrant sites"},
			Description: Title{"补足全部缺口的一套消火栓位置,先按新保护户数、再按街道、再按间距排序;count=20即其前20个(今年的);0为全部",
				"one plan closing every gap, ranked by households protected first, then street, then spacing; count=20 is its first 20 (this year's), 0 all of it"},
			Params: params(hydrantParamDecls(), []Param{
				{Name: "count", Kind: Int, Default: "0", Min: 0, Max: 100000, Title: Title{"数量(0为全部)", "how many (0: all)"}}}),
			Columns: []Column{col("rank", "integer", "rank"), col("street", "string", "street"), col("road_id", "string", "road"),
				col("township_id", "string", "township id"), col("township", "string", "township"),
				col("new_street_m", "number", "street protected first (m)"), col("new_spacing_m", "number", "spacing gap closed (m)"),
				col("new_buildings", "integer", "buildings protected first"), col("new_households", "integer", "households protected first")},
			build: buildProposals,
		},
		{
			Name: "hydrant_stats", Path: "/api/hydrants/stats",
			Title:       Title{"消火栓完好率", "hydrants per township"},
			Description: Title{"各乡镇消火栓完好、损坏、规划数及完好率(目标98%)", "working, broken and planned hydrants and the intact rate (target 98%)"},
			Params:      hydrantParamDecls(),
			Columns: []Column{col("id", "string", "id"), col("name", "string", "name"), col("working", "integer", "working"),
				col("broken", "integer", "broken"), col("planned", "integer", "planned"), col("municipal", "integer", "municipal"),
				col("fire_pool", "integer", "fire pools"), col("natural", "integer", "natural sources"), col("crane", "integer", "cranes"),
				col("intact_rate", "number", "intact rate"), col("meets_target", "boolean", "meets the target")},
			build: buildHydrantStats,
		},
		{
			Name: "hydrant_districts", Path: "/api/hydrants/districts", Geometry: "Polygon",
			Title:       Title{"老旧小区消火栓欠账", "hydrant debt per old district"},
			Description: Title{"各老旧小区街道和户数的保护率及欠建消火栓数", "protected street and households, and the sites still owed"},
			Params:      hydrantParamDecls(),
			Columns: []Column{col("id", "string", "id"), col("name", "string", "name"), col("township_id", "string", "township id"),
				col("township", "string", "township"), col("street_m", "number", "street (m)"),
				col("protected_street_m", "number", "protected street (m)"), col("street_share", "number", "street protected share"),
				col("households", "integer", "households"), col("protected_households", "integer", "protected households"),
				col("household_share", "number", "households protected share"), col("working_hydrants", "integer", "working hydrants"),
				col("hydrant_debt", "integer", "sites owed")},
			Sort:  "hydrant_debt",
			build: buildHydrantDistricts,
		},
		{
			Name: "clusters", Opening: true, Path: "/api/clusters", Geometry: "Polygon", MinZoom: 9, MaxZoom: 16, Tiled: true,
			Title:       Title{"农村连片村寨", "rural house clusters"},
			Description: Title{"防火间距内相连的农村建筑群及其规模等级", "rural buildings within the separation of each other, by tier (min_households=30)"},
			Params: params(clusterParamDecls(), []Param{
				{Name: "min_households", Kind: Int, Default: "30", Min: 0, Max: 1000000, Title: Title{"最少户数", "least households"}}}, rp),
			Columns: []Column{col("id", "string", "id"), col("name", "string", "name"), enum("tier", "tier", tiers),
				col("households", "integer", "households"), col("buildings", "integer", "buildings"), col("wood_share", "number", "timber share"),
				col("township_id", "string", "township id"), col("township", "string", "township"), col("village_id", "string", "village id"),
				col("village", "string", "village"), col("retrofitted", "boolean", "retrofitted"), col("volunteer_brigade", "boolean", "volunteer brigade"),
				col("arrival_min", "number", "first crew (min)"), col("water_m", "number", "nearest water (m)")},
			Sort:  "households",
			build: buildClusters,
		},
		{
			Name: "cluster_ledger", Path: "/api/clusters/ledger",
			Title:       Title{"连片村寨台账", "cluster ledger"},
			Description: Title{"各乡镇各规模连片村寨数、户数和百户以上改造进度(目标50%)", "clusters and households per tier per township, and the 100+ retrofit progress (target 50%)"},
			Params:      params(clusterParamDecls(), rp),
			Columns: []Column{col("id", "string", "id"), col("name", "string", "name"),
				col("retrofitted_100plus", "integer", "100+ clusters retrofitted"), col("retrofit_share_100plus", "number", "100+ retrofitted share"),
				col("retrofit_target", "number", "target"), col("meets_target", "boolean", "meets the target"),
				col("clusters_30plus_without_brigade", "integer", "30+ clusters without a brigade"),
				col("clusters_30plus_without_water", "integer", "30+ clusters without water")},
			build: buildLedger,
		},
	}
}

func stationID(s *data.Snapshot, i int32) string {
	if i < 0 {
		return ""
	}
	return s.Stations.Items[i].ID
}

func buildSummary(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	minutes := v.Floats("minutes")
	rows := r.Summary(minutes)
	if v.Get("by") == "village" {
		rows = r.VillageSummary(minutes)
	}
	t := &Table{Columns: append([]Column(nil), e.Columns...)}
	// Villages are placed in their townships; township rows are townships.
	byVillage := v.Get("by") == "village"
	if byVillage {
		t.Columns = slices.Insert(t.Columns, 2, col("township_id", "string", "township id"), col("township", "string", "township"))
	}
	townships, county := townshipNames(s), countyRow(s)
	for _, m := range minutes {
		t.Columns = append(t.Columns, Column{Name: minutesName("covered", m), Type: "integer", Title: Title{fmt.Sprintf("%g分钟覆盖户数", m), fmt.Sprintf("households within %g min", m)}},
			Column{Name: minutesName("share", m), Type: "number", Title: Title{fmt.Sprintf("%g分钟覆盖率", m), fmt.Sprintf("share within %g min", m)}})
	}
	for i, a := range rows {
		vals := []any{a.ID, county(a.ID, a.Name)}
		if byVillage { // VillageSummary's row i is village i
			tid := s.Villages.Items[i].TownshipID
			vals = append(vals, tid, townships[tid])
		}
		vals = append(vals, a.Households, a.Buildings, a.NoRoad, a.Unconnected)
		for _, m := range minutes {
			k := strconv.FormatFloat(m, 'f', -1, 64)
			vals = append(vals, a.Covered[k], a.Share[k])
		}
		t.Add(a.ID, nil, vals...)
	}
	t.Meta = map[string]any{"stations": len(r.Starts), "problems": nonNil(r.Problems), "unreached_roads": r.UnreachedRoads, "graph": r.Graph.Report}
	return t, nil
}

func buildGaps(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	m := v.Float("minutes")
	t := &Table{Columns: e.Columns}
	districts, district := districtPlaces(s), make(map[string]int, s.Districts.Len())
	for i, d := range s.Districts.Items {
		district[d.ID] = i
	}
	townships, stations := townshipNames(s), stationNames(s)
	for _, g := range r.Gaps(m) {
		name, tid := g.Name, g.TownshipID
		switch g.Kind {
		case "district":
			p := districts[district[g.ID]]
			name, tid = p.Name, p.TownshipID
		case "township_rest": // the kind says what the row is; its name is the township's
			name = townships[tid]
		}
		t.Add(g.Kind+":"+g.ID, g.Geom, g.Kind, g.ID, name, tid, townships[tid], g.Households, g.Uncovered, g.Unreachable,
			inMinutes(g.ArrivalS), inMinutes(g.WorstS), g.Station, stations[g.Station], m)
	}
	return t, nil
}

func buildIsochrones(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	if want := v.Get("station"); want != "all" && want != "each" &&
		!slices.ContainsFunc(s.Stations.Items, func(st data.Station) bool { return st.ID == want }) {
		// A mistyped id must not read as "this station reaches nothing".
		return nil, &ParamError{fmt.Sprintf("station: no station %q (all, each or a station's id)", want)}
	}
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	isos, err := r.Isochrones(ctx, v.Floats("minutes"))
	if err != nil {
		return nil, err
	}
	want := v.Get("station")
	t := &Table{Columns: e.Columns}
	for _, iso := range isos {
		id, name := "all", "all stations"
		if iso.Station >= 0 {
			id, name = iso.StationID, s.Stations.Items[iso.Station].Name
		}
		if want != "each" && want != id {
			continue
		}
		t.Add(fmt.Sprintf("%s@%g", id, iso.Minutes), iso.Geom, iso.Minutes, id, name, iso.AreaKm2)
	}
	return t, nil
}

func buildBuildings(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	// A view: a row per building, read from the response analysis (which
	// the cache holds anyway) when asked.
	b := s.Buildings.Items
	return NewView(e.Columns, View{
		Len:  len(b),
		ID:   func(i int) string { return b[i].ID },
		Geom: func(i int) orb.Geometry { return r.Member.Centroid[i] },
		Row: func(i int) []any {
			a := r.Buildings[i]
			tid, tname := township(s, r.Member.Township[i])
			return []any{b[i].ID, b[i].Households, inMinutes(a.T), stationID(s, a.Station), stationName(s, a.Station),
				a.Reach.String(), round1(a.AccessM), tid, tname}
		},
	}), nil
}

func buildLanes(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	a, err := c.access(ctx, s, v)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: e.Columns}
	places := districtPlaces(s)
	for i, d := range a.Districts {
		p := places[i]
		t.Add(d.ID, s.Districts.Metric[i], d.ID, p.Name, p.TownshipID, p.Township, d.Lanes, d.LengthM, d.ByStatusM["marked"], d.ByStatusM["unmarked"],
			d.ByStatusM["obstructed"], d.ByStatusM["unknown"], d.NarrowM, d.LowM, d.UsableM, d.Buildings, d.Households,
			d.BeyondReach, d.BeyondReachHousehold)
	}
	return t, nil
}

// sitingBudget bounds the swaps and the search for fewer sites of one request.
const sitingBudget = 2 * time.Second

func buildSiting(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	o := siting.Options{K: v.Int("k"), Minutes: v.Float("minutes"), Class: v.Get("class"), Share: v.Float("share"), KMax: v.Int("k_max"),
		Budget: sitingBudget}
	var planned []siting.Site
	for i, st := range s.Stations.Items {
		if st.Status == "planned" {
			planned = append(planned, siting.Site{Point: s.Stations.Metric[i].(orb.Point), Node: -1, Class: st.Class, TurnoutS: st.TurnoutS, StationID: st.ID})
		}
	}
	if v.Get("planned") == "required" {
		o.Required = planned
	}
	switch v.Get("candidates") {
	case "planned":
		if o.Required != nil {
			return nil, &ParamError{"candidates=planned needs planned=ignore: required planned stations are no candidates"}
		}
		o.Candidates = planned
		if o.Candidates == nil {
			o.Candidates = []siting.Site{}
		}
	case "seats":
		o.Candidates = []siting.Site{}
		for i, b := range s.Builtup.Items {
			if b.Kind == "township_seat" {
				o.Candidates = append(o.Candidates, siting.Site{Point: areas.Centroid(s.Builtup.Metric[i]), Node: -1, Class: o.Class})
			}
		}
	}
	plan, err := siting.Stations(ctx, r, o)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: e.Columns}
	townships, stations := townshipNames(s), stationNames(s)
	for _, st := range plan.Sites {
		ll := s.Proj.Inverse(st.Point)
		id := strconv.Itoa(st.Rank)
		if st.Required {
			id = "required:" + st.Site.StationID
		}
		t.Add(id, st.Point, st.Rank, st.TownshipID, townships[st.TownshipID], st.NewHouseholds, st.CoveredAfter, st.Site.Class, plan.Minutes,
			round7(ll[0]), round7(ll[1]), st.Required, st.Site.StationID, stations[st.Site.StationID])
	}
	mode := "max_cover"
	if plan.Share > 0 {
		mode = "set_cover"
	}
	t.Meta = map[string]any{"households": plan.Households, "covered_before": plan.Covered, "candidates": plan.Candidates,
		"mode": mode, "gain": plan.Gain, "required_gain": plan.RequiredGain, "covered_after": plan.Covered + plan.Gain,
		"share_after": areas.Share(float64(plan.Covered+plan.Gain), float64(plan.Households)), "budget_exhausted": plan.Stopped}
	if mode == "max_cover" {
		t.Meta["greedy_gain"], t.Meta["swaps"] = plan.GreedyGain, plan.Swaps
	} else {
		t.Meta["share_target"], t.Meta["share_reached"], t.Meta["fewest_proved"], t.Meta["k_max"] = plan.Share, plan.Reached, plan.Proved, o.KMax
	}
	if plan.LeftOut != nil {
		t.Meta["left_out"] = plan.LeftOut
	}
	return t, nil
}

// round7 rounds degrees to 7 places (about a centimetre).
func round7(f float64) float64 { return math.Round(f*1e7) / 1e7 }

// brigadeNodes bounds the road nodes tried as a brigade's site per township.
const brigadeNodes = 400

func buildTownshipBrigades(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	m := v.Float("minutes")
	pl, err := siting.TownshipBrigades(ctx, r, m, v.Float("target"), brigadeNodes)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: e.Columns}
	for _, o := range pl.Options {
		tw := s.Townships.Items[o.Township]
		var g orb.Geometry
		var lon, lat any
		if o.Site != nil {
			ll := s.Proj.Inverse(o.Site.Point)
			g, lon, lat = o.Site.Point, round7(ll[0]), round7(ll[1])
		} else {
			g = areas.Centroid(s.Townships.Metric[o.Township]) // a row on the map even so
		}
		t.Add(tw.ID, g, o.Rank, tw.ID, tw.Name, o.NewHouseholds, o.InTownship, o.CoveredAfter, o.BrigadesAfter,
			areas.Share(float64(o.BrigadesAfter), float64(pl.Townships)), o.ToTarget, lon, lat, m)
	}
	t.Meta = map[string]any{"townships": pl.Townships, "with_brigade": pl.WithBrigade, "target": pl.Target, "needed": pl.Needed,
		"share_before": areas.Share(float64(pl.WithBrigade), float64(pl.Townships)), "households": pl.Households,
		"covered_before": pl.Covered, "candidates": pl.Candidates, "candidates_per_township": pl.CandidatesPerTownship,
		"townships_without_roads": pl.LeftOutRoad}
	return t, nil
}

func buildVillageBrigades(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	r, err := c.response(ctx, s, v)
	if err != nil {
		return nil, err
	}
	target := v.Float("target")
	rows, total := siting.VillageBrigades(r, target, v.Get("order"))
	t := &Table{Columns: e.Columns}
	for _, l := range rows {
		id, name := "", ""
		if l.Township >= 0 {
			id, name = s.Townships.Items[l.Township].ID, s.Townships.Items[l.Township].Name
		}
		first, names := make([]string, len(l.First)), make([]string, len(l.First))
		for i, vi := range l.First {
			first[i], names[i] = s.Villages.Items[vi].ID, s.Villages.Items[vi].Name
		}
		t.Add(id, nil, id, name, l.Villages, l.WithBrigade, l.Villages-l.WithBrigade, l.Share, target, l.Gap == 0, l.Gap,
			strings.Join(first, ","), strings.Join(names, "、"), l.FirstHouseholds)
	}
	t.Meta = map[string]any{"villages": total.Villages, "with_brigade": total.WithBrigade, "share": total.Share, "target": target,
		"gap": total.Gap, "meets_target": total.Gap == 0, "order": v.Get("order")}
	return t, nil
}

func hydrantMeta(h *hydrants.Hydrants) map[string]any {
	mode := "street"
	if h.P.Straight {
		mode = "straight"
	}
	return map[string]any{"problems": nonNil(h.Problems), "mode": mode, "radius_m": h.P.RadiusM, "spacing_m": h.P.SpacingM}
}

func buildHydrantGaps(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	h, err := c.hydrants(ctx, s, v)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: e.Columns, Meta: hydrantMeta(h)}
	t.Grow(len(h.Stretches) + len(h.Spacing) + len(h.OneSide) + len(h.BuildingGaps))
	// Every row is placed by its label point: township, lon and lat.
	place := func(id string, g orb.Geometry, p orb.Point, tw int32, kind, detail, street, road string, length, width, left, right, households any) {
		tid, tname := township(s, tw)
		ll := s.Proj.Inverse(p)
		t.Add(id, g, kind, detail, street, road, tid, tname, length, width, left, right, households, round7(ll[0]), round7(ll[1]))
	}
	add := func(id string, g orb.Geometry, kind, detail, street, road string, length, width, left, right, households any) {
		p := LabelPoint(g)
		place(id, g, p, townshipAt(s, p), kind, detail, street, road, length, width, left, right, households)
	}
	g := h.St.G
	streets := make([]orb.LineString, len(h.Stretches))
	for i, st := range h.Stretches {
		streets[i] = g.SubLine(st.Edge, st.A, st.B)
	}
	along := streetGapHouseholds(s, h, streets)
	for i, st := range h.Stretches {
		add(fmt.Sprintf("street_gap:%d", i), streets[i], "street_gap", "", st.Street, st.RoadID, round1(st.Length()), nil, nil, nil, along[i])
	}
	for i, sg := range h.Spacing {
		add(fmt.Sprintf("spacing:%d", i), h.St.ChainLine(sg.Chain, sg.A, sg.B), "spacing", sg.Kind, sg.Street, "",
			round1(sg.B-sg.A), nil, nil, nil, nil)
	}
	for _, os := range h.OneSide {
		add("one_side:"+os.RoadID, g.EdgeLine(os.Edge), "one_side", "", os.Street, os.RoadID, nil, os.WidthM, os.Left, os.Right, nil)
	}
	for _, i := range h.BuildingGaps {
		// Placed by its centroid, whose township the membership holds.
		b := s.Buildings.Items[i]
		c := h.Member.Centroid[i]
		place("building:"+b.ID, c, c, h.Member.Township[i], "building", b.ID, "", "", nil, nil, nil, nil, b.Households)
	}
	return t, nil
}

// streetGapHouseholds counts, per unprotected street stretch, the
// households of the unprotected buildings nearest to it within the
// protection radius: what a hydrant on that stretch would protect, so the
// list can put the stretches that matter first.
func streetGapHouseholds(s *data.Snapshot, h *hydrants.Hydrants, streets []orb.LineString) []int {
	var idx geo.Index
	for i, l := range streets {
		idx.Insert(int32(i), l.Bound())
	}
	out := make([]int, len(streets))
	r := h.P.RadiusM
	for _, b := range h.BuildingGaps {
		// A box search, not a nearest-first walk: that keeps a queue per
		// building, and at a province the allocations cost more than the
		// few extra distances. Of stretches as near, the first counts.
		c := h.Member.Centroid[b]
		near, best := int32(-1), math.Inf(1)
		idx.Search(orb.Bound{Min: orb.Point{c[0] - r, c[1] - r}, Max: orb.Point{c[0] + r, c[1] + r}}, func(i int32) bool {
			if d := geo.PointDistance(c, streets[i]); d <= r && (d < best || d == best && i < near) {
				near, best = i, d
			}
			return true
		})
		if near >= 0 {
			out[near] += s.Buildings.Items[b].Households
		}
	}
	return out
}

func buildProposals(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	_, plan, err := c.plan(ctx, s, v)
	if err != nil {
		return nil, err
	}
	// The year's N are the first N of the full plan, so the map, the lists
	// and a scenario built from them never disagree.
	sites := plan.Sites
	if n := v.Int("count"); n > 0 {
		sites = sites[:min(n, len(sites))]
	}
	t := &Table{Columns: e.Columns, Meta: map[string]any{"plan_size": len(plan.Sites), "uncoverable": plan.Uncoverable, "count": len(sites)}}
	for _, st := range sites {
		tid, tname := township(s, townshipAt(s, st.Point))
		t.Add(fmt.Sprintf("site-%05d", st.Rank), st.Point, st.Rank, st.Street, st.RoadID, tid, tname, round1(st.NewStreetM), round1(st.NewSpacingM),
			st.NewBuildings, st.NewHouseholds)
	}
	return t, nil
}

func buildHydrantStats(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	h, plan, err := c.plan(ctx, s, v)
	if err != nil {
		return nil, err
	}
	tw, _ := h.Stats(plan)
	t := &Table{Columns: e.Columns, Meta: hydrantMeta(h)}
	t.Meta["intact_target"], t.Meta["new_per_year_target"], t.Meta["plan_size"] = hydrants.IntactTarget, 20, len(plan.Sites)
	total := func(m map[string]int) int {
		n := 0
		for _, k := range m {
			n += k
		}
		return n
	}
	county := countyRow(s)
	for _, r := range tw {
		var rate any
		if r.IntactRate != nil {
			rate = *r.IntactRate
		}
		t.Add(r.ID, nil, r.ID, county(r.ID, r.Name), r.Working, r.Broken, r.Planned, total(r.ByKind["municipal"]), total(r.ByKind["fire_pool"]),
			total(r.ByKind["natural"]), total(r.ByKind["crane"]), rate, r.MeetsTarget)
	}
	return t, nil
}

func buildHydrantDistricts(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	h, plan, err := c.plan(ctx, s, v)
	if err != nil {
		return nil, err
	}
	_, ds := h.Stats(plan)
	t := &Table{Columns: e.Columns, Meta: hydrantMeta(h)}
	places := districtPlaces(s)
	for i, d := range ds {
		p := places[i]
		t.Add(d.ID, s.Districts.Metric[i], d.ID, p.Name, p.TownshipID, p.Township, d.StreetM, d.ProtectedStreetM, d.StreetShare, d.Households,
			d.ProtectedHouseholds, d.HouseholdShare, d.Hydrants, d.Debt)
	}
	return t, nil
}

func finite(f float64) any {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return round1(f)
}

func buildClusters(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	cs, err := c.clusters(ctx, s, v)
	if err != nil {
		return nil, err
	}
	minHH := v.Int("min_households")
	t := &Table{Columns: e.Columns}
	t.Grow(len(cs.Clusters))
	names := clusterNames(s, cs.Clusters)
	for i := range cs.Clusters {
		cl := &cs.Clusters[i]
		if cl.Households < minHH {
			continue
		}
		tid, tname := township(s, cl.Township)
		vid, vname := "", ""
		if cl.Village >= 0 {
			vid, vname = s.Villages.Items[cl.Village].ID, s.Villages.Items[cl.Village].Name
		}
		var g orb.Geometry = cs.Outline(i)
		t.Add(cl.ID, g, cl.ID, names[i], cl.Tier, cl.Households, len(cl.Buildings), cl.WoodShare, tid, tname, vid, vname, cl.Retrofitted,
			cl.VolunteerBrigade, inMinutes(cl.ArrivalS), finite(cl.WaterM))
	}
	return t, nil
}

// clusterNames names each cluster after the village holding most of its
// households (the township outside any village), numbered largest first
// where a village has several: "石门村-2" is a name a planner finds on
// the map, where "cl-b001234" is not. Every cluster counts, whatever the
// request's min_households, so a name stays the same between lists.
func clusterNames(s *data.Snapshot, cls []clusters.Cluster) []string {
	base := make([]string, len(cls))
	byBase := map[string][]int{}
	for i := range cls {
		cl := &cls[i]
		switch {
		case cl.Village >= 0:
			base[i] = s.Villages.Items[cl.Village].Name
		case cl.Township >= 0:
			base[i] = s.Townships.Items[cl.Township].Name
		}
		if base[i] == "" {
			base[i] = cl.ID
		}
		byBase[base[i]] = append(byBase[base[i]], i)
	}
	out := make([]string, len(cls))
	for b, idx := range byBase {
		if len(idx) == 1 {
			out[idx[0]] = b
			continue
		}
		sort.SliceStable(idx, func(x, y int) bool {
			if cls[idx[x]].Households != cls[idx[y]].Households {
				return cls[idx[x]].Households > cls[idx[y]].Households
			}
			return cls[idx[x]].ID < cls[idx[y]].ID
		})
		for n, i := range idx {
			out[i] = b + "-" + strconv.Itoa(n+1)
		}
	}
	return out
}

func tierName(t string) string {
	switch t {
	case "100+":
		return "100plus"
	case "<30":
		return "under30"
	}
	return t
}

func buildLedger(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error) {
	cs, err := c.clusters(ctx, s, v)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: append([]Column(nil), e.Columns...)}
	for _, tier := range clusters.Tiers {
		t.Columns = append(t.Columns, Column{Name: "clusters_" + tierName(tier), Type: "integer", Title: Title{tier + "户连片数", "clusters of " + tier + " households"}},
			Column{Name: "households_" + tierName(tier), Type: "integer", Title: Title{tier + "户连片户数", "households in clusters of " + tier}})
	}
	county := countyRow(s)
	for _, r := range cs.Ledger() {
		var share any
		if r.RetrofitShare != nil {
			share = *r.RetrofitShare
		}
		vals := []any{r.ID, county(r.ID, r.Name), r.Retrofitted100, share, r.RetrofitTarget, r.MeetsTarget, r.NoBrigade30Plus, r.NoWater30Plus}
		for _, tier := range clusters.Tiers {
			vals = append(vals, r.Clusters[tier], r.Households[tier])
		}
		t.Add(r.ID, nil, vals...)
	}
	return t, nil
}

// nonNil gives JSON a list, empty or not: a client reading "problems" finds
// [] rather than null when there are none.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
