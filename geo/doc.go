// Package geo holds the geometry fireplan needs beneath its layers: a local
// transverse Mercator projection (metres around the data's centre), exact
// point, segment and polygon distances in that plane, and a spatial index over
// tidwall/rtree with box, radius and k-nearest queries.
//
// geo knows nothing of layers or analyses; everything here works on orb types.
//
// fireplan carries one geometry library, paulmach/orb, in every layer: data
// decodes PostGIS WKB with orb's encoding/wkb (SRIDs are resolved in SQL,
// where ST_Transform brings every table to lon/lat, so no SRID reaches Go),
// geo measures orb geometries, tiles encode them with orb's mvt. The design
// notes name twpayne/go-geom beside it; it was weighed and left out because
// it would replace no code here: fireplan has no hand-written ring
// orientation, centroid or convex hull, Length is a loop over the segment
// walker the distance code shares, and the EWKB decoding go-geom offers
// would only add a go-geom-to-orb conversion on the load path (orb has its
// own encoding/ewkb should an SRID ever need to travel with the bytes).
package geo
