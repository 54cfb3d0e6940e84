package data

import (
	"unsafe"

	"fireplan/geo"
)

// packer copies a layer's items into shared arrays as the layer is built:
// their geometry (see geo.Arena), ids and optional numbers. Read row by row,
// each is its own allocation, and a province's tens of millions of them are
// what the garbage collector marks on every cycle.
type packer struct {
	geo.Arena
	bytes  []byte
	ints   []int
	floats []float64
	texts  map[string]string
}

const scalarChunk = 1 << 12

// id returns a copy of s in a shared byte array.
func (p *packer) id(s string) string {
	if s == "" {
		return s
	}
	if cap(p.bytes)-len(p.bytes) < len(s) {
		p.bytes = make([]byte, 0, max(1<<16, len(s)))
	}
	off := len(p.bytes)
	p.bytes = append(p.bytes, s...)
	// The bytes are never written again: appends go past them, and a full
	// array is replaced, not grown.
	return unsafe.String(&p.bytes[off], len(s))
}

// text returns one copy of each distinct attribute text (classes, kinds,
// names repeated along a street).
func (p *packer) text(s string) string {
	if s == "" {
		return s
	}
	if t, ok := p.texts[s]; ok {
		return t
	}
	if p.texts == nil {
		p.texts = map[string]string{}
	}
	p.texts[s] = s
	return s
}

func (p *packer) int(v *int) *int { return packed(&p.ints, v) }

func (p *packer) float(v *float64) *float64 { return packed(&p.floats, v) }

// packed returns a pointer to a copy of *v in a shared array; nil stays nil.
func packed[T any](chunk *[]T, v *T) *T {
	if v == nil {
		return nil
	}
	if len(*chunk) == cap(*chunk) {
		*chunk = make([]T, 0, scalarChunk)
	}
	*chunk = append(*chunk, *v)
	return &(*chunk)[len(*chunk)-1]
}

func (h Hydrant) packed(p *packer) Hydrant {
	h.ID, h.Kind, h.Status = p.id(h.ID), p.text(h.Kind), p.text(h.Status)
	h.FlowLPS, h.InstalledYear = p.float(h.FlowLPS), p.int(h.InstalledYear)
	return h
}

func (s Station) packed(p *packer) Station {
	s.ID, s.Name, s.Class, s.Status = p.id(s.ID), p.text(s.Name), p.text(s.Class), p.text(s.Status)
	s.TurnoutS = p.float(s.TurnoutS)
	return s
}

func (r Road) packed(p *packer) Road {
	r.ID, r.Geom, r.Class, r.Name = p.id(r.ID), p.Copy(r.Geom), p.text(r.Class), p.text(r.Name)
	r.WidthM, r.SpeedKmh = p.float(r.WidthM), p.float(r.SpeedKmh)
	return r
}

func (b Building) packed(p *packer) Building {
	b.ID, b.Geom, b.Structure, b.Floors = p.id(b.ID), p.Copy(b.Geom), p.text(b.Structure), p.int(b.Floors)
	return b
}

func (v Village) packed(p *packer) Village {
	v.ID, v.Geom, v.Name, v.TownshipID = p.id(v.ID), p.Copy(v.Geom), p.text(v.Name), p.text(v.TownshipID)
	v.Households = p.int(v.Households)
	return v
}

func (d District) packed(p *packer) District {
	d.ID, d.Geom, d.Name = p.id(d.ID), p.Copy(d.Geom), p.text(d.Name)
	d.BuiltYear, d.Households = p.int(d.BuiltYear), p.int(d.Households)
	return d
}

func (f FireLane) packed(p *packer) FireLane {
	f.ID, f.Geom, f.DistrictID, f.Status = p.id(f.ID), p.Copy(f.Geom), p.text(f.DistrictID), p.text(f.Status)
	f.WidthM, f.ClearHeightM = p.float(f.WidthM), p.float(f.ClearHeightM)
	return f
}

func (t Township) packed(p *packer) Township {
	t.ID, t.Geom, t.Name, t.County, t.Kind = p.id(t.ID), p.Copy(t.Geom), p.text(t.Name), p.text(t.County), p.text(t.Kind)
	return t
}

func (b Builtup) packed(p *packer) Builtup {
	b.ID, b.Geom, b.Name, b.Kind = p.id(b.ID), p.Copy(b.Geom), p.text(b.Name), p.text(b.Kind)
	return b
}
