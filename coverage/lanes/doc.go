// Package lanes reports the fire lanes of every pre-2000 old district: by
// status, the lengths too narrow or too low for a truck (GB 50016-2014
// 7.1.8), the buildings beyond a truck's reach along usable lanes and the
// roads around the district, and the lane fixes that bring them in.
package lanes
