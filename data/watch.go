package data

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// UnreachableError is a database that did not answer: worth retrying,
// unlike a table or column that is not there.
type UnreachableError struct {
	Where string
	Err   error
}

func (e *UnreachableError) Error() string {
	return "database " + e.Where + " is not reachable: " + e.Err.Error()
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Unreachable tells whether err is a database that did not answer.
func Unreachable(err error) bool {
	var u *UnreachableError
	return errors.As(err, &u)
}

// Watcher keeps a Store current with its source. Every Interval, and at
// once when kicked (a change notification), it reads the source's change
// signature; when that differs from the loaded one it builds a new
// snapshot in the background and swaps it in atomically, so requests in
// flight finish on the snapshot they started with. A failed check or load
// keeps the last good snapshot and is reported in Status; the next tick
// tries again.
type Watcher struct {
	Store     *Store
	Load      func(ctx context.Context) (*Snapshot, error)
	Signature func(ctx context.Context) (string, error) // nil: a source that never changes (the sample, a file)
	Interval  time.Duration
	OnSwap    func(*Snapshot) // after each swap (warm-up, logging)
	Log       *slog.Logger

	kick   chan struct{}
	once   sync.Once
	mu     sync.Mutex
	st     WatchStatus
	badSig string // a signature whose data failed to load: not retried until it changes
	force  bool   // reload at the next check whatever the signature
	// listenErr is the error losing the listener recorded; everListened
	// tells a reconnection from the first connection.
	listenErr    string
	everListened bool
}

// WatchStatus is what the watcher knows of its source.
type WatchStatus struct {
	Signature     string    `json:"signature,omitempty"` // of the data served
	Interval      string    `json:"interval,omitempty"`
	Listening     bool      `json:"listening"` // change notifications arrive
	LastCheck     time.Time `json:"last_check,omitzero"`
	LastAttempt   time.Time `json:"last_reload_attempt,omitzero"`
	LastLoad      time.Time `json:"last_load,omitzero"`
	LastLoadTook  string    `json:"last_load_took,omitempty"`
	Error         string    `json:"error,omitempty"` // the last check's or load's, until one succeeds
	ErrorAt       time.Time `json:"error_at,omitzero"`
	Reloads       int       `json:"reloads"`
	Failures      int       `json:"failures"`
	Notifications int       `json:"notifications"`
}

// Status returns a copy of the watcher's state.
func (w *Watcher) Status() WatchStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := w.st
	if w.Signature != nil {
		st.Interval = w.Interval.String()
	}
	return st
}

// Kick asks for a check now; kicks while one is pending merge.
func (w *Watcher) Kick() {
	w.once.Do(w.init)
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Reload asks for a reload now, changed or not (SIGHUP, POST /api/reload).
func (w *Watcher) Reload() {
	w.mu.Lock()
	w.force = true
	w.mu.Unlock()
	w.Kick()
}

// Notified counts a change notification and kicks.
func (w *Watcher) Notified() {
	w.mu.Lock()
	w.st.Notifications++
	w.mu.Unlock()
	w.Kick()
}

// SetListening records whether change notifications arrive, and why not
// (err). Without polling the listener is all that follows the source, so
// losing it is reported as the watcher's error until it is back.
func (w *Watcher) SetListening(on bool, err error) {
	w.mu.Lock()
	was := w.st.Listening
	w.st.Listening = on
	polls := w.Signature != nil && w.Interval > 0
	if on && w.listenErr != "" && w.st.Error == w.listenErr {
		w.st.Error = ""
	}
	if on {
		w.listenErr = ""
	}
	w.mu.Unlock()
	switch {
	case on && !was && w.Log != nil && w.everListened:
		w.Log.Info("listening for changes again")
	case !on && err != nil && !polls:
		w.fail(fmt.Errorf("listening for changes: %w", err), "lost the change notifications; no polling (--reload-interval 0) follows the database until they are back")
		w.mu.Lock()
		w.listenErr = w.st.Error
		w.mu.Unlock()
	case !on && was && w.Log != nil:
		w.Log.Warn("lost the change notifications; polling still follows the database", "err", err)
	}
	if on {
		w.mu.Lock()
		w.everListened = true
		w.mu.Unlock()
	}
}

func (w *Watcher) init() { w.kick = make(chan struct{}, 1) }

// Run checks now and then on every tick or kick until ctx ends.
func (w *Watcher) Run(ctx context.Context) {
	w.once.Do(w.init)
	var tick <-chan time.Time
	if w.Signature != nil && w.Interval > 0 {
		t := time.NewTicker(w.Interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		w.Check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick:
		case <-w.kick:
		}
	}
}

// Check reloads when the source changed, or when nothing is loaded yet,
// and returns the error of the check or load (nil when nothing was due).
func (w *Watcher) Check(ctx context.Context) error {
	w.mu.Lock()
	force := w.force
	w.force = false
	w.mu.Unlock()
	loaded := w.Store.Load() != nil && !force
	var sig string
	if w.Signature != nil {
		s, err := w.Signature(ctx)
		w.mu.Lock()
		w.st.LastCheck = time.Now()
		same := err == nil && s == w.st.Signature && loaded
		if same {
			w.recovered("the data source answers again")
		}
		if err != nil {
			w.badSig = "" // the source went away: load again when it is back
		}
		bad := err == nil && s == w.badSig && !force
		w.mu.Unlock()
		if err != nil {
			return w.fail(err, "checking the data source failed; "+w.served())
		}
		if same || bad {
			return nil
		}
		sig = s
	} else if loaded {
		return nil
	}
	w.mu.Lock()
	w.st.LastAttempt = time.Now()
	w.mu.Unlock()
	start := time.Now()
	snap, err := w.Load(ctx)
	if err != nil {
		if !Unreachable(err) {
			w.mu.Lock()
			w.badSig = sig // a dropped table stays dropped until someone edits
			w.mu.Unlock()
		}
		return w.fail(err, "loading failed; "+w.served())
	}
	reload := w.Store.Load() != nil
	w.Store.Swap(snap)
	w.mu.Lock()
	if reload {
		w.st.Reloads++
	}
	w.st.Signature, w.st.LastLoad, w.st.LastLoadTook = sig, time.Now(), time.Since(start).Round(time.Millisecond).String()
	w.recovered("loaded after a failure")
	w.badSig = ""
	w.mu.Unlock()
	if w.OnSwap != nil {
		w.OnSwap(snap)
	}
	return nil
}

// fail records err; it is logged when it differs from the last one, so a
// database away for a week logs once, not every interval.
func (w *Watcher) fail(err error, msg string) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	w.mu.Lock()
	w.st.Failures++
	repeated := w.st.Error == err.Error()
	w.st.Error, w.st.ErrorAt = err.Error(), time.Now()
	w.mu.Unlock()
	if w.Log != nil && !repeated {
		w.Log.Error(msg, "err", err)
	}
	return err
}

// served says what a failure leaves served.
func (w *Watcher) served() string {
	if w.Store.Load() == nil {
		return "nothing to serve yet; trying again"
	}
	return "serving the last good data"
}

// recovered clears the error of an earlier failure, saying so in the log.
// The caller holds w.mu.
func (w *Watcher) recovered(what string) {
	if w.st.Error != "" && w.st.Error != w.listenErr && w.Log != nil {
		w.Log.Info(what, "after", w.st.Error)
	}
	if w.st.Error != w.listenErr {
		w.st.Error = ""
	}
}
