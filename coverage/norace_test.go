//go:build !race

package coverage

const slowdown = 1
