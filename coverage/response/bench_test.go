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
// on top of the multi-source run (network's BenchmarkMultiSource).
func BenchmarkResponse(b *testing.B) {
	ctx := context.Background()
	for _, c := range fixture.BenchCounties() {
		s := c.Snap(b)
		p := response.DefaultParams()
		g, err := network.Truck(ctx, s, p.Profile)
		if err != nil {
			b.Fatal(err)
		}
		sn, m := network.NewSnapper(g), areas.New(s)
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := response.New(ctx, s, p, g, sn, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
