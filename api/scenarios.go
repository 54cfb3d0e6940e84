package api

import (
	"errors"
	"net/http"

	"fireplan/coverage/scenario"
	"fireplan/data"

	"github.com/gorilla/mux"
)

// scenarioView is a scenario as the API shows it: applied to the current
// snapshot, with what could not be applied there.
type scenarioView struct {
	*scenario.Scenario
	BaseVersion  string         `json:"base_version"`
	Version      string         `json:"version"`
	Problems     []data.Problem `json:"problems"`
	ReportedGain *scenario.Gain `json:"reported_gain,omitempty"`
}

func (s *Server) view(sc *scenario.Scenario, base *data.Snapshot) (*scenarioView, error) {
	snap, problems, err := s.scen.Snapshot(sc.ID, base)
	if errors.Is(err, scenario.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, "no scenario %q (it may have expired)", sc.ID)
	}
	if err != nil {
		return nil, err
	}
	if problems == nil {
		problems = []data.Problem{}
	}
	return &scenarioView{Scenario: sc, BaseVersion: base.VersionHex(), Version: snap.VersionHex(), Problems: problems}, nil
}

// created stores a checked scenario and answers 201 with where it lives.
func (s *Server) created(w http.ResponseWriter, r *http.Request, sc *scenario.Scenario, base *data.Snapshot, gain *scenario.Gain) error {
	if _, err := sc.Validate(r.Context(), s.cat, base); err != nil {
		return err
	}
	sc = s.scen.Add(sc)
	v, err := s.view(sc, base)
	if err != nil {
		return err
	}
	v.ReportedGain = gain
	w.Header().Set("Location", "/api/scenarios/"+sc.ID)
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) postScenario(w http.ResponseWriter, r *http.Request) error {
	base, err := s.snapshot()
	if err != nil {
		return err
	}
	// The route bounds the body (Route.Body): one over the limit is a 413.
	sc, err := scenario.Parse(r.Body)
	if err != nil {
		return err
	}
	return s.created(w, r, sc, base, nil)
}

func (s *Server) scenarioFromProposals(w http.ResponseWriter, r *http.Request) error {
	base, err := s.snapshot()
	if err != nil {
		return err
	}
	sc, gain, err := scenario.FromProposals(r.Context(), s.cat, base, r.URL.Query())
	if err != nil {
		return err
	}
	return s.created(w, r, sc, base, gain)
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) error {
	base, err := s.snapshot()
	if err != nil {
		return err
	}
	out := []*scenarioView{}
	for _, sc := range s.scen.List() {
		v, err := s.view(sc, base)
		if err != nil {
			continue // expired since listed
		}
		out = append(out, v)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"scenarios": out})
}

// scenarioOf returns the scenario the path names.
func (s *Server) scenarioOf(r *http.Request) (*scenario.Scenario, error) {
	id := mux.Vars(r)["id"]
	sc, ok := s.scen.Get(id)
	if !ok {
		return nil, errorf(http.StatusNotFound, "no scenario %q (it may have expired)", id)
	}
	return sc, nil
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scenarioOf(r)
	if err != nil {
		return err
	}
	base, err := s.snapshot()
	if err != nil {
		return err
	}
	v, err := s.view(sc, base)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) deleteScenario(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	if !s.scen.Delete(id) {
		return errorf(http.StatusNotFound, "no scenario %q", id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// scenarioDiff compares the scenario with the current data; the query
// takes coverage_summary's and hydrant_gaps' parameters.
func (s *Server) scenarioDiff(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scenarioOf(r)
	if err != nil {
		return err
	}
	base, err := s.snapshot()
	if err != nil {
		return err
	}
	scen, _, err := s.scen.Snapshot(sc.ID, base)
	if err != nil {
		return errorf(http.StatusNotFound, "no scenario %q (it may have expired)", sc.ID)
	}
	if r.URL.Query().Has("format") {
		return errorf(http.StatusBadRequest, "format: a scenario's diff is one JSON report, not a list; "+
			"every analysis takes scenario=%s for its lists in any format", sc.ID)
	}
	d, err := scenario.Diff(r.Context(), s.cat, base, scen, r.URL.Query(), scenario.ReportAll)
	if err != nil {
		return err
	}
	d.ID = sc.ID
	return writeJSON(w, http.StatusOK, d)
}
