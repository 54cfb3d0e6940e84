package network_test

import (
	"context"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"

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
	tr, err := network.Truck(ctx, s, network.DefaultProfile())
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
