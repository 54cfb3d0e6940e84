package scenario_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/coverage/scenario"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// randomCounty lays a jittered street grid (n x n corners, spacing metres)
// with a few links missing, two stations, buildings beside the streets,
// hydrants at some corners, one built-up area and two townships: the
// random graph of the oracles.
func randomCounty(rng *rand.Rand, n int, spacing float64) *data.Snapshot {
	t := fixture.NewTiny()
	corner := make([]orb.Point, n*n)
	for i := range corner {
		corner[i] = orb.Point{float64(i%n)*spacing + (rng.Float64()-0.5)*0.3*spacing, float64(i/n)*spacing + (rng.Float64()-0.5)*0.3*spacing}
	}
	classes := []string{"residential", "tertiary", "secondary", "service"}
	for i := range corner {
		for _, j := range []int{i + 1, i + n} {
			if j >= n*n || j == i+1 && j%n == 0 || rng.Float64() < 0.08 {
				continue
			}
			a, b := corner[i], corner[j]
			t.Road(fmt.Sprintf("r%d", len(t.Set.Roads)), classes[rng.Intn(len(classes))], 6, false, a, b)
			for k := 0; k < 3; k++ { // houses beside the street
				f, side := rng.Float64(), 10+20*rng.Float64()
				p := orb.Point{a[0] + f*(b[0]-a[0]) + side, a[1] + f*(b[1]-a[1]) + side}
				t.House(fmt.Sprintf("b%d", len(t.Set.Buildings)), p[0], p[1], 8, 8, 1+rng.Intn(4), "brick")
			}
		}
		if rng.Float64() < 0.2 {
			t.Hydrant(fmt.Sprintf("h%d", len(t.Set.Hydrants)), corner[i])
		}
	}
	t.Station("s0", "urban2", corner[0], nil)
	t.Station("s1", "volunteer", corner[n*n-1], nil)
	t.BuiltupAround(-spacing, -spacing, float64(n)*spacing, float64(n)*spacing)
	half := float64(n) * spacing / 2
	for k, x := range []float64{-spacing, half} {
		ring := orb.Ring{t.LL(orb.Point{x, -spacing}), t.LL(orb.Point{x + half + spacing, -spacing}),
			t.LL(orb.Point{x + half + spacing, float64(n) * spacing}), t.LL(orb.Point{x, float64(n) * spacing})}
		ring = append(ring, ring[0])
		t.Set.Townships = append(t.Set.Townships, data.Township{ID: fmt.Sprintf("t%d", k), Name: fmt.Sprintf("township %d", k), Geom: orb.Polygon{ring}})
	}
	return t.Snapshot()
}

type county struct {
	name string
	snap *data.Snapshot
}

func counties(t *testing.T) []county {
	seed := fixture.Seed(t)
	return []county{
		{"sample", fixture.Sample(t)},
		{"variant", fixture.Variant(t)},
		{fmt.Sprintf("random seed=%d", seed), randomCounty(rand.New(rand.NewSource(seed)), 14, 220)},
	}
}

// setOf returns a copy of the content of s.
func setOf(s *data.Snapshot) *data.Set {
	return &data.Set{Hydrants: slices.Clone(s.Hydrants.Items), Stations: slices.Clone(s.Stations.Items), Roads: slices.Clone(s.Roads.Items),
		Buildings: slices.Clone(s.Buildings.Items), Villages: slices.Clone(s.Villages.Items), Districts: slices.Clone(s.Districts.Items),
		FireLanes: slices.Clone(s.FireLanes.Items), Townships: slices.Clone(s.Townships.Items), Builtup: slices.Clone(s.Builtup.Items)}
}

// roadPoints returns k road vertices spread over the layer (every
// len/(k+1)-th road's middle vertex).
func roadPoints(s *data.Snapshot, k int) []orb.Point {
	var out []orb.Point
	for j := 1; j <= k; j++ {
		var ls orb.LineString
		switch g := s.Roads.Items[j*s.Roads.Len()/(k+1)].Geom.(type) {
		case orb.LineString:
			ls = g
		case orb.MultiLineString:
			ls = g[0]
		}
		out = append(out, ls[len(ls)/2])
	}
	return out
}

func mustParse(t *testing.T, changes []map[string]any) *scenario.Scenario {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"name": "oracle", "changes": changes})
	sc, err := scenario.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func newCatalog(t *testing.T) *coverage.Catalog {
	t.Helper()
	cat, err := coverage.New(response.DefaultParams(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func table(t *testing.T, cat *coverage.Catalog, name string, s *data.Snapshot) *coverage.Table {
	t.Helper()
	e, _ := cat.Entry(name)
	tb, err := cat.Table(context.Background(), e, s, e.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// sameTable fails at the first row where got and want differ.
func sameTable(t *testing.T, name string, got, want *coverage.Table) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("%s: %d rows, want %d", name, got.Len(), want.Len())
	}
	for i := range got.Len() {
		if got.ID(i) != want.ID(i) {
			t.Fatalf("%s row %d: id %s, want %s", name, i, got.ID(i), want.ID(i))
		}
		if !reflect.DeepEqual(got.Row(i), want.Row(i)) {
			t.Fatalf("%s row %s: scenario %v, fresh %v", name, got.ID(i), got.Row(i), want.Row(i))
		}
		if !reflect.DeepEqual(got.Geom(i), want.Geom(i)) {
			t.Fatalf("%s row %s: geometry differs", name, got.ID(i))
		}
	}
}

// oracle compares the scenario's tables with those of a fresh catalogue
// on a fresh load of base's content edited by edit.
func oracle(t *testing.T, base *data.Snapshot, sc *scenario.Scenario, edit func(*data.Set), names ...string) {
	t.Helper()
	cat := newCatalog(t)
	scen, problems, err := sc.Apply(base)
	if err != nil || len(problems) > 0 {
		t.Fatalf("apply: %v %v", err, problems)
	}
	set := setOf(base)
	edit(set)
	fresh := data.NewSnapshot(set, "fresh", nil)
	if fresh.Proj.Origin() != base.Proj.Origin() {
		t.Fatalf("fresh origin %v, base %v: the oracle would compare other metres", fresh.Proj.Origin(), base.Proj.Origin())
	}
	if fresh.Version != scen.Version {
		t.Errorf("fresh version %s, scenario %s: the same content", fresh.VersionHex(), scen.VersionHex())
	}
	freshCat := newCatalog(t)
	for _, name := range names {
		before, got, want := table(t, cat, name, base), table(t, cat, name, scen), table(t, freshCat, name, fresh)
		sameTable(t, name, got, want)
		if same(before, got) {
			t.Errorf("%s: the scenario changes nothing, so the oracle proves nothing", name)
		}
	}
	// The scenario reused the base's graphs.
	for _, kind := range []string{"truck_graph", "street_graph"} {
		if n := cat.Cache.Computed(kind); n > 1 {
			t.Errorf("%s built %d times for base and scenario", kind, n)
		}
	}
}

func TestAddedStationsEqualFreshComputation(t *testing.T) {
	for _, c := range counties(t) {
		t.Run(c.name, func(t *testing.T) {
			var changes []map[string]any
			var added []data.Station
			for k, p := range roadPoints(c.snap, 3) {
				id := fmt.Sprintf("new-%d", k+1)
				changes = append(changes, map[string]any{"layer": "stations", "op": "add", "id": id, "class": "township_fulltime", "lon": p[0], "lat": p[1]})
				added = append(added, data.Station{ID: id, Geom: p, Class: "township_fulltime", Status: "active"})
			}
			oracle(t, c.snap, mustParse(t, changes), func(s *data.Set) { s.Stations = append(s.Stations, added...) },
				"coverage_buildings", "coverage_summary")
		})
	}
}

func TestHydrantChangesEqualFreshComputation(t *testing.T) {
	for _, c := range counties(t) {
		t.Run(c.name, func(t *testing.T) {
			var changes []map[string]any
			removed := map[string]bool{}
			for i, h := range c.snap.Hydrants.Items {
				if i%7 == 3 {
					changes = append(changes, map[string]any{"layer": "hydrants", "op": "remove", "id": h.ID})
					removed[h.ID] = true
				}
			}
			var added []data.Hydrant
			for k, p := range roadPoints(c.snap, 5) {
				id := fmt.Sprintf("new-h%d", k+1)
				changes = append(changes, map[string]any{"layer": "hydrants", "op": "add", "id": id, "lon": p[0], "lat": p[1]})
				added = append(added, data.Hydrant{ID: id, Geom: p, Kind: "municipal", Status: "working"})
			}
			if len(removed) < 2 {
				t.Fatalf("only %d hydrants removed", len(removed))
			}
			oracle(t, c.snap, mustParse(t, changes), func(s *data.Set) {
				s.Hydrants = slices.DeleteFunc(s.Hydrants, func(h data.Hydrant) bool { return removed[h.ID] })
				s.Hydrants = append(s.Hydrants, added...)
			}, "hydrant_gaps", "hydrant_stats")
		})
	}
}

// same tells whether two tables have the same rows.
func same(a, b *coverage.Table) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i := range a.Len() {
		if a.ID(i) != b.ID(i) || !reflect.DeepEqual(a.Row(i), b.Row(i)) {
			return false
		}
	}
	return true
}
