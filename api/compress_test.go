package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"fireplan/tiles"
	"fireplan/web"
)

// TestAnswersAreGzippedWhenAsked: lists, features, pages and errors are
// gzipped for a client that takes gzip and are the same bytes unzipped;
// tiles are compressed once, spreadsheets not at all, and a client that
// does not take gzip gets plain bytes.
func TestAnswersAreGzippedWhenAsked(t *testing.T) {
	s, srv := sampleServer(t)
	s.Mount(web.Handler())
	fetchAs := func(path, ae, inm string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae) // set: the transport then leaves the body as sent
		}
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	gunzip := func(b []byte) []byte {
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("not gzip: %v", err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, c := range []struct {
		path string
		gz   bool
	}{
		{"/api/layers/hydrants/items?limit=500", true},
		{"/api/hydrants/gaps?format=csv", true},
		{"/ogc/collections?f=html", true},
		{"/api/coverage?nope=1", true}, // a JSON error
		{"/", true},
		{"/api/hydrants/gaps?format=xlsx", false},
	} {
		plainResp, plain := fetchAs(c.path, "", "")
		resp, b := fetchAs(c.path, "gzip, deflate", "")
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != c.gz {
			t.Errorf("%s: gzipped %v, want %v", c.path, got, c.gz)
			continue
		}
		if plainResp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: encoded for a client that takes no gzip", c.path)
		}
		if c.gz {
			b = gunzip(b)
			if resp.Header.Get("Vary") == "" {
				t.Errorf("%s: no Vary", c.path)
			}
		}
		if !bytes.Equal(b, plain) || resp.StatusCode != plainResp.StatusCode {
			t.Errorf("%s: %d bytes (%d) gzipped, %d bytes (%d) plain", c.path, len(b), resp.StatusCode, len(plain), plainResp.StatusCode)
		}
	}
	// A tile is gzip once, and an MVT inside.
	resp, b := fetchAs("/tiles/hydrants/14/13261/6932.mvt", "gzip", "")
	if resp.StatusCode == http.StatusOK {
		if err := tiles.CheckMVT(gunzip(b)); err != nil {
			t.Errorf("tile: %v", err)
		}
	}
	// Revalidation still answers 304.
	resp, _ = fetchAs("/api/hydrants/gaps?limit=5", "gzip", "")
	if tag := resp.Header.Get("ETag"); tag != "" {
		if again, body := fetchAs("/api/hydrants/gaps?limit=5", "gzip", tag); again.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("revalidating: %d with %d bytes", again.StatusCode, len(body))
		}
	}
}
