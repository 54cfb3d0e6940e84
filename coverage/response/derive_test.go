package response_test

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// edit changes a county's stations, given its response; ok false when the
// county offers no such case (a one-way road, a second piece of road).
type edit func(r *response.Response) (stations []data.Station, ok bool)

// scenario derives from base a snapshot with stations changed by e.
func scenario(t testing.TB, base *data.Snapshot, stations []data.Station) *data.Snapshot {
	t.Helper()
	d, rep := base.Derive("scenario", data.Edit{Stations: &stations})
	if l := rep.Layer(data.LayerStations); l != nil && l.SkippedTotal() > 0 {
		t.Fatalf("stations skipped: %v", l.Skipped)
	}
	return d
}

func stationsOf(r *response.Response) []data.Station { return slices.Clone(r.Snap.Stations.Items) }

// farthest returns the metric point of the reached building the last crew
// reaches: far from every station, but on the network.
func farthest(r *response.Response) orb.Point {
	best := -1
	for i, a := range r.Buildings {
		if a.Reach == response.Reached && (best < 0 || a.T > r.Buildings[best].T) {
			best = i
		}
	}
	return r.Member.Centroid[best]
}

// active returns the indices of the active stations placed on the graph.
func active(r *response.Response) []int {
	var out []int
	for _, st := range r.Starts {
		out = append(out, int(st.Station))
	}
	return out
}

func addAt(r *response.Response, id, class string, p orb.Point) []data.Station {
	return append(stationsOf(r), data.Station{ID: id, Geom: r.Snap.Proj.Inverse(p), Class: class, Status: "active"})
}

func removeStation(r *response.Response, i int) []data.Station {
	return slices.Delete(stationsOf(r), i, i+1)
}

// edits are the scenarios every county is put through.
var edits = []struct {
	name string
	e    edit
}{
	{"add one far", func(r *response.Response) ([]data.Station, bool) {
		return addAt(r, "new-1", "township_fulltime", farthest(r)), true
	}},
	{"move one", func(r *response.Response) ([]data.Station, bool) {
		ss := stationsOf(r)
		i := active(r)[0]
		ss[i].Geom = r.Snap.Proj.Inverse(farthest(r))
		return ss, true
	}},
	{"remove one", func(r *response.Response) ([]data.Station, bool) {
		a := active(r)
		return removeStation(r, a[len(a)/2]), true
	}},
	{"set one to planned", func(r *response.Response) ([]data.Station, bool) {
		ss := stationsOf(r)
		ss[active(r)[0]].Status = "planned"
		return ss, true
	}},
	{"several at once", func(r *response.Response) ([]data.Station, bool) {
		a := active(r)
		if len(a) < 4 {
			return nil, false
		}
		ss := stationsOf(r)
		slow := 400.0
		ss[a[1]].TurnoutS = &slow
		ss[a[2]].Class = "volunteer"
		ss[a[3]].Geom = r.Snap.Proj.Inverse(farthest(r))
		ss = slices.Delete(ss, a[0], a[0]+1)
		// one at the front (every old station's number shifts) and one at the end
		far := farthest(r)
		ss = slices.Insert(ss, 0, data.Station{ID: "new-0", Geom: r.Snap.Proj.Inverse(orb.Point{far[0] + 300, far[1] - 200}), Class: "micro", Status: "active"})
		return append(ss, data.Station{ID: "new-9", Geom: r.Snap.Proj.Inverse(r.Member.Centroid[len(r.Buildings)/3]), Class: "urban2", Status: "active"}), true
	}},
	{"new on a one-way road", func(r *response.Response) ([]data.Station, bool) {
		g := r.Graph
		far := farthest(r)
		best, bestD := int32(-1), math.Inf(1)
		for e := range g.Edges {
			ed := &g.Edges[e]
			if math.IsInf(ed.Fwd, 1) == math.IsInf(ed.Bwd, 1) || ed.Length < 20 {
				continue
			}
			if d := math.Hypot(g.Nodes[ed.From][0]-far[0], g.Nodes[ed.From][1]-far[1]); d < bestD {
				best, bestD = int32(e), d
			}
		}
		if best < 0 {
			return nil, false
		}
		return addAt(r, "new-oneway", "township_fulltime", g.EdgePoint(best, g.Edges[best].Length/2)), true
	}},
	{"remove one that disconnects nothing", func(r *response.Response) ([]data.Station, bool) {
		// The station whose removal keeps every road reached: any but a
		// lone station of a piece; checked below by the unreached roads.
		a := active(r)
		if len(a) < 2 {
			return nil, false
		}
		return removeStation(r, a[0]), true
	}},
	{"add one that wins mid-road only", midRoad},
	{"add one on an unreached piece", func(r *response.Response) ([]data.Station, bool) {
		p, ok := unreachedPiece(r)
		if !ok {
			return nil, false
		}
		return addAt(r, "new-island", "volunteer", p), true
	}},
}

// midRoad adds a station on a two-way road beside the building that
// crews reach latest after the later end of its road, turning out that
// late: it beats the old crews there but neither end of the road, so no
// node's time changes and only the station on the edge can tell.
func midRoad(r *response.Response) ([]data.Station, bool) {
	g := r.Graph
	best, margin := -1, 0.0
	for i, a := range r.Buildings {
		if a.Reach != response.Reached {
			continue
		}
		ed := &g.Edges[a.Edge]
		if math.IsInf(ed.Fwd, 1) || math.IsInf(ed.Bwd, 1) {
			continue // the station might snap a hair past the building, where a one-way road forbids
		}
		if m := a.T - a.AccessM/r.Params.AccessSpeedMps - math.Max(r.Times.T[ed.From], r.Times.T[ed.To]); m > margin {
			best, margin = i, m
		}
	}
	if best < 0 {
		return nil, false
	}
	a := r.Buildings[best]
	ed := &g.Edges[a.Edge]
	turnout := math.Max(r.Times.T[ed.From], r.Times.T[ed.To])
	ss := addAt(r, "new-mid", "volunteer", g.EdgePoint(a.Edge, a.S))
	ss[len(ss)-1].TurnoutS = &turnout
	return ss, true
}

// unreachedPiece returns a node of a piece of road no station reaches, one
// that leads somewhere (two or more edges).
func unreachedPiece(r *response.Response) (orb.Point, bool) {
	for _, c := range r.Graph.Report.Components {
		p := r.Snap.Proj.Forward(c.At)
		sp, ok := r.Snapper.Nearest(p, 1)
		if c.Edges >= 2 && ok && math.IsInf(r.Times.T[r.Graph.Edges[sp.Edge].From], 1) {
			return p, true
		}
	}
	return orb.Point{}, false
}

// checkDerive derives the scenario's response from base's and compares it
// with a fresh one; it returns the fresh one.
func checkDerive(t *testing.T, base *response.Response, stations []data.Station) *response.Response {
	t.Helper()
	ctx := context.Background()
	s := scenario(t, base.Snap, stations)
	got, err := base.Derive(ctx, s, base.Member)
	if err != nil {
		t.Fatal(err)
	}
	want, err := response.New(ctx, s, base.Params, base.Graph, base.Snapper, base.Member, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameResponse(t, got, want)
	return want
}

// sameResponse compares every node's time and source, the stations placed
// and every demand point's arrival.
func sameResponse(t *testing.T, got, want *response.Response) {
	t.Helper()
	bad := 0
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		if bad++; bad >= 10 {
			t.FailNow()
		}
	}
	same := func(a, b float64) bool { return a == b || math.Abs(a-b) <= 1e-9 }
	for n := range want.Times.T {
		if !same(got.Times.T[n], want.Times.T[n]) || got.Times.Src[n] != want.Times.Src[n] {
			fail("node %d: %v s from %d, want %v s from %d", n, got.Times.T[n], got.Times.Src[n], want.Times.T[n], want.Times.Src[n])
		}
	}
	if !reflect.DeepEqual(got.Starts, want.Starts) || !reflect.DeepEqual(got.Seeds, want.Seeds) {
		fail("starts or seeds differ")
	}
	if !reflect.DeepEqual(got.Problems, want.Problems) || got.UnreachedRoads != want.UnreachedRoads {
		fail("problems: %d (%d unreached roads), want %d (%d)", len(got.Problems), got.UnreachedRoads, len(want.Problems), want.UnreachedRoads)
	}
	for _, l := range []struct {
		name      string
		got, want []response.Arrival
	}{{"building", got.Buildings, want.Buildings}, {"village", got.Villages, want.Villages}, {"district", got.Districts, want.Districts}} {
		if len(l.got) != len(l.want) {
			fail("%d %ss, want %d", len(l.got), l.name, len(l.want))
			continue
		}
		for i, w := range l.want {
			g := l.got[i]
			if !same(g.T, w.T) || g.Station != w.Station || g.Reach != w.Reach || g.Edge != w.Edge || g.S != w.S || g.AccessM != w.AccessM {
				fail("%s %d: %+v, want %+v", l.name, i, g, w)
			}
		}
	}
}

// changed counts the buildings whose arrival differs between a and b.
func changed(a, b *response.Response) int {
	n := 0
	for i := range a.Buildings {
		if a.Buildings[i].T != b.Buildings[i].T || a.Buildings[i].Reach != b.Buildings[i].Reach {
			n++
		}
	}
	return n
}

func TestDeriveEqualsNewOnCounties(t *testing.T) {
	for _, county := range fixture.Counties() {
		t.Run(county.Name, func(t *testing.T) {
			base := fixture.Respond(t, county.Snap(t), response.DefaultParams())
			// Every case needs four active stations: a county with fewer
			// (Helsinki has one) gets more, each where the last crew arrives.
			for i := 0; len(base.Starts) < 4; i++ {
				base = fixture.Respond(t, scenario(t, base.Snap, addAt(base, fmt.Sprintf("extra-%d", i), "township_fulltime", farthest(base))), base.Params)
			}
			for _, tc := range edits {
				t.Run(tc.name, func(t *testing.T) {
					stations, ok := tc.e(base)
					if !ok {
						t.Fatalf("%s has no such case: choose the case's data so that every county has one", county.Name)
					}
					want := checkDerive(t, base, stations)
					moved := changed(base, want)
					if moved == 0 && tc.name != "remove one that disconnects nothing" && tc.name != "add one on an unreached piece" {
						t.Errorf("no building's arrival changed: the case tests nothing")
					}
					switch tc.name {
					case "remove one that disconnects nothing":
						if want.UnreachedRoads != base.UnreachedRoads {
							t.Errorf("unreached roads %d, was %d", want.UnreachedRoads, base.UnreachedRoads)
						}
					case "add one on an unreached piece":
						if want.UnreachedRoads >= base.UnreachedRoads {
							t.Errorf("unreached roads %d, was %d: the piece was not reached", want.UnreachedRoads, base.UnreachedRoads)
						}
					}
					t.Logf("%d buildings' arrivals changed; %d unreached roads, was %d", moved, want.UnreachedRoads, base.UnreachedRoads)
				})
			}
			t.Run("remove one that wins mid-road only", func(t *testing.T) {
				stations, ok := midRoad(base)
				if !ok {
					t.Fatalf("%s has no such road", county.Name)
				}
				with := fixture.Respond(t, scenario(t, base.Snap, stations), base.Params)
				want := checkDerive(t, with, stations[:len(stations)-1])
				if changed(with, want) == 0 {
					t.Errorf("no building's arrival changed: the case tests nothing")
				}
			})
			// Removing a piece's only station leaves it unreached again (in
			// Helsinki: the one station, and everything with it).
			t.Run("remove the only station of a piece", func(t *testing.T) {
				withIsland := base
				if len(base.Starts) > 1 {
					p, ok := unreachedPiece(base)
					if !ok {
						t.Fatalf("%s has no unreached piece", county.Name)
					}
					withIsland = fixture.Respond(t, scenario(t, base.Snap, addAt(base, "new-island", "volunteer", p)), base.Params)
				}
				last := int(withIsland.Starts[len(withIsland.Starts)-1].Station)
				want := checkDerive(t, withIsland, removeStation(withIsland, last))
				if want.UnreachedRoads <= withIsland.UnreachedRoads {
					t.Errorf("unreached roads %d, was %d: nothing was left unreached", want.UnreachedRoads, withIsland.UnreachedRoads)
				}
				t.Logf("%d unreached roads, was %d", want.UnreachedRoads, withIsland.UnreachedRoads)
			})
		})
	}
}

func TestDeriveEqualsNewOnRandomTowns(t *testing.T) {
	base := fixture.Seed(t)
	p := response.DefaultParams()
	for k := int64(0); k < 8; k++ {
		seed := base + k
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			town := randomTown(rng, 8+int(k%3)*3, 180)
			r := town.Response(t, p)
			ls := r.Snap.Buildings.Len()
			anywhere := func() orb.Point { return r.Member.Centroid[rng.Intn(ls)] }
			for round := 0; round < 12; round++ {
				ss := stationsOf(r)
				// One to four changes of any kind, anywhere (some off every road's reach).
				for c := 0; c < 1+rng.Intn(4); c++ {
					switch op := rng.Intn(6); {
					case op == 0 || len(ss) == 0:
						ss = append(ss, data.Station{ID: fmt.Sprintf("new-%d-%d", round, c), Geom: r.Snap.Proj.Inverse(anywhere()), Class: "township_fulltime", Status: "active"})
					case op == 1:
						ss[rng.Intn(len(ss))].Geom = r.Snap.Proj.Inverse(anywhere())
					case op == 2 && len(ss) > 1:
						i := rng.Intn(len(ss))
						ss = slices.Delete(ss, i, i+1)
					case op == 3:
						ss[rng.Intn(len(ss))].Status = "planned"
					case op == 4: // the same stations listed in another order: ties may go another way
						i, j := rng.Intn(len(ss)), rng.Intn(len(ss))
						ss[i], ss[j] = ss[j], ss[i]
					default:
						tt := rng.Float64() * 300
						ss[rng.Intn(len(ss))].TurnoutS = &tt
					}
				}
				// Each round starts from the last: a scenario of a scenario.
				r = checkDerive(t, r, ss)
				if t.Failed() {
					t.Fatalf("SEED=%d round %d", seed, round)
				}
			}
		})
	}
}

func TestDeriveRefusesOtherLayers(t *testing.T) {
	town := randomTown(rand.New(rand.NewSource(1)), 6, 180)
	r := town.Response(t, response.DefaultParams())
	roads := slices.Clone(r.Snap.Roads.Items[1:])
	d, _ := r.Snap.Derive("closed road", data.Edit{Roads: &roads})
	if _, err := r.Derive(context.Background(), d, r.Member); err != response.ErrNotDerivable {
		t.Fatalf("got %v, want ErrNotDerivable", err)
	}
}
