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
	if s.Version != e.version || len(e.responses) >= maxCached {
		e.version = s.Version
		e.member = newLazy(func() *Membership { return NewMembership(s) })
		e.graphs = map[string]*lazy[graphAndSnapper]{}
		e.responses = map[string]*lazy[*Response]{}
	}
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
