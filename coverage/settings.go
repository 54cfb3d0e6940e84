package coverage

import (
	"encoding/json"
	"fireplan/data"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fireplan/coverage/response"
)

// Settings are a county's own analysis defaults, as the config file's
// "params" gives them: the response-time numbers every analysis shares and
// the defaults of the catalogue's query parameters.
type Settings struct {
	Response response.Params
	Query    map[string]string // parameter name -> default, checked by SetDefaults
}

// byClass are the params given per road or station class.
var byClass = map[string]func(p *response.Params) map[string]float64{
	"speed_kmh":    func(p *response.Params) map[string]float64 { return p.SpeedKmh },
	"road_width_m": func(p *response.Params) map[string]float64 { return p.WidthM },
	"turnout_s":    func(p *response.Params) map[string]float64 { return p.TurnoutS },
}

// scalars are the response-time params given as one number.
var scalars = map[string]func(p *response.Params) *float64{
	"truck_width_m":    func(p *response.Params) *float64 { return &p.TruckWidthM },
	"access_max_m":     func(p *response.Params) *float64 { return &p.AccessMaxM },
	"access_speed_mps": func(p *response.Params) *float64 { return &p.AccessSpeedMps },
	"station_snap_m":   func(p *response.Params) *float64 { return &p.StationSnapM },
	"node_tolerance_m": func(p *response.Params) *float64 { return &p.NodeToleranceM },
}

// ParseSettings reads params over the defaults of DESIGN.md; with an error,
// what could be read. Names in skip
// belong to someone else (the loader's own params) and are left alone; any
// other name must be a response-time number or a query parameter of some
// analysis. Every problem is reported at once, each naming its param.
func ParseSettings(params map[string]json.RawMessage, skip []string) (Settings, error) {
	s := Settings{Response: response.DefaultParams(), Query: map[string]string{}}
	s.Response.SpeedKmh = cloneMap(s.Response.SpeedKmh)
	s.Response.WidthM = cloneMap(s.Response.WidthM)
	s.Response.TurnoutS = cloneMap(s.Response.TurnoutS)
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var errs []string
	bad := func(name, format string, args ...any) {
		errs = append(errs, data.KeyPath("params", name)+": "+fmt.Sprintf(format, args...))
	}
	for _, name := range names {
		raw := params[name]
		switch {
		case slices.Contains(skip, name):
		case byClass[name] != nil:
			var m map[string]float64
			if err := json.Unmarshal(raw, &m); err != nil {
				bad(name, "want an object of class: number (%v)", err)
				continue
			}
			into := byClass[name](&s.Response)
			for k, v := range m {
				if _, ok := into[k]; !ok {
					bad(name, "unknown class %q (classes: %s)", k, strings.Join(sortedKeys(into), ", "))
					continue
				}
				into[k] = v
			}
		case scalars[name] != nil:
			var f float64
			if err := json.Unmarshal(raw, &f); err != nil {
				bad(name, "want a number (%v)", err)
				continue
			}
			*scalars[name](&s.Response) = f
		default:
			v, err := scalarText(raw)
			if err != nil {
				bad(name, "%v", err)
				continue
			}
			s.Query[name] = v
		}
	}
	if err := s.Response.Check(); err != nil {
		for _, l := range strings.Split(err.Error(), "\n") {
			errs = append(errs, "params."+l)
		}
	}
	if len(errs) > 0 {
		// The settings come back too, so the query defaults can still be
		// checked and every problem told in one run.
		return s, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return s, nil
}

// scalarText turns a JSON number, string, boolean or list of numbers into
// the text a query parameter would carry.
func scalarText(raw json.RawMessage) (string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(v), nil
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			f, ok := x.(float64)
			if !ok {
				return "", fmt.Errorf("want a list of numbers")
			}
			parts[i] = strconv.FormatFloat(f, 'f', -1, 64)
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("want a number, text, boolean or list of numbers")
}

// SetDefaults makes each value the default of the query parameter of that
// name in every entry that declares it, checked as a request's value would
// be; an entry taking fewer numbers than a list gives takes the first ones. A name no entry declares is an error naming the ones that exist.
func (c *Catalog) SetDefaults(q map[string]string) error {
	names := sortedKeys(q)
	var errs []string
	for _, name := range names {
		found := false
		for _, e := range c.Entries {
			p, ok := e.Param(name)
			if !ok {
				continue
			}
			found = true
			v := q[name]
			if parts := strings.Split(v, ","); p.Kind == Floats && p.MaxLen > 0 && len(parts) > p.MaxLen {
				// "minutes": [5, 8, 15] is the county's targets; an analysis
				// of one target takes the first, the primary one.
				v = strings.Join(parts[:p.MaxLen], ",")
			}
			canon, err := p.canonical(v)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s (%s): %v", data.KeyPath("params", name), e.Name, err))
				continue
			}
			p.Default = canon
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: no analysis has this parameter (known: %s)", data.KeyPath("params", name), strings.Join(c.paramNames(), ", ")))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// paramNames lists every query parameter and settings name, sorted.
func (c *Catalog) paramNames() []string {
	set := map[string]bool{}
	for _, e := range c.Entries {
		for _, p := range e.Params {
			set[p.Name] = true
		}
	}
	for k := range byClass {
		set[k] = true
	}
	for k := range scalars {
		set[k] = true
	}
	for _, k := range data.ParamNames {
		set[k] = true
	}
	return sortedKeys(set)
}

func cloneMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
