package siting

import (
	"context"
	"math"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

func box(tn *fixture.Tiny, minx, miny, maxx, maxy float64) orb.Polygon {
	r := orb.Ring{tn.LL(orb.Point{minx, miny}), tn.LL(orb.Point{maxx, miny}), tn.LL(orb.Point{maxx, maxy}), tn.LL(orb.Point{minx, maxy})}
	return orb.Polygon{append(r, r[0])}
}

func TestVillageBrigadesLedger(t *testing.T) {
	tn := fixture.NewTiny()
	tn.Road("r", "residential", 6, false, orb.Point{0, 0}, orb.Point{10000, 0})
	tn.Station("S", "urban1", orb.Point{0, 0}, nil)
	tn.Set.Townships = []data.Township{{ID: "T1", Geom: box(tn, -100, -1000, 5000, 1000), Name: "one"},
		{ID: "T2", Geom: box(tn, 5000, -1000, 10100, 1000), Name: "two"}}
	hh := func(n int) *int { return &n }
	// T1: five villages, one with a brigade: 70% asks ceil(3.5) = 4, so
	// three to add. T2: two of three have one: ceil(2.1) = 3, one to add.
	for _, v := range []struct {
		id      string
		x       float64
		hh      int
		brigade bool
	}{{"a", 500, 10, true}, {"b", 1500, 40, false}, {"c", 2500, 30, false}, {"d", 3500, 20, false}, {"e", 4500, 50, false},
		{"f", 6000, 5, true}, {"g", 7000, 9, true}, {"h", 9000, 7, false}} {
		town := "T1"
		if v.x > 5000 {
			town = "T2"
		}
		tn.Set.Villages = append(tn.Set.Villages, data.Village{ID: v.id, Geom: box(tn, v.x-100, -100, v.x+100, 100), TownshipID: town,
			Households: hh(v.hh), VolunteerBrigade: v.brigade})
	}
	r := tn.Response(t, response.DefaultParams())
	ids := func(l VillageLedger) string {
		s := ""
		for _, v := range l.First {
			s += r.Snap.Villages.Items[v].ID
		}
		return s
	}
	for _, tc := range []struct {
		order       string
		first1      string
		first2      string
		households1 int
	}{
		{ByHouseholds, "ebc", "h", 120},
		{ByArrival, "edc", "h", 100}, // farthest from the station first
	} {
		t.Run(tc.order, func(t *testing.T) {
			rows, total := VillageBrigades(r, BrigadeTarget, tc.order)
			if len(rows) != 2 {
				t.Fatalf("%d rows", len(rows))
			}
			one, two := rows[0], rows[1]
			if one.Villages != 5 || one.WithBrigade != 1 || one.Share != 0.2 || one.Gap != 3 || ids(one) != tc.first1 || one.FirstHouseholds != tc.households1 {
				t.Errorf("T1: %+v (first %s)", one, ids(one))
			}
			if two.Villages != 3 || two.WithBrigade != 2 || two.Gap != 1 || ids(two) != tc.first2 {
				t.Errorf("T2: %+v (first %s)", two, ids(two))
			}
			// The county: 3 of 8, ceil(5.6) = 6, three to add.
			if total.Villages != 8 || total.WithBrigade != 3 || total.Gap != 3 || total.Share != 0.375 {
				t.Errorf("county: %+v", total)
			}
		})
	}
}

// TestTownshipBrigadesOnTheSample checks the plan on the sample county: the
// count needed for 70%, gains that only shrink down the ranking, the best
// township's site no worse than any other's, and the first three brigades'
// coverage reproduced by a fresh analysis with them added.
func TestTownshipBrigadesOnTheSample(t *testing.T) {
	s := fixture.Sample(t)
	r := fixture.Respond(t, s, response.DefaultParams())
	const minutes = 15.0
	pl, err := TownshipBrigades(context.Background(), r, minutes, BrigadeTarget, 400)
	if err != nil {
		t.Fatal(err)
	}
	with := 0
	for _, tw := range s.Townships.Items {
		if tw.FulltimeBrigade {
			with++
		}
	}
	needed := max(0, int(math.Ceil(0.7*float64(s.Townships.Len())-1e-9))-with)
	t.Logf("%d townships, %d with a brigade, %d needed; options %d", s.Townships.Len(), with, needed, len(pl.Options))
	if pl.WithBrigade != with || pl.Needed != needed || len(pl.Options) != s.Townships.Len()-with || needed == 0 {
		t.Fatalf("plan: with %d needed %d options %d", pl.WithBrigade, pl.Needed, len(pl.Options))
	}
	to := 0
	for i, o := range pl.Options {
		if s.Townships.Items[o.Township].FulltimeBrigade {
			t.Fatalf("rank %d: %s already has a brigade", o.Rank, s.Townships.Items[o.Township].ID)
		}
		if i > 0 && o.NewHouseholds > pl.Options[i-1].NewHouseholds {
			t.Fatalf("rank %d gains %d, more than rank %d", o.Rank, o.NewHouseholds, i)
		}
		if o.InTownship > o.NewHouseholds {
			t.Fatalf("rank %d: %d in the township of %d", o.Rank, o.InTownship, o.NewHouseholds)
		}
		if o.ToTarget {
			to++
		}
	}
	if to != needed || pl.Options[0].NewHouseholds <= 0 {
		t.Fatalf("%d flagged for the target, want %d; first gains %d", to, needed, pl.Options[0].NewHouseholds)
	}
	// Each other township alone, at its reported site: none beats the first.
	for _, o := range pl.Options[1:] {
		if o.Site == nil {
			continue
		}
		if alone := oracle(t, s, []orb.Point{o.Site.Point}, BrigadeClass, nil, minutes) - pl.Covered; alone > pl.Options[0].NewHouseholds {
			t.Fatalf("%s alone adds %d, more than the first %d", s.Townships.Items[o.Township].ID, alone, pl.Options[0].NewHouseholds)
		}
	}
	var at []orb.Point
	for _, o := range pl.Options[:3] {
		at = append(at, o.Site.Point)
	}
	if got, want := oracle(t, s, at, BrigadeClass, nil, minutes), pl.Options[2].CoveredAfter; got != want {
		t.Fatalf("the first three brigades: a fresh analysis covers %d, the plan says %d", got, want)
	}
}
