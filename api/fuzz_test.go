package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
)

// cropBoxes are the corners of the sample county the request fuzzer
// serves: a square kilometre or so of the county town round stations
// st00001 and st00005 and old district d00002, and a village round
// volunteer station st00021, with hydrants, streets and houses, so that an
// analysis at parameters never seen before takes milliseconds, not the
// seconds the whole county would.
var cropBoxes = []orb.Bound{
	{Min: orb.Point{111.456, 27.224}, Max: orb.Point{111.466, 27.240}},
	{Min: orb.Point{111.417, 27.263}, Max: orb.Point{111.429, 27.275}},
}

// crop keeps the items whose geometry lies within one of the boxes; areas
// (townships, villages, districts, built-up areas) are kept when they
// touch one.
func crop[T data.Feature](items []T, touching bool) []T {
	var out []T
	for _, it := range items {
		gb := it.Geometry().Bound()
		for _, b := range cropBoxes {
			if touching && gb.Intersects(b) || b.Contains(gb.Min) && b.Contains(gb.Max) {
				out = append(out, it)
				break
			}
		}
	}
	return out
}

var (
	fuzzOnce sync.Once
	fuzzSrv  *Server
	fuzzScen string // a scenario id the server holds
)

// fuzzServer is a server over the cropped sample county with short limits,
// shared by every iteration: routes cached after their first computation
// stay cached, and new parameters compute on little data.
func fuzzServer(tb testing.TB) (*Server, string) {
	tb.Helper()
	fuzzOnce.Do(func() {
		full := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
		set := &data.Set{
			Hydrants:  crop(full.Hydrants, false),
			Stations:  crop(full.Stations, false),
			Roads:     crop(full.Roads, false),
			Buildings: crop(full.Buildings, false),
			Villages:  crop(full.Villages, true),
			Districts: crop(full.Districts, true),
			FireLanes: crop(full.FireLanes, false),
			Townships: crop(full.Townships, true),
			Builtup:   crop(full.Builtup, true),
		}
		var st data.Store
		st.Swap(data.NewSnapshot(set, "sample crop", nil))
		s, err := New(&st, Options{RequestTimeout: 5 * time.Second, CacheBytes: 64 << 20},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			panic(err)
		}
		body := fmt.Sprintf(`{"name": "fuzz", "changes": [{"layer": "hydrants", "op": "remove", "id": %q}]}`, set.Hydrants[0].ID)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/scenarios", strings.NewReader(body)))
		var sc struct{ ID string }
		if err := json.Unmarshal(rec.Body.Bytes(), &sc); err != nil || sc.ID == "" {
			panic(fmt.Sprintf("creating the fuzz scenario: %d %s", rec.Code, rec.Body))
		}
		fuzzSrv, fuzzScen = s, sc.ID
	})
	return fuzzSrv, fuzzScen
}

// FuzzRequest sends a fuzzed path and query (a GET, or a POST without a
// body) to every route and holds the server to its contract: no 5xx but a
// 503 for a request out of time, a JSON body with an "error" on every 4xx,
// and no panic (the handler turns one into a 500, so that is caught too).
func FuzzRequest(f *testing.F) {
	s, scen := fuzzServer(f)
	seeds := []string{
		"/healthz", "/api/layers", "/api/report", "/api/catalog", "/tiles", "/api/scenarios",
		"/api/layers/buildings/items?bbox=111.46,27.22,111.48,27.24&limit=5&offset=2",
		"/api/layers/roads/items?bbox=1,2,3", "/api/layers/roads/items?bbox=-200,2,1,4",
		"/api/layers/roads/items?bbox=NaN,1,2,3", "/api/layers/roads/items?bbox=1e400,0,0,0",
		"/api/layers/hydrants/items?limit=99999999999999999999", "/api/layers/hydrants/items?offset=-1",
		"/api/layers/nope/items", "/api/layers/hydrants/items?scenario=" + scen,
		"/tiles/coverage_gaps/14/13264/6903.mvt", "/tiles/hydrants/0/0/0.mvt", "/tiles/roads/24/16777215/16777215.mvt",
		"/tiles/roads/25/0/0.mvt", "/tiles/roads/3/8/0.mvt", "/tiles/roads/-1/0/0.mvt", "/tiles/roads/1/4294967296/0.mvt",
		"/tiles/coverage_gaps.json?minutes=5", "/tiles/clusters/15/26541/13806.mvt?min_households=3&scenario=" + scen,
		"/tiles/nope/0/0/0.mvt",
		"/api/scenarios/" + scen, "/api/scenarios/" + scen + "/diff?minutes=4", "/api/scenarios/nope/diff",
		"/ogc", "/ogc?f=html&lang=en", "/ogc/conformance", "/ogc/api", "/ogc/api?f=html", "/ogc/collections?f=xml",
		"/ogc/collections/nope/items", "/ogc/collections/hydrants/items?status=broken&properties=kind,status&limit=5&offset=2",
		"/ogc/collections/hydrants/items?f=html&bbox=111.46,27.22,111.48,27.24", "/ogc/collections/hydrants/items?flow_lps=abc",
		"/ogc/collections/roads/items?oneway=1&tunnel=false", "/ogc/collections/hydrants/items/nope?scenario=" + scen,
	}
	for _, e := range s.Catalog().Entries {
		if !e.Analysis() {
			continue
		}
		q := url.Values{}
		for _, p := range e.Params {
			q.Set(p.Name, p.Default)
		}
		seeds = append(seeds, e.Path, e.Path+"?"+q.Encode(), e.Path+"?format=csv&limit=3&offset=1", e.Path+"?bbox=111,27,112,28",
			e.Path+"?scenario="+scen)
		seeds = append(seeds, "/ogc/collections/"+e.Name+"/items?limit=3&"+q.Encode(), "/ogc/collections/"+e.Name+"/schema")
		if e.Tiled {
			seeds = append(seeds, "/tiles/"+e.Name+"/15/26541/13806.mvt?"+q.Encode())
		}
	}
	for _, sd := range seeds {
		f.Add(sd, false)
	}
	for _, sd := range []string{"/api/scenarios", "/api/scenarios/from-proposals?analysis=stations&k=1",
		"/api/scenarios/from-proposals?analysis=hydrants&count=2&radius_m=100", "/api/scenarios/from-proposals?analysis=castles",
		"/api/scenarios/from-proposals?analysis=stations&share=0.5&k_max=2&candidates=seats", "/api/layers?x=1"} {
		f.Add(sd, true)
	}
	f.Fuzz(func(t *testing.T, target string, post bool) {
		if len(target) > 2048 || !strings.HasPrefix(target, "/") {
			return // no request line net/http would pass on
		}
		u, err := url.ParseRequestURI(target) // as net/http reads a request line
		if err != nil {
			return
		}
		checkQueryHelpers(t, u.Query())
		method := http.MethodGet
		if post {
			method = http.MethodPost // with no body; scenario bodies have their own fuzzer
		}
		req := &http.Request{Method: method, URL: u, RequestURI: target, Host: "fireplan.test",
			Header: http.Header{"Accept-Encoding": {"gzip"}}, Body: http.NoBody}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		code, body := rec.Code, rec.Body.Bytes()
		if rec.Header().Get("Content-Encoding") == "gzip" && rec.Header().Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s %s: Content-Encoding gzip, but %v", method, target, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s %s: gzip body: %v", method, target, err)
			}
		}
		if code >= 500 && !(code == http.StatusServiceUnavailable && strings.Contains(string(body), "timed out")) {
			t.Fatalf("%s %s: status %d %s", method, target, code, body)
		}
		if code >= 400 {
			var e struct {
				Error string `json:"error"`
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("%s %s: status %d with Content-Type %q", method, target, code, ct)
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
				t.Fatalf("%s %s: status %d without a JSON error: %s", method, target, code, body)
			}
		}
	})
}

// FuzzNegotiation holds the OGC routes' reading of Accept and
// Accept-Language to their promises: without lang=, a language is always
// one of the two and never an error; with lang=, only zh and en are taken.
func FuzzNegotiation(f *testing.F) {
	for _, sd := range [][3]string{{"text/html,application/xhtml+xml,*/*;q=0.8", "zh-CN,zh;q=0.9,en;q=0.8", ""},
		{"application/geo+json, application/json", "en-US;q=abc, zh;q=2", "en"}, {";;q=0,", ",,;", "fr"}} {
		f.Add(sd[0], sd[1], sd[2])
	}
	f.Fuzz(func(t *testing.T, accept, acceptLanguage, lang string) {
		acceptsHTML(accept)
		got, err := requestLang(lang, acceptLanguage)
		switch {
		case lang == "" && (err != nil || got != "zh" && got != "en"):
			t.Fatalf("Accept-Language %q: %q, %v", acceptLanguage, got, err)
		case lang != "" && err == nil && got != lang:
			t.Fatalf("lang=%q taken as %q", lang, got)
		case lang != "" && (err == nil) != (lang == "zh" || lang == "en"):
			t.Fatalf("lang=%q: %v", lang, err)
		}
	})
}

// checkQueryHelpers holds parseBBox and intParam to their promises on the
// query's values: a bbox taken is finite, ordered and on the globe; an
// integer taken is within 0..max.
func checkQueryHelpers(t *testing.T, q url.Values) {
	t.Helper()
	if v := q.Get("bbox"); v != "" {
		if b, err := parseBBox(v); err == nil {
			if !(b.Min[0] >= -180 && b.Min[0] <= b.Max[0] && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Min[1] <= b.Max[1] && b.Max[1] <= 90) {
				t.Fatalf("bbox %q taken as %v", v, b)
			}
		} else if e, ok := err.(*Error); !ok || e.Status != http.StatusBadRequest {
			t.Fatalf("bbox %q: %v, want a 400", v, err)
		}
	}
	for _, name := range []string{"limit", "offset"} {
		if n, err := intParam(q, name, 7, 1000); err == nil && (n < 0 || n > 1000 || q.Get(name) == "" && n != 7) {
			t.Fatalf("%s %q taken as %d", name, q.Get(name), n)
		}
	}
}
