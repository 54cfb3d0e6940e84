package osm

import (
	"bytes"
	"context"
	"os"
	"testing"

	"fireplan/data"
)

// helsinki is the real extract the coverage fixture carries (central
// Helsinki, 2019; (c) OpenStreetMap contributors, ODbL 1.0: see its
// README.md beside it). It is read in place rather than copied.
const helsinki = "../../coverage/internal/fixture/testdata/helsinki-center-2019.osm.pbf"

// TestHelsinki reads real tagging: the published counts hold (37 hydrants,
// one station mapped as a relation, 433 building ways and 67 building
// relations less those cut by the edge), every item passes fireplan's
// validation, and a second read is identical.
func TestHelsinki(t *testing.T) {
	set, st, err := ReadFile(context.Background(), helsinki, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(st)
	if len(set.Hydrants) != 37 || len(set.Stations) != 1 || len(set.Buildings) < 400 || len(set.Roads) < 1000 || len(set.Builtup) == 0 {
		t.Errorf("kept %v", st.Kept)
	}
	tunnels, oneway := 0, 0
	for _, r := range set.Roads {
		if r.Tunnel {
			tunnels++
		}
		if r.Oneway != data.TwoWay {
			oneway++
		}
	}
	if tunnels == 0 || oneway == 0 {
		t.Errorf("%d tunnels, %d one-way roads", tunnels, oneway)
	}
	s := data.NewSnapshot(set, "helsinki", nil)
	for _, l := range s.Report.Layers {
		if n := l.SkippedTotal(); n != 0 {
			t.Errorf("validation refused %d %s: %v %v", n, l.Layer, l.Skipped, l.Problems)
		}
	}
	again, _, err := ReadFile(context.Background(), helsinki, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if v := data.NewSnapshot(again, "again", nil).Version; v != s.Version {
		t.Errorf("a second read has version %x, the first %x", v, s.Version)
	}
}

func BenchmarkReadPBF(b *testing.B) {
	raw, err := os.ReadFile(helsinki)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Read(context.Background(), bytes.NewReader(raw), PBF, DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
