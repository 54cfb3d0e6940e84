package api

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"testing"

	"fireplan/coverage"
	"fireplan/data"
)

// TestReloadsDoNotAccumulate: a server following edits (a new snapshot,
// then the warm-up, as serve does on every reload) holds what the current
// data needs and no more: after the warm-up, the cache's entries and the
// heap stay where they were after the first reloads, however many follow.
func TestReloadsDoNotAccumulate(t *testing.T) {
	sampleServer(t)
	var st data.Store
	st.Swap(sampleSnap)
	s, err := New(&st, Options{CacheBytes: 4 << 30}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s.Warm(ctx)
	var entries []int
	var heap []uint64
	for i := 1; i <= 8; i++ {
		// Each edit removes another hydrant: a new version every time.
		edited := slices.Clone(sampleSnap.Hydrants.Items[i:])
		snap, _ := sampleSnap.Derive("edited", data.Edit{Hydrants: &edited})
		snap.Base = nil
		st.Swap(snap)
		// A request at the new data, as a map open during the edit asks.
		if _, err := s.tileLayer(ctx, s.mustEntry(t, "hydrant_gaps"), snap, s.mustEntry(t, "hydrant_gaps").Defaults()); err != nil {
			t.Fatal(err)
		}
		s.Warm(ctx)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		entries = append(entries, s.cat.Cache.Stats().Entries)
		heap = append(heap, ms.HeapInuse)
	}
	t.Logf("cache entries after each reload %v; heap MB %v", entries, mb(heap))
	if last, early := entries[len(entries)-1], entries[1]; last > early {
		t.Errorf("the cache holds %d entries after 8 reloads, %d after 2: what old data computed stays", last, early)
	}
	if last, early := heap[len(heap)-1], heap[1]; last > early+early/5 {
		t.Errorf("heap in use %d MB after 8 reloads, %d MB after 2", last>>20, early>>20)
	}
}

func (s *Server) mustEntry(t *testing.T, name string) *coverage.Entry {
	e, ok := s.cat.Entry(name)
	if !ok {
		t.Fatalf("no entry %s", name)
	}
	return e
}

func mb(xs []uint64) []uint64 {
	out := make([]uint64, len(xs))
	for i, x := range xs {
		out[i] = x >> 20
	}
	return out
}
