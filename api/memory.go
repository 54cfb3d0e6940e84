package api

import (
	"math"
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
func whatIfRoom() (int64, bool) {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		return 0, false
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return (limit - int64(s[0].Value.Uint64())) / roomShare, true
}
