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
	rm    *remap
	feats []byte
	n     int
	keys  []uint32 // set key indices, in tile order
	vals  []uint32 // set value indices, in tile order
	geom  []uint32
	tags  []uint32
	scr   []byte // one feature's message, reused
	prevX int32
	prevY int32
}

// remap holds a tile's numbering of set dictionary entries (-1: unused);
// pooled per set and reset through what was touched.
type remap struct{ key, val []int32 }

func newRemap(keys, vals int) *remap {
	r := &remap{key: make([]int32, keys), val: make([]int32, vals)}
	for i := range r.key {
		r.key[i] = -1
	}
	for i := range r.val {
		r.val[i] = -1
	}
	return r
}

func newLayerEncoder(name string, set *Set) *layerEncoder {
	return &layerEncoder{name: name, set: set, rm: set.remaps.Get().(*remap)}
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

func (e *layerEncoder) points(cmd uint32, ps []orb.Point) {
	e.geom = append(e.geom, uint32(len(ps))<<3|cmd)
	for _, p := range ps {
		x, y := int32(p[0]), int32(p[1])
		e.geom = append(e.geom, zigzag(x-e.prevX), zigzag(y-e.prevY))
		e.prevX, e.prevY = x, y
	}
}

func (e *layerEncoder) line(l []orb.Point) {
	e.points(cmdMoveTo, l[:1])
	e.points(cmdLineTo, l[1:])
}

func (e *layerEncoder) ring(r orb.Ring) {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	e.points(cmdMoveTo, r[:1])
	e.points(cmdLineTo, r[1:])
	e.geom = append(e.geom, 1<<3|cmdClose)
}

// add encodes one feature in tile coordinates with its set tags.
func (e *layerEncoder) add(g orb.Geometry, tags []uint32) {
	e.geom, e.prevX, e.prevY = e.geom[:0], 0, 0
	var typ uint32
	switch g := g.(type) {
	case orb.Point:
		typ = typePoint
		e.points(cmdMoveTo, []orb.Point{g})
	case orb.MultiPoint:
		typ = typePoint
		e.points(cmdMoveTo, g)
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
		for _, r := range g {
			e.ring(r)
		}
	case orb.MultiPolygon:
		typ = typePolygon
		for _, p := range g {
			for _, r := range p {
				e.ring(r)
			}
		}
	default:
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

// encodeValue normalises v (numbers become int64 when whole, float64
// otherwise) and returns it with its MVT Value message; false for nulls and
// types MVT cannot hold.
func encodeValue(v any) (any, []byte, bool) {
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
		return nil, nil, false
	}
	var b []byte
	switch x := v.(type) {
	case string:
		b = appendLen(b, 1, []byte(x))
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
	return v, b, true
}

// tile returns the encoded tile holding this one layer.
func (e *layerEncoder) tile() []byte {
	var l []byte
	l = appendTag(l, 15, wireVarint)
	l = binary.AppendUvarint(l, 2)
	l = appendLen(l, 1, []byte(e.name))
	l = append(l, e.feats...)
	for _, k := range e.keys {
		l = appendLen(l, 3, []byte(e.set.keys[k]))
	}
	for _, v := range e.vals {
		l = appendLen(l, 4, e.set.vals[v])
	}
	l = appendTag(l, 5, wireVarint)
	l = binary.AppendUvarint(l, Extent)
	return appendLen(nil, 3, l)
}
