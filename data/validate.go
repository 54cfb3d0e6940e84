package data

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// CheckGeometry reports why g cannot stand in a layer of kind k, or nil.
// Coordinates must be finite lon/lat; rings closed with four or more points,
// lines two or more. Topological validity (self-intersection) is judged by
// PostGIS on load, where ST_IsValidReason names the fault.
func CheckGeometry(k GeomKind, g orb.Geometry) *RowError {
	if g == nil {
		return rowErr(ReasonNullGeometry, "geometry is null")
	}
	if !typeFits(k, g) {
		return rowErr(ReasonWrongGeomType, "%s where %s is expected", g.GeoJSONType(), k)
	}
	if isEmpty(g) {
		return rowErr(ReasonEmptyGeometry, "%s has no coordinates", g.GeoJSONType())
	}
	var bad *RowError
	eachPoint(g, func(p orb.Point) {
		if bad != nil {
			return
		}
		switch {
		case math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0):
			bad = rowErr(ReasonBadCoordinate, "coordinate (%g %g) is not a number", p[0], p[1])
		case p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90:
			bad = rowErr(ReasonBadCoordinate, "coordinate (%g %g) is outside lon -180..180, lat -90..90", p[0], p[1])
		}
	})
	if bad != nil {
		return bad
	}
	return checkShape(g)
}

func typeFits(k GeomKind, g orb.Geometry) bool {
	switch g.(type) {
	case orb.Point:
		return k == PointGeom || k == PointOrPolygonGeom
	case orb.LineString, orb.MultiLineString:
		return k == LineGeom
	case orb.Polygon, orb.MultiPolygon:
		return k == PolygonGeom || k == PointOrPolygonGeom
	}
	return false
}

func isEmpty(g orb.Geometry) bool {
	n := 0
	eachPoint(g, func(orb.Point) { n++ })
	return n == 0
}

func eachPoint(g orb.Geometry, fn func(orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		fn(g)
	case orb.LineString:
		for _, p := range g {
			fn(p)
		}
	case orb.MultiLineString:
		for _, l := range g {
			eachPoint(l, fn)
		}
	case orb.Polygon:
		for _, r := range g {
			for _, p := range r {
				fn(p)
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			eachPoint(p, fn)
		}
	}
}

func checkShape(g orb.Geometry) *RowError {
	line := func(l orb.LineString) *RowError {
		if len(l) < 2 {
			return rowErr(ReasonInvalidGeometry, "line with %d point(s)", len(l))
		}
		if geoLength(l) == 0 {
			return rowErr(ReasonInvalidGeometry, "line of zero length")
		}
		return nil
	}
	poly := func(p orb.Polygon) *RowError {
		for i, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				return rowErr(ReasonInvalidGeometry, "ring %d is not closed or has fewer than 4 points", i)
			}
		}
		return nil
	}
	switch g := g.(type) {
	case orb.LineString:
		return line(g)
	case orb.MultiLineString:
		for _, l := range g {
			if err := line(l); err != nil {
				return err
			}
		}
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		for _, p := range g {
			if err := poly(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func geoLength(l orb.LineString) float64 {
	var s float64
	for i := 1; i < len(l); i++ {
		s += math.Abs(l[i][0]-l[i-1][0]) + math.Abs(l[i][1]-l[i-1][1])
	}
	return s
}

// collector validates rows of one layer and keeps the good ones.
type collector[T Feature] struct {
	schema Schema
	attrs  []attrMap // how each attribute gets its value (rows from a database)
	decode func(string, orb.Geometry, Values) T
	seen   map[string]struct{}
	items  []T
	rep    *LayerReport
	line   int // the row's line in a file, for its problems; 0 for a table
}

func (c *collector[T]) skip(id string, err *RowError) { c.rep.skipAt(id, c.line, err) }

func newCollector[T Feature](s Schema, decode func(string, orb.Geometry, Values) T, rep *LayerReport) *collector[T] {
	return &collector[T]{schema: s, decode: decode, seen: map[string]struct{}{}, rep: rep}
}

// add validates one row. invalid, when not empty, is the database's reason
// the geometry is not valid; raw holds attribute text by schema name.
func (c *collector[T]) add(id *string, g orb.Geometry, invalid string, raw map[string]*string) {
	if id == nil || *id == "" {
		c.skip("", rowErr(ReasonMissingID, "id is null or empty"))
		return
	}
	if mp, ok := g.(orb.MultiPoint); ok && len(mp) == 1 {
		g = mp[0] // shapefile imports often wrap points
	}
	if err := CheckGeometry(c.schema.Geom, g); err != nil {
		c.skip(*id, err)
		return
	}
	if invalid != "" {
		c.skip(*id, rowErr(ReasonInvalidGeometry, "%s", invalid))
		return
	}
	vals, err := c.values(raw)
	if err != nil {
		c.skip(*id, err)
		return
	}
	c.keep(c.decode(*id, g, vals))
}

// values resolves a row's attributes: a constant, or the source text
// through the value map, then the default where it is null, then the
// attribute's type. A bad optional value becomes null and is counted; a
// bad or missing required one skips the row. Source values no map or type
// accepts are counted for the report, in skipped rows too, so one run lists
// every value to map.
func (c *collector[T]) values(raw map[string]*string) (Values, *RowError) {
	out := make(Values, len(c.attrs))
	var nulled []string
	var defaulted []string
	var skip *RowError
	for i := range c.attrs {
		a := &c.attrs[i]
		if a.hasConst {
			out[a.Name] = a.constV
			continue
		}
		var src *string
		if p := raw[a.Name]; p != nil && strings.TrimSpace(*p) != "" {
			t := strings.TrimSpace(*p)
			src = &t
		}
		cur, mapped := src, false
		if src != nil && (a.values != nil || a.hasStar) {
			if t, ok := a.values[*src]; ok {
				cur, mapped = t, true
			} else if a.hasStar {
				cur, mapped = a.star, true
			}
		}
		if cur == nil || strings.TrimSpace(*cur) == "" {
			if a.def == nil {
				if a.Required {
					skip = cmp.Or(skip, rowErr(ReasonMissingAttribute, "%s is required", a.Name))
				}
				out[a.Name] = nil
				continue
			}
			cur = a.def
			defaulted = append(defaulted, a.Name)
		}
		v, err := a.parse(strings.TrimSpace(*cur))
		if err != nil {
			if !mapped && cur == src && a.coded() {
				c.rep.unmapped(a.Name, *src)
			}
			if a.Required {
				skip = cmp.Or(skip, err.(*RowError))
				continue
			}
			nulled = append(nulled, a.Name)
			v = nil
		}
		out[a.Name] = v
	}
	if skip != nil {
		return nil, skip
	}
	for _, n := range nulled {
		c.rep.warn(ReasonBadAttribute, n)
	}
	for _, n := range defaulted {
		c.rep.defaulted(n)
	}
	return out, nil
}

// coded reports whether the attribute takes a fixed set of values, those a
// "values" map is for.
func (f Field) coded() bool {
	return len(f.Enum) > 0 || f.Type == Bool || f.Type == Direction
}

// keep admits an already typed feature after the id and geometry checks.
func (c *collector[T]) keep(f T) {
	id := f.FeatureID()
	if id == "" {
		c.skip("", rowErr(ReasonMissingID, "id is empty"))
		return
	}
	if _, dup := c.seen[id]; dup {
		c.skip(id, rowErr(ReasonDuplicateID, "id %q appears more than once; the first row is kept", id))
		return
	}
	if err := CheckGeometry(c.schema.Geom, f.Geometry()); err != nil {
		c.skip(id, err)
		return
	}
	c.seen[id] = struct{}{}
	c.items = append(c.items, f)
	c.rep.Loaded++
}

func (e Problem) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s id=%q: %s: %s", e.Line, e.Layer, e.ID, e.Reason, e.Detail)
	}
	return fmt.Sprintf("%s id=%q: %s: %s", e.Layer, e.ID, e.Reason, e.Detail)
}
