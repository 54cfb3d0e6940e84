package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"fireplan/coverage"
	"fireplan/geo"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
)

// fixture is a small map table with what spreadsheets get wrong: ids with
// leading zeros, Chinese names, an enumeration, booleans, missing values,
// a township name Excel refuses as a sheet name and two townships whose
// names agree in their first 31 characters.
func fixture() (*coverage.Entry, *coverage.Table) {
	kinds := map[string]coverage.Title{"village": {Zh: "行政村", En: "village"}, "district": {Zh: "老旧小区", En: "old district"}}
	cols := []coverage.Column{
		{Name: "id", Type: "string", Title: coverage.Title{Zh: "编号", En: "id"}},
		{Name: "name", Type: "string", Title: coverage.Title{Zh: "名称", En: "name"}},
		{Name: "kind", Type: "string", Title: coverage.Title{Zh: "类别", En: "kind"}, Values: kinds},
		{Name: "township_id", Type: "string", Title: coverage.Title{Zh: "乡镇编号", En: "township id"}},
		{Name: "township", Type: "string", Title: coverage.Title{Zh: "乡镇", En: "township"}},
		{Name: "households", Type: "integer", Title: coverage.Title{Zh: "户数", En: "households"}},
		{Name: "arrival_min", Type: "number", Title: coverage.Title{Zh: "到场时间(分钟)", En: "arrival (min)"}},
		{Name: "retrofitted", Type: "boolean", Title: coverage.Title{Zh: "已改造", En: "retrofitted"}},
	}
	long := strings.Repeat("长", 35)
	rows := [][]any{
		{"007", "东冲村", "village", "001", "龙潭镇/城关", 294, 12.5, true},
		{"0100", "太平老街区", "district", "002", long + "甲", 3752, nil, false},
		{"12", "下铺村", "village", "001", "龙潭镇/城关", 240, 3.07, false},
		{"0042", "谷溪村", "village", "003", long + "乙", 276, 9.77, true},
		{"5", "无名", "village", "", "", 3, nil, false},
	}
	geoms := []orb.Geometry{
		orb.Point{100, 200},
		orb.Polygon{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}},
		orb.LineString{{0, 0}, {300, 0}},
		orb.Point{-50, 20},
		orb.Point{10, 10},
	}
	t := &coverage.Table{Columns: cols, Proj: geo.NewProjection(orb.Point{111.5, 27.2})}
	for i, r := range rows {
		t.Add(r[0].(string), geoms[i], r...)
	}
	e := &coverage.Entry{Name: "fixture_gaps", Title: coverage.Title{Zh: "覆盖缺口", En: "coverage gaps"}, Geometry: "Point", Columns: cols,
		Params: []coverage.Param{{Name: "minutes", Kind: coverage.Floats, Default: "5", Min: 0, Max: 120, MaxLen: 1,
			Title: coverage.Title{Zh: "到场时间目标(分钟)", En: "response target (minutes)"}}}}
	return e, t
}

// want returns what a spreadsheet should show for the JSON of the same
// rows: every value as its text, enumerations and booleans labelled.
func want(t *testing.T, e *coverage.Entry, tb *coverage.Table, lang string) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := GeoJSON(&b, tb, []int{0, 1, 2, 3, 4}, nil); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, f := range fc.Features {
		var row []string
		for _, c := range tb.Columns {
			row = append(row, jsonText(c, f.Properties[c.Name], lang))
		}
		out = append(out, row)
	}
	return out
}

// jsonText is a JSON value as a spreadsheet shows it, labelled through
// the column's Values.
func jsonText(c coverage.Column, v any, lang string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		if l, ok := c.Values[v]; ok {
			return l.In(lang)
		}
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return map[bool]map[string]string{true: {"zh": "是", "en": "yes"}, false: {"zh": "否", "en": "no"}}[v][lang]
	}
	panic("unexpected JSON value")
}

func TestSpreadsheetsReadBackAsTheJSON(t *testing.T) {
	e, tb := fixture()
	date := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		format, lang string
		header       []string
	}{
		{"csv", "zh", []string{"编号", "名称", "类别", "乡镇编号", "乡镇", "户数", "到场时间(分钟)", "已改造", "经度", "纬度"}},
		{"csv", "en", []string{"id", "name", "kind", "township id", "township", "households", "arrival (min)", "retrofitted", "longitude", "latitude"}},
		{"xlsx", "zh", []string{"编号", "名称", "类别", "乡镇编号", "乡镇", "户数", "到场时间(分钟)", "已改造", "经度", "纬度"}},
		{"xlsx", "en", []string{"id", "name", "kind", "township id", "township", "households", "arrival (min)", "retrofitted", "longitude", "latitude"}},
	} {
		t.Run(tc.format+"/"+tc.lang, func(t *testing.T) {
			var b bytes.Buffer
			o := Options{Lang: tc.lang, County: "示例县", Date: date, Values: e.Defaults()}
			if err := Write(&b, tc.format, e, tb, AllRows(tb), o); err != nil {
				t.Fatal(err)
			}
			var got [][]string
			if tc.format == "csv" {
				if !bytes.HasPrefix(b.Bytes(), []byte("\ufeff")) {
					t.Fatal("no UTF-8 byte-order mark")
				}
				var err error
				if got, err = csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll(); err != nil {
					t.Fatal(err)
				}
			} else {
				f, err := excelize.OpenReader(&b)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				sheet := f.GetSheetList()[0]
				if sheet != e.Title.In(tc.lang) {
					t.Errorf("sheet %q, want the entry's title", sheet)
				}
				got, err = f.GetRows(sheet, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				head := got[0][0]
				for _, part := range []string{"示例县", e.Title.In(tc.lang), e.Params[0].Title.In(tc.lang) + "=5", "2026-11-28"} {
					if !strings.Contains(head, part) {
						t.Errorf("title %q lacks %q", head, part)
					}
				}
				checkCells(t, f, sheet, tb)
				got = got[1:]
			}
			if strings.Join(got[0], "|") != strings.Join(tc.header, "|") {
				t.Fatalf("header %q, want %q", got[0], tc.header)
			}
			rows := got[1:]
			exp := want(t, e, tb, tc.lang)
			if len(rows) != len(exp) {
				t.Fatalf("%d rows, want %d", len(rows), len(exp))
			}
			for i, r := range rows {
				for len(r) < len(tc.header) { // a spreadsheet drops trailing empty cells
					r = append(r, "")
				}
				if strings.Join(r[:len(r)-2], "|") != strings.Join(exp[i], "|") {
					t.Errorf("row %d: %q, want %q", i, r[:len(r)-2], exp[i])
				}
				ll := tb.Proj.Inverse(coverage.LabelPoint(tb.Geom(i)))
				lon, _ := strconv.ParseFloat(r[len(r)-2], 64)
				lat, _ := strconv.ParseFloat(r[len(r)-1], 64)
				if math.Abs(lon-ll[0]) > 1e-6 || math.Abs(lat-ll[1]) > 1e-6 {
					t.Errorf("row %d at %v,%v, want %v", i, lon, lat, ll)
				}
			}
		})
	}
}

// checkCells checks what Excel sees beyond the text: ids as text (their
// leading zeros kept), numbers as numbers, the header frozen, the
// columns wide enough.
func checkCells(t *testing.T, f *excelize.File, sheet string, tb *coverage.Table) {
	t.Helper()
	for _, tc := range []struct {
		cell string
		want excelize.CellType
	}{
		{"A3", excelize.CellTypeInlineString}, {"D3", excelize.CellTypeInlineString}, // "007", "001"
		{"F3", excelize.CellTypeUnset}, {"G3", excelize.CellTypeUnset}, // numbers carry no type
	} {
		if got, err := f.GetCellType(sheet, tc.cell); err != nil || got != tc.want {
			t.Errorf("%s: type %v, want %v (%v)", tc.cell, got, tc.want, err)
		}
	}
	if v, _ := f.GetCellValue(sheet, "A3"); v != "007" {
		t.Errorf("A3 %q, want 007 with its zeros", v)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes %+v (%v), want the title and header frozen", panes, err)
	}
	// The township column holds 36 CJK characters: 72 cells wide, capped at 60.
	if w, _ := f.GetColWidth(sheet, "E"); w < 60 {
		t.Errorf("township column %v wide, want room for its names", w)
	}
	if w, _ := f.GetColWidth(sheet, "A"); w > 10 {
		t.Errorf("id column %v wide, want narrow", w)
	}
}

func TestByTownshipSheets(t *testing.T) {
	e, tb := fixture()
	var b bytes.Buffer
	if err := Write(&b, "xlsx", e, tb, AllRows(tb), Options{Lang: "zh", By: ByTownship, Values: e.Defaults()}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	long := strings.Repeat("长", 31)
	for _, tc := range []struct {
		sheet string
		ids   []string
	}{
		{"龙潭镇_城关", []string{"007", "12"}},
		{long, []string{"0100"}},
		{strings.Repeat("长", 27) + " (2)", []string{"0042"}},
		{"乡镇外", []string{"5"}},
	} {
		t.Run(tc.sheet, func(t *testing.T) {
			rows, err := f.GetRows(tc.sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatalf("%v (sheets %q)", err, f.GetSheetList())
			}
			var ids []string
			for _, r := range rows[2:] {
				ids = append(ids, r[0])
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("rows %q, want %q", ids, tc.ids)
			}
		})
	}
	if n := len(f.GetSheetList()); n != 4 {
		t.Errorf("%d sheets %q, want one per township", n, f.GetSheetList())
	}
}

func TestCheckNamesWhatIsAllowed(t *testing.T) {
	e, _ := fixture()
	plain := &coverage.Entry{Name: "hydrant_stats", Columns: []coverage.Column{{Name: "id"}}}
	for _, tc := range []struct {
		name   string
		e      *coverage.Entry
		format string
		o      Options
		want   string
	}{
		{"every format of a map table", e, "geojson", Options{}, ""},
		{"by township in a workbook", e, "xlsx", Options{By: ByTownship, Lang: "en"}, ""},
		{"geojson of a plain table", plain, "geojson", Options{}, "format json, csv, xlsx"},
		{"an unknown format", e, "pdf", Options{}, "json, geojson, csv, xlsx"},
		{"an unknown language", e, "csv", Options{Lang: "fr"}, "zh, en"},
		{"by township in a CSV", e, "csv", Options{By: ByTownship}, "format=xlsx"},
		{"by something else", e, "xlsx", Options{By: "village"}, "township"},
		{"by township without townships", plain, "xlsx", Options{By: ByTownship}, "not placed in townships"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.e, tc.format, tc.o)
			if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}
