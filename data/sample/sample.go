// Package sample generates fireplan's built-in sample county: a hilly county
// in Hunan with a gridded county town, old residential districts with narrow
// fire lanes, townships of villages whose houses stand 3-15 m apart, roads of
// every class (some too narrow for a fire truck), about 2,000 hydrants with
// real gaps and a few out of order, urban stations and township brigades.
//
// The same seed always yields the same county. Scale N lays N counties side
// by side, joined by trunk roads between their county towns, for benchmarks.
package sample

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"sync"

	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Origin is the sample county's centre (lon, lat): the hills of central Hunan.
var Origin = orb.Point{111.47, 27.23}

// DefaultSeed is the seed of the embedded default county.
const DefaultSeed = 2026

// Options choose the county.
type Options struct {
	Seed  int64
	Scale int // number of counties side by side; 0 or 1 = one county
	// Mixed lays geometry out as other counties' tables do: every third
	// building a MultiPolygon (every sixth with an annex a few metres
	// off), every fifth a point, every fourth road a MultiLineString,
	// villages as MultiPolygons.
	Mixed bool
}

// tileSize is the distance between neighbouring counties' centres, metres.
const tileSize = 64000

// Generate builds the sample county.
func Generate(o Options) *data.Set {
	if o.Scale < 1 {
		o.Scale = 1
	}
	proj := geo.NewProjection(Origin)
	cols := int(math.Ceil(math.Sqrt(float64(o.Scale))))
	// Each county comes from its own seed into its own set, so they are
	// generated on every core and joined in order: the same seed, the
	// same counties, however many cores.
	counties := make([]*county, o.Scale)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(o.Scale, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range next {
				prefix := ""
				if o.Scale > 1 {
					prefix = fmt.Sprintf("c%02d-", t)
				}
				off := orb.Point{float64(t%cols-(cols-1)/2) * tileSize, float64(t/cols-(o.Scale-1)/cols/2) * tileSize}
				g := &county{rng: rand.New(rand.NewSource(o.Seed + int64(t)*7919)), off: off, proj: proj, prefix: prefix, set: &data.Set{}}
				g.generate()
				counties[t] = g
			}
		}()
	}
	for t := range o.Scale {
		next <- t
	}
	close(next)
	wg.Wait()
	sets := make([]*data.Set, len(counties))
	hubs := make([]orb.Point, len(counties))
	for t, g := range counties {
		sets[t], hubs[t] = g.set, g.hub
	}
	set := join(sets)
	// Trunk roads join each county town to its east and north neighbours.
	if o.Scale > 1 {
		g := &county{rng: rand.New(rand.NewSource(o.Seed - 1)), proj: proj, prefix: "link-", set: set}
		for t := range hubs {
			if t%cols+1 < cols && t+1 < len(hubs) {
				g.addRoad(g.winding(hubs[t], hubs[t+1], 800), "trunk", fp(14), false, "县际干线", 400)
			}
			if t+cols < len(hubs) {
				g.addRoad(g.winding(hubs[t], hubs[t+cols], 800), "trunk", fp(14), false, "县际干线", 400)
			}
		}
	}
	if o.Mixed {
		mix(set)
	}
	return set
}

// join returns the sets' features one after the other, each layer copied
// once into a slice of its final size.
func join(sets []*data.Set) *data.Set {
	if len(sets) == 1 {
		return sets[0]
	}
	return &data.Set{
		Hydrants:  concat(sets, func(s *data.Set) []data.Hydrant { return s.Hydrants }),
		Stations:  concat(sets, func(s *data.Set) []data.Station { return s.Stations }),
		Roads:     concat(sets, func(s *data.Set) []data.Road { return s.Roads }),
		Buildings: concat(sets, func(s *data.Set) []data.Building { return s.Buildings }),
		Villages:  concat(sets, func(s *data.Set) []data.Village { return s.Villages }),
		Districts: concat(sets, func(s *data.Set) []data.District { return s.Districts }),
		FireLanes: concat(sets, func(s *data.Set) []data.FireLane { return s.FireLanes }),
		Townships: concat(sets, func(s *data.Set) []data.Township { return s.Townships }),
		Builtup:   concat(sets, func(s *data.Set) []data.Builtup { return s.Builtup }),
	}
}

func concat[T any](sets []*data.Set, layer func(*data.Set) []T) []T {
	n := 0
	for _, s := range sets {
		n += len(layer(s))
	}
	out := make([]T, 0, n)
	for _, s := range sets {
		out = append(out, layer(s)...)
	}
	return out
}

func mix(set *data.Set) {
	for i := range set.Buildings {
		b := &set.Buildings[i]
		p := b.Geom.(orb.Polygon)
		bb := p.Bound()
		switch {
		case i%5 == 2:
			b.Geom = bb.Center()
		case i%6 == 1:
			dx := 1.3 * (bb.Max[0] - bb.Min[0])
			annex := orb.Polygon{make(orb.Ring, len(p[0]))}
			for k, q := range p[0] {
				annex[0][k] = orb.Point{q[0] + dx, q[1]}
			}
			b.Geom = orb.MultiPolygon{p, annex}
		case i%3 == 1:
			b.Geom = orb.MultiPolygon{p}
		}
	}
	for i := range set.Roads {
		if i%4 == 0 {
			set.Roads[i].Geom = orb.MultiLineString{set.Roads[i].Geom.(orb.LineString)}
		}
	}
	for i := range set.Villages {
		set.Villages[i].Geom = orb.MultiPolygon{set.Villages[i].Geom.(orb.Polygon)}
	}
}

func fp(f float64) *float64 { return &f }
func ip(i int) *int         { return &i }

// county generates one county in metres around off.
type county struct {
	rng    *rand.Rand
	off    orb.Point
	proj   *geo.Projection
	prefix string
	set    *data.Set
	n      map[string]int // id counters per layer
	hub    orb.Point      // a county-town node that links counties

	townships []township
	town      *grid // the county town's street grid
	districts []orb.Bound
	gapZone   orb.Bound // a part of town where hydrants were never laid
}

type township struct {
	id     string
	poly   orb.Ring // metric
	inner  orb.Bound
	seat   orb.Point
	grid   *grid
	isTown bool
	nodes  []orb.Point // network points villages may link to
}

func (g *county) id(layer string) string {
	if g.n == nil {
		g.n = map[string]int{}
	}
	g.n[layer]++
	return fmt.Sprintf("%s%s%05d", g.prefix, layer, g.n[layer])
}

func (g *county) ll(p orb.Point) orb.Point {
	return g.proj.Inverse(orb.Point{p[0] + g.off[0], p[1] + g.off[1]})
}

func (g *county) line(ps []orb.Point) orb.LineString {
	out := make(orb.LineString, len(ps))
	for i, p := range ps {
		out[i] = g.ll(p)
	}
	return out
}

func (g *county) ring(ps orb.Ring) orb.Polygon {
	r := orb.Ring(g.line(ps))
	if r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return orb.Polygon{r}
}

func (g *county) between(lo, hi float64) float64 { return lo + g.rng.Float64()*(hi-lo) }

func (g *county) pick(xs ...string) string { return xs[g.rng.Intn(len(xs))] }

func (g *county) generate() {
	g.makeTownships()
	for i := range g.townships {
		t := &g.townships[i]
		if t.isTown {
			g.makeCountyTown(t)
		} else {
			g.makeSeat(t)
		}
	}
	g.makeTrunks()
	for i := range g.townships {
		g.makeVillages(&g.townships[i])
	}
	g.makeStations()
}

// addRoad adds a polyline (metres) as road features of about split metres each.
// Pieces share their end points exactly, so the graph joins them.
func (g *county) addRoad(ps []orb.Point, class string, width *float64, oneway bool, name string, split float64) {
	start, acc := 0, 0.0
	for i := 1; i < len(ps); i++ {
		acc += geo.Dist(ps[i-1], ps[i])
		if acc >= split || i == len(ps)-1 {
			r := data.Road{ID: g.id("rd"), Geom: g.line(ps[start : i+1]), Class: class, WidthM: width, Name: name}
			if oneway {
				r.Oneway = data.Forward
			}
			g.set.Roads = append(g.set.Roads, r)
			start, acc = i, 0
		}
	}
}

// winding returns a hill road from a to b: vertices every 80 m, bending
// sideways by up to amp metres, through a and b exactly.
func (g *county) winding(a, b orb.Point, amp float64) []orb.Point {
	d := geo.Dist(a, b)
	n := int(d/80) + 1
	nx, ny := -(b[1]-a[1])/d, (b[0]-a[0])/d
	k1, k2 := g.between(1, 3), g.between(3, 7)
	a1, a2 := g.between(-amp, amp), g.between(-amp, amp)/3
	ph := g.between(0, math.Pi)
	out := make([]orb.Point, 0, n+1)
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		env := math.Sin(math.Pi * t)
		off := env * (a1*math.Sin(math.Pi*k1*t) + a2*math.Sin(math.Pi*k2*t+ph))
		out = append(out, orb.Point{a[0] + t*(b[0]-a[0]) + off*nx, a[1] + t*(b[1]-a[1]) + off*ny})
	}
	out[0], out[n] = a, b
	return out
}

func polygonRing(c orb.Point, r float64, n int, rng *rand.Rand) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r * (0.75 + 0.4*rng.Float64())
		ring = append(ring, orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)})
	}
	return append(ring, ring[0])
}

func rect(minx, miny, maxx, maxy float64) orb.Ring {
	return orb.Ring{{minx, miny}, {maxx, miny}, {maxx, maxy}, {minx, maxy}, {minx, miny}}
}

// rotatedRect returns a w x h rectangle centred on c, turned by angle a.
func rotatedRect(c orb.Point, w, h, a float64) orb.Ring {
	s, co := math.Sincos(a)
	r := make(orb.Ring, 0, 5)
	for _, d := range [][2]float64{{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}} {
		r = append(r, orb.Point{c[0] + d[0]*co - d[1]*s, c[1] + d[0]*s + d[1]*co})
	}
	return append(r, r[0])
}

var (
	townNames   = []string{"白沙", "石门", "青山", "龙潭", "桃花", "金塘", "枫林", "马田", "高坪", "长乐", "黄桥", "荷叶", "太平", "杨柳"}
	villageHead = []string{"上", "下", "大", "小", "新", "老", "东", "西", "南", "北", "石", "竹", "梅", "茶", "柏", "谷"}
	villageTail = []string{"家湾", "冲", "坪", "塘", "岭", "溪", "坳", "垅", "屋场", "铺", "湾", "田"}
	streetNames = []string{"人民", "建设", "解放", "中山", "五一", "迎宾", "雨溪", "资江", "东风", "和平", "新华", "文昌", "书院", "太平", "复兴", "光明", "胜利", "朝阳"}
)
