package osm

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fireplan/data"
)

// maxFuzzInput caps a fuzzed extract: enough for a few hundred objects, so
// each run stays within milliseconds and megabytes.
const maxFuzzInput = 64 << 10

// fuzzRead reads a fuzzed extract as `serve --osm` does, through to a
// snapshot: nothing may panic, a read must end, and every tag object
// handed out must be JSON.
func fuzzRead(t *testing.T, b []byte, f Format) {
	if len(b) > maxFuzzInput {
		return // bigger inputs only slow the search
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts := DefaultOptions()
	opts.Tags = func(layer, id string, tags json.RawMessage) {
		if !json.Valid(tags) {
			t.Fatalf("%s %s: tags %q are not JSON", layer, id, tags)
		}
	}
	set, st, err := Read(ctx, bytes.NewReader(b), f, opts)
	if ctx.Err() != nil {
		t.Fatalf("reading %d bytes took over 20 s", len(b))
	}
	if err != nil {
		return
	}
	if set == nil || st == nil {
		t.Fatal("no error, yet no set or stats")
	}
	_ = st.String()
	data.NewSnapshot(set, "fuzz", nil)
}

// FuzzReadXML reads fuzzed .osm files, seeded with the hand-made ones.
func FuzzReadXML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.osm"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `<osm/>`, `<osm><node id="1" lat="NaN" lon="Inf"><tag k="emergency" v="fire_hydrant"/></node></osm>`,
		`<osm><node id="1" lat="91" lon="181"><tag k="amenity" v="fire_station"/></node></osm>`,
		`<osm><way id="1"><nd ref="1"/><nd ref="1"/><tag k="building" v="yes"/></way></osm>`,
		`<osm><relation id="1"><member type="relation" ref="1" role="outer"/><tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation></osm>`,
		`<osm><node id="1" lat="27" lon="111"><tag k="place" v="village"/></node><node id="2" lat="27" lon="111"><tag k="place" v="hamlet"/></node></osm>`,
		// small shapes of every kind, for mutations to start from
		`<osm><node id="1" lat="27.2" lon="111.5"/><node id="2" lat="27.2" lon="111.501"/><node id="3" lat="27.201" lon="111.501"/>` +
			`<way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="house"/><tag k="building:levels" v="2"/></way>` +
			`<way id="2"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="width" v="5 m"/><tag k="oneway" v="-1"/></way>` +
			`<way id="3"><nd ref="3"/><nd ref="1"/><tag k="highway" v="service"/></way></osm>`,
		`<osm><node id="1" lat="27.2" lon="111.5"/><node id="2" lat="27.2" lon="111.51"/><node id="3" lat="27.21" lon="111.51"/><node id="4" lat="27.21" lon="111.5"/>` +
			`<way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way><way id="2"><nd ref="1"/><nd ref="4"/><nd ref="3"/></way>` +
			`<relation id="1"><member type="way" ref="1" role="outer"/><member type="way" ref="2" role="outer"/>` +
			`<tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="8"/><tag k="name" v="城关镇"/></relation>` +
			`<node id="5" lat="27.205" lon="111.505"><tag k="place" v="village"/><tag k="name" v="村"/></node>` +
			`<node id="6" lat="27.204" lon="111.505"><tag k="emergency" v="fire_hydrant"/><tag k="fire_hydrant:type" v="pillar"/></node>` +
			`<node id="7" lat="27.206" lon="111.505"><tag k="amenity" v="fire_station"/><tag k="fire_station:type" v="full_time"/></node></osm>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, XML) })
}

// FuzzReadPBF reads fuzzed .osm.pbf files, seeded with small ones encoded
// here (the stored extract is too large to mutate usefully).
//
// osmpbf allocates 32 MiB for every read, so a read costs milliseconds
// however small the file. What checkedPBF refuses never reaches osmpbf, so
// only the blocks it lets through are read: with no data block among them,
// the file is not read at all.
func FuzzReadPBF(f *testing.F) {
	f.Add(tinyPBF(false, false))
	f.Add(tinyPBF(true, false))
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > maxFuzzInput {
			return
		}
		c := newCheckedPBF(bytes.NewReader(b))
		passed, blocks := 0, 0
		for {
			block, err := c.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if blocks < 2 {
					return
				}
				b = b[:passed] // Read stops where checkedPBF refuses
				break
			}
			passed, blocks = passed+len(block), blocks+1
		}
		fuzzRead(t, b, PBF)
	})
}

// Protocol buffer writing, just enough for an OSM PBF file.
type pb []byte

func (p pb) varint(v uint64) pb          { return binary.AppendUvarint(p, v) }
func (p pb) key(field, wire int) pb      { return p.varint(uint64(field<<3 | wire)) }
func (p pb) uint(field int, v uint64) pb { return p.key(field, 0).varint(v) }
func (p pb) sint(field int, v int64) pb  { return p.uint(field, uint64(v<<1^v>>63)) }
func (p pb) bytes(field int, b []byte) pb {
	return append(p.key(field, 2).varint(uint64(len(b))), b...)
}

// packed writes a packed repeated field, zigzagged when signed.
func (p pb) packed(field int, vs []int64, signed bool) pb {
	var q pb
	for _, v := range vs {
		if signed {
			v = v<<1 ^ v>>63
		}
		q = q.varint(uint64(v))
	}
	return p.bytes(field, q)
}

// tinyPBF encodes a header block and a data block holding a street, a
// hydrant, a station and a house, as dense nodes or, plain, as the plain
// nodes osmpbf cannot read; zipped, the data block is zlib-compressed.
func tinyPBF(zipped, plain bool) []byte {
	strs := []string{"", "highway", "residential", "emergency", "fire_hydrant", "amenity", "fire_station", "building", "yes", "name", "府前路"}
	var table pb
	for _, s := range strs {
		table = table.bytes(1, []byte(s))
	}
	type node struct {
		lon, lat float64
		kv       []int64
	}
	nodes := []node{{111.500, 27.200, nil}, {111.502, 27.200, nil}, {111.504, 27.201, nil}, // street
		{111.5010, 27.2002, nil}, {111.5012, 27.2002, nil}, {111.5012, 27.2004, nil}, {111.5010, 27.2004, nil}, // house
		{111.5015, 27.2001, []int64{3, 4}}, {111.503, 27.2003, []int64{5, 6}}} // hydrant, station
	var group pb
	if plain {
		for i, n := range nodes {
			var keys, vals []int64
			for k := 0; k+1 < len(n.kv); k += 2 {
				keys, vals = append(keys, n.kv[k]), append(vals, n.kv[k+1])
			}
			m := pb{}.sint(1, int64(i+1))
			if len(keys) > 0 {
				m = m.packed(2, keys, false).packed(3, vals, false)
			}
			group = group.bytes(1, m.sint(8, int64(n.lat*1e7)).sint(9, int64(n.lon*1e7)))
		}
	} else {
		var ids, lats, lons, kvs []int64
		var last [3]int64
		for i, n := range nodes {
			id, lat, lon := int64(i+1), int64(math.Round(n.lat*1e7)), int64(math.Round(n.lon*1e7))
			ids, lats, lons = append(ids, id-last[0]), append(lats, lat-last[1]), append(lons, lon-last[2])
			last = [3]int64{id, lat, lon}
			kvs = append(append(kvs, n.kv...), 0)
		}
		group = group.bytes(2, pb{}.packed(1, ids, true).packed(8, lats, true).packed(9, lons, true).packed(10, kvs, false))
	}
	var ways pb
	ways = ways.bytes(3, pb{}.uint(1, 10).packed(2, []int64{1, 9}, false).packed(3, []int64{2, 10}, false).
		packed(8, []int64{1, 1, 1}, true))
	ways = ways.bytes(3, pb{}.uint(1, 11).packed(2, []int64{7}, false).packed(3, []int64{8}, false).
		packed(8, []int64{4, 1, 1, 1, -3}, true))
	return pbfFile(pb{}.bytes(1, table).bytes(2, group).bytes(2, ways).uint(17, 100), zipped)
}

// pbfFile encodes a header block and one data block holding block, a
// PrimitiveBlock; zipped, the data block is zlib-compressed.
func pbfFile(block pb, zipped bool) []byte {
	header := pb{}.bytes(4, []byte("OsmSchema-V0.6")).bytes(4, []byte("DenseNodes"))
	var file pb
	for _, b := range []struct {
		typ  string
		data []byte
		zip  bool
	}{{"OSMHeader", header, false}, {"OSMData", block, zipped}} {
		blob := pb{}.bytes(1, b.data)
		if b.zip {
			var z bytes.Buffer
			w := zlib.NewWriter(&z)
			w.Write(b.data)
			w.Close()
			blob = pb{}.uint(2, uint64(len(b.data))).bytes(3, z.Bytes())
		}
		head := pb{}.bytes(1, []byte(b.typ)).uint(3, uint64(len(blob)))
		file = binary.BigEndian.AppendUint32(file, uint32(len(head)))
		file = append(append(file, head...), blob...)
	}
	return file
}

// TestTinyPBF checks the PBF seeds mean something: both read back as a
// street, a hydrant, a station and a house.
func TestTinyPBF(t *testing.T) {
	for _, zipped := range []bool{false, true} {
		set, _, err := Read(context.Background(), bytes.NewReader(tinyPBF(zipped, false)), PBF, DefaultOptions())
		if err != nil {
			t.Fatalf("zipped %v: %v", zipped, err)
		}
		if len(set.Roads) == 0 || len(set.Hydrants) != 1 || len(set.Stations) != 1 || len(set.Buildings) != 1 {
			t.Fatalf("zipped %v: %d roads, %d hydrants, %d stations, %d buildings", zipped,
				len(set.Roads), len(set.Hydrants), len(set.Stations), len(set.Buildings))
		}
	}
}

// TestPlainNodesRefused: osmpbf panics, in a goroutine of its own, on a
// block of plain nodes; Read says what is wrong instead.
func TestPlainNodesRefused(t *testing.T) {
	for _, zipped := range []bool{false, true} {
		_, _, err := Read(context.Background(), bytes.NewReader(tinyPBF(zipped, true)), PBF, DefaultOptions())
		if !errors.Is(err, errPlainNodes) {
			t.Fatalf("zipped %v: %v, want %v", zipped, err, errPlainNodes)
		}
	}
}

// TestCheckedPBFRefuses: each of these files made osmpbf panic in a
// goroutine of its own (index out of range), or allocate gigabytes; Read
// refuses them with an error instead.
func TestCheckedPBFRefuses(t *testing.T) {
	table := pb{}.bytes(1, pb{}.bytes(1, nil).bytes(1, []byte("highway")).bytes(1, []byte("residential")))
	dense := func(kv ...int64) pb {
		return pb{}.packed(1, []int64{1, 1}, true).packed(8, []int64{272000000, 1}, true).
			packed(9, []int64{1115000000, 1}, true).packed(10, kv, false)
	}
	way := func(w pb) pb { return table.bytes(2, pb{}.bytes(3, pb{}.uint(1, 7).concat(w))) }
	rel := func(r pb) pb { return table.bytes(2, pb{}.bytes(4, pb{}.uint(1, 7).concat(r))) }
	negative := int64(-1) // an int32 -1 as osmpbf reads it: ten bytes of varint
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"dense tag outside the string table", pbfFile(table.bytes(2, pb{}.bytes(2, dense(1, 57, 0, 0))), false)},
		{"dense tags ending early", pbfFile(table.bytes(2, pb{}.bytes(2, dense(1, 2))), false)},
		{"dense ids and lats differ", pbfFile(table.bytes(2, pb{}.bytes(2, pb{}.packed(1, []int64{1, 1}, true).
			packed(8, []int64{1}, true).packed(9, []int64{1, 1}, true))), false)},
		{"dense user outside the string table", pbfFile(table.bytes(2, pb{}.bytes(2, dense(0, 0).
			bytes(5, pb{}.packed(5, []int64{1, 5}, true)))), false)},
		{"way key outside the string table", pbfFile(way(pb{}.packed(2, []int64{9}, false).packed(3, []int64{2}, false)), false)},
		{"way keys and vals differ", pbfFile(way(pb{}.packed(2, []int64{1, 1}, false).packed(3, []int64{2}, false)), false)},
		{"way refs and lats differ", pbfFile(way(pb{}.packed(8, []int64{1, 1}, true).packed(9, []int64{1, 1, 1}, true)), false)},
		{"way refs twice", pbfFile(way(pb{}.packed(8, []int64{1}, true).packed(8, []int64{1, 1}, true)), false)},
		{"way user outside the string table", pbfFile(way(pb{}.bytes(4, pb{}.uint(5, 3))), false)},
		{"relation members differ", pbfFile(rel(pb{}.packed(8, []int64{1, 1}, false).packed(9, []int64{1, 1}, true).
			packed(10, []int64{1}, false)), false)},
		{"relation role negative", pbfFile(rel(pb{}.packed(8, []int64{negative}, false).packed(9, []int64{1}, true).
			packed(10, []int64{1}, false)), false)},
		{"zlib blob of 2 GiB", func() []byte {
			var z bytes.Buffer
			w := zlib.NewWriter(&z)
			w.Write(table)
			w.Close()
			blob := pb{}.uint(2, 1<<31-600).bytes(3, z.Bytes())
			head := pb{}.bytes(1, []byte("OSMData")).uint(3, uint64(len(blob)))
			return append(binary.BigEndian.AppendUint32(nil, uint32(len(head))), append(head, blob...)...)
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Read(context.Background(), bytes.NewReader(tc.file), PBF, DefaultOptions()); err == nil {
				t.Fatal("read without an error")
			}
		})
	}
}

func (p pb) concat(q pb) pb { return append(p, q...) }
