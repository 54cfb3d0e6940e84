// Package export writes any catalogue table in the formats planners and
// analysts use: GeoJSON (lon/lat, RFC 7946) or JSON for plain tables, with
// the columns' codes and snake_case names; CSV that Excel on Chinese
// Windows opens as UTF-8 and Excel workbooks, both with the columns'
// titles and the enumerations' labels in the reader's language and a
// location on every row that has one. The HTTP API and the CLI both write
// through it.
package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fireplan/coverage"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
)

// Formats are the names Write takes.
var Formats = []string{"json", "geojson", "csv", "xlsx"}

// Langs are the languages of spreadsheet headers and labels, the default first.
var Langs = []string{"zh", "en"}

// ByTownship is the value of the by option that splits a workbook into
// one sheet per township.
const ByTownship = "township"

// Options say how a table is written beside its rows.
type Options struct {
	Lang   string          // zh (default) or en: CSV and XLSX headers and labels
	By     string          // "" or ByTownship: one XLSX sheet per township
	County string          // the county's name, for the XLSX title
	Date   time.Time       // the data's date, for the XLSX title
	Values coverage.Values // the request's parameters, for the XLSX title
	Extra  map[string]any  // JSON and GeoJSON members beside the rows
}

// ContentType returns the media type of a format.
func ContentType(format string) string {
	switch format {
	case "csv":
		return "text/csv; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "geojson":
		return "application/geo+json"
	}
	return "application/json; charset=utf-8"
}

// Default is the format a table is written in when none is asked for.
func Default(e *coverage.Entry) string {
	if e.Geometry != "" {
		return "geojson"
	}
	return "json"
}

// FormatsOf returns the formats e can be written in.
func FormatsOf(e *coverage.Entry) []string {
	if e.Geometry == "" {
		return []string{"json", "csv", "xlsx"}
	}
	return Formats
}

// Check tells whether e can be written in format with o, before anything
// is computed: the message names what the request may ask instead.
func Check(e *coverage.Entry, format string, o Options) error {
	fs := FormatsOf(e)
	if !contains(fs, format) {
		if format == "geojson" {
			return fmt.Errorf("format: %s is a table without geometry: format %s", e.Name, strings.Join(fs, ", "))
		}
		return fmt.Errorf("format: %q is none of %s for %s", format, strings.Join(fs, ", "), e.Name)
	}
	if o.Lang != "" && !contains(Langs, o.Lang) {
		return fmt.Errorf("lang: %q is none of %s", o.Lang, strings.Join(Langs, ", "))
	}
	switch {
	case o.By == "":
	case o.By != ByTownship:
		return fmt.Errorf("by: %q is not %s", o.By, ByTownship)
	case format != "xlsx":
		return fmt.Errorf("by=%s splits an Excel workbook into sheets: it needs format=xlsx", ByTownship)
	case !hasColumn(e, "township_id"):
		return fmt.Errorf("by=%s: the rows of %s are not placed in townships (they are townships or have no place)", ByTownship, e.Name)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func hasColumn(e *coverage.Entry, name string) bool {
	for _, c := range e.Columns {
		if c.Name == name {
			return true
		}
	}
	return false
}

// AllRows returns every row index of t, in order.
func AllRows(t *coverage.Table) []int {
	rows := make([]int, t.Len())
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// Write writes rows (indexes into t; none when empty: a filter that
// matched nothing) of t in format.
func Write(w io.Writer, format string, e *coverage.Entry, t *coverage.Table, rows []int, o Options) error {
	if err := Check(e, format, o); err != nil {
		return err
	}
	switch format {
	case "geojson":
		return GeoJSON(w, t, rows, o.Extra)
	case "json":
		if e.Geometry != "" {
			return GeoJSON(w, t, rows, o.Extra)
		}
		return JSON(w, t, rows, o.Extra)
	case "csv":
		return CSV(w, t, rows, o.Lang)
	}
	return XLSX(w, e, t, rows, o)
}

func members(w *bufio.Writer, t *coverage.Table, extra map[string]any) error {
	all := make(map[string]any, len(t.Meta)+len(extra))
	for k, v := range t.Meta {
		all[k] = v
	}
	for k, v := range extra {
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, err := json.Marshal(all[k])
		if err != nil {
			return fmt.Errorf("member %s: %w", k, err)
		}
		fmt.Fprintf(w, ",%q:%s", k, b)
	}
	return nil
}

// GeoJSON streams rows as a FeatureCollection in lon/lat, feature by feature.
func GeoJSON(w io.Writer, t *coverage.Table, rows []int, extra map[string]any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"type":"FeatureCollection"`)
	if err := members(bw, t, extra); err != nil {
		return err
	}
	bw.WriteString(`,"features":[`)
	var b []byte
	for n, i := range rows {
		var err error
		if b, err = appendFeature(b[:0], t, i); err != nil {
			return err
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// Feature is row i of t as a GeoJSON feature in lon/lat: its id, its
// columns as properties, and a null geometry when t has none (a plain
// table, which OGC API - Features serves as features too).
func Feature(t *coverage.Table, i int) *geojson.Feature {
	var g orb.Geometry
	if t.HasGeoms() {
		g = t.LonLat(i)
	}
	f := geojson.NewFeature(g)
	f.ID = t.ID(i)
	f.Properties = t.Record(i)
	return f
}

// JSON writes a plain table as {"rows": [{column: value}...], ...extra}.
func JSON(w io.Writer, t *coverage.Table, rows []int, extra map[string]any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"columns":`)
	b, _ := json.Marshal(t.Columns)
	bw.Write(b)
	if err := members(bw, t, extra); err != nil {
		return err
	}
	bw.WriteString(`,"rows":[`)
	for n, i := range rows {
		b, err := json.Marshal(t.Record(i))
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

var lonLatColumns = []coverage.Column{
	{Name: "lon", Type: "number", Title: coverage.Title{Zh: "经度", En: "longitude"}},
	{Name: "lat", Type: "number", Title: coverage.Title{Zh: "纬度", En: "latitude"}},
}

// sheet is a table as a spreadsheet shows it: its columns, then lon and
// lat where the table has geometry but not those columns (a spreadsheet's
// map tools read them).
type sheet struct {
	t      *coverage.Table
	cols   []coverage.Column
	lonlat bool
	lang   string
}

func newSheet(t *coverage.Table, lang string) *sheet {
	s := &sheet{t: t, cols: t.Columns, lang: lang}
	if t.HasGeoms() && t.Len() > 0 && t.Column("lon") < 0 {
		s.cols = append(append([]coverage.Column(nil), t.Columns...), lonLatColumns...)
		s.lonlat = true
	}
	return s
}

func (s *sheet) header() []string {
	out := make([]string, len(s.cols))
	for k, c := range s.cols {
		out[k] = c.Title.In(s.lang)
	}
	return out
}

// label returns how a spreadsheet shows value v of column c in lang: an
// enumeration's code as its label, a boolean as yes or no, anything else
// as it is.
func label(c coverage.Column, v any, lang string) any {
	switch v := v.(type) {
	case string:
		if l, ok := c.Values[v]; ok {
			return l.In(lang)
		}
	case bool:
		return yesNo[v].In(lang)
	}
	return v
}

var yesNo = map[bool]coverage.Title{true: {Zh: "是", En: "yes"}, false: {Zh: "否", En: "no"}}

// cells returns row i's values as a spreadsheet shows them.
func (s *sheet) cells(i int) []any {
	out := make([]any, len(s.cols))
	for k, v := range s.t.Row(i) {
		out[k] = label(s.cols[k], v, s.lang)
	}
	if s.lonlat {
		ll := s.t.Proj.Inverse(coverage.LabelPoint(s.t.Geom(i)))
		out[len(out)-2], out[len(out)-1] = round7(ll[0]), round7(ll[1])
	}
	return out
}

// round7 rounds degrees to 7 places (about a centimetre).
func round7(f float64) float64 { return math.Round(f*1e7) / 1e7 }

func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// CSV writes rows with a UTF-8 byte-order mark, so that Excel reads the
// Chinese names as written, under the columns' titles in lang.
func CSV(w io.Writer, t *coverage.Table, rows []int, lang string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	s := newSheet(t, lang)
	cw.Write(s.header())
	rec := make([]string, len(s.cols))
	for _, i := range rows {
		for k, v := range s.cells(i) {
			rec[k] = text(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// XLSX writes rows as a workbook: a title row (county, entry, parameters,
// data date), the frozen header, columns as wide as their text, numbers
// as numbers and ids as text (leading zeros kept). With By = ByTownship,
// one sheet per township, named after it.
func XLSX(w io.Writer, e *coverage.Entry, t *coverage.Table, rows []int, o Options) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	s := newSheet(t, o.Lang)
	groups := []group{{name: e.Title.In(o.Lang), rows: rows}}
	if o.By == ByTownship {
		groups = byTownship(t, rows, o.Lang)
	}
	names := sheetNames(groups)
	for n, g := range groups {
		if n == 0 {
			f.SetSheetName("Sheet1", names[0])
		} else if _, err := f.NewSheet(names[n]); err != nil {
			return err
		}
		if err := writeSheet(f, names[n], s, g.rows, title(e, o), bold); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// group is the rows of one sheet.
type group struct {
	name string
	id   string // the township's, by=township
	rows []int
}

// byTownship groups rows by their township, in township id order; rows
// in none come last.
func byTownship(t *coverage.Table, rows []int, lang string) []group {
	id, name := t.Column("township_id"), t.Column("township")
	at := map[string]int{}
	var out []group
	for _, i := range rows {
		tid, _ := t.Value(i, id).(string)
		n, ok := at[tid]
		if !ok {
			g := group{name: tid, id: tid}
			if name >= 0 {
				if s, _ := t.Value(i, name).(string); s != "" {
					g.name = s
				}
			}
			if tid == "" {
				g.name = noTownship.In(lang)
			}
			n = len(out)
			at[tid] = n
			out = append(out, g)
		}
		out[n].rows = append(out[n].rows, i)
	}
	sort.Slice(out, func(a, b int) bool {
		if (out[a].id == "") != (out[b].id == "") {
			return out[b].id == ""
		}
		return out[a].id < out[b].id
	})
	if len(out) == 0 { // a workbook has at least one sheet
		out = []group{{name: noTownship.In(lang)}}
	}
	return out
}

var noTownship = coverage.Title{Zh: "乡镇外", En: "outside every township"}

// sheetNames makes names Excel takes: none of []:*?/\, at most 31
// characters, no two alike (ignoring case, as Excel does).
func sheetNames(groups []group) []string {
	out := make([]string, len(groups))
	seen := map[string]bool{}
	for n, g := range groups {
		base := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`[]:*?/\`, r) {
				return '_'
			}
			return r
		}, strings.TrimSpace(g.name))
		base = strings.Trim(base, "'")
		if base == "" {
			base = "sheet"
		}
		name := truncate(base, 31)
		for k := 2; seen[strings.ToLower(name)]; k++ {
			suffix := " (" + strconv.Itoa(k) + ")"
			name = truncate(base, 31-utf8.RuneCountInString(suffix)) + suffix
		}
		seen[strings.ToLower(name)] = true
		out[n] = name
	}
	return out
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// title is the first row of every sheet: what a printed or forwarded
// list must say about itself.
func title(e *coverage.Entry, o Options) string {
	parts := []string{}
	if o.County != "" {
		parts = append(parts, o.County)
	}
	parts = append(parts, e.Title.In(o.Lang))
	var ps []string
	for _, p := range e.Params {
		if v := o.Values.Get(p.Name); v != "" {
			ps = append(ps, p.Title.In(o.Lang)+"="+v)
		}
	}
	label := map[string]coverage.Title{"params": {Zh: "参数: ", En: "parameters: "}, "date": {Zh: "数据日期: ", En: "data as of "}}
	if len(ps) > 0 {
		parts = append(parts, label["params"].In(o.Lang)+strings.Join(ps, "; "))
	}
	date := o.Date
	if date.IsZero() {
		date = time.Now()
	}
	return strings.Join(append(parts, label["date"].In(o.Lang)+date.Format("2006-01-02")), " | ")
}

func writeSheet(f *excelize.File, name string, s *sheet, rows []int, head string, bold int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	header := s.header()
	width := make([]int, len(header))
	for k, h := range header {
		width[k] = displayWidth(h)
	}
	cells := make([][]any, len(rows))
	for n, i := range rows {
		cells[n] = s.cells(i)
		for k, v := range cells[n] {
			width[k] = max(width[k], displayWidth(text(v)))
		}
	}
	for k, wd := range width {
		if err := sw.SetColWidth(k+1, k+1, float64(min(wd, 60)+2)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: head}}); err != nil {
		return err
	}
	row := make([]any, len(header))
	for k, h := range header {
		row[k] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A2", row); err != nil {
		return err
	}
	for n, c := range cells {
		cell, _ := excelize.CoordinatesToCellName(1, n+3)
		if err := sw.SetRow(cell, c); err != nil {
			return err
		}
	}
	if len(header) > 1 {
		last, _ := excelize.CoordinatesToCellName(len(header), 1)
		if err := sw.MergeCell("A1", last); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// displayWidth is the width of s in character cells: a CJK character
// takes two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x2E80 && r <= 0xFFEF {
			n++
		}
	}
	return n
}
