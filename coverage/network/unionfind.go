package network

// UnionFind is a disjoint-set forest over 0..n-1 with path halving; the
// smaller index becomes the root, so roots are stable for the same input.
type UnionFind struct{ parent []int32 }

// NewUnionFind returns n singletons.
func NewUnionFind(n int) *UnionFind {
	uf := &UnionFind{parent: make([]int32, n)}
	for i := range uf.parent {
		uf.parent[i] = int32(i)
	}
	return uf
}

// Find returns the root of x's set.
func (u *UnionFind) Find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]] // path halving
		x = u.parent[x]
	}
	return x
}

// Union joins the sets of a and b.
func (u *UnionFind) Union(a, b int32) {
	ra, rb := u.Find(a), u.Find(b)
	if ra != rb {
		if ra < rb {
			u.parent[rb] = ra
		} else {
			u.parent[ra] = rb
		}
	}
}
