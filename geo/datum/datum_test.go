package datum

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// references are published pairs (lon, lat), each computed by another
// implementation of the same public algorithm.
var references = []struct {
	name     string
	d        Datum
	wgs, off orb.Point
}{
	// googollee/eviltransform python/test.py, TESTS.
	{"shanghai gcj02", GCJ02, orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
	{"shenzhen gcj02", GCJ02, orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}},
	{"beijing gcj02", GCJ02, orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
	// wandergis/coordtransform test/app.js: wgs84togcj02(116.404, 39.915).
	{"tiananmen gcj02", GCJ02, orb.Point{116.404, 39.915}, orb.Point{116.41024449916938, 39.91640428150164}},
	// The same file's gcj02tobd09(116.404, 39.915), composed here with the
	// inverse of its GCJ-02 pair above: the BD-09 of that WGS84 point.
	{"tiananmen bd09", BD09, GCJ02.ToWGS84(orb.Point{116.404, 39.915}), orb.Point{116.41036949371029, 39.92133699351021}},
}

func TestForwardMatchesPublishedPoints(t *testing.T) {
	for _, c := range references {
		t.Run(c.name, func(t *testing.T) {
			d := geo.Distance(c.d.FromWGS84(c.wgs), c.off)
			if d > 0.5 {
				t.Errorf("forward %v: %.3f m from the published %v", c.wgs, d, c.off)
			}
			t.Logf("forward: %.2g m from the published point", d)
		})
	}
}

func TestInverseMatchesPublishedPoints(t *testing.T) {
	for _, c := range references {
		t.Run(c.name, func(t *testing.T) {
			d := geo.Distance(c.d.ToWGS84(c.off), c.wgs)
			if d > 1 {
				t.Errorf("inverse %v: %.3f m from the published %v", c.off, d, c.wgs)
			}
			t.Logf("inverse: %.2g m from the published point", d)
		})
	}
}

// TestBD09ToGCJ02 checks against coordtransform's closed-form
// bd09togcj02(116.404, 39.915) (test/app.js), itself an approximation.
func TestBD09ToGCJ02(t *testing.T) {
	got := GCJ02.FromWGS84(BD09.ToWGS84(orb.Point{116.404, 39.915}))
	if d := geo.Distance(got, orb.Point{116.39762729119315, 39.90865673957631}); d > 1 {
		t.Errorf("BD-09 to GCJ-02: %v, %.3f m off", got, d)
	}
}

// TestRoundTrip converts random points in China forth and back; the offset
// itself must be of the size the web maps are known for (BD-09 adds up to
// about 1 km to GCJ-02's few hundred metres).
func TestRoundTrip(t *testing.T) {
	seed := uint64(1)
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	for _, d := range []Datum{GCJ02, BD09} {
		worst := 0.0
		for range 10000 {
			// Mainland China, well inside the box.
			p := orb.Point{75 + rng.Float64()*59, 18 + rng.Float64()*35}
			q := d.FromWGS84(p)
			if off := geo.Distance(p, q); off < 1 || off > 2500 {
				t.Fatalf("%s of %v moves %.0f m", d, p, off)
			}
			worst = max(worst, geo.Distance(d.ToWGS84(q), p))
		}
		if worst > 0.01 {
			t.Errorf("%s round trip: worst %.4f m", d, worst)
		}
		t.Logf("%s round trip: worst %.2g m", d, worst)
	}
}

func TestOutsideChinaUnchanged(t *testing.T) {
	for _, p := range []orb.Point{{24.94, 60.17}, {-122.4, 37.8}, {139.7, 35.7}} {
		for _, d := range []Datum{WGS84, GCJ02, BD09} {
			if q := d.FromWGS84(p); q != p {
				t.Errorf("%s moved %v to %v", d, p, q)
			}
			if q := d.ToWGS84(p); q != p {
				t.Errorf("%s inverse moved %v to %v", d, p, q)
			}
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Datum
		err  bool
	}{{"", WGS84, false}, {"wgs84", WGS84, false}, {"gcj02", GCJ02, false}, {"bd09", BD09, false}, {"GCJ-02", 0, true}} {
		got, err := Parse(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("Parse(%q) = %v, %v", c.in, got, err)
		}
	}
}
