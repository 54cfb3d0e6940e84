package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/data"
	"fireplan/data/sample"

	"github.com/xuri/excelize/v2"
)

// jsonList fetches path as JSON and returns its columns and rows: a plain
// table's own, a map table's features' properties under the entry's columns.
func jsonList(t *testing.T, srv *httptest.Server, e *coverage.Entry, path string) ([]coverage.Column, []map[string]any) {
	t.Helper()
	code, _, b := fetch(t, srv.URL+path)
	if code != 200 {
		t.Fatalf("%s: status %d: %s", path, code, b)
	}
	var doc struct {
		Columns  []coverage.Column `json:"columns"`
		Rows     []map[string]any  `json:"rows"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if e.Geometry == "" {
		return doc.Columns, doc.Rows
	}
	rows := make([]map[string]any, len(doc.Features))
	for i, f := range doc.Features {
		rows[i] = f.Properties
	}
	return e.Columns, rows
}

// shown is a JSON value as a spreadsheet shows it: an enumeration's code
// as its label (through Column.Values), a boolean as yes or no.
func shown(c coverage.Column, v any, lang string) string {
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
		if lang == "en" {
			return map[bool]string{true: "yes", false: "no"}[v]
		}
		return map[bool]string{true: "是", false: "否"}[v]
	}
	return fmt.Sprint(v)
}

// sheetRows fetches path as CSV or XLSX and returns its header and rows
// as text (an XLSX's first sheet, below its title row).
func sheetRows(t *testing.T, srv *httptest.Server, path, format string) ([]string, [][]string) {
	t.Helper()
	code, _, b := fetch(t, srv.URL+path)
	if code != 200 {
		t.Fatalf("%s: status %d: %s", path, code, b)
	}
	var all [][]string
	if format == "csv" {
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Fatalf("%s: no UTF-8 byte-order mark", path)
		}
		r := csv.NewReader(bytes.NewReader(b[3:]))
		var err error
		if all, err = r.ReadAll(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %d rows, %v", path, len(rows), err)
		}
		all = rows[1:]
		for i := range all { // a sheet drops trailing empty cells
			for len(all[i]) < len(all[0]) {
				all[i] = append(all[i], "")
			}
		}
	}
	return all[0], all[1:]
}

// TestLists runs the list checks on one server, so that each analysis is
// computed once for all of them (the suite runs under the race detector).
func TestLists(t *testing.T) {
	s, srv := sharedServer(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *Server, *httptest.Server)
	}{
		{"every list reads back as its JSON", testEveryListReadsBackAsItsJSON},
		{"names beside codes", testNamesBesideCodes},
		{"sorted by what matters", testListsSortedByWhatMatters},
		{"by township", testByTownshipSheetsHoldTheirTownshipsRows},
		{"format errors", testListFormatErrors},
		{"layer items", testLayerItemsAsSpreadsheets},
		{"download names", testDownloadNames},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s, srv) })
	}
}

// Every analysis reads back from CSV and Excel as its JSON: the same rows
// in the same order, headers the columns' titles in the request's
// language, codes labelled, lon and lat on every row of a map table.
func testEveryListReadsBackAsItsJSON(t *testing.T, s *Server, srv *httptest.Server) {
	county := sampleSnap.Townships.Bound()
	for _, e := range s.Catalog().Entries {
		if !e.Analysis() {
			continue
		}
		base := e.Path + "?limit=300"
		cols, want := jsonList(t, srv, e, base+"&format=json")
		if len(want) == 0 {
			t.Fatalf("%s: no rows in the sample", e.Name)
		}
		for _, format := range []string{"csv", "xlsx"} {
			for _, lang := range []string{"", "zh", "en"} {
				path, name := base+"&format="+format, lang
				if lang != "" {
					path += "&lang=" + lang
				} else {
					lang, name = "zh", "default"
				}
				t.Run(e.Name+"/"+format+"/"+name, func(t *testing.T) {
					cols, want := cols, want
					if _, own := e.Param("lang"); own && lang != "zh" {
						// Its rows' text is written in lang: the JSON of
						// the same request says the same.
						cols, want = jsonList(t, srv, e, base+"&format=json&lang="+lang)
					}
					header, rows := sheetRows(t, srv, path, format)
					lonlat := 0
					if e.Geometry != "" && !slices.ContainsFunc(cols, func(c coverage.Column) bool { return c.Name == "lon" }) {
						lonlat = 2
					}
					if len(header) != len(cols)+lonlat {
						t.Fatalf("header %q for %d columns", header, len(cols))
					}
					for k, c := range cols {
						if header[k] != c.Title.In(lang) {
							t.Fatalf("column %s titled %q, want %q", c.Name, header[k], c.Title.In(lang))
						}
					}
					if len(rows) != len(want) {
						t.Fatalf("%d rows, JSON has %d", len(rows), len(want))
					}
					for i, r := range rows {
						for k, c := range cols {
							if w := shown(c, want[i][c.Name], lang); r[k] != w {
								t.Fatalf("row %d column %s: %q, JSON says %q", i, c.Name, r[k], w)
							}
						}
						if lonlat > 0 {
							lon, err1 := strconv.ParseFloat(r[len(cols)], 64)
							lat, err2 := strconv.ParseFloat(r[len(cols)+1], 64)
							if err1 != nil || err2 != nil || lon < county.Min[0]-0.1 || lon > county.Max[0]+0.1 || lat < county.Min[1]-0.1 || lat > county.Max[1]+0.1 {
								t.Fatalf("row %d at %q,%q: outside the county", i, r[len(cols)], r[len(cols)+1])
							}
						}
					}
				})
			}
		}
	}
}

// A download is named in the request's language too.
func testDownloadNames(t *testing.T, s *Server, srv *httptest.Server) {
	for _, tc := range []struct{ path, want string }{
		{"/api/coverage/gaps?format=xlsx", `filename="coverage_gaps.xlsx"; filename*=UTF-8''%E8%A6%86%E7%9B%96%E7%BC%BA%E5%8F%A3.xlsx`},
		{"/api/hydrants/gaps?format=csv&lang=en&radius_m=100", `filename="hydrant_gaps-radius_m=100.csv"; filename*=UTF-8''hydrant%20gaps.csv`},
		{"/api/layers/hydrants/items?format=csv", `filename="hydrants.csv"; filename*=UTF-8''%E6%B6%88%E7%81%AB%E6%A0%93.csv`},
	} {
		if _, hdr, _ := fetch(t, srv.URL+tc.path); hdr.Get("Content-Disposition") != "attachment; "+tc.want {
			t.Errorf("%s: %q, want %q", tc.path, hdr.Get("Content-Disposition"), tc.want)
		}
	}
}

// Names beside codes: every row that names a township, village or
// station by id names it by name too, and the sample's Chinese names
// come through a CSV intact.
func testNamesBesideCodes(t *testing.T, s *Server, srv *httptest.Server) {
	names := map[string]string{}
	for _, tw := range sampleSnap.Townships.Items {
		names["township:"+tw.ID] = tw.Name
	}
	for _, v := range sampleSnap.Villages.Items {
		names["village:"+v.ID] = v.Name
	}
	for _, st := range sampleSnap.Stations.Items {
		names["station:"+st.ID] = st.Name
	}
	type list struct {
		e    *coverage.Entry
		path string
	}
	var lists []list
	for _, e := range s.Catalog().Entries {
		if e.Analysis() {
			lists = append(lists, list{e, e.Path + "?format=json&limit=500"})
		}
	}
	summary, _ := s.Catalog().Entry("coverage_summary")
	lists = append(lists, list{summary, summary.Path + "?by=village"})
	for _, l := range lists {
		e := l.e
		cols, rows := jsonList(t, srv, e, l.path)
		for _, ref := range []string{"township", "village", "station"} {
			if !slices.ContainsFunc(cols, func(c coverage.Column) bool { return c.Name == ref+"_id" }) || e.Name == "coverage_isochrones" {
				continue // isochrones name "all stations" too
			}
			for _, r := range rows {
				id, _ := r[ref+"_id"].(string)
				if got, _ := r[ref].(string); id != "" && got != names[ref+":"+id] {
					t.Fatalf("%s: %s %s named %q, want %q", e.Name, ref, id, got, names[ref+":"+id])
				}
			}
		}
	}
	// The whole county's row bears the county's name, not "county".
	for _, path := range []string{"/api/coverage", "/api/hydrants/stats", "/api/clusters/ledger"} {
		var tb table
		get(t, srv, path, &tb)
		if last := tb.Rows[len(tb.Rows)-1]; last["id"] != "county" || last["name"] != sampleSnap.Townships.Items[0].County {
			t.Errorf("%s: last row %v %v, want the county by its name", path, last["id"], last["name"])
		}
	}
	_, _, b := fetch(t, srv.URL+"/api/clusters?format=csv")
	if tw := sampleSnap.Townships.Items[0].Name; !strings.Contains(string(b), tw) {
		t.Errorf("clusters CSV lacks the township name %q", tw)
	}
	// Lists never show two districts under one name.
	for _, path := range []string{"/api/hydrants/districts", "/api/firelanes"} {
		var fc struct {
			Features []struct{ Properties map[string]any } `json:"features"`
		}
		get(t, srv, path, &fc)
		seen := map[string]bool{}
		for _, f := range fc.Features {
			n := f.Properties["name"].(string)
			if seen[n] {
				t.Errorf("%s: two districts named %q", path, n)
			}
			seen[n] = true
		}
	}
}

// Rows come largest first by what the entry declares matters most.
func testListsSortedByWhatMatters(t *testing.T, s *Server, srv *httptest.Server) {
	sorted := 0
	for _, e := range s.Catalog().Entries {
		if e.Sort == "" {
			continue
		}
		sorted++
		_, rows := jsonList(t, srv, e, e.Path+"?format=json")
		last, none := 0.0, false
		for i, r := range rows {
			v, ok := r[e.Sort].(float64)
			switch {
			case !ok:
				none = true
			case none:
				t.Fatalf("%s row %d: %s %v after rows without one", e.Name, i, e.Sort, v)
			case i > 0 && v > last:
				t.Fatalf("%s row %d: %s %v after %v", e.Name, i, e.Sort, v, last)
			}
			last = v
		}
	}
	if sorted < 4 {
		t.Errorf("%d entries sorted, want at least coverage_gaps, hydrant_gaps, hydrant_districts and clusters", sorted)
	}
	e, _ := s.Catalog().Entry("coverage_gaps")
	_, rows := jsonList(t, srv, e, e.Path+"?minutes=5&format=json")
	if rows[0]["kind"] != "township_rest" || rows[0]["uncovered_households"].(float64) < 10000 {
		t.Errorf("first 5-minute gap %v, want the county town's rest, the largest", rows[0])
	}
}

// by=township gives one sheet per township, holding exactly its rows.
func testByTownshipSheetsHoldTheirTownshipsRows(t *testing.T, s *Server, srv *httptest.Server) {
	for _, name := range []string{"clusters", "hydrant_gaps", "coverage_gaps"} {
		t.Run(name, func(t *testing.T) {
			e, _ := s.Catalog().Entry(name)
			_, rows := jsonList(t, srv, e, e.Path+"?format=json")
			want := map[string][]string{}
			for _, r := range rows {
				sheet, _ := r["township"].(string)
				if sheet == "" {
					sheet = "乡镇外"
				}
				want[sheet] = append(want[sheet], shown(e.Columns[0], r[e.Columns[0].Name], "zh"))
			}
			code, _, b := fetch(t, srv.URL+e.Path+"?format=xlsx&by=township")
			if code != 200 {
				t.Fatalf("status %d: %s", code, b)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if len(f.GetSheetList()) != len(want) || len(want) < 2 {
				t.Fatalf("sheets %q, want one for each of %d townships", f.GetSheetList(), len(want))
			}
			for sheet, ids := range want {
				got, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatalf("sheet %s: %v (sheets %q)", sheet, err, f.GetSheetList())
				}
				var firsts []string
				for _, r := range got[2:] {
					firsts = append(firsts, r[0])
				}
				if strings.Join(firsts, "|") != strings.Join(ids, "|") {
					t.Fatalf("sheet %s holds %d rows, want its township's %d", sheet, len(firsts), len(ids))
				}
			}
		})
	}
}

// Ids are text in every list: leading zeros survive CSV and Excel.
func TestListIDsKeepLeadingZeros(t *testing.T) {
	set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
	set.Buildings[0].ID = "007"
	_, srv := serve(t, data.NewSnapshot(set, "zeros", nil))
	for _, format := range []string{"csv", "xlsx"} {
		_, rows := sheetRows(t, srv, "/api/coverage/buildings?limit=3&format="+format, format)
		if rows[0][0] != "007" {
			t.Errorf("%s: first id %q, want 007", format, rows[0][0])
		}
	}
}

// A list route answers every format it writes and a clear 400 for the
// rest; routes that are no list refuse format rather than ignore it.
func testListFormatErrors(t *testing.T, s *Server, srv *httptest.Server) {
	st := sampleSnap.Stations.Items[0]
	var sc scenarioResp
	post(t, srv.URL+"/api/scenarios", fmt.Sprintf(`{"changes":[{"layer":"stations","op":"remove","id":%q}]}`, st.ID), &sc)
	for _, tc := range []struct {
		path string
		code int
		msg  string
	}{
		{"/api/hydrants/stats?format=geojson", 400, "format json, csv, xlsx"},
		{"/api/clusters?format=csv&lang=fr", 400, "lang"},
		{"/api/clusters?format=csv&by=township", 400, "format=xlsx"},
		{"/api/clusters?format=xlsx&by=village", 400, "by"},
		{"/api/hydrants/stats?format=xlsx&by=township", 400, `unknown parameter \"by\"`},
		{"/api/coverage?format=xlsx&by=village", 200, ""}, // its own by: rows per village
		{"/api/clusters?format=json&lang=en", 200, ""},
		{"/api/scenarios/" + sc.ID + "/diff?format=csv", 400, "format"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			code, _, b := fetch(t, srv.URL+tc.path)
			if code != tc.code || !strings.Contains(string(b), tc.msg) {
				t.Errorf("status %d %s, want %d naming %q", code, b, tc.code, tc.msg)
			}
		})
	}
}

// A base layer's items come as CSV and Excel too: the layer's attributes
// as its GeoJSON has them, then each item's township and location.
func testLayerItemsAsSpreadsheets(t *testing.T, s *Server, srv *httptest.Server) {
	towns := map[string]bool{"": true}
	for _, tw := range sampleSnap.Townships.Items {
		towns[tw.Name] = true
	}
	for _, e := range s.Catalog().Entries {
		if e.Analysis() {
			continue
		}
		base := e.Path + "?limit=100"
		var fc struct {
			Features []struct{ Properties map[string]any } `json:"features"`
		}
		if code := get(t, srv, base, &fc); code != 200 || len(fc.Features) == 0 {
			t.Fatalf("%s: status %d, %d items", base, code, len(fc.Features))
		}
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(e.Name+"/"+format, func(t *testing.T) {
				header, rows := sheetRows(t, srv, base+"&lang=en&format="+format, format)
				if header[0] != "id" || header[len(header)-2] != "longitude" || len(rows) != len(fc.Features) {
					t.Fatalf("header %q, %d rows for %d items", header, len(rows), len(fc.Features))
				}
				township := slices.Index(header, "township")
				if township < 0 != (e.Name == data.LayerTownships) {
					t.Fatalf("header %q: want a township column on every layer but the townships", header)
				}
				for i, r := range rows {
					for k, c := range e.Columns {
						if w := shown(c, fc.Features[i].Properties[c.Name], "en"); r[k] != w && !sameNumber(r[k], w) {
							t.Fatalf("item %d %s: %q, GeoJSON says %q", i, c.Name, r[k], w)
						}
					}
					if township >= 0 && !towns[r[township]] {
						t.Fatalf("item %d in township %q", i, r[township])
					}
				}
			})
		}
	}
	if code, _, b := fetch(t, srv.URL+"/api/layers/hydrants/items?format=pdf"); code != 400 || !strings.Contains(string(b), "csv") {
		t.Errorf("format=pdf: status %d %s, want a 400 naming the formats", code, b)
	}
}

// sameNumber tells whether two texts are one number to Excel's 15
// significant digits (the surveyed widths carry more).
func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-13*math.Max(math.Abs(x), math.Abs(y))
}

// TestListsByTownship: township= keeps a list's rows placed in that
// township, for every list whose rows are placed in townships, and the
// lists of townships themselves refuse it.
func TestListsByTownship(t *testing.T) {
	s, srv := sharedServer(t)
	placed := 0
	for _, e := range s.cat.Entries {
		if !e.Analysis() {
			continue
		}
		_, all := jsonList(t, srv, e, e.Path+"?format=json")
		has := len(all) > 0 && all[0]["township_id"] != nil
		byTownship := map[string]int{}
		for _, r := range all {
			if id, ok := r["township_id"].(string); ok {
				byTownship[id]++
			}
		}
		if !has {
			continue
		}
		placed++
		for id, want := range byTownship {
			_, got := jsonList(t, srv, e, e.Path+"?format=json&township="+id)
			if len(got) != want {
				t.Errorf("%s township=%s: %d rows, want %d", e.Name, id, len(got), want)
			}
			for _, r := range got {
				if r["township_id"] != id {
					t.Errorf("%s township=%s: a row of %v", e.Name, id, r["township_id"])
				}
			}
		}
	}
	// A list's ETag differs by township: a client holding one township's
	// list is not told another's is the same.
	ids := []string{"", sampleSnap.Townships.Items[0].ID, sampleSnap.Townships.Items[1].ID}
	var tags []string
	for _, id := range ids {
		resp, err := http.Get(srv.URL + "/api/hydrants/gaps?format=json&township=" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		tags = append(tags, resp.Header.Get("ETag"))
	}
	if tags[0] == tags[1] || tags[1] == tags[2] {
		t.Errorf("hydrant gaps' ETags by township: %v", tags)
	}
	if placed < 5 {
		t.Errorf("only %d lists filtered by township", placed)
	}
	// A township the data does not have is a mistake, not an empty list.
	if code := get(t, srv, "/api/hydrants/gaps?township=nope", nil); code != 400 {
		t.Errorf("/api/hydrants/gaps?township=nope: status %d, want 400", code)
	}
	// The townships' own ledger has no township to filter by.
	if code := get(t, srv, "/api/hydrants/stats?township="+ids[1], nil); code != 400 {
		t.Errorf("/api/hydrants/stats?township=: status %d, want 400", code)
	}
}
