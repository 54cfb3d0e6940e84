package coverage

import (
	"fmt"
	"math/rand"
	"reflect"
	"runtime"
	"testing"

	"github.com/paulmach/orb"
)

// A held table reads back every row as it was added, whatever each
// column's mix of types and nils: typed, nil until late, mixed, empty.
func TestTableColumnsReadBackTheirRows(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	type gen func(i int) any
	maybe := func(p float64, g gen) gen {
		return func(i int) any {
			if rng.Float64() < p {
				return nil
			}
			return g(i)
		}
	}
	str := func(i int) any { return fmt.Sprintf("s%d", rng.Intn(50)) }
	num := func(i int) any { return rng.Intn(1000) - 500 }
	flt := func(i int) any { return rng.NormFloat64() }
	bit := func(i int) any { return rng.Intn(2) == 0 }
	for _, tc := range []struct {
		name string
		cols []gen
		rows int
	}{
		{"typed", []gen{str, num, flt, bit}, 300},
		{"with nils", []gen{maybe(0.3, str), maybe(0.5, num), maybe(0.9, flt), maybe(0.1, bit)}, 1000},
		{"nil until late", []gen{func(i int) any {
			if i < 200 {
				return nil
			}
			return i
		}}, 260},
		{"never a value", []gen{func(int) any { return nil }, num}, 70},
		{"mixed types", []gen{func(i int) any { return []any{1, 1.5, "x", nil, true}[i%5] }, func(i int) any {
			if i == 150 {
				return "late string"
			}
			return float64(i)
		}}, 200},
		{"no rows", []gen{str}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols := make([]Column, len(tc.cols))
			for k := range cols {
				cols[k] = Column{Name: fmt.Sprintf("c%d", k)}
			}
			tb := &Table{Columns: cols}
			var ids []string
			var rows [][]any
			var geoms []orb.Geometry
			for i := range tc.rows {
				row := make([]any, len(cols))
				for k, g := range tc.cols {
					row[k] = g(i)
				}
				id := fmt.Sprintf("row-%d", i)
				if i%7 == 3 {
					id = "" // an empty id reads back empty
				}
				var g orb.Geometry = orb.Point{float64(i), 1}
				if i%2 == 1 {
					g = orb.LineString{{0, 0}, {float64(i), 2}}
				}
				ids, rows, geoms = append(ids, id), append(rows, row), append(geoms, g)
				tb.Add(id, g, row...)
			}
			if tb.Len() != tc.rows || tb.HasGeoms() != (tc.rows > 0) {
				t.Fatalf("%d rows, geometry %v; want %d", tb.Len(), tb.HasGeoms(), tc.rows)
			}
			for i := range tc.rows {
				if tb.ID(i) != ids[i] || !reflect.DeepEqual(tb.Row(i), rows[i]) || !reflect.DeepEqual(tb.Geom(i), geoms[i]) {
					t.Fatalf("row %d: %q %v %v, want %q %v %v", i, tb.ID(i), tb.Row(i), tb.Geom(i), ids[i], rows[i], geoms[i])
				}
				for k := range cols {
					if v := tb.Value(i, k); !reflect.DeepEqual(v, rows[i][k]) {
						t.Fatalf("row %d column %d: %#v, want %#v", i, k, v, rows[i][k])
					}
				}
			}
		})
	}
}

// A held table's rows are a few objects, not a few per row: the columns
// are typed arrays, the ids one byte array, the geometries' boxes an arena.
// The collector marks every live object on every cycle.
func TestTableRowsAreFewObjects(t *testing.T) {
	const rows = 100000
	objects := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapObjects
	}
	before := objects()
	tb := &Table{Columns: []Column{{Name: "kind"}, {Name: "n"}, {Name: "m"}, {Name: "ok"}, {Name: "none"}}}
	for i := range rows {
		tb.Add(fmt.Sprintf("building:B%d", i), orb.Point{float64(i), 2}, "building", i, float64(i)/3, i%2 == 0, nil)
	}
	after := objects()
	if n := int64(after) - int64(before); n > rows/100 {
		t.Errorf("%d rows hold %d objects", rows, n)
	}
	if tb.Value(rows-1, 1) != rows-1 || tb.ID(7) != "building:B7" {
		t.Errorf("last row %v, id %q", tb.Row(rows-1), tb.ID(7))
	}
	// A row of plain values is no allocation of its own but its
	// geometry's box, which the table does not keep.
	if n := testing.AllocsPerRun(1000, func() {
		tb.Add("building:B1", orb.Point{1, 2}, "building", 1000, 1.5, true, nil)
	}); n > 1.05 {
		t.Errorf("%.2f allocations a row", n)
	}
}
