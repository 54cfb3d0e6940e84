package response_test

import (
	"context"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
)

// BenchmarkResponse is placing the stations and every building's arrival
// on top of the multi-source run (network's BenchmarkMultiSource), the
// buildings' frontage found (shared by every truck width, as the catalogue
// shares it); ".../frontage" is finding it.
func BenchmarkResponse(b *testing.B) {
	ctx := context.Background()
	for _, c := range fixture.BenchCounties() {
		s := c.Snap(b)
		p := response.DefaultParams()
		g, err := network.Truck(ctx, s, p.Profile, nil)
		if err != nil {
			b.Fatal(err)
		}
		sn, m := network.NewSnapper(g), areas.New(s)
		f, err := network.NewFrontage(ctx, s, nil, p.Profile, response.MaxAccessM)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := response.New(ctx, s, p, g, sn, m, f); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The buildings' frontage, found once for every truck width.
		b.Run(c.Name+"/frontage", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := network.NewFrontage(ctx, s, nil, p.Profile, response.MaxAccessM); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScenarioOneStation is a what-if scenario adding one
// township_fulltime station at the building crews reach last (far from
// every station): its response derived from the base's ("derive") beside
// computed afresh on the same graph ("new").
func BenchmarkScenarioOneStation(b *testing.B) {
	ctx := context.Background()
	for _, c := range fixture.BenchCounties() {
		base := fixture.Respond(b, c.Snap(b), response.DefaultParams())
		s := scenario(b, base.Snap, addAt(base, "new-1", "township_fulltime", farthest(base)))
		for _, m := range []struct {
			name string
			run  func() (*response.Response, error)
		}{
			{"derive", func() (*response.Response, error) { return base.Derive(ctx, s, base.Member) }},
			{"new", func() (*response.Response, error) {
				return response.New(ctx, s, base.Params, base.Graph, base.Snapper, base.Member, nil)
			}},
		} {
			b.Run(c.Name+"/mode="+m.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := m.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
