package api

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestWhatIfRoomFollowsTheMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(old)
	if _, ok := whatIfRoom(); ok {
		t.Error("room given without a memory limit")
	}
	const limit = 64 << 40
	debug.SetMemoryLimit(limit)
	room, ok := whatIfRoom()
	if !ok || room <= 0 || room > limit/roomShare {
		t.Errorf("room %d under a %d limit, want in (0, %d]", room, int64(limit), int64(limit/roomShare))
	}
	debug.SetMemoryLimit(1 << 20) // below any live heap
	if room, ok := whatIfRoom(); !ok || room >= 0 {
		t.Errorf("room %d %v with the heap past the limit, want negative", room, ok)
	}
}
