// Package geo holds the geometry fireplan needs beneath its layers: a local
// transverse Mercator projection (metres around the data's centre), exact
// point, segment and polygon distances in that plane, and a spatial index over
// tidwall/rtree with box, radius and k-nearest queries.
//
// geo knows nothing of layers or analyses; everything here works on orb types.
//
// fireplan carries two geometry libraries. paulmach/orb is the one every
// layer speaks: data decodes PostGIS WKB with orb's encoding/wkb (SRIDs are
// resolved in SQL, where ST_Transform brings every table to lon/lat), geo
// measures orb geometries, analyses return orb geometry and tiles encode it
// with orb's clip and mvt. twpayne/go-geom is used where it replaces code
// fireplan would otherwise write and keep robust itself: ConvexHull (go-geom's
// xy, a port of JTS's hull, sound on collinear and repeated points), of a
// rural cluster or a derived built-up area, converted at that boundary back
// to orb. Its EWKB decoder was weighed for the load path and left out: it
// would only add a conversion, as no SRID reaches Go.
package geo
