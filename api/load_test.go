package api

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"fireplan/data"

	"github.com/paulmach/orb/maptile"
)

// mixResult is what a mixed load did.
type mixResult struct {
	byStatus  map[int]int
	tiles     []time.Duration // latency of each tile request
	heapAfter uint64
	heapBase  uint64
	cache     int64
}

// runMix serves the sample county with one analysis slot and a short
// queue, and sends n requests from 8 clients: tiles, items, analyses at
// parameters never asked before (each one a computation) and reloads (a
// new snapshot swapped in, as a database edit does).
func runMix(t testing.TB, n int) mixResult {
	sampleServer(t)
	var st data.Store
	st.Swap(sampleSnap)
	const cacheBytes = 256 << 20
	s, err := New(&st, Options{MaxAnalyses: 1, Queue: 4, CacheBytes: cacheBytes}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse

	// Two snapshots to reload between: the county, and the county with a
	// hydrant fewer (a new version: every cache key changes).
	edited := slices.Clone(sampleSnap.Hydrants.Items[1:])
	other, _ := sampleSnap.Derive("edited", data.Edit{Hydrants: &edited})
	other.Base = nil
	snaps := []*data.Snapshot{sampleSnap, other}

	b := sampleSnap.Buildings.Bound()
	rng := rand.New(rand.NewPCG(1, 2))
	type req struct {
		path           string
		tile, analysis bool
	}
	reqs := make([]req, n)
	for i := range reqs {
		switch k := rng.IntN(100); {
		case k < 60:
			z := 12 + rng.IntN(4)
			p := maptileAt(b.Min[0]+rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1]+rng.Float64()*(b.Max[1]-b.Min[1]), z)
			layer := []string{"roads", "buildings", "hydrants", "stations", "townships"}[rng.IntN(5)]
			reqs[i] = req{path: fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layer, p.Z, p.X, p.Y), tile: true}
		case k < 85:
			reqs[i] = req{path: fmt.Sprintf("/api/layers/hydrants/items?limit=100&offset=%d", rng.IntN(500))}
		case k < 98:
			reqs[i] = req{analysis: true, path: []string{
				fmt.Sprintf("/api/coverage?truck_width_m=%.2f", 2+rng.Float64()*2),
				fmt.Sprintf("/api/hydrants/gaps?radius_m=%d&limit=10", 100+rng.IntN(100)),
				fmt.Sprintf("/api/clusters/ledger?separation_m=%.1f", 4+rng.Float64()*6),
				fmt.Sprintf("/api/coverage/gaps?minutes=%d&limit=10", 3+rng.IntN(10)),
			}[rng.IntN(4)]}
		default:
			reqs[i] = req{path: "reload"}
		}
	}
	res := mixResult{byStatus: map[int]int{}, heapBase: base}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan req)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				if r.path == "reload" {
					st.Swap(snaps[rng.IntN(2)])
					continue
				}
				start := time.Now()
				resp, err := http.Get(srv.URL + r.path)
				if err != nil {
					t.Error(err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				took := time.Since(start)
				mu.Lock()
				res.byStatus[resp.StatusCode]++
				if r.tile {
					res.tiles = append(res.tiles, took)
				}
				// Only an analysis may be refused, and only by the cap.
				if resp.StatusCode >= 500 && (resp.StatusCode != http.StatusServiceUnavailable || !r.analysis) {
					t.Errorf("%s: status %d", r.path, resp.StatusCode)
				}
				mu.Unlock()
			}
		}()
	}
	for _, r := range reqs {
		next <- r
	}
	close(next)
	wg.Wait()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	res.heapAfter = ms.HeapInuse
	res.cache = s.cat.Cache.Stats().Bytes
	if res.cache > cacheBytes {
		t.Errorf("the cache holds %d bytes, over its bound %d", res.cache, cacheBytes)
	}
	return res
}

func maptileAt(lon, lat float64, z int) maptile.Tile {
	return maptile.At([2]float64{lon, lat}, maptile.Zoom(z))
}

func (r mixResult) p(q float64) time.Duration {
	d := slices.Clone(r.tiles)
	slices.Sort(d)
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(q*float64(len(d))))]
}

// TestMixedLoad: under a mix of tiles, items, new analyses and reloads,
// every tile and item is served, nothing fails but analyses refused by the
// cap (503), and memory after the run stays within the cache bound above
// what the snapshots hold.
func TestMixedLoad(t *testing.T) {
	res := runMix(t, 600)
	// Two snapshots (the second shares all but the hydrants) and what
	// the cache may hold; the rest is garbage the GC returned.
	if bound := res.heapBase + uint64(256<<20); res.heapAfter > bound {
		t.Errorf("heap in use %d MB after the run, over the cache bound plus the snapshot (%d MB)", res.heapAfter>>20, bound>>20)
	}
	t.Logf("statuses %v; tiles p50 %v p99 %v; heap %d MB before, %d MB after; cache %d MB",
		res.byStatus, res.p(0.5), res.p(0.99), res.heapBase>>20, res.heapAfter>>20, res.cache>>20)
}

// BenchmarkMixedLoad reports the tile latency while analyses queue.
func BenchmarkMixedLoad(b *testing.B) {
	for range b.N {
		res := runMix(b, 600)
		b.ReportMetric(float64(res.p(0.99).Microseconds())/1000, "tile-p99-ms")
		b.ReportMetric(float64(res.p(0.5).Microseconds())/1000, "tile-p50-ms")
		b.ReportMetric(float64(res.byStatus[http.StatusServiceUnavailable]), "503s")
	}
}
