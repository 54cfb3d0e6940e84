// Package api serves fireplan over HTTP with gorilla/mux: the layers as
// GeoJSON, the load report, the analyses and their exports, and all of them
// as OGC API - Features under /ogc (ogc.go, openapi.go). Handlers return
// errors; one adapter turns them into JSON with the right status, and every
// parameter is validated against limits before any work is done.
package api
