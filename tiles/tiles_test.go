package tiles

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// grid returns n x n small squares and a point in each, around lon/lat c.
func grid(c orb.Point, n int) []Feature {
	var fs []Feature
	d := 0.0004
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := c[0]+float64(i)*d, c[1]+float64(j)*d
			sq := orb.Polygon{{{x, y}, {x + d/2, y}, {x + d/2, y + d/2}, {x, y + d/2}, {x, y}}}
			fs = append(fs, Feature{ID: fmt.Sprintf("sq%03d-%03d", i, j), Geom: sq, Props: map[string]any{"i": i, "name": "方块", "w": 1.5, "ok": j%2 == 0, "none": nil}})
			fs = append(fs, Feature{ID: fmt.Sprintf("pt%03d-%03d", i, j), Geom: orb.Point{x, y}, Props: map[string]any{"i": i}})
		}
	}
	return fs
}

func TestRenderDecodesWithPropertiesAndIsDeterministic(t *testing.T) {
	c := orb.Point{111.46, 27.23}
	l := Layer{Name: "test", MinZoom: 10, MaxZoom: 16, Source: NewCollection(grid(c, 10))}
	tile := maptile.At(orb.Point{c[0] + 0.001, c[1] + 0.001}, 16)
	b, err := Render(l, tile, DefaultOptions)
	if err != nil || len(b) == 0 {
		t.Fatalf("render: %d bytes, %v", len(b), err)
	}
	again, _ := Render(l, tile, DefaultOptions)
	if !bytes.Equal(b, again) {
		t.Fatal("the same tile rendered twice differs")
	}
	if err := CheckMVT(b); err != nil {
		t.Fatal(err)
	}
	ls, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].Name != "test" || ls[0].Extent != Extent || len(ls[0].Features) == 0 {
		t.Fatalf("layers %+v", ls)
	}
	for _, f := range ls[0].Features {
		p := f.Properties
		if _, ok := p["none"]; ok {
			t.Fatal("a null property was encoded")
		}
		if p["id"] == nil {
			t.Fatalf("feature without id: %v", p)
		}
		if p["id"].(string)[:2] == "sq" && (p["name"] != "方块" || p["w"] != 1.5 || p["ok"] == nil) {
			t.Fatalf("square properties %v", p)
		}
	}
	if b, _ := Render(l, maptile.At(c, 9), DefaultOptions); b != nil {
		t.Fatal("a tile below the layer's zooms must be empty")
	}
}

func TestOversizedTilesAreSimplifiedNotBroken(t *testing.T) {
	c := orb.Point{111.46, 27.23}
	// A wiggly line of 20,000 vertices and a crowd of points.
	var line orb.LineString
	for i := 0; i < 20000; i++ {
		a := float64(i) / 20000
		line = append(line, orb.Point{c[0] + 0.05*a, c[1] + 0.002*math.Sin(a*400)})
	}
	fs := append(grid(c, 60), Feature{ID: "line", Geom: line})
	l := Layer{Name: "big", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
	tile := maptile.At(orb.Point{c[0] + 0.01, c[1]}, 14)
	full, _ := Render(l, tile, Options{MaxBytes: 1 << 30})
	capped, err := Render(l, tile, Options{MaxBytes: 8 << 10})
	if err != nil || len(capped) == 0 || len(capped) > 8<<10 || len(capped) >= len(full) {
		t.Fatalf("capped tile %d bytes (full %d): %v", len(capped), len(full), err)
	}
	if _, err := mvt.Unmarshal(capped); err != nil {
		t.Fatalf("capped tile does not decode: %v", err)
	}
	if err := CheckMVT(capped); err != nil {
		t.Fatalf("capped tile: %v", err)
	}
}

// TestConcurrentTilesDrawTheSameBytes: features' properties are read the
// first time a tile draws them, into a dictionary shared by the layer's
// tiles. Tiles drawn at once, in any order, from one set are the bytes each
// gives drawn alone from a fresh set.
func TestConcurrentTilesDrawTheSameBytes(t *testing.T) {
	c := orb.Point{111.46, 27.23}
	fs := grid(c, 30)
	var ts []maptile.Tile
	for z := maptile.Zoom(10); z <= 16; z++ {
		for _, tl := range maptile.Tile.Children(maptile.At(c, z-1)) {
			ts = append(ts, tl)
		}
	}
	want := make([][]byte, len(ts))
	for i, tl := range ts {
		fresh := Layer{Name: "test", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
		want[i], _ = Render(fresh, tl, DefaultOptions)
	}
	shared := Layer{Name: "test", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
	got := make([][]byte, len(ts))
	done := make(chan struct{})
	for i := range ts {
		go func() {
			defer func() { done <- struct{}{} }()
			got[len(ts)-1-i], _ = Render(shared, ts[len(ts)-1-i], DefaultOptions)
		}()
	}
	for range ts {
		<-done
	}
	drawn := 0
	for i := range ts {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("tile %v: %d bytes drawn beside others, %d alone", ts[i], len(got[i]), len(want[i]))
		}
		if len(want[i]) > 0 {
			drawn++
		}
	}
	if drawn < 10 {
		t.Fatalf("only %d of %d tiles hold features", drawn, len(ts))
	}
}

// The dictionary finds a value again by a hash of its bytes; values whose
// hashes collide are told apart by their bytes. With every hash the same,
// tiles are the bytes they are with real hashes.
func TestDictionaryValuesOfOneHashStayApart(t *testing.T) {
	c := orb.Point{111.46, 27.23}
	fs := grid(c, 12)
	var ts []maptile.Tile
	for z := maptile.Zoom(12); z <= 16; z++ {
		ts = append(ts, maptile.At(orb.Point{c[0] + 0.002, c[1] + 0.002}, z))
	}
	render := func() [][]byte {
		l := Layer{Name: "test", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
		out := make([][]byte, len(ts))
		for i, tl := range ts {
			out[i], _ = Render(l, tl, DefaultOptions)
		}
		return out
	}
	want := render()
	defer func(h func(maphash.Seed, []byte) uint64) { valueHash = h }(valueHash)
	valueHash = func(maphash.Seed, []byte) uint64 { return 7 }
	for i, b := range render() {
		if len(want[i]) == 0 || !bytes.Equal(b, want[i]) {
			t.Errorf("tile %v: %d bytes with one hash for every value, %d with real ones", ts[i], len(b), len(want[i]))
		}
	}
}

// A layer's dictionary, which grows with every feature a tile draws, is a
// few arrays and not an object or two per feature: a map panned over a
// province draws millions, each with an id of its own.
func TestDictionaryIsFewObjects(t *testing.T) {
	c := orb.Point{111.46, 27.23}
	fs := grid(c, 100) // 20,000 features, each id distinct
	l := Layer{Name: "test", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
	objects := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapObjects
	}
	before := objects()
	n := 0
	for _, tl := range maptile.At(orb.Point{c[0] + 0.02, c[1] + 0.02}, 12).Children() {
		for _, t2 := range tl.Children() {
			if b, _ := Render(l, t2, DefaultOptions); b != nil {
				n++
			}
		}
	}
	drawn := 0
	for _, at := range l.Source.tagAt {
		if at >= 0 {
			drawn++
		}
	}
	if grown := int64(objects()) - int64(before); drawn < len(fs)/2 || grown > 500 {
		t.Errorf("%d tiles drew %d of %d features; the set grew by %d objects", n, drawn, len(fs), grown)
	}
	runtime.KeepAlive(l)
}

// Past DictBytes a layer's dictionary starts again; tiles drawn across the
// restarts, at once, are the bytes each gives drawn alone.
func TestConcurrentTilesAcrossDictionaryRestarts(t *testing.T) {
	defer func(n int) { DictBytes = n }(DictBytes)
	DictBytes = 2 << 10
	c := orb.Point{111.46, 27.23}
	fs := grid(c, 40)
	var ts []maptile.Tile
	for _, tl := range maptile.At(orb.Point{c[0] + 0.008, c[1] + 0.008}, 14).Children() {
		ts = append(ts, tl.Children()...)
	}
	want := make([][]byte, len(ts))
	most := 0 // the largest dictionary one tile makes
	for i, tl := range ts {
		alone := Layer{Name: "test", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
		want[i], _ = Render(alone, tl, DefaultOptions)
		most = max(most, alone.Source.dictBytes())
	}
	shared := Layer{Name: "test", MinZoom: 0, MaxZoom: 16, Source: NewCollection(fs)}
	for round := range 3 {
		got := make([][]byte, len(ts))
		var wg sync.WaitGroup
		for i := range ts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], _ = Render(shared, ts[i], DefaultOptions)
			}()
		}
		wg.Wait()
		drawn := 0
		for i := range ts {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("round %d, tile %v: %d bytes, %d drawn alone", round, ts[i], len(got[i]), len(want[i]))
			}
			if len(got[i]) > 0 {
				drawn++
			}
		}
		if drawn < 4 {
			t.Fatalf("only %d of %d tiles hold features", drawn, len(ts))
		}
	}
	// Bounded as a tile begins: one tile may take it that far beyond.
	if b := shared.Source.dictBytes(); b > DictBytes+most {
		t.Errorf("dictionary of %d bytes, bound %d, one tile's at most %d", b, DictBytes, most)
	}
}
