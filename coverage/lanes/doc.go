// Package lanes reports the fire lanes of every pre-2000 old district: by
// status, the lengths too narrow or too low for a truck (GB 50016-2014
// 7.1.8), and the buildings no truck road reaches.
package lanes
