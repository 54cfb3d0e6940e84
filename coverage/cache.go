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
type Cache struct {
	max int64

	mu   sync.Mutex
	used int64
	lru  *list.List // of *cached, most recent at the front
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
	tile bool   // on the tiles' list
}

// TileKind is the kind of encoded tiles (see Cache.tiles).
const TileKind = "tile"

// tileShare is the part of the budget tiles keep when it is short.
const tileShare = 4 // a quarter

func (c *Cache) list(e *cached) *list.List {
	if e.tile {
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
}

// NewCache returns a cache holding at most maxBytes (estimated).
func NewCache(maxBytes int64) *Cache {
	return &Cache{max: maxBytes, lru: list.New(), tiles: list.New(), items: map[string]*list.Element{}, flights: map[string]*flight{},
		computed: map[string]*atomic.Int64{}}
}

// Get returns the value under key, computing it with f when absent. kind
// names what f computes, for the counters. f returns the value and its
// estimated size in bytes; errors are not cached.
func (c *Cache) Get(ctx context.Context, kind, key string, f func(ctx context.Context) (any, int64, error)) (any, error) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		e := el.Value.(*cached)
		c.list(e).MoveToFront(el)
		e.used = c.gen
		c.mu.Unlock()
		return e.val, nil
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
	if fl.err == nil && size <= c.max {
		e := &cached{key: key, val: fl.val, size: size, used: c.gen, tile: kind == TileKind}
		c.items[key] = c.list(e).PushFront(e)
		c.add(e, 1)
		// Over budget: tiles go first while they hold more than their
		// share (or nothing else is left), then the least recently used.
		for c.used > c.max {
			l := c.lru
			if c.tiles.Len() > 0 && (c.tileUsed > c.max/tileShare || l.Len() == 0) {
				l = c.tiles
			}
			c.remove(l.Back())
		}
	}
	c.mu.Unlock()
	close(fl.done)
}

// Peek returns the value under key without computing it.
func (c *Cache) Peek(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		e := el.Value.(*cached)
		c.list(e).MoveToFront(el)
		e.used = c.gen
		return e.val, true
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
// would outgrow) fills.
func (c *Cache) Sweep(gen uint64) (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, bytes := 0, int64(0)
	for _, l := range []*list.List{c.lru, c.tiles} {
		for el := l.Back(); el != nil; {
			prev := el.Prev()
			if e := el.Value.(*cached); e.used < gen {
				c.remove(el)
				n, bytes = n+1, bytes+e.size
			}
			el = prev
		}
	}
	return n, bytes
}

// add counts e's bytes in (sign 1) or out (-1).
func (c *Cache) add(e *cached, sign int64) {
	c.used += sign * e.size
	if e.tile {
		c.tileUsed += sign * e.size
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
	Entries  int              `json:"entries"`
	Bytes    int64            `json:"bytes"`
	MaxBytes int64            `json:"max_bytes"`
	InFlight int              `json:"in_flight"`
	Computed map[string]int64 `json:"computed"`
}

// Stats returns the cache's current figures.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Stats{Entries: len(c.items), Bytes: c.used, MaxBytes: c.max, InFlight: len(c.flights), Computed: map[string]int64{}}
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
