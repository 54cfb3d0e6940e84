package response_test

import (
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data/pgtest"
)

func TestResponseTimesEqualPgRouting(t *testing.T) {
	pool := pgtest.Pool(t)
	for _, county := range fixture.Counties() {
		t.Run(county.Name, func(t *testing.T) {
			schema := pgtest.Schema(t, pool)
			r := fixture.Respond(t, county.Snap(t), response.DefaultParams())
			seeds := r.Seeds
			if len(seeds) < county.Min.Seeds {
				t.Fatalf("%d seeds from %d stations", len(seeds), len(r.Starts))
			}
			table, starts := fixture.PgrEdges(t, pool, schema, r.Graph, seeds)
			fixture.CompareTimes(t, r.Graph, r.Times, fixture.PgrTimes(t, pool, table, starts))
		})
	}
}
