// Package coverage computes fireplan's analyses over a data.Snapshot: the
// truck road graph and response times from every active station, hydrant
// protection gaps and siting, rural house clusters. Analyses are pure
// functions of a snapshot and parameters; Engine caches their results per
// snapshot version and parameter set.
//
// coverage knows nothing of HTTP or tiles.
package coverage
