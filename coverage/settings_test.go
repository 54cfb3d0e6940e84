package coverage

import (
	"encoding/json"
	"errors"
	"fireplan/coverage/response"
	"strings"
	"testing"
)

func TestSettings(t *testing.T) {
	tests := []struct {
		name    string
		params  string
		wantErr []string // every one must appear in the error
		check   func(t *testing.T, s Settings, c *Catalog)
	}{
		{name: "county numbers", params: `{"speed_kmh": {"primary": 45}, "turnout_s": {"volunteer": 240},
			"truck_width_m": 3.5, "node_tolerance_m": 1, "radius_m": 120, "separation_m": "8", "include_planned": true, "households_per_building": 3, "minutes": [10, 5, 20]}`,
			check: func(t *testing.T, s Settings, c *Catalog) {
				if s.Response.SpeedKmh["primary"] != 45 || s.Response.SpeedKmh["trunk"] != 50 {
					t.Errorf("speeds %v", s.Response.SpeedKmh)
				}
				if s.Response.TurnoutS["volunteer"] != 240 || s.Response.TruckWidthM != 3.5 || s.Response.NodeToleranceM != 1 {
					t.Errorf("turnout %v, truck %g", s.Response.TurnoutS, s.Response.TruckWidthM)
				}
				for _, name := range []string{"hydrant_gaps", "hydrant_proposals", "hydrant_stats"} {
					e, _ := c.Entry(name)
					if p, _ := e.Param("radius_m"); p.Default != "120" {
						t.Errorf("%s radius default %q", name, p.Default)
					}
				}
				e, _ := c.Entry("clusters")
				if p, _ := e.Param("separation_m"); p.Default != "8" {
					t.Errorf("separation default %q", p.Default)
				}
				for name, want := range map[string]string{"coverage_summary": "5,10,20", "coverage_gaps": "10"} {
					e, _ := c.Entry(name)
					if p, _ := e.Param("minutes"); p.Default != want {
						t.Errorf("%s minutes default %q, want %q", name, p.Default, want)
					}
				}
				e, _ = c.Entry("coverage_gaps")
				if p, _ := e.Param("truck_width_m"); p.Default != "3.5" {
					t.Errorf("truck width default %q, want it from the base", p.Default)
				}
			}},
		{name: "every problem at once", params: `{"speed_kmh": {"highway": 50}, "truck_width_m": "wide", "radius_m": 5, "colour": "red", "turnout_s": {"micro": -1}}`,
			wantErr: []string{"params.speed_kmh: unknown class \"highway\"", "params.truck_width_m: want a number", "params.turnout_s.micro must be >= 0 s",
				"params.radius_m (hydrant_gaps)", "params.colour: no analysis has this parameter", "max_distance_km"}},
		{name: "ranges named by key", params: `{"truck_width_m": 26, "access_max_m": -1, "mode": "curvy"}`,
			wantErr: []string{"params.truck_width_m 26 outside [0, 20]", "params.access_max_m -1 outside [0, 5000]", "params.mode (hydrant_gaps)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var raw map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.params), &raw); err != nil {
				t.Fatal(err)
			}
			s, err := ParseSettings(raw, []string{"households_per_building"})
			base := s.Response
			if err != nil {
				base = response.DefaultParams() // as cmd does: every problem in one run
			}
			c, cerr := New(base, 1<<20)
			if cerr != nil {
				t.Fatal(cerr)
			}
			err = errors.Join(err, c.SetDefaults(s.Query))
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, s, c)
				return
			}
			if err == nil {
				t.Fatalf("no error, want %v", tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
