package scenario

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"fireplan/coverage"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// edits is one layer's items as the changes so far leave them: removed
// items are marked, not cut, so positions stay valid; the survivors keep
// their order and added items follow, as a load of the edited table would
// list them.
type edits[T data.Feature] struct {
	items   []T
	at      map[string]int
	gone    []bool
	touched bool
}

func newEdits[T data.Feature](items []T) *edits[T] {
	e := &edits[T]{items: items, at: make(map[string]int, len(items)), gone: make([]bool, len(items))}
	for i, it := range items {
		e.at[it.FeatureID()] = i
	}
	return e
}

// own copies the items before the first write: the base's are shared.
func (e *edits[T]) own() {
	if !e.touched {
		e.items, e.gone, e.touched = slices.Clone(e.items), slices.Clone(e.gone), true
	}
}

// get returns the live item called id for writing.
func (e *edits[T]) get(id string) (*T, bool) {
	i, ok := e.at[id]
	if !ok || e.gone[i] {
		return nil, false
	}
	e.own()
	return &e.items[i], true
}

func (e *edits[T]) add(it T) bool {
	if i, ok := e.at[it.FeatureID()]; ok && !e.gone[i] {
		return false
	}
	e.own()
	e.at[it.FeatureID()] = len(e.items)
	e.items, e.gone = append(e.items, it), append(e.gone, false)
	return true
}

func (e *edits[T]) remove(id string) bool {
	if _, ok := e.get(id); !ok {
		return false
	}
	e.gone[e.at[id]] = true
	return true
}

// restore brings back an item removed earlier.
func (e *edits[T]) restore(id string) bool {
	i, ok := e.at[id]
	if !ok || !e.gone[i] {
		return false
	}
	e.gone[i] = false
	return true
}

// result returns the edited layer, nil when no change touched it (Derive
// then keeps the base's layer and every cache key built on it).
func (e *edits[T]) result() *[]T {
	if !e.touched {
		return nil
	}
	out := make([]T, 0, len(e.items))
	for i, it := range e.items {
		if !e.gone[i] {
			out = append(out, it)
		}
	}
	return &out
}

func point(c *Change) orb.Point { return orb.Point{*c.Lon, *c.Lat} }

// Apply derives the scenario's snapshot from base. A change whose target
// is missing (an id set or removed that base lacks, an id added that base
// already has: after a reload, say) or that the load checks reject is left
// out and reported as a problem naming the change; the rest are applied.
func (sc *Scenario) Apply(base *data.Snapshot) (*data.Snapshot, []data.Problem, error) {
	if base == nil {
		return nil, nil, errors.New("scenario: no base snapshot")
	}
	snap, errs := sc.apply(base)
	problems := make([]data.Problem, len(errs))
	for k, e := range errs {
		c := sc.Changes[e.Index]
		problems[k] = data.Problem{Layer: c.Layer, ID: c.ID, Reason: "change_" + c.Op + "_not_applied", Detail: e.Error()}
	}
	return snap, problems, nil
}

func (sc *Scenario) apply(base *data.Snapshot) (*data.Snapshot, []*ChangeError) {
	stations, hydrants, roads := newEdits(base.Stations.Items), newEdits(base.Hydrants.Items), newEdits(base.Roads.Items)
	var errs []*ChangeError
	last := map[string]int{} // layer/id -> the last change applied to it
	for i := range sc.Changes {
		c := &sc.Changes[i]
		var ok bool
		switch c.Layer {
		case data.LayerStations:
			ok = apply(stations, c, func(id string) data.Station { return data.Station{ID: id} }, stationOf)
		case data.LayerHydrants:
			ok = apply(hydrants, c, func(id string) data.Hydrant { return data.Hydrant{ID: id} }, hydrantOf)
		case data.LayerRoads:
			switch {
			case c.Op == OpRemove || !*c.Passable:
				ok = roads.remove(c.ID)
			default: // passable again: reopens a road closed by an earlier change, else keeps it
				_, open := roads.get(c.ID)
				ok = open || roads.restore(c.ID)
			}
		}
		if !ok {
			what := fmt.Sprintf("no %s %q in the data", singular[c.Layer], c.ID)
			if c.Op == OpAdd {
				what = fmt.Sprintf("%s %q is already in the data", singular[c.Layer], c.ID)
			}
			errs = append(errs, bad(i, "id", "%s", what))
			continue
		}
		last[c.Layer+"/"+c.ID] = i
	}
	snap, rep := base.Derive("scenario "+sc.ID, data.Edit{Stations: stations.result(), Hydrants: hydrants.result(), Roads: roads.result()})
	for _, lr := range rep.Layers {
		for _, p := range lr.Problems {
			if i, ok := last[lr.Layer+"/"+p.ID]; ok {
				errs = append(errs, bad(i, "lon", "%s: %s", p.Reason, p.Detail))
			}
		}
	}
	slices.SortStableFunc(errs, func(a, b *ChangeError) int { return a.Index - b.Index })
	return snap, errs
}

var singular = map[string]string{data.LayerStations: "station", data.LayerHydrants: "hydrant", data.LayerRoads: "road"}

// apply carries out c on e: with sets the fields c gives on an item, blank
// makes the item an add starts from. It tells whether c's target was there
// (or, for an add, was not).
func apply[T data.Feature](e *edits[T], c *Change, blank func(id string) T, with func(T, *Change) T) bool {
	switch c.Op {
	case OpRemove:
		return e.remove(c.ID)
	case OpAdd:
		return e.add(with(blank(c.ID), c))
	}
	it, ok := e.get(c.ID)
	if ok {
		*it = with(*it, c)
	}
	return ok
}

// stationOf returns s with the fields c gives.
func stationOf(s data.Station, c *Change) data.Station {
	if c.Lon != nil {
		s.Geom = point(c)
	}
	if c.Class != nil {
		s.Class = *c.Class
	}
	if c.Status != nil {
		s.Status = *c.Status
	}
	if c.Name != nil {
		s.Name = *c.Name
	}
	if c.TurnoutS != nil {
		s.TurnoutS = c.TurnoutS
	}
	return s
}

// hydrantOf returns h with the fields c gives.
func hydrantOf(h data.Hydrant, c *Change) data.Hydrant {
	if c.Lon != nil {
		h.Geom = point(c)
	}
	if c.Kind != nil {
		h.Kind = *c.Kind
	}
	if c.Status != nil {
		h.Status = *c.Status
	}
	if c.FlowLPS != nil {
		h.FlowLPS = c.FlowLPS
	}
	return h
}

// Validate applies the scenario to base as a new scenario must apply:
// every change to a target that exists, and every station added or moved
// within station_snap_m of a road a truck can use (at the catalogue's
// defaults, in the scenario's own roads). It returns the scenario's
// snapshot, or the first change at fault as a *ChangeError.
func (sc *Scenario) Validate(ctx context.Context, cat *coverage.Catalog, base *data.Snapshot) (*data.Snapshot, error) {
	snap, errs := sc.apply(base)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	e, _ := cat.Entry("coverage_summary")
	v := e.Defaults()
	for i, c := range sc.Changes {
		if c.Layer != data.LayerStations || c.Lon == nil {
			continue
		}
		ok, err := cat.NearTruckRoad(ctx, snap, v, point(&c))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, bad(i, "lon", "station %q stands farther than %s m from every road a truck can use", c.ID, v.Get("station_snap_m"))
		}
	}
	return snap, nil
}
