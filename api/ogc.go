package api

// OGC API - Features Part 1 under /ogc: every base layer and every
// analysis of the catalogue as a collection, so that QGIS, ArcGIS Pro and
// GDAL read fireplan without a plugin. The items are the very features
// /api serves (the same hits, pages and GeoJSON features), at the
// analysis' default parameters unless the query gives others.

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fireplan/coverage"
	"fireplan/coverage/export"
	"fireplan/data"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The conformance classes /ogc declares; the tests exercise each.
const (
	confCore    = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
	confGeoJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
	confHTML    = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html"
	confOAS30   = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
	crs84       = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
)

var ogcConformance = []string{confCore, confGeoJSON, confHTML, confOAS30}

// Media types of the OGC routes.
const (
	geoJSONType = "application/geo+json"
	jsonType    = "application/json"
	htmlType    = "text/html"
	oasType     = "application/vnd.oai.openapi+json;version=3.0"
	schemaType  = "application/schema+json"
)

// The parameters of the OGC routes beside the shared ones.
var (
	fParam = coverage.Param{Name: "f", Kind: coverage.Enum, Enum: []string{"json", "html"}, Default: "json",
		Title: coverage.Title{Zh: "格式(无f时Accept为text/html则html)", En: "format (without f: html when Accept asks for text/html)"}}
	ogcLangParam = coverage.Param{Name: "lang", Kind: coverage.Enum, Enum: export.Langs,
		Title: coverage.Title{Zh: "标题和说明的语言(默认按Accept-Language,否则zh)", En: "language of titles and descriptions (default: Accept-Language, else zh)"}}
	datetimeParam = coverage.Param{Name: "datetime", Kind: coverage.Text,
		Title: coverage.Title{Zh: "时间(忽略:数据无时间)", En: "time instant or interval (ignored: the data have no time)"}}
	propertiesParam = coverage.Param{Name: "properties", Kind: coverage.Text,
		Title: coverage.Title{Zh: "返回的列,逗号分隔(默认全部)", En: "comma-separated columns returned (default: all)"}}
)

// ogcItemParams are what every collection's items take beside the
// collection's own: its analysis' parameters, then its columns as filters.
func (s *Server) ogcItemParams() []coverage.Param {
	return []coverage.Param{fParam, ogcLangParam, bboxParam, s.limitParam(strconv.Itoa(s.opts.DefaultItems)), offsetParam,
		propertiesParam, scenarioParam, datetimeParam}
}

// ogcFeatureParams are what one feature takes beside its analysis' parameters.
var ogcFeatureParams = []coverage.Param{fParam, ogcLangParam, scenarioParam}

// ogcRoutes are the OGC API - Features routes of the route table.
func (s *Server) ogcRoutes() []Route {
	t := func(zh, en string) coverage.Title { return coverage.Title{Zh: zh, En: en} }
	common := []coverage.Param{fParam, ogcLangParam}
	return []Route{
		{Methods: reads, Path: "/ogc", Title: t("OGC API - Features 入口", "OGC API - Features landing page"), Params: common, Analyses: true, h: s.ogcLanding},
		{Methods: reads, Path: "/ogc/conformance", Title: t("符合的OGC一致性类", "the OGC conformance classes met"), Params: common, Analyses: true, h: s.ogcConformance},
		{Methods: reads, Path: "/ogc/api", Title: t("OpenAPI 3.0 文档", "the OpenAPI 3.0 document"), Params: common, Analyses: true, h: s.ogcAPI},
		{Methods: reads, Path: "/ogc/collections", Title: t("全部集合(图层和分析)", "every collection (layers and analyses)"), Params: common, Analyses: true, h: s.ogcCollections},
		{Methods: reads, Path: "/ogc/collections/{name}", Title: t("一个集合", "one collection"), Params: common, Analyses: true, h: s.ogcCollection},
		{Methods: reads, Path: "/ogc/collections/{name}/schema", Title: t("集合要素的JSON Schema(各列类型)", "the JSON Schema of a collection's features (its columns' types)"),
			Params: []coverage.Param{ogcLangParam}, Analyses: true, h: s.ogcSchema},
		{Methods: reads, Path: "/ogc/collections/{name}/items", Title: t("集合的要素(参数、列筛选见OpenAPI文档)", "a collection's features (its parameters and column filters: see the OpenAPI document)"),
			Params: s.ogcItemParams(), Layer: true, Analyses: true, h: s.ogcItems},
		{Methods: reads, Path: "/ogc/collections/{name}/items/{featureId}", Title: t("一个要素", "one feature"),
			Params: ogcFeatureParams, Layer: true, Analyses: true, h: s.ogcFeature},
	}
}

// link is a link of an OGC resource.
type link struct {
	Href     string `json:"href"`
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Title    string `json:"title,omitempty"`
	Hreflang string `json:"hreflang,omitempty"`
}

// ogcReq is what every OGC handler reads off its request first.
type ogcReq struct {
	r      *http.Request
	format string // json or html
	lang   string // zh or en
	base   string // scheme://host
}

func (s *Server) ogcRequest(r *http.Request) (*ogcReq, error) {
	o := &ogcReq{r: r, base: baseURL(r)}
	q := r.URL.Query()
	switch f := q.Get("f"); f {
	case "json", "html":
		o.format = f
	case "":
		o.format = "json"
		if acceptsHTML(r.Header.Get("Accept")) {
			o.format = "html"
		}
	default:
		return nil, errorf(http.StatusBadRequest, "f: %q is none of json, html", f)
	}
	lang, err := requestLang(q.Get("lang"), r.Header.Get("Accept-Language"))
	if err != nil {
		return nil, err
	}
	o.lang = lang
	return o, nil
}

// acceptsHTML tells whether an Accept header prefers text/html to JSON:
// a browser's does, GDAL's and QGIS' do not.
func acceptsHTML(accept string) bool {
	best, html := -1.0, false
	for _, part := range strings.Split(accept, ",") {
		mt, q := mediaRange(part)
		var isHTML bool
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			isHTML = true
		case strings.Contains(mt, "json") || mt == "*/*":
		default:
			continue
		}
		if q > best {
			best, html = q, isHTML
		}
	}
	return html && best > 0
}

// mediaRange splits one element of an Accept or Accept-Language header
// into its value (lower case) and its q.
func mediaRange(part string) (string, float64) {
	fields := strings.Split(part, ";")
	q := 1.0
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		if strings.TrimSpace(k) == "q" {
			if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && x >= 0 && x <= 1 {
				q = x
			}
		}
	}
	return strings.ToLower(strings.TrimSpace(fields[0])), q
}

// requestLang is lang when given, else the one of zh and en the
// Accept-Language header prefers, else zh, the county's language and the
// exports' default.
func requestLang(lang, acceptLanguage string) (string, error) {
	if lang != "" {
		if !slices.Contains(export.Langs, lang) {
			return "", errorf(http.StatusBadRequest, "lang: %q is none of %s", lang, strings.Join(export.Langs, ", "))
		}
		return lang, nil
	}
	best, out := 0.0, export.Langs[0]
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, q := mediaRange(part)
		primary, _, _ := strings.Cut(tag, "-")
		if slices.Contains(export.Langs, primary) && q > best {
			best, out = q, primary
		}
	}
	return out, nil
}

// write answers v as JSON (of media type typ) or page as HTML.
func (o *ogcReq) write(w http.ResponseWriter, typ string, v any, page func() *htmlPage) error {
	w.Header().Set("Content-Language", o.lang)
	w.Header().Set("Vary", "Accept, Accept-Language")
	if o.format == "html" {
		return writeHTML(w, page())
	}
	w.Header().Set("Cache-Control", "no-cache")
	if err := writeJSON(w, http.StatusOK, v); err != nil {
		return nil // client gone
	}
	return nil
}

// href is an absolute link to path with query q.
func (o *ogcReq) href(path string, q url.Values) string {
	if len(q) == 0 {
		return o.base + path
	}
	return o.base + path + "?" + q.Encode()
}

// with returns the request's query with f set and key=value pairs set
// (an empty value removes the key).
func (o *ogcReq) with(f string, kv ...string) url.Values {
	q := url.Values{}
	for k, v := range o.r.URL.Query() {
		q[k] = slices.Clone(v)
	}
	if f != "" {
		q.Set("f", f)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	return q
}

// as is the query of a link to another resource in format f ("": none), and
// the request's lang when it gave one (links keep the language asked).
func (o *ogcReq) as(f string) url.Values {
	q := url.Values{}
	if f != "" {
		q.Set("f", f)
	}
	if l := o.r.URL.Query().Get("lang"); l != "" {
		q.Set("lang", l)
	}
	return q
}

// selfLinks are a resource's self and alternate links: its JSON as typ and its HTML.
func (o *ogcReq) selfLinks(path, typ string) []link {
	self, alt := link{Rel: "self", Type: typ, Title: "JSON"}, link{Rel: "alternate", Type: htmlType, Title: "HTML"}
	if o.format == "html" {
		self, alt = link{Rel: "self", Type: htmlType, Title: "HTML"}, link{Rel: "alternate", Type: typ, Title: "JSON"}
	}
	self.Href, alt.Href = o.href(path, o.with(formatOf(self.Type))), o.href(path, o.with(formatOf(alt.Type)))
	return []link{self, alt}
}

func formatOf(typ string) string {
	if typ == htmlType {
		return "html"
	}
	return "json"
}

// checkQuery refuses a parameter none of known, naming it.
func checkQuery(q url.Values, path string, known []string) error {
	for k := range q {
		if !slices.Contains(known, k) {
			var names []string // once each: an analysis may take lang too
			for _, n := range known {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
			return errorf(http.StatusBadRequest, "unknown parameter %q for %s (known: %s)", k, path, strings.Join(names, ", "))
		}
	}
	return nil
}

var ogcTitle = coverage.Title{Zh: "消防规划 fireplan", En: "fireplan fire-safety planning"}

func (s *Server) ogcLanding(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshot()
	if err != nil {
		return err
	}
	desc := coverage.Title{Zh: "全部基础图层和分析,按 OGC API - Features 提供", En: "every base layer and analysis, served as OGC API - Features"}
	if c := coverage.County(snap); c != "" {
		desc.Zh, desc.En = c+":"+desc.Zh, c+": "+desc.En
	}
	links := append(o.selfLinks("/ogc", jsonType),
		link{Rel: "service-desc", Type: oasType, Title: "OpenAPI 3.0", Href: o.href("/ogc/api", o.as("json"))},
		link{Rel: "service-doc", Type: htmlType, Title: "OpenAPI 3.0 (HTML)", Href: o.href("/ogc/api", o.as("html"))},
		link{Rel: "conformance", Type: jsonType, Title: "conformance", Href: o.href("/ogc/conformance", o.as("json"))},
		link{Rel: "data", Type: jsonType, Title: "collections", Href: o.href("/ogc/collections", o.as("json"))},
	)
	body := map[string]any{"title": ogcTitle.In(o.lang), "description": desc.In(o.lang), "links": links}
	return o.write(w, jsonType, body, func() *htmlPage {
		return &htmlPage{Lang: o.lang, Title: ogcTitle, Description: desc.In(o.lang), Links: links}
	})
}

func (s *Server) ogcConformance(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	return o.write(w, jsonType, map[string]any{"conformsTo": ogcConformance}, func() *htmlPage {
		p := &htmlPage{Lang: o.lang, Title: coverage.Title{Zh: "一致性类", En: "conformance classes"}, Links: o.selfLinks("/ogc/conformance", jsonType),
			Head: []string{"conformsTo"}}
		for _, c := range ogcConformance {
			p.Rows = append(p.Rows, []cell{{Text: c, Href: c}})
		}
		return p
	})
}

// collection is one collection's description.
type collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Extent      *extent  `json:"extent,omitempty"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Links       []link   `json:"links"`
}

type extent struct {
	Spatial struct {
		BBox [][]float64 `json:"bbox"`
		CRS  string      `json:"crs"`
	} `json:"spatial"`
}

// extentOf is where an entry's features lie: a layer's own bound, an
// analysis' the bound of its features at the defaults (the table the
// items serve, cached), not the county's; nil for a table without
// geometry or no feature.
func (s *Server) extentOf(ctx context.Context, e *coverage.Entry, snap *data.Snapshot) (*extent, error) {
	if e.Geometry == "" {
		return nil, nil
	}
	var b orb.Bound
	if v, ok := snap.Layer(e.Layer); ok && e.Layer != "" {
		if v.Len() == 0 {
			return nil, nil
		}
		b = v.Bound()
	} else {
		f, err := s.factsOf(ctx, e, snap)
		if err != nil {
			return nil, err
		}
		sh := f.shape
		if sh.Empty {
			return nil, nil
		}
		b = sh.Bound
	}
	x := &extent{}
	x.Spatial.BBox = [][]float64{{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}
	x.Spatial.CRS = crs84
	return x, nil
}

func (s *Server) collectionOf(o *ogcReq, e *coverage.Entry, snap *data.Snapshot) (collection, error) {
	path := "/ogc/collections/" + e.Name
	x, err := s.extentOf(o.r.Context(), e, snap)
	if err != nil {
		return collection{}, err
	}
	c := collection{ID: e.Name, Title: e.Title.In(o.lang), Description: e.Description.In(o.lang), Extent: x,
		ItemType: "feature", CRS: []string{crs84}}
	c.Links = []link{
		{Href: o.href(path, o.as("json")), Rel: "self", Type: jsonType, Title: c.Title},
		{Href: o.href(path, o.as("html")), Rel: "alternate", Type: htmlType, Title: c.Title},
		// No query: GDAL appends /{featureId} to this link as it is
		// (items?f=json/hy00004), and a client asking for GeoJSON gets it.
		{Href: o.href(path+"/items", nil), Rel: "items", Type: geoJSONType, Title: c.Title},
		{Href: o.href(path+"/items", o.as("html")), Rel: "items", Type: htmlType, Title: c.Title},
		// The columns' types, so that a client types a column from its
		// declaration, not from a first page that may hold only nulls.
		// GDAL up to 3.6 reads the rel as describedBy.
		{Href: o.href(path+"/schema", o.as("")), Rel: "describedby", Type: schemaType, Title: c.Title},
		{Href: o.href(path+"/schema", o.as("")), Rel: "describedBy", Type: schemaType, Title: c.Title},
	}
	return c, nil
}

// ordered is a JSON object keeping its members' order: a schema's
// columns in the order the entry declares them, which clients keep.
type ordered []member

type member struct {
	key   string
	value any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ogcSchema is the JSON Schema of a collection's features: a GeoJSON
// feature whose properties are the columns the entry declares, typed.
func (s *Server) ogcSchema(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	e, snap, columns, err := s.collectionAt(r)
	if err != nil {
		return err
	}
	var props ordered
	for _, c := range columns {
		if c.Name == "id" {
			continue // the feature's id, which clients read from the sample (GDAL would read it twice)
		}
		p := map[string]any{"type": c.Type, "title": c.Title.In(o.lang)}
		if len(c.Values) > 0 {
			codes := make([]string, 0, len(c.Values))
			for k := range c.Values {
				codes = append(codes, k)
			}
			sort.Strings(codes)
			p["enum"] = codes
		}
		props = append(props, member{c.Name, p})
	}
	geom := map[string]any{"type": "null"}
	if e.Geometry != "" {
		// The type of the features served at the defaults, not the
		// entry's declared one (a gap is a street or a building), as
		// OGC API - Features Part 5 writes a geometry's type.
		f, err := s.factsOf(r.Context(), e, snap)
		if err != nil {
			return err
		}
		typ := f.shape.Type
		geom = map[string]any{"x-ogc-role": "primary-geometry", "format": geometryFormat(typ), "title": cmp.Or(typ, "Geometry")}
	}
	doc := map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     o.href(r.URL.Path, nil),
		"title":   e.Title.In(o.lang), "description": e.Description.In(o.lang),
		"type": "object",
		"properties": map[string]any{
			"type":       map[string]any{"type": "string", "enum": []string{"Feature"}},
			"id":         map[string]any{"type": "string"},
			"geometry":   geom,
			"properties": map[string]any{"type": "object", "properties": props},
		},
	}
	w.Header().Set("Content-Language", o.lang)
	w.Header().Set("Content-Type", schemaType)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(doc)
	return nil
}

func (s *Server) ogcCollections(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshot()
	if err != nil {
		return err
	}
	cs := make([]collection, 0, len(s.cat.Entries))
	for _, e := range s.cat.Entries {
		c, err := s.collectionOf(o, e, snap)
		if err != nil {
			return err
		}
		cs = append(cs, c)
	}
	links := o.selfLinks("/ogc/collections", jsonType)
	return o.write(w, jsonType, map[string]any{"links": links, "collections": cs}, func() *htmlPage {
		p := &htmlPage{Lang: o.lang, Title: coverage.Title{Zh: "集合", En: "collections"}, Links: links,
			Head: []string{"id", title("标题", "title", o.lang), title("说明", "description", o.lang)}}
		for _, c := range cs {
			p.Rows = append(p.Rows, []cell{{Text: c.ID, Href: c.Links[1].Href}, {Text: c.Title}, {Text: c.Description}})
		}
		return p
	})
}

func title(zh, en, lang string) string { return coverage.Title{Zh: zh, En: en}.In(lang) }

// entryOf is the collection the path names.
// collectionAt returns the collection the request names, the data served
// and the columns its features carry in that data.
func (s *Server) collectionAt(r *http.Request) (*coverage.Entry, *data.Snapshot, []coverage.Column, error) {
	e, err := s.entryOf(r)
	if err != nil {
		return nil, nil, nil, err
	}
	snap, err := s.snapshot()
	if err != nil {
		return nil, nil, nil, err
	}
	columns, err := s.ogcColumns(r.Context(), e, snap)
	return e, snap, columns, err
}

func (s *Server) entryOf(r *http.Request) (*coverage.Entry, error) {
	name := mux.Vars(r)["name"]
	e, ok := s.cat.Entry(name)
	if !ok {
		names := make([]string, len(s.cat.Entries))
		for i, e := range s.cat.Entries {
			names[i] = e.Name
		}
		return nil, errorf(http.StatusNotFound, "no collection %q (collections: %s)", name, strings.Join(names, ", "))
	}
	return e, nil
}

func (s *Server) ogcCollection(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	e, snap, columns, err := s.collectionAt(r)
	if err != nil {
		return err
	}
	c, err := s.collectionOf(o, e, snap)
	if err != nil {
		return err
	}
	c.Links = append(o.selfLinks("/ogc/collections/"+e.Name, jsonType), c.Links[2:]...)
	return o.write(w, jsonType, c, func() *htmlPage {
		p := &htmlPage{Lang: o.lang, Title: e.Title, Description: c.Description, Links: c.Links,
			Head: []string{title("列", "column", o.lang), title("类型", "type", o.lang), title("含义", "meaning", o.lang)}}
		for _, col := range columns {
			p.Rows = append(p.Rows, []cell{{Text: col.Name}, {Text: col.Type}, {Text: col.Title.In(o.lang)}})
		}
		for _, prm := range e.Params {
			p.Params = append(p.Params, []cell{{Text: prm.Name}, {Text: prm.Kind.String()}, {Text: prm.Default}, {Text: rangeOf(prm)}, {Text: prm.Title.In(o.lang)}})
		}
		return p
	})
}

// ogcFacts are what /ogc says of a collection that its data alone decides:
// its columns as served at the defaults and its features' geometry type
// and bound. Each reads every feature, so they are read once per version
// of the collection's data, not at every listing, schema or page.
type ogcFacts struct {
	columns []coverage.Column
	shape   featShape
}

func (s *Server) factsOf(ctx context.Context, e *coverage.Entry, snap *data.Snapshot) (*ogcFacts, error) {
	key := "ogcfacts|" + e.Name + "|" + tileVersion(e, snap)
	v, err := s.cat.Cache.Get(ctx, "ogcfacts", key, func(ctx context.Context) (any, int64, error) {
		f, err := s.defaults(ctx, e, snap)
		if err != nil {
			return nil, 0, err
		}
		return &ogcFacts{columns: servedColumns(e, f), shape: featureShape(f)}, 4096, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*ogcFacts), nil
}

// ogcColumns are the columns of an entry's features as served at its
// defaults (see servedColumns).
func (s *Server) ogcColumns(ctx context.Context, e *coverage.Entry, snap *data.Snapshot) ([]coverage.Column, error) {
	f, err := s.factsOf(ctx, e, snap)
	if err != nil {
		return nil, err
	}
	return f.columns, nil
}

// servedColumns are an analysis' table's columns, which add columns its
// parameters name (covered_8min, clusters_30-49) to those the entry
// declares. A column's labelled codes are an enumeration only when every
// value served is one of them: hydrant_gaps' detail labels a spacing row's
// codes but holds a building's id in a building row, and is then free text.
func servedColumns(e *coverage.Entry, f *features) []coverage.Column {
	cols := slices.Clone(e.Columns)
	if f.t != nil {
		cols = slices.Clone(f.t.Columns)
	}
	for k, c := range cols {
		if len(c.Values) == 0 {
			continue
		}
		for i := range f.len() {
			v := f.value(i, c.Name)
			if v == nil {
				continue
			}
			if _, ok := c.Values[fmt.Sprint(v)]; !ok {
				cols[k].Values = nil
				break
			}
		}
	}
	return cols
}

// filters are the columns a query may filter on: every column but those
// an own or an item parameter of the entry names (the parameter wins).
func filters(e *coverage.Entry, columns []coverage.Column, common []coverage.Param) []coverage.Column {
	var out []coverage.Column
	for _, c := range columns {
		_, own := e.Param(c.Name)
		if own || slices.ContainsFunc(common, func(p coverage.Param) bool { return p.Name == c.Name }) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// features are one collection's features on a snapshot: a layer's items
// or an analysis' rows, at the query's parameters.
type features struct {
	e      *coverage.Entry
	v      data.View       // a base layer's
	t      *coverage.Table // an analysis'
	values coverage.Values
}

// featuresOf checks q against the entry's parameters and the names in
// common and filter columns, then reads or computes its features.
func (s *Server) featuresOf(ctx context.Context, e *coverage.Entry, snap *data.Snapshot, q url.Values, common []coverage.Param, cols []coverage.Column) (*features, error) {
	extra := make([]string, 0, len(common)+len(cols))
	for _, p := range common {
		extra = append(extra, p.Name)
	}
	for _, c := range cols {
		extra = append(extra, c.Name)
	}
	// Another entry's parameters are ignored (a connection's query is
	// sent to every collection); the entry's own are parsed.
	extra = append(extra, s.analysisParams()...)
	v, err := e.Parse(q, extra...)
	if err != nil {
		return nil, err
	}
	f := &features{e: e, values: v}
	if !e.Analysis() {
		f.v, _ = snap.Layer(e.Layer)
		return f, nil
	}
	f.t, err = s.cat.Table(ctx, e, snap, v)
	return f, err
}

// value is column col of feature i.
func (f *features) value(i int, col string) any {
	if f.t != nil {
		if k := f.t.Column(col); k >= 0 {
			return f.t.Value(i, k)
		}
		return nil
	}
	it := f.v.Feature(i)
	if col == "id" {
		return it.FeatureID()
	}
	return it.Properties()[col]
}

// columns are the features' columns: an analysis' table's, a layer's entry's.
func (f *features) columns() []coverage.Column {
	if f.t != nil {
		return f.t.Columns
	}
	return f.e.Columns
}

func (f *features) len() int {
	if f.t != nil {
		return f.t.Len()
	}
	return f.v.Len()
}

func (f *features) id(i int) string {
	if f.t != nil {
		return f.t.ID(i)
	}
	return f.v.Feature(i).FeatureID()
}

// feature is feature i as GeoJSON, as /api gives it, with only the
// columns cols when not nil (a layer's item keeps its id).
func (f *features) feature(i int, cols []string) *geojson.Feature {
	var gf *geojson.Feature
	if f.t != nil {
		gf = export.Feature(f.t, i)
	} else {
		gf = layerFeature(f.v.Feature(i))
	}
	if cols != nil {
		for k := range gf.Properties {
			if !slices.Contains(cols, k) && (f.t != nil || k != "id") {
				delete(gf.Properties, k)
			}
		}
	}
	return gf
}

// match tells whether value v of column c is the query's text: numbers
// compare as numbers, booleans as true or false, anything else (an
// enumeration's code, an id) as written. A null matches nothing.
func match(c coverage.Column, v any, want string) (bool, error) {
	num := func() (float64, error) {
		x, err := strconv.ParseFloat(strings.TrimSpace(want), 64)
		if err != nil {
			return 0, errorf(http.StatusBadRequest, "%s: %q is not a number", c.Name, want)
		}
		return x, nil
	}
	switch c.Type {
	case "integer", "number":
		x, err := num()
		if err != nil {
			return false, err
		}
		switch v := v.(type) {
		case int:
			return float64(v) == x, nil
		case int64:
			return float64(v) == x, nil
		case float64:
			return v == x, nil
		}
		return false, nil
	case "boolean":
		b, err := strconv.ParseBool(want)
		if err != nil {
			return false, errorf(http.StatusBadRequest, "%s: %q is not true or false", c.Name, want)
		}
		vb, ok := v.(bool)
		return ok && vb == b, nil
	}
	if len(c.Values) > 0 {
		if _, ok := c.Values[want]; !ok {
			codes := make([]string, 0, len(c.Values))
			for k := range c.Values {
				codes = append(codes, k)
			}
			sort.Strings(codes)
			return false, errorf(http.StatusBadRequest, "%s: %q is none of %s", c.Name, want, strings.Join(codes, ", "))
		}
	}
	if v == nil {
		return false, nil
	}
	return fmt.Sprint(v) == want, nil
}

// filter keeps the hits whose columns match every filter the query gives
// (a repeated filter matches any of its values).
func filter[T int | int32](f *features, q url.Values, cols []coverage.Column, hits []T) ([]T, error) {
	for _, c := range cols {
		wants, ok := q[c.Name]
		if !ok {
			continue
		}
		for _, want := range wants { // check every value before any row
			if _, err := match(c, nil, want); err != nil {
				return nil, err
			}
		}
		kept := hits[:0:0]
		for _, i := range hits {
			v := f.value(int(i), c.Name)
			for _, want := range wants {
				if ok, _ := match(c, v, want); ok {
					kept = append(kept, i)
					break
				}
			}
		}
		hits = kept
	}
	return hits, nil
}

// chosen reads properties=: nil for every column.
func chosen(e *coverage.Entry, columns []coverage.Column, q url.Values) ([]string, error) {
	if !q.Has("properties") {
		return nil, nil
	}
	cols := []string{}
	for _, n := range strings.Split(q.Get("properties"), ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.ContainsFunc(columns, func(c coverage.Column) bool { return c.Name == n }) {
			names := make([]string, len(columns))
			for i, c := range columns {
				names[i] = c.Name
			}
			return nil, errorf(http.StatusBadRequest, "properties: %s has no column %q (columns: %s)", e.Name, n, strings.Join(names, ", "))
		}
		cols = append(cols, n)
	}
	return cols, nil
}

func (s *Server) ogcItems(w http.ResponseWriter, r *http.Request) error {
	e, _, columns, err := s.collectionAt(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	common := s.ogcItemParams()
	cols := filters(e, columns, common)
	// Every parameter is checked before anything is computed.
	if err := checkQuery(q, r.URL.Path, append(itemsKnown(e, common, cols), s.analysisParams()...)); err != nil {
		return err
	}
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	if q, err = s.capLimit(q); err != nil {
		return err
	}
	q = bbox2D(q)
	props, err := chosen(e, columns, q)
	if err != nil {
		return err
	}
	if _, err := window(s, q, []int{}, false); err != nil {
		return err
	}
	snap, err := s.snapshotFor(r)
	if err != nil {
		return err
	}
	f, err := s.featuresOf(r.Context(), e, snap, q, common, cols)
	if err != nil {
		return err
	}
	var page []int
	matched := 0
	if f.t != nil {
		hits, err := tableHits(q, e, f.t)
		if err != nil {
			return err
		}
		if hits, err = filter(f, q, cols, hits); err != nil {
			return err
		}
		matched = len(hits)
		if page, err = window(s, q, hits, false); err != nil {
			return err
		}
	} else {
		hits, err := layerHits(q, f.v)
		if err != nil {
			return err
		}
		if hits, err = filter(f, q, cols, hits); err != nil {
			return err
		}
		matched = len(hits)
		p, err := window(s, q, hits, false)
		if err != nil {
			return err
		}
		page = make([]int, len(p))
		for n, i := range p {
			page[n] = int(i)
		}
	}
	offset, _ := intParam(q, "offset", 0, 1<<30)
	limit, _ := intParam(q, "limit", s.opts.DefaultItems, s.opts.MaxItems)
	path := r.URL.Path
	links := append(o.selfLinks(path, geoJSONType),
		link{Rel: "collection", Type: jsonType, Title: e.Title.In(o.lang), Href: o.href("/ogc/collections/"+e.Name, o.as("json"))})
	format := formatOf(links[0].Type)
	if offset+len(page) < matched && len(page) > 0 {
		links = append(links, link{Rel: "next", Type: links[0].Type, Title: title("下一页", "next page", o.lang),
			Href: o.href(path, o.with(format, "offset", strconv.Itoa(offset+len(page)), "limit", strconv.Itoa(limit)))})
	}
	if offset > 0 {
		links = append(links, link{Rel: "prev", Type: links[0].Type, Title: title("上一页", "previous page", o.lang),
			// Past the end, the last page of limit features.
			Href: o.href(path, o.with(format, "offset", strconv.Itoa(max(0, min(offset, matched)-limit)), "limit", strconv.Itoa(limit)))})
	}
	w.Header().Set("Content-Language", o.lang)
	w.Header().Set("Vary", "Accept, Accept-Language")
	w.Header().Set("Cache-Control", "no-cache")
	if o.format == "html" {
		return writeHTML(w, itemsPage(o, e, columns, f, page, props, links, matched))
	}
	extra := map[string]any{"numberMatched": matched, "numberReturned": len(page), "links": links,
		"timeStamp": time.Now().UTC().Format(time.RFC3339)}
	return writeOGCFeatures(w, f, page, props, extra)
}

// capLimit caps a limit over the server's maximum at the maximum, as OGC
// API - Features has a server do (GDAL asks PAGE_SIZE=20000 as it
// likes); a limit that is no whole number from 0 is still a 400.
func (s *Server) capLimit(q url.Values) (url.Values, error) {
	v := q.Get("limit")
	if v == "" {
		return q, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(strings.TrimSpace(v), "-") {
		n, err = s.opts.MaxItems+1, nil // a huge number is over the maximum too
	}
	if err != nil || n < 0 {
		return nil, errorf(http.StatusBadRequest, "limit must be an integer from 0 (at most %d are returned)", s.opts.MaxItems)
	}
	if n > s.opts.MaxItems {
		q = maps.Clone(q)
		q["limit"] = []string{strconv.Itoa(s.opts.MaxItems)}
	}
	return q, nil
}

// bbox2D drops the heights of a 6-number bbox (minLon,minLat,minH,
// maxLon,maxLat,maxH), which OGC API - Features allows: the data are 2D.
func bbox2D(q url.Values) url.Values {
	parts := strings.Split(q.Get("bbox"), ",")
	if len(parts) != 6 {
		return q
	}
	q = maps.Clone(q)
	q["bbox"] = []string{strings.Join([]string{parts[0], parts[1], parts[3], parts[4]}, ",")}
	return q
}

// itemsKnown are the parameters a collection's items take.
func itemsKnown(e *coverage.Entry, common []coverage.Param, cols []coverage.Column) []string {
	var known []string
	for _, p := range common {
		known = append(known, p.Name)
	}
	for _, p := range e.Params {
		known = append(known, p.Name)
	}
	for _, c := range cols {
		known = append(known, c.Name)
	}
	return known
}

// writeOGCFeatures writes the page as /api does: a table's rows through
// the export's GeoJSON, a layer's items through writeFeatures; with
// properties=, the rows keep only the columns chosen.
func writeOGCFeatures(w http.ResponseWriter, f *features, page []int, props []string, extra map[string]any) error {
	if f.t == nil {
		idx := make([]int32, len(page))
		for n, i := range page {
			idx[n] = int32(i)
		}
		feature := f.v.Feature
		if props != nil {
			feature = func(i int) data.Feature { return chosenFeature{f.v.Feature(i), props} }
		}
		return writeFeatures(w, idx, feature, extra)
	}
	t := f.t
	if props != nil {
		t, page = projectRows(t, page, props)
	}
	w.Header().Set("Content-Type", geoJSONType)
	sw := &startedWriter{w: w}
	if err := export.GeoJSON(sw, t, page, extra); err != nil && !sw.started {
		return err
	}
	return nil
}

// chosenFeature is a layer's item with only some of its attributes.
type chosenFeature struct {
	data.Feature
	cols []string
}

func (c chosenFeature) Properties() data.Values {
	all, out := c.Feature.Properties(), data.Values{}
	for _, k := range c.cols {
		if v, ok := all[k]; ok {
			out[k] = v
		}
	}
	return out
}

// projectRows is the rows of t in page with only the columns cols.
func projectRows(t *coverage.Table, page []int, cols []string) (*coverage.Table, []int) {
	out := &coverage.Table{Proj: t.Proj, Meta: t.Meta}
	var ks []int
	for _, n := range cols {
		if k := t.Column(n); k >= 0 {
			ks = append(ks, k)
			out.Columns = append(out.Columns, t.Columns[k])
		}
	}
	rows := make([]int, len(page))
	for n, i := range page {
		row := make([]any, len(ks))
		for j, k := range ks {
			row[j] = t.Value(i, k)
		}
		out.Add(t.ID(i), t.Geom(i), row...)
		rows[n] = n
	}
	return out, rows
}

func (s *Server) ogcFeature(w http.ResponseWriter, r *http.Request) error {
	e, err := s.entryOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := checkQuery(q, r.URL.Path, append(itemsKnown(e, ogcFeatureParams, nil), s.analysisParams()...)); err != nil {
		return err
	}
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshotFor(r)
	if err != nil {
		return err
	}
	f, err := s.featuresOf(r.Context(), e, snap, q, ogcFeatureParams, nil)
	if err != nil {
		return err
	}
	fid := mux.Vars(r)["featureId"]
	at := -1
	for i := range f.len() {
		if f.id(i) == fid {
			at = i
			break
		}
	}
	if at < 0 {
		return errorf(http.StatusNotFound, "no feature %q in %s", fid, e.Name)
	}
	gf := f.feature(at, nil)
	links := append(o.selfLinks(r.URL.Path, geoJSONType),
		link{Rel: "collection", Type: jsonType, Title: e.Title.In(o.lang), Href: o.href("/ogc/collections/"+e.Name, o.as("json"))})
	gf.ExtraMembers = geojson.Properties{"links": links}
	w.Header().Set("Content-Language", o.lang)
	w.Header().Set("Vary", "Accept, Accept-Language")
	if o.format == "html" {
		return writeHTML(w, itemsPage(o, e, f.columns(), f, []int{at}, nil, links, 1))
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Type", geoJSONType)
	b, err := gf.MarshalJSON()
	if err != nil {
		return err
	}
	w.Write(append(b, '\n'))
	return nil
}

// itemsPage is a page of features as an HTML table: id, then the columns.
func itemsPage(o *ogcReq, e *coverage.Entry, columns []coverage.Column, f *features, page []int, props []string, links []link, matched int) *htmlPage {
	p := &htmlPage{Lang: o.lang, Title: e.Title, Description: e.Description.In(o.lang), Links: links,
		Count: fmt.Sprintf("%d / %d", len(page), matched)}
	p.Head = []string{"id"}
	var cols []coverage.Column
	for _, c := range columns {
		if c.Name != "id" && (props == nil || slices.Contains(props, c.Name)) {
			cols = append(cols, c)
			p.Head = append(p.Head, c.Title.In(o.lang))
		}
	}
	for _, i := range page {
		id := f.id(i)
		row := []cell{{Text: id, Href: o.href("/ogc/collections/"+e.Name+"/items/"+url.PathEscape(id), o.as("html"))}}
		for _, c := range cols {
			v := f.value(i, c.Name)
			if l, ok := c.Values[fmt.Sprint(v)]; ok {
				v = l.In(o.lang)
			}
			if v == nil {
				v = ""
			}
			row = append(row, cell{Text: fmt.Sprint(v)})
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

//go:embed ogc.html
var ogcHTML string

var ogcTemplate = template.Must(template.New("ogc").Parse(ogcHTML))

// htmlPage is what the HTML of every OGC resource shows: its title in
// both languages, its links, and a table.
type htmlPage struct {
	Lang        string
	Title       coverage.Title
	Description string
	Links       []link
	Count       string
	Head        []string
	Rows        [][]cell
	Params      [][]cell // an analysis' parameters
}

// cell is a table cell, a link when Href is set.
type cell struct{ Text, Href string }

// Heading is the title in the page's language, then in the other.
func (p *htmlPage) Heading() (string, string) {
	other := "en"
	if p.Lang == "en" {
		other = "zh"
	}
	return p.Title.In(p.Lang), p.Title.In(other)
}

func writeHTML(w http.ResponseWriter, p *htmlPage) error {
	var b bytes.Buffer
	if err := ogcTemplate.Execute(&b, p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return nil
}

// featShape is what a collection's features at its defaults are: their
// geometry type and bound (empty: no feature has a geometry).
type featShape struct {
	Type  string // a GeoJSON type, or "" for any (mixed dimensions) or none
	Bound orb.Bound
	Empty bool
}

// defaults are the entry's features at its default parameters on snap.
func (s *Server) defaults(ctx context.Context, e *coverage.Entry, snap *data.Snapshot) (*features, error) {
	return s.featuresOf(ctx, e, snap, url.Values{}, nil, nil)
}

// featureShape reads the geometry types and the bound of every feature of f:
// one type is that type; a type and its multi (Polygon and MultiPolygon)
// the multi; types of mixed dimensions "" (any geometry).
func featureShape(f *features) featShape {
	sh := featShape{Empty: true}
	types := map[string]bool{}
	for i := range f.len() {
		var g orb.Geometry
		if f.t != nil {
			if f.t.Geom(i) == nil {
				continue
			}
			g = f.t.LonLat(i)
		} else {
			g = f.v.Feature(i).Geometry()
		}
		if g == nil {
			continue
		}
		types[g.GeoJSONType()] = true
		if sh.Empty {
			sh.Bound, sh.Empty = g.Bound(), false
		} else {
			sh.Bound = sh.Bound.Union(g.Bound())
		}
	}
	sh.Type = mergeTypes(types)
	return sh
}

// mergeTypes is the one GeoJSON type every one of types is: itself, or
// the multi of a single and its multi; "" when none is.
func mergeTypes(types map[string]bool) string {
	if len(types) == 1 {
		for t := range types {
			return t
		}
	}
	for _, base := range []string{"Point", "LineString", "Polygon"} {
		if len(types) == 2 && types[base] && types["Multi"+base] {
			return "Multi" + base
		}
	}
	return ""
}

// allows tells whether a collection declaring geometry type declared
// holds a feature of geometry type got ("" declares any).
func allows(declared, got string) bool {
	return declared == "" || declared == got
}

// geometryFormat is the OGC API - Features Part 5 format of a geometry
// type: geometry-point..., geometry-any for "".
func geometryFormat(typ string) string {
	if typ == "" {
		return "geometry-any"
	}
	return "geometry-" + strings.ToLower(typ)
}
