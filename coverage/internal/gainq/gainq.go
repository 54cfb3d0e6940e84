// Package gainq is the max-queue of candidate gains that the lazy greedy
// planners (hydrant sites, station sites) share, for container/heap.
package gainq

// Item is a candidate and its last known gain.
type Item struct {
	I    int
	Gain float64
}

// Queue is a max-queue by gain; ties go to the lower candidate index, so
// plans are stable for the same input.
type Queue struct{ Items []Item }

func (q *Queue) Len() int { return len(q.Items) }
func (q *Queue) Less(i, j int) bool {
	a, b := q.Items[i], q.Items[j]
	return a.Gain > b.Gain || a.Gain == b.Gain && a.I < b.I
}
func (q *Queue) Swap(i, j int) { q.Items[i], q.Items[j] = q.Items[j], q.Items[i] }
func (q *Queue) Push(x any)    { q.Items = append(q.Items, x.(Item)) }
func (q *Queue) Pop() any {
	x := q.Items[len(q.Items)-1]
	q.Items = q.Items[:len(q.Items)-1]
	return x
}
