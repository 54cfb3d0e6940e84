// Package geo holds the geometry fireplan needs beneath its layers: a local
// transverse Mercator projection (metres around the data's centre), exact
// point, segment and polygon distances in that plane, and a spatial index over
// tidwall/rtree with box, radius and k-nearest queries.
//
// geo knows nothing of layers or analyses; everything here works on orb types.
package geo
