package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var (
	sampleOnce sync.Once
	sampleSnap *data.Snapshot
)

// testServer serves the sample county.
func testServer(t testing.TB) *httptest.Server {
	t.Helper()
	_, srv := sampleServer(t)
	return srv
}

// sampleServer serves the sample county and returns the server too, for
// its catalogue and cache.
func sampleServer(t testing.TB) (*Server, *httptest.Server) {
	t.Helper()
	sampleOnce.Do(func() {
		sampleSnap = data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil)
	})
	return serve(t, sampleSnap)
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedSrv  *httptest.Server
)

// sharedServer serves the sample county from one server for the whole
// package: tests that only read share its cache, so each analysis is
// computed once for all of them (the suite runs under the race detector).
func sharedServer(t testing.TB) (*Server, *httptest.Server) {
	t.Helper()
	sharedOnce.Do(func() {
		sampleServer(t)
		var st data.Store
		st.Swap(sampleSnap)
		s, err := New(&st, Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		shared, sharedSrv = s, httptest.NewServer(s) // lives as long as the test binary
	})
	return shared, sharedSrv
}

// serve serves snap with a fresh server (and an empty cache).
func serve(t testing.TB, snap *data.Snapshot) (*Server, *httptest.Server) {
	t.Helper()
	var st data.Store
	st.Swap(snap)
	s, err := New(&st, Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func get(t *testing.T, srv *httptest.Server, path string, into any) int {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s: %v in %s", path, err, b)
		}
	}
	return resp.StatusCode
}

func TestLayersListsAllNine(t *testing.T) {
	srv := testServer(t)
	var got struct {
		Layers []layerInfo `json:"layers"`
	}
	if code := get(t, srv, "/api/layers", &got); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(got.Layers) != 9 {
		t.Fatalf("%d layers, want 9", len(got.Layers))
	}
	for i, l := range got.Layers {
		if l.Name != data.LayerNames()[i] || l.Count == 0 || len(l.BBox) != 4 {
			t.Errorf("layer %+v: want %s with features and a bbox", l, data.LayerNames()[i])
		}
	}
}

func TestItemsInBBoxMatchBruteForce(t *testing.T) {
	srv := testServer(t)
	box := orb.Bound{Min: orb.Point{111.44, 27.20}, Max: orb.Point{111.46, 27.22}}
	want := map[string]bool{}
	for _, b := range sampleSnap.Buildings.Items {
		if b.Geom.Bound().Intersects(box) {
			want[b.ID] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("no buildings in the test box")
	}
	seen := map[string]bool{}
	for offset := 0; ; offset += 500 {
		var fc geojson.FeatureCollection
		code := get(t, srv, "/api/layers/buildings/items?bbox=111.44,27.20,111.46,27.22&limit=500&offset="+itoa(offset), &fc)
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		for _, f := range fc.Features {
			id := f.ID.(string)
			if !want[id] || seen[id] {
				t.Fatalf("feature %s: outside the box or repeated", id)
			}
			seen[id] = true
		}
		if len(fc.Features) < 500 {
			break
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("paged through %d buildings, brute force finds %d", len(seen), len(want))
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestBadRequests(t *testing.T) {
	srv := testServer(t)
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/api/layers/nope/items", 404},
		{"/api/layers/roads/items?bbox=1,2,3", 400},
		{"/api/layers/roads/items?bbox=a,2,3,4", 400},
		{"/api/layers/roads/items?bbox=3,2,1,4", 400},
		{"/api/layers/roads/items?bbox=-200,2,1,4", 400},
		{"/api/layers/roads/items?limit=-1", 400},
		{"/api/layers/roads/items?limit=100001", 400},
		{"/api/layers/roads/items?offset=x", 400},
		{"/api/layers/roads/items?bboxx=1,2,3,4", 400},
		{"/no/such/route", 404},
		{"/healthz", 200},
	} {
		t.Run(tc.path, func(t *testing.T) {
			var body map[string]any
			if code := get(t, srv, tc.path, &body); code != tc.code {
				t.Fatalf("status %d, want %d", code, tc.code)
			}
			if tc.code >= 400 && body["error"] == nil {
				t.Fatalf("error body %v lacks an error message", body)
			}
		})
	}
}
