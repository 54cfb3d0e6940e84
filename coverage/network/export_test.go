package network

// BuildCSR lays out g's Nodes and Edges for Run, for tests that build a
// graph from edges directly rather than from a snapshot's roads.
var BuildCSR = (*Graph).buildCSR
