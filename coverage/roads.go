package coverage

import (
	"context"

	"fireplan/data"

	"github.com/paulmach/orb"
)

// NearTruckRoad tells whether p (lon/lat) lies within station_snap_m of a
// road trucks of v can use in s: where a station must stand to take part
// in the response analysis. It reads the cached truck graph.
func (c *Catalog) NearTruckRoad(ctx context.Context, s *data.Snapshot, v Values, p orb.Point) (bool, error) {
	t, err := c.truck(ctx, s, v)
	if err != nil {
		return false, err
	}
	_, ok := t.sn.Nearest(s.Proj.Forward(p), v.Float("station_snap_m"))
	return ok, nil
}
