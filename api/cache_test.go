package api

import (
	"bytes"
	"sync"
	"testing"
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
