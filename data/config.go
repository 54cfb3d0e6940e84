package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"fireplan/geo/datum"
)

// Config maps fireplan's layers onto a county's tables. Every field is
// optional: by default layer "roads" is table "roads" in schema "public",
// with an "id" column, the table's geometry column and attributes named as in
// DESIGN.md. docs/DATA.md documents every key.
type Config struct {
	Schema string `json:"schema"` // default schema for every layer
	// Layers maps a layer to its table; a layer set to null is absent and
	// loads empty.
	Layers map[string]*TableConfig `json:"layers"`
	// Params are the county's analysis defaults, kept raw: data reads the
	// names in ParamNames, the analyses the rest.
	Params map[string]json.RawMessage `json:"params"`
}

// TableConfig maps one layer.
type TableConfig struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	ID     string `json:"id"`   // id column (any type; read as text)
	Geom   string `json:"geom"` // geometry column; default: "geom", or the table's only one
	SRID   int    `json:"srid"` // SRID assumed where a geometry says 0; default 4326
	// Datum names the offset datum of lon/lat read from the table: "gcj02"
	// or "bd09" (Chinese web maps) are converted to WGS84, point and vertex,
	// after any SRID transformation; "" or "wgs84" are taken as they are.
	Datum string `json:"datum"`
	// Columns maps an attribute to a column, or to an SQL expression over
	// the table's columns; null means the attribute is not read.
	Columns map[string]*string `json:"columns"`
	// Const gives an attribute one value for every row; its column is not read.
	Const map[string]any `json:"const"`
	// Defaults gives the value used where the column is null (or maps to null).
	Defaults map[string]any `json:"defaults"`
	// Values maps an attribute's source values (as trimmed text) to
	// fireplan values; "*" maps every other value.
	Values map[string]map[string]any `json:"values"`
	// Where filters rows (SQL, appended to the query as written).
	Where string `json:"where"`
}

// ParamHouseholdsPerBuilding is the households a building has where its
// column is null.
const ParamHouseholdsPerBuilding = "households_per_building"

// The snapshot's params (see Options).
const (
	ParamMaxDistanceKm    = "max_distance_km"
	ParamBuiltupGapM      = "builtup_gap_m"
	ParamBuiltupMinAreaM2 = "builtup_min_area_m2"
)

// ParamNames lists the params data reads itself; the analyses skip them.
var ParamNames = []string{ParamHouseholdsPerBuilding, ParamMaxDistanceKm, ParamBuiltupGapM, ParamBuiltupMinAreaM2}

// Options returns the snapshot options the params set over DefaultOptions
// (a nil config gives the defaults).
func (c *Config) Options() (Options, error) {
	o := DefaultOptions()
	if c == nil {
		return o, nil
	}
	var errs []error
	for name, into := range map[string]struct {
		f     *float64
		scale float64
	}{ParamMaxDistanceKm: {&o.MaxDistanceM, 1000}, ParamBuiltupGapM: {&o.BuiltupGapM, 1}, ParamBuiltupMinAreaM2: {&o.BuiltupMinAreaM2, 1}} {
		raw, ok := c.Params[name]
		if !ok {
			continue
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			errs = append(errs, fmt.Errorf("config: params.%s: want a number, got %s", name, raw))
			continue
		}
		*into.f = v * into.scale
	}
	if err := o.Check(); err != nil {
		for _, l := range strings.Split(err.Error(), "\n") {
			errs = append(errs, fmt.Errorf("config: params.%s", l))
		}
	}
	return o, errors.Join(errs...)
}

// LoadConfig reads a JSON config file and checks it. A config that decodes
// comes back even with an error, so `fireplan check` can go on and report
// the database's problems in the same run.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var c Config
	keys, err := decodeConfig(bytes.NewReader(b), &c)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &c, errors.Join(keys, c.Check())
}

// decodeConfig reads JSON into c. Keys fireplan does not know and keys
// given twice are all reported in keys, and c is filled from the rest; a
// syntax or type error stops it (err).
func decodeConfig(r io.Reader, c *Config) (keys, err error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, err
	}
	return errors.Join(keyProblems(b)...), nil
}

// Check reports every problem it can find without a database, each naming
// its layer and attribute: unknown layers and attributes, constants,
// defaults and value maps that do not parse as their attribute, and the
// params data reads.
func (c *Config) Check() error {
	if c == nil {
		return nil
	}
	var errs []error
	for _, name := range sortedKeys(c.Layers) {
		s, ok := SchemaOf(name)
		if !ok {
			errs = append(errs, fmt.Errorf("config: unknown layer %q (layers: %s)", name, strings.Join(LayerNames(), ", ")))
			continue
		}
		if tc := c.Layers[name]; tc != nil {
			_, e := tc.compile(s, c.Params)
			errs = append(errs, e...)
		}
	}
	if _, err := householdsPerBuilding(c.Params); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.Options(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// householdsPerBuilding returns the param as text, nil when unset.
func householdsPerBuilding(params map[string]json.RawMessage) (*string, error) {
	raw, ok := params[ParamHouseholdsPerBuilding]
	if !ok {
		return nil, nil
	}
	var n float64
	if err := json.Unmarshal(raw, &n); err != nil || n < 0 || n != float64(int(n)) {
		return nil, fmt.Errorf("config: params.%s: want an integer >= 0, got %s", ParamHouseholdsPerBuilding, raw)
	}
	s := strconv.Itoa(int(n))
	return &s, nil
}

func (s Schema) field(attr string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == attr {
			return f, true
		}
	}
	return Field{}, false
}

// LayerNames returns the nine layer names in order.
func LayerNames() []string {
	out := make([]string, len(Schemas))
	for i, s := range Schemas {
		out[i] = s.Name
	}
	return out
}

// Optional reports whether a layer may be missing from a database: an
// unconfigured optional layer without a table loads empty.
func Optional(layer string) bool {
	switch layer {
	case LayerVillages, LayerDistricts, LayerFireLanes, LayerTownships, LayerBuiltup:
		return true
	}
	return false
}

// Layer returns a layer's mapping with every default filled in (schema,
// table, id column, SRID); nil for a layer set to null.
func (c *Config) Layer(layer string) *TableConfig {
	tc, _ := c.table(layer)
	return tc
}

// table returns the resolved mapping of a layer; configured says the config
// names the layer, and nil comes back for a layer set to null (absent).
func (c *Config) table(layer string) (tc *TableConfig, configured bool) {
	var t TableConfig
	if c != nil {
		var p *TableConfig
		p, configured = c.Layers[layer]
		if configured && p == nil {
			return nil, true
		}
		if p != nil {
			t = *p
		}
	}
	if t.Schema == "" && c != nil {
		t.Schema = c.Schema
	}
	if t.Schema == "" {
		t.Schema = "public"
	}
	if t.Table == "" {
		t.Table = layer
	}
	if t.ID == "" {
		t.ID = "id"
	}
	if t.SRID == 0 {
		t.SRID = 4326
	}
	return &t, configured
}

// source returns what an attribute is read from (a column name or an
// expression) and whether it is read at all.
func (tc *TableConfig) source(attr string) (string, bool) {
	c, ok := tc.Columns[attr]
	switch {
	case !ok:
		return attr, true
	case c == nil:
		return "", false
	case strings.TrimSpace(*c) == "":
		return attr, true
	}
	return strings.TrimSpace(*c), true
}

// attrMap is how one attribute gets its value in every row: a constant, or
// its source through the value map and the default. Texts are what the
// config gave, as Field.parse reads them (nil: null).
type attrMap struct {
	Field
	hasConst bool
	constV   any
	def      *string
	values   map[string]*string
	star     *string
	hasStar  bool
}

// compile turns a layer's const, defaults and values into one attrMap per
// schema field. A bad entry is reported and left out (a bad constant
// becomes null), so loading can go on and show everything else.
func (tc *TableConfig) compile(s Schema, params map[string]json.RawMessage) ([]attrMap, []error) {
	var errs []error
	bad := func(key, attr, format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: %s: %s", KeyPath("layers."+s.Name+"."+key, attr), fmt.Sprintf(format, args...)))
	}
	for _, kv := range []struct {
		key   string
		names []string
	}{
		{"columns", sortedKeys(tc.Columns)}, {"const", sortedKeys(tc.Const)},
		{"defaults", sortedKeys(tc.Defaults)}, {"values", sortedKeys(tc.Values)},
	} {
		for _, a := range kv.names {
			if _, ok := s.field(a); !ok {
				bad(kv.key, a, "layer %s has no attribute %q (attributes: %s)", s.Name, a, strings.Join(s.fieldNames(), ", "))
			}
		}
	}
	if tc.SRID < 0 {
		errs = append(errs, fmt.Errorf("config: layers.%s.srid: %d is not an SRID", s.Name, tc.SRID))
	}
	if _, err := datum.Parse(tc.Datum); err != nil {
		errs = append(errs, fmt.Errorf("config: layers.%s.datum: %w", s.Name, err))
	}
	// check parses a config value as the attribute would be parsed.
	check := func(f Field, v any) (*string, error) {
		t, err := jsonText(v)
		if err != nil {
			return nil, err
		}
		if t == nil || strings.TrimSpace(*t) == "" {
			return nil, nil
		}
		if _, perr := f.parse(strings.TrimSpace(*t)); perr != nil {
			return nil, errors.New(perr.(*RowError).Detail)
		}
		return t, nil
	}
	out := make([]attrMap, len(s.Fields))
	for i, f := range s.Fields {
		a := attrMap{Field: f}
		if v, ok := tc.Const[f.Name]; ok {
			a.hasConst = true
			t, err := check(f, v)
			switch {
			case err != nil:
				bad("const", f.Name, "%v", err)
			case t == nil && f.Required:
				bad("const", f.Name, "%s is required: a constant null skips every row", f.Name)
			case t != nil:
				a.constV, _ = f.parse(strings.TrimSpace(*t))
			}
			if _, ok := tc.Columns[f.Name]; ok {
				bad("columns", f.Name, "%s has a constant: its column is never read", f.Name)
			}
			if _, ok := tc.Values[f.Name]; ok {
				bad("values", f.Name, "%s has a constant: no value is mapped", f.Name)
			}
		}
		if v, ok := tc.Defaults[f.Name]; ok {
			if t, err := check(f, v); err != nil {
				bad("defaults", f.Name, "%v", err)
			} else {
				a.def = t
			}
		} else if s.Name == LayerBuildings && f.Name == "households" {
			a.def, _ = householdsPerBuilding(params) // Check reports a bad one
		}
		if m := tc.Values[f.Name]; len(m) > 0 {
			a.values = map[string]*string{}
			for _, from := range sortedKeys(m) {
				t, err := check(f, m[from])
				if err != nil {
					bad("values", f.Name, "%q -> %v", from, err)
					continue
				}
				if from == "*" {
					a.star, a.hasStar = t, true
				} else {
					a.values[strings.TrimSpace(from)] = t
				}
			}
		}
		out[i] = a
	}
	return out, errs
}

// jsonText turns a config value into the text a column would hold.
func jsonText(v any) (*string, error) {
	var s string
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		s = v
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		s = strconv.FormatBool(v)
	default:
		return nil, fmt.Errorf("want a string, number, boolean or null, got %v", v)
	}
	return &s, nil
}

func (s Schema) fieldNames() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

// bareName matches text that can only be meant as a column name.
var bareName = regexp.MustCompile(`^[\pL_][\pL\pN_]*$`)

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
