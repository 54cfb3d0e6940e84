package api

import (
	"fmt"
	"net/http"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb/maptile"
)

// ETags survive a restart: two servers over two snapshots of the same
// content (the sample, same seed) tag the same tile and the same analysis
// alike, so a client's cache stays valid across a deploy; changed content
// changes them. This needs data.Snapshot.Version to be a hash of the
// content, not a counter of snapshots built.
func TestETagFollowsContentAcrossRestarts(t *testing.T) {
	opts := sample.Options{Seed: sample.DefaultSeed}
	a := data.NewSnapshot(sample.Generate(opts), "sample", nil)
	b := data.NewSnapshot(sample.Generate(opts), "sample", nil)
	changedSet := sample.Generate(opts)
	h := &changedSet.Hydrants[0]
	if h.Status == "working" {
		h.Status = "broken"
	} else {
		h.Status = "working"
	}
	changed := data.NewSnapshot(changedSet, "sample", nil)

	tile := maptile.At(h.Geom, 14)
	paths := []string{
		fmt.Sprintf("/tiles/hydrants/14/%d/%d.mvt", tile.X, tile.Y),
		"/api/hydrants/stats?mode=straight",
	}
	etags := func(snap *data.Snapshot) []string {
		_, srv := serve(t, snap)
		var out []string
		for _, p := range paths {
			code, hdr, _ := fetch(t, srv.URL+p)
			if code != http.StatusOK || hdr.Get("ETag") == "" {
				t.Fatalf("%s: status %d, ETag %q", p, code, hdr.Get("ETag"))
			}
			out = append(out, hdr.Get("ETag"))
		}
		return out
	}
	ea, eb, ec := etags(a), etags(b), etags(changed)
	if a.Version != b.Version {
		t.Errorf("snapshots of the same content have versions %016x and %016x, want one", a.Version, b.Version)
	}
	if a.Version == changed.Version {
		t.Errorf("a snapshot with hydrant %s's status changed keeps version %016x", h.ID, a.Version)
	}
	for i, p := range paths {
		if ea[i] != eb[i] {
			t.Errorf("%s: ETag %s after a restart on the same data, %s before", p, eb[i], ea[i])
		}
		if ea[i] == ec[i] {
			t.Errorf("%s: ETag %s unchanged though hydrant %s's status changed", p, ea[i], h.ID)
		}
	}
}
