package api

import (
	"fireplan/data"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBearerSchemeAnyCase: the auth scheme is case-insensitive (RFC 7235).
func TestBearerSchemeAnyCase(t *testing.T) {
	sampleServer(t)
	var st data.Store
	st.Swap(sampleSnap)
	s, err := New(&st, Options{Access: Access{Token: "s3cret", ReadToken: true}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, c := range []struct {
		header string
		want   int
	}{
		{"Bearer s3cret", 200},
		{"bearer s3cret", 200},
		{"BEARER s3cret", 200},
		{"Bearer  s3cret", 200},
		{"bearer wrong", 401},
		{"Basic s3cret", 401},
		{"Bearers3cret", 401},
		{"s3cret", 401},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/layers", nil)
		req.Header.Set("Authorization", c.header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("Authorization: %s: status %d, want %d", c.header, resp.StatusCode, c.want)
		}
	}
}

// TestCORSExposesHeaders: a page from an allowed origin may read the
// headers the API sets for it; another origin gets no CORS headers.
func TestCORSExposesHeaders(t *testing.T) {
	sampleServer(t)
	var st data.Store
	st.Swap(sampleSnap)
	s, err := New(&st, Options{Access: Access{CORSOrigins: []string{"https://gis.county.example"}}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		origin, method string
		want           []string // exposed
	}{
		{"https://gis.county.example", http.MethodGet, []string{"ETag", "Retry-After", "Content-Disposition", "Location"}},
		{"https://gis.county.example", http.MethodPost, []string{"ETag", "Retry-After", "Content-Disposition", "Location"}},
		{"https://elsewhere.example", http.MethodGet, nil},
	} {
		var body io.Reader
		if c.method == http.MethodPost {
			body = strings.NewReader(`{"changes": []}`)
		}
		req := httptest.NewRequest(c.method, "/api/scenarios", body)
		req.Header.Set("Origin", c.origin)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		got := w.Header().Get("Access-Control-Expose-Headers")
		if c.want == nil && got != "" {
			t.Errorf("%s: exposes %q to an origin not allowed", c.origin, got)
		}
		for _, h := range c.want {
			found := false
			for _, g := range strings.Split(got, ",") {
				found = found || strings.EqualFold(strings.TrimSpace(g), h)
			}
			if !found {
				t.Errorf("%s %s: Access-Control-Expose-Headers %q lacks %s", c.origin, c.method, got, h)
			}
		}
	}
}
