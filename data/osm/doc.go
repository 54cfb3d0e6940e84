// Package osm reads an OpenStreetMap extract (.osm.pbf, .osm or .osm.gz)
// into fireplan's layers, for a county that has no GIS of its own. It
// writes nothing: the importer and `serve --osm` decide where the layers go.
//
// The mapping (every knob is a field of Options, see DefaultOptions):
//
//   - roads: highway ways whose value Options.Classes names: motorway,
//     trunk, primary, secondary, tertiary (each _link as its base class),
//     unclassified as residential (in a county these are the narrow roads
//     between villages, nearer a residential street than a tertiary road in
//     width and truck speed), residential, living_street as residential,
//     service and track. Pedestrian ways, footways, paths, cycleways, steps
//     and every other value are skipped, as are area=yes and access=no or
//     private (unless emergency=yes or designated). oneway=yes/1/true is
//     Forward, -1/reverse Backward, no/false/0 two-way; reversible and
//     alternating are read as two-way (a truck may meet either direction,
//     and dropping the road would cut the graph); junction=roundabout or
//     circular and highway=motorway imply Forward. width, else est_width,
//     is parsed with units (m, ft, ', "). A numeric maxspeed (km/h, or mph)
//     below the class's truck speed becomes speed_kmh; a zone value such as
//     "RU:urban" is counted and ignored. maxheight has no field: one under
//     Options.MinClearanceM is counted (the tag stays with the source tags).
//     tunnel and bridge other than "no" set the flags. Ways are split at
//     every node that two kept roads share (or one road twice), so each road
//     runs between junctions, with ids "w<way>-<n>" (n from 1); a way cut by
//     the extract's edge keeps the runs of nodes inside.
//   - hydrants: emergency=fire_hydrant, kind from fire_hydrant:type
//     (pillar, underground, wall, pipe: municipal; pond: natural; missing or
//     other: municipal, counted); emergency=water_tank, suction_point or
//     fire_water_pond are fire_pool; disused:emergency=fire_hydrant,
//     disused=yes, out_of_service=yes or operational_status=out_of_service|
//     broken|defective make it broken, otherwise it is assumed working.
//     Ways and relations give their centroid.
//   - stations: amenity=fire_station nodes, ways and multipolygons (the
//     area's centroid); a node inside a mapped station area is the same
//     station and skipped. Class from the first matching "key=value" rule
//     of Options.StationClassByTag, else Options.StationClass (volunteer),
//     each choice counted as an assumption; status active.
//   - buildings: closed ways and multipolygon relations with building=*
//     other than "no". Households from building:flats; else, for the types
//     in Options.FloorAreaTypes (apartments, residential, dormitory,
//     terrace), footprint x building:levels (else Options.DefaultLevels) /
//     Options.FloorAreaPerHouseholdM2, at least 1; else Options.Households
//     by type (house, detached, farm ... 1; garage, shed, commercial ... 0);
//     else Options.DefaultHouseholds (1, the schema's default, as most
//     building=yes in a county are houses). floors from building:levels;
//     structure from building:material: wood, timber -> wood; brick ->
//     brick; concrete, reinforced_concrete, cement_block -> concrete; any
//     other material -> mixed (counted); none -> unknown.
//   - villages: place=village, hamlet or isolated_dwelling as areas where
//     mapped; a place node gets the convex hull of the buildings nearer it
//     than any other place node and within Options.VillageRadiusM, or a
//     circle of Options.VillageCircleM when fewer than three buildings span
//     an area. township_id is the township holding the village's centroid.
//   - townships: boundary=administrative at Options.TownshipAdminLevel (8,
//     China's township level), ways or relations; kind from a Chinese name's
//     suffix (镇 town, 乡 township, 街道 subdistrict), else unknown.
//   - builtup: landuse values of Options.BuiltupLanduse (residential,
//     commercial and retail with no kind, industrial as industrial), except a
//     residential area holding a village place node, which is the village's.
//
// Multipolygon and boundary relations are assembled from their member ways:
// rings are joined end to end across ways, each inner ring goes into the
// smallest outer that holds it, outers are counter-clockwise and inners
// clockwise. An area whose ring cannot close (a member missing, usually cut
// by the extract's edge) is skipped and counted.
//
// Every item's source tags can be collected with Options.Tags. All nodes'
// positions are held in memory while reading (a county extract of a few
// million nodes takes a few hundred MB).
package osm
