package siting

import (
	"context"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
)

// BenchmarkStationSiting plans k=3 stations at 8 minutes on the sample
// county, greedy alone beside greedy improved by swaps; it reports the
// households each plan adds.
func BenchmarkStationSiting(b *testing.B) {
	r := fixture.Respond(b, fixture.Sample(b), response.DefaultParams())
	for _, bc := range []struct {
		name   string
		greedy bool
	}{{"greedy", true}, {"swaps", false}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			var plan *StationSiting
			for i := 0; i < b.N; i++ {
				var err error
				plan, err = Stations(context.Background(), r, Options{K: 3, Minutes: 8, Class: "township_fulltime", Greedy: bc.greedy})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(plan.Gain), "households")
			b.ReportMetric(float64(plan.Swaps), "swaps")
		})
	}
}
