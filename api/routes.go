package api

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fireplan/coverage"
	"fireplan/coverage/export"
	"fireplan/coverage/scenario"
)

// Route is one HTTP route: its methods, path, what it answers and the
// query parameters it takes. The router is built from the routes, a query
// naming a parameter a route does not take is refused against them, and
// the README's parameter table is written from them, so the three cannot
// drift apart.
type Route struct {
	Methods []string
	Path    string
	Title   coverage.Title
	Params  []coverage.Param
	// Layer: the route takes the parameters of the layer its path names
	// too, which its handler checks.
	Layer bool
	// Analyses: the route takes every parameter some catalogue entry
	// declares too, and ignores those its answer does not depend on.
	// GDAL and QGIS send a connection URL's query (OAPIF:…/ogc?minutes=8)
	// with every request, so that the analyses read at those parameters.
	Analyses bool
	// Body is the largest request body the route reads, in bytes; a body
	// declared larger is refused (413) before it is read, and one growing
	// larger while read fails with a 413 too. 0: the route reads none
	// (a body sent anyway is left unread, as before).
	Body int64
	h    handlerFunc
}

var (
	reads  = []string{http.MethodGet, http.MethodHead}
	writes = []string{http.MethodPost}
)

// The parameters routes share.
var (
	bboxParam = coverage.Param{Name: "bbox", Kind: coverage.Text,
		Title: coverage.Title{Zh: "范围:最小经度,最小纬度,最大经度,最大纬度", En: "minLon,minLat,maxLon,maxLat"}}
	offsetParam = coverage.Param{Name: "offset", Kind: coverage.Int, Default: "0", Min: 0, Max: 1 << 30,
		Title: coverage.Title{Zh: "跳过的行数", En: "rows to skip"}}
	scenarioParam = coverage.Param{Name: "scenario", Kind: coverage.Text,
		Title: coverage.Title{Zh: "方案编号(在该方案上计算)", En: "scenario id: answer on the scenario"}}
)

// listParamDocs declares the parameters every analysis route takes beside
// its own (listParams names them).
func (s *Server) listParamDocs() map[string]coverage.Param {
	return map[string]coverage.Param{
		"format": {Name: "format", Kind: coverage.Enum, Enum: []string{"json", "geojson", "csv", "xlsx"},
			Title: coverage.Title{Zh: "格式(默认:有图形为geojson,否则json)", En: "format (default geojson with shapes, json without)"}},
		"bbox": bboxParam,
		"township": {Name: "township", Kind: coverage.Text,
			Title: coverage.Title{Zh: "乡镇编号:只列该乡镇的行", En: "township id: only its rows"}},
		"limit":    s.limitParam(""),
		"offset":   offsetParam,
		"scenario": scenarioParam,
		"lang":     langParam,
		"by": {Name: "by", Kind: coverage.Enum, Enum: []string{export.ByTownship},
			Title: coverage.Title{Zh: "Excel按乡镇分表(format=xlsx)", En: "one Excel sheet per township (format=xlsx)"}},
	}
}

var langParam = coverage.Param{Name: "lang", Kind: coverage.Enum, Enum: export.Langs, Default: export.Langs[0],
	Title: coverage.Title{Zh: "表头和代码的语言(CSV、Excel)", En: "language of headers and labels (CSV, Excel)"}}

// limitParam is limit with its default; without one, every row.
func (s *Server) limitParam(def string) coverage.Param {
	t := coverage.Title{Zh: "最多返回行数(默认全部)", En: "most rows returned (default: all)"}
	if def != "" {
		t = coverage.Title{Zh: "最多返回行数", En: "most rows returned"}
	}
	return coverage.Param{Name: "limit", Kind: coverage.Int, Default: def, Min: 0, Max: float64(s.opts.MaxItems), Title: t}
}

// Routes returns every route the server answers, in the order matched.
func (s *Server) Routes() []Route {
	t := func(zh, en string) coverage.Title { return coverage.Title{Zh: zh, En: en} }
	rs := []Route{
		{Methods: reads, Path: "/healthz", Title: t("服务状态、数据版本和载入时间", "status, data version and load time"), h: s.healthz},
		{Methods: reads, Path: "/api/status", Title: t("数据版本、来源、最近一次重新载入及其错误、缓存和计算队列", "data version, source, the last reload and its error, cache and analyses queued"), h: s.status},
		{Methods: writes, Path: "/api/reload", Title: t("立即重新载入数据", "reload the data now"), h: s.reload},
		{Methods: reads, Path: "/api/layers", Title: t("各图层要素数、范围和跳过的行", "layers: counts, extents and rows skipped"), h: s.layers},
		{Methods: reads, Path: "/api/report", Title: t("载入时跳过的每一行及原因", "every row skipped at load, with its reason"), h: s.report},
		{Methods: reads, Path: "/api/layers/{name}/items", Title: t("一个图层的要素(GeoJSON)", "a layer's features (GeoJSON)"),
			Params: []coverage.Param{bboxParam, s.limitParam(strconv.Itoa(s.opts.DefaultItems)), offsetParam, scenarioParam,
				{Name: "format", Kind: coverage.Enum, Enum: export.Formats, Default: "geojson", Title: coverage.Title{Zh: "格式", En: "format"}},
				langParam}, h: s.items},
		{Methods: reads, Path: "/api/catalog", Title: t("全部图层和分析及其参数和列", "every layer and analysis with its parameters and columns"), h: s.catalog},
	}
	docs := s.listParamDocs()
	for _, e := range s.cat.Entries {
		if !e.Analysis() {
			continue
		}
		ps := slices.Clone(e.Params)
		for _, n := range listParams {
			if _, own := e.Param(n); own { // coverage_summary's by, district_plans' lang
				continue
			}
			if (n == "by" || n == "township") && export.Check(e, "xlsx", export.Options{By: export.ByTownship}) != nil {
				continue // rows not placed in townships
			}
			if n == "bbox" && e.Geometry == "" {
				continue // a plain table: nothing to place in a box
			}
			ps = append(ps, docs[n])
		}
		rs = append(rs, Route{Methods: reads, Path: e.Path, Title: e.Title, Params: ps, h: s.analysis(e)})
	}
	rs = append(rs,
		Route{Methods: reads, Path: "/api/districts/{id}", Title: t("一个老旧小区的整改计划", "one old district's plan"),
			Params: s.paramsOf([]coverage.Param{{Name: "format", Kind: coverage.Enum, Enum: []string{"json", "xlsx"}, Default: "json",
				Title: t("格式", "format")}, scenarioParam}, "district_plans"), h: s.district},
		Route{Methods: writes, Path: "/api/scenarios", Title: t("新建方案(请求体为变更)", "create a scenario (the body holds its changes)"),
			Body: scenario.MaxBytes, h: s.postScenario},
		Route{Methods: reads, Path: "/api/scenarios", Title: t("全部方案", "every scenario"), h: s.listScenarios},
		Route{Methods: writes, Path: "/api/scenarios/from-proposals", Title: t("由选址建议新建方案", "a scenario from an analysis' proposals"),
			Params: s.paramsOf([]coverage.Param{{Name: "analysis", Kind: coverage.Enum, Enum: []string{"stations", "hydrants"},
				Title: t("建议来源", "whose proposals")}}, "station_siting", "hydrant_proposals"), h: s.scenarioFromProposals},
		Route{Methods: reads, Path: "/api/scenarios/{id}", Title: t("一个方案", "one scenario"), h: s.getScenario},
		Route{Methods: []string{http.MethodDelete}, Path: "/api/scenarios/{id}", Title: t("删除方案", "delete a scenario"), h: s.deleteScenario},
		Route{Methods: reads, Path: "/api/scenarios/{id}/diff", Title: t("方案与现状的差别", "what a scenario changes"),
			Params: s.paramsOf(nil, "coverage_summary", "hydrant_gaps"), h: s.scenarioDiff},
		Route{Methods: reads, Path: "/tiles", Title: t("全部切片图层", "every tile layer"), h: s.tileIndex},
		Route{Methods: reads, Path: "/tiles/{layer}.json", Title: t("切片图层的TileJSON", "a tile layer's TileJSON"),
			Params: []coverage.Param{scenarioParam}, Layer: true, h: s.tileJSON},
		Route{Methods: reads, Path: "/tiles/{layer}/{z}/{x}/{y}.mvt", Title: t("矢量切片", "a vector tile"),
			Params: []coverage.Param{scenarioParam}, Layer: true, h: s.tile},
	)
	return append(rs, s.ogcRoutes()...)
}

// paramsOf adds the parameters of the named entries to own, each name
// once: a route answering with those entries (its handler parses the
// query with them) takes theirs.
func (s *Server) paramsOf(own []coverage.Param, entries ...string) []coverage.Param {
	for _, name := range entries {
		e, _ := s.cat.Entry(name)
		for _, p := range e.Params {
			if !slices.ContainsFunc(own, func(q coverage.Param) bool { return q.Name == p.Name }) {
				own = append(own, p)
			}
		}
	}
	return own
}

// analysisParams are the names of every parameter some catalogue entry
// declares, in the catalogue's order.
func (s *Server) analysisParams() []string {
	var out []string
	for _, e := range s.cat.Entries {
		for _, p := range e.Params {
			if !slices.Contains(out, p.Name) {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

// checked refuses a query naming a parameter the route does not take, or
// one of its parameters twice, before the handler runs. A route taking its
// layer's parameters leaves unknown names to the handler, which knows the
// layer. A body over the route's limit is refused too.
func (s *Server) checked(rt Route) handlerFunc {
	rt.h = limitBody(rt.Body, rt.h)
	known := make([]string, 0, len(rt.Params))
	for _, p := range rt.Params {
		known = append(known, p.Name)
	}
	if rt.Analyses {
		for _, n := range s.analysisParams() {
			if !slices.Contains(known, n) {
				known = append(known, n)
			}
		}
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		if !rt.Layer {
			for k := range q {
				if !slices.Contains(known, k) {
					if len(known) == 0 {
						return errorf(http.StatusBadRequest, "unknown parameter %q: %s takes none", k, rt.Path)
					}
					return errorf(http.StatusBadRequest, "unknown parameter %q for %s (known: %s)", k, rt.Path, strings.Join(known, ", "))
				}
			}
		}
		// A parameter the route declares is given once; the layer's own
		// are checked so by coverage.Entry.Parse, and what neither
		// declares (an OGC column filter) may repeat.
		for _, p := range rt.Params {
			if err := p.Repeated(q[p.Name]); err != nil {
				return err
			}
		}
		return rt.h(w, r)
	}
}

// limitBody refuses a body declared over limit bytes before reading any of
// it (so the server never answers "100 Continue" to a body it will refuse)
// and bounds the rest by http.MaxBytesReader, whose error handle answers
// as a 413 too.
func limitBody(limit int64, h handlerFunc) handlerFunc {
	if limit <= 0 {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.ContentLength > limit {
			return tooLarge(limit)
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		return h(w, r)
	}
}

// tooLarge is the 413 for a body over limit bytes.
func tooLarge(limit int64) error {
	return errorf(http.StatusRequestEntityTooLarge, "body over the limit of %d bytes", limit)
}

// ParamTable writes every parameter of every route as one Markdown table
// in lang (zh or en): a parameter shared by routes with the same type,
// default and meaning is one row listing them.
func ParamTable(routes []Route, lang string) string {
	type row struct {
		p     coverage.Param
		paths []string
	}
	var rows []*row
	byKey := map[string]*row{}
	add := func(p coverage.Param, path string) {
		k := fmt.Sprintf("%s|%v|%s|%s|%s", p.Name, p.Kind, p.Default, rangeOf(p), p.Title.En)
		r, ok := byKey[k]
		if !ok {
			r = &row{p: p}
			byKey[k] = r
			rows = append(rows, r)
		}
		if !slices.Contains(r.paths, path) {
			r.paths = append(r.paths, path)
		}
	}
	for _, rt := range routes {
		for _, p := range rt.Params {
			add(p, rt.Path)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].p.Name < rows[j].p.Name })
	// The routes taking every analysis' parameters: one row, not one per
	// parameter and route.
	var anyAnalysis []string
	for _, rt := range routes {
		if rt.Analyses {
			anyAnalysis = append(anyAnalysis, rt.Path)
		}
	}
	var b strings.Builder
	head := "| parameter | type | default | range | meaning | routes |\n"
	if lang == "zh" {
		head = "| 参数 | 类型 | 默认值 | 取值范围 | 含义 | 路由 |\n"
	}
	b.WriteString(head)
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range rows {
		title := r.p.Title.En
		if lang == "zh" {
			title = r.p.Title.Zh
		}
		def := r.p.Default
		if def != "" {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", r.p.Name, r.p.Kind, def, rangeOf(r.p),
			strings.ReplaceAll(title, "|", "\\|"), "`"+strings.Join(r.paths, "` `")+"`")
	}
	if len(anyAnalysis) > 0 {
		t := coverage.Title{Zh: "任一分析的参数(类型和范围见该分析):集合的要素按其自身分析的参数计算,其余路由和集合忽略;GDAL、QGIS把连接地址的查询串加在每个请求上",
			En: "any analysis' parameter (type and range: that analysis'): a collection's items honour their own analysis' and the other routes and collections ignore them; GDAL and QGIS send a connection URL's query with every request"}
		fmt.Fprintf(&b, "| *any analysis'* | | | | %s | %s |\n", t.In(lang), "`"+strings.Join(anyAnalysis, "` `")+"`")
	}
	return b.String()
}

// rangeOf says which values a parameter takes.
func rangeOf(p coverage.Param) string {
	g := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	switch p.Kind {
	case coverage.Float, coverage.Int:
		return g(p.Min) + " to " + g(p.Max)
	case coverage.Floats:
		return fmt.Sprintf("up to %d in (%s, %s]", p.MaxLen, g(p.Min), g(p.Max))
	case coverage.Enum:
		return strings.Join(p.Enum, ", ")
	case coverage.Bool:
		return "true, false"
	case coverage.Text:
		return "up to 200 bytes"
	}
	return ""
}
