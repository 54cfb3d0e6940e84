package coverage

import (
	"fireplan/data"
)

// baseLayers declares the snapshot's nine layers: served as items at
// /api/layers/{name}/items and as vector tiles, with their zooms and the
// attributes of their schema.
func baseLayers() []*Entry {
	type decl struct {
		name             string
		zh, en           string
		minZoom, maxZoom int
	}
	decls := []decl{
		{data.LayerTownships, "乡镇", "townships", 6, 14},
		{data.LayerBuiltup, "建成区", "built-up areas", 8, 15},
		{data.LayerVillages, "行政村", "villages", 10, 16},
		{data.LayerDistricts, "老旧小区", "old districts", 11, 16},
		{data.LayerRoads, "道路", "roads", 8, 16},
		{data.LayerBuildings, "建筑", "buildings", 14, 16},
		{data.LayerFireLanes, "消防车道", "fire lanes", 14, 16},
		{data.LayerHydrants, "消火栓", "hydrants", 12, 16},
		{data.LayerStations, "消防站", "fire stations", 8, 16},
	}
	out := make([]*Entry, 0, len(decls))
	for _, d := range decls {
		s, _ := data.SchemaOf(d.name)
		geom := s.Geom.String()
		if s.Geom == data.PointOrPolygonGeom {
			geom = "Polygon"
		}
		e := &Entry{Name: d.name, Path: "/api/layers/" + d.name + "/items", Title: Title{d.zh, d.en}, Description: Title{d.zh, d.en},
			Geometry: geom, MinZoom: d.minZoom, MaxZoom: d.maxZoom, Layer: d.name, Tiled: true, Params: []Param{}}
		e.Columns = append(e.Columns, Column{Name: "id", Type: "string", Title: Title{"编号", "id"}})
		for _, f := range s.Fields {
			e.Columns = append(e.Columns, Column{Name: f.Name, Type: fieldType(f.Type), Title: Title{fieldZh(f.Name), f.Name},
				Values: fieldValues[d.name+"."+f.Name]})
		}
		out = append(out, e)
	}
	return out
}

// fieldValues label the codes of the layers' enumerations (layer.field).
var fieldValues = map[string]map[string]Title{
	data.LayerStations + ".class":  stationClasses,
	data.LayerStations + ".status": {"active": {"在用", "active"}, "planned": {"规划", "planned"}},
	data.LayerHydrants + ".kind": {"municipal": {"市政消火栓", "municipal hydrant"}, "fire_pool": {"消防水池", "fire pool"},
		"natural": {"天然水源", "natural source"}, "crane": {"消防水鹤", "water crane"}},
	data.LayerHydrants + ".status":  {"working": {"完好", "working"}, "broken": {"损坏", "broken"}, "planned": {"规划", "planned"}},
	data.LayerFireLanes + ".status": {"marked": {"已标线", "marked"}, "unmarked": {"未标线", "unmarked"}, "obstructed": {"被占用", "obstructed"}},
	data.LayerBuildings + ".structure": {"wood": {"木结构", "wood"}, "brick": {"砖结构", "brick"}, "concrete": {"钢筋混凝土", "concrete"},
		"mixed": {"混合结构", "mixed"}},
	data.LayerTownships + ".kind": {"town": {"镇", "town"}, "township": {"乡", "township"}, "subdistrict": {"街道", "subdistrict"}},
	data.LayerBuiltup + ".kind": {"county_town": {"县城", "county town"}, "township_seat": {"乡镇驻地", "township seat"},
		"industrial": {"工业园区", "industrial park"}},
}

func fieldType(t data.FieldType) string {
	return [...]string{"string", "integer", "number", "boolean", "integer"}[t]
}

func fieldZh(name string) string {
	if zh, ok := zhFields[name]; ok {
		return zh
	}
	if zh, ok := zhTitles[name]; ok {
		return zh
	}
	return name
}

var zhFields = map[string]string{
	"status": "状态", "flow_lps": "流量(升/秒)", "installed_year": "安装年份", "turnout_s": "出动时间(秒)",
	"class": "等级", "oneway": "单行", "speed_kmh": "车速(公里/小时)", "structure": "结构", "floors": "层数",
	"built_year": "建成年份", "district_id": "小区编号", "clear_height_m": "净高(米)", "county": "县",
	"fulltime_brigade": "专职消防队", "tunnel": "隧道", "bridge": "桥梁",
}

// RoadMinZoom is the zoom a road is drawn from: trunk roads at every zoom of
// the layer, residential streets from z12.
func RoadMinZoom(class string) int {
	switch class {
	case "motorway", "trunk", "primary":
		return 0
	case "secondary":
		return 10
	case "tertiary":
		return 11
	}
	return 12
}
