package coverage

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Title is a name in Chinese and English.
type Title struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// In returns the title in lang: "en" for English, Chinese otherwise.
func (t Title) In(lang string) string {
	if lang == "en" {
		return t.En
	}
	return t.Zh
}

// Kind is the type of a parameter.
type Kind uint8

// Parameter kinds.
const (
	Float  Kind = iota // a number in [Min, Max]
	Int                // a whole number in [Min, Max]
	Bool               // true or false
	Enum               // one of Enum
	Floats             // comma-separated numbers in (Min, Max], at most MaxLen, sorted and deduplicated
	Text               // free text, at most 200 bytes (an id)
)

var kindNames = [...]string{"number", "integer", "boolean", "enum", "numbers", "text"}

func (k Kind) String() string { return kindNames[k] }

// MarshalText writes the kind's name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Param declares one parameter of an analysis: its query key, type,
// default and range. Values are held in canonical form, so that 150,
// 150.0 and 1.5e2 are one cache entry.
type Param struct {
	Name    string   `json:"name"`
	Kind    Kind     `json:"type"`
	Default string   `json:"default"`
	Min     float64  `json:"min,omitempty"`
	Max     float64  `json:"max,omitempty"`
	Enum    []string `json:"enum,omitempty"`
	MaxLen  int      `json:"max_items,omitempty"` // Floats
	Title   Title    `json:"title"`
}

// canonical checks raw and returns its canonical form.
func (p *Param) canonical(raw string) (string, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %q is not %s", p.Name, raw, fmt.Sprintf(format, args...))
	}
	raw = strings.TrimSpace(raw)
	switch p.Kind {
	case Float, Int:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || !(f >= p.Min && f <= p.Max) || p.Kind == Int && f != math.Trunc(f) {
			article := "a"
			if p.Kind == Int {
				article = "an"
			}
			return "", bad("%s %s from %s to %s", article, p.Kind, formatNumber(p.Min), formatNumber(p.Max))
		}
		return formatNumber(f), nil
	case Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return "", bad("true or false")
		}
		return strconv.FormatBool(b), nil
	case Enum:
		for _, e := range p.Enum {
			if raw == e {
				return raw, nil
			}
		}
		return "", bad("one of %s", strings.Join(p.Enum, ", "))
	case Floats:
		parts := strings.Split(raw, ",")
		if len(parts) > p.MaxLen {
			if p.MaxLen == 1 {
				return "", bad("one number")
			}
			return "", bad("at most %d numbers", p.MaxLen)
		}
		var fs []float64
		for _, s := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || !(f > p.Min && f <= p.Max) {
				return "", bad("a list of numbers in (%g, %g]", p.Min, p.Max)
			}
			fs = append(fs, f)
		}
		sort.Float64s(fs)
		out := make([]string, 0, len(fs))
		for i, f := range fs {
			if i == 0 || f != fs[i-1] {
				out = append(out, formatNumber(f))
			}
		}
		return strings.Join(out, ","), nil
	case Text:
		if len(raw) > 200 {
			return "", bad("at most 200 bytes")
		}
		return raw, nil
	}
	return "", bad("a known kind")
}

// formatNumber writes f canonically: -0 is 0, so both are one cache entry.
func formatNumber(f float64) string {
	if f == 0 {
		f = 0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Column is one column of an analysis' rows.
type Column struct {
	Name  string `json:"name"`
	Type  string `json:"type"` // string, integer, number, boolean
	Title Title  `json:"title"`
	// Values label the codes of an enumeration column (kind, reach,
	// tier...): JSON keeps the codes, spreadsheets show the labels.
	Values map[string]Title `json:"values,omitempty"`
}

// Entry declares a base layer or an analysis once: everything the HTTP
// routes, the tiles, the exports and the CLI need to serve it.
type Entry struct {
	Name        string   `json:"name"` // catalogue key and tile layer name
	Path        string   `json:"path"` // HTTP path of its rows
	Title       Title    `json:"title"`
	Description Title    `json:"description"`
	Geometry    string   `json:"geometry,omitempty"` // Point, LineString or Polygon; "" for plain tables
	MinZoom     int      `json:"minzoom,omitempty"`
	MaxZoom     int      `json:"maxzoom,omitempty"`
	Params      []Param  `json:"params"`
	Columns     []Column `json:"columns"` // a table may add per-target columns after these
	Layer       string   `json:"-"`       // base layers: the snapshot layer it serves
	Uses        []string `json:"uses"`    // the layers its answer depends on
	Tiled       bool     `json:"tiled"`   // served as vector tiles
	// Opening: the web map draws it when it opens (web/layers.js), so the
	// warm-up computes it before the other analyses.
	Opening bool `json:"-"`
	// Sort names the column rows are sorted by, largest first (ties keep
	// the analysis' own order): what matters most to the reader, mostly
	// the households affected. "" keeps the analysis' order (a rank).
	Sort string `json:"sort,omitempty"`

	build func(ctx context.Context, c *Catalog, e *Entry, s *data.Snapshot, v Values) (*Table, error)
}

// Analysis tells whether the entry is computed rather than read.
func (e *Entry) Analysis() bool { return e.build != nil }

// Param returns the declared parameter called name.
func (e *Entry) Param(name string) (*Param, bool) {
	for i := range e.Params {
		if e.Params[i].Name == name {
			return &e.Params[i], true
		}
	}
	return nil, false
}

// Values are an entry's parameters in canonical form, defaults filled in.
type Values struct {
	e *Entry
	v map[string]string
}

// ParamError is a parameter a request may not give, or gave wrong.
type ParamError struct{ Msg string }

func (e *ParamError) Error() string { return e.Msg }

// Repeated refuses a parameter given more than once (vals), naming it: one
// value would be used and the others silently dropped. A list is one value,
// comma-separated, and the error says so.
func (p Param) Repeated(vals []string) error {
	if len(vals) < 2 {
		return nil
	}
	times := "twice"
	if len(vals) > 2 {
		times = strconv.Itoa(len(vals)) + " times"
	}
	msg := fmt.Sprintf("%s: given %s; give it once", p.Name, times)
	if p.Kind == Floats {
		msg += fmt.Sprintf(" (a list is comma-separated: %s=%s)", p.Name, strings.Join(vals, ","))
	}
	return &ParamError{msg}
}

// Parse checks q against the entry's parameters: every key must be one of
// them or one of extra (the caller's own: format, bbox, limit...), and
// none of the entry's may be given twice (the caller checks its extra:
// some, as OGC column filters, may repeat).
func (e *Entry) Parse(q url.Values, extra ...string) (Values, error) {
	v := Values{e: e, v: make(map[string]string, len(e.Params))}
	for k := range q {
		if _, ok := e.Param(k); !ok && !slices.Contains(extra, k) {
			known := make([]string, 0, len(e.Params)+len(extra))
			for _, p := range e.Params {
				known = append(known, p.Name)
			}
			known = append(known, extra...)
			return v, &ParamError{fmt.Sprintf("unknown parameter %q for %s (known: %s)", k, e.Name, strings.Join(known, ", "))}
		}
	}
	for _, p := range e.Params {
		if err := p.Repeated(q[p.Name]); err != nil {
			return v, err
		}
	}
	for i := range e.Params {
		p := &e.Params[i]
		raw, given := q.Get(p.Name), q.Has(p.Name)
		if !given || raw == "" && p.Kind != Text {
			v.v[p.Name] = p.Default
			continue
		}
		c, err := p.canonical(raw)
		if err != nil {
			return v, &ParamError{err.Error()}
		}
		v.v[p.Name] = c
	}
	return v, nil
}

// Defaults returns the entry's default values.
func (e *Entry) Defaults() Values {
	v, _ := e.Parse(nil)
	return v
}

// Key is the canonical form of the values, for cache keys and ETags.
func (v Values) Key() string {
	names := make([]string, len(v.e.Params))
	for i, p := range v.e.Params {
		names[i] = p.Name
	}
	return v.keyOf(names)
}

// keyOf is the canonical form of the named values only: what one
// intermediate result (a graph, a response analysis) depends on.
func (v Values) keyOf(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(n)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v.v[n]))
	}
	return b.String()
}

// Get returns the canonical text of a value.
func (v Values) Get(name string) string { return v.v[name] }

// Float returns a number value.
func (v Values) Float(name string) float64 {
	f, _ := strconv.ParseFloat(v.v[name], 64)
	return f
}

// Int returns a whole number value.
func (v Values) Int(name string) int { return int(v.Float(name)) }

// Bool returns a boolean value.
func (v Values) Bool(name string) bool { return v.v[name] == "true" }

// Floats returns a list value.
func (v Values) Floats(name string) []float64 {
	var out []float64
	for _, s := range strings.Split(v.v[name], ",") {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			out = append(out, f)
		}
	}
	return out
}

// Map returns the values by name, as JSON shows them.
func (v Values) Map() map[string]string { return v.v }

// Table is what an analysis returns: typed rows as columns of values, an
// id per row and, for map layers, a geometry per row in metres of Proj.
// A row's values are string, int, float64, bool or nil.
//
// A table holds its rows (Add), or is a view (NewView): its rows are read
// from the analysis it presents when asked. A province's 5 million
// buildings' arrival held as rows took 1.8 GB; as a view, the analysis'
// own arrays and nothing more.
type Table struct {
	Columns []Column
	Proj    *geo.Projection
	Meta    map[string]any // what the whole result says beside its rows

	ids   []string
	rows  [][]any
	geoms []orb.Geometry // metres; nil for a plain table
	view  *View
	order []int32 // a sorted view's rows, in order
}

// View is how a table reads its rows from an analysis (see NewView).
type View struct {
	Len  int
	ID   func(i int) string
	Geom func(i int) orb.Geometry // metres; nil for a plain table
	Row  func(i int) []any
}

// NewView returns a table whose rows v reads when asked.
func NewView(columns []Column, v View) *Table { return &Table{Columns: columns, view: &v} }

// Len returns the number of rows.
func (t *Table) Len() int {
	if t.view != nil {
		return t.view.Len
	}
	return len(t.rows)
}

// at is the analysis' index of a view's row i.
func (t *Table) at(i int) int {
	if t.order != nil {
		return int(t.order[i])
	}
	return i
}

// ID returns row i's id.
func (t *Table) ID(i int) string {
	if t.view != nil {
		return t.view.ID(t.at(i))
	}
	return t.ids[i]
}

// Row returns row i's values, one per column; the caller must not change them.
func (t *Table) Row(i int) []any {
	if t.view != nil {
		return t.view.Row(t.at(i))
	}
	return t.rows[i]
}

// HasGeoms tells whether rows have a geometry.
func (t *Table) HasGeoms() bool {
	if t.view != nil {
		return t.view.Geom != nil
	}
	return t.geoms != nil
}

// Geom returns row i's geometry in metres (nil in a plain table).
func (t *Table) Geom(i int) orb.Geometry {
	switch {
	case t.view != nil && t.view.Geom != nil:
		return t.view.Geom(t.at(i))
	case i < len(t.geoms):
		return t.geoms[i]
	}
	return nil
}

// LonLat returns row i's geometry in lon/lat.
func (t *Table) LonLat(i int) orb.Geometry { return t.Proj.InverseGeometry(t.Geom(i)) }

// Record returns row i as a map from column name to value.
func (t *Table) Record(i int) map[string]any {
	m := make(map[string]any, len(t.Columns))
	row := t.Row(i)
	for k, c := range t.Columns {
		m[c.Name] = row[k]
	}
	return m
}

// Add appends a row to a table holding its rows; g is nil in a plain table.
func (t *Table) Add(id string, g orb.Geometry, vals ...any) {
	if t.view != nil {
		panic("table: Add to a view")
	}
	if len(vals) != len(t.Columns) {
		panic(fmt.Sprintf("table row %s: %d values for %d columns", id, len(vals), len(t.Columns)))
	}
	t.ids = append(t.ids, id)
	t.rows = append(t.rows, vals)
	if g != nil {
		t.geoms = append(t.geoms, g)
	}
}

// Column returns the index of the column called name, or -1.
func (t *Table) Column(name string) int {
	for k, c := range t.Columns {
		if c.Name == name {
			return k
		}
	}
	return -1
}

// sortDesc orders the rows by column name, largest first, rows without a
// value last; ties keep their order.
func (t *Table) sortDesc(name string) {
	k := t.Column(name)
	if k < 0 {
		panic("catalogue: no sort column " + name)
	}
	n := t.Len()
	keys := make([]float64, n) // NaN: no value
	for i := range n {
		switch v := t.Row(i)[k].(type) {
		case int:
			keys[i] = float64(v)
		case float64:
			keys[i] = v
		default:
			keys[i] = math.NaN()
		}
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		va, vb := keys[a], keys[b]
		switch na, nb := math.IsNaN(va), math.IsNaN(vb); {
		case na || nb:
			return cmp.Compare(b2i(na), b2i(nb))
		}
		return cmp.Compare(vb, va)
	})
	if t.view != nil {
		if t.order != nil {
			for n, i := range order {
				order[n] = t.order[i]
			}
		}
		t.order = order
		return
	}
	ids, rows := make([]string, n), make([][]any, n)
	var geoms []orb.Geometry
	if t.geoms != nil {
		geoms = make([]orb.Geometry, n)
	}
	for n, i := range order {
		ids[n], rows[n] = t.ids[i], t.rows[i]
		if geoms != nil {
			geoms[n] = t.geoms[i]
		}
	}
	t.ids, t.rows, t.geoms = ids, rows, geoms
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Bytes estimates the memory a table holds, for the cache.
func (t *Table) Bytes() int64 {
	if t.view != nil {
		return int64(len(t.order))*4 + 256
	}
	n := int64(len(t.rows)) * int64(len(t.Columns)*24+48)
	for _, g := range t.geoms {
		n += geomBytes(g)
	}
	return n + 256
}

func geomBytes(g orb.Geometry) int64 {
	switch g := g.(type) {
	case orb.Point:
		return 16
	case orb.MultiPoint:
		return int64(len(g))*16 + 24
	case orb.LineString:
		return int64(len(g))*16 + 24
	case orb.Ring:
		return int64(len(g))*16 + 24
	case orb.MultiLineString:
		n := int64(24)
		for _, l := range g {
			n += geomBytes(l)
		}
		return n
	case orb.Polygon:
		n := int64(24)
		for _, r := range g {
			n += geomBytes(r)
		}
		return n
	case orb.MultiPolygon:
		n := int64(24)
		for _, p := range g {
			n += geomBytes(p)
		}
		return n
	}
	return 64
}
