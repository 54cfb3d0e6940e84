package api

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// roomShare is the share of what the memory limit leaves above the live
// heap that what-ifs may keep cached. The rest is the collector's room for
// the what-ifs' own work: near the limit it collects again and again, and
// at a province one what-if then took minutes instead of seconds.
const roomShare = 4

// whatIfRoom returns the bytes cached what-ifs may keep under the process's
// memory limit (GOMEMLIMIT), given the heap live now; false without a limit.
// The room is counted up to the collector's goal, not to the limit: the
// runtime keeps part of the limit for itself (at 110 counties the goal
// under 7 GiB was 6.7 GB), and a cache sized from the limit had left the
// what-ifs a collection every few hundred megabytes. It collects first,
// so that the live heap is the defaults' and not the warm-up's garbage.
func whatIfRoom() (int64, bool) {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		return 0, false
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	top := min(limit, int64(s[1].Value.Uint64()))
	return (top - int64(s[0].Value.Uint64())) / roomShare, true
}
