package osm

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Lengths as OSM writes them: "5", "5.5 m", "5,5", "16 ft", "16'", "12'6\"".
var (
	feetInches = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*'\s*(?:(\d+(?:\.\d+)?)\s*")?$`)
	inches     = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*"$`)
	withUnit   = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*(m|metres?|meters?|ft|feet|foot|km)?$`)
)

// parseLength reads a positive length in metres.
func parseLength(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	var v float64
	if g := feetInches.FindStringSubmatch(s); g != nil {
		ft, _ := strconv.ParseFloat(g[1], 64)
		in, _ := strconv.ParseFloat(g[2], 64) // 0 when absent
		v = ft*0.3048 + in*0.0254
	} else if g := inches.FindStringSubmatch(s); g != nil {
		in, _ := strconv.ParseFloat(g[1], 64)
		v = in * 0.0254
	} else if g := withUnit.FindStringSubmatch(s); g != nil {
		v, _ = strconv.ParseFloat(g[1], 64)
		switch g[2] {
		case "ft", "feet", "foot":
			v *= 0.3048
		case "km":
			v *= 1000
		}
	}
	return v, v > 0
}

var speed = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph|knots)?$`)

// parseSpeed reads a numeric maxspeed in km/h; zone values ("RU:urban"),
// "none", "walk" and lists are not numbers.
func parseSpeed(s string) (float64, bool) {
	g := speed.FindStringSubmatch(strings.TrimSpace(s))
	if g == nil {
		return 0, false
	}
	v, _ := strconv.ParseFloat(g[1], 64)
	switch g[2] {
	case "mph":
		v *= 1.609344
	case "knots":
		v *= 1.852
	}
	return v, v > 0
}

// parseCount reads a whole count such as building:levels ("3", "2.5"
// rounds to 3); negative values are refused.
func parseCount(s string) (int, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return int(math.Round(v)), true
}
