package data

// ContentVersion exposes contentVersion to the benchmarks of package data_test.
var ContentVersion = contentVersion

// DeriveBuiltup exposes deriveBuiltup to the benchmarks of package data_test.
var DeriveBuiltup = deriveBuiltup
