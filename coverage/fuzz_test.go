package coverage

import (
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fireplan/coverage/response"
	"fireplan/data"
)

// FuzzEntryParse parses a fuzzed raw query against every entry of the
// catalogue. A query is refused with a *ParamError naming the parameter at
// fault, or its values come back canonical: each value is its own
// canonical form (parsing it again changes nothing), numbers are within
// their range with one text per number (no "-0" beside "0"), and the key
// read back as a query gives the same values.
func FuzzEntryParse(f *testing.F) {
	c, err := New(response.DefaultParams(), 1<<20)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range c.Entries {
		q := url.Values{}
		for _, p := range e.Params {
			q.Set(p.Name, p.Default)
		}
		f.Add(q.Encode())
	}
	for _, s := range []string{
		"", "minutes=5", "minutes=15,5,8,5", "minutes=5,8", "minutes=0", "minutes=121", "minutes=NaN", "minutes=Inf",
		"minutes=+Inf", "minutes=0x1p3", "minutes=1_0", "minutes=,,", "minutes=5&minutes=8", "minuets=5",
		"truck_width_m=-0", "truck_width_m=4.0", "truck_width_m=%20%204%20", "k=2.5", "k=21", "k=1e1", "k=-0",
		"class=castle", "mode=straight&include_planned=1", "include_planned=maybe", "by_structure=TRUE&separation_m=6.00",
		"station=%00", "station=" + strings.Repeat("x", 201), "count=100000", "share=1e-400", "k_max=4e0",
		"%zz", "a=%", ";", "minutes=5;k=3", "bbox=1,2,3,4&format=csv",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // the router answers 400 before any entry sees it
		}
		for _, e := range c.Entries {
			v, err := e.Parse(q, "format", "bbox", "limit", "offset", "scenario")
			if err != nil {
				var pe *ParamError
				if !errors.As(err, &pe) {
					t.Fatalf("%s?%s: %T %v, want a *ParamError", e.Name, raw, err, err)
				}
				if !namesAParam(e, pe.Msg) {
					t.Fatalf("%s?%s: error %q names no parameter", e.Name, raw, pe.Msg)
				}
				continue
			}
			for i := range e.Params {
				p := &e.Params[i]
				got := v.Get(p.Name)
				if p.Kind == Text && got == "" {
					continue
				}
				again, err := p.canonical(got)
				if err != nil || again != got {
					t.Fatalf("%s?%s: %s=%q is not canonical (again %q, %v)", e.Name, raw, p.Name, got, again, err)
				}
				if p.Kind == Float || p.Kind == Int {
					x, _ := strconv.ParseFloat(got, 64)
					if x == 0 && math.Signbit(x) {
						t.Fatalf("%s?%s: %s=%q: zero has two texts", e.Name, raw, p.Name, got)
					}
				}
			}
			back, err := url.ParseQuery(v.Key())
			if err != nil {
				t.Fatalf("%s?%s: key %q does not parse: %v", e.Name, raw, v.Key(), err)
			}
			w, err := e.Parse(back)
			if err != nil || w.Key() != v.Key() {
				t.Fatalf("%s?%s: key %q reads back as %q (%v)", e.Name, raw, v.Key(), w.Key(), err)
			}
		}
	})
}

// namesAParam tells whether an error message starts with one of e's
// parameters or says which unknown one it got.
func namesAParam(e *Entry, msg string) bool {
	if strings.HasPrefix(msg, "unknown parameter ") {
		return true
	}
	for _, p := range e.Params {
		if strings.HasPrefix(msg, p.Name+": ") {
			return true
		}
	}
	return false
}

// FuzzSettings reads a config's "params" object as the server does:
// ParseSettings, the catalogue over its response params, then its query
// defaults. Nothing panics; every problem names its param ("params.x");
// and settings that pass leave every entry's defaults canonical, so a
// request without parameters parses.
func FuzzSettings(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"minutes": [5, 8, 15]}`, `{"minutes": 5}`, `{"minutes": "5,8"}`, `{"minutes": [5, "x"]}`,
		`{"speed_kmh": {"trunk": 60}}`, `{"speed_kmh": {"castle": 60}}`, `{"speed_kmh": {"trunk": -1}}`, `{"speed_kmh": 3}`,
		`{"turnout_s": {"volunteer": 300}}`, `{"truck_width_m": 2.5}`, `{"truck_width_m": "2.5"}`, `{"truck_width_m": 1e400}`,
		`{"access_speed_mps": 0}`, `{"radius_m": 150, "mode": "straight", "include_planned": true}`, `{"k": 2.5}`,
		`{"station": "st00001"}`, `{"station": ""}`, `{"nope": 1}`, `{"households_per_building": 2}`, `{"minutes": null}`,
		`{"minutes": {}}`, `{"class": "castle"}`, `{"share": -0}`, `{"max_distance_km": 30}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var params map[string]json.RawMessage
		if err := json.Unmarshal([]byte(raw), &params); err != nil {
			return // the config file does not decode: data reports that
		}
		s, perr := ParseSettings(params, data.ParamNames)
		namesParams(t, raw, perr)
		base := s.Response
		if perr != nil {
			base = response.DefaultParams()
		}
		c, err := New(base, 1<<20)
		if err != nil {
			t.Fatalf("%s: the catalogue refuses params ParseSettings let through: %v", raw, err)
		}
		derr := c.SetDefaults(s.Query)
		namesParams(t, raw, derr)
		if perr != nil || derr != nil {
			return
		}
		for _, e := range c.Entries {
			for _, p := range e.Params {
				if p.Kind == Text && p.Default == "" {
					continue
				}
				if canon, err := p.canonical(p.Default); err != nil || canon != p.Default {
					t.Fatalf("%s: %s's default %s=%q is not canonical (%q, %v)", raw, e.Name, p.Name, p.Default, canon, err)
				}
			}
			if _, err := e.Parse(nil); err != nil {
				t.Fatalf("%s: %s's defaults do not parse: %v", raw, e.Name, err)
			}
		}
	})
}

// paramProblem is how a problem with a param begins: its path, an odd
// name quoted.
var paramProblem = regexp.MustCompile(`^params\.("|[^\s:.])`)

// namesParams fails unless every line of err names a param.
func namesParams(t *testing.T, raw string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, l := range strings.Split(err.Error(), "\n") {
		if !paramProblem.MatchString(l) {
			t.Fatalf("%s: problem %q names no param", raw, l)
		}
	}
}
