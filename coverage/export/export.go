// Package export writes any catalogue table in the formats planners and
// analysts use: GeoJSON (lon/lat, RFC 7946) or JSON for plain tables, CSV
// that Excel on Chinese Windows opens as UTF-8, and Excel workbooks with
// numbers as numbers. The HTTP API and the CLI both write through it.
package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"

	"fireplan/coverage"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
)

// Formats are the names Write takes.
var Formats = []string{"json", "geojson", "csv", "xlsx"}

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
	return "application/json"
}

// Default is the format a table is written in when none is asked for.
func Default(e *coverage.Entry) string {
	if e.Geometry != "" {
		return "geojson"
	}
	return "json"
}

// Write writes rows (indexes into t; nil for all) of t in format. extra
// are members added to a JSON or GeoJSON document beside the rows.
func Write(w io.Writer, format string, e *coverage.Entry, t *coverage.Table, rows []int, extra map[string]any) error {
	if rows == nil {
		rows = make([]int, t.Len())
		for i := range rows {
			rows[i] = i
		}
	}
	switch format {
	case "geojson":
		if e.Geometry == "" {
			return fmt.Errorf("%s has no geometry: format json, csv or xlsx", e.Name)
		}
		return GeoJSON(w, t, rows, extra)
	case "json":
		if e.Geometry != "" {
			return GeoJSON(w, t, rows, extra)
		}
		return JSON(w, t, rows, extra)
	case "csv":
		return CSV(w, t, rows)
	case "xlsx":
		return XLSX(w, e, t, rows)
	}
	return fmt.Errorf("unknown format %q (formats: json, geojson, csv, xlsx)", format)
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
	for n, i := range rows {
		f := geojson.NewFeature(t.LonLat(i))
		f.ID = t.IDs[i]
		f.Properties = t.Record(i)
		b, err := json.Marshal(f)
		if err != nil {
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

// header returns the column names, with lon and lat for point tables that
// lack them (a spreadsheet's map tools read them).
func header(t *coverage.Table) ([]string, bool) {
	names := make([]string, 0, len(t.Columns)+2)
	own := false // the table carries lon and lat as columns already
	for _, c := range t.Columns {
		names = append(names, c.Name)
		own = own || c.Name == "lon"
	}
	points := len(t.Geoms) > 0 && !own
	for _, g := range t.Geoms {
		if _, ok := g.(orb.Point); !ok {
			points = false
			break
		}
	}
	if points {
		names = append(names, "lon", "lat")
	}
	return names, points
}

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
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

// CSV writes rows with a UTF-8 byte-order mark, so that Excel reads the
// Chinese names as written.
func CSV(w io.Writer, t *coverage.Table, rows []int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	names, points := header(t)
	cw.Write(names)
	rec := make([]string, len(names))
	for _, i := range rows {
		for k, v := range t.Rows[i] {
			rec[k] = text(v)
		}
		if points {
			ll := t.LonLat(i).(orb.Point)
			rec[len(names)-2], rec[len(names)-1] = strconv.FormatFloat(ll[0], 'f', 7, 64), strconv.FormatFloat(ll[1], 'f', 7, 64)
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

// XLSX writes rows as one sheet named after the entry: numbers as numbers,
// the header row frozen, streamed row by row.
func XLSX(w io.Writer, e *coverage.Entry, t *coverage.Table, rows []int) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := e.Name
	if len(sheet) > 31 {
		sheet = sheet[:31]
	}
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	names, points := header(t)
	row := make([]any, len(names))
	for k, n := range names {
		row[k] = n
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for r, i := range rows {
		row = make([]any, len(names))
		copy(row, t.Rows[i])
		if points {
			ll := t.LonLat(i).(orb.Point)
			row[len(names)-2], row[len(names)-1] = ll[0], ll[1]
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
