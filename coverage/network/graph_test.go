package network_test

import (
	"context"
	"reflect"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
)

// TestTunnelsAreStreetsForTrucksOnly: hoses are not laid through a tunnel
// (no hydrant stands in one), but trucks drive through it.
func TestTunnelsAreStreetsForTrucksOnly(t *testing.T) {
	n := fixture.NewTiny()
	n.Street("a", "", orb.Point{0, 0}, orb.Point{500, 0})
	n.Street("tunnel", "", orb.Point{500, 0}, orb.Point{1500, 0})
	n.Set.Roads[1].Tunnel = true
	n.Street("b", "", orb.Point{1500, 0}, orb.Point{2000, 0})
	s := n.Snapshot()
	ctx := context.Background()
	st, err := network.Street(ctx, s, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := network.Truck(ctx, s, network.DefaultProfile(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Report.Excluded[network.ExcludedTunnel] != 1 || st.Report.Passable != 2 || st.Report.Pieces != 2 {
		t.Errorf("street graph: %v, want the tunnel left out and two pieces", st.Report)
	}
	if len(tr.Report.Excluded) != 0 || tr.Report.Passable != 3 || tr.Report.Pieces != 1 {
		t.Errorf("truck graph: %v, want every road in one piece", tr.Report)
	}
}

// One numbering of the roads' vertices serves every truck width: a vertex
// a narrow road shares with a wide one is a node only while the narrow road
// is driven, and every graph equals the one numbered for its width alone.
func TestOneNumberingServesEveryWidth(t *testing.T) {
	n := fixture.NewTiny()
	n.Street("wide", "", orb.Point{0, 0}, orb.Point{100, 0}, orb.Point{200, 0})
	n.Street("narrow", "", orb.Point{100, 0}, orb.Point{100, 100})
	wide, narrow := 10.0, 3.0
	n.Set.Roads[0].WidthM, n.Set.Roads[1].WidthM = &wide, &narrow
	ctx := context.Background()
	for _, c := range []struct {
		name         string
		s            *data.Snapshot
		nodes, edges int // -1: not checked
	}{
		{"tiny", n.Snapshot(), 0, 0},
		{"sample", data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil), -1, -1},
		{"mixed", data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed, Mixed: true}), "sample", nil), -1, -1},
	} {
		vx, err := network.NewVertices(ctx, c.s.Roads)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []float64{2.5, 3.5, 4, 5, 7} {
			p := network.DefaultProfile()
			p.TruckWidthM = w
			shared, err := network.Truck(ctx, c.s, p, vx)
			if err != nil {
				t.Fatal(err)
			}
			alone, err := network.Truck(ctx, c.s, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(shared.Nodes, alone.Nodes) || !reflect.DeepEqual(shared.Edges, alone.Edges) {
				t.Errorf("%s at %.1f m: the graph from the shared numbering differs", c.name, w)
			}
			if c.name != "tiny" {
				continue
			}
			wantNodes, wantEdges := 2, 1 // the narrow road left out: (100, 0) is no node
			if w <= narrow {
				wantNodes, wantEdges = 4, 3
			}
			if len(shared.Nodes) != wantNodes || len(shared.Edges) != wantEdges {
				t.Errorf("tiny at %.1f m: %d nodes, %d edges, want %d, %d", w, len(shared.Nodes), len(shared.Edges), wantNodes, wantEdges)
			}
		}
	}
}
