package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fireplan/data"
)

// TestTokenGuardsWrites: with a token set, a write without it is a 401
// and with it goes through; reads stay open unless ReadToken closes them;
// CORS answers only the configured origins.
func TestTokenGuardsWrites(t *testing.T) {
	sampleServer(t) // the sample snapshot
	serveWith := func(a Access) *httptest.Server {
		var st data.Store
		st.Swap(sampleSnap)
		s, err := New(&st, Options{Access: a}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		return srv
	}
	body := `{"changes": [{"layer": "hydrants", "op": "remove", "id": "` + sampleSnap.Hydrants.Items[0].ID + `"}]}`
	do := func(srv *httptest.Server, method, path, token, origin string) *http.Response {
		t.Helper()
		var rd io.Reader
		if method == http.MethodPost {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, srv.URL+path, rd)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	open := serveWith(Access{})
	writes := serveWith(Access{Token: "s3cret", CORSOrigins: []string{"https://gis.county.example"}})
	closed := serveWith(Access{Token: "s3cret", ReadToken: true})
	cases := []struct {
		name                string
		srv                 *httptest.Server
		method, path, token string
		want                int
	}{
		{"open write", open, http.MethodPost, "/api/scenarios", "", http.StatusCreated},
		{"write without the token", writes, http.MethodPost, "/api/scenarios", "", http.StatusUnauthorized},
		{"write with a wrong token", writes, http.MethodPost, "/api/scenarios", "guess", http.StatusUnauthorized},
		{"write with the token", writes, http.MethodPost, "/api/scenarios", "s3cret", http.StatusCreated},
		{"reload without the token", writes, http.MethodPost, "/api/reload", "", http.StatusUnauthorized},
		{"delete without the token", writes, http.MethodDelete, "/api/scenarios/x", "", http.StatusUnauthorized},
		{"read stays open", writes, http.MethodGet, "/api/layers", "", http.StatusOK},
		{"closed read without the token", closed, http.MethodGet, "/api/layers", "", http.StatusUnauthorized},
		{"closed read with the token", closed, http.MethodGet, "/api/layers", "s3cret", http.StatusOK},
		{"health check stays open", closed, http.MethodGet, "/healthz", "", http.StatusOK},
	}
	for _, c := range cases {
		if resp := do(c.srv, c.method, c.path, c.token, ""); resp.StatusCode != c.want {
			t.Errorf("%s: %s %s: status %d, want %d", c.name, c.method, c.path, resp.StatusCode, c.want)
		} else if c.want == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: a 401 without WWW-Authenticate", c.name)
		}
	}
	if got := do(writes, http.MethodGet, "/api/layers", "", "https://gis.county.example").Header.Get("Access-Control-Allow-Origin"); got != "https://gis.county.example" {
		t.Errorf("CORS for the configured origin: %q", got)
	}
	for _, srv := range []*httptest.Server{open, writes} {
		if got := do(srv, http.MethodGet, "/api/layers", "", "https://elsewhere.example").Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("CORS for another origin: %q", got)
		}
	}
}
