package tiles

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// CheckMVT decodes a vector tile (plain or gzipped) down to its geometry
// command integers and returns the first violation of the Mapbox Vector
// Tile 2.1 spec it finds, nil when there is none. It checks what spec
// decoders (GDAL, QGIS, orb's mvt.Unmarshal) rely on to rebuild shapes:
// protobuf framing, layer version and extent, tag pairs within the layer's
// keys and values, command ids and counts per geometry type (one MoveTo for
// points; MoveTo(1) LineTo(>=1) per line; MoveTo(1) LineTo(>=2)
// ClosePath(1) per ring), no zero-length LineTo, no ring repeating its
// first point before ClosePath, no ring without area, and winding by the
// spec's surveyor's formula in tile units: each polygon begins with an
// exterior ring (positive area), holes (negative) follow it. It does not
// look for self-intersections or holes outside their exterior.
func CheckMVT(tile []byte) error {
	if len(tile) >= 2 && tile[0] == 0x1f && tile[1] == 0x8b {
		b, err := Gunzip(tile)
		if err != nil {
			return fmt.Errorf("mvt: gzip: %w", err)
		}
		tile = b
	}
	var c checker
	for i := 0; len(tile) > 0; {
		field, wire, _, data, rest, err := nextField(tile)
		if err != nil {
			return fmt.Errorf("mvt: tile: %w", err)
		}
		tile = rest
		if field != 3 {
			continue // unknown fields are allowed
		}
		if wire != wireLen {
			return fmt.Errorf("mvt: tile: layers field has wire type %d", wire)
		}
		if err := c.layer(data); err != nil {
			return fmt.Errorf("mvt: layer %d %q: %w", i, c.name, err)
		}
		i++
	}
	return nil
}

// checker holds one layer's state while it is checked.
type checker struct {
	name              string
	maxKey, maxVal    int64 // highest tag indices used, -1: none
	keys, vals        int
	version, extent   uint64
	hasVer, hasExtent bool
}

func (c *checker) layer(b []byte) error {
	*c = checker{maxKey: -1, maxVal: -1}
	hasName, feature := false, 0
	for len(b) > 0 {
		field, wire, v, data, rest, err := nextField(b)
		if err != nil {
			return err
		}
		b = rest
		switch field {
		case 15:
			if wire != wireVarint {
				return fmt.Errorf("version has wire type %d", wire)
			}
			c.version, c.hasVer = v, true
		case 1:
			if wire != wireLen {
				return fmt.Errorf("name has wire type %d", wire)
			}
			c.name, hasName = string(data), true
		case 2:
			if wire != wireLen {
				return fmt.Errorf("feature has wire type %d", wire)
			}
			if err := c.feature(data); err != nil {
				return fmt.Errorf("feature %d: %w", feature, err)
			}
			feature++
		case 3:
			c.keys++
		case 4:
			c.vals++
		case 5:
			if wire != wireVarint {
				return fmt.Errorf("extent has wire type %d", wire)
			}
			c.extent, c.hasExtent = v, true
		}
	}
	switch {
	case !hasName || c.name == "":
		return errors.New("layer without a name")
	case !c.hasVer || c.version != 2:
		return fmt.Errorf("version %d, want 2", c.version)
	case c.hasExtent && c.extent == 0:
		return errors.New("extent 0")
	case c.maxKey >= int64(c.keys):
		return fmt.Errorf("tag key index %d beyond %d keys", c.maxKey, c.keys)
	case c.maxVal >= int64(c.vals):
		return fmt.Errorf("tag value index %d beyond %d values", c.maxVal, c.vals)
	}
	return nil
}

func (c *checker) feature(b []byte) error {
	var typ uint64
	var tags, geom []byte
	for len(b) > 0 {
		field, wire, v, data, rest, err := nextField(b)
		if err != nil {
			return err
		}
		b = rest
		switch field {
		case 2:
			if wire != wireLen {
				return fmt.Errorf("tags have wire type %d", wire)
			}
			tags = data
		case 3:
			if wire != wireVarint {
				return fmt.Errorf("type has wire type %d", wire)
			}
			typ = v
		case 4:
			if wire != wireLen {
				return fmt.Errorf("geometry has wire type %d", wire)
			}
			geom = data
		}
	}
	for n := 0; len(tags) > 0; n++ {
		x, k := binary.Uvarint(tags)
		if k <= 0 {
			return errors.New("tags: bad varint")
		}
		tags = tags[k:]
		if n%2 == 0 {
			c.maxKey = max(c.maxKey, int64(x))
		} else {
			c.maxVal = max(c.maxVal, int64(x))
		}
		if n%2 == 0 && len(tags) == 0 {
			return errors.New("odd number of tags")
		}
	}
	return checkGeometry(typ, geom)
}

// geomReader walks packed geometry integers.
type geomReader struct {
	b    []byte
	x, y int64 // cursor
	pos  int   // integers read
}

func (r *geomReader) next() (uint32, error) {
	if len(r.b) == 0 {
		return 0, fmt.Errorf("geometry ends at integer %d", r.pos)
	}
	v, k := binary.Uvarint(r.b)
	if k <= 0 || v > 1<<32-1 {
		return 0, fmt.Errorf("geometry integer %d: bad varint", r.pos)
	}
	r.b = r.b[k:]
	r.pos++
	return uint32(v), nil
}

func (r *geomReader) command() (id, count uint32, err error) {
	v, err := r.next()
	return v & 7, v >> 3, err
}

// point reads one parameter pair and returns its delta.
func (r *geomReader) point() (dx, dy int64, err error) {
	a, err := r.next()
	if err != nil {
		return 0, 0, err
	}
	b, err := r.next()
	if err != nil {
		return 0, 0, err
	}
	dx, dy = int64(int32(a>>1)^-int32(a&1)), int64(int32(b>>1)^-int32(b&1))
	r.x += dx
	r.y += dy
	return dx, dy, nil
}

func checkGeometry(typ uint64, b []byte) error {
	r := &geomReader{b: b}
	if len(b) == 0 {
		return errors.New("no geometry")
	}
	switch typ {
	case typePoint:
		id, n, err := r.command()
		if err != nil {
			return err
		}
		if id != cmdMoveTo || n == 0 {
			return fmt.Errorf("point: command %d count %d, want MoveTo with a count", id, n)
		}
		for i := uint32(0); i < n; i++ {
			if _, _, err := r.point(); err != nil {
				return err
			}
		}
		if len(r.b) > 0 {
			return fmt.Errorf("point: integers after the MoveTo at %d", r.pos)
		}
	case typeLine:
		for len(r.b) > 0 {
			if _, err := r.path(1, false); err != nil {
				return err
			}
		}
	case typePolygon:
		for ring := 0; len(r.b) > 0; ring++ {
			a, err := r.path(2, true)
			if err != nil {
				return fmt.Errorf("ring %d: %w", ring, err)
			}
			if ring == 0 && a < 0 {
				return fmt.Errorf("ring 0: area %g < 0: a polygon must begin with an exterior ring (positive area, clockwise with y down)", float64(a)/2)
			}
		}
	default:
		return fmt.Errorf("geometry type %d", typ)
	}
	return nil
}

// path reads MoveTo(1) and LineTo(>= minLines), then for a ring
// ClosePath(1), and returns twice the ring's area by the surveyor's formula.
func (r *geomReader) path(minLines uint32, ring bool) (int64, error) {
	at := r.pos
	id, n, err := r.command()
	if err != nil {
		return 0, err
	}
	if id != cmdMoveTo || n != 1 {
		return 0, fmt.Errorf("at %d: command %d count %d, want MoveTo(1)", at, id, n)
	}
	if _, _, err := r.point(); err != nil {
		return 0, err
	}
	x0, y0 := r.x, r.y
	at = r.pos
	if id, n, err = r.command(); err != nil {
		return 0, err
	}
	if id != cmdLineTo || n < minLines {
		return 0, fmt.Errorf("at %d: command %d count %d, want LineTo with %d or more", at, id, n, minLines)
	}
	var a int64
	for i := uint32(0); i < n; i++ {
		px, py := r.x-x0, r.y-y0
		at = r.pos
		dx, dy, err := r.point()
		if err != nil {
			return 0, err
		}
		if dx == 0 && dy == 0 {
			return 0, fmt.Errorf("at %d: zero-length LineTo", at)
		}
		a += px*(r.y-y0) - (r.x-x0)*py
	}
	if !ring {
		return 0, nil
	}
	if r.x == x0 && r.y == y0 {
		return 0, errors.New("ring repeats its first point before ClosePath")
	}
	at = r.pos
	if id, n, err = r.command(); err != nil {
		return 0, err
	}
	if id != cmdClose || n != 1 {
		return 0, fmt.Errorf("at %d: command %d count %d, want ClosePath(1)", at, id, n)
	}
	if a == 0 {
		return 0, errors.New("degenerate ring: no area")
	}
	return a, nil
}

// nextField splits one protobuf field off b: its number, wire type, the
// value of a varint or the bytes of a length-delimited field, and the rest.
func nextField(b []byte) (field, wire int, v uint64, data, rest []byte, err error) {
	key, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, 0, 0, nil, nil, errors.New("bad field key")
	}
	b = b[k:]
	field, wire = int(key>>3), int(key&7)
	switch wire {
	case wireVarint:
		if v, k = binary.Uvarint(b); k <= 0 {
			return 0, 0, 0, nil, nil, fmt.Errorf("field %d: bad varint", field)
		}
		return field, wire, v, nil, b[k:], nil
	case wire64:
		if len(b) < 8 {
			return 0, 0, 0, nil, nil, fmt.Errorf("field %d: cut short", field)
		}
		return field, wire, binary.LittleEndian.Uint64(b), b[:8], b[8:], nil
	case wireLen:
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return 0, 0, 0, nil, nil, fmt.Errorf("field %d: bad length", field)
		}
		b = b[k:]
		return field, wire, 0, b[:n], b[n:], nil
	case 5: // 32-bit
		if len(b) < 4 {
			return 0, 0, 0, nil, nil, fmt.Errorf("field %d: cut short", field)
		}
		return field, wire, uint64(binary.LittleEndian.Uint32(b)), b[:4], b[4:], nil
	}
	return 0, 0, 0, nil, nil, fmt.Errorf("field %d: wire type %d", field, wire)
}
