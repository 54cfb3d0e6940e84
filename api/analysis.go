package api

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"fireplan/coverage"
	"fireplan/coverage/export"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// listParams are what every analysis route takes beside its own: lang
// titles and labels a spreadsheet, by=township splits a workbook (an
// entry with a by of its own keeps that).
var listParams = []string{"format", "bbox", "township", "limit", "offset", "scenario", "lang", "by"}

// analysis serves one catalogue entry's rows: parameters checked against
// its declaration, the table from the cache, filtered by bbox and paged,
// written in the format asked for.
func (s *Server) analysis(e *coverage.Entry) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		v, err := e.Parse(q, listParams...)
		if err != nil {
			return err
		}
		format := q.Get("format")
		if format == "" {
			format = export.Default(e)
		}
		o := export.Options{Lang: q.Get("lang"), Values: v}
		if o.Lang == "" {
			o.Lang = export.Langs[0]
		}
		if _, own := e.Param("by"); !own {
			o.By = q.Get("by")
		}
		if err := export.Check(e, format, o); err != nil {
			return errorf(http.StatusBadRequest, "%v", err)
		}
		snap, err := s.snapshotFor(r)
		if err != nil {
			return err
		}
		if id := q.Get("township"); id != "" && !hasTownship(snap, id) {
			// A mistyped code must not read as "no shortfall here".
			return errorf(http.StatusBadRequest, "township: no township %q (GET /api/layers/townships/items lists them)", id)
		}
		// The answer depends on nothing else: a client holding it is told
		// so before anything is computed.
		tag := etag(snap.VersionHex(), e.Name, v.Key()+"|"+q.Get("format")+"|"+q.Get("bbox")+"|"+q.Get("township")+"|"+q.Get("limit")+
			"|"+q.Get("offset")+"|"+o.Lang+"|"+o.By)
		w.Header().Set("ETag", tag)
		w.Header().Set("Cache-Control", "no-cache")
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		t, err := s.cat.Table(r.Context(), e, snap, v)
		if err != nil {
			return err
		}
		rows, matched, err := s.pageRows(q, e, t)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", export.ContentType(format))
		if format == "csv" || format == "xlsx" {
			name := fileName(e, v)
			if o.By != "" {
				name += "-by=" + o.By
			}
			w.Header().Set("Content-Disposition", disposition(name, e.Title.In(o.Lang), format))
		}
		o.Extra = map[string]any{"name": e.Name, "version": snap.VersionHex(), "parameters": v.Map(),
			"numberMatched": matched, "numberReturned": len(rows)}
		o.County, o.Date = coverage.County(snap), snap.LoadedAt
		sw := &startedWriter{w: w}
		if err := export.Write(sw, format, e, t, rows, o); err != nil {
			if !sw.started {
				return err
			}
			// The status line is out: a failed write (mostly a client gone
			// away) can only end the response, not become an error body.
			s.log.Debug("writing response", "path", r.URL.Path, "err", err)
		}
		return nil
	}
}

// startedWriter tells whether anything reached the response.
type startedWriter struct {
	w       io.Writer
	started bool
}

func (s *startedWriter) Write(b []byte) (int, error) {
	s.started = true
	return s.w.Write(b)
}

// disposition names a download twice: ascii for old clients, and the
// entry's title in the request's language for the rest (RFC 6266), so a
// planner's download folder reads 覆盖缺口.xlsx.
func disposition(ascii, title, format string) string {
	var b strings.Builder
	for _, c := range []byte(title + "." + format) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c) // an attr-char of RFC 8187
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return fmt.Sprintf(`attachment; filename=%q; filename*=UTF-8''%s`, ascii+"."+format, b.String())
}

// fileName names a download after the entry and its non-default values.
func fileName(e *coverage.Entry, v coverage.Values) string {
	name := e.Name
	for _, p := range e.Params {
		if val := v.Get(p.Name); val != p.Default {
			name += "-" + p.Name + "=" + url.PathEscape(val)
		}
	}
	return name
}

// pageRows returns the rows in the request's bbox (every row without one),
// paged by limit and offset when given, with the number matched.
func (s *Server) pageRows(q url.Values, e *coverage.Entry, t *coverage.Table) ([]int, int, error) {
	rows, err := tableHits(q, e, t)
	if err != nil {
		return nil, 0, err
	}
	if id := q.Get("township"); id != "" {
		if rows, err = inTownship(rows, t, id); err != nil {
			return nil, 0, err
		}
	}
	page, err := window(s, q, rows, true)
	return page, len(rows), err
}

// hasTownship tells whether snap has a township with id.
func hasTownship(snap *data.Snapshot, id string) bool {
	for i := range snap.Townships.Items {
		if snap.Townships.Items[i].ID == id {
			return true
		}
	}
	return false
}

// inTownship keeps the rows placed in the township with id: an analyst's
// shortfall list for one township, at any county's size.
func inTownship(rows []int, t *coverage.Table, id string) ([]int, error) {
	c := t.Column("township_id")
	if c < 0 {
		return nil, errorf(http.StatusBadRequest, "township: these rows are not placed in townships")
	}
	kept := rows[:0]
	for _, i := range rows {
		if v, _ := t.Value(i, c).(string); v == id {
			kept = append(kept, i)
		}
	}
	return kept, nil
}

// tableHits returns the rows of t in the request's bbox (every row
// without one), in the table's order: /api and /ogc page the same rows.
func tableHits(q url.Values, e *coverage.Entry, t *coverage.Table) ([]int, error) {
	rows := []int{}
	if bb := q.Get("bbox"); bb != "" {
		if e.Geometry == "" { // not !t.HasGeoms(): an empty map table has none either
			return nil, errorf(http.StatusBadRequest, "bbox: this table has no geometry")
		}
		b, err := parseBBox(bb)
		if err != nil {
			return nil, err
		}
		// Rows far from the box are told by their metric bound, without
		// projecting them back: a province's buildings are millions.
		cover := t.Proj.ForwardCover(b)
		for i := range t.Len() {
			g := t.Geom(i)
			if g == nil || !g.Bound().Intersects(cover) {
				continue
			}
			if gb := t.LonLat(i).Bound(); gb.Intersects(b) {
				rows = append(rows, i)
			}
		}
	} else {
		rows = make([]int, t.Len())
		for i := range rows {
			rows[i] = i
		}
	}
	return rows, nil
}

// catalog lists every layer and analysis with its parameters and columns.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"entries": s.cat.Entries})
}

// layerBound is the lon/lat extent a TileJSON announces: the townships, or
// the roads where a county has none.
func layerBound(snap *data.Snapshot) orb.Bound {
	if snap.Townships.Len() > 0 {
		return snap.Townships.Bound()
	}
	return snap.Roads.Bound()
}
