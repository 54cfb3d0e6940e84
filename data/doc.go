// Package data holds fireplan's nine layers as typed values, validates them
// row by row (a bad row is skipped and reported, a bad optional value nulled
// and counted, never fatal), loads them from PostGIS as a county's config
// maps its own tables (columns or expressions, constants, defaults, value
// maps, row filters, absent layers) or writes them there, and publishes
// them as an immutable Snapshot with lon/lat and metric R-tree indexes.
//
// data knows no analysis; the sample county lives in data/sample.
package data
