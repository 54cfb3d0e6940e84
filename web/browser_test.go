package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fireplan/api"
	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/web"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// chromium finds Debian's chromium; locally its absence skips the test,
// under CI=true it fails.
func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but chromium is not installed (apt-get install chromium; make test does)")
	}
	t.Skip("chromium not installed (under CI=true this fails)")
	return ""
}

// page is the map in headless chromium, served from the sample county.
type page struct {
	ctx      context.Context
	url      string // the server's
	snap     *data.Snapshot
	tileHits atomic.Int64 // tile requests, counted where they arrive
	mu       sync.Mutex
	tileURLs []string // tile requests' paths and queries, where they arrive
}

// tiles returns the tile requests since the last call.
func (p *page) tiles() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.tileURLs
	p.tileURLs = nil
	return out
}

// openMap serves the sample county with the map, starts chromium and
// returns the page before it navigates.
func openMap(t *testing.T) *page {
	exe := chromium(t)
	p := &page{snap: data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil)}
	var store data.Store
	store.Swap(p.snap)
	srv, err := api.New(&store, api.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount(web.Handler())
	// Tiles are fetched by MapLibre's workers, out of the page's sight.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/tiles/") && strings.HasSuffix(r.URL.Path, ".mvt") {
			p.tileHits.Add(1)
			p.mu.Lock()
			p.tileURLs = append(p.tileURLs, r.URL.RequestURI())
			p.mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	p.url = ts.URL

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("use-angle", "swiftshader"), // software WebGL that screenshots capture
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	p.ctx = ctx
	return p
}

// navigate opens the page at path (with its hash) and waits until the map
// is idle. The first Run starts the browser: no timeout on it, or the
// timeout stops the browser; the waits carry their own.
func (p *page) navigate(t *testing.T, path string) {
	p.navigateUntil(t, path, "the map to be idle", `window.fireplanIdle === true && window.fireplanMap.loaded()`)
}

// navigateUntil opens the page at path and waits until cond holds.
func (p *page) navigateUntil(t *testing.T, path, what, cond string) {
	if _, err := chromedp.Run(p.ctx, chromedp.Navigate(p.url+path)); err != nil {
		t.Fatal(err)
	}
	p.wait(t, what, cond)
}

// wait polls cond until it holds, failing on a page error.
func (p *page) wait(t *testing.T, what, cond string) {
	t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`!!(window.fireplanError || (`+cond+`))`,
		chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(200*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
	if jsErr, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`window.fireplanError || ""`)); jsErr != "" {
		t.Fatalf("the page failed: %s", jsErr)
	}
}

// screenshot saves the page as name in $SCREENSHOT_DIR (the temp dir
// without one).
func (p *page) screenshot(t *testing.T, name string) string {
	shot, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	out := filepath.Join(dir, name)
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMapRendersOurTiles opens the map in headless chromium at an old
// district of the sample, waits until MapLibre is idle, and checks that our
// tiles were fetched and every base layer drew features.
func TestMapRendersOurTiles(t *testing.T) {
	p := openMap(t)
	at := p.snap.Districts.Items[0].Geom.Bound().Center()
	p.navigate(t, fmt.Sprintf("/?print#15/%.6f/%.6f", at[1], at[0]))
	const countJS = `(() => {
  const m = window.fireplanMap, out = {};
  for (const l of ["townships-fill", "builtup", "districts", "roads", "buildings"]) out[l] = m.queryRenderedFeatures({layers: [l]}).length;
  return out;
})()`
	counts, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]int](countJS))
	if err != nil {
		t.Fatal(err)
	}
	fetched := p.tileHits.Load()
	out := p.screenshot(t, "fireplan-map.png")
	b, _ := json.Marshal(counts)
	t.Logf("screenshot %s; %d tile requests; rendered features %s", out, fetched, b)
	if fetched == 0 {
		t.Fatal("no tile was fetched from /tiles/")
	}
	for layer, n := range counts {
		if n == 0 {
			t.Errorf("base layer %s drew no features", layer)
		}
	}
}

// dragTarget picks, for the sample's first urban station, a vertex of a
// primary or secondary road about 3 km away: a station moved there stays
// on the truck network, and its 5-minute area moves with it.
func dragTarget(t *testing.T, snap *data.Snapshot) (data.Station, orb.Point) {
	var st data.Station
	for _, s := range snap.Stations.Items {
		if s.Class == "urban1" && s.Status != "planned" {
			st = s
			break
		}
	}
	if st.ID == "" {
		t.Fatal("the sample has no urban1 station")
	}
	best, bestErr := orb.Point{}, math.Inf(1)
	for _, r := range snap.Roads.Items {
		ls, ok := r.Geom.(orb.LineString)
		if !ok || (r.Class != "primary" && r.Class != "secondary") {
			continue
		}
		for _, v := range ls {
			if e := math.Abs(geo.Distance(st.Geom, v) - 3000); e < bestErr {
				best, bestErr = v, e
			}
		}
	}
	if bestErr > 500 {
		t.Fatalf("no primary or secondary road vertex about 3 km from %s", st.ID)
	}
	return st, best
}

// isoSignature describes what the isochrone layer drew (sorted, so the
// order of tiles does not matter).
const isoSignature = `(() => {
  const fs = window.fireplanMap.queryRenderedFeatures({layers: ["iso-fill"]});
  return fs.map((f) => JSON.stringify(f.geometry.coordinates)).sort().join("|");
})()`

// TestWhatIfDragStation drags a station with the mouse in the what-if mode
// and checks that the map posted a scenario moving it, that the coverage
// tiles now come from that scenario and draw something else, and that the
// panel shows the scenario's diff. It runs against the scenario routes of
// the API (POST /api/scenarios, GET /api/scenarios/{id}/diff, scenario=ID
// on the tiles).
func TestWhatIfDragStation(t *testing.T) {
	p := openMap(t)
	st, to := dragTarget(t, p.snap)
	mid := orb.Point{(st.Geom[0] + to[0]) / 2, (st.Geom[1] + to[1]) / 2}
	p.navigate(t, fmt.Sprintf("/?print#13/%.6f/%.6f", mid[1], mid[0]))
	before, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](isoSignature))
	if err != nil {
		t.Fatal(err)
	}
	if before == "" {
		t.Fatal("the isochrone layer drew nothing before the drag")
	}
	marker := fmt.Sprintf(`.station-marker[data-station=%q]`, st.ID)
	if err := chromedp.Do(p.ctx, chromedp.Click(`input[name=tool][value=moveStation]`), chromedp.WaitVisible(marker)); err != nil {
		t.Fatal(err)
	}
	from, err := chromedp.Run(p.ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(
		`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, marker)))
	if err != nil {
		t.Fatal(err)
	}
	dest, err := chromedp.Run(p.ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(
		`(() => { const p = window.fireplanMap.project([%f, %f]); return [p.x, p.y]; })()`, to[0], to[1])))
	if err != nil {
		t.Fatal(err)
	}
	// A real drag: press on the marker, move in steps with the button held,
	// release at the road.
	held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, from[0], from[1], held, chromedp.ClickCount(1))}
	for i := 1; i <= 10; i++ {
		f := float64(i) / 10
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from[0]+f*(dest[0]-from[0]), from[1]+f*(dest[1]-from[1]), held))
	}
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, dest[0], dest[1], held, chromedp.ClickCount(1)))
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		t.Fatal(err)
	}

	p.wait(t, "the scenario and its tiles", `(() => {
  const s = window.fireplanScenario;
  if (s.error) return true;
  const tiles = window.fireplanMap.getSource("coverage_isochrones").tiles[0];
  return s.id && !s.pending && s.diff && tiles.includes("scenario=" + s.id) && window.fireplanIdle === true && window.fireplanMap.loaded();
})()`)
	var state struct {
		ID      string `json:"id"`
		Error   string `json:"error"`
		Changes []struct {
			Layer, Op, ID string
			Lon, Lat      float64
		} `json:"changes"`
		Diff struct {
			Coverage struct {
				Townships []struct {
					Gained float64 `json:"gained"`
				} `json:"townships"`
			} `json:"coverage"`
		} `json:"diff"`
	}
	if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](`window.fireplanMap.triggerRepaint()`)); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`window.fireplanScenario`))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	if state.Error != "" {
		t.Fatalf("the scenario was refused: %s", state.Error)
	}
	out := p.screenshot(t, "fireplan-whatif.png")
	t.Logf("screenshot %s; scenario %s; changes %+v", out, state.ID, state.Changes)
	if len(state.Changes) != 1 || state.Changes[0].Op != "set" || state.Changes[0].ID != st.ID {
		t.Fatalf("changes = %+v, want one set of %s", state.Changes, st.ID)
	}
	// The drop lands within a few pixels (at z13, about 20 m each) of the road.
	if d := geo.Distance(orb.Point{state.Changes[0].Lon, state.Changes[0].Lat}, to); d > 100 {
		t.Errorf("the station was dropped %.0f m from where the mouse let go", d)
	}
	for _, src := range []string{"coverage_isochrones", "coverage_gaps", "stations", "hydrant_gaps"} {
		u, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](fmt.Sprintf(`window.fireplanMap.getSource(%q).tiles[0]`, src)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(u, "scenario="+state.ID) {
			t.Errorf("source %s reads %s, not the scenario", src, u)
		}
	}
	after, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](isoSignature))
	if err != nil {
		t.Fatal(err)
	}
	if after == "" || after == before {
		t.Errorf("the isochrone layer did not change (drew %d bytes before, %d after)", len(before), len(after))
	}
	changed := 0
	for _, tw := range state.Diff.Coverage.Townships {
		if tw.Gained != 0 {
			changed++
		}
	}
	if changed == 0 {
		t.Error("the diff shows no township gaining or losing households")
	}
	// The panel shows the county's households before and after per target.
	cells, err := chromedp.Run(p.ctx, chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll("#diff-totals tr[data-target]")].map((tr) => [...tr.cells].map((c) => c.textContent))`))
	if err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, row := range cells {
		if len(row) == 4 && row[1] != row[2] {
			moved = true
		}
	}
	if len(cells) != 3 || !moved {
		t.Errorf("panel totals = %q, want three targets and a change", cells)
	}
}

// state reads the page's what-if state.
type whatIfState struct {
	ID      *string `json:"id"`
	Pending bool    `json:"pending"`
	Error   string  `json:"error"`
	Changes []struct {
		Layer, Op, ID string
	} `json:"changes"`
}

func (p *page) state(t *testing.T) whatIfState {
	t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`window.fireplanScenario`))
	if err != nil {
		t.Fatal(err)
	}
	var s whatIfState
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// clickAt clicks the map at a place (lon, lat) shifted by dx, dy pixels.
func (p *page) clickAt(t *testing.T, at orb.Point, dx, dy float64) {
	t.Helper()
	xy, err := chromedp.Run(p.ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(
		`(() => { const p = window.fireplanMap.project([%f, %f]); return [p.x, p.y]; })()`, at[0], at[1])))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(xy[0]+dx, xy[1]+dy)); err != nil {
		t.Fatal(err)
	}
}

// renderedStations lists the ids of the stations the map draws.
const renderedStations = `window.fireplanMap.queryRenderedFeatures({layers: ["stations"]}).map((f) => String(f.properties.id))`

// TestWhatIfSavedLink adds a station and a hydrant on the map, saves the
// link, makes the server forget the scenario and opens the link at the
// county overview: the scenario comes back (posted again from the link's
// changes), every tile of the scenario's sources is fetched for it (none
// for the baseline) and the added station is drawn. Back at the baseline
// it is gone at the same zoom; a link with the id only says it expired.
func TestWhatIfSavedLink(t *testing.T) {
	p := openMap(t)
	_, to := dragTarget(t, p.snap)
	p.navigate(t, fmt.Sprintf("/?print#13/%.6f/%.6f", to[1], to[0]))
	settled := func(n int) string {
		return fmt.Sprintf(`(() => { const s = window.fireplanScenario;
  return !!s.error || (s.id && !s.pending && s.diff && s.changes.length === %d && window.fireplanIdle === true && window.fireplanMap.loaded()); })()`, n)
	}
	if err := chromedp.Do(p.ctx, chromedp.Click(`input[name=tool][value=addStation]`)); err != nil {
		t.Fatal(err)
	}
	p.clickAt(t, to, 0, 0)
	p.wait(t, "the added station's scenario", settled(1))
	if err := chromedp.Do(p.ctx, chromedp.Click(`input[name=tool][value=hydrants]`)); err != nil {
		t.Fatal(err)
	}
	p.clickAt(t, to, 90, 60)
	p.wait(t, "the hydrant's scenario", settled(2))
	st := p.state(t)
	if st.Error != "" || st.ID == nil {
		t.Fatalf("the scenario was refused: %+v", st)
	}
	id := *st.ID
	var added string
	for _, c := range st.Changes {
		if c.Layer == "stations" && c.Op == "add" {
			added = c.ID
		}
	}
	if added == "" {
		t.Fatalf("changes %+v add no station", st.Changes)
	}
	// The hydrants' diff: both counts, the intact rate to two decimals with its change.
	rows, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(["diff-protected", "diff-unprotected", "diff-intact"]
  .map((r) => [r, document.getElementById(r)?.cells[1].textContent ?? ""]))`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hydrant diff rows %q", rows)
	if rows["diff-protected"] == "" || rows["diff-unprotected"] == "" {
		t.Errorf("the panel lacks the protected or the unprotected buildings: %q", rows)
	}
	if !regexp.MustCompile(`^\d+\.\d\d% → \d+\.\d\d% \([+−±]\d+\.\d\d`).MatchString(rows["diff-intact"]) {
		t.Errorf("intact rate %q, want two decimals before, after and the change", rows["diff-intact"])
	}

	if err := chromedp.Do(p.ctx, chromedp.Click(`#save`)); err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("link").value`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(link, "scenario="+id) || !strings.Contains(link, "changes=") {
		t.Fatalf("saved link %s lacks the scenario or its changes", link)
	}
	forget := func() {
		req, _ := http.NewRequest(http.MethodDelete, p.url+"/api/scenarios/"+id, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("DELETE scenario %s: %s", id, resp.Status)
		}
	}
	forget()

	// Open the link without its map position: the map fits the county.
	link, _, _ = strings.Cut(link, "#")
	p.tiles()
	p.navigate(t, strings.TrimPrefix(link, p.url))
	p.wait(t, "the link's scenario", settled(2))
	st = p.state(t)
	if st.Error != "" || st.ID == nil || *st.ID != id {
		t.Fatalf("the saved link opened %+v, want scenario %s back", st, id)
	}
	zoom, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](`window.fireplanMap.getZoom()`))
	if err != nil {
		t.Fatal(err)
	}
	scenarioLayers := []string{"stations", "hydrants", "coverage_isochrones", "coverage_gaps", "station_siting", "hydrant_gaps", "hydrant_proposals"}
	for _, u := range p.tiles() {
		for _, l := range scenarioLayers {
			if strings.HasPrefix(u, "/tiles/"+l+"/") && !strings.Contains(u, "scenario="+id) {
				t.Errorf("the link fetched %s without its scenario", u)
			}
		}
	}
	drawn, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](renderedStations))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the link opened at z%.2f drawing stations %q", zoom, drawn)
	if !slicesContains(drawn, added) {
		t.Errorf("at z%.2f the link draws stations %q, without the added %s", zoom, drawn, added)
	}
	p.screenshot(t, "fireplan-link.png")

	// Back at the baseline, the same zoom draws the baseline's stations.
	if err := chromedp.Do(p.ctx, chromedp.Click(`#reset`)); err != nil {
		t.Fatal(err)
	}
	p.wait(t, "the baseline", `window.fireplanScenario.id === null && !window.fireplanScenario.pending && window.fireplanIdle === true && window.fireplanMap.loaded()`)
	if drawn, err = chromedp.Run(p.ctx, chromedp.Evaluate[[]string](renderedStations)); err != nil {
		t.Fatal(err)
	}
	if len(drawn) == 0 || slicesContains(drawn, added) {
		t.Errorf("the baseline draws stations %q (want some, without %s)", drawn, added)
	}

	// A link with the id only, after the scenario is gone, says so.
	forget()
	p.navigate(t, "/?print&scenario="+id)
	p.wait(t, "the expired link's message", `!!window.fireplanScenario.error`)
	if st = p.state(t); !strings.Contains(st.Error, "过期") || st.ID != nil {
		t.Errorf("an expired link shows %+v, want the expired message and the baseline", st)
	}

	// A station added far from every road is refused: the message names
	// what the user did and the field, once, without the map's own ids.
	far := orb.Point{to[0] + 1, to[1]}
	if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`void window.fireplanMap.jumpTo({center: [%f, %f], zoom: 13})`, far[0], far[1])),
		chromedp.Click(`input[name=tool][value=addStation]`)); err != nil {
		t.Fatal(err)
	}
	p.clickAt(t, far, 0, 0)
	p.wait(t, "the refusal", `window.fireplanScenario.error.includes("新增消防站")`)
	st = p.state(t)
	t.Logf("refusal: %s", st.Error)
	if !strings.HasPrefix(st.Error, "新增消防站 · lon: ") || strings.Contains(st.Error, "change") || strings.Contains(st.Error, "new-station") ||
		strings.Contains(st.Error, "第") || st.ID != nil || len(st.Changes) != 0 {
		t.Errorf("the refusal shows %+v", st)
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestMapOpensOnCounty opens the map with no view in the address: the
// county is in view, clear of the side panel; every legend entry's colour
// is one its layer paints with, and no two entries share a symbol; every
// analysis, turned on, draws features (the coverage gaps' points too).
func TestMapOpensOnCounty(t *testing.T) {
	p := openMap(t)
	start := time.Now()
	p.navigate(t, "/?print")
	t.Logf("opened in %v", time.Since(start))
	county := p.snap.Townships.Bound()
	c := county.Center()
	// The county's corners and centre in pixels, the canvas' size and the
	// panel's right edge.
	view, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]float64](fmt.Sprintf(`(() => {
  const m = window.fireplanMap, px = (lon, lat) => m.project([lon, lat]);
  const sw = px(%f, %f), ne = px(%f, %f), mid = px(%f, %f), canvas = m.getCanvas().getBoundingClientRect();
  const panel = document.getElementById("panel").getBoundingClientRect();
  return {zoom: m.getZoom(), left: sw.x, bottom: sw.y, right: ne.x, top: ne.y, midX: mid.x, midY: mid.y,
    width: canvas.width, height: canvas.height, panel: panel.right};
})()`, county.Min[0], county.Min[1], county.Max[0], county.Max[1], c[0], c[1])))
	if err != nil {
		t.Fatal(err)
	}
	p.screenshot(t, "fireplan-county.png")
	t.Logf("opening view %v", view)
	if view["midX"] < 0 || view["midX"] > view["width"] || view["midY"] < 0 || view["midY"] > view["height"] {
		t.Errorf("the county's centre is at %.0f,%.0f, outside the %.0fx%.0f map", view["midX"], view["midY"], view["width"], view["height"])
	}
	if view["left"] < view["panel"]-1 || view["right"] > view["width"]+1 || view["top"] < -1 || view["bottom"] > view["height"]+1 {
		t.Errorf("the county (%.0f..%.0f x %.0f..%.0f px) is not whole in view beside the panel (right edge %.0f)",
			view["left"], view["right"], view["top"], view["bottom"], view["panel"])
	}
	if w, h := view["right"]-view["left"], view["bottom"]-view["top"]; w < view["width"]/3 && h < view["height"]/2 {
		t.Errorf("at z%.1f the county is %.0fx%.0f px of a %.0fx%.0f map: too far out to show it", view["zoom"], w, h, view["width"], view["height"])
	}

	// Every analysis on: the legend lists them too.
	if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](
		`document.querySelectorAll("#toggles input[data-analysis]").forEach((i) => { if (!i.checked) i.click(); })`)); err != nil {
		t.Fatal(err)
	}
	p.checkLegend(t)

	// Each analysis layer draws something where its rows are: what the
	// county's view draws first, then the rest where their rows are, a
	// place for each layer not drawn yet.
	type place struct {
		layer, url, geometry string
		zoom                 float64
		skip                 int // rows of the answer the layer does not draw
	}
	places := []place{
		{"hgaps-line", "/api/hydrants/gaps?format=geojson", "LineString", 14, 0},
		{"hgaps-point", "/api/hydrants/gaps?format=geojson", "Point", 14, 0},
		{"bcov", "/api/coverage/buildings?limit=1&format=geojson", "", 15, 0},
		{"iso-fill", "/api/coverage/isochrones?minutes=5&format=geojson", "", 12, 0},
		{"gaps-fill", "/api/coverage/gaps?minutes=5&format=geojson", "Polygon", 12, 0},
		{"gaps-point", "/api/coverage/gaps?minutes=5&format=geojson", "MultiPoint", 12, 0},
		{"proposals", "/api/hydrants/proposals?count=20&format=geojson", "", 13, 0},
		{"plan", "/api/hydrants/proposals?count=0&format=geojson", "", 14, 20},
		{"clusters-fill", "/api/clusters?min_households=30&format=geojson", "", 13, 0},
	}
	drawn := map[string]bool{}
	see := func() {
		p.wait(t, "the analyses", `window.fireplanIdle === true && window.fireplanMap.loaded()`)
		ids := make([]string, len(places))
		for i, pl := range places {
			ids[i] = pl.layer
		}
		js, _ := json.Marshal(ids)
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
			`%s.filter((id) => window.fireplanMap.queryRenderedFeatures({layers: [id]}).length > 0)`, js)))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range got {
			drawn[id] = true
		}
	}
	see()
	t.Logf("the county's view draws %v", drawn)
	for _, pl := range places {
		if drawn[pl.layer] {
			continue
		}
		at := p.firstPoint(t, pl.url, pl.geometry, pl.skip)
		if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`window.fireplanIdle = false; void window.fireplanMap.jumpTo({center: [%f, %f], zoom: %f})`, at[0], at[1], pl.zoom))); err != nil {
			t.Fatal(err)
		}
		p.wait(t, "the map to draw "+pl.layer, fmt.Sprintf(`window.fireplanIdle === true && window.fireplanMap.loaded() &&
  window.fireplanMap.queryRenderedFeatures({layers: [%q]}).length > 0`, pl.layer))
		see()
	}

	// The print button opens the print view at the map's view and layers.
	button, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]string](`(() => {
  let opened = "";
  window.open = (u) => { opened = u; };
  document.getElementById("print").click();
  return {opened, zoom: window.fireplanMap.getZoom().toFixed(2) + "/",
    analyses: [...document.querySelectorAll("#toggles input[data-analysis]")].map((i) => i.dataset.analysis).join(",")};
})()`))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(button["opened"])
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/print" || q.Get("paper") != "a4" || q.Get("orientation") != "landscape" || q.Get("minutes") != "5" ||
		q.Get("layers") != button["analyses"] || q.Get("lang") != "zh" || !strings.HasPrefix(u.Fragment, button["zoom"]) {
		t.Errorf("the print button opens %s, want /print?paper=a4&orientation=landscape&minutes=5&layers=%s&lang=zh and #%s...",
			button["opened"], button["analyses"], button["zoom"])
	}

	// A new target, chosen while tiles load, is in the legend once the map
	// is idle: the reach area's entry takes the target's colour.
	const reach = `document.querySelector('#legend .legend-entry[data-layer="iso-fill"]')?.dataset.color`
	before, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](reach))
	if err != nil || before == "" {
		t.Fatalf("no reach area in the legend (%v)", err)
	}
	if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](`(() => {
  const sel = document.getElementById("minutes");
  sel.value = "15";
  sel.dispatchEvent(new Event("change"));
})()`)); err != nil {
		t.Fatal(err)
	}
	p.wait(t, "the legend at 15 minutes", fmt.Sprintf(`window.fireplanIdle === true && window.fireplanMap.loaded() && %s !== %q`, reach, before))
}

// checkLegend compares the legend with the style: each entry names a
// visible layer whose paint uses the entry's colour, and no colour stands
// for two things in one symbol.
func (p *page) checkLegend(t *testing.T) {
	t.Helper()
	const js = `(() => {
  const m = window.fireplanMap, out = {entries: [], problems: []};
  const colours = (v, into) => {
    if (typeof v === "string" && /^#[0-9a-f]{6}$/i.test(v)) into.add(v.toLowerCase());
    else if (Array.isArray(v)) v.forEach((x) => colours(x, into));
    else if (v && typeof v === "object") Object.values(v).forEach((x) => colours(x, into));
    return into;
  };
  const layers = new Map(m.getStyle().layers.map((l) => [l.id, l]));
  const seen = new Map();
  for (const el of document.querySelectorAll("#legend .legend-entry")) {
    const {layer, color, shape} = el.dataset, l = layers.get(layer), text = el.textContent;
    out.entries.push(text);
    if (!l) { out.problems.push(text + ": no layer " + layer); continue; }
    if ((l.layout || {}).visibility === "none") out.problems.push(text + ": layer " + layer + " is hidden");
    if (!colours(l.paint, new Set()).has(color.toLowerCase())) out.problems.push(text + ": " + layer + " does not paint " + color);
    const sw = getComputedStyle(el.querySelector(".swatch")).getPropertyValue("--c").trim().toLowerCase();
    if (sw !== color.toLowerCase()) out.problems.push(text + ": swatch " + sw + ", entry " + color);
    const key = color.toLowerCase() + " " + shape;
    if (seen.has(key)) out.problems.push(text + " and " + seen.get(key) + " share " + key);
    seen.set(key, text);
  }
  return out;
})()`
	var res struct {
		Entries  []string `json:"entries"`
		Problems []string `json:"problems"`
	}
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](js))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	t.Logf("legend: %q", res.Entries)
	if len(res.Entries) < 10 {
		t.Errorf("the legend has %d entries", len(res.Entries))
	}
	for _, pr := range res.Problems {
		t.Error("legend: " + pr)
	}
}

// firstPoint asks the server for url (GeoJSON) and returns a vertex of
// its first feature of the geometry type (any with ""), after skip.
func (p *page) firstPoint(t *testing.T, url, geometry string, skip int) orb.Point {
	t.Helper()
	resp, err := http.Get(p.url + url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&fc); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	for i, f := range fc.Features {
		if i < skip || geometry != "" && f.Geometry.Type != geometry {
			continue
		}
		// The first number pair, at any depth.
		nums := regexp.MustCompile(`-?\d+(\.\d+)?(e-?\d+)?`).FindAllString(string(f.Geometry.Coordinates), 2)
		if len(nums) == 2 {
			var pt orb.Point
			fmt.Sscan(nums[0], &pt[0])
			fmt.Sscan(nums[1], &pt[1])
			return pt
		}
	}
	t.Fatalf("%s has no %s feature past the first %d", url, geometry, skip)
	return orb.Point{}
}

// TestPrintViewWithoutAView: the print link the README gives, with no
// #zoom/lat/lon, opens on the whole county, drawn, not on the world.
func TestPrintViewWithoutAView(t *testing.T) {
	p := openMap(t)
	p.navigateUntil(t, "/print?paper=a4&orientation=landscape", "the print view without a view", `window.fireplanPrintReady === true`)
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[3]float64](`(() => { const c = window.fireplanMap.getCenter(); return [window.fireplanMap.getZoom(), c.lng, c.lat]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	// It opens on the county itself, not on the world and then the county:
	// headless chromium's timed screenshot of that was an empty frame.
	lowest, asked := 99, p.tiles()
	for _, u := range asked {
		if m := regexp.MustCompile(`^/tiles/[^/]+/(\d+)/\d+/\d+\.mvt`).FindStringSubmatch(u); m != nil {
			z, _ := strconv.Atoi(m[1])
			lowest = min(lowest, z)
		}
	}
	if lowest == 99 {
		t.Fatalf("no tile request understood among %d: %.3q", len(asked), asked)
	}
	b := p.snap.Townships.Bound()
	t.Logf("print view without a view: zoom %.2f at %.5f, %.5f, tiles from zoom %d; screenshot %s", got[0], got[1], got[2], lowest, p.screenshot(t, "fireplan-print-county.png"))
	if got[0] < 8 || !b.Contains(orb.Point{got[1], got[2]}) {
		t.Errorf("the print view opens at zoom %.2f, %.5f %.5f, want the county (%v) whole at zoom 8 or closer", got[0], got[1], got[2], b)
	}
	if lowest < 8 {
		t.Errorf("the print view asked for tiles from zoom %d, want none below the county's view", lowest)
	}
}

// TestPrintView opens the print view at an old district and prints it to
// PDF as a browser would (the page's own CSS page size): one A4 landscape
// page, with the title, legend, scale bar, north arrow and the data's date
// on it.
func TestPrintView(t *testing.T) {
	p := openMap(t)
	at := p.snap.Districts.Items[0].Geom.Bound().Center()
	p.navigateUntil(t, fmt.Sprintf("/print?paper=a4&orientation=landscape&minutes=5&layers=coverage_isochrones,coverage_gaps,hydrant_proposals,clusters#13/%.6f/%.6f",
		at[1], at[0]), "the print view", `window.fireplanPrintReady === true`)
	sheet, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]string](`({
  title: document.getElementById("title").textContent,
  legend: String(document.querySelectorAll("#legend .legend-entry").length),
  scale: document.querySelector(".maplibregl-ctrl-scale")?.textContent || "",
  north: document.getElementById("north") ? "yes" : "",
  footer: document.getElementById("footer").textContent,
  params: document.getElementById("params").textContent,
})`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("print view %q; screenshot %s", sheet, p.screenshot(t, "fireplan-print.png"))
	if sheet["title"] == "" || sheet["legend"] == "0" || !regexp.MustCompile(`^\d+[\s\x{a0}]*k?m$`).MatchString(sheet["scale"]) || sheet["north"] == "" ||
		!strings.Contains(sheet["footer"], p.snap.VersionHex()) || !strings.Contains(sheet["params"], "5") {
		t.Errorf("the print view lacks a title, legend, scale, north arrow, data version or parameters: %q", sheet)
	}
	pdf, err := chromedp.Run(p.ctx, func(ctx context.Context, tg *chromedp.Target) (cdppage.PrintToPDFResult, error) {
		yes := true
		return cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, "fireplan-print.pdf"), pdf.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf.Data, -1)
	boxes := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`).FindAllSubmatch(pdf.Data, -1)
	if len(pages) != 1 || len(boxes) == 0 {
		t.Fatalf("the PDF has %d pages and %d media boxes, want one page", len(pages), len(boxes))
	}
	var w, h float64
	fmt.Sscan(string(boxes[0][1]), &w)
	fmt.Sscan(string(boxes[0][2]), &h)
	// A4 landscape: 297 x 210 mm, 842 x 595 pt.
	if math.Abs(w-842) > 2 || math.Abs(h-595) > 2 {
		t.Errorf("the PDF's page is %.1f x %.1f pt, want A4 landscape 842 x 595", w, h)
	}
}
