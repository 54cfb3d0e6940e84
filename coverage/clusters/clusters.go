package clusters

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/workers"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Params are the numbers of the rural cluster ledger.
type Params struct {
	SeparationM float64 // buildings this close (edge to edge) burn together
	// ByStructure uses the GB 50016-2014 table 5.2.2 spacing by fire
	// resistance (from each building's structure) instead of SeparationM.
	ByStructure bool
}

// DefaultParams returns the standard's numbers.
func DefaultParams() Params { return Params{SeparationM: 6} }

// Check reports a parameter that cannot be used.
func (p Params) Check() error {
	if !(p.SeparationM > 0 && p.SeparationM <= 100) {
		return fmt.Errorf("separation %g m outside (0, 100]", p.SeparationM)
	}
	return nil
}

// fire resistance grade by structure, as GB 50016 groups them for houses.
func grade(structure string) int {
	switch structure {
	case "concrete":
		return 0 // grades I-II
	case "wood":
		return 2 // grade IV
	}
	return 1 // grade III: brick, mixed, unknown
}

// gradeSpacing is GB 50016-2014 table 5.2.2, metres.
var gradeSpacing = [3][3]float64{{6, 7, 9}, {7, 8, 10}, {9, 10, 12}}

func (p Params) separation(a, b *data.Building) float64 {
	if !p.ByStructure {
		return p.SeparationM
	}
	return gradeSpacing[grade(a.Structure)][grade(b.Structure)]
}

func (p Params) maxSeparation() float64 {
	if p.ByStructure {
		return 12
	}
	return p.SeparationM
}

// Tiers of the ledger, largest first.
var Tiers = []string{"100+", "50-99", "30-49", "<30"}

// Tier returns the ledger tier of a cluster of h households.
func Tier(h int) string {
	switch {
	case h >= 100:
		return "100+"
	case h >= 50:
		return "50-99"
	case h >= 30:
		return "30-49"
	}
	return "<30"
}

// Cluster is a group of rural buildings close enough for fire to jump.
type Cluster struct {
	ID               string // "cl-" and the least building id: stable for the same data
	Buildings        []int32
	Households       int
	WoodShare        float64
	Centroid         orb.Point // metres
	Township         int32     // index, -1 for none
	Village          int32     // the village holding most of its households, -1 for none
	Tier             string
	ArrivalS         float64 // first crew at its first house; +Inf unreachable; NaN without a response analysis
	WaterM           float64 // straight line from its centroid to the nearest working water source
	Retrofitted      bool    // from its village
	VolunteerBrigade bool    // from its village
}

// Clusters is the rural cluster analysis of one snapshot.
type Clusters struct {
	Snap     *data.Snapshot
	P        Params
	Rural    []int32 // buildings outside built-up areas
	Clusters []Cluster
}

// New joins rural buildings closer than the separation into
// clusters (single linkage: connected components) with the R-tree and
// union-find; pairs already joined skip the distance test. res, when not
// nil, gives each cluster its first crew's arrival.
func New(ctx context.Context, s *data.Snapshot, p Params, m *areas.Membership, res *response.Response) (*Clusters, error) {
	c := &Clusters{Snap: s, P: p}
	bs := s.Buildings
	n := 0
	for _, b := range m.Builtup {
		if b < 0 {
			n++
		}
	}
	c.Rural = make([]int32, 0, n)
	for i := range bs.Items {
		if m.Builtup[i] < 0 {
			c.Rural = append(c.Rural, int32(i))
		}
	}
	uf, err := c.partition(ctx)
	if err != nil {
		return nil, err
	}
	// Clusters numbered in order of their first building, their buildings
	// laid out in one slice: a map and a slice per cluster are millions of
	// allocations at a province.
	of := make([]int32, bs.Len()) // per root: cluster + 1
	var size []int32
	for _, i := range c.Rural {
		r := uf.Find(i)
		if of[r] == 0 {
			size = append(size, 0)
			of[r] = int32(len(size))
		}
		size[of[r]-1]++
	}
	all := make([]int32, len(c.Rural))
	c.Clusters = make([]Cluster, len(size))
	at := 0
	for k, n := range size {
		c.Clusters[k].Buildings = all[at : at : at+int(n)]
		at += int(n)
	}
	for _, i := range c.Rural {
		k := of[uf.Find(i)] - 1
		c.Clusters[k].Buildings = append(c.Clusters[k].Buildings, i)
	}
	// Each cluster on its own, on every core, a worker's tallies and ids
	// its own.
	type scratch struct {
		villageHH, townshipN map[int32]int
		ids                  ids
	}
	scr := make([]scratch, workers.Of(ctx))
	workers.Blocks(ctx, len(c.Clusters), 1024, func(w, lo, hi int) {
		sc := &scr[w]
		if sc.villageHH == nil {
			sc.villageHH, sc.townshipN = map[int32]int{}, map[int32]int{}
		}
		for k := lo; k < hi; k++ {
			c.describe(&c.Clusters[k], m, res, sc.villageHH, sc.townshipN, &sc.ids)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(c.Clusters, func(x, y Cluster) int {
		if x.Households != y.Households {
			return cmp.Compare(y.Households, x.Households)
		}
		return strings.Compare(x.ID, y.ID)
	})
	return c, nil
}

// partition joins rural buildings within the separation by sweep and prune
// in bands, on every core: within a band, buildings sorted by their west
// edge are compared with those starting before their east edge plus the
// separation, a box test on y, then segment pairs until one is close enough
// (only whether, not how far). Pairs already in one cluster skip the test.
// No tree is searched per building: a sort and a scan over neighbours.
func (c *Clusters) partition(ctx context.Context) (*network.UnionFind, error) {
	bs := c.Snap.Buildings
	type box struct {
		minX, minY, maxX, maxY float64
		i                      int32
		band                   int32
	}
	sep := c.P.maxSeparation()
	// Each building enters every band of bandM its box (padded by half the
	// separation) touches: two buildings within the separation share a band,
	// and a sweep along x within a band meets only its own few neighbours.
	const bandM = 256.0
	minY := math.Inf(1)
	for _, i := range c.Rural {
		minY = math.Min(minY, bs.MBound[i].Min[1])
	}
	boxes := make([]box, 0, len(c.Rural)+len(c.Rural)/8)
	keys := make([]uint64, 0, cap(boxes))
	maxBand := int32(0)
	for _, i := range c.Rural {
		b := bs.MBound[i]
		b0 := int32((b.Min[1] - sep/2 - minY + bandM) / bandM)
		b1 := int32((b.Max[1] + sep/2 - minY + bandM) / bandM)
		for band := b0; band <= b1; band++ {
			boxes = append(boxes, box{b.Min[0], b.Min[1], b.Max[0], b.Max[1], i, band})
			keys = append(keys, sortableBits(b.Min[0]))
			maxBand = max(maxBand, band)
		}
	}
	// Order by band, then west edge: radix sort on x, then a stable
	// counting sort on the band.
	byX := radixOrder(keys)
	start := make([]int, maxBand+2)
	for _, b := range boxes {
		start[b.band+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	sorted := make([]box, len(boxes))
	for _, o := range byX {
		b := boxes[o]
		sorted[start[b.band]] = b
		start[b.band]++
	}
	boxes = sorted
	// Workers sweep interleaved stripes of the sorted boxes, each skipping
	// pairs its own union-find has joined; their joins are merged after.
	par := max(1, min(workers.Of(ctx), len(boxes)/2048))
	pairs := make([][][2]int32, par)
	var wg sync.WaitGroup
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			local := network.NewUnionFind(bs.Len())
			const stripe = 256
			for lo := w * stripe; lo < len(boxes); lo += par * stripe {
				if ctx.Err() != nil {
					return
				}
				for k := lo; k < min(lo+stripe, len(boxes)); k++ {
					a := &boxes[k]
					for l := k + 1; l < len(boxes) && boxes[l].band == a.band && boxes[l].minX <= a.maxX+sep; l++ {
						b := &boxes[l]
						if b.minY > a.maxY+sep || a.minY > b.maxY+sep {
							continue
						}
						d := c.P.separation(&bs.Items[a.i], &bs.Items[b.i])
						dx := max(0, a.minX-b.maxX, b.minX-a.maxX)
						dy := max(0, a.minY-b.maxY, b.minY-a.maxY)
						if dx*dx+dy*dy > d*d || local.Find(a.i) == local.Find(b.i) {
							continue
						}
						if geo.Within(bs.Metric[a.i], bs.Metric[b.i], d) {
							local.Union(a.i, b.i)
							pairs[w] = append(pairs[w], [2]int32{a.i, b.i})
						}
					}
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	uf := network.NewUnionFind(bs.Len())
	for _, ps := range pairs {
		for _, p := range ps {
			uf.Union(p[0], p[1])
		}
	}
	return uf, nil
}

// sortableBits maps a float to bits that sort as the float does.
func sortableBits(f float64) uint64 {
	u := math.Float64bits(f)
	if u>>63 == 1 {
		return ^u
	}
	return u | 1<<63
}

// radixOrder returns the indices of keys in ascending key order (stable
// LSD radix sort, 16 bits a pass): linear, where a comparison sort of
// millions of buildings would dominate the sweep.
func radixOrder(keys []uint64) []int32 {
	n := len(keys)
	idx, tmp := make([]int32, n), make([]int32, n)
	if n == 0 {
		return idx
	}
	for i := range idx {
		idx[i] = int32(i)
	}
	var count [1 << 16]int
	for shift := 0; shift < 64; shift += 16 {
		count = [1 << 16]int{}
		for _, i := range idx {
			count[keys[i]>>shift&0xffff]++
		}
		if count[keys[idx[0]]>>shift&0xffff] == n {
			continue // every key shares this digit
		}
		sum := 0
		for d := range count {
			count[d], sum = sum, sum+count[d]
		}
		for _, i := range idx {
			d := keys[i] >> shift & 0xffff
			tmp[count[d]] = i
			count[d]++
		}
		idx, tmp = tmp, idx
	}
	return idx
}

// ids holds clusters' ids in shared byte arrays: one string each is a
// province's million objects more for the collector.
type ids []byte

// join returns prefix+s, its bytes in the array.
func (b *ids) join(prefix, s string) string {
	n := len(prefix) + len(s)
	if cap(*b)-len(*b) < n {
		*b = make([]byte, 0, max(1<<16, n))
	}
	off := len(*b)
	*b = append(append(*b, prefix...), s...)
	// Never written again: appends go past them, a full array is replaced.
	return unsafe.String(&(*b)[off], n)
}

func (c *Clusters) describe(cl *Cluster, m *areas.Membership, res *response.Response, villageHH, townshipN map[int32]int, id *ids) {
	s := c.Snap
	minID := ""
	wood := 0
	var cx, cy float64
	clear(villageHH)
	clear(townshipN)
	cl.ArrivalS = math.NaN()
	if res != nil {
		cl.ArrivalS = math.Inf(1)
	}
	for _, i := range cl.Buildings {
		b := &s.Buildings.Items[i]
		if minID == "" || b.ID < minID {
			minID = b.ID
		}
		cl.Households += b.Households
		if b.Structure == "wood" {
			wood++
		}
		cx += m.Centroid[i][0]
		cy += m.Centroid[i][1]
		villageHH[m.Village[i]] += max(b.Households, 1)
		townshipN[m.Township[i]]++
		if res != nil {
			cl.ArrivalS = math.Min(cl.ArrivalS, res.Buildings[i].T)
		}
	}
	n := float64(len(cl.Buildings))
	cl.ID = id.join("cl-", minID)
	cl.WoodShare = math.Round(float64(wood)/n*1000) / 1000
	cl.Centroid = orb.Point{cx / n, cy / n}
	cl.Village = majority(villageHH)
	cl.Township = majority(townshipN)
	if cl.Village >= 0 {
		v := &s.Villages.Items[cl.Village]
		cl.Retrofitted, cl.VolunteerBrigade = v.Retrofitted, v.VolunteerBrigade
	}
	cl.Tier = Tier(cl.Households)
	cl.WaterM = nearestWorking(s, cl.Centroid)
}

// Outline returns cluster k's outline in metres: the convex hull of its
// buildings, or the building itself when alone. It is drawn on demand: the
// ledger, the question most asked at a new separation, needs none.
func (c *Clusters) Outline(k int) orb.Polygon {
	cl := &c.Clusters[k]
	if p, ok := c.Snap.Buildings.Metric[cl.Buildings[0]].(orb.Polygon); ok && len(cl.Buildings) == 1 {
		return orb.Polygon{p[0]}
	}
	var pts []orb.Point
	for _, i := range cl.Buildings {
		pts = append(pts, vertices(c.Snap.Buildings.Metric[i])...)
	}
	return hull(pts)
}

// nearestWorking returns the straight distance from p to the nearest
// working hydrant or water source, searching boxes that double in size.
func nearestWorking(s *data.Snapshot, p orb.Point) float64 {
	best := math.Inf(1)
	for r := 128.0; r < 1e6; r *= 2 {
		s.Hydrants.MIndex.Search(orb.Bound{Min: orb.Point{p[0] - r, p[1] - r}, Max: orb.Point{p[0] + r, p[1] + r}}, func(j int32) bool {
			if s.Hydrants.Items[j].Status == "working" {
				best = math.Min(best, geo.Dist(p, s.Hydrants.Metric[j].(orb.Point)))
			}
			return true
		})
		if best <= r {
			return math.Round(best*10) / 10
		}
	}
	return best
}

// majority returns the key with the largest count (ties: the lower key),
// preferring any real area (>= 0) to none (-1).
func majority(count map[int32]int) int32 {
	best, bn := int32(-1), -1
	for k, n := range count {
		if k < 0 {
			continue
		}
		if n > bn || n == bn && k < best {
			best, bn = k, n
		}
	}
	return best
}

func vertices(g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return []orb.Point{g}
	case orb.Polygon:
		return g[0]
	case orb.MultiPolygon:
		var out []orb.Point
		for _, p := range g {
			out = append(out, p[0]...)
		}
		return out
	}
	return nil
}

// hull returns the convex hull of ps (geo.ConvexHull); fewer than three
// points not in a line get a 5 m box.
func hull(ps []orb.Point) orb.Polygon {
	ring, ok := geo.ConvexHull(ps)
	if !ok { // a point or a line
		b := orb.MultiPoint(ps).Bound().Pad(5)
		return orb.Polygon{{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}, b.Min}}
	}
	return orb.Polygon{ring}
}

// LedgerRow counts one township's (or the county's) clusters by tier.
type LedgerRow struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	Clusters        map[string]int `json:"clusters"`   // by tier
	Households      map[string]int `json:"households"` // by tier
	Retrofitted100  int            `json:"retrofitted_100plus"`
	RetrofitShare   *float64       `json:"retrofit_share_100plus"` // null without 100+ clusters
	RetrofitTarget  float64        `json:"retrofit_target"`
	MeetsTarget     bool           `json:"meets_target"`
	NoBrigade30Plus int            `json:"clusters_30plus_without_brigade"`
	NoWater30Plus   int            `json:"clusters_30plus_without_water"`
}

// RetrofitTarget is the share of 100+ household clusters to retrofit.
const RetrofitTarget = 0.5

// waterNearM is how near a water source must be to count for a cluster.
const waterNearM = 200

// Ledger returns a row per township, then the county (id "county").
func (c *Clusters) Ledger() []LedgerRow {
	s := c.Snap
	rows := make([]LedgerRow, s.Townships.Len()+1)
	for i, t := range s.Townships.Items {
		rows[i] = newLedgerRow(t.ID, t.Name)
	}
	all := len(rows) - 1
	rows[all] = newLedgerRow("county", "county")
	for _, cl := range c.Clusters {
		targets := []*LedgerRow{&rows[all]}
		if cl.Township >= 0 {
			targets = append(targets, &rows[cl.Township])
		}
		for _, r := range targets {
			r.Clusters[cl.Tier]++
			r.Households[cl.Tier] += cl.Households
			if cl.Tier == "100+" && cl.Retrofitted {
				r.Retrofitted100++
			}
			if cl.Households >= 30 && !cl.VolunteerBrigade {
				r.NoBrigade30Plus++
			}
			if cl.Households >= 30 && !(cl.WaterM <= waterNearM) {
				r.NoWater30Plus++
			}
		}
	}
	for i := range rows {
		if n := rows[i].Clusters["100+"]; n > 0 {
			sh := areas.Share(float64(rows[i].Retrofitted100), float64(n))
			rows[i].RetrofitShare = &sh
			rows[i].MeetsTarget = sh >= RetrofitTarget
		}
	}
	return rows
}

func newLedgerRow(id, name string) LedgerRow {
	r := LedgerRow{ID: id, Name: name, Clusters: map[string]int{}, Households: map[string]int{}, RetrofitTarget: RetrofitTarget}
	for _, t := range Tiers {
		r.Clusters[t], r.Households[t] = 0, 0
	}
	return r
}
