// Package siting proposes new stations and brigades. Station siting is
// maximal covering: from candidate sites (road nodes, township seats or
// planned stations), greedily (with lazy gains) the site that brings the most
// households within the target given the stations that stand and the
// required ones, then improved by exchanges (1-opt) within a time budget; or
// set covering, the fewest sites reaching a share of households. The
// township brigade plan and the village volunteer-brigade ledger weigh
// brigades against the county plans' 70% targets.
package siting
