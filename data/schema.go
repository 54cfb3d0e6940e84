package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// GeomKind is the family of geometry a layer holds.
type GeomKind int

// Geometry families. Polygon layers take Polygon or MultiPolygon, line layers
// LineString or MultiLineString, as real tables hold both.
const (
	PointGeom GeomKind = iota
	LineGeom
	PolygonGeom
	PointOrPolygonGeom
)

func (k GeomKind) String() string {
	return [...]string{"Point", "LineString", "Polygon", "Point or Polygon"}[k]
}

// FieldType is the type of an attribute.
type FieldType int

// Attribute types. Values are read from the database as text and parsed here,
// so a numeric column stored as text still loads, and a bad value fails one
// row, not the query.
const (
	Text FieldType = iota
	Int
	Float
	Bool
	Direction // one-way: 1 (true, yes), 0 (false, no), -1 (against the drawing)
)

// SQLType returns the PostgreSQL type used when fireplan writes a column.
func (t FieldType) SQLType() string {
	return [...]string{"text", "integer", "double precision", "boolean", "smallint"}[t]
}

// Field describes one attribute of a layer.
type Field struct {
	Name     string
	Type     FieldType
	Required bool
	Enum     []string // allowed values of a Text field, when set
	Min      float64  // smallest allowed number, when MinSet
	MinSet   bool
}

// Schema describes a layer: its name, geometry family and attributes.
type Schema struct {
	Name   string
	Geom   GeomKind
	Fields []Field
}

// Layer names, in the order fireplan lists them.
const (
	LayerHydrants  = "hydrants"
	LayerStations  = "stations"
	LayerRoads     = "roads"
	LayerBuildings = "buildings"
	LayerVillages  = "villages"
	LayerDistricts = "districts"
	LayerFireLanes = "fire_lanes"
	LayerTownships = "townships"
	LayerBuiltup   = "builtup"
)

// Enumerations of DESIGN.md.
var (
	HydrantKinds    = []string{"municipal", "fire_pool", "natural", "crane"}
	HydrantStatuses = []string{"working", "broken", "planned"}
	StationClasses  = []string{"special", "urban1", "urban2", "small", "township_fulltime", "volunteer", "micro"}
	StationStatuses = []string{"active", "planned"}
	RoadClasses     = []string{"motorway", "trunk", "primary", "secondary", "tertiary", "residential", "service", "track"}
	Structures      = []string{"wood", "brick", "concrete", "mixed"}
	LaneStatuses    = []string{"marked", "unmarked", "obstructed"}
	TownshipKinds   = []string{"town", "township", "subdistrict"}
	BuiltupKinds    = []string{"county_town", "township_seat", "industrial"}
)

func nonNeg(name string, t FieldType) Field { return Field{Name: name, Type: t, Min: 0, MinSet: true} }

// Schemas lists the nine layers of DESIGN.md.
var Schemas = []Schema{
	{LayerHydrants, PointGeom, []Field{
		{Name: "kind", Type: Text, Required: true, Enum: HydrantKinds},
		{Name: "status", Type: Text, Required: true, Enum: HydrantStatuses},
		nonNeg("flow_lps", Float),
		{Name: "installed_year", Type: Int},
	}},
	{LayerStations, PointGeom, []Field{
		{Name: "name", Type: Text},
		{Name: "class", Type: Text, Required: true, Enum: StationClasses},
		{Name: "status", Type: Text, Enum: StationStatuses},
		nonNeg("turnout_s", Float),
	}},
	{LayerRoads, LineGeom, []Field{
		{Name: "class", Type: Text, Required: true, Enum: RoadClasses},
		nonNeg("width_m", Float),
		{Name: "oneway", Type: Direction},
		nonNeg("speed_kmh", Float),
		{Name: "name", Type: Text},
		{Name: "tunnel", Type: Bool},
		{Name: "bridge", Type: Bool},
	}},
	{LayerBuildings, PointOrPolygonGeom, []Field{
		nonNeg("households", Int),
		{Name: "structure", Type: Text, Enum: Structures},
		nonNeg("floors", Int),
	}},
	{LayerVillages, PolygonGeom, []Field{
		{Name: "name", Type: Text},
		{Name: "township_id", Type: Text},
		nonNeg("households", Int),
		{Name: "retrofitted", Type: Bool},
		{Name: "volunteer_brigade", Type: Bool},
	}},
	{LayerDistricts, PolygonGeom, []Field{
		{Name: "name", Type: Text},
		{Name: "built_year", Type: Int},
		nonNeg("households", Int),
	}},
	{LayerFireLanes, LineGeom, []Field{
		{Name: "district_id", Type: Text},
		nonNeg("width_m", Float),
		nonNeg("clear_height_m", Float),
		{Name: "status", Type: Text, Enum: LaneStatuses},
	}},
	{LayerTownships, PolygonGeom, []Field{
		{Name: "name", Type: Text},
		{Name: "county", Type: Text},
		{Name: "kind", Type: Text, Enum: TownshipKinds},
		{Name: "fulltime_brigade", Type: Bool},
	}},
	{LayerBuiltup, PolygonGeom, []Field{
		{Name: "name", Type: Text},
		{Name: "kind", Type: Text, Enum: BuiltupKinds},
	}},
}

// SchemaOf returns the schema of the named layer.
func SchemaOf(name string) (Schema, bool) {
	for _, s := range Schemas {
		if s.Name == name {
			return s, true
		}
	}
	return Schema{}, false
}

// Values holds one row's parsed attributes; a nil entry is a null.
type Values map[string]any

func (v Values) str(k string) string {
	s, _ := v[k].(string)
	return s
}

func (v Values) optFloat(k string) *float64 {
	if f, ok := v[k].(float64); ok {
		return &f
	}
	return nil
}

func (v Values) optInt(k string) *int {
	if i, ok := v[k].(int); ok {
		return &i
	}
	return nil
}

func (v Values) direction(k string) int8 {
	d, _ := v[k].(int8)
	return d
}

func (v Values) boolean(k string) bool {
	b, _ := v[k].(bool)
	return b
}

// RowError is why a row was skipped; Reason is a short stable code.
type RowError struct {
	Reason string
	Detail string
}

func (e *RowError) Error() string { return e.Reason + ": " + e.Detail }

// Skip reasons, counted per layer in the load report.
const (
	ReasonMissingID        = "missing_id"
	ReasonDuplicateID      = "duplicate_id"
	ReasonNullGeometry     = "null_geometry"
	ReasonEmptyGeometry    = "empty_geometry"
	ReasonInvalidGeometry  = "invalid_geometry"
	ReasonWrongGeomType    = "wrong_geometry_type"
	ReasonBadCoordinate    = "bad_coordinate"
	ReasonMissingAttribute = "missing_attribute"
	ReasonBadAttribute     = "bad_attribute"
)

func rowErr(reason, format string, args ...any) *RowError {
	return &RowError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

func (f Field) parse(s string) (any, error) {
	bad := func(want string) error {
		return rowErr(ReasonBadAttribute, "%s = %q is not %s", f.Name, s, want)
	}
	switch f.Type {
	case Text:
		if len(f.Enum) > 0 {
			for _, e := range f.Enum {
				if strings.EqualFold(e, s) {
					return e, nil
				}
			}
			return nil, bad("one of " + strings.Join(f.Enum, ", "))
		}
		return s, nil
	case Int:
		// Accept integral decimals ("3.0") as numeric columns print them.
		fv, err := strconv.ParseFloat(s, 64)
		if err != nil || fv != math.Trunc(fv) || math.Abs(fv) > 1<<31 {
			return nil, bad("an integer")
		}
		if f.MinSet && fv < f.Min {
			return nil, bad(fmt.Sprintf("an integer >= %g", f.Min))
		}
		return int(fv), nil
	case Float:
		fv, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(fv) || math.IsInf(fv, 0) {
			return nil, bad("a finite number")
		}
		if f.MinSet && fv < f.Min {
			return nil, bad(fmt.Sprintf("a number >= %g", f.Min))
		}
		return fv, nil
	case Bool:
		switch strings.ToLower(s) {
		case "true", "t", "yes", "y", "1", "是":
			return true, nil
		case "false", "f", "no", "n", "0", "否":
			return false, nil
		}
		return nil, bad("a boolean")
	case Direction:
		switch strings.ToLower(s) {
		case "true", "t", "yes", "y", "1", "是":
			return Forward, nil
		case "false", "f", "no", "n", "0", "否":
			return TwoWay, nil
		case "-1", "reverse", "backward":
			return Backward, nil
		}
		return nil, bad("a one-way value (yes, no or -1)")
	}
	return nil, bad("known")
}
