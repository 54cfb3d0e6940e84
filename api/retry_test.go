package api

import (
	"fireplan/data"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// Test503sSayWhenToRetry: every 503 carries Retry-After.
func Test503sSayWhenToRetry(t *testing.T) {
	var empty data.Store // nothing loaded yet
	loading, err := New(&empty, Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sampleServer(t)
	var st data.Store
	st.Swap(sampleSnap)
	// A timeout no analysis can meet.
	slow, err := New(&st, Options{RequestTimeout: time.Nanosecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		s    *Server
		path string
	}{
		{"loading", loading, "/api/layers"},
		{"health check while loading", loading, "/healthz"},
		{"analysis while loading", loading, "/api/coverage"},
		{"timed out", slow, "/api/coverage?minutes=7"},
	} {
		w := httptest.NewRecorder()
		c.s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.path, nil))
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("%s: %s: status %d, want 503", c.name, c.path, w.Code)
			continue
		}
		if ra := w.Header().Get("Retry-After"); ra == "" {
			t.Errorf("%s: %s: 503 without Retry-After", c.name, c.path)
		} else if n, err := strconv.Atoi(ra); err != nil || n <= 0 {
			t.Errorf("%s: %s: Retry-After %q is not a positive number of seconds", c.name, c.path, ra)
		}
	}
}

// TestHealthzVersionIsHex: /healthz gives the version as /api/status does.
func TestHealthzVersionIsHex(t *testing.T) {
	_, srv := sharedServer(t)
	for _, path := range []string{"/healthz", "/api/status"} {
		var out map[string]any
		if got := get(t, srv, path, &out); got != 200 {
			t.Fatalf("%s: status %d", path, got)
		}
		if v, ok := out["version"].(string); !ok || v != sampleSnap.VersionHex() {
			t.Errorf("%s: version %#v, want %q", path, out["version"], sampleSnap.VersionHex())
		}
	}
}
