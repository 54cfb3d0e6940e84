package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"fireplan/coverage"
)

// The OpenAPI 3.0 document of /ogc, written from the route table and the
// catalogue: each collection's paths on their own, so that every
// parameter a collection's items take (its analysis' parameters, its
// columns as filters, the columns properties= chooses from) is named with
// its type, default and range.

// ogcAPI serves the document: JSON, or HTML listing every path and
// parameter.
func (s *Server) ogcAPI(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ogcRequest(r)
	if err != nil {
		return err
	}
	doc, err := s.openAPI(r.Context(), o.lang, o.base)
	if err != nil {
		return err
	}
	if o.format == "json" {
		w.Header().Set("Content-Language", o.lang)
		w.Header().Set("Vary", "Accept, Accept-Language")
		w.Header().Set("Content-Type", oasType)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(doc) // a client gone away is not our error
		return nil
	}
	p := &htmlPage{Lang: o.lang, Title: coverage.Title{Zh: "OpenAPI 3.0 文档", En: "the OpenAPI 3.0 document"}, Links: o.selfLinks("/ogc/api", oasType),
		Head: []string{title("路径", "path", o.lang), title("参数", "parameter", o.lang), title("类型", "type", o.lang),
			title("默认值", "default", o.lang), title("取值范围", "range", o.lang), title("含义", "meaning", o.lang)}}
	paths := doc["paths"].(map[string]any)
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		op := paths[k].(map[string]any)["get"].(map[string]any)
		for _, prm := range op["parameters"].([]map[string]any) {
			sc := prm["schema"].(map[string]any)
			def, rng := "", schemaRange(sc)
			if d, ok := sc["default"]; ok {
				def = strings.Trim(strings.ReplaceAll(toJSON(d), `"`, ""), "[]")
			}
			typ, _ := sc["type"].(string)
			p.Rows = append(p.Rows, []cell{{Text: "/ogc" + strings.TrimSuffix(k, "/"), Href: o.base + "/ogc" + strings.TrimSuffix(k, "/")}, {Text: prm["name"].(string)}, {Text: typ}, {Text: def}, {Text: rng},
				{Text: prm["description"].(string)}})
		}
	}
	w.Header().Set("Content-Language", o.lang)
	return writeHTML(w, p)
}

// schemaRange writes the range a schema allows.
func schemaRange(sc map[string]any) string {
	if it, ok := sc["items"].(map[string]any); ok {
		return strings.TrimSpace(schemaRange(it) + " ×" + toJSON(sc["minItems"]) + "-" + toJSON(sc["maxItems"]))
	}
	switch {
	case sc["enum"] != nil:
		return strings.Trim(strings.ReplaceAll(toJSON(sc["enum"]), `"`, ""), "[]")
	case sc["minimum"] != nil:
		return toJSON(sc["minimum"]) + " to " + toJSON(sc["maximum"])
	case sc["maxLength"] != nil:
		return "up to " + toJSON(sc["maxLength"]) + " bytes"
	}
	return ""
}

// openAPI is the document in lang, its server at base.
func (s *Server) openAPI(ctx context.Context, lang, base string) (map[string]any, error) {
	snap, err := s.snapshot()
	if err != nil {
		return nil, err
	}
	// Each collection's columns as served at its defaults.
	columns := map[string][]coverage.Column{}
	for _, e := range s.cat.Entries {
		if columns[e.Name], err = s.ogcColumns(ctx, e, snap); err != nil {
			return nil, err
		}
	}
	paths := map[string]any{}
	for _, rt := range s.ogcRoutes() {
		// Paths are relative to the server, the landing page, as the
		// standard's own document has them: clients look an items path
		// up as /collections/{id}/items.
		rel := strings.TrimPrefix(rt.Path, "/ogc")
		if rel == "" {
			rel = "/"
		}
		if !strings.Contains(rt.Path, "{name}") {
			paths[rel] = map[string]any{"get": s.operation(rt, nil, nil, lang)}
			continue
		}
		for _, e := range s.cat.Entries {
			paths[strings.Replace(rel, "{name}", e.Name, 1)] = map[string]any{"get": s.operation(rt, e, columns[e.Name], lang)}
		}
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       ogcTitle.In(lang) + " - OGC API - Features",
			"description": title("全部基础图层和分析;分析的参数和各列筛选为查询参数。", "every base layer and analysis; analyses' parameters and column filters as query parameters.", lang),
			"version":     "1.0.0",
			"license":     map[string]any{"name": "see the project's licence"},
		},
		"servers": []map[string]any{{"url": base + "/ogc"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": map[string]any{
				"error": map[string]any{"type": "object", "required": []string{"error", "status"},
					"properties": map[string]any{"error": map[string]any{"type": "string"}, "status": map[string]any{"type": "integer"}}},
				"featureCollection": map[string]any{"type": "object", "required": []string{"type", "features"},
					"properties": map[string]any{
						"type":           map[string]any{"type": "string", "enum": []string{"FeatureCollection"}},
						"features":       map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/feature"}},
						"numberMatched":  map[string]any{"type": "integer", "minimum": 0},
						"numberReturned": map[string]any{"type": "integer", "minimum": 0},
						"timeStamp":      map[string]any{"type": "string", "format": "date-time"},
						"links":          map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/link"}},
					}},
				"feature": map[string]any{"type": "object", "required": []string{"type", "geometry", "properties"},
					"properties": map[string]any{
						"type":       map[string]any{"type": "string", "enum": []string{"Feature"}},
						"id":         map[string]any{"type": "string"},
						"geometry":   map[string]any{"type": "object", "nullable": true},
						"properties": map[string]any{"type": "object", "nullable": true},
					}},
				"link": map[string]any{"type": "object", "required": []string{"href", "rel"},
					"properties": map[string]any{"href": map[string]any{"type": "string"}, "rel": map[string]any{"type": "string"},
						"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"}}},
			},
		},
	}, nil
}

// operation is the GET of rt, for entry e when its path names one.
func (s *Server) operation(rt Route, e *coverage.Entry, columns []coverage.Column, lang string) map[string]any {
	var params []map[string]any
	seen := map[string]bool{}
	add := func(prm map[string]any) {
		if n := prm["name"].(string); !seen[n] {
			seen[n] = true
			params = append(params, prm)
		}
	}
	id, typ := "", jsonType
	switch {
	case e == nil:
		id = map[string]string{"/ogc": "getLandingPage", "/ogc/conformance": "getConformanceDeclaration", "/ogc/api": "getAPI",
			"/ogc/collections": "getCollections"}[rt.Path]
		if rt.Path == "/ogc/api" {
			typ = oasType
		}
	case strings.HasSuffix(rt.Path, "/items"):
		id, typ = "getFeatures_"+e.Name, geoJSONType
		for _, p := range e.Params { // an own parameter wins over an item parameter of its name
			add(queryParam(p, lang))
		}
	case strings.HasSuffix(rt.Path, "/schema"):
		id, typ = "getSchema_"+e.Name, schemaType
	case strings.HasSuffix(rt.Path, "{featureId}"):
		id, typ = "getFeature_"+e.Name, geoJSONType
		add(map[string]any{"name": "featureId", "in": "path", "required": true,
			"description": title("要素编号", "the feature's id", lang), "schema": map[string]any{"type": "string"}})
		for _, p := range e.Params {
			add(queryParam(p, lang))
		}
	default:
		id = "describeCollection_" + e.Name
	}
	for _, p := range rt.Params {
		prm := queryParam(p, lang)
		if p.Name == "properties" && e != nil {
			names := make([]string, len(columns))
			for i, c := range columns {
				names[i] = c.Name
			}
			prm["schema"] = map[string]any{"type": "array", "minItems": 1, "maxItems": len(names),
				"items": map[string]any{"type": "string", "enum": names}}
		}
		add(prm)
	}
	if strings.HasSuffix(rt.Path, "/items") {
		for _, c := range filters(e, columns, s.ogcItemParams()) {
			if !seen[c.Name] {
				add(filterParam(c, lang))
			}
		}
	}
	ok := map[string]any{typ: map[string]any{"schema": map[string]any{"type": "object"}}}
	if typ != schemaType {
		ok[htmlType] = map[string]any{"schema": map[string]any{"type": "string"}}
	}
	if typ == geoJSONType {
		ref := "#/components/schemas/featureCollection"
		if strings.HasSuffix(rt.Path, "{featureId}") {
			ref = "#/components/schemas/feature"
		}
		ok[typ] = map[string]any{"schema": map[string]any{"$ref": ref}}
	}
	errBody := map[string]any{jsonType: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/error"}}}
	responses := map[string]any{
		"200": map[string]any{"description": rt.Title.In(lang), "content": ok},
		"400": map[string]any{"description": title("参数有误(错误信息说明哪个参数)", "a parameter is wrong (the message names it)", lang), "content": errBody},
		"503": map[string]any{"description": title("数据载入中或计算队列已满", "data loading or analyses queued full", lang), "content": errBody},
	}
	if e != nil {
		responses["404"] = map[string]any{"description": title("无此集合或要素", "no such collection or feature", lang), "content": errBody}
	}
	summary := rt.Title.In(lang)
	desc := ""
	if e != nil {
		summary = e.Title.In(lang) + ": " + summary
		desc = e.Description.In(lang)
		if e.Analysis() && strings.HasSuffix(rt.Path, "/items") {
			desc += title("。参数与列同名时为参数。", ". A parameter and a column of one name: the parameter.", lang)
		}
	}
	op := map[string]any{"operationId": id, "summary": summary, "parameters": params, "responses": responses}
	if desc != "" {
		op["description"] = desc
	}
	if params == nil {
		op["parameters"] = []map[string]any{}
	}
	return op
}

// queryParam is a declared parameter with its type, default and range.
func queryParam(p coverage.Param, lang string) map[string]any {
	prm := map[string]any{"name": p.Name, "in": "query", "required": false, "description": p.Title.In(lang),
		"schema": paramSchema(p)}
	if sc := prm["schema"].(map[string]any); sc["type"] == "array" {
		prm["style"], prm["explode"] = "form", false
	}
	return prm
}

// paramSchema is the JSON schema of a parameter's values.
func paramSchema(p coverage.Param) map[string]any {
	var sc map[string]any
	switch p.Kind {
	case coverage.Float:
		sc = map[string]any{"type": "number", "minimum": p.Min, "maximum": p.Max}
	case coverage.Int:
		sc = map[string]any{"type": "integer", "minimum": p.Min, "maximum": p.Max}
	case coverage.Bool:
		sc = map[string]any{"type": "boolean", "enum": []bool{true, false}}
	case coverage.Enum:
		sc = map[string]any{"type": "string", "enum": p.Enum}
	case coverage.Floats:
		sc = map[string]any{"type": "array", "minItems": 1, "maxItems": p.MaxLen,
			"items": map[string]any{"type": "number", "minimum": p.Min, "exclusiveMinimum": true, "maximum": p.Max}}
	default:
		sc = map[string]any{"type": "string", "maxLength": 200}
	}
	if p.Name == "bbox" { // minLon,minLat,maxLon,maxLat in CRS84
		sc = map[string]any{"type": "array", "minItems": 4, "maxItems": 4,
			"items": map[string]any{"type": "number", "minimum": -180, "maximum": 180}}
	}
	if p.Default != "" {
		sc["default"] = typed(p.Kind, p.Default)
	}
	return sc
}

// typed is a parameter's text as the JSON value its schema describes.
func typed(k coverage.Kind, s string) any {
	switch k {
	case coverage.Float:
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case coverage.Int:
		n, _ := strconv.Atoi(s)
		return n
	case coverage.Bool:
		return s == "true"
	case coverage.Floats:
		var out []float64
		for _, x := range strings.Split(s, ",") {
			f, _ := strconv.ParseFloat(x, 64)
			out = append(out, f)
		}
		return out
	}
	return s
}

// filterParam is a column as a filter on its values.
func filterParam(c coverage.Column, lang string) map[string]any {
	var sc map[string]any
	switch {
	case c.Type == "integer" || c.Type == "number" || c.Type == "boolean":
		sc = map[string]any{"type": c.Type}
		if c.Type == "boolean" {
			sc["enum"] = []bool{true, false}
		}
	case len(c.Values) > 0:
		codes := make([]string, 0, len(c.Values))
		for k := range c.Values {
			codes = append(codes, k)
		}
		sort.Strings(codes)
		sc = map[string]any{"type": "string", "enum": codes}
	default:
		sc = map[string]any{"type": "string", "maxLength": 200}
	}
	return map[string]any{"name": c.Name, "in": "query", "required": false, "schema": sc,
		"description": title("筛选:", "filter: ", lang) + c.Title.In(lang) + title("(精确匹配)", " (exact match)", lang)}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
