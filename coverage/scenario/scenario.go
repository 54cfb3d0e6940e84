// Package scenario turns a planner's what-if (stations added or moved,
// hydrants dropped or removed, a bridge closed) into a snapshot every
// analysis reads as if the changes were in the data, and reports what
// changed against the baseline.
//
// A scenario holds changes, not data: Apply derives its snapshot from
// whatever base is current (data.Snapshot.Derive shares the roads, graphs
// and indexes the changes leave alone), so it survives a reload, and a
// change whose target has gone is reported rather than fatal. Parse checks
// what a body can say on its own; Validate what needs the data.
package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"fireplan/data"
)

// Limits on a scenario body.
const (
	MaxBytes   = 1 << 20 // body size
	MaxChanges = 500
	maxText    = 200 // bytes of an id or a name
)

// Ops a change may name.
const (
	OpAdd    = "add"
	OpSet    = "set"
	OpRemove = "remove"
)

// Change is one edit of one feature. Only the fields its layer and op
// allow are set; the pointers tell a field given from one left out.
type Change struct {
	Layer    string   `json:"layer"`
	Op       string   `json:"op"`
	ID       string   `json:"id"`
	Lon      *float64 `json:"lon,omitempty"`
	Lat      *float64 `json:"lat,omitempty"`
	Class    *string  `json:"class,omitempty"`
	Kind     *string  `json:"kind,omitempty"`
	Status   *string  `json:"status,omitempty"`
	Name     *string  `json:"name,omitempty"`
	TurnoutS *float64 `json:"turnout_s,omitempty"` // seconds
	FlowLPS  *float64 `json:"flow_lps,omitempty"`  // litres per second
	Passable *bool    `json:"passable,omitempty"`
}

// Scenario is a named list of changes. ID is the first 12 hex digits of
// the SHA-256 of the changes' canonical JSON: the same changes, the same id.
type Scenario struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Changes []Change  `json:"changes"`
	Created time.Time `json:"created"`
}

// ChangeError is what is wrong with a body: the change (0-based; -1 for
// the body as a whole) and the field at fault.
type ChangeError struct {
	Index int
	Field string
	Msg   string
	Err   error // the cause, when reading the body failed
}

func (e *ChangeError) Unwrap() error { return e.Err }

func (e *ChangeError) Error() string {
	if e.Index < 0 {
		return e.Msg
	}
	return fmt.Sprintf("change %d: %s", e.Index, e.Msg)
}

func bad(i int, field, format string, args ...any) *ChangeError {
	return &ChangeError{Index: i, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// rule is what a layer's op accepts: the fields it may carry and those it must.
type rule struct{ allowed, required []string }

var rules = map[string]map[string]rule{
	data.LayerStations: {
		OpAdd:    {[]string{"lon", "lat", "class", "name", "status", "turnout_s"}, []string{"lon", "lat", "class"}},
		OpSet:    {[]string{"lon", "lat", "class", "name", "status", "turnout_s"}, nil},
		OpRemove: {},
	},
	data.LayerHydrants: {
		OpAdd:    {[]string{"lon", "lat", "kind", "status", "flow_lps"}, []string{"lon", "lat"}},
		OpSet:    {[]string{"lon", "lat", "kind", "status", "flow_lps"}, nil},
		OpRemove: {},
	},
	data.LayerRoads: {
		OpSet:    {[]string{"passable"}, []string{"passable"}},
		OpRemove: {},
	},
}

// Parse reads a scenario body, {"name": ..., "changes": [...]}, checking
// everything it can say without the data: layers, ops and fields known,
// values of the right type and range, no id added twice, at most
// MaxChanges changes in at most MaxBytes. Defaults are filled in (a new
// station is active, a new hydrant a working municipal one), so equal
// scenarios get equal ids.
func Parse(r io.Reader) (*Scenario, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil { // the caller may tell a body over its limit (*http.MaxBytesError) by Err
		e := bad(-1, "", "reading the body: %v", err)
		e.Err = err
		return nil, e
	}
	if len(body) > MaxBytes {
		return nil, bad(-1, "", "body over %d bytes", MaxBytes)
	}
	var raw struct {
		Name    string            `json:"name"`
		Changes []json.RawMessage `json:"changes"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, bad(-1, strings.Trim(f, `"`), "unknown field %s (known: name, changes)", f)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			where := "the body"
			if te.Field != "" {
				where = te.Field
			}
			return nil, bad(-1, te.Field, `%s is a JSON %s; want {"name": "...", "changes": [{"layer": ..., "op": ..., "id": ...}, ...]}`, where, te.Value)
		}
		return nil, bad(-1, "", "malformed JSON: %v", err)
	}
	if dec.More() {
		return nil, bad(-1, "", "malformed JSON: more than one value")
	}
	switch {
	case len(raw.Name) > maxText:
		return nil, bad(-1, "name", "name over %d bytes", maxText)
	case len(raw.Changes) == 0:
		return nil, bad(-1, "changes", "no changes")
	case len(raw.Changes) > MaxChanges:
		return nil, bad(MaxChanges, "changes", "more than %d changes", MaxChanges)
	}
	sc := &Scenario{Name: raw.Name, Changes: make([]Change, len(raw.Changes))}
	added := map[string]int{} // layer/id -> change adding it
	for i, rc := range raw.Changes {
		c, err := parseChange(i, rc)
		if err != nil {
			return nil, err
		}
		if c.Op == OpAdd {
			k := c.Layer + "/" + c.ID
			if j, dup := added[k]; dup {
				return nil, bad(i, "id", "%s %q is added twice (also by change %d)", c.Layer, c.ID, j)
			}
			added[k] = i
		}
		sc.Changes[i] = c
	}
	sc.setID()
	return sc, nil
}

// setID names the scenario after its changes' canonical JSON: Change's
// fields in declaration order, defaults filled in, numbers as Go writes them.
func (sc *Scenario) setID() {
	canon, _ := json.Marshal(sc.Changes) // plain values: cannot fail
	sum := sha256.Sum256(canon)
	sc.ID = hex.EncodeToString(sum[:])[:12]
}

func parseChange(i int, rc json.RawMessage) (Change, error) {
	var c Change
	var m map[string]json.RawMessage
	if err := json.Unmarshal(rc, &m); err != nil || m == nil {
		return c, bad(i, "", "a change must be an object")
	}
	str := func(field string) (string, error) {
		var s string
		if err := json.Unmarshal(m[field], &s); err != nil {
			return "", bad(i, field, "%s must be a string", field)
		}
		return s, nil
	}
	var err error
	if c.Layer, err = str("layer"); err != nil {
		return c, err
	}
	ops, ok := rules[c.Layer]
	if !ok {
		return c, bad(i, "layer", "unknown layer %q (known: %s)", c.Layer, strings.Join(sortedKeys(rules), ", "))
	}
	if c.Op, err = str("op"); err != nil {
		return c, err
	}
	ru, ok := ops[c.Op]
	if !ok {
		return c, bad(i, "op", "op %q is not one of %s for %s", c.Op, strings.Join(sortedKeys(ops), ", "), c.Layer)
	}
	if c.ID, err = str("id"); err != nil {
		return c, err
	}
	if c.ID == "" || len(c.ID) > maxText {
		return c, bad(i, "id", "id must be 1 to %d bytes", maxText)
	}
	for _, k := range sortedKeys(m) {
		if k != "layer" && k != "op" && k != "id" && !slices.Contains(ru.allowed, k) {
			return c, bad(i, k, "unknown field %q for %s %s (known: %s)", k, c.Op, c.Layer, strings.Join(append([]string{"layer", "op", "id"}, ru.allowed...), ", "))
		}
	}
	for _, k := range ru.required {
		if _, ok := m[k]; !ok {
			return c, bad(i, k, "%s %s needs %s", c.Op, c.Layer, k)
		}
	}
	if c.Op == OpSet && len(m) == 3 {
		return c, bad(i, "", "set %s changes nothing: give one of %s", c.Layer, strings.Join(ru.allowed, ", "))
	}
	if _, lon := m["lon"]; lon != (m["lat"] != nil) {
		field := "lat"
		if !lon {
			field = "lon"
		}
		return c, bad(i, field, "lon and lat go together")
	}
	num := func(field string, lo, hi float64) (*float64, error) {
		raw, ok := m[field]
		if !ok {
			return nil, nil
		}
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil || !(f >= lo && f <= hi) {
			return nil, bad(i, field, "%s must be a number from %g to %g", field, lo, hi)
		}
		return &f, nil
	}
	enum := func(field string, values []string) (*string, error) {
		if _, ok := m[field]; !ok {
			return nil, nil
		}
		s, err := str(field)
		if err == nil && !slices.Contains(values, s) {
			err = bad(i, field, "%s %q is not one of %s", field, s, strings.Join(values, ", "))
		}
		return &s, err
	}
	statuses := data.HydrantStatuses
	if c.Layer == data.LayerStations {
		statuses = data.StationStatuses
	}
	if c.Lon, err = num("lon", -180, 180); err != nil {
		return c, err
	}
	if c.Lat, err = num("lat", -90, 90); err != nil {
		return c, err
	}
	if c.TurnoutS, err = num("turnout_s", 0, 3600); err != nil {
		return c, err
	}
	if c.FlowLPS, err = num("flow_lps", 0, 10000); err != nil {
		return c, err
	}
	if c.Class, err = enum("class", data.StationClasses); err != nil {
		return c, err
	}
	if c.Status, err = enum("status", statuses); err != nil {
		return c, err
	}
	if c.Kind, err = enum("kind", data.HydrantKinds); err != nil {
		return c, err
	}
	if _, ok := m["name"]; ok {
		s, err := str("name")
		if err == nil && len(s) > maxText {
			err = bad(i, "name", "name over %d bytes", maxText)
		}
		if err != nil {
			return c, err
		}
		c.Name = &s
	}
	if raw, ok := m["passable"]; ok {
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return c, bad(i, "passable", "passable must be true or false")
		}
		c.Passable = &b
	}
	if c.Op == OpAdd {
		def := func(p **string, v string) {
			if *p == nil {
				*p = &v
			}
		}
		switch c.Layer {
		case data.LayerStations:
			def(&c.Status, "active")
		case data.LayerHydrants:
			def(&c.Kind, "municipal")
			def(&c.Status, "working")
		}
	}
	return c, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
