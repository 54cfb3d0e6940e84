package api

import (
	"math"
	"net/http"
	"time"

	"fireplan/data"
)

// status reports the state of the data and the server: the version served
// and when it was loaded, the source, the last reload attempt and its
// error, rows per layer, the cache and the analyses computing and queued.
func (s *Server) status(w http.ResponseWriter, r *http.Request) error {
	out := map[string]any{"cache": s.cat.Cache.Stats(), "analyses": s.cat.Limit.Stats(), "scenarios": len(s.scen.List()), "status": "ok"}
	if s.opts.Watch != nil {
		st := s.opts.Watch.Status()
		out["source_status"] = st
		if st.Error != "" {
			out["status"] = "stale" // serving the last good data
		}
	}
	snap := s.store.Load()
	if snap == nil {
		out["status"] = "loading"
		return writeJSON(w, http.StatusOK, out)
	}
	layers := map[string]int{}
	for _, name := range data.LayerNames() {
		v, _ := snap.Layer(name)
		layers[name] = v.Len()
	}
	out["version"], out["source"], out["loaded_at"], out["layers"] = snap.VersionHex(), snap.Source, snap.LoadedAt.UTC().Format(time.RFC3339), layers
	// warm: every analysis is computed at its defaults for the data served.
	out["warm"] = s.warmed.Load() == int64(snap.Version)
	if out["warm"] == true {
		out["warm_took_s"] = math.Round(time.Duration(s.warmTook.Load()).Seconds()*10) / 10
	}
	return writeJSON(w, http.StatusOK, out)
}

// reload asks the watcher to reload now, changed or not; it answers at
// once (202) and /api/status tells how the reload went.
func (s *Server) reload(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Watch == nil {
		return errorf(http.StatusNotImplemented, "this server has no data source to reload")
	}
	s.opts.Watch.Reload()
	return writeJSON(w, http.StatusAccepted, map[string]any{"status": "reloading", "see": "/api/status"})
}
