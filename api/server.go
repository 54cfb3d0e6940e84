package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"fireplan/coverage"
	"fireplan/coverage/response"
	"fireplan/coverage/scenario"
	"fireplan/data"

	"github.com/gorilla/mux"
)

// Options are the server's limits.
type Options struct {
	MaxItems       int               // most features one items request returns
	DefaultItems   int               // features returned when limit is absent
	RequestTimeout time.Duration     // per request
	CacheBytes     int64             // what computed results and tiles may hold
	Params         response.Params   // response-time defaults; zero value: response.DefaultParams
	Defaults       map[string]string // the county's query-parameter defaults (coverage.Settings.Query)
	ScenariosMax   int               // scenarios kept in memory, the oldest evicted first
	ScenariosTTL   time.Duration     // how long a scenario is kept
	MaxAnalyses    int               // analyses computed at once (0: one per CPU but one, kept for tiles and items)
	Queue          int               // analyses waiting for a slot before a 503 (0: DefaultOptions')
	Access         Access            // tokens and CORS
	Watch          *data.Watcher     // the data source's watcher, for /api/status and /api/reload; nil: none
}

// DefaultOptions are the limits used when a field is zero.
var DefaultOptions = Options{MaxItems: 10000, DefaultItems: 1000, RequestTimeout: 60 * time.Second, CacheBytes: 1 << 30,
	ScenariosMax: 64, ScenariosTTL: 24 * time.Hour, Queue: 32}

// Server answers HTTP requests from the store's current snapshot.
type Server struct {
	store *data.Store
	opts  Options
	log   *slog.Logger
	mux   *mux.Router
	cat   *coverage.Catalog
	scen  *scenario.Store
	// handler is mux behind the access guard.
	handler http.Handler
	// warmed is the version of the last snapshot whose every default the
	// warm-up computed, and warmTook how long that took.
	warmed, warmTook atomic.Int64
}

// New returns a server reading snapshots from store.
func New(store *data.Store, opts Options, log *slog.Logger) (*Server, error) {
	if opts.MaxItems <= 0 {
		opts.MaxItems = DefaultOptions.MaxItems
	}
	if opts.DefaultItems <= 0 || opts.DefaultItems > opts.MaxItems {
		opts.DefaultItems = min(DefaultOptions.DefaultItems, opts.MaxItems)
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultOptions.RequestTimeout
	}
	if opts.CacheBytes <= 0 {
		opts.CacheBytes = DefaultOptions.CacheBytes
	}
	if opts.ScenariosMax <= 0 {
		opts.ScenariosMax = DefaultOptions.ScenariosMax
	}
	if opts.ScenariosTTL <= 0 {
		opts.ScenariosTTL = DefaultOptions.ScenariosTTL
	}
	if opts.MaxAnalyses <= 0 {
		opts.MaxAnalyses = max(1, runtime.NumCPU()-1)
	}
	if opts.Queue <= 0 {
		opts.Queue = DefaultOptions.Queue
	}
	if opts.Params.SpeedKmh == nil {
		opts.Params = response.DefaultParams()
	}
	cat, err := coverage.New(opts.Params, opts.CacheBytes)
	if err != nil {
		return nil, err
	}
	if err := cat.SetDefaults(opts.Defaults); err != nil {
		return nil, err
	}
	cat.Limit = coverage.NewLimiter(opts.MaxAnalyses, opts.Queue)
	s := &Server{store: store, opts: opts, log: log, mux: mux.NewRouter(), cat: cat, scen: scenario.NewStore(opts.ScenariosMax, opts.ScenariosTTL)}
	s.routes()
	s.handler = compress(opts.Access.guard(s.mux))
	return s, nil
}

// Catalog returns the server's catalogue (its cache and counters).
func (s *Server) Catalog() *coverage.Catalog { return s.cat }

func (s *Server) routes() {
	r := s.mux
	for _, rt := range s.Routes() {
		r.Handle(rt.Path, s.handle(s.checked(rt))).Methods(rt.Methods...)
		if rt.Path == "/ogc" {
			// The landing page with a slash, as a connection URL is often
			// typed: the same answer (its links are absolute).
			r.Handle(rt.Path+"/", s.handle(s.checked(rt))).Methods(rt.Methods...)
		}
	}
	r.NotFoundHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusNotFound, "no route %s", r.URL.Path)
	})
	r.MethodNotAllowedHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusMethodNotAllowed, "method %s not allowed on %s", r.Method, r.URL.Path)
	})
}

// ServeHTTP bounds every request by the request timeout.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	s.handler.ServeHTTP(w, r.WithContext(ctx))
}

// Mount serves the web map: its page at /, its print view at /print and
// their files under /web/.
func (s *Server) Mount(web http.Handler) {
	s.mux.Handle("/", web).Methods(http.MethodGet, http.MethodHead)
	s.mux.Handle("/print", web).Methods(http.MethodGet, http.MethodHead)
	s.mux.PathPrefix("/web/").Handler(web).Methods(http.MethodGet, http.MethodHead)
}

// Error is an error with an HTTP status and a message safe to show.
type Error struct {
	Status int
	Msg    string
	// RetryAfter, when set, is sent as Retry-After: seconds after which
	// the request may succeed.
	RetryAfter int
}

// Seconds a client is told to wait (Retry-After) before trying again.
const (
	retryLoading = 5 // the data is loading
	retryBusy    = 5 // the analyses queue is full
	retryTimeout = 5 // the request timed out: the server is loaded
)

func (e *Error) Error() string { return e.Msg }

func errorf(status int, format string, args ...any) error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

type handlerFunc func(http.ResponseWriter, *http.Request) error

// handle adapts a handler returning an error: typed errors keep their status,
// anything else is logged and answered as a 500 without its detail.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := func() (err error) {
			defer func() { // a bug must cost one request, not the server
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
				}
			}()
			return h(w, r)
		}()
		if err == nil {
			return
		}
		var e *Error
		var pe *coverage.ParamError
		var ce *scenario.ChangeError
		var tl *http.MaxBytesError
		switch {
		case errors.As(err, &tl): // a body growing over its route's limit while read
			e = tooLarge(tl.Limit).(*Error)
		case errors.As(err, &ce):
			body := map[string]any{"error": ce.Error(), "status": http.StatusBadRequest, "field": ce.Field}
			if ce.Index >= 0 {
				body["change"] = ce.Index
			}
			writeJSON(w, http.StatusBadRequest, body)
			return
		case errors.As(err, &e):
		case errors.As(err, &pe):
			e = &Error{Status: http.StatusBadRequest, Msg: pe.Msg}
		case errors.Is(err, coverage.ErrBusy):
			e = &Error{Status: http.StatusServiceUnavailable, Msg: err.Error(), RetryAfter: retryBusy}
		case errors.Is(err, context.DeadlineExceeded):
			e = &Error{Status: http.StatusServiceUnavailable, Msg: "request timed out", RetryAfter: retryTimeout}
		case errors.Is(err, context.Canceled):
			e = &Error{Status: http.StatusServiceUnavailable, Msg: "request cancelled"}
		default:
			s.log.Error("request failed", "path", r.URL.Path, "err", err)
			e = &Error{Status: http.StatusInternalServerError, Msg: "internal error"}
		}
		w.Header().Del("ETag") // an error is never the tagged answer
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
		}
		writeJSON(w, e.Status, map[string]any{"error": e.Msg, "status": e.Status})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (s *Server) snapshot() (*data.Snapshot, error) {
	snap := s.store.Load()
	if snap == nil {
		return nil, &Error{Status: http.StatusServiceUnavailable, Msg: "data is still loading", RetryAfter: retryLoading}
	}
	return snap, nil
}

// snapshotFor returns the snapshot a request reads: the current one, or
// the scenario its scenario parameter names applied to it.
func (s *Server) snapshotFor(r *http.Request) (*data.Snapshot, error) {
	snap, err := s.snapshot()
	if err != nil {
		return nil, err
	}
	id := r.URL.Query().Get("scenario")
	if id == "" {
		return snap, nil
	}
	scen, _, err := s.scen.Snapshot(id, snap)
	if errors.Is(err, scenario.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, "no scenario %q (it may have expired)", id)
	}
	return scen, err
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	snap := s.store.Load()
	if snap == nil {
		w.Header().Set("Retry-After", strconv.Itoa(retryLoading))
		return writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "loading"})
	}
	// Serving the last good data while the source fails is still serving
	// (200), but a monitor reading only the health check is told: "stale".
	status := "ok"
	if s.opts.Watch != nil && s.opts.Watch.Status().Error != "" {
		status = "stale"
	}
	// The version in hex, as /api/status, scenarios and ETags give it.
	return writeJSON(w, http.StatusOK, map[string]any{"status": status, "version": snap.VersionHex(), "source": snap.Source,
		"loaded_at": snap.LoadedAt.UTC().Format(time.RFC3339)})
}
