package data

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

const (
	maxProblems = 500 // rows listed per layer; counts stay complete
	maxExamples = 3   // ids kept per skip reason for the summary
	maxDistinct = 50  // unmapped source values kept per attribute
)

// Problem is one skipped row: which layer, which id, why.
type Problem struct {
	Layer  string `json:"layer"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	Line   int    `json:"line,omitempty"` // line in a spreadsheet (the header is line 1)
}

// LayerReport is what a load made of one layer.
type LayerReport struct {
	Layer  string `json:"layer"`
	Source string `json:"source"`
	Absent bool   `json:"absent,omitempty"` // set to null, or an optional table missing
	Failed bool   `json:"failed,omitempty"` // a missing table or column: not read
	Loaded int    `json:"loaded"`
	// Columns are the attributes read from a column or expression.
	Columns  []string            `json:"columns,omitempty"`
	Skipped  map[string]int      `json:"skipped"`            // rows by reason
	Examples map[string][]string `json:"examples,omitempty"` // first ids by skip reason
	// Warnings counts values nulled in rows that were kept, by reason and
	// attribute ("bad_attribute oneway").
	Warnings map[string]int `json:"warnings,omitempty"`
	// Unmapped counts, per attribute, source values that neither "values"
	// nor the attribute's type accepts.
	Unmapped  map[string]*ValueCounts `json:"unmapped,omitempty"`
	Constants map[string]any          `json:"constants,omitempty"` // attribute -> value of every row
	Defaulted map[string]int          `json:"defaulted,omitempty"` // attribute -> rows given the default
	Weakens   []string                `json:"weakens,omitempty"`   // analyses this absent or empty layer leaves short
	Problems  []Problem               `json:"problems,omitempty"`
	Notes     []string                `json:"notes,omitempty"`
	// Attribution is what the source asks a map of it to show (OpenStreetMap's
	// ODbL: "© OpenStreetMap contributors"), from its table comment.
	Attribution string `json:"attribution,omitempty"`
}

// ValueCounts counts distinct source values of one attribute: at most
// maxDistinct of them, the rows of any further values in Other.
type ValueCounts struct {
	Counts map[string]int `json:"counts"`
	Other  int            `json:"other,omitempty"`
}

func newLayerReport(layer, source string) *LayerReport {
	return &LayerReport{Layer: layer, Source: source, Skipped: map[string]int{}}
}

func (r *LayerReport) skip(id string, err *RowError) { r.skipAt(id, 0, err) }

func (r *LayerReport) skipAt(id string, line int, err *RowError) {
	r.Skipped[err.Reason]++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, Problem{Layer: r.Layer, ID: id, Reason: err.Reason, Detail: err.Detail, Line: line})
	}
	if r.Examples == nil {
		r.Examples = map[string][]string{}
	}
	if ex := r.Examples[err.Reason]; len(ex) < maxExamples {
		r.Examples[err.Reason] = append(ex, id)
	}
}

func (r *LayerReport) warn(reason, attr string) {
	if r.Warnings == nil {
		r.Warnings = map[string]int{}
	}
	r.Warnings[reason+" "+attr]++
}

func (r *LayerReport) unmapped(attr, value string) {
	if r.Unmapped == nil {
		r.Unmapped = map[string]*ValueCounts{}
	}
	vc := r.Unmapped[attr]
	if vc == nil {
		vc = &ValueCounts{Counts: map[string]int{}}
		r.Unmapped[attr] = vc
	}
	if _, ok := vc.Counts[value]; ok || len(vc.Counts) < maxDistinct {
		vc.Counts[value]++
	} else {
		vc.Other++
	}
}

func (r *LayerReport) defaulted(attr string) {
	if r.Defaulted == nil {
		r.Defaulted = map[string]int{}
	}
	r.Defaulted[attr]++
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

// OSMAttribution is the credit OpenStreetMap's licence (ODbL) asks a map
// of its data to show.
const OSMAttribution = "© OpenStreetMap contributors"

// Attribution returns the layers' attributions, each once, for a map to show.
func (r *Report) Attribution() string {
	var out []string
	for _, l := range r.Layers {
		if l.Attribution != "" && !slices.Contains(out, l.Attribution) {
			out = append(out, l.Attribution)
		}
	}
	return strings.Join(out, "; ")
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

// Print writes a summary, a line per layer and then one per skip reason,
// warning, constant, default and note, never one per row (the rows are in
// the JSON report). Unmapped values come as a "values" snippet to paste
// into the layer's config.
func (r *Report) Print(w io.Writer) {
	for _, l := range r.Layers {
		switch {
		case l.Failed:
			fmt.Fprintf(w, "%-10s not read from %s (see the errors)\n", l.Layer, l.Source)
		case l.Absent:
			fmt.Fprintf(w, "%-10s absent: loaded empty\n", l.Layer)
		default:
			fmt.Fprintf(w, "%-10s %8d loaded from %s", l.Layer, l.Loaded, l.Source)
			if n := l.SkippedTotal(); n > 0 {
				fmt.Fprintf(w, ", %d skipped", n)
			}
			fmt.Fprintln(w)
		}
		for _, k := range sortedKeys(l.Skipped) {
			fmt.Fprintf(w, "  skipped %-22s %8d  e.g. id %s\n", k, l.Skipped[k], quoteAll(l.Examples[k]))
		}
		for _, k := range sortedKeys(l.Warnings) {
			fmt.Fprintf(w, "  nulled  %-22s %8d  (row kept)\n", k, l.Warnings[k])
		}
		for _, k := range sortedKeys(l.Constants) {
			fmt.Fprintf(w, "  const   %s = %v\n", k, jsonString(l.Constants[k]))
		}
		for _, k := range sortedKeys(l.Defaulted) {
			fmt.Fprintf(w, "  default %-22s %8d rows\n", k, l.Defaulted[k])
		}
		if len(l.Unmapped) > 0 {
			printUnmapped(w, l)
		}
		for _, n := range l.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		if len(l.Weakens) > 0 {
			fmt.Fprintf(w, "  weakens: %s\n", strings.Join(l.Weakens, ", "))
		}
	}
}

// printUnmapped lists the values with their rows, then the snippet.
func printUnmapped(w io.Writer, l *LayerReport) {
	fmt.Fprintf(w, "  unmapped values (rows):\n")
	attrs := sortedKeys(l.Unmapped)
	var snippet []string
	for _, a := range attrs {
		vc := l.Unmapped[a]
		vals := sortedKeys(vc.Counts)
		sort.SliceStable(vals, func(i, j int) bool { return vc.Counts[vals[i]] > vc.Counts[vals[j]] })
		parts := make([]string, len(vals))
		pairs := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprintf("%s %d", jsonString(v), vc.Counts[v])
			pairs[i] = jsonString(v) + `: "?"`
		}
		more := ""
		if vc.Other > 0 {
			more = fmt.Sprintf("; %d more rows with other values", vc.Other)
		}
		fmt.Fprintf(w, "    %s: %s%s\n", a, strings.Join(parts, ", "), more)
		snippet = append(snippet, fmt.Sprintf("%s: {%s}", jsonString(a), strings.Join(pairs, ", ")))
	}
	fmt.Fprintf(w, "  paste into layers.%s, a fireplan value for each \"?\" (\"*\" maps any other value):\n", l.Layer)
	fmt.Fprintf(w, "    \"values\": {%s}\n", strings.Join(snippet, ", "))
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func quoteAll(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = jsonString(id)
	}
	return strings.Join(q, ", ")
}

// keep puts a copy of lr, a layer's report from an earlier snapshot, in
// place of what r holds for that layer: the copy is the new snapshot's
// own to annotate.
func (r *Report) keep(lr *LayerReport) {
	if lr == nil {
		return
	}
	c := &LayerReport{}
	b, _ := json.Marshal(lr)
	if json.Unmarshal(b, c) != nil {
		return
	}
	for i, l := range r.Layers {
		if l.Layer == lr.Layer {
			r.Layers[i] = c
			return
		}
	}
	r.Layers = append(r.Layers, c)
}

// sort puts the layers in the order fireplan lists them.
func (r *Report) sort() {
	order := LayerNames()
	slices.SortStableFunc(r.Layers, func(a, b *LayerReport) int {
		return slices.Index(order, a.Layer) - slices.Index(order, b.Layer)
	})
}
