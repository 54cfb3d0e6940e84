package coverage

import (
	"container/list"
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Cache holds every computed thing (road graphs, analyses, tables, tile
// sets, encoded tiles) under one byte budget, least recently used first
// out. Keys carry the data version, the kind and the canonical parameters,
// so a reload invalidates by construction. Concurrent requests for one key
// compute it once (single flight); the computation stops when every caller
// waiting for it has gone.
//
// What the warm-up asks for (see Pin) is kept outside the budget until the
// next warm-up: the defaults of the data served are what most requests
// ask, and at province scale they alone outgrow any budget a county server
// can give, so least-recently-used would recompute them for minutes.
type Cache struct {
	budget int64 // as configured; max is at most this (see Fit)

	mu   sync.Mutex
	max  int64
	used int64      // unpinned entries' bytes, held under max
	lru  *list.List // of *cached, most recent at the front
	// Pinned entries: kept whatever the budget (see Pin).
	pinned     *list.List
	pinnedUsed int64
	// Encoded tiles have a list of their own and may keep at most
	// tileShare of the budget when it is short: a map panned over a
	// province asks for hundreds of thousands, each a millisecond to draw
	// again, and must not push out analyses that took seconds.
	tiles    *list.List
	tileUsed int64
	items    map[string]*list.Element
	flights  map[string]*flight
	computed map[string]*atomic.Int64 // computations started, by kind
	gen      uint64                   // see Mark
}

type cached struct {
	key  string
	val  any
	size int64
	used uint64 // the generation it was last asked for in
	tile bool   // an encoded tile (see tiles)
	pin  uint64 // the generation that pinned it; 0: not pinned
}

// TileKind is the kind of encoded tiles (see Cache.tiles).
const TileKind = "tile"

// tileShare is the part of the budget tiles keep when it is short.
const tileShare = 4 // a quarter

func (c *Cache) list(e *cached) *list.List {
	switch {
	case e.pin != 0:
		return c.pinned
	case e.tile:
		return c.tiles
	}
	return c.lru
}

type flight struct {
	done    chan struct{}
	val     any
	err     error
	waiters int
	cancel  context.CancelFunc
	pin     bool // a caller asked under Pin
}

type pinKey struct{}

// Pin returns a context under which whatever Get returns or computes,
// including what those computations ask for in turn, is pinned: kept
// beyond the byte budget until a Sweep of a later generation finds it not
// pinned again. The warm-up asks for the served data's defaults under it.
func Pin(ctx context.Context) context.Context { return context.WithValue(ctx, pinKey{}, true) }

func pinning(ctx context.Context) bool { return ctx.Value(pinKey{}) != nil }

// NewCache returns a cache holding at most maxBytes (estimated) beside
// what is pinned.
func NewCache(maxBytes int64) *Cache {
	return &Cache{budget: maxBytes, max: maxBytes, lru: list.New(), tiles: list.New(), pinned: list.New(), items: map[string]*list.Element{},
		flights: map[string]*flight{}, computed: map[string]*atomic.Int64{}, gen: 1} // 0 is "never" for cached.pin
}

// Get returns the value under key, computing it with f when absent. kind
// names what f computes, for the counters. f returns the value and its
// estimated size in bytes; errors are not cached.
func (c *Cache) Get(ctx context.Context, kind, key string, f func(ctx context.Context) (any, int64, error)) (any, error) {
	pin := pinning(ctx)
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		v := c.touch(el, pin)
		c.mu.Unlock()
		return v, nil
	}
	fl, ok := c.flights[key]
	if !ok {
		// The computation outlives any one caller but not all of them.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		fl = &flight{done: make(chan struct{}), cancel: cancel}
		c.flights[key] = fl
		c.counter(kind).Add(1)
		go c.run(fctx, kind, key, fl, f)
	}
	fl.waiters++
	fl.pin = fl.pin || pin
	c.mu.Unlock()
	select {
	case <-fl.done:
		return fl.val, fl.err
	case <-ctx.Done():
		c.mu.Lock()
		if fl.waiters--; fl.waiters == 0 {
			fl.cancel()
		}
		c.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (c *Cache) run(ctx context.Context, kind, key string, fl *flight, f func(ctx context.Context) (any, int64, error)) {
	defer fl.cancel()
	var size int64
	func() {
		defer func() { // a bug costs its callers, not the server
			if p := recover(); p != nil {
				fl.err = &panicError{kind: kind, v: p, stack: debug.Stack()}
			}
		}()
		fl.val, size, fl.err = f(ctx)
	}()
	c.mu.Lock()
	delete(c.flights, key)
	if fl.err == nil && (fl.pin || size <= c.max) {
		e := &cached{key: key, val: fl.val, size: size, used: c.gen, tile: kind == TileKind}
		if fl.pin {
			e.pin = c.gen
		}
		c.items[key] = c.list(e).PushFront(e)
		c.add(e, 1)
		c.evict()
	}
	c.mu.Unlock()
	close(fl.done)
}

// touch marks the entry at el asked for now (and pinned, with pin), and
// returns its value.
func (c *Cache) touch(el *list.Element, pin bool) any {
	e := el.Value.(*cached)
	e.used = c.gen
	if pin && e.pin != c.gen {
		c.remove(el)
		e.pin = c.gen
		c.items[e.key] = c.list(e).PushFront(e)
		c.add(e, 1)
		return e.val
	}
	c.list(e).MoveToFront(el)
	return e.val
}

// evict drops unpinned entries while they are over the budget: tiles
// first while they hold more than their share (or nothing else is left),
// then the least recently used.
func (c *Cache) evict() {
	for c.used > c.max {
		l := c.lru
		if c.tiles.Len() > 0 && (c.tileUsed > c.max/tileShare || l.Len() == 0) {
			l = c.tiles
		}
		c.remove(l.Back())
	}
}

// Fit sets the budget to room bytes, at most the configured one, and lets
// go of what no longer fits. It returns the budget now.
func (c *Cache) Fit(room int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max(0, min(c.budget, room))
	c.evict()
	return c.max
}

// Peek returns the value under key without computing it.
func (c *Cache) Peek(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		return c.touch(el, false), true
	}
	return nil, false
}

// Mark starts a generation and returns it, for Sweep.
func (c *Cache) Mark() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	return c.gen
}

// Sweep drops every entry not asked for since Mark returned gen, and
// returns how many and their bytes. After a reload, what was computed from
// the data it replaced is asked for no more: swept once the new data's
// defaults are warm, it goes at once, with the old layers it holds on to,
// instead of when the byte budget (an estimate, which a month of edits
// would outgrow) fills. What an earlier generation pinned and this one
// did not pin again falls under the budget.
func (c *Cache) Sweep(gen uint64) (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, bytes := 0, int64(0)
	for _, l := range []*list.List{c.lru, c.tiles, c.pinned} {
		for el := l.Back(); el != nil; {
			prev := el.Prev()
			switch e := el.Value.(*cached); {
			case e.used < gen:
				c.remove(el)
				n, bytes = n+1, bytes+e.size
			case e.pin != 0 && e.pin < gen:
				c.remove(el)
				e.pin = 0
				c.items[e.key] = c.list(e).PushBack(e)
				c.add(e, 1)
			}
			el = prev
		}
	}
	c.evict()
	return n, bytes
}

// add counts e's bytes in (sign 1) or out (-1).
func (c *Cache) add(e *cached, sign int64) {
	switch {
	case e.pin != 0:
		c.pinnedUsed += sign * e.size
	case e.tile:
		c.used += sign * e.size
		c.tileUsed += sign * e.size
	default:
		c.used += sign * e.size
	}
}

// remove drops the entry at el.
func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*cached)
	c.list(e).Remove(el)
	delete(c.items, e.key)
	c.add(e, -1)
}

func (c *Cache) counter(kind string) *atomic.Int64 {
	n := c.computed[kind]
	if n == nil {
		n = &atomic.Int64{}
		c.computed[kind] = n
	}
	return n
}

// Computed returns how many computations of kind have started.
func (c *Cache) Computed(kind string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counter(kind).Load()
}

// Stats are the cache's figures for status pages.
type Stats struct {
	Entries  int   `json:"entries"`
	Bytes    int64 `json:"bytes"` // under MaxBytes
	MaxBytes int64 `json:"max_bytes"`
	// The warm-up's defaults, kept beside the budget (see Pin).
	Pinned      int              `json:"pinned"`
	PinnedBytes int64            `json:"pinned_bytes"`
	InFlight    int              `json:"in_flight"`
	Computed    map[string]int64 `json:"computed"`
}

// Stats returns the cache's current figures.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Stats{Entries: len(c.items), Bytes: c.used, MaxBytes: c.max, Pinned: c.pinned.Len(), PinnedBytes: c.pinnedUsed,
		InFlight: len(c.flights), Computed: map[string]int64{}}
	for k, n := range c.computed {
		s.Computed[k] = n.Load()
	}
	return s
}

// panicError is a computation's panic, with its stack for the log.
type panicError struct {
	kind  string
	v     any
	stack []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("panic computing %s: %v\n%s", e.kind, e.v, e.stack)
}
