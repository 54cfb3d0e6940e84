package data

import (
	"fmt"
	"io"
	"sort"
)

// maxProblems caps the rows listed per layer; counts stay complete.
const maxProblems = 500

// Problem is one skipped row: which layer, which id, why.
type Problem struct {
	Layer  string `json:"layer"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// LayerReport is what a load made of one layer.
type LayerReport struct {
	Layer    string         `json:"layer"`
	Source   string         `json:"source"`
	Loaded   int            `json:"loaded"`
	Skipped  map[string]int `json:"skipped"` // rows by reason
	Problems []Problem      `json:"problems,omitempty"`
	Notes    []string       `json:"notes,omitempty"`
}

func newLayerReport(layer, source string) *LayerReport {
	return &LayerReport{Layer: layer, Source: source, Skipped: map[string]int{}}
}

func (r *LayerReport) skip(id string, err *RowError) {
	r.Skipped[err.Reason]++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, Problem{Layer: r.Layer, ID: id, Reason: err.Reason, Detail: err.Detail})
	}
}

// Note records something the user should know that skipped no row.
func (r *LayerReport) Note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// SkippedTotal returns the number of rows skipped for any reason.
func (r *LayerReport) SkippedTotal() int {
	n := 0
	for _, c := range r.Skipped {
		n += c
	}
	return n
}

// Report is the load report of every layer.
type Report struct {
	Layers []*LayerReport `json:"layers"`
}

// Layer returns the report of the named layer, or nil.
func (r *Report) Layer(name string) *LayerReport {
	for _, l := range r.Layers {
		if l.Layer == name {
			return l
		}
	}
	return nil
}

// Print writes a human summary: one line per layer, then each problem row.
func (r *Report) Print(w io.Writer) {
	for _, l := range r.Layers {
		fmt.Fprintf(w, "%-10s %8d loaded from %s", l.Layer, l.Loaded, l.Source)
		if n := l.SkippedTotal(); n > 0 {
			reasons := make([]string, 0, len(l.Skipped))
			for k := range l.Skipped {
				reasons = append(reasons, k)
			}
			sort.Strings(reasons)
			fmt.Fprintf(w, ", %d skipped:", n)
			for _, k := range reasons {
				fmt.Fprintf(w, " %s=%d", k, l.Skipped[k])
			}
		}
		fmt.Fprintln(w)
		for _, n := range l.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		for _, p := range l.Problems {
			fmt.Fprintf(w, "  skipped %s\n", p)
		}
		if n := l.SkippedTotal(); n > len(l.Problems) {
			fmt.Fprintf(w, "  ... and %d more skipped rows\n", n-len(l.Problems))
		}
	}
}
