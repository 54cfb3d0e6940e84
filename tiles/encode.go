package tiles

import (
	"encoding/binary"
	"math"

	"github.com/paulmach/orb"
)

// layerEncoder writes one MVT 2.1 layer straight into protobuf bytes: no
// intermediate feature structs; the set's dictionary entries a tile uses
// are renumbered into the tile's own keys and values.
type layerEncoder struct {
	name  string
	set   *Set
	dict  dict
	rm    *remap
	feats []byte
	n     int
	keys  []uint32 // set key indices, in tile order
	vals  []uint32 // set value indices, in tile order
	geom  []uint32
	tags  []uint32
	scr   []byte // one feature's message, reused
	pts   []ipt  // one ring or line rounded, reused
	prevX int32
	prevY int32
}

// remap holds a tile's numbering of set dictionary entries (-1: unused);
// pooled per set and reset through what was touched.
type remap struct{ key, val []int32 }

func newLayerEncoder(name string, set *Set, d dict) *layerEncoder {
	rm, _ := set.remaps.Get().(*remap)
	if rm == nil {
		rm = &remap{}
	}
	// The dictionary grows as tiles draw features: a pooled remap may be short.
	rm.key = grow(rm.key, len(d.keys))
	rm.val = grow(rm.val, d.vals())
	return &layerEncoder{name: name, set: set, dict: d, rm: rm}
}

// grow extends r to n entries, the new ones -1.
func grow(r []int32, n int) []int32 {
	for len(r) < n {
		r = append(r, -1)
	}
	return r
}

func (e *layerEncoder) release() {
	for _, k := range e.keys {
		e.rm.key[k] = -1
	}
	for _, v := range e.vals {
		e.rm.val[v] = -1
	}
	e.set.remaps.Put(e.rm)
}

// Protobuf wire types.
const (
	wireVarint = 0
	wire64     = 1
	wireLen    = 2
)

func appendTag(b []byte, field, wire int) []byte {
	return binary.AppendUvarint(b, uint64(field<<3|wire))
}

func appendLen(b []byte, field int, data []byte) []byte {
	b = appendTag(b, field, wireLen)
	b = binary.AppendUvarint(b, uint64(len(data)))
	return append(b, data...)
}

func appendPacked(b []byte, field int, xs []uint32) []byte {
	size := 0
	for _, x := range xs {
		size += uvarintLen(uint64(x))
	}
	b = appendTag(b, field, wireLen)
	b = binary.AppendUvarint(b, uint64(size))
	for _, x := range xs {
		b = binary.AppendUvarint(b, uint64(x))
	}
	return b
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// MVT geometry types and commands.
const (
	typePoint   = 1
	typeLine    = 2
	typePolygon = 3
	cmdMoveTo   = 1
	cmdLineTo   = 2
	cmdClose    = 7
)

func zigzag(v int32) uint32 { return uint32((v << 1) ^ (v >> 31)) }

// ipt is a point rounded to integer tile units.
type ipt struct{ x, y int32 }

func round(p orb.Point) ipt { return ipt{int32(math.Round(p[0])), int32(math.Round(p[1]))} }

// to writes p as a delta from the cursor and moves the cursor there.
func (e *layerEncoder) to(p ipt) {
	e.geom = append(e.geom, zigzag(p.x-e.prevX), zigzag(p.y-e.prevY))
	e.prevX, e.prevY = p.x, p.y
}

// scan rounds ps into e.pts, dropping each point equal to the one before
// (and, for a ring, a last point equal to the first, which ClosePath
// implies), and returns twice the ring's area by the spec's surveyor's
// formula in integer tile units: positive is clockwise on screen (y down).
func (e *layerEncoder) scan(ps []orb.Point, ring bool) int64 {
	e.pts = e.pts[:0]
	var a int64
	var o ipt
	for _, p := range ps {
		q := round(p)
		n := len(e.pts)
		if n > 0 && e.pts[n-1] == q {
			continue
		}
		if n == 0 {
			o = q
		} else if n >= 2 {
			// Relative to the first point: its terms vanish.
			b := e.pts[n-1]
			bx, by := int64(b.x)-int64(o.x), int64(b.y)-int64(o.y)
			a += bx*(int64(q.y)-int64(o.y)) - (int64(q.x)-int64(o.x))*by
		}
		e.pts = append(e.pts, q)
	}
	if n := len(e.pts); ring && n > 1 && e.pts[n-1] == o {
		e.pts = e.pts[:n-1] // its area term was zero
	}
	return a
}

// line writes l as MoveTo and LineTo; nothing when fewer than two
// distinct points remain after rounding.
func (e *layerEncoder) line(l []orb.Point) {
	e.scan(l, false)
	if len(e.pts) < 2 {
		return
	}
	e.geom = append(e.geom, 1<<3|cmdMoveTo)
	e.to(e.pts[0])
	e.geom = append(e.geom, uint32(len(e.pts)-1)<<3|cmdLineTo)
	for _, p := range e.pts[1:] {
		e.to(p)
	}
}

// ring writes r as MoveTo, LineTo and ClosePath, wound as MVT 2.1 wants
// whatever r's own orientation: positive area for an exterior ring,
// negative for a hole. Input rings come from lon/lat, where y points up and
// GeoJSON exteriors run counter-clockwise; tile y points down, which turns
// that same vertex order negative. False (nothing written) when rounding
// left fewer than three distinct points or no area.
func (e *layerEncoder) ring(r orb.Ring, exterior bool) bool {
	a := e.scan(r, true)
	n := len(e.pts)
	if n < 3 || a == 0 {
		return false
	}
	e.geom = append(e.geom, 1<<3|cmdMoveTo)
	e.to(e.pts[0])
	e.geom = append(e.geom, uint32(n-1)<<3|cmdLineTo)
	if (a > 0) == exterior {
		for _, p := range e.pts[1:] {
			e.to(p)
		}
	} else {
		for i := n - 1; i > 0; i-- {
			e.to(e.pts[i])
		}
	}
	e.geom = append(e.geom, 1<<3|cmdClose)
	return true
}

// polygon writes p's exterior ring and then its holes; nothing when the
// exterior degenerates on rounding, as its holes then have no polygon.
func (e *layerEncoder) polygon(p orb.Polygon) {
	if len(p) == 0 || !e.ring(p[0], true) {
		return
	}
	for _, h := range p[1:] {
		e.ring(h, false)
	}
}

// add encodes one feature in tile coordinates with its set tags; a feature
// whose geometry rounding leaves nothing of is dropped.
func (e *layerEncoder) add(g orb.Geometry, tags []uint32) {
	e.geom, e.prevX, e.prevY = e.geom[:0], 0, 0
	var typ uint32
	switch g := g.(type) {
	case orb.Point:
		typ = typePoint
		e.geom = append(e.geom, 1<<3|cmdMoveTo)
		e.to(round(g))
	case orb.MultiPoint:
		typ = typePoint
		e.scan(g, false)
		if len(e.pts) > 0 {
			e.geom = append(e.geom, uint32(len(e.pts))<<3|cmdMoveTo)
			for _, p := range e.pts {
				e.to(p)
			}
		}
	case orb.LineString:
		typ = typeLine
		e.line(g)
	case orb.MultiLineString:
		typ = typeLine
		for _, l := range g {
			e.line(l)
		}
	case orb.Polygon:
		typ = typePolygon
		e.polygon(g)
	case orb.MultiPolygon:
		typ = typePolygon
		for _, p := range g {
			e.polygon(p)
		}
	default:
		return
	}
	if len(e.geom) == 0 {
		return
	}
	e.tags = e.tags[:0]
	for i := 0; i+1 < len(tags); i += 2 {
		k, v := tags[i], tags[i+1]
		if e.rm.key[k] < 0 {
			e.rm.key[k] = int32(len(e.keys))
			e.keys = append(e.keys, k)
		}
		if e.rm.val[v] < 0 {
			e.rm.val[v] = int32(len(e.vals))
			e.vals = append(e.vals, v)
		}
		e.tags = append(e.tags, uint32(e.rm.key[k]), uint32(e.rm.val[v]))
	}
	f := appendPacked(e.scr[:0], 2, e.tags)
	f = appendTag(f, 3, wireVarint)
	f = binary.AppendUvarint(f, uint64(typ))
	f = appendPacked(f, 4, e.geom)
	e.feats = appendLen(e.feats, 2, f)
	e.scr = f
	e.n++
}

// appendValue appends v's MVT Value message to b, numbers as int64 when
// whole and float64 otherwise; false for nulls and types MVT cannot hold.
func appendValue(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case int:
		v = int64(x)
	case int32:
		v = int64(x)
	case float32:
		v = float64(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			v = int64(x)
		}
	case string, bool, int64:
	default:
		return b, false
	}
	switch x := v.(type) {
	case string:
		b = appendTag(b, 1, wireLen)
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	case float64:
		b = appendTag(b, 3, wire64)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	case int64:
		if x >= 0 {
			b = appendTag(b, 4, wireVarint)
			b = binary.AppendUvarint(b, uint64(x))
		} else {
			b = appendTag(b, 6, wireVarint)
			b = binary.AppendUvarint(b, uint64((x<<1)^(x>>63)))
		}
	case bool:
		b = appendTag(b, 7, wireVarint)
		if x {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	return b, true
}

// tile returns the encoded tile holding this one layer.
func (e *layerEncoder) tile() []byte {
	var l []byte
	l = appendTag(l, 15, wireVarint)
	l = binary.AppendUvarint(l, 2)
	l = appendLen(l, 1, []byte(e.name))
	l = append(l, e.feats...)
	for _, k := range e.keys {
		l = appendLen(l, 3, []byte(e.dict.keys[k]))
	}
	for _, v := range e.vals {
		l = appendLen(l, 4, e.dict.val(v))
	}
	l = appendTag(l, 5, wireVarint)
	l = binary.AppendUvarint(l, Extent)
	return appendLen(nil, 3, l)
}
