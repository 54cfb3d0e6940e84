package osm

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"fireplan/data"
)

// Options are the mapping's knobs. Start from DefaultOptions; an override
// file unmarshalled on top replaces scalars and merges maps key by key.
type Options struct {
	// Classes maps highway values to road classes; values absent are not
	// roads for trucks.
	Classes map[string]string `json:"highway_classes"`
	// TruckSpeedKmh is each class's truck speed (km/h, DESIGN.md's table;
	// keep it in step with the county's config): a posted maxspeed below it
	// becomes the road's speed_kmh.
	TruckSpeedKmh map[string]float64 `json:"truck_speed_kmh"`
	// MinClearanceM is the truck's height (metres): a lower maxheight is
	// counted.
	MinClearanceM float64 `json:"min_clearance_m"`

	// Households by building value, for buildings without building:flats.
	Households map[string]int `json:"households"`
	// DefaultHouseholds is for building values in neither Households nor
	// FloorAreaTypes.
	DefaultHouseholds int `json:"default_households"`
	// FloorAreaTypes are building values whose households come from floor
	// area: footprint x levels / FloorAreaPerHouseholdM2, at least 1.
	FloorAreaTypes          []string `json:"households_by_floor_area"`
	FloorAreaPerHouseholdM2 float64  `json:"floor_area_per_household_m2"`
	// DefaultLevels is used for FloorAreaTypes without building:levels.
	DefaultLevels int `json:"default_levels"`

	// StationClass is the class of a station no rule matches.
	StationClass string `json:"station_class"`
	// StationClassByTag maps "key=value" to a class; the first match in
	// sorted order wins.
	StationClassByTag map[string]string `json:"station_class_by_tag"`

	// TownshipAdminLevel is the admin_level of townships' boundaries.
	TownshipAdminLevel string `json:"township_admin_level"`
	// VillageRadiusM bounds the buildings a village place node takes
	// (metres); VillageCircleM is the circle it gets without them.
	VillageRadiusM float64 `json:"village_radius_m"`
	VillageCircleM float64 `json:"village_circle_m"`
	// BuiltupLanduse maps landuse values to built-up kinds ("" for none).
	BuiltupLanduse map[string]string `json:"builtup_landuse"`

	// Tags, when set, receives each item's source tags as a JSON object
	// (sorted keys), for a JSON column; a split road's pieces all get their
	// way's tags.
	Tags func(layer, id string, tags json.RawMessage) `json:"-"`
}

// DefaultOptions returns the mapping documented in the package comment.
func DefaultOptions() Options {
	return Options{
		Classes: map[string]string{
			"motorway": "motorway", "motorway_link": "motorway",
			"trunk": "trunk", "trunk_link": "trunk",
			"primary": "primary", "primary_link": "primary",
			"secondary": "secondary", "secondary_link": "secondary",
			"tertiary": "tertiary", "tertiary_link": "tertiary",
			"unclassified": "residential", "residential": "residential", "living_street": "residential",
			"service": "service", "track": "track",
		},
		TruckSpeedKmh: map[string]float64{"motorway": 60, "trunk": 50, "primary": 40, "secondary": 35,
			"tertiary": 30, "residential": 25, "service": 15, "track": 15},
		MinClearanceM: 4,
		Households: map[string]int{
			"house": 1, "detached": 1, "semidetached_house": 1, "bungalow": 1, "farm": 1, "cabin": 1, "hut": 1,
			"static_caravan": 1, "houseboat": 1,
			"garage": 0, "garages": 0, "carport": 0, "shed": 0, "roof": 0, "barn": 0, "cowshed": 0, "stable": 0,
			"sty": 0, "greenhouse": 0, "farm_auxiliary": 0, "storage_tank": 0, "silo": 0, "toilets": 0,
			"commercial": 0, "retail": 0, "office": 0, "industrial": 0, "warehouse": 0, "kiosk": 0, "supermarket": 0,
			"school": 0, "kindergarten": 0, "university": 0, "college": 0, "hospital": 0, "public": 0, "civic": 0,
			"government": 0, "church": 0, "chapel": 0, "cathedral": 0, "mosque": 0, "temple": 0, "shrine": 0,
			"religious": 0, "train_station": 0, "transportation": 0, "parking": 0, "service": 0, "hotel": 0,
			"fire_station": 0, "construction": 0, "ruins": 0, "bridge": 0, "hangar": 0, "sports_hall": 0,
			"stadium": 0, "grandstand": 0, "pavilion": 0, "gatehouse": 0, "museum": 0, "tower": 0, "water_tower": 0,
			"utility": 0, "transformer_tower": 0, "bunker": 0, "entrance": 0, "underpass_entrance": 0,
		},
		DefaultHouseholds:       1,
		FloorAreaTypes:          []string{"apartments", "residential", "dormitory", "terrace"},
		FloorAreaPerHouseholdM2: 100,
		DefaultLevels:           5,
		StationClass:            "volunteer",
		TownshipAdminLevel:      "8",
		VillageRadiusM:          500,
		VillageCircleM:          200,
		BuiltupLanduse:          map[string]string{"residential": "", "commercial": "", "retail": "", "industrial": "industrial"},
	}
}

// check reports a knob whose value fireplan's layers would refuse.
func (o *Options) check() error {
	var errs []string
	for hw, c := range o.Classes {
		if !slices.Contains(data.RoadClasses, c) {
			errs = append(errs, fmt.Sprintf("highway_classes[%q] = %q is not a road class", hw, c))
		}
	}
	if !slices.Contains(data.StationClasses, o.StationClass) {
		errs = append(errs, fmt.Sprintf("station_class %q is not a station class", o.StationClass))
	}
	for tag, c := range o.StationClassByTag {
		if !slices.Contains(data.StationClasses, c) {
			errs = append(errs, fmt.Sprintf("station_class_by_tag[%q] = %q is not a station class", tag, c))
		}
		if !strings.Contains(tag, "=") {
			errs = append(errs, fmt.Sprintf("station_class_by_tag key %q is not key=value", tag))
		}
	}
	for lu, k := range o.BuiltupLanduse {
		if k != "" && !slices.Contains(data.BuiltupKinds, k) {
			errs = append(errs, fmt.Sprintf("builtup_landuse[%q] = %q is not a built-up kind", lu, k))
		}
	}
	if o.DefaultHouseholds < 0 || o.FloorAreaPerHouseholdM2 <= 0 || o.DefaultLevels < 1 {
		errs = append(errs, "default_households must be >= 0, floor_area_per_household_m2 > 0, default_levels >= 1")
	}
	if o.VillageRadiusM < 0 || o.VillageCircleM <= 0 {
		errs = append(errs, "village_radius_m must be >= 0 and village_circle_m > 0")
	}
	slices.Sort(errs)
	if len(errs) > 0 {
		return fmt.Errorf("osm options: %s", strings.Join(errs, "; "))
	}
	return nil
}
