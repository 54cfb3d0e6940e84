package gainq

import (
	"math/rand"
	"testing"
)

// The queue against a brute-force search for the best item, through a lazy
// greedy's mix of pops and lowered tops, and a merge's pushes, with many
// equal gains.
func TestQueueAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for trial := range 200 {
		n := rng.Intn(60)
		var q Queue
		ref := map[int]float64{}
		for i := range n {
			g := float64(rng.Intn(8))
			q.Items = append(q.Items, Item{i, g})
			ref[i] = g
		}
		q.Init()
		best := func(skip int) (int, bool) {
			b, ok := -1, false
			for i, g := range ref {
				if i != skip && (!ok || g > ref[b] || g == ref[b] && i < b) {
					b, ok = i, true
				}
			}
			return b, ok
		}
		for pushed := 0; q.Len() > 0 || pushed < 3; {
			if rng.Intn(4) == 0 && pushed < 20 || q.Len() == 0 {
				i, g := n+pushed, float64(rng.Intn(8))
				pushed++
				q.Push(Item{i, g})
				ref[i] = g
				continue
			}
			if q.Len() != len(ref) {
				t.Fatalf("trial %d: %d queued, want %d", trial, q.Len(), len(ref))
			}
			top := q.Top()
			if b, _ := best(-1); top.I != b || top.Gain != ref[b] {
				t.Fatalf("trial %d: top %+v, want %d gain %v", trial, top, b, ref[b])
			}
			next, ok := q.Next()
			if b, has := best(top.I); ok != has || has && next != ref[b] {
				t.Fatalf("trial %d: next %v %v, want %v", trial, next, ok, has)
			}
			if rng.Intn(2) == 0 && top.Gain > 0 {
				g := float64(rng.Intn(int(top.Gain) + 1))
				q.Lower(g)
				ref[top.I] = g
				continue
			}
			if p := q.Pop(); p != top {
				t.Fatalf("trial %d: popped %+v, want %+v", trial, p, top)
			}
			delete(ref, top.I)
		}
	}
}
