package hydrants

import (
	"context"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/workers"
	"fireplan/data"
)

// maxRadiusM is the largest protection radius Check accepts: a frontage
// found within it serves every radius.
const maxRadiusM = 1000

// Frontage is where each building meets the street graph: the street point
// nearest its wall. It depends on the streets and the buildings, not on the
// radius, so every hydrant parameter set of a snapshot shares it and a new
// radius costs a pass over arrays instead of a nearest-road search per
// building.
type Frontage struct {
	Edge    []int32   // the street edge; -1 for no street within maxRadiusM
	S       []float64 // metres along it
	Dist    []float64 // metres from the wall
	Builtup []bool    // the building's centroid lies in a built-up area
}

// NewFrontage finds every building's frontage on st, sharing the buildings
// among the workers ctx allows.
func NewFrontage(ctx context.Context, s *data.Snapshot, st *Streets, m *areas.Membership) (*Frontage, error) {
	n := s.Buildings.Len()
	f := &Frontage{Edge: make([]int32, n), S: make([]float64, n), Dist: make([]float64, n), Builtup: make([]bool, n)}
	workers.Each(ctx, n, func(i int) {
		f.Edge[i] = -1
		if sp, ok := st.Sn.NearestTo(s.Buildings.Metric[i], maxRadiusM); ok {
			f.Edge[i], f.S[i], f.Dist[i] = sp.Edge, sp.S, sp.Dist
		}
		f.Builtup[i] = areas.Containing(&s.Builtup.MIndex, s.Builtup.Metric, m.Centroid[i]) >= 0
	})
	return f, ctx.Err()
}

// Bytes estimates the frontage's memory.
func (f *Frontage) Bytes() int64 { return int64(len(f.Edge)) * 21 }
