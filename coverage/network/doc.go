// Package network is the road network every analysis shares: roads noded
// at shared vertices and where a road end misses another road's vertex by
// less than a tolerance, loops split so they keep their edges; the truck
// graph (roads at least as wide as the truck, timed by class speeds, one-way
// respected, tunnels in) and the street graph hoses are laid along (both
// ways, in metres, tunnels out), both in compressed sparse rows with
// chains of degree-two nodes contracted; multi-source Dijkstra (and its
// rerun after a few sources change, for what-if scenarios), snapping of
// points to the nearest passable segment, and small local searches.
// A graph is built once per snapshot and profile and shared read-only.
package network
