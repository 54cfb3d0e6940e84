package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"fireplan/api"
	"fireplan/data"
	"fireplan/web"

	"github.com/jackc/pgx/v5/pgxpool"
)

func serve(ctx context.Context, args []string, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	addr := fs.String("addr", ":8080", "listen address")
	timeout := fs.Duration("timeout", 60*time.Second, "per-request time limit")
	cacheMB := fs.Int64("cache-mb", 1024, "memory for computed what-ifs and tiles (MiB); the data's defaults, computed by the warm-up, are kept beside it; under GOMEMLIMIT, at most a quarter of what the collector's goal leaves above them")
	scenariosMax := fs.Int("scenarios-max", api.DefaultOptions.ScenariosMax, "what-if scenarios kept in memory (the oldest goes first)")
	scenariosTTL := fs.Duration("scenarios-ttl", api.DefaultOptions.ScenariosTTL, "how long a what-if scenario is kept")
	allowEmpty := fs.Bool("allow-empty", false, "serve even with no roads or no stations (every share is then 0%)")
	interval := fs.Duration("reload-interval", 10*time.Second, "how often to check the database for edits (0: never; SIGHUP, POST /api/reload and triggers still reload)")
	listen := fs.Bool("listen", true, "reload at once on the notifications of 'fireplan triggers install'")
	requireDB := fs.Bool("require-db", false, "exit when the database is unreachable at start, instead of retrying")
	maxAnalyses := fs.Int("max-analyses", max(1, runtime.NumCPU()-1), "analyses computed at once (a core is left for tiles and items); more wait")
	queue := fs.Int("queue", api.DefaultOptions.Queue, "analyses waiting for a slot before the next gets 503 and Retry-After")
	tokenFile := fs.String("token-file", "", "file holding the token writes need (default $FIREPLAN_TOKEN; none: writes are open)")
	readToken := fs.Bool("read-token", false, "reads need the token too (the map then needs a proxy adding it)")
	cors := fs.String("cors", "", "comma-separated origins whose pages may call the API (\"*\": any); default none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *interval < 0 || *maxAnalyses < 1 || *queue < 0 {
		return errors.New("--reload-interval must not be negative, --max-analyses at least 1 and --queue not negative")
	}
	access, err := accessFrom(*tokenFile, *readToken, *cors)
	if err != nil {
		return err
	}
	if err := src.check(); err != nil {
		return err
	}
	if *scenariosMax < 1 || *scenariosTTL <= 0 {
		return errors.New("--scenarios-max must be at least 1 and --scenarios-ttl positive")
	}
	cfg, err := src.readConfig()
	if err != nil {
		return err
	}
	set, err := settings(cfg)
	if err != nil {
		return err
	}
	// load refuses data that cannot answer unless --allow-empty says so.
	// The load report goes to stderr at the first load; a reload logs one
	// line (the watcher's), its report stays in /api/report.
	loaded := false
	load := func(ctx context.Context) (*data.Snapshot, error) {
		w := stderr
		if loaded {
			w = io.Discard
		}
		snap, err := src.load(ctx, w)
		loaded = loaded || err == nil
		if err != nil {
			return nil, err
		}
		if err := servable(map[string]int{data.LayerRoads: snap.Roads.Len(), data.LayerStations: snap.Stations.Len()}); err != nil && !*allowEmpty {
			return nil, fmt.Errorf("%w (--allow-empty serves it anyway)", err)
		}
		return snap, nil
	}
	// The address is taken before the county loads: a port in use is said
	// at once, not after a minute of loading.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var store data.Store
	watch := &data.Watcher{Store: &store, Load: load, Interval: *interval, Log: log}
	if src.db != "" {
		watch.Signature = signature(&src, cfg)
		src.loader = &data.Loader{}
	}
	handler, err := api.New(&store, api.Options{RequestTimeout: *timeout, CacheBytes: *cacheMB << 20,
		Params: set.Response, Defaults: set.Query, ScenariosMax: *scenariosMax, ScenariosTTL: *scenariosTTL,
		MaxAnalyses: *maxAnalyses, Queue: *queue, Access: access, Watch: watch}, log)
	if err != nil {
		return err
	}
	handler.Mount(web.Handler())
	warm := func() {
		start := time.Now()
		handler.Warm(ctx)
		log.Info("analyses and tiles ready", "took", time.Since(start).Round(time.Millisecond))
	}
	// The first load: bad data or config stops the start; an unreachable
	// database is retried while the server answers 503 "loading", unless
	// --require-db.
	if err := watch.Check(ctx); err != nil {
		if !data.Unreachable(err) || *requireDB {
			return err
		}
		log.Warn("the database is unreachable; serving 503 until it answers, retrying", "every", retryEvery(*interval), "err", err)
		if *interval == 0 {
			watch.Interval = retryEvery(0)
		}
	}
	first := true
	watch.OnSwap = func(snap *data.Snapshot) {
		if !first {
			log.Info("reloaded", "version", snap.VersionHex(), "source", snap.Source)
		}
		first = false
		go warm()
	}
	if snap := store.Load(); snap != nil {
		watch.OnSwap(snap)
	}
	go watch.Run(ctx)
	if src.db != "" && *listen {
		go listenForChanges(ctx, src.db, watch, log)
	}
	// SIGHUP reloads; the new snapshot replaces the old one atomically.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			watch.Reload()
		}
	}()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      *timeout + 10*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", *addr, "url", browseURL(*addr))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// browseURL is where a browser on this machine finds addr: ":8080" and
// "0.0.0.0:8080" are localhost:8080.
func browseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// retryEvery is how often an unreachable database is tried again.
func retryEvery(interval time.Duration) time.Duration {
	if interval <= 0 {
		return 10 * time.Second
	}
	return interval
}

// signature fingerprints the mapped tables over a pool of its own, opened
// when first needed and again after a failure.
func signature(src *sourceFlags, cfg *data.Config) func(context.Context) (string, error) {
	var pool *pgxpool.Pool
	return func(ctx context.Context) (string, error) {
		if pool == nil {
			p, err := data.Connect(ctx, src.db)
			if err != nil {
				return "", err
			}
			pool = p
		}
		sig, err := data.Signature(ctx, pool, cfg)
		if err != nil && pool.Ping(ctx) != nil {
			pool.Close()
			pool = nil
			return "", &data.UnreachableError{Where: "(signature)", Err: err}
		}
		return sig, err
	}
}

// listenForChanges reloads on the triggers' notifications, reconnecting
// after a failure; polling goes on beside it.
func listenForChanges(ctx context.Context, url string, w *data.Watcher, log *slog.Logger) {
	for ctx.Err() == nil {
		// On (re)connecting, check at once: edits made while no one
		// listened sent notifications no one heard.
		err := data.Listen(ctx, url, func() { w.SetListening(true, nil); w.Kick() }, func(string) { w.Notified() })
		if ctx.Err() != nil {
			return
		}
		w.SetListening(false, err)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
}

// accessFrom reads the write token from --token-file or $FIREPLAN_TOKEN.
func accessFrom(tokenFile string, readToken bool, cors string) (api.Access, error) {
	a := api.Access{Token: os.Getenv("FIREPLAN_TOKEN"), ReadToken: readToken}
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return a, fmt.Errorf("--token-file: %w", err)
		}
		a.Token = strings.TrimSpace(string(b))
		if a.Token == "" {
			return a, fmt.Errorf("--token-file %s is empty", tokenFile)
		}
	}
	if readToken && a.Token == "" {
		return a, errors.New("--read-token needs a token: --token-file or $FIREPLAN_TOKEN")
	}
	for _, o := range strings.Split(cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			a.CORSOrigins = append(a.CORSOrigins, o)
		}
	}
	return a, nil
}
