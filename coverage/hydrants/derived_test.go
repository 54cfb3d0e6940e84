package hydrants

import (
	"fmt"
	"strings"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// TestDerivedBuiltup removes the sample county's built-up layer: the areas
// derived from the buildings hold the county town and leave villages and a
// lone farmstead out; the hydrant plan on them is a fraction of the plan
// with every street to protect; with no areas at all nothing is sought.
func TestDerivedBuiltup(t *testing.T) {
	drawn := fixture.Sample(t)
	// A farmstead where no building stands within 1 km.
	var farm orb.Point
	tb := drawn.Townships.MBound[0]
	for x := tb.Min[0]; x < tb.Max[0] && farm == (orb.Point{}); x += 250 {
		for y := tb.Min[1]; y < tb.Max[1]; y += 250 {
			p, lone := orb.Point{x, y}, true
			drawn.Buildings.MIndex.Search(orb.Bound{Min: p, Max: p}.Pad(1000), func(int32) bool { lone = false; return false })
			if lone && areas.Containing(&drawn.Townships.MIndex, drawn.Townships.Metric, p) >= 0 {
				farm = p
				break
			}
		}
	}
	if farm == (orb.Point{}) {
		t.Fatal("no place for a lone farmstead")
	}
	house := orb.Polygon{{{farm[0], farm[1]}, {farm[0] + 12, farm[1]}, {farm[0] + 12, farm[1] + 9}, {farm[0], farm[1] + 9}, {farm[0], farm[1]}}}

	county := func(builtup []data.Builtup, opt data.Options) *data.Snapshot {
		set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
		set.Builtup = builtup
		set.Buildings = append(set.Buildings, data.Building{ID: "farmstead", Geom: drawn.Proj.InverseGeometry(house), Households: 1})
		s, err := data.NewSnapshotWith(set, "sample", nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := county(nil, data.DefaultOptions())
	if s.Proj.Origin() != drawn.Proj.Origin() {
		t.Fatalf("origin %v, drawn county's %v", s.Proj.Origin(), drawn.Proj.Origin())
	}
	bu := s.Builtup
	if bu.Len() < 9 {
		t.Fatalf("%d derived areas, want the county town, the industrial park and the seats", bu.Len())
	}
	for i, it := range bu.Items {
		if it.ID != fmt.Sprintf("derived-%d", i+1) || it.Name != "" || it.Kind != "" || data.CheckGeometry(data.PolygonGeom, it.Geom) != nil {
			t.Fatalf("derived area %d: %+v", i, it)
		}
		// Items are lon/lat: projected they are the metric area.
		m := s.Proj.ForwardGeometry(it.Geom).Bound()
		if mb := bu.MBound[i]; geo.Dist(m.Min, mb.Min) > 1e-6 || geo.Dist(m.Max, mb.Max) > 1e-6 {
			t.Fatalf("derived area %d: lon/lat %v projects to %v, metric %v", i, it.Geom.Bound(), m, mb)
		}
	}
	if notes := strings.Join(s.Report.Layer(data.LayerBuiltup).Notes, "\n"); !strings.Contains(notes, fmt.Sprintf("derived %d from the buildings", bu.Len())) {
		t.Errorf("builtup report notes %q do not say the areas were derived", notes)
	}

	in := func(i int) bool {
		return areas.Containing(&bu.MIndex, bu.Metric, areas.Centroid(s.Buildings.Metric[i])) >= 0
	}
	var townIdx int32 = -1
	for k, it := range drawn.Builtup.Items {
		if it.Kind == "county_town" {
			townIdx = int32(k)
		}
	}
	var town, townIn, village, villageIn int
	farmIn := false
	for i := range s.Buildings.Items {
		c := areas.Centroid(s.Buildings.Metric[i])
		switch {
		case s.Buildings.Items[i].ID == "farmstead":
			farmIn = in(i)
		case areas.Containing(&drawn.Builtup.MIndex, drawn.Builtup.Metric, c) == townIdx:
			town++
			if in(i) {
				townIn++
			}
		case areas.Containing(&drawn.Builtup.MIndex, drawn.Builtup.Metric, c) < 0 && areas.Containing(&s.Villages.MIndex, s.Villages.Metric, c) >= 0:
			village++
			if in(i) {
				villageIn++
			}
		}
	}
	t.Logf("%d derived areas; county town %d/%d buildings in them, villages %d/%d", bu.Len(), townIn, town, villageIn, village)
	if town < 1000 || townIn*100 < town*99 {
		t.Errorf("%d of the county town's %d buildings in derived areas, want 99%%", townIn, town)
	}
	if village < 1000 || villageIn*10 > village {
		t.Errorf("%d of %d village buildings in derived areas, want at most 10%%", villageIn, village)
	}
	if farmIn {
		t.Error("the lone farmstead is in a derived built-up area")
	}

	// The plan: derived areas, every street (one area over the county), none.
	all := drawn.Townships.Bound()
	everything := county([]data.Builtup{{ID: "all", Geom: all.ToPolygon()}}, data.DefaultOptions())
	noDerived := data.DefaultOptions()
	noDerived.BuiltupGapM = 0
	none := county(nil, noDerived)
	sites := map[string]int{}
	for _, c := range []struct {
		name string
		s    *data.Snapshot
	}{{"derived", s}, {"drawn", drawn}, {"everything", everything}, {"none", none}} {
		h := hydrantAnalysis(t, c.s, DefaultParams())
		sites[c.name] = len(planOf(t, h).Sites)
		if noBuiltup := len(h.Problems) > 0 && h.Problems[0].Reason == "no_builtup"; noBuiltup != (c.name == "none") {
			t.Errorf("%s: problems %v", c.name, h.Problems)
		}
	}
	t.Logf("proposed sites: %v", sites)
	if sites["derived"] == 0 || sites["derived"]*3 > sites["everything"] || sites["none"] != 0 {
		t.Errorf("proposed sites %v: want some on derived areas, a third or less of every street's, none without areas", sites)
	}
}
