// Command scalebench measures fireplan serving a sample of many counties
// side by side (serve --scale N) as a province would run it: time until
// tiles and items are served, time until every default analysis is warm,
// tile latency while the warm-up runs, each analysis at its default and at
// new parameters after it (with a map's tiles asked meanwhile), and the
// server's resident memory. It runs the
// server as its own process, so the memory is the server's alone.
//
//	go run ./cmd/scalebench -scale 20
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// question is one analysis asked at its defaults and at new parameters.
type question struct{ name, def, fresh string }

// questions are the issue's: coverage summary and gaps, hydrant gaps, the
// year's plan, the cluster ledger, fire lanes, station siting k=3.
var questions = []question{
	{"coverage summary", "/api/coverage", "/api/coverage?truck_width_m=2.7"},
	{"coverage gaps", "/api/coverage/gaps?limit=100", "/api/coverage/gaps?minutes=7&limit=100"},
	{"hydrant gaps", "/api/hydrants/gaps?limit=100", "/api/hydrants/gaps?radius_m=140&limit=100"},
	{"the year's hydrant plan", "/api/hydrants/proposals?count=20", "/api/hydrants/proposals?count=20&radius_m=140"},
	{"cluster ledger", "/api/clusters/ledger", "/api/clusters/ledger?separation_m=7"},
	{"fire lanes", "/api/firelanes", "/api/firelanes?min_width_m=3.5"},
	{"station siting k=3", "/api/stations/siting?k=3", "/api/stations/siting?k=3&truck_width_m=2.7"},
}

func main() {
	scale := flag.Int("scale", 20, "counties side by side")
	bin := flag.String("bin", "", "fireplan binary (default: built from ./cmd/fireplan)")
	cacheMB := flag.Int("cache-mb", 1024, "the server's --cache-mb")
	memLimit := flag.String("memlimit", "", "the server's GOMEMLIMIT (e.g. 7GiB); default none")
	logPath := flag.String("log", "", "a file to keep the server's log in, the collector's trace included")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), `scalebench runs fireplan serve --scale N as its own process and prints a Markdown table:
time until tiles and items are served, time until every default analysis is warm, tile p50/p99
from 4 clients during the warm-up, each analysis at its defaults and at new parameters (with the
collections the latter ran, and the p50/p99 of a map's tiles asked meanwhile), and the server's
resident memory.

`)
		flag.PrintDefaults()
	}
	flag.Parse()
	var serverLog io.Writer = io.Discard
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "scalebench:", err)
			os.Exit(1)
		}
		defer f.Close()
		serverLog = f
	}
	if err := run(*scale, *cacheMB, *memLimit, *bin, serverLog, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scalebench:", err)
		os.Exit(1)
	}
}

func run(scale, cacheMB int, memLimit, bin string, serverLog, out io.Writer) error {
	if bin == "" {
		dir, err := os.MkdirTemp("", "scalebench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "fireplan")
		build := exec.Command("go", "build", "-o", bin, "./cmd/fireplan")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building fireplan: %w", err)
		}
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	base := "http://" + addr
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A request's time is measured, not cut at the default minute.
	cmd := exec.CommandContext(ctx, bin, "serve", "--scale", strconv.Itoa(scale), "--addr", addr, "--reload-interval", "0",
		"--cache-mb", strconv.Itoa(cacheMB), "--timeout", "10m")
	// The collector's trace, counted per question: near a memory limit
	// the collections are most of what a what-if costs.
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	if memLimit != "" {
		cmd.Env = append(cmd.Env, "GOMEMLIMIT="+memLimit)
	}
	logs, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Process.Kill()
	warmed := make(chan time.Duration, 1)
	exited := make(chan string, 1) // the server's first words, when its log ends
	var collections atomic.Int64
	go func() {
		sc := bufio.NewScanner(logs)
		// The first lines but the collector's: where a refused flag or
		// setting says why.
		var first []string
		for sc.Scan() {
			fmt.Fprintln(serverLog, sc.Text())
			if strings.HasPrefix(sc.Text(), "gc ") {
				collections.Add(1)
				continue
			}
			if strings.Contains(sc.Text(), "analyses and tiles ready") {
				warmed <- time.Since(start)
			}
			if len(first) < 8 {
				first = append(first, sc.Text())
			}
		}
		exited <- strings.Join(first, "\n")
	}()

	// Ready: tiles and items answer.
	var ready time.Duration
	for {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				ready = time.Since(start)
				break
			}
		}
		if time.Since(start) > 30*time.Minute {
			return errors.New("not ready after 30 minutes")
		}
		select {
		case first := <-exited: // a bad flag or GOMEMLIMIT, say: not half an hour's wait
			return fmt.Errorf("the server ended before it was ready:\n%s", first)
		case <-time.After(100 * time.Millisecond):
		}
	}
	bound, err := countyBound(base)
	if err != nil {
		return err
	}

	// Tiles while the warm-up computes the analyses, as fast as four
	// clients can fetch them.
	tilesWarm := fetchTiles(base, bound, 4, 0)
	var warm time.Duration
	select {
	case warm = <-warmed:
	case first := <-exited:
		return fmt.Errorf("the server ended during the warm-up:\n%s", first)
	case <-time.After(60 * time.Minute):
		return errors.New("warm-up not done after an hour")
	}
	lat := tilesWarm()
	rssWarm, hwm := memory(cmd.Process.Pid)

	fmt.Fprintf(out, "# fireplan serve --scale %d --cache-mb %d", scale, cacheMB)
	if memLimit != "" {
		fmt.Fprintf(out, " (GOMEMLIMIT=%s)", memLimit)
	}
	fmt.Fprintf(out, "\n\n")
	fmt.Fprintf(out, "| measure | value |\n|---|---|\n")
	fmt.Fprintf(out, "| tiles and items served after | %.1f s |\n", ready.Seconds())
	fmt.Fprintf(out, "| every default analysis warm after | %.1f s |\n", warm.Seconds())
	fmt.Fprintf(out, "| tile p50 / p99 during the warm-up (%d tiles, 4 clients) | %s / %s |\n", len(lat), ms(pct(lat, 0.5)), ms(pct(lat, 0.99)))
	fmt.Fprintf(out, "| resident memory after warm-up (peak) | %.2f GiB (%.2f GiB) |\n", rssWarm, hwm)
	fmt.Fprintf(out, "\n| analysis | default | new parameters | collections at new parameters |\n|---|---|---|---|\n")
	// Tiles while the what-ifs compute, as a planner's map asks them: one
	// client, a tile every 100 ms (a planner panning now and then).
	tilesAsked := fetchTiles(base, bound, 1, 100*time.Millisecond)
	for _, q := range questions {
		d, err := get(base + q.def)
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		n := collections.Load()
		f, err := get(base + q.fresh)
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		// The trace line comes when a collection ends: wait for its last.
		time.Sleep(100 * time.Millisecond)
		fmt.Fprintf(out, "| %s | %s | %s | %d |\n", q.name, ms(d), ms(f), collections.Load()-n)
	}
	lat = tilesAsked()
	fmt.Fprintf(out, "\ntile p50 / p99 while the analyses above compute (%d tiles, one client, one every 100 ms): %s / %s\n", len(lat), ms(pct(lat, 0.5)), ms(pct(lat, 0.99)))
	rss, hwm := memory(cmd.Process.Pid)
	fmt.Fprintf(out, "\nresident memory at the end: %.2f GiB (peak %.2f GiB)\n", rss, hwm)
	return nil
}

// fetchTiles starts clients fetching random tiles at zoom 12-15 within
// bound, each waiting every between tiles; the function it returns stops
// them and returns the tiles' times.
func fetchTiles(base string, bound orb.Bound, clients int, every time.Duration) func() []time.Duration {
	var lat []time.Duration
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			layers := []string{"roads", "buildings", "hydrants", "stations", "townships"}
			for {
				select {
				case <-stop:
					return
				case <-time.After(every):
				}
				z := 12 + rng.IntN(4)
				p := orb.Point{bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0]), bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])}
				t := maptile.At(p, maptile.Zoom(z))
				took, err := get(fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, layers[rng.IntN(len(layers))], t.Z, t.X, t.Y))
				if err != nil {
					fmt.Fprintln(os.Stderr, "tile:", err)
					continue
				}
				mu.Lock()
				lat = append(lat, took)
				mu.Unlock()
			}
		}()
	}
	return func() []time.Duration {
		close(stop)
		wg.Wait()
		return lat
	}
}

// get fetches u (gzip accepted, as browsers do) and returns the time to
// the last byte; a status other than 200 or 204 is an error.
func get(u string) (time.Duration, error) {
	start := time.Now()
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return 0, fmt.Errorf("%s: %d %s", u, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return time.Since(start), nil
}

// countyBound reads the counties' extent from the layer list.
func countyBound(base string) (orb.Bound, error) {
	resp, err := http.Get(base + "/tiles/roads.json")
	if err != nil {
		return orb.Bound{}, err
	}
	defer resp.Body.Close()
	var tj struct{ Bounds []float64 }
	if err := json.NewDecoder(resp.Body).Decode(&tj); err != nil || len(tj.Bounds) != 4 {
		return orb.Bound{}, fmt.Errorf("tilejson bounds: %v", err)
	}
	return orb.Bound{Min: orb.Point{tj.Bounds[0], tj.Bounds[1]}, Max: orb.Point{tj.Bounds[2], tj.Bounds[3]}}, nil
}

// memory returns the process's resident and peak resident memory, GiB.
func memory(pid int) (rss, hwm float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return math.NaN(), math.NaN()
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / (1 << 20)
		case "VmHWM:":
			hwm = kb / (1 << 20)
		}
	}
	return rss, hwm
}

func pct(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	d = slices.Clone(d)
	slices.Sort(d)
	return d[min(len(d)-1, int(q*float64(len(d))))]
}

func ms(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
