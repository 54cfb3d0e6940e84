package coverage

import (
	"context"
	"fmt"
	"testing"
)

// TestTilesDoNotPushOutAnalyses: a flood of encoded tiles keeps at most
// its share of a short budget; the analyses computed before it stay, and
// what no one asked for since a mark is swept.
func TestTilesDoNotPushOutAnalyses(t *testing.T) {
	ctx := context.Background()
	put := func(c *Cache, kind, key string, size int64) {
		c.Get(ctx, kind, key, func(context.Context) (any, int64, error) { return key, size, nil })
	}
	for _, tc := range []struct {
		budget, analyses, analysisSize, tiles, tileSize int64
	}{
		{1000, 5, 100, 10000, 10},
		{1000, 7, 100, 100, 1},
		{400, 3, 100, 500, 50},
	} {
		c := NewCache(tc.budget)
		for i := range tc.analyses {
			put(c, "table", fmt.Sprint("analysis", i), tc.analysisSize)
		}
		for i := range tc.tiles {
			put(c, TileKind, fmt.Sprint("tile", i), tc.tileSize)
		}
		for i := range tc.analyses {
			// Kept while the analyses fit in three quarters.
			if tc.analyses*tc.analysisSize <= tc.budget*3/4 {
				if _, ok := c.Peek(fmt.Sprint("analysis", i)); !ok {
					t.Errorf("%+v: analysis %d pushed out by tiles", tc, i)
				}
			}
		}
		if st := c.Stats(); st.Bytes > tc.budget {
			t.Errorf("%+v: %d bytes held, over the budget", tc, st.Bytes)
		}
		if c.tileUsed > max(tc.budget/tileShare, tc.budget-tc.analyses*tc.analysisSize) {
			t.Errorf("%+v: tiles hold %d bytes, over their share", tc, c.tileUsed)
		}
		gen := c.Mark()
		put(c, "table", "analysis0", tc.analysisSize) // asked again: stays
		c.Sweep(gen)
		if st := c.Stats(); st.Entries != 1 || c.tileUsed != 0 {
			t.Errorf("%+v: after the sweep %d entries, tiles %d bytes; want the one asked for", tc, st.Entries, c.tileUsed)
		}
	}
}
