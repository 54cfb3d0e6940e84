// Package data holds fireplan's nine layers as typed values, validates them
// row by row (a bad row is skipped and reported, never fatal), loads them from
// PostGIS or writes them there, and publishes them as an immutable Snapshot
// with lon/lat and metric R-tree indexes.
//
// data knows no analysis; the sample county lives in data/sample.
package data
