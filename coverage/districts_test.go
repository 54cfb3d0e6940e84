package coverage

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/lanes"
)

// TestDistrictPlansOnTheSample reads every old district's plan on the
// sample county, by default and with lanes that must be 6 m wide: the
// numbers agree with the fire-lane and hydrant entries, the actions are
// ranked by households, the districts by households affected.
func TestDistrictPlansOnTheSample(t *testing.T) {
	c := testCatalog(t)
	s := fixture.Sample(t)
	e, _ := c.Entry("district_plans")
	for _, tc := range []struct {
		name, query string
		kinds       []string // action kinds the county must show
	}{
		{"default", "", []string{lanes.WidenLane, lanes.ClearObstruction, AddHydrants}},
		{"a 30 m reach", "lane_reach_m=30", []string{lanes.BuildLane, lanes.WidenLane}},
		{"6 m lanes", "min_width_m=6&lang=en", []string{lanes.WidenLane, AddHydrants}},
		{"a 2 minute target", "minutes=2", []string{StationCover}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			v, err := e.Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ds, err := c.Districts(ctx, s, v)
			if err != nil {
				t.Fatal(err)
			}
			a, err := c.access(ctx, s, v)
			if err != nil {
				t.Fatal(err)
			}
			h, plan, err := c.plan(ctx, s, v)
			if err != nil {
				t.Fatal(err)
			}
			_, hd := h.Stats(plan)
			if len(ds) != s.Districts.Len() {
				t.Fatalf("%d districts, want %d", len(ds), s.Districts.Len())
			}
			kinds := map[string]int{}
			for i, d := range ds {
				if i > 0 && d.HouseholdsAffected > ds[i-1].HouseholdsAffected {
					t.Errorf("%s (%d affected) after %s (%d)", d.ID, d.HouseholdsAffected, ds[i-1].ID, ds[i-1].HouseholdsAffected)
				}
				dl := a.Districts[d.Index]
				if d.HouseholdsBeyondReach != dl.BeyondReachHousehold || d.HydrantDebt != hd[d.Index].Debt || len(d.HydrantSites) != d.HydrantDebt ||
					d.Township == "" || d.HouseholdsAffected > d.Households || d.HouseholdsAffected < d.HouseholdsBeyondReach {
					t.Errorf("%s: %+v", d.ID, d)
				}
				lanesFixed := 0
				for k, act := range d.Actions {
					kinds[act.Kind]++
					if act.Rank != k+1 || k > 0 && act.Households > d.Actions[k-1].Households || act.What.Zh == "" || act.What.En == "" {
						t.Errorf("%s: action %d %+v", d.ID, k, act)
					}
					if act.Kind == lanes.BuildLane || act.Kind == lanes.WidenLane || act.Kind == lanes.ClearObstruction {
						lanesFixed += act.Households
					}
				}
				if lanesFixed != d.HouseholdsBeyondReach {
					t.Errorf("%s: lane actions bring in %d households, %d are beyond reach", d.ID, lanesFixed, d.HouseholdsBeyondReach)
				}
			}
			for _, k := range tc.kinds {
				if kinds[k] == 0 {
					t.Errorf("no %s action in %v", k, kinds)
				}
			}
			tb, err := c.Table(ctx, e, s, v)
			if err != nil {
				t.Fatal(err)
			}
			first := tb.Record(0)
			text := first["actions"].(string)
			if first["id"] != ds[0].ID || len(ds[0].Actions) > 0 && !strings.HasPrefix(text, "1.") ||
				strings.Contains(text, "户") != (v.Get("lang") == "zh") {
				t.Errorf("first row %v", first)
			}
			t.Logf("%v; first: %v", kinds, first)
		})
	}
}
