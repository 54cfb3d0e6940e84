// Package workers carries in a context how many goroutines one computation
// may keep busy, so that an analysis admitted beside others (and beside the
// tiles and items served from memory) does not take every core.
package workers

import (
	"context"
	"runtime"
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
