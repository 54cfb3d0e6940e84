package coverage

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// TestSitingEntriesOnTheSample reads the siting, township brigade and
// village ledger tables as the API serves them: what from-proposals needs
// (each site's lon/lat, class, marginal gain; the total gain in the
// metadata), required planned stations, the set covering mode.
func TestSitingEntriesOnTheSample(t *testing.T) {
	c := testCatalog(t)
	s := fixture.Sample(t)
	planned := 0
	for _, st := range s.Stations.Items {
		if st.Status == "planned" {
			planned++
		}
	}
	table := func(name, query string) (*Table, error) {
		e, _ := c.Entry(name)
		q, _ := url.ParseQuery(query)
		v, err := e.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		return c.Table(context.Background(), e, s, v)
	}
	for _, tc := range []struct {
		name, query string
		rows        int // -1: any
		required    int
		mode        string
	}{
		{"default", "", 3, 0, "max_cover"},
		{"planned required", "k=2&planned=required", 2 + planned, planned, "max_cover"},
		{"seats", "candidates=seats&k=2", 2, 0, "max_cover"},
		{"set cover", "share=0.9&k_max=6", -1, 0, "set_cover"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := table("station_siting", tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rows >= 0 && tb.Len() != tc.rows || tb.Meta["mode"] != tc.mode {
				t.Fatalf("%d rows, mode %v; want %d, %s", tb.Len(), tb.Meta["mode"], tc.rows, tc.mode)
			}
			gain, required := 0, 0
			for i := range tb.Len() {
				r := tb.Record(i)
				lon, lat := r["lon"].(float64), r["lat"].(float64)
				if lon < 100 || lon > 120 || lat < 20 || lat > 35 || r["class"] == "" {
					t.Fatalf("row %d: %v", i, r)
				}
				gain += r["new_households"].(int)
				if r["required"].(bool) {
					required++
					if r["station_id"] == "" {
						t.Fatalf("required row %d names no station", i)
					}
				}
			}
			if gain != tb.Meta["gain"] || required != tc.required || tb.Meta["covered_after"] != tb.Meta["covered_before"].(int)+gain {
				t.Fatalf("rows gain %d, meta %v; %d required, want %d", gain, tb.Meta, required, tc.required)
			}
			if tc.mode == "set_cover" {
				t.Logf("share 0.9: %d sites, %v", tb.Len(), tb.Meta)
				if reached := tb.Meta["share_reached"].(bool); reached != (tb.Meta["share_after"].(float64) >= 0.9) {
					t.Fatalf("share_reached %v, share_after %v", reached, tb.Meta["share_after"])
				}
			}
		})
	}
	var pe *ParamError
	if _, err := table("station_siting", "candidates=planned&planned=required"); !errors.As(err, &pe) {
		t.Fatalf("planned stations both required and candidates: %v", err)
	}

	tb, err := table("township_brigades", "")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() == 0 || tb.Meta["needed"].(int) < 1 || tb.Record(0)["to_target"] != true || tb.Record(0)["rank"] != 1 {
		t.Fatalf("township brigades: %d rows, %v", tb.Len(), tb.Meta)
	}
	tb, err = table("village_brigades", "order=arrival")
	if err != nil {
		t.Fatal(err)
	}
	villages, with := 0, 0
	for i := range tb.Len() {
		r := tb.Record(i)
		villages += r["villages"].(int)
		with += r["with_brigade"].(int)
	}
	if villages != s.Villages.Len() || tb.Meta["villages"] != villages || tb.Meta["with_brigade"] != with {
		t.Fatalf("village ledger: %d villages (%d in the layer), meta %v", villages, s.Villages.Len(), tb.Meta)
	}
}

// A full-time station a scenario adds gives its township a brigade: the
// plan counts it and no longer ranks that township.
func TestTownshipBrigadesCountStationsInside(t *testing.T) {
	c := testCatalog(t)
	base := fixture.Sample(t)
	e, _ := c.Entry("township_brigades")
	v, err := e.Parse(url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	before, err := c.Table(context.Background(), e, base, v)
	if err != nil {
		t.Fatal(err)
	}
	first := before.Record(0)
	tw := first["id"].(string)
	at := before.LonLat(0).(orb.Point)
	stations := append(slices.Clone(base.Stations.Items), data.Station{ID: "new-seat", Geom: at, Class: "township_fulltime", Status: "active"})
	scen, _ := base.Derive("scenario", data.Edit{Stations: &stations})
	after, err := c.Table(context.Background(), e, scen, v)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := after.Meta["with_brigade"], before.Meta["with_brigade"].(int)+1; got != want {
		t.Errorf("with a station in %s: %v townships with a brigade, want %d", tw, got, want)
	}
	for i := range after.Len() {
		if after.Record(i)["id"] == tw {
			t.Errorf("%s still ranked though a full-time station stands in it", tw)
		}
	}
}
