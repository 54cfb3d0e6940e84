// Package gainq is the max-queue of candidate gains that the lazy greedy
// planners (hydrant sites, station sites) share.
package gainq

// Item is a candidate and its last known gain.
type Item struct {
	I    int
	Gain float64
}

// Queue is a binary max-heap by gain; ties go to the lower candidate index,
// so plans are stable for the same input. Typed rather than through
// container/heap: a province's plan makes millions of comparisons.
type Queue struct{ Items []Item }

func (q *Queue) less(i, j int) bool {
	a, b := &q.Items[i], &q.Items[j]
	return a.Gain > b.Gain || a.Gain == b.Gain && a.I < b.I
}

// Len returns the number of items queued.
func (q *Queue) Len() int { return len(q.Items) }

// Init orders Items, filled in any order.
func (q *Queue) Init() {
	for i := len(q.Items)/2 - 1; i >= 0; i-- {
		q.down(i)
	}
}

// Top returns the best item; the queue must not be empty.
func (q *Queue) Top() Item { return q.Items[0] }

// Next returns the best gain after the top's, if there is another item.
func (q *Queue) Next() (float64, bool) {
	switch len(q.Items) {
	case 0, 1:
		return 0, false
	case 2:
		return q.Items[1].Gain, true
	}
	if q.less(1, 2) {
		return q.Items[1].Gain, true
	}
	return q.Items[2].Gain, true
}

// Pop removes and returns the best item.
func (q *Queue) Pop() Item {
	top := q.Items[0]
	n := len(q.Items) - 1
	q.Items[0] = q.Items[n]
	q.Items = q.Items[:n]
	if n > 0 {
		q.down(0)
	}
	return top
}

// Push adds an item.
func (q *Queue) Push(it Item) {
	q.Items = append(q.Items, it)
	for i := len(q.Items) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			return
		}
		q.Items[i], q.Items[p] = q.Items[p], q.Items[i]
		i = p
	}
}

// Lower sets the top's gain to g, at most its gain, and restores the order:
// what a lazy greedy does with a top whose gain went stale.
func (q *Queue) Lower(g float64) {
	q.Items[0].Gain = g
	q.down(0)
}

func (q *Queue) down(i int) {
	n := len(q.Items)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && q.less(c+1, c) {
			c++
		}
		if !q.less(c, i) {
			return
		}
		q.Items[i], q.Items[c] = q.Items[c], q.Items[i]
		i = c
	}
}
