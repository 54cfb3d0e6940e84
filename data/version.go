package data

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// contentVersion returns the first 8 bytes (big-endian) of a SHA-256 over
// the snapshot's content: each layer's name and item count, then every item
// in order (id, every attribute of its schema, geometry coordinates as exact
// float bits). The same data yields the same value in every process; where
// it came from and when it was loaded do not count. SHA-256, not FNV-1a:
// with the CPU's SHA instructions it runs at twice FNV's byte-at-a-time
// speed, and the sample county encodes to several megabytes.
func contentVersion(s *Snapshot) uint64 {
	h := newContentHasher(256)
	for _, name := range LayerNames() {
		l, _ := s.Layer(name)
		h.str(name)
		h.u64(l.ContentVersion())
	}
	return h.sum()
}

// layerVersion hashes one layer as contentVersion describes: a snapshot's
// version is a hash of its layers' versions, so a derived snapshot that
// replaces one layer hashes that layer alone.
func layerVersion[T hashedFeature](l *Layer[T]) uint64 {
	h := newContentHasher(hashBlock + 4096)
	hashLayer(h, l)
	return h.sum()
}

// Key returns a cache key for what is computed from the named layers alone:
// their versions and the projection's origin (every metre depends on it).
// A scenario that changes stations keeps the key of the road graph.
func (s *Snapshot) Key(layers ...string) string {
	h := newContentHasher(256) // asked for by every request: small
	o := s.Proj.Origin()
	h.float(o[0])
	h.float(o[1])
	for _, name := range layers {
		l, ok := s.Layer(name)
		if !ok {
			panic("data: Key of unknown layer " + name)
		}
		h.str(name)
		h.u64(l.ContentVersion())
	}
	return fmt.Sprintf("%016x", h.sum())
}

// hashedFeature is a Feature that writes itself to a content hash: its id,
// its attributes as Properties holds them in schema order, its geometry
// (TestFeatureHashMatchesProperties holds each to it). Typed writers, not
// the Properties map: one map an item would cost more than the hash.
type hashedFeature interface {
	Feature
	hashTo(h *contentHasher)
}

func hashLayer[T hashedFeature](h *contentHasher, l *Layer[T]) {
	h.str(l.schema.Name)
	h.count(len(l.Items))
	for i := range l.Items {
		l.Items[i].hashTo(h)
		h.flush(false)
	}
}

// contentHasher frames values unambiguously (a tag before every value,
// lengths before strings and lists) into a buffer fed to the hash in blocks.
type contentHasher struct {
	buf []byte
	h   hash.Hash
}

// Tags of values and geometries.
const (
	tagNil byte = iota
	tagString
	tagInt
	tagFloat
	tagBool
	tagPoint
	tagMultiPoint
	tagLineString
	tagMultiLineString
	tagRing
	tagPolygon
	tagMultiPolygon
	tagCollection
	tagBound
	tagOtherGeometry
)

const hashBlock = 32 << 10 // bytes buffered between writes to the hash

// newContentHasher returns a hasher buffering size bytes: a layer's
// thousands of features, a key's few versions.
func newContentHasher(size int) *contentHasher {
	return &contentHasher{buf: make([]byte, 0, size), h: sha256.New()}
}

func (h *contentHasher) flush(all bool) {
	if all || len(h.buf) >= hashBlock {
		h.h.Write(h.buf)
		h.buf = h.buf[:0]
	}
}

func (h *contentHasher) sum() uint64 {
	h.flush(true)
	var sum [sha256.Size]byte
	return binary.BigEndian.Uint64(h.h.Sum(sum[:0]))
}

func (h *contentHasher) u64(v uint64) { h.buf = binary.LittleEndian.AppendUint64(h.buf, v) }

// count writes a length or count.
func (h *contentHasher) count(n int) { h.buf = binary.AppendUvarint(h.buf, uint64(n)) }

func (h *contentHasher) str(s string) {
	h.buf = append(h.buf, tagString)
	h.count(len(s))
	h.buf = append(h.buf, s...)
}

// optStr is nilIfEmpty's counterpart: an empty text is null.
func (h *contentHasher) optStr(s string) {
	if s == "" {
		h.buf = append(h.buf, tagNil)
		return
	}
	h.str(s)
}

func (h *contentHasher) int(v int) {
	h.buf = append(h.buf, tagInt)
	h.u64(uint64(v))
}

func (h *contentHasher) float(v float64) {
	h.buf = append(h.buf, tagFloat)
	h.u64(math.Float64bits(v))
}

func (h *contentHasher) boolean(v bool) {
	b := byte(0)
	if v {
		b = 1
	}
	h.buf = append(h.buf, tagBool, b)
}

func (h *contentHasher) optInt(p *int) {
	if p == nil {
		h.buf = append(h.buf, tagNil)
		return
	}
	h.int(*p)
}

func (h *contentHasher) optFloat(p *float64) {
	if p == nil {
		h.buf = append(h.buf, tagNil)
		return
	}
	h.float(*p)
}

func (h *contentHasher) point(p orb.Point) {
	h.buf = append(h.buf, tagPoint)
	h.u64(math.Float64bits(p[0]))
	h.u64(math.Float64bits(p[1]))
}

func (h *contentHasher) points(ps []orb.Point) {
	h.count(len(ps))
	n := len(h.buf)
	h.buf = slices.Grow(h.buf, 16*len(ps))[:n+16*len(ps)]
	b := h.buf[n:]
	for i, p := range ps {
		binary.LittleEndian.PutUint64(b[16*i:], math.Float64bits(p[0]))
		binary.LittleEndian.PutUint64(b[16*i+8:], math.Float64bits(p[1]))
	}
}

func (h *contentHasher) polygon(p orb.Polygon) {
	h.count(len(p))
	for _, r := range p {
		h.points(r)
	}
}

func (h *contentHasher) geometry(g orb.Geometry) {
	switch g := g.(type) {
	case nil:
		h.buf = append(h.buf, tagNil)
	case orb.Point:
		h.point(g)
	case orb.MultiPoint:
		h.buf = append(h.buf, tagMultiPoint)
		h.points(g)
	case orb.LineString:
		h.buf = append(h.buf, tagLineString)
		h.points(g)
	case orb.MultiLineString:
		h.buf = append(h.buf, tagMultiLineString)
		h.count(len(g))
		for _, l := range g {
			h.points(l)
		}
	case orb.Ring:
		h.buf = append(h.buf, tagRing)
		h.points(g)
	case orb.Polygon:
		h.buf = append(h.buf, tagPolygon)
		h.polygon(g)
	case orb.MultiPolygon:
		h.buf = append(h.buf, tagMultiPolygon)
		h.count(len(g))
		for _, p := range g {
			h.polygon(p)
		}
	case orb.Collection:
		h.buf = append(h.buf, tagCollection)
		h.count(len(g))
		for _, c := range g {
			h.geometry(c)
		}
	case orb.Bound:
		h.buf = append(h.buf, tagBound)
		h.point(g.Min)
		h.point(g.Max)
	default: // a type orb adds later: its name at least
		h.buf = append(h.buf, tagOtherGeometry)
		h.str(g.GeoJSONType())
	}
}

// hashTo writes each layer's item: id, attributes as Properties holds them, geometry.

func (x Hydrant) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.str(x.Kind)
	h.str(x.Status)
	h.optFloat(x.FlowLPS)
	h.optInt(x.InstalledYear)
	h.point(x.Geom)
}

func (x Station) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.optStr(x.Name)
	h.str(x.Class)
	h.str(x.Status)
	h.optFloat(x.TurnoutS)
	h.point(x.Geom)
}

func (x Road) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.str(x.Class)
	h.optFloat(x.WidthM)
	h.int(int(x.Oneway))
	h.optFloat(x.SpeedKmh)
	h.optStr(x.Name)
	h.boolean(x.Tunnel)
	h.boolean(x.Bridge)
	h.geometry(x.Geom)
}

func (x Building) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.int(x.Households)
	h.optStr(x.Structure)
	h.optInt(x.Floors)
	h.geometry(x.Geom)
}

func (x Village) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.optStr(x.Name)
	h.optStr(x.TownshipID)
	h.optInt(x.Households)
	h.boolean(x.Retrofitted)
	h.boolean(x.VolunteerBrigade)
	h.geometry(x.Geom)
}

func (x District) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.optStr(x.Name)
	h.optInt(x.BuiltYear)
	h.optInt(x.Households)
	h.geometry(x.Geom)
}

func (x FireLane) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.optStr(x.DistrictID)
	h.optFloat(x.WidthM)
	h.optFloat(x.ClearHeightM)
	h.optStr(x.Status)
	h.geometry(x.Geom)
}

func (x Township) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.optStr(x.Name)
	h.optStr(x.County)
	h.optStr(x.Kind)
	h.boolean(x.FulltimeBrigade)
	h.geometry(x.Geom)
}

func (x Builtup) hashTo(h *contentHasher) {
	h.str(x.ID)
	h.optStr(x.Name)
	h.optStr(x.Kind)
	h.geometry(x.Geom)
}
