// Package siting proposes new stations by maximal covering: from candidate
// road nodes, greedily (with lazy gains) the site that brings the most
// households within the target, given the stations that stand.
package siting
