// Package response computes when the first crew arrives: a multi-source
// search from every active station (turnout added) over the truck graph,
// each building, village and old district reached at its nearest road a
// truck reaches, plus the walk from it (along that road too, one-way or not,
// when the truck cannot drive in); households covered per township and village
// at each target, the gaps, and isochrones traced from a raster of arrival
// times. A what-if scenario that changes stations derives its response from
// its base's (Derive), redoing only what the change can reach. Geometry is
// in metres of the snapshot's projection.
package response
