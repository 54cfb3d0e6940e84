package coverage

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"fireplan/coverage/internal/workers"
)

// TestLimiterAdmitsQueuesAndRefuses: n run, queue wait, the rest are
// refused; a computation inside an admitted one takes no slot; a waiter
// whose request ends leaves the queue.
func TestLimiterAdmitsQueuesAndRefuses(t *testing.T) {
	for _, tc := range []struct{ slots, queue int }{{1, 0}, {1, 2}, {2, 1}, {3, 3}} {
		l := NewLimiter(tc.slots, tc.queue)
		var releases []func()
		for i := 0; i < tc.slots; i++ {
			ctx, release, err := l.Acquire(context.Background())
			if err != nil {
				t.Fatalf("%+v: slot %d refused: %v", tc, i, err)
			}
			// Nested: admitted at once even with every slot taken.
			if _, rel, err := l.Acquire(ctx); err != nil {
				t.Errorf("%+v: a nested computation waited or was refused: %v", tc, err)
			} else {
				rel()
			}
			releases = append(releases, release)
		}
		// Fill the queue with waiters that give up after a while.
		waitCtx, cancel := context.WithCancel(context.Background())
		errs := make(chan error, tc.queue)
		for range tc.queue {
			go func() { _, _, err := l.Acquire(waitCtx); errs <- err }()
		}
		deadline := time.Now().Add(5 * time.Second)
		for l.Stats().Waiting < int64(tc.queue) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if st := l.Stats(); st.Running != int64(tc.slots) || st.Waiting != int64(tc.queue) {
			t.Errorf("%+v: stats %+v", tc, st)
		}
		if _, _, err := l.Acquire(context.Background()); !errors.Is(err, ErrBusy) {
			t.Errorf("%+v: past the queue: %v, want ErrBusy", tc, err)
		}
		cancel()
		for range tc.queue {
			if err := <-errs; !errors.Is(err, context.Canceled) {
				t.Errorf("%+v: a waiter whose request ended: %v", tc, err)
			}
		}
		for _, r := range releases {
			r()
		}
		if st := l.Stats(); st.Running != 0 || st.Waiting != 0 {
			t.Errorf("%+v: after release: %+v", tc, st)
		}
		if _, release, err := l.Acquire(context.Background()); err != nil {
			t.Errorf("%+v: a free slot refused: %v", tc, err)
		} else {
			release()
		}
	}
}

// TestBackgroundLeavesACore: a computation someone waits for may use every
// core its slot shares; background work one fewer, and never none.
func TestBackgroundLeavesACore(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		procs, slots int
		fore, back   int
	}{
		{2, 1, 2, 1},
		{1, 1, 1, 1},
		{8, 1, 8, 7},
		{8, 7, 1, 1},
		{8, 2, 4, 3},
	} {
		runtime.GOMAXPROCS(tc.procs)
		l := NewLimiter(tc.slots, 0)
		for _, bg := range []bool{false, true} {
			ctx, want := context.Background(), tc.fore
			if bg {
				ctx, want = Background(ctx), tc.back
			}
			admitted, release, err := l.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := workers.Of(admitted); got != want {
				t.Errorf("%+v background=%v: %d workers, want %d", tc, bg, got, want)
			}
			release()
		}
	}
	runtime.GOMAXPROCS(procs)
}
