package api

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"fireplan/coverage"
	"fireplan/data"
)

// Identical requests arriving together compute their table once, and a
// request spelling the same parameters differently reuses it.
func TestConcurrentRequestsComputeOnce(t *testing.T) {
	s, srv := sampleServer(t)
	const kind = "table:coverage_isochrones"
	before := s.Catalog().Cache.Computed(kind)
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		codes  [2]int
		bodies [2][]byte
	)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Not the default minutes, so that nothing is cached yet.
			code, _, b := fetchNoFatal(srv.URL + "/api/coverage/isochrones?minutes=7")
			codes[i], bodies[i] = code, b
		}()
	}
	close(start)
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Fatalf("request %d: status %d: %s", i, c, bodies[i])
		}
	}
	if !bytes.Equal(bodies[0], bodies[1]) {
		t.Fatal("the two identical requests got different bodies")
	}
	if n := s.Catalog().Cache.Computed(kind) - before; n != 1 {
		t.Fatalf("%s computed %d times for two identical concurrent requests, want 1", kind, n)
	}
	code, _, b := fetch(t, srv.URL+"/api/coverage/isochrones?minutes=7.0")
	if code != 200 || !bytes.Equal(b, bodies[0]) {
		t.Fatalf("minutes=7.0: status %d, body differs from minutes=7's: %v", code, !bytes.Equal(b, bodies[0]))
	}
	if n := s.Catalog().Cache.Computed(kind) - before; n != 1 {
		t.Fatalf("%s computed %d times after minutes=7.0, want still 1 (same canonical value)", kind, n)
	}
}

// TestWarmDefaultsOutlastWhatIfs: after the warm-up, a flood of what-ifs
// through a cache far too small for them does not push out the defaults:
// each default answer is served without computing anything again.
func TestWarmDefaultsOutlastWhatIfs(t *testing.T) {
	sampleServer(t)
	var st data.Store
	st.Swap(sampleSnap)
	s, err := New(&st, Options{CacheBytes: 1 << 20}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var status struct {
		Warm bool `json:"warm"`
	}
	if get(t, srv, "/api/status", &status); status.Warm {
		t.Fatal("/api/status says warm before the warm-up")
	}
	s.Warm(context.Background())
	if get(t, srv, "/api/status", &status); !status.Warm {
		t.Fatal("/api/status does not say warm after the warm-up")
	}
	if st := s.cat.Cache.Stats(); st.Pinned == 0 || st.PinnedBytes <= st.MaxBytes {
		t.Fatalf("after the warm-up %d entries pinned, %d bytes: want the defaults, over the 1 MiB budget", st.Pinned, st.PinnedBytes)
	}
	for _, m := range []string{"6", "7", "9", "3"} {
		for _, path := range []string{"/api/coverage?minutes=" + m, "/api/coverage/gaps?minutes=" + m, "/api/hydrants/gaps?radius_m=1" + m + "5"} {
			if code, _, b := fetch(t, srv.URL+path); code != 200 {
				t.Fatalf("%s: %d %s", path, code, b)
			}
		}
	}
	before := s.cat.Cache.Stats().Computed
	for _, path := range []string{"/api/coverage", "/api/coverage/gaps", "/api/hydrants/gaps", "/api/clusters/ledger",
		"/api/firelanes", "/api/stations/siting", "/api/hydrants/proposals", "/tiles/coverage_gaps/12/3417/1650.mvt"} {
		if code, _, b := fetch(t, srv.URL+path); code != 200 && code != 204 {
			t.Fatalf("%s: %d %s", path, code, b)
		}
	}
	for kind, n := range s.cat.Cache.Stats().Computed {
		if kind != coverage.TileKind && n != before[kind] {
			t.Errorf("%s computed %d times more for the defaults after the what-ifs", kind, n-before[kind])
		}
	}
}
