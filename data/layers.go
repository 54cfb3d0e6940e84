package data

import (
	"github.com/paulmach/orb"
)

// Feature is what every layer's item offers the generic machinery: its id,
// its lon/lat geometry and its attributes by schema name.
type Feature interface {
	FeatureID() string
	Geometry() orb.Geometry
	Properties() Values
}

// Hydrant is a fire hydrant or other water source (kind) and its condition.
type Hydrant struct {
	ID            string
	Geom          orb.Point
	Kind          string   // municipal, fire_pool, natural, crane
	Status        string   // working, broken, planned
	FlowLPS       *float64 // litres per second
	InstalledYear *int
}

// Station is a fire station or brigade.
type Station struct {
	ID       string
	Geom     orb.Point
	Name     string
	Class    string   // special, urban1, urban2, small, township_fulltime, volunteer, micro
	Status   string   // active (default) or planned
	TurnoutS *float64 // seconds; overrides the class default
}

// Road is a road segment or chain of segments.
type Road struct {
	ID       string
	Geom     orb.Geometry // LineString or MultiLineString
	Class    string
	WidthM   *float64 // metres; class default when nil
	Oneway   int8     // 0 both ways, 1 digitised direction only, -1 against it
	SpeedKmh *float64 // overrides the class speed
	Name     string
	Tunnel   bool // no hydrant stands in a tunnel
	Bridge   bool
}

// One-way values of Road.Oneway.
const (
	TwoWay   int8 = 0
	Forward  int8 = 1  // travel in the digitised direction only
	Backward int8 = -1 // travel against the digitised direction only
)

// Building is a house or other building; households defaults to 1.
type Building struct {
	ID         string
	Geom       orb.Geometry // Point, Polygon or MultiPolygon
	Households int
	Structure  string // wood, brick, concrete, mixed; empty when unknown
	Floors     *int
}

// Village is an administrative village.
type Village struct {
	ID               string
	Geom             orb.Geometry // Polygon or MultiPolygon
	Name             string
	TownshipID       string
	Households       *int // census
	Retrofitted      bool
	VolunteerBrigade bool
}

// District is an old residential district (built before 2000).
type District struct {
	ID         string
	Geom       orb.Geometry
	Name       string
	BuiltYear  *int
	Households *int
}

// FireLane is a fire lane inside an old district.
type FireLane struct {
	ID           string
	Geom         orb.Geometry // LineString or MultiLineString
	DistrictID   string
	WidthM       *float64
	ClearHeightM *float64
	Status       string // marked, unmarked, obstructed
}

// Township is a township, town or subdistrict.
type Township struct {
	ID              string
	Geom            orb.Geometry
	Name            string
	County          string
	Kind            string
	FulltimeBrigade bool
}

// Builtup is a built-up area: county town, township seat or industrial park.
type Builtup struct {
	ID   string
	Geom orb.Geometry
	Name string
	Kind string
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// FeatureID, Geometry and Properties implement Feature for each layer.

func (h Hydrant) FeatureID() string      { return h.ID }
func (h Hydrant) Geometry() orb.Geometry { return h.Geom }
func (h Hydrant) Properties() Values {
	return Values{"kind": h.Kind, "status": h.Status, "flow_lps": ptr(h.FlowLPS), "installed_year": ptr(h.InstalledYear)}
}

func (s Station) FeatureID() string      { return s.ID }
func (s Station) Geometry() orb.Geometry { return s.Geom }
func (s Station) Properties() Values {
	return Values{"name": nilIfEmpty(s.Name), "class": s.Class, "status": s.Status, "turnout_s": ptr(s.TurnoutS)}
}

func (r Road) FeatureID() string      { return r.ID }
func (r Road) Geometry() orb.Geometry { return r.Geom }
func (r Road) Properties() Values {
	return Values{"class": r.Class, "width_m": ptr(r.WidthM), "oneway": int(r.Oneway), "speed_kmh": ptr(r.SpeedKmh), "name": nilIfEmpty(r.Name),
		"tunnel": r.Tunnel, "bridge": r.Bridge}
}

func (b Building) FeatureID() string      { return b.ID }
func (b Building) Geometry() orb.Geometry { return b.Geom }
func (b Building) Properties() Values {
	return Values{"households": b.Households, "structure": nilIfEmpty(b.Structure), "floors": ptr(b.Floors)}
}

func (v Village) FeatureID() string      { return v.ID }
func (v Village) Geometry() orb.Geometry { return v.Geom }
func (v Village) Properties() Values {
	return Values{"name": nilIfEmpty(v.Name), "township_id": nilIfEmpty(v.TownshipID), "households": ptr(v.Households),
		"retrofitted": v.Retrofitted, "volunteer_brigade": v.VolunteerBrigade}
}

func (d District) FeatureID() string      { return d.ID }
func (d District) Geometry() orb.Geometry { return d.Geom }
func (d District) Properties() Values {
	return Values{"name": nilIfEmpty(d.Name), "built_year": ptr(d.BuiltYear), "households": ptr(d.Households)}
}

func (f FireLane) FeatureID() string      { return f.ID }
func (f FireLane) Geometry() orb.Geometry { return f.Geom }
func (f FireLane) Properties() Values {
	return Values{"district_id": nilIfEmpty(f.DistrictID), "width_m": ptr(f.WidthM), "clear_height_m": ptr(f.ClearHeightM), "status": nilIfEmpty(f.Status)}
}

func (t Township) FeatureID() string      { return t.ID }
func (t Township) Geometry() orb.Geometry { return t.Geom }
func (t Township) Properties() Values {
	return Values{"name": nilIfEmpty(t.Name), "county": nilIfEmpty(t.County), "kind": nilIfEmpty(t.Kind), "fulltime_brigade": t.FulltimeBrigade}
}

func (b Builtup) FeatureID() string      { return b.ID }
func (b Builtup) Geometry() orb.Geometry { return b.Geom }
func (b Builtup) Properties() Values {
	return Values{"name": nilIfEmpty(b.Name), "kind": nilIfEmpty(b.Kind)}
}

// decoders build each layer's value from a validated id, geometry and values.
func decodeHydrant(id string, g orb.Geometry, v Values) Hydrant {
	return Hydrant{ID: id, Geom: g.(orb.Point), Kind: v.str("kind"), Status: v.str("status"),
		FlowLPS: v.optFloat("flow_lps"), InstalledYear: v.optInt("installed_year")}
}

func decodeStation(id string, g orb.Geometry, v Values) Station {
	s := Station{ID: id, Geom: g.(orb.Point), Name: v.str("name"), Class: v.str("class"), Status: v.str("status"),
		TurnoutS: v.optFloat("turnout_s")}
	if s.Status == "" {
		s.Status = "active"
	}
	return s
}

func decodeRoad(id string, g orb.Geometry, v Values) Road {
	return Road{ID: id, Geom: g, Class: v.str("class"), WidthM: v.optFloat("width_m"), Oneway: v.direction("oneway"),
		SpeedKmh: v.optFloat("speed_kmh"), Name: v.str("name"), Tunnel: v.boolean("tunnel"), Bridge: v.boolean("bridge")}
}

func decodeBuilding(id string, g orb.Geometry, v Values) Building {
	b := Building{ID: id, Geom: g, Households: 1, Structure: v.str("structure"), Floors: v.optInt("floors")}
	if h := v.optInt("households"); h != nil {
		b.Households = *h
	}
	return b
}

func decodeVillage(id string, g orb.Geometry, v Values) Village {
	return Village{ID: id, Geom: g, Name: v.str("name"), TownshipID: v.str("township_id"), Households: v.optInt("households"),
		Retrofitted: v.boolean("retrofitted"), VolunteerBrigade: v.boolean("volunteer_brigade")}
}

func decodeDistrict(id string, g orb.Geometry, v Values) District {
	return District{ID: id, Geom: g, Name: v.str("name"), BuiltYear: v.optInt("built_year"), Households: v.optInt("households")}
}

func decodeFireLane(id string, g orb.Geometry, v Values) FireLane {
	return FireLane{ID: id, Geom: g, DistrictID: v.str("district_id"), WidthM: v.optFloat("width_m"),
		ClearHeightM: v.optFloat("clear_height_m"), Status: v.str("status")}
}

func decodeTownship(id string, g orb.Geometry, v Values) Township {
	return Township{ID: id, Geom: g, Name: v.str("name"), County: v.str("county"), Kind: v.str("kind"),
		FulltimeBrigade: v.boolean("fulltime_brigade")}
}

func decodeBuiltup(id string, g orb.Geometry, v Values) Builtup {
	return Builtup{ID: id, Geom: g, Name: v.str("name"), Kind: v.str("kind")}
}
