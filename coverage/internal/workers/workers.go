// Package workers carries in a context how many goroutines one computation
// may keep busy, so that an analysis admitted beside others (and beside the
// tiles and items served from memory) does not take every core.
package workers

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

type key struct{}

// With returns ctx allowing n workers.
func With(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, key{}, max(n, 1))
}

// Of returns the workers ctx allows: all the cores unless With said fewer.
func Of(ctx context.Context) int {
	if n, ok := ctx.Value(key{}).(int); ok {
		return min(n, runtime.GOMAXPROCS(0))
	}
	return runtime.GOMAXPROCS(0)
}

// Each calls fn(i) for every i in [0, n), blocks of them shared out among
// the workers ctx allows; it stops early when ctx ends. fn must only read
// what other calls write.
func Each(ctx context.Context, n int, fn func(i int)) {
	Blocks(ctx, n, 4096, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			fn(i)
		}
	})
}

// Blocks calls fn(w, lo, hi) for consecutive blocks [lo, hi) of [0, n),
// block long, shared out among the workers ctx allows; it stops early when
// ctx ends. w, below Of(ctx), names the worker running the block, for state
// of its own.
func Blocks(ctx context.Context, n, block int, fn func(w, lo, hi int)) {
	blocks := (n + block - 1) / block
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(Of(ctx), blocks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := int(next.Add(1) - 1); b < blocks && ctx.Err() == nil; b = int(next.Add(1) - 1) {
				fn(w, b*block, min(n, (b+1)*block))
			}
		}()
	}
	wg.Wait()
}
