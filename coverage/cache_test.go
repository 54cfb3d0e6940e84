package coverage

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// TestTilesDoNotPushOutAnalyses: a flood of encoded tiles keeps at most
// its share of a short budget; the analyses computed before it stay, and
// what no one asked for since a mark is swept.
func TestTilesDoNotPushOutAnalyses(t *testing.T) {
	ctx := context.Background()
	put := func(c *Cache, kind, key string, size int64) {
		c.Get(ctx, kind, key, func(context.Context) (any, int64, error) { return key, size, nil })
	}
	for _, tc := range []struct {
		budget, analyses, analysisSize, tiles, tileSize int64
	}{
		{1000, 5, 100, 10000, 10},
		{1000, 7, 100, 100, 1},
		{400, 3, 100, 500, 50},
	} {
		c := NewCache(tc.budget)
		for i := range tc.analyses {
			put(c, "table", fmt.Sprint("analysis", i), tc.analysisSize)
		}
		for i := range tc.tiles {
			put(c, TileKind, fmt.Sprint("tile", i), tc.tileSize)
		}
		for i := range tc.analyses {
			// Kept while the analyses fit in three quarters.
			if tc.analyses*tc.analysisSize <= tc.budget*3/4 {
				if _, ok := c.Peek(fmt.Sprint("analysis", i)); !ok {
					t.Errorf("%+v: analysis %d pushed out by tiles", tc, i)
				}
			}
		}
		if st := c.Stats(); st.Bytes > tc.budget {
			t.Errorf("%+v: %d bytes held, over the budget", tc, st.Bytes)
		}
		if c.tileUsed > max(tc.budget/tileShare, tc.budget-tc.analyses*tc.analysisSize) {
			t.Errorf("%+v: tiles hold %d bytes, over their share", tc, c.tileUsed)
		}
		gen := c.Mark()
		put(c, "table", "analysis0", tc.analysisSize) // asked again: stays
		c.Sweep(gen)
		if st := c.Stats(); st.Entries != 1 || c.tileUsed != 0 {
			t.Errorf("%+v: after the sweep %d entries, tiles %d bytes; want the one asked for", tc, st.Entries, c.tileUsed)
		}
	}
}

// TestPinnedOutlivesTheBudget: what is asked for under Pin stays however
// much else comes, is not counted against the budget, and falls under it
// at the first sweep of a generation that did not pin it again.
func TestPinnedOutlivesTheBudget(t *testing.T) {
	ctx := context.Background()
	put := func(c *Cache, ctx context.Context, key string, size int64) {
		c.Get(ctx, "table", key, func(context.Context) (any, int64, error) { return key, size, nil })
	}
	for _, tc := range []struct {
		name         string
		budget, size int64
		pinned       int // entries pinned, each of size
		repin        bool
		kept         bool // default0 after the sweep
	}{
		{"pinned over the budget", 100, 80, 3, false, false}, // unpinned, it no longer fits beside the what-if
		{"pinned again", 100, 80, 3, true, true},
		{"unpinned, it fits", 1000, 10, 1, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(tc.budget)
			c.Mark()
			for i := range tc.pinned {
				put(c, Pin(ctx), fmt.Sprint("default", i), tc.size)
			}
			for i := range 50 {
				put(c, ctx, fmt.Sprint("whatif", i), tc.size)
			}
			st := c.Stats()
			if st.Pinned != tc.pinned || st.PinnedBytes != int64(tc.pinned)*tc.size {
				t.Errorf("%d pinned (%d bytes), want %d (%d)", st.Pinned, st.PinnedBytes, tc.pinned, int64(tc.pinned)*tc.size)
			}
			if st.Bytes > tc.budget {
				t.Errorf("%d unpinned bytes over the budget %d", st.Bytes, tc.budget)
			}
			for i := range tc.pinned {
				if _, ok := c.Peek(fmt.Sprint("default", i)); !ok {
					t.Errorf("default %d pushed out", i)
				}
			}
			// The next warm-up: the first default asked again, pinned or
			// not, and the last what-if; the rest not asked for, so swept.
			gen := c.Mark()
			put(c, ctx, "whatif49", tc.size)
			if tc.repin {
				put(c, Pin(ctx), "default0", tc.size)
			} else {
				put(c, ctx, "default0", tc.size)
			}
			c.Sweep(gen)
			st = c.Stats()
			want := 0
			if tc.repin {
				want = 1
			}
			if st.Pinned != want {
				t.Errorf("after the sweep %d pinned, want %d", st.Pinned, want)
			}
			if _, ok := c.Peek("default0"); ok != tc.kept {
				t.Errorf("default0 kept %v after the sweep, want %v", ok, tc.kept)
			}
			if st.Bytes > tc.budget {
				t.Errorf("after the sweep %d unpinned bytes over the budget %d", st.Bytes, tc.budget)
			}
		})
	}
}

// TestPinReachesAComputationInFlight: a pinned caller joining a
// computation another caller started pins what it computes.
func TestPinReachesAComputationInFlight(t *testing.T) {
	c := NewCache(10)
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		c.Get(context.Background(), "table", "k", func(context.Context) (any, int64, error) {
			close(started)
			<-release
			return "v", 100, nil // over the budget: kept only if pinned
		})
		close(done)
	}()
	<-started
	joined := make(chan struct{})
	go func() {
		c.Get(Pin(context.Background()), "table", "k", func(context.Context) (any, int64, error) { return "x", 1, nil })
		close(joined)
	}()
	for {
		c.mu.Lock()
		w := c.flights["k"].waiters
		c.mu.Unlock()
		if w == 2 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	<-done
	<-joined
	if v, ok := c.Peek("k"); !ok || v != "v" {
		t.Fatalf("Peek = %v, %v; want the pinned value", v, ok)
	}
}

// TestFitLowersAndRestoresTheBudget: a smaller room lets the least recent
// what-ifs go and keeps the pinned; a larger one restores the budget but no
// more than was configured.
func TestFitLowersAndRestoresTheBudget(t *testing.T) {
	ctx := context.Background()
	c := NewCache(100)
	c.Get(Pin(ctx), "a", "pinned", func(context.Context) (any, int64, error) { return 1, 80, nil })
	for k := range 5 {
		c.Get(ctx, "a", fmt.Sprint("what-if ", k), func(context.Context) (any, int64, error) { return k, 20, nil })
	}
	for _, tc := range []struct {
		room, max, entries int64
	}{{100, 100, 6}, {45, 45, 3}, {-5, 0, 1}, {1000, 100, 1}} {
		if got := c.Fit(tc.room); got != tc.max {
			t.Errorf("room %d: budget %d, want %d", tc.room, got, tc.max)
		}
		if st := c.Stats(); st.MaxBytes != tc.max || int64(st.Entries) != tc.entries || st.Bytes > tc.max {
			t.Errorf("room %d: %+v, want %d entries within %d bytes", tc.room, st, tc.entries, tc.max)
		}
	}
	if _, ok := c.Peek("pinned"); !ok {
		t.Error("the pinned entry went")
	}
	if _, ok := c.Peek("what-if 4"); ok {
		t.Error("a what-if is kept in no room")
	}
}
