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
	"unsafe"

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
//
// A table holding its rows keeps each column in one typed array, its ids in
// one byte array and its geometries' interface values in an arena: held as
// rows of interfaces, with every number boxed, a province's 1.5 million
// hydrant gaps were millions of small objects, which the collector marked
// on every cycle.
type Table struct {
	Columns []Column
	Proj    *geo.Projection
	Meta    map[string]any // what the whole result says beside its rows

	n     int
	hint  int      // rows expected (see Grow)
	ids   []uint32 // row i's id is idBuf[ids[i]:ids[i+1]]
	idBuf []byte
	cells []cells
	geoms []orb.Geometry // metres; nil for a plain table
	arena geo.Arena
	view  *View
	order []int32 // a sorted view's rows, in order
}

// cells is one column of a table holding its rows. It takes the type of its
// first value; a column whose values differ in type keeps each row's type
// beside it. Values are copied out of their interfaces, never kept in one:
// a row's values then need no allocation of their own.
type cells struct {
	hint   int // rows expected: a new array's first size
	kind   cellKind
	set    []uint64   // bit i: row i has a value (a typed column)
	kinds  []cellKind // each row's type (a mixed column)
	strs   []string
	ints   []int
	floats []float64
	bools  []bool
}

type cellKind uint8

const (
	noValue cellKind = iota // every value so far nil
	strCells
	intCells
	floatCells
	boolCells
	mixedCells
)

// add appends v as row n.
func (c *cells) add(n int, v any) {
	var k cellKind
	var s string
	var i int
	var f float64
	var b bool
	switch v := v.(type) {
	case nil:
	case string:
		k, s = strCells, v
	case int:
		k, i = intCells, v
	case float64:
		k, f = floatCells, v
	case bool:
		k, b = boolCells, v
	default:
		panic(fmt.Sprintf("table: a value of type %T; a table holds string, int, float64, bool or nil", v))
	}
	switch {
	case k == noValue:
	case c.kind == noValue:
		c.kind = k
	case c.kind != k && c.kind != mixedCells:
		c.kinds = make([]cellKind, n, max(n, 16))
		for r := range c.kinds {
			if c.has(r) {
				c.kinds[r] = c.kind
			}
		}
		c.kind, c.set = mixedCells, nil
	}
	if c.kind == mixedCells {
		c.kinds = push(c.hint, c.kinds, n, k)
	} else if k != noValue {
		for n>>6 >= len(c.set) {
			c.set = push((c.hint+63)/64, c.set, len(c.set), 0)
		}
		c.set[n>>6] |= 1 << (n & 63)
	}
	if k == strCells || c.strs != nil {
		c.strs = push(c.hint, c.strs, n, s)
	}
	if k == intCells || c.ints != nil {
		c.ints = push(c.hint, c.ints, n, i)
	}
	if k == floatCells || c.floats != nil {
		c.floats = push(c.hint, c.floats, n, f)
	}
	if k == boolCells || c.bools != nil {
		c.bools = push(c.hint, c.bools, n, b)
	}
}

// push returns s with v as element n, zeros before it where s is shorter
// (a column's array for a type starts at the first row of that type). A
// new array holds hint elements; a full one doubles: append grows a large
// slice by a quarter, and a province's columns were copied over and over.
func push[T any](hint int, s []T, n int, v T) []T {
	if n >= cap(s) {
		t := make([]T, len(s), max(16, hint, 2*cap(s), n+1))
		copy(t, s)
		s = t
	}
	if len(s) < n {
		s = s[:n] // what the array holds beyond len is zero: it is never shortened
	}
	return append(s, v)
}

func (c *cells) has(i int) bool { return i>>6 < len(c.set) && c.set[i>>6]&(1<<(i&63)) != 0 }

func (c *cells) get(i int) any {
	k := c.kind
	switch {
	case k == mixedCells:
		k = c.kinds[i]
	case !c.has(i):
		return nil
	}
	switch k {
	case strCells:
		return c.strs[i]
	case intCells:
		return c.ints[i]
	case floatCells:
		return c.floats[i]
	case boolCells:
		return c.bools[i]
	}
	return nil
}

func (c *cells) bytes() int64 {
	return int64(len(c.set))*8 + int64(len(c.kinds)+len(c.bools)) + int64(len(c.strs))*16 + int64(len(c.ints)+len(c.floats))*8
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
	return t.n
}

// at is the analysis' (or the held rows') index of row i.
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
	i = t.at(i)
	a, b := t.ids[i], t.ids[i+1]
	if a == b {
		return ""
	}
	// The bytes are never written again: appends go past them, and a
	// growing array is copied, the old one left as it was.
	return unsafe.String(&t.idBuf[a], b-a)
}

// Row returns row i's values, one per column; the caller must not change them.
func (t *Table) Row(i int) []any {
	if t.view != nil {
		return t.view.Row(t.at(i))
	}
	i = t.at(i)
	row := make([]any, len(t.cells))
	for k := range t.cells {
		row[k] = t.cells[k].get(i)
	}
	return row
}

// Value returns row i's value in column k.
func (t *Table) Value(i, k int) any {
	if t.view != nil {
		return t.view.Row(t.at(i))[k]
	}
	return t.cells[k].get(t.at(i))
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
	case t.view != nil:
		if t.view.Geom != nil {
			return t.view.Geom(t.at(i))
		}
	case t.geoms != nil:
		return t.geoms[t.at(i)]
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

// Grow tells a table holding its rows that about n will be added: each
// column's array is then made that long at once.
func (t *Table) Grow(n int) { t.hint = max(t.hint, n) }

// Add appends a row to a table holding its rows; g is nil in a plain table.
func (t *Table) Add(id string, g orb.Geometry, vals ...any) {
	if t.view != nil {
		panic("table: Add to a view")
	}
	if len(vals) != len(t.Columns) {
		panic(fmt.Sprintf("table row %s: %d values for %d columns", strings.Clone(id), len(vals), len(t.Columns)))
	}
	if t.ids == nil {
		t.ids = push(t.hint+1, t.ids, 0, 0)
		t.cells = make([]cells, len(t.Columns))
		for k := range t.cells {
			t.cells[k].hint = t.hint
		}
	}
	if len(t.idBuf)+len(id) > cap(t.idBuf) {
		t.idBuf = append(make([]byte, 0, max(1<<10, 2*cap(t.idBuf), len(t.idBuf)+len(id))), t.idBuf...)
	}
	t.idBuf = append(t.idBuf, id...)
	t.ids = push(t.hint+1, t.ids, len(t.ids), uint32(len(t.idBuf)))
	for k, v := range vals {
		t.cells[k].add(t.n, v)
	}
	if g != nil {
		t.geoms = push(t.hint, t.geoms, len(t.geoms), t.arena.Box(g))
	}
	t.n++
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
		switch v := t.Value(i, k).(type) {
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
	if t.order != nil {
		for n, i := range order {
			order[n] = t.order[i]
		}
	}
	t.order = order
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Bytes estimates the memory a table holds, for the cache.
func (t *Table) Bytes() int64 {
	n := int64(len(t.order))*4 + 256
	if t.view != nil {
		return n
	}
	n += int64(len(t.ids))*4 + int64(len(t.idBuf)) + int64(len(t.geoms))*16
	for k := range t.cells {
		n += t.cells[k].bytes()
	}
	for _, g := range t.geoms {
		n += geomBytes(g)
	}
	return n
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
