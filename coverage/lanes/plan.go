package lanes

import (
	"math"
	"sort"

	"fireplan/coverage/network"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Kinds of Fix.
const (
	ClearObstruction = "clear_obstruction" // an obstructed lane wide and high enough: clear it
	WidenLane        = "widen_lane"        // a lane too narrow or too low: widen or raise it (and clear it)
	BuildLane        = "build_lane"        // a new lane from the nearest way in
)

// effort orders the kinds of fix by what one costs for its length.
var effort = map[string]int{ClearObstruction: 0, WidenLane: 1, BuildLane: 2}

// Fix is one change to a district's lanes and what it brings within a
// truck's reach first, in the order of its district's plan.
type Fix struct {
	Kind       string
	Lane       int                 // index into Access.Lanes; -1 for a new lane
	Line       orb.MultiLineString // metres: the lane fixed or built
	At         orb.Point           // metres: halfway along Line
	LengthM    float64
	Buildings  int
	Households int
}

// Plan returns the fixes that bring district k's buildings within a
// truck's reach, most households first: greedy over fixing each of its
// lanes that is not usable and building a straight lane from the way in
// nearest each building still beyond reach (new lanes count as ways in
// for the next), each time the fix bringing the most households within
// reach; on a tie, clearing before rebuilding before building new, then
// the shorter. Then every obstructed lane left, with nothing to add:
// keeping a lane clear is owed whatever it serves (Fire Protection Law,
// article 28).
func (a *Access) Plan(k int) []Fix {
	s := a.Snap
	var left []int // buildings of k beyond reach
	for i, d := range a.Member.District {
		if int(d) == k && a.Beyond(i) {
			left = append(left, i)
		}
	}
	var bidx geo.Index
	for j, i := range left {
		bidx.Insert(int32(j), s.Buildings.Metric[i].Bound())
	}
	done := make([]bool, len(left))
	gain := func(l orb.MultiLineString) (b, hh int) {
		bidx.Search(l.Bound().Pad(a.P.ReachM), func(j int32) bool {
			if i := left[j]; !done[j] && lineDist(l, s.Buildings.Metric[i]) <= a.P.ReachM {
				b++
				hh += s.Buildings.Items[i].Households
			}
			return true
		})
		return b, hh
	}
	var cands []Fix
	for li := range a.Lanes {
		ln := &a.Lanes[li]
		if int(ln.District) != k || ln.Usable {
			continue
		}
		kind := ClearObstruction
		if ln.Narrow || ln.Low {
			kind = WidenLane
		}
		l := orb.MultiLineString(network.Lines(s.FireLanes.Metric[ln.Index]))
		cands = append(cands, Fix{Kind: kind, Lane: li, Line: l, At: midpoint(l), LengthM: ln.LengthM})
	}
	var out []Fix
	var built []orb.LineString // parts of the lanes fixed or built so far
	used := map[int]bool{}
	for {
		all := cands
		for j, i := range left {
			if !done[j] {
				if l, ok := a.newLane(s.Buildings.Metric[i], built); ok {
					all = append(all, Fix{Kind: BuildLane, Lane: -1, Line: orb.MultiLineString{l}, At: midpoint(l), LengthM: math.Round(geo.Length(l)*10) / 10})
				}
			}
		}
		best, bestFix := -1, Fix{}
		for c := range all {
			f := all[c]
			if f.Lane >= 0 && used[f.Lane] {
				continue
			}
			f.Buildings, f.Households = gain(f.Line)
			if f.Buildings > 0 && (best < 0 || f.Households > bestFix.Households || f.Households == bestFix.Households &&
				(effort[f.Kind] < effort[bestFix.Kind] || effort[f.Kind] == effort[bestFix.Kind] && f.LengthM < bestFix.LengthM)) {
				best, bestFix = c, f
			}
		}
		if best < 0 {
			break
		}
		bidx.Search(bestFix.Line.Bound().Pad(a.P.ReachM), func(j int32) bool {
			if !done[j] && lineDist(bestFix.Line, s.Buildings.Metric[left[j]]) <= a.P.ReachM {
				done[j] = true
			}
			return true
		})
		if bestFix.Lane >= 0 {
			used[bestFix.Lane] = true
		}
		built = append(built, bestFix.Line...)
		out = append(out, bestFix)
	}
	var rest []Fix
	for _, f := range cands {
		if f.Kind == ClearObstruction && !used[f.Lane] {
			used[f.Lane] = true
			rest = append(rest, f)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].LengthM > rest[j].LengthM })
	return append(out, rest...)
}

// newLane returns the straight lane from the way in (or lane of built)
// nearest building g's centre towards it, ending where g comes within
// reach; false when no way in lies within entrySearchM.
func (a *Access) newLane(g orb.Geometry, built []orb.LineString) (orb.LineString, bool) {
	c := g.Bound().Center()
	var from orb.Point
	best := math.Inf(1)
	a.idx.NearestFunc(c, entrySearchM, func(i int32) float64 {
		d, _ := geo.SegmentPoint(c, a.ways[i][0], a.ways[i][1])
		return d
	}, func(i int32, d float64) bool {
		_, t := geo.SegmentPoint(c, a.ways[i][0], a.ways[i][1])
		from, best = geo.Lerp(a.ways[i][0], a.ways[i][1], t), d
		return false
	})
	for _, l := range built {
		for v := 1; v < len(l); v++ {
			if d, t := geo.SegmentPoint(c, l[v-1], l[v]); d < best {
				from, best = geo.Lerp(l[v-1], l[v], t), d
			}
		}
	}
	if math.IsInf(best, 1) {
		return nil, false
	}
	// Walk from the way in towards the centre until the walls are within
	// reach: the distance to them shrinks along the way, so bisect.
	lo, hi := 0.0, 1.0
	for range 40 {
		mid := (lo + hi) / 2
		if geo.PointDistance(geo.Lerp(from, c, mid), g) <= a.P.ReachM {
			hi = mid
		} else {
			lo = mid
		}
	}
	return orb.LineString{from, geo.Lerp(from, c, hi)}, true
}
