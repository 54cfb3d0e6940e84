package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/data"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// fetchOGC GETs path with headers (name, value...) and returns the status,
// the Content-Type and the body.
func fetchOGC(t *testing.T, srv *httptest.Server, path string, headers ...string) (int, string, []byte) {
	t.Helper()
	u := path
	if !strings.HasPrefix(u, "http") {
		u = srv.URL + path
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// fetchJSON GETs path, wants a 200 and decodes it.
func fetchJSON(t *testing.T, srv *httptest.Server, path string, into any) {
	t.Helper()
	code, _, b := fetchOGC(t, srv, path)
	if code != http.StatusOK {
		t.Fatalf("%s: status %d %.300s", path, code, b)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type ogcLink struct{ Href, Rel, Type string }

type ogcFeature struct {
	ID         any             `json:"id"`
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
	Links      []ogcLink       `json:"links"`
}

type ogcItems struct {
	Type           string       `json:"type"`
	NumberMatched  *int         `json:"numberMatched"`
	NumberReturned *int         `json:"numberReturned"`
	TimeStamp      string       `json:"timeStamp"`
	Links          []ogcLink    `json:"links"`
	Features       []ogcFeature `json:"features"`
}

func linkOf(links []ogcLink, rel string) (ogcLink, bool) {
	for _, l := range links {
		if l.Rel == rel {
			return l, true
		}
	}
	return ogcLink{}, false
}

// allItems follows the next links from path and returns every feature.
func allItems(t *testing.T, srv *httptest.Server, path string) ([]ogcFeature, int) {
	t.Helper()
	var out []ogcFeature
	matched := -1
	for n := 0; path != ""; n++ {
		if n > 1000 {
			t.Fatalf("%s: more than 1000 pages", path)
		}
		var page ogcItems
		fetchJSON(t, srv, path, &page)
		if page.NumberMatched == nil || page.NumberReturned == nil || *page.NumberReturned != len(page.Features) {
			t.Fatalf("%s: numberMatched %v, numberReturned %v for %d features", path, page.NumberMatched, page.NumberReturned, len(page.Features))
		}
		if matched >= 0 && *page.NumberMatched != matched {
			t.Fatalf("%s: numberMatched changed from %d to %d", path, matched, *page.NumberMatched)
		}
		matched = *page.NumberMatched
		out = append(out, page.Features...)
		next, ok := linkOf(page.Links, "next")
		path = next.Href
		if ok && next.Type != geoJSONType {
			t.Fatalf("next link of type %q", next.Type)
		}
	}
	return out, matched
}

// apiRows is what /api gives for an entry at its defaults: the features'
// ids (nil for a plain table's rows) and properties, every page.
func apiRows(t *testing.T, srv *httptest.Server, s *Server, e *coverage.Entry, query string) ([]string, []map[string]any) {
	t.Helper()
	var ids []string
	var props []map[string]any
	for offset := 0; ; offset += s.opts.MaxItems {
		path := e.Path + "?format=json&limit=" + strconv.Itoa(s.opts.MaxItems) + "&offset=" + strconv.Itoa(offset) + query
		var page struct {
			Features []ogcFeature     `json:"features"`
			Rows     []map[string]any `json:"rows"`
		}
		fetchJSON(t, srv, path, &page)
		for _, f := range page.Features {
			ids = append(ids, f.ID.(string))
			props = append(props, f.Properties)
		}
		props = append(props, page.Rows...)
		if len(page.Features)+len(page.Rows) < s.opts.MaxItems {
			return ids, props
		}
	}
}

// TestOGCItemsAreTheAPIs: every collection's items, page after page by
// the next links, are the features and attributes /api gives.
func TestOGCItemsAreTheAPIs(t *testing.T) {
	s, srv := sharedServer(t)
	for _, e := range s.cat.Entries {
		t.Run(e.Name, func(t *testing.T) {
			ids, props := apiRows(t, srv, s, e, "")
			limit := min(s.opts.MaxItems, max(1, len(props)/3+1)) // three pages or so
			got, matched := allItems(t, srv, "/ogc/collections/"+e.Name+"/items?limit="+strconv.Itoa(limit))
			if matched != len(props) || len(got) != len(props) {
				t.Fatalf("%d features, numberMatched %d; /api gives %d", len(got), matched, len(props))
			}
			for i, f := range got {
				if f.Type != "Feature" {
					t.Fatalf("feature %d: type %q", i, f.Type)
				}
				if ids != nil && f.ID != ids[i] {
					t.Fatalf("feature %d: id %v, /api's %s", i, f.ID, ids[i])
				}
				if e.Geometry == "" && string(f.Geometry) != "null" {
					t.Fatalf("feature %d of a table: geometry %s, want null", i, f.Geometry)
				}
				if e.Geometry != "" && string(f.Geometry) == "null" {
					t.Fatalf("feature %d: no geometry", i)
				}
				a, b := toJSON(f.Properties), toJSON(props[i])
				if a != b {
					t.Fatalf("feature %d: properties\n%s\n/api's\n%s", i, a, b)
				}
			}
		})
	}
}

// ogcChecks exercise each conformance class /ogc may declare.
var ogcChecks = map[string]func(t *testing.T, s *Server, srv *httptest.Server){
	confCore:    checkCore,
	confGeoJSON: checkGeoJSON,
	confHTML:    checkHTML,
	confOAS30:   checkOAS30,
}

// TestOGCConformance: the classes declared are the ones tested, and each
// holds.
func TestOGCConformance(t *testing.T) {
	s, srv := sharedServer(t)
	var got struct{ ConformsTo []string }
	fetchJSON(t, srv, "/ogc/conformance", &got)
	if len(got.ConformsTo) == 0 {
		t.Fatal("no conformance class declared")
	}
	for _, c := range got.ConformsTo {
		if ogcChecks[c] == nil {
			t.Errorf("%s declared but not tested", c)
		}
	}
	for c, check := range ogcChecks {
		if !slices.Contains(got.ConformsTo, c) {
			t.Errorf("%s tested but not declared", c)
			continue
		}
		t.Run(c[strings.LastIndex(c, "/")+1:], func(t *testing.T) { check(t, s, srv) })
	}
}

func checkCore(t *testing.T, s *Server, srv *httptest.Server) {
	var landing struct {
		Title string
		Links []ogcLink
	}
	fetchJSON(t, srv, "/ogc", &landing)
	for rel, path := range map[string]string{"self": "/ogc", "service-desc": "/ogc/api", "conformance": "/ogc/conformance", "data": "/ogc/collections"} {
		l, ok := linkOf(landing.Links, rel)
		if !ok || !strings.HasPrefix(l.Href, srv.URL+path+"?") && l.Href != srv.URL+path {
			t.Errorf("landing page: %s link %+v, want %s", rel, l, path)
		}
	}
	var cs struct {
		Collections []struct {
			ID, Title, Description string
			ItemType               string
			Extent                 *struct {
				Spatial struct {
					BBox [][]float64
					CRS  string
				}
			}
			Links []ogcLink
		}
	}
	fetchJSON(t, srv, "/ogc/collections", &cs)
	if len(cs.Collections) != len(s.cat.Entries) {
		t.Fatalf("%d collections for %d entries", len(cs.Collections), len(s.cat.Entries))
	}
	for i, c := range cs.Collections {
		e := s.cat.Entries[i]
		if c.ID != e.Name || c.Title != e.Title.Zh || c.ItemType != "feature" {
			t.Errorf("collection %d: %s %q %q, want %s %q", i, c.ID, c.Title, c.ItemType, e.Name, e.Title.Zh)
		}
		if items, ok := linkOf(c.Links, "items"); !ok || items.Type != geoJSONType {
			t.Errorf("%s: items link %+v", c.ID, items)
		}
		if c.Extent != nil && e.Geometry == "" || c.Extent == nil && e.Geometry != "" && !e.Analysis() {
			t.Errorf("%s: extent %v for geometry %q", c.ID, c.Extent, e.Geometry)
			continue
		}
		if c.Extent == nil {
			continue
		}
		b := c.Extent.Spatial.BBox[0]
		if c.Extent.Spatial.CRS != crs84 || len(b) != 4 || b[0] >= b[2] && b[1] >= b[3] {
			t.Errorf("%s: extent %+v", c.ID, c.Extent)
		}
		if v, ok := sampleSnap.Layer(e.Layer); ok && e.Layer != "" {
			lb := v.Bound()
			if b[0] != lb.Min[0] || b[3] != lb.Max[1] {
				t.Errorf("%s: extent %v, the layer's bound %v", c.ID, b, lb)
			}
		}
	}
	// One collection, and a wrong one.
	var one struct{ ID string }
	fetchJSON(t, srv, "/ogc/collections/hydrants", &one)
	if one.ID != "hydrants" {
		t.Errorf("/ogc/collections/hydrants: id %q", one.ID)
	}
	code, _, body := fetchOGC(t, srv, "/ogc/collections/nosuch/items")
	if code != http.StatusNotFound || !strings.Contains(string(body), "nosuch") || !strings.Contains(string(body), "coverage_gaps") {
		t.Errorf("unknown collection: %d %s, want a 404 listing the collections", code, body)
	}

	// Paging: limit, offset, next and prev, numberMatched.
	n := sampleSnap.Hydrants.Len()
	var p ogcItems
	fetchJSON(t, srv, "/ogc/collections/hydrants/items?limit=10&offset=20", &p)
	if *p.NumberMatched != n || *p.NumberReturned != 10 || p.Features[0].ID != sampleSnap.Hydrants.Items[20].ID || p.TimeStamp == "" {
		t.Errorf("limit=10&offset=20: matched %d returned %d first %v", *p.NumberMatched, *p.NumberReturned, p.Features[0].ID)
	}
	for rel, offset := range map[string]string{"next": "30", "prev": "10"} {
		l, ok := linkOf(p.Links, rel)
		u, _ := url.Parse(l.Href)
		if !ok || u.Query().Get("offset") != offset || u.Query().Get("limit") != "10" {
			t.Errorf("%s link %q, want offset %s", rel, l.Href, offset)
		}
	}
	fetchJSON(t, srv, "/ogc/collections/hydrants/items?limit=10&offset="+strconv.Itoa(n-5), &p)
	if _, ok := linkOf(p.Links, "next"); ok || len(p.Features) != 5 {
		t.Errorf("last page: %d features, links %v", len(p.Features), p.Links)
	}
	fetchJSON(t, srv, "/ogc/collections/hydrants/items", &p)
	if len(p.Features) != min(n, s.opts.DefaultItems) {
		t.Errorf("default page: %d features, want %d", len(p.Features), min(n, s.opts.DefaultItems))
	}
	// bbox: the features /api gives in it.
	box := "111.44,27.20,111.46,27.22"
	ids, _ := apiRows(t, srv, s, mustEntry(t, s, "buildings"), "&bbox="+box)
	got, _ := allItems(t, srv, "/ogc/collections/buildings/items?limit=100&bbox="+box)
	if len(ids) == 0 || len(got) != len(ids) {
		t.Errorf("bbox: %d features, /api gives %d", len(got), len(ids))
	}
	// One feature, and a wrong one.
	id := sampleSnap.Hydrants.Items[3].ID
	var f ogcFeature
	fetchJSON(t, srv, "/ogc/collections/hydrants/items/"+id, &f)
	if f.ID != id || f.Properties["status"] != sampleSnap.Hydrants.Items[3].Status {
		t.Errorf("feature %s: %+v", id, f)
	}
	if l, ok := linkOf(f.Links, "collection"); !ok || !strings.Contains(l.Href, "/ogc/collections/hydrants") {
		t.Errorf("feature %s: links %v", id, f.Links)
	}
	code, _, body = fetchOGC(t, srv, "/ogc/collections/hydrants/items/nosuch")
	if code != http.StatusNotFound || !strings.Contains(string(body), "nosuch") {
		t.Errorf("unknown feature: %d %s, want a JSON 404", code, body)
	}
}

func mustEntry(t *testing.T, s *Server, name string) *coverage.Entry {
	e, ok := s.cat.Entry(name)
	if !ok {
		t.Fatalf("no entry %s", name)
	}
	return e
}

func checkGeoJSON(t *testing.T, s *Server, srv *httptest.Server) {
	for _, path := range []string{"/ogc/collections/hydrants/items?limit=3", "/ogc/collections/coverage_gaps/items?limit=3",
		"/ogc/collections/hydrant_stats/items?limit=3", "/ogc/collections/stations/items/" + sampleSnap.Stations.Items[0].ID} {
		code, typ, b := fetchOGC(t, srv, path, "Accept", "application/geo+json")
		if code != http.StatusOK || typ != geoJSONType {
			t.Errorf("%s: %d %s", path, code, typ)
			continue
		}
		var v struct {
			Type     string
			Features []ogcFeature
		}
		if err := json.Unmarshal(b, &v); err != nil || v.Type != "FeatureCollection" && v.Type != "Feature" {
			t.Errorf("%s: %v, type %q", path, err, v.Type)
		}
		for _, f := range v.Features {
			if f.Type != "Feature" || f.ID == nil || f.ID == "" {
				t.Errorf("%s: feature %+v", path, f)
			}
		}
	}
}

func checkHTML(t *testing.T, s *Server, srv *httptest.Server) {
	e := mustEntry(t, s, "coverage_gaps")
	paths := []string{"/ogc", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/coverage_gaps",
		"/ogc/collections/coverage_gaps/items?limit=5"}
	for _, path := range paths {
		for _, how := range []struct{ query, accept string }{{"f=html", ""}, {"", "text/html,application/xhtml+xml,*/*;q=0.8"}} {
			u := path
			if how.query != "" {
				u += map[bool]string{true: "&", false: "?"}[strings.Contains(u, "?")] + how.query
			}
			code, typ, b := fetchOGC(t, srv, u, "Accept", how.accept)
			if code != http.StatusOK || !strings.HasPrefix(typ, "text/html") || !bytes.Contains(b, []byte("<html")) {
				t.Errorf("%s (Accept %q): %d %s %.100s", u, how.accept, code, typ, b)
			}
			if strings.Contains(path, "coverage_gaps") && !(bytes.Contains(b, []byte(e.Title.Zh)) && bytes.Contains(b, []byte(e.Title.En))) {
				t.Errorf("%s: the title in neither or one language", u)
			}
		}
	}
	// JSON when the client asks for it or names nothing.
	for _, accept := range []string{"", "application/json", "application/geo+json, application/json"} {
		if _, typ, _ := fetchOGC(t, srv, "/ogc/collections", "Accept", accept); typ != "application/json; charset=utf-8" {
			t.Errorf("Accept %q: %s", accept, typ)
		}
	}
}

func checkOAS30(t *testing.T, s *Server, srv *httptest.Server) {
	code, typ, b := fetchOGC(t, srv, "/ogc/api")
	if code != http.StatusOK || typ != oasType {
		t.Fatalf("/ogc/api: %d %s", code, typ)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document does not validate: %v", err)
	}
	paths := doc.Paths.Map()
	if len(doc.Servers) != 1 || doc.Servers[0].URL != srv.URL+"/ogc" {
		t.Errorf("servers %v, want the landing page", doc.Servers)
	}
	for _, p := range []string{"/", "/conformance", "/api", "/collections"} {
		if paths[p] == nil || paths[p].Get == nil {
			t.Errorf("no GET %s", p)
		}
	}
	for _, e := range s.cat.Entries {
		items := paths["/collections/"+e.Name+"/items"]
		one := paths["/collections/"+e.Name+"/items/{featureId}"]
		if paths["/collections/"+e.Name] == nil || paths["/collections/"+e.Name+"/schema"] == nil || items == nil || one == nil {
			t.Errorf("%s: a path missing", e.Name)
			continue
		}
		params := map[string]*openapi3.Parameter{}
		for _, p := range items.Get.Parameters {
			params[p.Value.Name] = p.Value
		}
		// Every parameter the items take, with its range.
		want := slices.Concat(e.Params, s.ogcItemParams())
		for _, p := range want {
			got := params[p.Name]
			if got == nil {
				t.Errorf("%s: parameter %s not described", e.Name, p.Name)
				continue
			}
			if why := withoutRange(got.Schema.Value); why != "" {
				t.Errorf("%s: parameter %s: %s", e.Name, p.Name, why)
			}
			if _, own := e.Param(p.Name); own || p.Default == "" {
				continue
			}
			if d := fmt.Sprint(got.Schema.Value.Default); d != p.Default {
				t.Errorf("%s: parameter %s: default %s, want %s", e.Name, p.Name, d, p.Default)
			}
		}
		for _, p := range e.Params {
			sc := params[p.Name].Schema.Value
			switch p.Kind {
			case coverage.Float, coverage.Int:
				if *sc.Min != p.Min || *sc.Max != p.Max {
					t.Errorf("%s: %s from %v to %v, declared %v to %v", e.Name, p.Name, *sc.Min, *sc.Max, p.Min, p.Max)
				}
			case coverage.Enum:
				if len(sc.Enum) != len(p.Enum) {
					t.Errorf("%s: %s enum %v, declared %v", e.Name, p.Name, sc.Enum, p.Enum)
				}
			}
		}
		// The columns served as filters, but where a parameter has their
		// name; an enumeration's codes where every value is one.
		columns, err := s.ogcColumns(context.Background(), e, sampleSnap)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range columns {
			if params[c.Name] == nil {
				t.Errorf("%s: column %s not a filter", e.Name, c.Name)
			} else if _, own := e.Param(c.Name); !own && len(c.Values) > 0 && len(params[c.Name].Schema.Value.Enum) != len(c.Values) {
				t.Errorf("%s: filter %s without its codes", e.Name, c.Name)
			}
		}
		if lim := params["limit"].Schema.Value; *lim.Max != float64(s.opts.MaxItems) {
			t.Errorf("%s: limit up to %v, the server's cap is %d", e.Name, *lim.Max, s.opts.MaxItems)
		}
	}
}

// withoutRange says what a schema lacks to name its range: numbers need
// both bounds, strings an enumeration or a length, lists bounded items.
func withoutRange(sc *openapi3.Schema) string {
	switch {
	case sc.Type.Is("number") || sc.Type.Is("integer"):
		if sc.Min == nil || sc.Max == nil {
			return "a number without minimum and maximum"
		}
	case sc.Type.Is("boolean"):
		if len(sc.Enum) != 2 {
			return "a boolean without its values"
		}
	case sc.Type.Is("string"):
		if len(sc.Enum) == 0 && sc.MaxLength == nil {
			return "a string without enum or maxLength"
		}
	case sc.Type.Is("array"):
		if sc.MaxItems == nil || sc.Items == nil {
			return "a list without maxItems"
		}
		return withoutRange(sc.Items.Value)
	default:
		return fmt.Sprintf("type %v", sc.Type)
	}
	return ""
}

// TestOGCFilters: a column's filter keeps the rows /api gives with that
// value, properties= keeps the columns chosen, and wrong ones are 400s.
func TestOGCFilters(t *testing.T) {
	s, srv := sharedServer(t)
	township := sampleSnap.Townships.Items[0].ID
	cases := []struct {
		entry, column, value string
	}{
		{"hydrants", "status", "broken"},
		{"hydrants", "kind", "fire_pool"},
		{"stations", "status", "active"},
		{"roads", "oneway", "1"},
		{"townships", "fulltime_brigade", "true"},
		{"coverage_gaps", "township_id", township},
		{"clusters", "township_id", township},
		{"hydrant_stats", "meets_target", "false"},
		{"buildings", "floors", "3.0"}, // a number compares as one
	}
	for _, c := range cases {
		t.Run(c.entry+"/"+c.column, func(t *testing.T) {
			e := mustEntry(t, s, c.entry)
			col := e.Columns[slices.IndexFunc(e.Columns, func(x coverage.Column) bool { return x.Name == c.column })]
			_, rows := apiRows(t, srv, s, e, "")
			want := 0
			for _, r := range rows {
				if ok, err := match(col, jsonValue(col, r[c.column]), c.value); err != nil {
					t.Fatal(err)
				} else if ok {
					want++
				}
			}
			if want == 0 || want == len(rows) {
				t.Fatalf("%s=%s keeps %d of %d rows: choose a value that filters", c.column, c.value, want, len(rows))
			}
			got, matched := allItems(t, srv, "/ogc/collections/"+c.entry+"/items?limit=1000&"+c.column+"="+url.QueryEscape(c.value))
			if len(got) != want || matched != want {
				t.Fatalf("%d features (numberMatched %d), /api has %d with %s=%s", len(got), matched, want, c.column, c.value)
			}
			for _, f := range got {
				if ok, _ := match(col, jsonValue(col, f.Properties[c.column]), c.value); !ok {
					t.Fatalf("feature %v: %s=%v", f.ID, c.column, f.Properties[c.column])
				}
			}
		})
	}
	// properties= keeps the columns chosen, in every feature.
	var p ogcItems
	fetchJSON(t, srv, "/ogc/collections/coverage_gaps/items?limit=5&properties=township_id,households", &p)
	for _, f := range p.Features {
		if len(f.Properties) != 2 || f.Properties["township_id"] == nil && f.Properties["households"] == nil {
			t.Errorf("properties=township_id,households: %v", f.Properties)
		}
	}
	var q ogcItems
	fetchJSON(t, srv, "/ogc/collections/hydrants/items?limit=5&properties=status", &q)
	for _, f := range q.Features {
		if _, ok := f.Properties["status"]; !ok || len(f.Properties) != 2 { // and the id a layer's item always carries
			t.Errorf("properties=status: %v", f.Properties)
		}
	}
	bad := []struct{ path, names string }{
		{"/ogc/collections/hydrants/items?properties=nosuch", "nosuch"},
		{"/ogc/collections/hydrants/items?status=nosuch", "nosuch"},
		{"/ogc/collections/hydrants/items?flow_lps=abc", "flow_lps"},
		{"/ogc/collections/hydrants/items?zz_unknown=1", "zz_unknown"},
		{"/ogc/collections/coverage_gaps/items?zz_unknown=1", "zz_unknown"},
		{"/ogc/collections/hydrants/items/x?status=broken", "status"},
		{"/ogc/collections/hydrants/items?limit=-1", "limit"},
		{"/ogc/collections/hydrants/items?f=xml", "xml"},
		{"/ogc/collections?f=xml", "xml"},
		{"/ogc/collections?lang=fr", "fr"},
		{"/ogc/collections/hydrant_stats/items?bbox=111,27,112,28", "bbox"},
		{"/ogc/collections/coverage_gaps/items?minutes=99999", "minutes"},
	}
	for _, b := range bad {
		code, typ, body := fetchOGC(t, srv, b.path)
		if code != http.StatusBadRequest || !strings.Contains(string(body), b.names) || !strings.HasPrefix(typ, "application/json") {
			t.Errorf("%s: %d %s %s, want a JSON 400 naming %s", b.path, code, typ, body, b.names)
		}
	}
}

// jsonValue is a value as JSON decodes it, back in the table's types.
func jsonValue(c coverage.Column, v any) any {
	if f, ok := v.(float64); ok && c.Type == "integer" {
		return int(f)
	}
	return v
}

// TestOGCAnalysisParameters: an analysis' parameters change its items as
// they change /api's.
func TestOGCAnalysisParameters(t *testing.T) {
	s, srv := sharedServer(t)
	e := mustEntry(t, s, "coverage_gaps")
	p, ok := e.Param("minutes")
	if !ok {
		t.Fatal("coverage_gaps takes no minutes")
	}
	v := strconv.FormatFloat(p.Min+(p.Max-p.Min)/4, 'f', -1, 64)
	_, rows := apiRows(t, srv, s, e, "&minutes="+v)
	_, def := apiRows(t, srv, s, e, "")
	if len(rows) == len(def) {
		t.Fatalf("minutes=%s gives as many gaps as the default; choose another value", v)
	}
	got, _ := allItems(t, srv, "/ogc/collections/coverage_gaps/items?limit=1000&minutes="+v)
	if len(got) != len(rows) {
		t.Fatalf("minutes=%s: %d features, /api gives %d", v, len(got), len(rows))
	}
}

// TestOGCLanguage: lang= first, then Accept-Language, else Chinese.
func TestOGCLanguage(t *testing.T) {
	_, srv := sharedServer(t)
	e := mustEntry(t, shared, "hydrants")
	cases := []struct{ query, acceptLanguage, want string }{
		{"", "", e.Title.Zh},
		{"", "en-US,en;q=0.9", e.Title.En},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", e.Title.Zh},
		{"", "fr-FR, en;q=0.5, zh;q=0.7", e.Title.Zh},
		{"", "de", e.Title.Zh},
		{"?lang=en", "zh-CN", e.Title.En},
		{"?lang=zh", "en", e.Title.Zh},
	}
	for _, c := range cases {
		code, _, b := fetchOGC(t, srv, "/ogc/collections/hydrants"+c.query, "Accept-Language", c.acceptLanguage)
		var got struct{ Title string }
		json.Unmarshal(b, &got)
		if code != http.StatusOK || got.Title != c.want {
			t.Errorf("%s, Accept-Language %q: %d title %q, want %q", c.query, c.acceptLanguage, code, got.Title, c.want)
		}
	}
}

// TestGDALReadsEveryCollection: GDAL's OGC API - Features driver lists
// every collection, and copies each into a GeoPackage, page after page,
// with the features and attributes /api gives.
func TestGDALReadsEveryCollection(t *testing.T) {
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true but %s is not installed (apt-get install gdal-bin; make test does)", tool)
			}
			t.Skipf("%s not installed (apt-get install gdal-bin; under CI=true this fails)", tool)
		}
	}
	s, srv := sharedServer(t)
	src := "OAPIF:" + srv.URL + "/ogc"
	out, err := exec.Command("ogrinfo", "-ro", "-so", "-q", src).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\d+: (\S+)`).FindAllStringSubmatch(string(out), -1) {
		listed[m[1]] = true
	}
	for _, e := range s.cat.Entries {
		if !listed[e.Name] {
			t.Errorf("ogrinfo does not list %s:\n%s", e.Name, out)
		}
	}
	dir := t.TempDir()
	// An attribute filter GDAL finds among the parameters the OpenAPI
	// document gives the items: sent to the server, not applied after.
	t.Run("where", func(t *testing.T) {
		want := 0
		for _, h := range sampleSnap.Hydrants.Items {
			if h.Status == "broken" {
				want++
			}
		}
		gpkg := filepath.Join(dir, "broken.gpkg")
		out, err := exec.Command("ogr2ogr", "--debug", "on", "-f", "GPKG", gpkg, src, "hydrants", "-where", "status = 'broken'",
			"-oo", "PAGE_SIZE=100").CombinedOutput()
		if err != nil {
			t.Fatalf("ogr2ogr: %v\n%s", err, out)
		}
		if !regexp.MustCompile(`Fetch\(\S+/ogc/collections/hydrants/items\?\S*status=broken`).Match(out) {
			t.Errorf("GDAL did not send the filter to the server:\n%s", out)
		}
		info, _ := exec.Command("ogrinfo", "-ro", "-so", gpkg, "hydrants").Output()
		if m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(info); m == nil || string(m[1]) != strconv.Itoa(want) {
			t.Errorf("the GeoPackage holds %s broken hydrants, the county %d", m, want)
		}
	})
	// Filters GDAL sends to the server: a labelled column's free value (a
	// building's id in hydrant_gaps' detail), and a feature's id, which
	// GDAL appends to the items link as /{id}.
	t.Run("where sent", func(t *testing.T) {
		gaps := mustEntry(t, s, "hydrant_gaps")
		_, rows := apiRows(t, srv, s, gaps, "")
		i := slices.IndexFunc(rows, func(r map[string]any) bool { return r["kind"] == "building" })
		if i < 0 {
			t.Fatal("no building among the gaps")
		}
		detail, want := rows[i]["detail"].(string), 0
		for _, r := range rows {
			if r["detail"] == detail {
				want++
			}
		}
		hy := sampleSnap.Hydrants.Items[4].ID
		for _, c := range []struct {
			layer, where string
			want         int
		}{
			{"hydrant_gaps", "detail = '" + detail + "'", want},
			{"hydrants", "id = '" + hy + "'", 1},
		} {
			out, err := exec.Command("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", src, c.layer, "-where", c.where).CombinedOutput()
			if err != nil {
				t.Errorf("ogr2ogr %s -where %q: %v\n%.2000s", c.layer, c.where, err, out)
				continue
			}
			var got struct{ Features []ogcFeature }
			if err := json.Unmarshal(out, &got); err != nil || len(got.Features) != c.want {
				t.Errorf("ogr2ogr %s -where %q: %d features (%v), want %d\n%.2000s", c.layer, c.where, len(got.Features), err, c.want, out)
			}
		}
	})
	// A page size over the server's maximum is capped, not refused.
	t.Run("page size over the maximum", func(t *testing.T) {
		gpkg := filepath.Join(dir, "hydrants-20000.gpkg")
		if out, err := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, src, "hydrants", "-oo", "PAGE_SIZE=20000").CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr PAGE_SIZE=20000: %v\n%s", err, out)
		}
		info, _ := exec.Command("ogrinfo", "-ro", "-so", gpkg, "hydrants").Output()
		if m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(info); m == nil || string(m[1]) != strconv.Itoa(sampleSnap.Hydrants.Len()) {
			t.Errorf("the GeoPackage holds %s hydrants, the county %d", m, sampleSnap.Hydrants.Len())
		}
	})
	// A connection's query: GDAL sends it with every request, and the
	// analyses read at its parameters while the layers ignore them.
	t.Run("connection query", func(t *testing.T) {
		gaps := mustEntry(t, s, "coverage_gaps")
		_, at8 := apiRows(t, srv, s, gaps, "&minutes=8")
		_, def := apiRows(t, srv, s, gaps, "")
		if len(at8) == len(def) {
			t.Fatalf("minutes=8 gives as many gaps as the default (%d): choose another value", len(def))
		}
		conn := src + "?minutes=8"
		out, err := exec.Command("ogrinfo", "-ro", "-so", conn, "coverage_gaps").CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", conn, err, out)
		}
		if m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out); m == nil || string(m[1]) != strconv.Itoa(len(at8)) {
			t.Errorf("ogrinfo %s coverage_gaps: count %s, /api gives %d at minutes=8 (%d at the default)", conn, m, len(at8), len(def))
		}
		gpkg := filepath.Join(dir, "hydrants-at-8.gpkg")
		if out, err := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, conn, "hydrants").CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %s hydrants: %v\n%s", conn, err, out)
		}
		info, _ := exec.Command("ogrinfo", "-ro", "-so", gpkg, "hydrants").Output()
		if m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(info); m == nil || string(m[1]) != strconv.Itoa(sampleSnap.Hydrants.Len()) {
			t.Errorf("the GeoPackage holds %s hydrants, the county %d", m, sampleSnap.Hydrants.Len())
		}
	})
	for _, e := range s.cat.Entries {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ids, want := apiRows(t, srv, s, e, "")
			// Pages of a third, so every collection of a few features
			// takes GDAL through next links.
			page := min(s.opts.MaxItems, max(1, len(want)/3+1))
			gpkg := filepath.Join(dir, e.Name+".gpkg")
			if out, err := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, src, e.Name, "-oo", "PAGE_SIZE="+strconv.Itoa(page)).CombinedOutput(); err != nil {
				t.Fatalf("ogr2ogr: %v\n%s", err, out)
			}
			out, err := exec.Command("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", gpkg, e.Name).Output()
			if err != nil {
				t.Fatalf("reading the GeoPackage back: %v", err)
			}
			var got struct{ Features []ogcFeature }
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Features) != len(want) {
				t.Fatalf("the GeoPackage holds %d features, /api gives %d", len(got.Features), len(want))
			}
			for i, f := range got.Features {
				w := want[i]
				if _, ok := w["id"]; !ok && ids != nil {
					// GDAL keeps a feature's id, a string, as the attribute
					// id when the properties have none.
					w = maps.Clone(w)
					w["id"] = ids[i]
				}
				if why := sameAttributes(f.Properties, w); why != "" {
					t.Fatalf("feature %d: %s\nGeoPackage %v\n/api %v", i, why, f.Properties, want[i])
				}
			}
		})
	}
}

// sameAttributes says how a GeoPackage's row differs from /api's: the
// same names, and the same values (a boolean may read back as 0 or 1, a
// number to within its decimal writing).
func sameAttributes(got, want map[string]any) string {
	for k := range got {
		if _, ok := want[k]; !ok && k != "fid" {
			return "attribute " + k + " /api does not give"
		}
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return "attribute " + k + " missing"
		}
		switch w := w.(type) {
		case float64:
			gf, ok := g.(float64)
			if !ok || math.Abs(gf-w) > 1e-9*math.Max(1, math.Abs(w)) {
				return fmt.Sprintf("%s: %v, /api's %v", k, g, w)
			}
		case bool:
			if g != w && g != map[bool]float64{true: 1, false: 0}[w] {
				return fmt.Sprintf("%s: %v, /api's %v", k, g, w)
			}
		default:
			if toJSON(g) != toJSON(w) {
				return fmt.Sprintf("%s: %v, /api's %v", k, g, w)
			}
		}
	}
	return ""
}

// schemaGeometry is the geometry a collection's schema declares: its Part 5
// format (geometry-point... geometry-any), "" for a plain table.
func schemaGeometry(t *testing.T, srv *httptest.Server, name string) string {
	t.Helper()
	var sc struct {
		Properties struct {
			Geometry struct {
				Type   string `json:"type"`
				Format string `json:"format"`
			} `json:"geometry"`
		} `json:"properties"`
	}
	fetchJSON(t, srv, "/ogc/collections/"+name+"/schema", &sc)
	return sc.Properties.Geometry.Format
}

// TestOGCGeometryTypes: the geometry type a collection's schema declares
// allows every feature it serves, and is the narrowest that does.
func TestOGCGeometryTypes(t *testing.T) {
	s, srv := sharedServer(t)
	known := map[string]string{ // collections whose declared entry type was wrong
		"hydrant_gaps":        "geometry-any",          // streets and buildings
		"coverage_gaps":       "geometry-any",          // areas and township rests (points)
		"coverage_isochrones": "geometry-multipolygon", // polygons and multipolygons
		"hydrants":            "geometry-point",
	}
	for _, e := range s.cat.Entries {
		t.Run(e.Name, func(t *testing.T) {
			format := schemaGeometry(t, srv, e.Name)
			if e.Geometry == "" {
				if format != "" {
					t.Fatalf("a plain table declares geometry %q", format)
				}
				return
			}
			if want, ok := known[e.Name]; ok && format != want {
				t.Errorf("declared %q, want %q", format, want)
			}
			got, _ := allItems(t, srv, "/ogc/collections/"+e.Name+"/items?limit="+strconv.Itoa(s.opts.MaxItems))
			types := map[string]bool{}
			for i, f := range got {
				var g struct{ Type string }
				if err := json.Unmarshal(f.Geometry, &g); err != nil {
					t.Fatalf("feature %d: %v", i, err)
				}
				types[g.Type] = true
				if format != "geometry-any" && "geometry-"+strings.ToLower(g.Type) != format {
					t.Fatalf("feature %v: a %s in a collection declaring %s", f.ID, g.Type, format)
				}
			}
			if format == "geometry-any" && mergeTypes(types) != "" {
				t.Errorf("declares any geometry but serves only %v", slices.Sorted(maps.Keys(types)))
			}
		})
	}
}

// TestOGCAnalysisParametersEverywhere: GDAL and QGIS send a connection
// URL's query with every request, so every /ogc route takes any
// parameter some entry declares; a collection's items honour their own
// and ignore the others; a name no entry declares is still a 400.
func TestOGCAnalysisParametersEverywhere(t *testing.T) {
	_, srv := sharedServer(t)
	hy := sampleSnap.Hydrants.Items[0].ID
	paths := []string{"/ogc", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/hydrants",
		"/ogc/collections/hydrants/schema", "/ogc/collections/hydrants/items", "/ogc/collections/hydrants/items/" + hy,
		"/ogc/collections/coverage_gaps/items"}
	for _, path := range paths {
		for _, c := range []struct {
			query string
			want  int
		}{
			{"minutes=8", http.StatusOK},
			{"minutes=8&radius_m=150", http.StatusOK},
			{"zz_unknown=1", http.StatusBadRequest},
			{"minutes=8&zz_unknown=1", http.StatusBadRequest},
		} {
			code, _, body := fetchOGC(t, srv, path+"?"+c.query)
			if code != c.want {
				t.Errorf("%s?%s: %d %.200s, want %d", path, c.query, code, body, c.want)
			}
		}
	}
	// Ignored where not honoured: hydrants do not validate minutes; the
	// analysis taking it does.
	for path, want := range map[string]int{
		"/ogc/collections/hydrants/items?minutes=99999":      http.StatusOK,
		"/ogc/collections/coverage_gaps/items?minutes=99999": http.StatusBadRequest,
	} {
		if code, _, body := fetchOGC(t, srv, path); code != want {
			t.Errorf("%s: %d %.200s, want %d", path, code, body, want)
		}
	}
	var p ogcItems
	fetchJSON(t, srv, "/ogc/collections/hydrants/items?limit=5&minutes=8", &p)
	if len(p.Features) != 5 || *p.NumberMatched != sampleSnap.Hydrants.Len() {
		t.Errorf("hydrants with minutes=8: %d features of %d, want every hydrant", len(p.Features), *p.NumberMatched)
	}
}

// TestOGCColumnsAsServed: a collection's columns are those its features
// have at the defaults (an analysis' per-parameter columns included), each
// listed by the schema, chosen by properties= and a filter; a column whose
// labels name only some of its values (hydrant_gaps' detail: a building
// row's is the building's id) filters on any value, not on the labels.
func TestOGCColumnsAsServed(t *testing.T) {
	s, srv := sharedServer(t)
	cases := []struct {
		entry, column string
		open          bool                        // labelled, but not an enumeration
		pick          func(r map[string]any) bool // the row whose value filters
	}{
		{"hydrant_gaps", "detail", true, func(r map[string]any) bool { return r["kind"] == "building" }},
		{"hydrant_gaps", "kind", false, func(r map[string]any) bool { return r["kind"] == "spacing" }},
		{"coverage_summary", "covered_8min", false, func(map[string]any) bool { return true }},
		{"coverage_summary", "share_15min", false, func(map[string]any) bool { return true }},
		{"cluster_ledger", "clusters_30-49", false, func(map[string]any) bool { return true }},
	}
	for _, c := range cases {
		t.Run(c.entry+"/"+c.column, func(t *testing.T) {
			e := mustEntry(t, s, c.entry)
			var sc struct {
				Properties struct {
					Properties struct {
						Properties map[string]struct {
							Type string
							Enum []string
						}
					}
				}
			}
			fetchJSON(t, srv, "/ogc/collections/"+c.entry+"/schema", &sc)
			col, ok := sc.Properties.Properties.Properties[c.column]
			if !ok {
				t.Fatalf("the schema lacks %s", c.column)
			}
			if c.open != (len(col.Enum) == 0) && col.Type == "string" {
				t.Errorf("schema enum %v (open %v)", col.Enum, c.open)
			}
			_, rows := apiRows(t, srv, s, e, "")
			i := slices.IndexFunc(rows, c.pick)
			if i < 0 {
				t.Fatal("no row to filter on")
			}
			v := rows[i][c.column]
			value := fmt.Sprint(v)
			if f, ok := v.(float64); ok {
				value = strconv.FormatFloat(f, 'f', -1, 64)
			}
			want := 0
			for _, r := range rows {
				if toJSON(r[c.column]) == toJSON(v) {
					want++
				}
			}
			got, matched := allItems(t, srv, "/ogc/collections/"+c.entry+"/items?limit=1000&"+url.QueryEscape(c.column)+"="+url.QueryEscape(value))
			if len(got) != want || matched != want {
				t.Errorf("%s=%s: %d features (numberMatched %d), /api has %d", c.column, value, len(got), matched, want)
			}
			var p ogcItems
			fetchJSON(t, srv, "/ogc/collections/"+c.entry+"/items?limit=3&properties="+url.QueryEscape(c.column), &p)
			for _, f := range p.Features {
				if _, ok := f.Properties[c.column]; !ok || len(f.Properties) != 1 {
					t.Errorf("properties=%s: %v", c.column, f.Properties)
				}
			}
		})
	}
	// A labelled column's filter still refuses what is no code when every
	// value is one.
	if code, _, body := fetchOGC(t, srv, "/ogc/collections/hydrant_gaps/items?kind=b05762"); code != http.StatusBadRequest {
		t.Errorf("kind=b05762: %d %.200s, want a 400", code, body)
	}
}

// TestOGCLimitCapped: a limit over the server's maximum returns the
// maximum, as OGC API - Features has it (GDAL's PAGE_SIZE=20000), with
// numberReturned and the next link right; one that is no whole number
// from 0 is a 400.
func TestOGCLimitCapped(t *testing.T) {
	var st data.Store
	st.Swap(sampleSnap)
	s, err := New(&st, Options{MaxItems: 50, DefaultItems: 20}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	n := sampleSnap.Hydrants.Len()
	for _, c := range []struct {
		query      string
		code, want int
	}{
		{"limit=51", http.StatusOK, 50},
		{"limit=20000", http.StatusOK, 50},
		{"limit=99999999999999999999999", http.StatusOK, 50},
		{"limit=50", http.StatusOK, 50},
		{"limit=7", http.StatusOK, 7},
		{"limit=-1", http.StatusBadRequest, 0},
		{"limit=1.5", http.StatusBadRequest, 0},
		{"limit=abc", http.StatusBadRequest, 0},
	} {
		code, _, body := fetchOGC(t, srv, "/ogc/collections/hydrants/items?"+c.query)
		if code != c.code {
			t.Errorf("%s: %d %.200s, want %d", c.query, code, body, c.code)
			continue
		}
		if code != http.StatusOK {
			if !strings.Contains(string(body), "limit") {
				t.Errorf("%s: %s does not name limit", c.query, body)
			}
			continue
		}
		var p ogcItems
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		next, ok := linkOf(p.Links, "next")
		u, _ := url.Parse(next.Href)
		if len(p.Features) != c.want || *p.NumberReturned != c.want || *p.NumberMatched != n || !ok ||
			u.Query().Get("offset") != strconv.Itoa(c.want) || u.Query().Get("limit") != strconv.Itoa(c.want) {
			t.Errorf("%s: %d features, numberReturned %d of %d, next %q; want %d and a next page from %d", c.query, len(p.Features),
				*p.NumberReturned, *p.NumberMatched, next.Href, c.want, c.want)
		}
	}
	got, matched := allItems(t, srv, "/ogc/collections/hydrants/items?limit=20000")
	if len(got) != n || matched != n {
		t.Errorf("following next from limit=20000: %d features of %d", len(got), n)
	}
}

// TestOGCLinks: the GeoJSON items link is the bare path (GDAL appends
// /{featureId} to it), and every link keeps the lang the request gave.
func TestOGCLinks(t *testing.T) {
	_, srv := sharedServer(t)
	var c struct{ Links []ogcLink }
	fetchJSON(t, srv, "/ogc/collections/hydrants", &c)
	for _, l := range c.Links {
		if l.Rel == "items" && l.Type == geoJSONType && l.Href != srv.URL+"/ogc/collections/hydrants/items" {
			t.Errorf("GeoJSON items link %q, want the bare path", l.Href)
		}
	}
	for _, path := range []string{"/ogc?lang=en", "/ogc/collections?lang=en", "/ogc/collections/hydrants?lang=en",
		"/ogc/collections/hydrants/items?limit=2&offset=2&lang=en", "/ogc/collections/hydrants/items/" + sampleSnap.Hydrants.Items[0].ID + "?lang=en"} {
		var v struct {
			Links       []ogcLink
			Collections []struct{ Links []ogcLink }
		}
		fetchJSON(t, srv, path, &v)
		links := v.Links
		for _, c := range v.Collections {
			links = append(links, c.Links...)
		}
		for _, l := range links {
			if l.Rel == "items" && l.Type == geoJSONType {
				continue
			}
			u, err := url.Parse(l.Href)
			if err != nil || u.Query().Get("lang") != "en" {
				t.Errorf("%s: %s link %q drops lang=en", path, l.Rel, l.Href)
			}
		}
	}
}

// TestOGCTrailingSlash: /ogc/ is the landing page, as /ogc; GDAL reads
// the collections through it.
func TestOGCTrailingSlash(t *testing.T) {
	_, srv := sharedServer(t)
	for _, path := range []string{"/ogc/", "/ogc/?f=json", "/ogc/?minutes=8"} {
		var landing struct {
			Title string
			Links []ogcLink
		}
		fetchJSON(t, srv, path, &landing)
		if l, ok := linkOf(landing.Links, "data"); !ok || !strings.HasPrefix(l.Href, srv.URL+"/ogc/collections") {
			t.Errorf("%s: data link %+v", path, l)
		}
	}
	if code, _, body := fetchOGC(t, srv, "/ogc/?zz_unknown=1"); code != http.StatusBadRequest {
		t.Errorf("/ogc/?zz_unknown=1: %d %.200s, want a 400", code, body)
	}
	if _, err := exec.LookPath("ogrinfo"); err == nil {
		if out, err := exec.Command("ogrinfo", "-ro", "-so", "-q", "OAPIF:"+srv.URL+"/ogc/").CombinedOutput(); err != nil || !strings.Contains(string(out), "hydrants") {
			t.Errorf("ogrinfo OAPIF:…/ogc/: %v\n%s", err, out)
		}
	}
}

// TestOGCAnalysisExtents: an analysis' extent is the bound of the
// features it serves at its defaults, within the county's, not the
// county's; a collection without features has none.
func TestOGCAnalysisExtents(t *testing.T) {
	s, srv := sharedServer(t)
	county := layerBound(sampleSnap)
	const eps = 1e-9
	smaller := map[string]bool{"station_siting": true} // a few proposed sites
	for _, e := range s.cat.Entries {
		if !e.Analysis() || e.Geometry == "" {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			var c struct {
				Extent *struct{ Spatial struct{ BBox [][]float64 } }
			}
			fetchJSON(t, srv, "/ogc/collections/"+e.Name, &c)
			got, _ := allItems(t, srv, "/ogc/collections/"+e.Name+"/items?limit="+strconv.Itoa(s.opts.MaxItems))
			if len(got) == 0 {
				if c.Extent != nil {
					t.Errorf("no feature, extent %v", c.Extent)
				}
				return
			}
			if c.Extent == nil {
				t.Fatalf("%d features, no extent", len(got))
			}
			b := c.Extent.Spatial.BBox[0]
			var want orb.Bound
			for i, f := range got {
				g, err := geojson.UnmarshalGeometry(f.Geometry)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					want = g.Geometry().Bound()
				} else {
					want = want.Union(g.Geometry().Bound())
				}
			}
			if math.Abs(b[0]-want.Min[0]) > eps || math.Abs(b[1]-want.Min[1]) > eps || math.Abs(b[2]-want.Max[0]) > eps || math.Abs(b[3]-want.Max[1]) > eps {
				t.Errorf("extent %v, the features' bound %v", b, want)
			}
			within := b[0] >= county.Min[0]-eps && b[1] >= county.Min[1]-eps && b[2] <= county.Max[0]+eps && b[3] <= county.Max[1]+eps
			if smaller[e.Name] && (!within || (b[2]-b[0])*(b[3]-b[1]) >= (county.Max[0]-county.Min[0])*(county.Max[1]-county.Min[1])) {
				t.Errorf("extent %v not within and smaller than the county's %v", b, county)
			}
		})
	}
}

// TestOGCCoreLeniency: the core's datetime is taken and ignored (no
// temporal data), a 6-number bbox is its 2D one, and a page past the end
// links prev to the last page of features.
func TestOGCCoreLeniency(t *testing.T) {
	_, srv := sharedServer(t)
	box := "111.44,27.20,111.46,27.22"
	_, want := allItems(t, srv, "/ogc/collections/buildings/items?limit=1000&bbox="+box)
	if want == 0 {
		t.Fatal("no building in the box: choose another")
	}
	n := sampleSnap.Hydrants.Len()
	for _, c := range []struct{ path string }{
		{"/ogc/collections/buildings/items?limit=1000&bbox=111.44,27.20,-10,111.46,27.22,100"},
		{"/ogc/collections/buildings/items?limit=1000&bbox=" + box + "&datetime=2024-01-01T00:00:00Z"},
		{"/ogc/collections/buildings/items?limit=1000&bbox=" + box + "&datetime=../2024-12-31T00:00:00Z"},
	} {
		if _, matched := allItems(t, srv, c.path); matched != want {
			t.Errorf("%s: %d matched, the 2D bbox %d", c.path, matched, want)
		}
	}
	var p ogcItems
	fetchJSON(t, srv, "/ogc/collections/hydrants/items?limit=10&offset="+strconv.Itoa(n+500), &p)
	prev, ok := linkOf(p.Links, "prev")
	u, _ := url.Parse(prev.Href)
	if len(p.Features) != 0 || !ok || u.Query().Get("offset") != strconv.Itoa(n-10) {
		t.Errorf("past the end: %d features, prev %q, want offset %d", len(p.Features), prev.Href, n-10)
	}
	fetchJSON(t, srv, prev.Href, &p)
	if len(p.Features) != 10 {
		t.Errorf("prev of past the end: %d features, want 10", len(p.Features))
	}
}
