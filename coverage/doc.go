// Package coverage is fireplan's catalogue: every base layer and every
// analysis declared once (Entry: name, path, parameters with types,
// defaults, ranges and a canonical form, columns with Chinese and English
// titles, and the builder), and the one Cache their results live in.
//
// The analyses themselves are packages below it, each a pure function of
// a data.Snapshot and its parameters, knowing nothing of HTTP or tiles:
//
//	network   noding, the truck and street graphs (CSR), Dijkstra, snapping, local searches
//	areas     which township, village, old district and built-up area holds each building
//	response  arrival times, coverage per township and village, gaps, isochrones
//	hydrants  protection along streets, gaps, spacing, the siting plan, stats
//	clusters  rural house clusters, tiers and the ledger
//	lanes     fire lanes per old district
//	siting    new station sites (maximal covering)
//	export    any table as GeoJSON, JSON, CSV or XLSX
//
// Geometry convention: analyses return geometry in metres of the
// snapshot's local projection; a Table carries that projection, and lon/lat
// is made once, when a table is exported or tiled. The api package and the
// CLI generate their routes, parameters, exports and tile layers from the
// catalogue: adding an analysis is one package and one entry here.
//
// Every result, intermediate (graphs, response times, hydrant plans) or
// final (tables, tile sets, encoded tiles), is cached under (data version,
// kind, canonical parameters): the data version is a hash of the loaded
// content, so a reload with other data misses by construction. Each
// request's context reaches the long computations, and a computation stops
// when the last request waiting for it has gone.
package coverage
