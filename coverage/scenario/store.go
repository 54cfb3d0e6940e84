package scenario

import (
	"errors"
	"slices"
	"sync"
	"time"

	"fireplan/data"
)

// ErrNotFound is a scenario the store does not hold: never added, deleted,
// evicted or expired.
var ErrNotFound = errors.New("no such scenario")

// Store holds scenarios in memory: at most max (the oldest goes first) and
// none older than ttl. Each remembers its snapshot for the last base
// version it was applied to, so requests on one scenario derive it once
// per reload. It is safe for concurrent use.
type Store struct {
	max int
	ttl time.Duration
	now func() time.Time

	mu   sync.Mutex
	byID map[string]*stored
}

type stored struct {
	sc *Scenario

	mu       sync.Mutex // held while deriving, so concurrent requests derive once
	base     uint64     // version snap was derived from
	snap     *data.Snapshot
	problems []data.Problem
}

// NewStore returns a store of at most most scenarios (at least one), each
// kept for ttl.
func NewStore(most int, ttl time.Duration) *Store {
	return &Store{max: max(1, most), ttl: ttl, now: time.Now, byID: map[string]*stored{}}
}

// prune drops expired scenarios; st.mu is held.
func (st *Store) prune() {
	cut := st.now().Add(-st.ttl)
	for id, s := range st.byID {
		if s.sc.Created.Before(cut) {
			delete(st.byID, id)
		}
	}
}

// Add keeps sc, stamped now, and returns it. Adding a scenario the store
// holds (the same changes) renews it under the new name.
func (st *Store) Add(sc *Scenario) *Scenario {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.prune()
	sc.Created = st.now()
	if s, ok := st.byID[sc.ID]; ok {
		cp := *s.sc
		cp.Name, cp.Created = sc.Name, sc.Created
		s.sc = &cp
		return &cp
	}
	for len(st.byID) >= st.max {
		var oldest *stored
		for _, s := range st.byID {
			if oldest == nil || s.sc.Created.Before(oldest.sc.Created) {
				oldest = s
			}
		}
		delete(st.byID, oldest.sc.ID)
	}
	st.byID[sc.ID] = &stored{sc: sc}
	return sc
}

func (st *Store) get(id string) (*stored, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.prune()
	s, ok := st.byID[id]
	return s, ok
}

// Get returns the scenario called id.
func (st *Store) Get(id string) (*Scenario, bool) {
	s, ok := st.get(id)
	if !ok {
		return nil, false
	}
	return s.sc, true
}

// List returns the scenarios, oldest first.
func (st *Store) List() []*Scenario {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.prune()
	out := make([]*Scenario, 0, len(st.byID))
	for _, s := range st.byID {
		out = append(out, s.sc)
	}
	slices.SortFunc(out, func(a, b *Scenario) int { return a.Created.Compare(b.Created) })
	return out
}

// Delete drops the scenario called id and tells whether it was held.
func (st *Store) Delete(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.byID[id]
	delete(st.byID, id)
	return ok
}

// Snapshot returns scenario id applied to base, and the changes it could
// not apply there: derived on the first request for base's version, then
// remembered until the base changes.
func (st *Store) Snapshot(id string, base *data.Snapshot) (*data.Snapshot, []data.Problem, error) {
	s, ok := st.get(id)
	if !ok {
		return nil, nil, ErrNotFound
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap == nil || s.base != base.Version {
		snap, problems, err := s.sc.Apply(base)
		if err != nil {
			return nil, nil, err
		}
		s.base, s.snap, s.problems = base.Version, snap, problems
	}
	return s.snap, s.problems, nil
}
