//go:build race

package coverage

// slowdown scales the cancellation limits under the race detector, which
// runs this code several times slower; the limits hold as written without it.
const slowdown = 10
