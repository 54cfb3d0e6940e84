package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fireplan/api"
	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/web"

	"github.com/chromedp/chromedp"
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

// TestMapRendersOurTiles opens the map in headless chromium at an old
// district of the sample, waits until MapLibre is idle, and checks that our
// tiles were fetched and every base layer drew features.
func TestMapRendersOurTiles(t *testing.T) {
	exe := chromium(t)
	snap := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil)
	var store data.Store
	store.Swap(snap)
	srv, err := api.New(&store, api.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Mount(web.Handler())
	// Tiles are fetched by MapLibre's workers, out of the page's sight:
	// count them where they arrive.
	var tileHits atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/tiles/") && strings.HasSuffix(r.URL.Path, ".mvt") {
			tileHits.Add(1)
		}
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()

	at := snap.Districts.Items[0].Geom.Bound().Center()
	url := fmt.Sprintf("%s/?print#15/%.6f/%.6f", ts.URL, at[1], at[0])

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
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser: no timeout on it, or the timeout
	// stops the browser; the waits below carry their own.
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(window.fireplanError || (window.fireplanIdle === true && window.fireplanMap.loaded()))`,
		chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(200*time.Millisecond))); err != nil {
		t.Fatalf("waiting for the map to be idle: %v", err)
	}
	if jsErr, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.fireplanError || ""`)); jsErr != "" {
		t.Fatalf("the page failed: %s", jsErr)
	}
	const countJS = `(() => {
  const m = window.fireplanMap, out = {};
  for (const l of ["townships-fill", "builtup", "districts", "roads", "buildings"]) out[l] = m.queryRenderedFeatures({layers: [l]}).length;
  return out;
})()`
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](countJS))
	if err != nil {
		t.Fatal(err)
	}
	fetched := tileHits.Load()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(os.TempDir(), "fireplan-map.png")
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		out = filepath.Join(dir, "fireplan-map.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
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
