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
	"syscall"
	"time"

	"fireplan/api"
	"fireplan/data"
	"fireplan/web"
)

func serve(ctx context.Context, args []string, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	addr := fs.String("addr", ":8080", "listen address")
	timeout := fs.Duration("timeout", 60*time.Second, "per-request time limit")
	cacheMB := fs.Int64("cache-mb", 1024, "memory for computed analyses and tiles (MiB)")
	scenariosMax := fs.Int("scenarios-max", api.DefaultOptions.ScenariosMax, "what-if scenarios kept in memory (the oldest goes first)")
	scenariosTTL := fs.Duration("scenarios-ttl", api.DefaultOptions.ScenariosTTL, "how long a what-if scenario is kept")
	allowEmpty := fs.Bool("allow-empty", false, "serve even with no roads or no stations (every share is then 0%)")
	if err := fs.Parse(args); err != nil {
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
	load := func() (*data.Snapshot, error) {
		snap, err := src.load(ctx, stderr)
		if err != nil {
			return nil, err
		}
		if err := servable(map[string]int{data.LayerRoads: snap.Roads.Len(), data.LayerStations: snap.Stations.Len()}); err != nil && !*allowEmpty {
			return nil, fmt.Errorf("%w (--allow-empty serves it anyway)", err)
		}
		return snap, nil
	}
	var store data.Store
	snap, err := load()
	if err != nil {
		return err
	}
	store.Swap(snap)

	// SIGHUP reloads; the new snapshot replaces the old one atomically.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	handler, err := api.New(&store, api.Options{RequestTimeout: *timeout, CacheBytes: *cacheMB << 20,
		Params: set.Response, Defaults: set.Query, ScenariosMax: *scenariosMax, ScenariosTTL: *scenariosTTL}, log)
	if err != nil {
		return err
	}
	handler.Mount(web.Handler())
	warm := func() {
		start := time.Now()
		handler.Warm(ctx)
		log.Info("analyses and tiles ready", "took", time.Since(start).Round(time.Millisecond))
	}
	go warm()
	go func() {
		for range hup {
			if snap, err := load(); err != nil {
				log.Error("reload failed; keeping the previous data", "err", err)
			} else {
				store.Swap(snap)
				log.Info("reloaded", "version", snap.Version)
				go warm()
			}
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
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("serving", "addr", *addr, "source", snap.Source, "url", browseURL(*addr))
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
