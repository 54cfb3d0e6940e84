package coverage

import (
	"sync"

	"fireplan/data"
)

// maxCached bounds the parameter sets kept per snapshot.
const maxCached = 16

// Engine caches analyses per snapshot version and parameter set, computing
// each once even under concurrent requests. A newer snapshot drops the cache.
type Engine struct {
	mu        sync.Mutex
	version   uint64
	member    *lazy[*Membership]
	graphs    map[string]*lazy[graphAndSnapper]
	responses map[string]*lazy[*Response]
	streets   *lazy[*Streets]
	hydrants  map[string]*lazy[*Hydrants]
	clusters  map[string]*lazy[*Clusters]
}

type graphAndSnapper struct {
	g  *Graph
	sn *Snapper
}

// lazy is a value computed once, on first use.
type lazy[T any] struct {
	once sync.Once
	v    T
	f    func() T
}

func newLazy[T any](f func() T) *lazy[T] { return &lazy[T]{f: f} }

func (l *lazy[T]) get() T {
	l.once.Do(func() { l.v = l.f(); l.f = nil })
	return l.v
}

// NewEngine returns an empty engine.
func NewEngine() *Engine { return &Engine{} }

// prepare drops the cache when s is newer or the cache is full (n entries).
// Callers hold e.mu.
func (e *Engine) prepare(s *data.Snapshot, n int) {
	if s.Version == e.version && n < maxCached {
		return
	}
	e.version = s.Version
	e.member = newLazy(func() *Membership { return NewMembership(s) })
	e.graphs = map[string]*lazy[graphAndSnapper]{}
	e.responses = map[string]*lazy[*Response]{}
	e.streets = newLazy(func() *Streets { return NewStreets(s) })
	e.hydrants = map[string]*lazy[*Hydrants]{}
	e.clusters = map[string]*lazy[*Clusters]{}
}

// Clusters returns the rural cluster analysis of s under p, with first-crew
// arrival times from the response analysis under rp.
func (e *Engine) Clusters(s *data.Snapshot, p ClusterParams, rp Params) (*Clusters, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	res, err := e.Response(s, rp)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if s.Version < e.version {
		e.mu.Unlock()
		return NewClusters(s, p, res.Member, res), nil
	}
	e.prepare(s, len(e.clusters))
	key := p.Key() + "|" + rp.Key()
	cl := e.clusters[key]
	if cl == nil {
		cl = newLazy(func() *Clusters { return NewClusters(s, p, res.Member, res) })
		e.clusters[key] = cl
	}
	e.mu.Unlock()
	return cl.get(), nil
}

// Hydrants returns the hydrant analysis of s under p.
func (e *Engine) Hydrants(s *data.Snapshot, p HydrantParams) (*Hydrants, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	if s.Version < e.version {
		e.mu.Unlock()
		return NewHydrants(s, p, NewStreets(s), NewMembership(s)), nil
	}
	e.prepare(s, len(e.hydrants))
	hl := e.hydrants[p.Key()]
	if hl == nil {
		streets, member := e.streets, e.member
		hl = newLazy(func() *Hydrants { return NewHydrants(s, p, streets.get(), member.get()) })
		e.hydrants[p.Key()] = hl
	}
	e.mu.Unlock()
	return hl.get(), nil
}

// Response returns the response-time analysis of s under p.
func (e *Engine) Response(s *data.Snapshot, p Params) (*Response, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	if s.Version < e.version { // a request still holding an older snapshot
		e.mu.Unlock()
		g := BuildGraph(s, p)
		return NewResponse(s, p, g, NewSnapper(g), NewMembership(s)), nil
	}
	e.prepare(s, len(e.responses))
	gl := e.graphs[p.graphKey()]
	if gl == nil {
		gl = newLazy(func() graphAndSnapper {
			g := BuildGraph(s, p)
			return graphAndSnapper{g, NewSnapper(g)}
		})
		e.graphs[p.graphKey()] = gl
	}
	rl := e.responses[p.Key()]
	if rl == nil {
		member := e.member
		rl = newLazy(func() *Response {
			gs := gl.get()
			return NewResponse(s, p, gs.g, gs.sn, member.get())
		})
		e.responses[p.Key()] = rl
	}
	e.mu.Unlock()
	return rl.get(), nil
}
