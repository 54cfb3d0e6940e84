// Package clusters joins rural buildings closer than the fire separation
// (GB 50016-2014) into clusters, single linkage, sums their households into
// the tiers of the county task lists (30, 50, 100+) and keeps the ledger
// per township: retrofit progress, brigades and water sources.
package clusters
