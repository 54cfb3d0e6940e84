package coverage

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

func testCatalog(t *testing.T) *Catalog {
	c, err := New(response.DefaultParams(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParamsCanonicalAndChecked(t *testing.T) {
	c := testCatalog(t)
	for _, tc := range []struct {
		entry, query string
		key          string // a substring of the canonical key; "" when an error is expected
		err          string // a substring of the error
	}{
		{"coverage_gaps", "minutes=5", "minutes=5&", ""},
		{"coverage_gaps", "minutes=5.0", "minutes=5&", ""},
		{"coverage_gaps", "minutes=0.5e1", "minutes=5&", ""},
		{"coverage_gaps", "", "minutes=5&", ""},
		{"coverage_summary", "minutes=15,5,8,5", "minutes=5%2C8%2C15&", ""},
		{"coverage_gaps", "minutes=5,8", "", "one number"},
		{"coverage_gaps", "minutes=0", "", "minutes"},
		{"coverage_gaps", "minutes=121", "", "minutes"},
		{"coverage_gaps", "minutes=NaN", "", "minutes"},
		{"coverage_gaps", "minuets=5", "", `unknown parameter "minuets"`},
		{"coverage_gaps", "truck_width_m=4.0", "truck_width_m=4&", ""},
		{"coverage_gaps", "truck_width_m=-1", "", "truck_width_m"},
		{"station_siting", "k=2.5", "", "k"},
		{"station_siting", "k=21", "", "k"},
		{"station_siting", "class=castle", "", "one of"},
		{"hydrant_gaps", "mode=straight&include_planned=1", "include_planned=true", ""},
		{"hydrant_gaps", "include_planned=maybe", "", "true or false"},
		{"clusters", "by_structure=TRUE&separation_m=6.00", "separation_m=6&by_structure=true", ""},
		// A parameter given twice is refused, not half used.
		{"coverage_summary", "minutes=5&minutes=8", "", "minutes: given twice; give it once (a list is comma-separated: minutes=5,8)"},
		{"coverage_gaps", "minutes=5&minutes=5&minutes=8", "", "minutes: given 3 times"},
		{"station_siting", "k=2&k=3", "", "k: given twice; give it once"},
		{"hydrant_gaps", "include_planned=true&include_planned=false", "", "include_planned: given twice"},
	} {
		e, ok := c.Entry(tc.entry)
		if !ok {
			t.Fatalf("no entry %s", tc.entry)
		}
		q, _ := url.ParseQuery(tc.query)
		v, err := e.Parse(q)
		switch {
		case tc.err != "":
			var pe *ParamError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s?%s: error %v, want a ParamError with %q", tc.entry, tc.query, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s?%s: %v", tc.entry, tc.query, err)
		case !strings.Contains(v.Key()+"&", tc.key):
			t.Errorf("%s?%s: key %q lacks %q", tc.entry, tc.query, v.Key(), tc.key)
		}
	}
}

func TestEveryEntryIsDeclaredWhole(t *testing.T) {
	c := testCatalog(t)
	paths := map[string]bool{}
	for _, e := range c.Entries {
		if e.Title.Zh == "" || e.Title.En == "" || e.Path == "" || len(e.Columns) == 0 {
			t.Errorf("%s: title, path and columns are required", e.Name)
		}
		if paths[e.Path] {
			t.Errorf("%s: path %s served twice", e.Name, e.Path)
		}
		paths[e.Path] = true
		if e.Tiled && (e.Geometry == "" || e.MinZoom > e.MaxZoom || e.MaxZoom == 0) {
			t.Errorf("%s: a tiled entry needs a geometry and zooms", e.Name)
		}
		for _, col := range e.Columns {
			if col.Title.Zh == "" || col.Title.En == "" {
				t.Errorf("%s.%s: column without both titles", e.Name, col.Name)
			}
			for code, l := range col.Values {
				if l.Zh == "" || l.En == "" {
					t.Errorf("%s.%s: value %s without both labels", e.Name, col.Name, code)
				}
			}
			if strings.HasSuffix(col.Name, "_s") && e.Analysis() {
				t.Errorf("%s.%s: an analysis shows times in minutes (_min)", e.Name, col.Name)
			}
		}
		if e.Sort != "" && !slices.ContainsFunc(e.Columns, func(c Column) bool { return c.Name == e.Sort }) {
			t.Errorf("%s: sorted by %s, no column of its own", e.Name, e.Sort)
		}
		if _, err := e.Parse(nil); err != nil {
			t.Errorf("%s: defaults do not parse: %v", e.Name, err)
		}
	}
}

func TestCacheSingleFlightAndEviction(t *testing.T) {
	c := NewCache(100)
	var calls atomic.Int32
	release := make(chan struct{})
	slow := func(ctx context.Context) (any, int64, error) {
		calls.Add(1)
		<-release
		return "v", 40, nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := c.Get(context.Background(), "k", "a", slow); err != nil || v != "v" {
				t.Errorf("Get = %v, %v", v, err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls.Load() != 1 || c.Computed("k") != 1 {
		t.Fatalf("8 concurrent Gets computed %d times (counter %d), want 1", calls.Load(), c.Computed("k"))
	}
	put := func(key string, size int64) {
		if _, err := c.Get(context.Background(), "k", key, func(context.Context) (any, int64, error) { return key, size, nil }); err != nil {
			t.Fatal(err)
		}
	}
	put("b", 40)  // a, b: 80 bytes
	c.Peek("a")   // a is now the most recent
	put("c", 40)  // 120 > 100: b, the least recent, goes
	put("d", 200) // larger than the whole cache: computed, not kept
	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": false} {
		if _, ok := c.Peek(key); ok != want {
			t.Errorf("after eviction %s cached = %v, want %v", key, ok, want)
		}
	}
	if st := c.Stats(); st.Bytes > 100 || st.Entries != 2 {
		t.Errorf("stats %+v: want 2 entries within 100 bytes", st)
	}
}

func TestCacheDropsErrorsAndStopsAbandonedWork(t *testing.T) {
	c := NewCache(1 << 20)
	boom := errors.New("boom")
	if _, err := c.Get(context.Background(), "k", "e", func(context.Context) (any, int64, error) { return nil, 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if _, ok := c.Peek("e"); ok {
		t.Fatal("an error was cached")
	}
	stopped := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(10 * time.Millisecond)
		cancel()
	}()
	_, err := c.Get(ctx, "k", "long", func(ctx context.Context) (any, int64, error) {
		<-ctx.Done()
		close(stopped)
		return nil, 0, ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned Get returned %v", err)
	}
	select {
	case <-stopped:
	case <-time.After(time.Second):
		t.Fatal("the computation kept running after its only caller left")
	}
}

func TestEveryAnalysisDeclaresItsLayers(t *testing.T) {
	c, err := New(response.DefaultParams(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Entries {
		if len(e.Uses) == 0 {
			t.Errorf("%s declares no layers", e.Name)
		}
		for _, l := range e.Uses {
			if _, ok := data.SchemaOf(l); !ok {
				t.Errorf("%s uses unknown layer %q", e.Name, l)
			}
		}
	}
	if got := c.Weakened(data.LayerFireLanes); !slices.Equal(got, []string{"fire_lane_districts", "district_plans"}) {
		t.Errorf("fire lanes weaken %v", got)
	}
}

// TestViewReadsLikeAHeldTable: a view and a table holding the same rows
// answer the same, sorted or not, values missing included.
func TestViewReadsLikeAHeldTable(t *testing.T) {
	cols := []Column{{Name: "id"}, {Name: "households"}, {Name: "minutes"}}
	rows := [][]any{{"a", 3, 1.5}, {"b", nil, 2.0}, {"c", 7, nil}, {"d", 3, 9.0}, {"e", 12, 0.5}}
	for _, sortBy := range []string{"", "households", "minutes"} {
		held := &Table{Columns: cols}
		for i, r := range rows {
			held.Add(r[0].(string), orb.Point{float64(i), 0}, r...)
		}
		view := NewView(cols, View{
			Len:  len(rows),
			ID:   func(i int) string { return rows[i][0].(string) },
			Geom: func(i int) orb.Geometry { return orb.Point{float64(i), 0} },
			Row:  func(i int) []any { return rows[i] },
		})
		if sortBy != "" {
			held.sortDesc(sortBy)
			view.sortDesc(sortBy)
			view.sortDesc(sortBy) // sorting again keeps the order
		}
		var order []string
		for i := range held.Len() {
			order = append(order, held.ID(i))
			if held.ID(i) != view.ID(i) || !reflect.DeepEqual(held.Row(i), view.Row(i)) || held.Geom(i) != view.Geom(i) {
				t.Errorf("sorted by %q, row %d: held %s %v %v, view %s %v %v", sortBy, i,
					held.ID(i), held.Row(i), held.Geom(i), view.ID(i), view.Row(i), view.Geom(i))
			}
		}
		if want := map[string]string{"": "a b c d e", "households": "e c a d b", "minutes": "d b a e c"}[sortBy]; strings.Join(order, " ") != want {
			t.Errorf("sorted by %q: %v, want %s", sortBy, order, want)
		}
		if view.Len() != held.Len() || !view.HasGeoms() {
			t.Errorf("view: %d rows, geometry %v", view.Len(), view.HasGeoms())
		}
	}
}
