package api

import (
	"fmt"
	"net/http"
	"strings"

	"fireplan/coverage"
	"fireplan/data"

	"github.com/gorilla/mux"
	"github.com/xuri/excelize/v2"
)

// districtEntry is the catalogue entry whose parameters one district's
// plan takes and whose rows its summary repeats.
const districtEntry = "district_plans"

// district serves one old district's plan (/api/districts/{id}): JSON, or
// with format=xlsx a workbook of its summary, actions, lanes and the
// hydrant sites it is owed, titled in lang.
func (s *Server) district(w http.ResponseWriter, r *http.Request) error {
	e, _ := s.cat.Entry(districtEntry)
	q := r.URL.Query()
	v, err := e.Parse(q, "format", "scenario")
	if err != nil {
		return err
	}
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "xlsx" {
		return errorf(http.StatusBadRequest, "format must be one of [json xlsx] for one district")
	}
	snap, err := s.snapshotFor(r)
	if err != nil {
		return err
	}
	id := mux.Vars(r)["id"]
	tag := etag(snap.VersionHex(), "district:"+id, v.Key()+"|"+format)
	w.Header().Set("ETag", tag)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	ds, err := s.cat.Districts(r.Context(), snap, v)
	if err != nil {
		return err
	}
	var d *coverage.District
	for i := range ds {
		if ds[i].ID == id {
			d = &ds[i]
		}
	}
	if d == nil {
		return errorf(http.StatusNotFound, "no old district %q", id)
	}
	if format == "json" {
		return writeJSON(w, http.StatusOK, struct {
			*coverage.District
			Version    string            `json:"version"`
			Parameters map[string]string `json:"parameters"`
		}{d, snap.VersionHex(), v.Map()})
	}
	t, err := s.cat.Table(r.Context(), e, snap, v)
	if err != nil {
		return err
	}
	f, err := districtWorkbook(snap, e, t, d, v)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, "district-"+id+".xlsx"))
	return f.Write(w)
}

// bi picks the Chinese or the English of a pair.
func bi(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

var laneStatus = map[string]coverage.Title{
	"marked": {Zh: "已标线", En: "marked"}, "unmarked": {Zh: "未标线", En: "unmarked"},
	"obstructed": {Zh: "被占用", En: "obstructed"}, "unknown": {Zh: "状况不明", En: "unknown"},
}

func yesNo(lang string, b bool) string {
	if b {
		return bi(lang, "是", "yes")
	}
	return bi(lang, "否", "no")
}

// sheet is one worksheet: a title row, a frozen header, then rows.
type sheet struct {
	name   coverage.Title
	header []coverage.Title
	widths []float64
	rows   [][]any
}

// districtWorkbook lays out d's plan: the summary repeats the district's
// row of the catalogue table t, one line per column.
func districtWorkbook(snap *data.Snapshot, e *coverage.Entry, t *coverage.Table, d *coverage.District, v coverage.Values) (*excelize.File, error) {
	lang := v.Get("lang")
	tr := func(tt coverage.Title) string { return bi(lang, tt.Zh, tt.En) }
	summary := sheet{name: coverage.Title{Zh: "概况", En: "summary"},
		header: []coverage.Title{{Zh: "项目", En: "item"}, {Zh: "数值", En: "value"}}, widths: []float64{36, 60}}
	for i := range t.Len() {
		if t.ID(i) != d.ID {
			continue
		}
		for k, c := range t.Columns {
			if c.Name != "actions" {
				summary.rows = append(summary.rows, []any{tr(c.Title), t.Value(i, k)})
			}
		}
	}
	summary.rows = append(summary.rows, []any{bi(lang, "经度", "longitude"), d.Lon}, []any{bi(lang, "纬度", "latitude"), d.Lat})
	actions := sheet{name: coverage.Title{Zh: "措施", En: "actions"},
		header: []coverage.Title{{Zh: "排序", En: "rank"}, {Zh: "类别", En: "kind"}, {Zh: "内容", En: "what"}, {Zh: "对象", En: "lane or hydrant"},
			{Zh: "受益户数", En: "households"}, {Zh: "受益建筑数", En: "buildings"}, {Zh: "长度(米)", En: "metres"}, {Zh: "数量", En: "count"},
			{Zh: "经度", En: "longitude"}, {Zh: "纬度", En: "latitude"}},
		widths: []float64{6, 16, 60, 12, 10, 10, 10, 8, 12, 12}}
	for _, a := range d.Actions {
		var m, n any
		if a.Metres != nil {
			m = *a.Metres
		}
		if a.Count != nil {
			n = *a.Count
		}
		actions.rows = append(actions.rows, []any{a.Rank, tr(coverage.ActionKinds[a.Kind]), tr(a.What), a.Ref, a.Households, a.Buildings, m, n, a.Lon, a.Lat})
	}
	lanes := sheet{name: coverage.Title{Zh: "消防车道", En: "lanes"},
		header: []coverage.Title{{Zh: "编号", En: "id"}, {Zh: "状况", En: "status"}, {Zh: "宽度(米)", En: "width (m)"}, {Zh: "净高(米)", En: "clear height (m)"},
			{Zh: "长度(米)", En: "length (m)"}, {Zh: "可用", En: "usable"}, {Zh: "宽度不足", En: "too narrow"}, {Zh: "净高不足", En: "too low"}},
		widths: []float64{14, 12, 10, 12, 10, 8, 10, 10}}
	for _, l := range d.Lanes {
		var wm, hm any
		if l.WidthM != nil {
			wm = *l.WidthM
		}
		if l.HeightM != nil {
			hm = *l.HeightM
		}
		lanes.rows = append(lanes.rows, []any{l.ID, tr(laneStatus[l.Status]), wm, hm, l.LengthM, yesNo(lang, l.Usable), yesNo(lang, l.Narrow), yesNo(lang, l.Low)})
	}
	sites := sheet{name: coverage.Title{Zh: "新增消火栓", En: "hydrant sites"},
		header: []coverage.Title{{Zh: "全县排序", En: "rank in the county"}, {Zh: "街道", En: "street"}, {Zh: "道路编号", En: "road"},
			{Zh: "新增保护户数", En: "households protected first"}, {Zh: "经度", En: "longitude"}, {Zh: "纬度", En: "latitude"}},
		widths: []float64{10, 20, 14, 14, 12, 12}}
	for _, h := range d.HydrantSites {
		sites.rows = append(sites.rows, []any{h.Rank, h.Street, h.RoadID, h.NewHouseholds, h.Lon, h.Lat})
	}
	county := ""
	if snap.Townships.Len() > 0 {
		county = snap.Townships.Items[0].County
	}
	var params []string
	for _, p := range e.Params {
		if p.Name != "lang" {
			params = append(params, p.Name+"="+v.Get(p.Name))
		}
	}
	title := strings.TrimSpace(fmt.Sprintf("%s %s %s %s  %s  %s %s", county, d.Name, d.ID, bi(lang, "一区一策", "one district, one plan"),
		strings.Join(params, " "), bi(lang, "数据日期", "data of"), snap.LoadedAt.UTC().Format("2006-01-02")))
	f := excelize.NewFile()
	for i, sh := range []sheet{summary, actions, lanes, sites} {
		name := tr(sh.name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		if err := writeSheet(f, name, title, sh, tr); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// writeSheet fills one sheet: strings as text (an id keeps its zeros),
// the header below the title frozen.
func writeSheet(f *excelize.File, name, title string, sh sheet, tr func(coverage.Title) string) error {
	if err := f.SetCellStr(name, "A1", title); err != nil {
		return err
	}
	put := func(col, row int, val any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		if s, ok := val.(string); ok {
			return f.SetCellStr(name, cell, s)
		}
		return f.SetCellValue(name, cell, val)
	}
	for k, h := range sh.header {
		if err := put(k+1, 2, tr(h)); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(k + 1)
		if err := f.SetColWidth(name, col, col, sh.widths[k]); err != nil {
			return err
		}
	}
	for r, row := range sh.rows {
		for k, val := range row {
			if val == nil {
				continue
			}
			if err := put(k+1, r+3, val); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}
