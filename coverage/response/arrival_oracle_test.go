package response_test

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// randomTown lays a jittered street grid (spacing metres, n x n corners)
// with some links missing, some too narrow for the truck, 10-20% one-way
// either way, a few stations and buildings at corners, near corners, along
// streets on both sides and anywhere. Roads meet at their ends only, so a
// brute force can node them by their end points.
func randomTown(rng *rand.Rand, n int, spacing float64) *fixture.Tiny {
	t := fixture.NewTiny()
	corner := make([]orb.Point, n*n)
	for i := range corner {
		corner[i] = orb.Point{float64(i%n)*spacing + (rng.Float64()-0.5)*0.3*spacing, float64(i/n)*spacing + (rng.Float64()-0.5)*0.3*spacing}
	}
	classes := []string{"residential", "residential", "tertiary", "secondary", "service", "track"}
	oneway := 0.1 + 0.1*rng.Float64()
	var lines []orb.LineString
	for i := range corner {
		for _, j := range []int{i + 1, i + n} {
			if j >= n*n || j == i+1 && j%n == 0 || rng.Float64() < 0.1 {
				continue
			}
			a, b := corner[i], corner[j]
			pts := []orb.Point{a}
			for k, bends := 1, rng.Intn(3); k <= bends; k++ { // a bend or two off the straight line
				f := float64(k) / float64(bends+1)
				off := (rng.Float64() - 0.5) * 0.1 * spacing
				d := orb.Point{b[0] - a[0], b[1] - a[1]}
				l := math.Hypot(d[0], d[1])
				pts = append(pts, orb.Point{a[0] + f*d[0] - d[1]/l*off, a[1] + f*d[1] + d[0]/l*off})
			}
			pts = append(pts, b)
			if rng.Intn(2) == 0 { // digitised either way
				for x, y := 0, len(pts)-1; x < y; x, y = x+1, y-1 {
					pts[x], pts[y] = pts[y], pts[x]
				}
			}
			width := 6.0
			if rng.Float64() < 0.05 {
				width = 3 // narrower than the truck
			}
			t.Road(fmt.Sprintf("r%d", len(t.Set.Roads)), classes[rng.Intn(len(classes))], width, false, pts...)
			if u := rng.Float64(); u < oneway/2 {
				t.Set.Roads[len(t.Set.Roads)-1].Oneway = data.Forward
			} else if u < oneway {
				t.Set.Roads[len(t.Set.Roads)-1].Oneway = data.Backward
			}
			lines = append(lines, pts)
		}
	}
	along := func(side float64) orb.Point { // a point off a random stretch of road
		l := lines[rng.Intn(len(lines))]
		v := 1 + rng.Intn(len(l)-1)
		a, b := l[v-1], l[v]
		f, d := rng.Float64(), math.Hypot(b[0]-a[0], b[1]-a[1])
		return orb.Point{a[0] + f*(b[0]-a[0]) - (b[1]-a[1])/d*side, a[1] + f*(b[1]-a[1]) + (b[0]-a[0])/d*side}
	}
	stationClasses := []string{"urban1", "volunteer", "township_fulltime"}
	for k := 0; k < 2+rng.Intn(4); k++ {
		t.Station(fmt.Sprintf("s%d", k), stationClasses[rng.Intn(len(stationClasses))], along((rng.Float64()-0.5)*40), nil)
	}
	for k := 0; k < 400; k++ {
		var p orb.Point
		switch c := corner[rng.Intn(len(corner))]; k % 4 {
		case 0: // at a corner
			p = c
		case 1: // near a corner, any side
			a, r := rng.Float64()*2*math.Pi, 0.5+rng.Float64()*20
			p = orb.Point{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)}
		case 2: // along a street, either side
			side := 1 + rng.Float64()*60
			if rng.Intn(2) == 0 {
				side = -side
			}
			p = along(side)
		default: // anywhere, some beyond the access limit
			p = orb.Point{(rng.Float64()*1.4 - 0.2) * float64(n-1) * spacing, (rng.Float64()*1.4 - 0.2) * float64(n-1) * spacing}
		}
		t.Building(fmt.Sprintf("b%d", k), p)
	}
	return t
}

// bruteEdge is one road of a randomTown: an edge between its end points.
type bruteEdge struct {
	from, to int
	line     orb.LineString // metres, from -> to
	length   float64
	fwd, bwd float64 // seconds; +Inf where one-way forbids
}

// bruteArrivals works out every building's arrival from the spec alone:
// plain Dijkstra over the roads from the stations' snapped points, then the
// building on the nearest road some truck reaches within the access limit,
// at the earliest of driving in from an end the truck may enter by, a
// station on that road, or walking from either end.
func bruteArrivals(s *data.Snapshot, p response.Params) []response.Arrival {
	var edges []bruteEdge
	nodeAt := map[orb.Point]int{}
	node := func(q orb.Point) int {
		if id, ok := nodeAt[q]; ok {
			return id
		}
		nodeAt[q] = len(nodeAt)
		return len(nodeAt) - 1
	}
	for i, r := range s.Roads.Items {
		w := p.WidthM[r.Class]
		if r.WidthM != nil {
			w = *r.WidthM
		}
		if w < p.TruckWidthM {
			continue
		}
		l := s.Roads.Metric[i].(orb.LineString)
		e := bruteEdge{from: node(l[0]), to: node(l[len(l)-1]), line: l}
		for v := 1; v < len(l); v++ {
			e.length += math.Hypot(l[v][0]-l[v-1][0], l[v][1]-l[v-1][1])
		}
		mps := p.SpeedKmh[r.Class] / 3.6
		e.fwd, e.bwd = e.length/mps, e.length/mps
		switch r.Oneway {
		case data.Forward:
			e.bwd = math.Inf(1)
		case data.Backward:
			e.fwd = math.Inf(1)
		}
		edges = append(edges, e)
	}
	// nearest returns the edge nearest q among those keep accepts, the
	// distance and the metres along the edge.
	nearest := func(q orb.Point, keep func(int) bool) (best int, dist, at float64) {
		best, dist = -1, math.Inf(1)
		for i, e := range edges {
			if !keep(i) {
				continue
			}
			run := 0.0
			for v := 1; v < len(e.line); v++ {
				a, b := e.line[v-1], e.line[v]
				dx, dy := b[0]-a[0], b[1]-a[1]
				seg := math.Hypot(dx, dy)
				f := math.Max(0, math.Min(1, ((q[0]-a[0])*dx+(q[1]-a[1])*dy)/(seg*seg)))
				if d := math.Hypot(a[0]+f*dx-q[0], a[1]+f*dy-q[1]); d < dist {
					best, dist, at = i, d, run+f*seg
				}
				run += seg
			}
		}
		return best, dist, at
	}
	all := func(int) bool { return true }

	type start struct {
		edge    int
		at, t0  float64
		station int32
	}
	inf := math.Inf(1)
	T := make([]float64, len(nodeAt))
	src := make([]int32, len(nodeAt))
	for i := range T {
		T[i], src[i] = inf, -1
	}
	var starts []start
	for i, st := range s.Stations.Items {
		e, d, at := nearest(s.Stations.Metric[i].(orb.Point), all)
		if e < 0 || d > p.StationSnapM {
			continue
		}
		ed := edges[e]
		t0 := p.TurnoutS[st.Class] + d*math.Min(ed.fwd, ed.bwd)/ed.length // the snap leg driven
		starts = append(starts, start{edge: e, at: at, t0: t0, station: int32(i)})
		for _, seed := range []struct {
			n int
			t float64
		}{{ed.to, t0 + (ed.length-at)/ed.length*ed.fwd}, {ed.from, t0 + at/ed.length*ed.bwd}} {
			if seed.t < T[seed.n] || seed.t == T[seed.n] && int32(i) < src[seed.n] {
				T[seed.n], src[seed.n] = seed.t, int32(i)
			}
		}
	}
	// Dijkstra without a heap: pick the least unsettled node each round.
	done := make([]bool, len(T))
	for {
		u := -1
		for n := range T {
			if !done[n] && !math.IsInf(T[n], 1) && (u < 0 || T[n] < T[u]) {
				u = n
			}
		}
		if u < 0 {
			break
		}
		done[u] = true
		for _, e := range edges {
			for _, arc := range []struct {
				a, b int
				c    float64
			}{{e.from, e.to, e.fwd}, {e.to, e.from, e.bwd}} {
				if arc.a == u && T[u]+arc.c < T[arc.b] {
					T[arc.b], src[arc.b] = T[u]+arc.c, src[u]
				}
			}
		}
	}

	out := make([]response.Arrival, s.Buildings.Len())
	for b := range out {
		q := s.Buildings.Metric[b].(orb.Point)
		e, d, at := nearest(q, func(i int) bool { return !math.IsInf(T[edges[i].from], 1) || !math.IsInf(T[edges[i].to], 1) })
		if e < 0 || d > p.AccessMaxM {
			out[b] = response.Arrival{T: inf, Station: -1, Reach: response.NoRoad}
			if _, d, _ := nearest(q, all); d <= p.AccessMaxM {
				out[b].Reach = response.NotConnected
			}
			continue
		}
		ed := edges[e]
		best, who := inf, int32(-1)
		try := func(t float64, from int32) {
			if t < best || t == best && from < who {
				best, who = t, from
			}
		}
		try(T[ed.from]+at/ed.length*ed.fwd, src[ed.from])
		try(T[ed.to]+(ed.length-at)/ed.length*ed.bwd, src[ed.to])
		try(T[ed.from]+at/p.AccessSpeedMps, src[ed.from])
		try(T[ed.to]+(ed.length-at)/p.AccessSpeedMps, src[ed.to])
		for _, st := range starts {
			if st.edge != e {
				continue
			}
			if at >= st.at {
				try(st.t0+(at-st.at)/ed.length*ed.fwd, st.station)
			} else {
				try(st.t0+(st.at-at)/ed.length*ed.bwd, st.station)
			}
		}
		out[b] = response.Arrival{T: best + d/p.AccessSpeedMps, Station: who, AccessM: d, Reach: response.Reached}
	}
	return out
}

func TestArrivalsEqualBruteForceOnRandomTowns(t *testing.T) {
	base := fixture.Seed(t)
	p := response.DefaultParams()
	for k := int64(0); k < 6; k++ {
		seed := base + k
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			town := randomTown(rand.New(rand.NewSource(seed)), 10+int(k%3)*3, 180)
			r := town.Response(t, p)
			want := bruteArrivals(r.Snap, p)
			counts := map[response.Reach]int{}
			walked, bad := 0, 0
			for b, w := range want {
				got := r.Buildings[b]
				counts[got.Reach]++
				if got.Reach != w.Reach || got.Station != w.Station || math.IsInf(w.T, 1) != math.IsInf(got.T, 1) ||
					!math.IsInf(w.T, 1) && math.Abs(got.T-w.T) > 1e-6 || got.Reach == response.Reached && math.Abs(got.AccessM-w.AccessM) > 1e-6 {
					t.Errorf("building %s: got %v %.9f s station %d access %.3f m, want %v %.9f s station %d access %.3f m",
						r.Snap.Buildings.Items[b].ID, got.Reach, got.T, got.Station, got.AccessM, w.Reach, w.T, w.Station, w.AccessM)
					if bad++; bad > 10 {
						t.FailNow()
					}
				}
				if got.Reach == response.Reached {
					ed := &r.Graph.Edges[got.Edge]
					ta, tb := r.Times.T[ed.From], r.Times.T[ed.To]
					drive := math.Min(ta+got.S/ed.Length*ed.Fwd, tb+(ed.Length-got.S)/ed.Length*ed.Bwd)
					if got.T-got.AccessM/p.AccessSpeedMps < drive-1e-6 {
						walked++
					}
				}
			}
			// The check means something only if every kind of answer occurs.
			if counts[response.Reached] < 200 || counts[response.NoRoad] == 0 || walked == 0 {
				t.Errorf("reach %v, %d reached on foot along a one-way road: too few cases", counts, walked)
			}
			t.Logf("%d roads, %d stations; reach %v; %d reached by walking along the road; %d unreached roads",
				r.Snap.Roads.Len(), len(r.Starts), counts, walked, r.UnreachedRoads)
		})
	}
}
