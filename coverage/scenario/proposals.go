package scenario

import (
	"context"
	"fmt"
	"net/url"

	"fireplan/coverage"
	"fireplan/data"
)

// Gain is what the proposing analysis reported its sites would add.
type Gain struct {
	Analysis   string  `json:"analysis"`                 // stations or hydrants
	Households int     `json:"households"`               // newly covered within Minutes, or newly protected
	Minutes    float64 `json:"minutes,omitempty"`        // stations: the target
	Buildings  int     `json:"buildings,omitempty"`      // hydrants: buildings newly protected
	StreetM    float64 `json:"street_m,omitempty"`       // hydrants: street newly protected (m)
	CoveredNow int     `json:"covered_before,omitempty"` // stations: households within the target today
	Sites      int     `json:"sites"`                    // changes made
}

// proposers name the analysis each proposal kind reads.
var proposers = map[string]string{"stations": "station_siting", "hydrants": "hydrant_proposals"}

// FromProposals turns an analysis' proposals on base into a scenario that
// adds them (ids proposed-1, proposed-2... in rank order) and returns the
// gain the analysis reported. q holds analysis (stations: station_siting,
// with k, minutes, class...; hydrants: hydrant_proposals, with count...)
// and that analysis' parameters.
func FromProposals(ctx context.Context, cat *coverage.Catalog, base *data.Snapshot, q url.Values) (*Scenario, *Gain, error) {
	kind := q.Get("analysis")
	name, ok := proposers[kind]
	if !ok {
		return nil, nil, &coverage.ParamError{Msg: fmt.Sprintf("analysis must be stations or hydrants, not %q", kind)}
	}
	if kind == "hydrants" {
		// The year's batch, not the whole plan (count=0 lists every site,
		// thousands of changes in a county).
		q = cloneValues(q)
		switch c := q.Get("count"); c {
		case "":
			q.Set("count", "20")
		case "0":
			return nil, nil, &coverage.ParamError{Msg: fmt.Sprintf("count: a scenario takes 1 to %d proposed hydrants, not the whole plan (0)", MaxChanges)}
		}
	}
	e, _ := cat.Entry(name)
	v, err := e.Parse(q, "analysis")
	if err != nil {
		return nil, nil, err
	}
	t, err := cat.Table(ctx, e, base, v)
	if err != nil {
		return nil, nil, err
	}
	g := &Gain{Analysis: kind, Sites: t.Len()}
	sc := &Scenario{Name: fmt.Sprintf("%s proposals (%s)", kind, v.Key()), Changes: make([]Change, t.Len())}
	hh := column(t, "new_households")
	for i := range t.Len() {
		p := t.LonLat(i).Bound().Center()
		c := Change{Layer: data.LayerStations, Op: OpAdd, ID: fmt.Sprintf("proposed-%d", i+1), Lon: &p[0], Lat: &p[1]}
		if kind == "stations" {
			class, status := v.Get("class"), "active"
			c.Class, c.Status = &class, &status
		} else {
			kind, status := "municipal", "working"
			c.Layer, c.Kind, c.Status = data.LayerHydrants, &kind, &status
			g.Buildings += t.Value(i, column(t, "new_buildings")).(int)
			g.StreetM += t.Value(i, column(t, "new_street_m")).(float64)
		}
		g.Households += t.Value(i, hh).(int)
		sc.Changes[i] = c
	}
	if kind == "stations" {
		g.Minutes = v.Float("minutes")
		g.CoveredNow, _ = t.Meta["covered_before"].(int)
	}
	if len(sc.Changes) > MaxChanges {
		return nil, nil, &coverage.ParamError{Msg: fmt.Sprintf("%d proposals: a scenario takes at most %d changes (lower count or k)", len(sc.Changes), MaxChanges)}
	}
	if len(sc.Changes) == 0 {
		return nil, nil, &ChangeError{Index: -1, Field: "analysis", Msg: kind + ": nothing proposed"}
	}
	sc.setID()
	return sc, g, nil
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
