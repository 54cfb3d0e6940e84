package coverage

import (
	"context"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// BenchmarkScenarioSummary is the catalogue's coverage_summary of a
// scenario adding one township_fulltime station at a building far from
// every station, with the base's response cached: the scenario snapshot
// derived (a new one each round), its
// response derived from the base's and summed per township ("derived"),
// beside the same snapshot computed afresh on the cached graph ("fresh").
func BenchmarkScenarioSummary(b *testing.B) {
	ctx := context.Background()
	for _, county := range fixture.BenchCounties() {
		base := county.Snap(b)
		c, err := New(response.DefaultParams(), 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		e, _ := c.Entry("coverage_summary")
		v := e.Defaults()
		if _, err := c.Table(ctx, e, base, v); err != nil {
			b.Fatal(err)
		}
		br, err := c.response(ctx, base, v)
		if err != nil {
			b.Fatal(err)
		}
		far := 0
		for i, a := range br.Buildings {
			if a.Reach == response.Reached && a.T > br.Buildings[far].T {
				far = i
			}
		}
		at := base.Proj.Inverse(br.Member.Centroid[far])
		round := 0
		scenario := func(fresh bool) *data.Snapshot {
			round++ // a new place every round, about 1 cm on, so no table is cached
			stations := append(slices.Clone(base.Stations.Items), data.Station{ID: "new-1", Class: "township_fulltime", Status: "active",
				Geom: orb.Point{at[0] + float64(round)*1e-7, at[1]}})
			s, _ := base.Derive("scenario", data.Edit{Stations: &stations})
			if fresh {
				s.Base = nil
			}
			return s
		}
		for _, m := range []struct {
			name  string
			fresh bool
		}{{"derived", false}, {"fresh", true}} {
			b.Run(county.Name+"/mode="+m.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := c.Table(ctx, e, scenario(m.fresh), v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
