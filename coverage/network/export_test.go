package network

import "context"

// BuildCSR lays out g's Nodes and Edges for Run, for tests that build a
// graph from edges directly rather than from a snapshot's roads.
func BuildCSR(g *Graph) {
	if err := g.buildCSR(context.Background()); err != nil {
		panic(err)
	}
}
