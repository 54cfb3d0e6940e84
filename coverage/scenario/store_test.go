package scenario_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/scenario"
	"fireplan/data"
)

func TestApplyAfterReloadReportsGoneTargetsAndAppliesTheRest(t *testing.T) {
	base := randomCounty(rand.New(rand.NewSource(fixture.Seed(t))), 8, 200)
	h := base.Hydrants.Items[0].ID
	sc := mustParse(t, []map[string]any{
		{"layer": "hydrants", "op": "remove", "id": h},
		{"layer": "stations", "op": "set", "id": "s1", "status": "planned"},
		{"layer": "roads", "op": "set", "id": "r0", "passable": false},
	})
	// The reload lost hydrant h and road r0.
	set := setOf(base)
	set.Hydrants = set.Hydrants[1:]
	set.Roads = set.Roads[1:]
	reloaded := data.NewSnapshot(set, "reload", nil)
	snap, problems, err := sc.Apply(reloaded)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || problems[0].ID != h || problems[1].ID != "r0" || !strings.Contains(problems[0].Detail, "change 0") {
		t.Errorf("problems %+v: want the hydrant (change 0) and the road (change 2)", problems)
	}
	if snap.Stations.Items[1].Status != "planned" || snap.Hydrants != reloaded.Hydrants || snap.Roads != reloaded.Roads {
		t.Error("the station change not applied, or an untouched layer not shared")
	}
	if snap.Base != reloaded {
		t.Error("derived from another base")
	}
}

func TestValidateRejectsUnknownIDsAndStationsOffRoads(t *testing.T) {
	base := randomCounty(rand.New(rand.NewSource(fixture.Seed(t))), 8, 200)
	b := base.Roads.Bound()
	far := b.Max[0] + 0.05 // about 5 km east of every road
	cat := newCatalog(t)
	for _, tc := range []struct {
		name    string
		changes []map[string]any
		index   int
		field   string
	}{
		{"unknown station", []map[string]any{{"layer": "hydrants", "op": "add", "id": "x", "lon": b.Min[0], "lat": b.Min[1]},
			{"layer": "stations", "op": "remove", "id": "nope"}}, 1, "id"},
		{"unknown road", []map[string]any{{"layer": "roads", "op": "remove", "id": "nope"}}, 0, "id"},
		{"added id taken", []map[string]any{{"layer": "stations", "op": "add", "id": "s0", "class": "micro", "lon": b.Min[0], "lat": b.Min[1]}}, 0, "id"},
		{"removed twice", []map[string]any{{"layer": "stations", "op": "remove", "id": "s0"}, {"layer": "stations", "op": "set", "id": "s0", "status": "active"}}, 1, "id"},
		{"station off every road", []map[string]any{{"layer": "stations", "op": "add", "id": "n", "class": "micro", "lon": far, "lat": b.Min[1]}}, 0, "lon"},
		{"station moved off", []map[string]any{{"layer": "stations", "op": "set", "id": "s1", "lon": far, "lat": b.Max[1]}}, 0, "lon"},
		{"station beyond the county", []map[string]any{{"layer": "stations", "op": "add", "id": "n", "class": "micro", "lon": b.Min[0] + 10, "lat": b.Min[1]}}, 0, "lon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustParse(t, tc.changes).Validate(context.Background(), cat, base)
			var ce *scenario.ChangeError
			if !errors.As(err, &ce) || ce.Index != tc.index || ce.Field != tc.field {
				t.Errorf("got %v, want change %d field %q", err, tc.index, tc.field)
			}
		})
	}
	ok := mustParse(t, []map[string]any{{"layer": "stations", "op": "add", "id": "n", "class": "micro", "lon": b.Min[0], "lat": b.Min[1]},
		{"layer": "roads", "op": "set", "id": "r0", "passable": false}, {"layer": "roads", "op": "set", "id": "r0", "passable": true}})
	snap, err := ok.Validate(context.Background(), cat, base)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Stations.Len() != 3 || snap.Roads.Len() != base.Roads.Len() {
		t.Errorf("%d stations, %d roads (road closed and reopened)", snap.Stations.Len(), snap.Roads.Len())
	}
}

func TestStoreCapTTLAndSnapshotPerBase(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := scenario.NewStore(2, time.Hour)
	scenario.SetClock(st, func() time.Time { return now })
	sc := func(k int) *scenario.Scenario {
		return mustParse(t, []map[string]any{{"layer": "stations", "op": "remove", "id": fmt.Sprintf("s%d", k)}})
	}
	a, b, c := st.Add(sc(0)), sc(1), sc(2)
	now = now.Add(time.Minute)
	st.Add(b)
	now = now.Add(time.Minute)
	st.Add(c)
	if _, ok := st.Get(a.ID); ok || len(st.List()) != 2 || st.List()[0].ID != b.ID {
		t.Errorf("cap 2: the oldest should go; list %v", st.List())
	}
	now = now.Add(time.Hour - 30*time.Second) // b is past an hour, c not
	if _, ok := st.Get(b.ID); ok {
		t.Error("expired scenario kept")
	}
	if !st.Delete(c.ID) || st.Delete(c.ID) {
		t.Error("delete")
	}
	if _, _, err := st.Snapshot(c.ID, nil); !errors.Is(err, scenario.ErrNotFound) {
		t.Errorf("deleted scenario: %v", err)
	}

	base := randomCounty(rand.New(rand.NewSource(fixture.Seed(t))), 6, 200)
	d := st.Add(sc(1))
	var wg sync.WaitGroup
	snaps := make([]*data.Snapshot, 8)
	for i := range snaps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			snaps[i], _, _ = st.Snapshot(d.ID, base)
		}()
	}
	wg.Wait()
	for _, s := range snaps {
		if s == nil || s != snaps[0] || s.Stations.Len() != 1 {
			t.Fatal("one base version, one derived snapshot")
		}
	}
	set := setOf(base)
	set.Stations = set.Stations[1:] // a reload without s0, where s1 still stands
	again, problems, err := st.Snapshot(d.ID, data.NewSnapshot(set, "reload", nil))
	if err != nil || again == snaps[0] || again.Stations.Len() != 0 || len(problems) != 0 {
		t.Errorf("after a reload: %v, %d stations, %v", err, again.Stations.Len(), problems)
	}
}
