package osm

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
)

// PBF limits, as the format sets them (and osmpbf enforces most of them).
const (
	maxBlobHeader = 64 << 10 // bytes of a BlobHeader
	maxBlob       = 32 << 20 // bytes of a Blob, and of its data uncompressed
)

// checkedPBF passes a .osm.pbf stream on to osmpbf file block by file
// block, refusing first what osmpbf would turn into a crash or an
// unbounded allocation. osmpbf decodes blocks in goroutines of its own,
// where fireplan cannot recover a panic, so one bad extract would stop the
// whole server: a block with plain (not dense) nodes makes it panic, and a
// zlib blob claiming a raw size near 2 GiB makes it allocate that much or
// panic. Each block is decompressed once more here to look inside: a small
// price beside the decoding.
type checkedPBF struct {
	r    io.Reader
	out  []byte // what has been checked and not yet read
	err  error
	data bool // the next block is data: every block but a leading header
}

func newCheckedPBF(r io.Reader) *checkedPBF { return &checkedPBF{r: r} }

func (c *checkedPBF) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.out, c.err = c.next()
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// next reads, checks and returns one whole file block.
func (c *checkedPBF) next() ([]byte, error) {
	var size [4]byte
	if n, err := io.ReadFull(c.r, size[:]); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return size[:n], err // osmpbf reports the truncation
	}
	hn := binary.BigEndian.Uint32(size[:])
	if hn >= maxBlobHeader {
		return nil, fmt.Errorf("pbf: block header of %d bytes (at most %d)", hn, maxBlobHeader)
	}
	block := make([]byte, 4, 4+int(hn))
	copy(block, size[:])
	block, err := readN(c.r, block, int(hn))
	if err != nil {
		return nil, err
	}
	var typ []byte
	var dataSize uint64
	if err := eachField(block[4:], func(num, _ int, v uint64, b []byte) error {
		switch num {
		case 1:
			typ = b
		case 3:
			dataSize = v
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pbf: block header: %w", err)
	}
	if dataSize >= maxBlob {
		return nil, fmt.Errorf("pbf: block of %d bytes (at most %d)", dataSize, maxBlob)
	}
	start := len(block)
	if block, err = readN(c.r, block, int(dataSize)); err != nil {
		return nil, err
	}
	// osmpbf decodes the first block as data unless it is a header, and
	// refuses any later block that is not data.
	if err := checkBlob(block[start:], c.data || string(typ) != "OSMHeader"); err != nil {
		return nil, err
	}
	c.data = true
	return block, nil
}

// readN appends n bytes of r to b.
func readN(r io.Reader, b []byte, n int) ([]byte, error) {
	at := len(b)
	b = append(b, make([]byte, n)...)
	if _, err := io.ReadFull(r, b[at:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("pbf: %w", err)
	}
	return b, nil
}

var errPlainNodes = errors.New("pbf: a block holds plain nodes, which the decoder does not read (convert the file with osmium cat to get dense nodes)")

// checkBlob checks a blob: its raw size within the limit and, for data,
// the primitive block (checkBlock).
func checkBlob(blob []byte, data bool) error {
	var raw, zipped []byte
	var hasRaw, hasZip bool
	var rawSize uint64
	if err := eachField(blob, func(num, _ int, v uint64, b []byte) error {
		switch num {
		case 1:
			raw, hasRaw = b, true
		case 2:
			rawSize = v
		case 3:
			zipped, hasZip = b, true
		}
		return nil
	}); err != nil {
		return fmt.Errorf("pbf: blob: %w", err)
	}
	switch {
	case hasRaw: // osmpbf prefers raw data, as here
	case hasZip:
		if rawSize > maxBlob {
			return fmt.Errorf("pbf: blob of %d bytes uncompressed (at most %d)", rawSize, maxBlob)
		}
		zr, err := zlib.NewReader(bytes.NewReader(zipped))
		if err != nil {
			return fmt.Errorf("pbf: blob: %w", err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(io.LimitReader(zr, int64(rawSize)+1)); err != nil {
			return fmt.Errorf("pbf: blob: %w", err)
		}
		if uint64(buf.Len()) != rawSize {
			return fmt.Errorf("pbf: blob of %d bytes uncompressed, not the %d it says", buf.Len(), rawSize)
		}
		raw = buf.Bytes()
	default:
		return nil // osmpbf refuses a blob without data
	}
	if !data {
		return nil
	}
	if err := checkBlock(raw); err != nil {
		return fmt.Errorf("pbf: %w", err)
	}
	return nil
}

// Wire types.
const (
	wireVarint = 0
	wireBytes  = 2
)

// Where osmpbf reads a primitive block without checking (an index into the
// string table, parallel arrays of one length, a field given twice), a
// malformed file makes it panic. checkBlock reads the block as osmpbf does
// and refuses it first; a well-formed block always passes.

// checkBlock checks a PrimitiveBlock.
func checkBlock(b []byte) error {
	strs := -1
	var groups [][]byte
	err := eachField(b, func(num, wire int, _ uint64, v []byte) error {
		if err := wants(num, wire, map[int]int{1: wireBytes, 2: wireBytes, 17: wireVarint, 18: wireVarint, 19: wireVarint, 20: wireVarint}); err != nil {
			return err
		}
		switch num {
		case 1:
			if strs >= 0 {
				return errors.New("two string tables")
			}
			strs = 0
			return eachField(v, func(num, _ int, _ uint64, _ []byte) error {
				if num == 1 {
					strs++
				}
				return nil
			})
		case 2:
			groups = append(groups, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	st := max(strs, 0)
	for _, g := range groups {
		err := eachField(g, func(num, wire int, _ uint64, v []byte) error {
			if err := wants(num, wire, map[int]int{1: wireBytes, 2: wireBytes, 3: wireBytes, 4: wireBytes}); err != nil {
				return err
			}
			switch num {
			case 1:
				return errPlainNodes
			case 2:
				return checkDense(v, st)
			case 3, 4:
				return checkElement(v, st, num == 4)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// wants refuses a known field of the wrong wire type: osmpbf would read it
// as if it were right, out of step with this check.
func wants(num, wire int, types map[int]int) error {
	if t, ok := types[num]; ok && t != wire {
		return fmt.Errorf("field %d of wire type %d", num, wire)
	}
	return nil
}

// arrays reads a message's packed fields among nums, each at most once;
// info, when given, receives field infoField's message.
func arrays(b []byte, nums []int, scalars map[int]int, infoField int, info *[]byte) (map[int][]uint64, error) {
	out := map[int][]uint64{}
	types := map[int]int{}
	maps.Copy(types, scalars)
	for _, n := range nums {
		types[n] = wireBytes
	}
	if infoField > 0 {
		types[infoField] = wireBytes
	}
	err := eachField(b, func(num, wire int, _ uint64, v []byte) error {
		if err := wants(num, wire, types); err != nil {
			return err
		}
		if num == infoField {
			*info = v
			return nil
		}
		if !slices.Contains(nums, num) {
			return nil
		}
		if _, twice := out[num]; twice {
			return fmt.Errorf("field %d given twice", num)
		}
		var vs []uint64
		for len(v) > 0 {
			x, n := binary.Uvarint(v)
			if n <= 0 {
				return fmt.Errorf("field %d: malformed varint", num)
			}
			vs, v = append(vs, x), v[n:]
		}
		out[num] = vs
		return nil
	})
	return out, err
}

// inTable refuses an index outside a string table of st strings, read as
// osmpbf reads it (an int32 or uint32 of the varint).
func inTable(x uint64, st int, what string) error {
	if x >= uint64(st) {
		return fmt.Errorf("%s %d outside the string table of %d", what, int64(x), st)
	}
	return nil
}

// checkDense checks a DenseNodes group.
func checkDense(b []byte, st int) error {
	var info []byte
	a, err := arrays(b, []int{1, 8, 9, 10}, nil, 5, &info)
	if err != nil {
		return err
	}
	n := len(a[1])
	if len(a[8]) != n || len(a[9]) != n {
		return errors.New("dense nodes: ids, lats and lons differ in number")
	}
	if info != nil {
		ia, err := arrays(info, []int{1, 2, 3, 4, 5, 6}, nil, 0, nil)
		if err != nil {
			return err
		}
		for f, vs := range ia {
			if len(vs) != n {
				return fmt.Errorf("dense info: field %d has %d values for %d nodes", f, len(vs), n)
			}
		}
		var usid int32
		for _, v := range ia[5] {
			usid += int32(int64(v>>1) ^ -int64(v&1)) // sint32, wrapping as osmpbf sums it
			if usid < 0 || int(usid) >= st {
				return fmt.Errorf("dense info: user %d outside the string table of %d", usid, st)
			}
		}
	}
	if kv, ok := a[10]; ok {
		at := 0
		for range n {
			for {
				if at >= len(kv) {
					return errors.New("dense nodes: keys_vals end early")
				}
				k := int32(kv[at])
				at++
				if k == 0 {
					break
				}
				if at >= len(kv) {
					return errors.New("dense nodes: keys_vals end early")
				}
				v := int32(kv[at])
				at++
				if k < 0 || int(k) >= st || v < 0 || int(v) >= st {
					return fmt.Errorf("dense nodes: tag %d=%d outside the string table of %d", k, v, st)
				}
			}
		}
	}
	return nil
}

// checkElement checks a Way or, relation, a Relation.
func checkElement(b []byte, st int, relation bool) error {
	var info []byte
	a, err := arrays(b, []int{2, 3, 8, 9, 10}, map[int]int{1: wireVarint}, 4, &info)
	if err != nil {
		return err
	}
	if len(a[2]) != len(a[3]) {
		return errors.New("keys and vals differ in number")
	}
	for i := range a[2] {
		if err := inTable(a[2][i], st, "key"); err != nil {
			return err
		}
		if err := inTable(a[3][i], st, "value"); err != nil {
			return err
		}
	}
	if info != nil {
		err := eachField(info, func(num, wire int, v uint64, _ []byte) error {
			if err := wants(num, wire, map[int]int{1: wireVarint, 2: wireVarint, 3: wireVarint, 4: wireVarint, 5: wireVarint, 6: wireVarint}); err != nil {
				return err
			}
			if num == 5 {
				return inTable(v, st, "user")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Ways: refs, lats and lons; relations: roles, member ids and types.
	n := -1
	for _, f := range []int{8, 9, 10} {
		if vs, ok := a[f]; ok {
			if n >= 0 && len(vs) != n {
				return fmt.Errorf("field %d has %d values, not %d", f, len(vs), n)
			}
			n = len(vs)
		}
	}
	if relation {
		for _, r := range a[8] {
			if r != uint64(uint32(int32(r))) || int32(r) < 0 {
				return fmt.Errorf("role %d outside the string table of %d", int64(r), st)
			}
			if err := inTable(r, st, "role"); err != nil {
				return err
			}
		}
	}
	return nil
}

// eachField calls fn with every field of a protocol buffer message: its
// number, wire type and value, a number or bytes. Anything malformed is an
// error.
func eachField(b []byte, fn func(num, wire int, v uint64, bytes []byte) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 || key>>3 == 0 || key>>3 > 1<<29 {
			return errors.New("malformed field")
		}
		b = b[n:]
		var v uint64
		var val []byte
		switch key & 7 {
		case 0: // varint
			if v, n = binary.Uvarint(b); n <= 0 {
				return errors.New("malformed varint")
			}
			b = b[n:]
		case 1: // fixed64
			if len(b) < 8 {
				return errors.New("truncated fixed64")
			}
			b = b[8:]
		case 2: // bytes
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return errors.New("malformed length")
			}
			val, b = b[n:n+int(l)], b[n+int(l):]
		case 5: // fixed32
			if len(b) < 4 {
				return errors.New("truncated fixed32")
			}
			b = b[4:]
		default:
			return fmt.Errorf("wire type %d", key&7)
		}
		if err := fn(int(key>>3), int(key&7), v, val); err != nil {
			return err
		}
	}
	return nil
}
