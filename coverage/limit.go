package coverage

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"

	"fireplan/coverage/internal/workers"
)

// ErrBusy is an analysis refused because as many are computing as the
// server allows and as many more are waiting: the client should retry.
var ErrBusy = errors.New("the server is computing as many analyses as it can and more are waiting; try again shortly")

// Limiter admits at most a fixed number of heavy computations (graph
// builds, siting, isochrones, cluster sweeps: every analysis table not in
// the cache) at once, lets a bounded number wait for a slot and refuses the
// rest, so that tiles and items served from memory stay fast while
// analyses queue. An admitted computation a user waits for may keep busy
// its share of the cores; background work (the warm-up) leaves one of them
// for tiles and items.
type Limiter struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
	running atomic.Int64
}

// NewLimiter admits n computations at once and lets queue more wait.
func NewLimiter(n, queue int) *Limiter {
	return &Limiter{slots: make(chan struct{}, max(n, 1)), queue: int64(max(queue, 0))}
}

type admittedKey struct{}

type backgroundKey struct{}

// Background marks ctx as work nobody waits on: admitted, it leaves a core
// for tiles and items. A what-if asked by hand takes every core its slot
// shares: on two cores, one of them had made each one twice as slow while
// requests for tiles between them hardly wait (the scheduler preempts
// within milliseconds).
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

// Acquire waits for a slot, or returns ErrBusy when the queue is full, or
// ctx's error when it ends first. A computation already admitted (ctx
// from an earlier Acquire) takes no second slot: a table built from
// another must not wait on itself.
func (l *Limiter) Acquire(ctx context.Context) (context.Context, func(), error) {
	if l == nil || ctx.Value(admittedKey{}) != nil {
		return ctx, func() {}, nil
	}
	release := func() {
		l.running.Add(-1)
		<-l.slots
	}
	cores := runtime.GOMAXPROCS(0)
	if ctx.Value(backgroundKey{}) != nil {
		cores--
	}
	admitted := workers.With(context.WithValue(ctx, admittedKey{}, true), cores/cap(l.slots))
	select {
	case l.slots <- struct{}{}:
		l.running.Add(1)
		return admitted, release, nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return ctx, nil, ErrBusy
	}
	defer l.waiting.Add(-1)
	select {
	case l.slots <- struct{}{}:
		l.running.Add(1)
		return admitted, release, nil
	case <-ctx.Done():
		return ctx, nil, ctx.Err()
	}
}

// LimitStats are the limiter's figures for the status page.
type LimitStats struct {
	Slots   int   `json:"slots"`
	Running int64 `json:"running"`
	Waiting int64 `json:"waiting"`
	Queue   int64 `json:"queue"`
}

// Stats returns the limiter's current figures.
func (l *Limiter) Stats() LimitStats {
	if l == nil {
		return LimitStats{}
	}
	return LimitStats{Slots: cap(l.slots), Running: l.running.Load(), Waiting: l.waiting.Load(), Queue: l.queue}
}
