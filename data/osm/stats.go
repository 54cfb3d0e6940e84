package osm

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Key names a rule within a layer.
type Key struct {
	Layer string
	Rule  string
}

// Stats counts what Read kept, skipped and assumed.
type Stats struct {
	Kept    map[string]int // items by layer
	Skipped map[Key]int    // OSM objects left out, by layer and reason
	// Assumed counts values fireplan chose where the tags said nothing (a
	// station's class, a building's households) and facts a planner should
	// know (a road cut by the extract's edge), by layer and rule.
	Assumed map[Key]int
}

func newStats() *Stats {
	return &Stats{Kept: map[string]int{}, Skipped: map[Key]int{}, Assumed: map[Key]int{}}
}

func (s *Stats) skip(layer, format string, args ...any) {
	s.Skipped[Key{layer, fmt.Sprintf(format, args...)}]++
}

func (s *Stats) assume(layer, format string, args ...any) {
	s.Assumed[Key{layer, fmt.Sprintf(format, args...)}]++
}

// Assumptions lists the assumptions, one line each ("stations: class
// volunteer, no rule matched: 3"), sorted, for the CLI to print.
func (s *Stats) Assumptions() []string { return lines(s.Assumed) }

// Skips lists the skipped objects like Assumptions.
func (s *Stats) Skips() []string { return lines(s.Skipped) }

func lines(m map[Key]int) []string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b Key) int {
		return strings.Compare(a.Layer+"\x00"+a.Rule, b.Layer+"\x00"+b.Rule)
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s: %s: %d", k.Layer, k.Rule, m[k])
	}
	return out
}

// String is the kept counts per layer, then the skipped and assumed lines.
func (s *Stats) String() string {
	var b strings.Builder
	b.WriteString("kept")
	for _, l := range slices.Sorted(maps.Keys(s.Kept)) {
		fmt.Fprintf(&b, " %s %d,", l, s.Kept[l])
	}
	out := strings.TrimSuffix(b.String(), ",")
	if sk := s.Skips(); len(sk) > 0 {
		out += "; skipped: " + strings.Join(sk, ", ")
	}
	if as := s.Assumptions(); len(as) > 0 {
		out += "; assumed: " + strings.Join(as, ", ")
	}
	return out
}
