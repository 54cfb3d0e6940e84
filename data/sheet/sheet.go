// Package sheet reads the spreadsheet a county keeps of its hydrants or
// stations (CSV or XLSX, a header row, one point a row) into data.Rows for
// data.FromRows: the coordinate columns found by their header, every row
// with its line number so a bad one can be named.
//
// CSV may start with a UTF-8 byte-order mark (Excel writes one) and may be
// in GBK/GB18030 (Excel's "CSV" on a Chinese Windows): a file that is not
// valid UTF-8 is decoded as GB18030, a superset of GBK.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Table is a sheet's header and rows; Lines[i] is the file line (CSV) or
// spreadsheet row (XLSX) of Rows[i], the header being line 1 when it is the
// first. Blank rows are left out.
type Table struct {
	Columns []string
	Rows    [][]string
	Lines   []int
}

// ReadFile reads a .csv or .xlsx file (the first worksheet).
func ReadFile(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var t *Table
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv", ".txt":
		t, err = ReadCSV(f)
	case ".xlsx":
		t, err = ReadXLSX(f)
	default:
		return nil, fmt.Errorf("%s: want a .csv or .xlsx file, not %q", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

var bom = []byte("\xef\xbb\xbf")

// ReadCSV reads comma-separated text in UTF-8 (with or without a BOM) or
// GB18030.
func ReadCSV(r io.Reader) (*Table, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, bom)
	if !utf8.Valid(b) {
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			return nil, fmt.Errorf("neither UTF-8 nor GBK: %w", err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1 // a short row is reported by its cells, not refused whole
	var t Table
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		t.add(rec, line)
	}
	return t.check()
}

// ReadXLSX reads the first worksheet of an Excel workbook.
func ReadXLSX(r io.Reader) (*Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("no worksheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, err
	}
	var t Table
	for i, rec := range rows {
		t.add(rec, i+1)
	}
	return t.check()
}

// add takes the first non-blank record as the header, later ones as rows.
func (t *Table) add(rec []string, line int) {
	if !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" }) {
		return
	}
	if t.Columns == nil {
		for _, c := range rec {
			t.Columns = append(t.Columns, strings.TrimSpace(c))
		}
		return
	}
	t.Rows = append(t.Rows, rec)
	t.Lines = append(t.Lines, line)
}

func (t *Table) check() (*Table, error) {
	if t.Columns == nil {
		return nil, errors.New("empty: no header row")
	}
	seen := map[string]bool{}
	for i, c := range t.Columns {
		if c == "" {
			return nil, fmt.Errorf("header: column %d has no name", i+1)
		}
		if seen[strings.ToLower(c)] {
			return nil, fmt.Errorf("header: column %q appears twice", c)
		}
		seen[strings.ToLower(c)] = true
	}
	return t, nil
}

// Coords names the columns holding a row's position.
type Coords struct {
	X, Y string // lon and lat, or easting and northing
	// Projected says X and Y are easting and northing in a projected SRID
	// (a column named x/y or easting/northing), not degrees.
	Projected bool
}

// Header names of coordinate columns, matched but for case and spaces.
var (
	lonNames = []string{"lon", "lng", "long", "longitude", "经度", "东经"}
	latNames = []string{"lat", "latitude", "纬度", "北纬"}
	// x is east and y north, the GIS order. Chinese survey tables write X
	// for north and Y for east: name such columns northing and easting.
	xNames = []string{"x", "easting", "east"}
	yNames = []string{"y", "northing", "north"}
)

// FindCoords returns the lon/lat columns, else the x/y ones.
func (t *Table) FindCoords() (Coords, error) {
	find := func(names []string) (string, error) {
		var found []string
		for _, c := range t.Columns {
			if slices.Contains(names, strings.ToLower(strings.ReplaceAll(c, " ", ""))) {
				found = append(found, c)
			}
		}
		if len(found) > 1 {
			return "", fmt.Errorf("several coordinate columns: %s", strings.Join(found, ", "))
		}
		if len(found) == 0 {
			return "", nil
		}
		return found[0], nil
	}
	var c Coords
	lon, err1 := find(lonNames)
	lat, err2 := find(latNames)
	x, err3 := find(xNames)
	y, err4 := find(yNames)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return c, err
	}
	switch {
	case lon != "" && lat != "":
		return Coords{X: lon, Y: lat}, nil
	case x != "" && y != "":
		return Coords{X: x, Y: y, Projected: true}, nil
	}
	return c, fmt.Errorf("no coordinate columns among %s: want lon/lng/longitude/经度 and lat/latitude/纬度, or x/easting and y/northing",
		strings.Join(t.Columns, ", "))
}

// Points returns every row with its cells by column and its position read
// from c's columns: degrees or metres as written, for the caller to
// transform; a row whose coordinates do not parse has Bad set.
func (t *Table) Points(c Coords) []data.Row {
	xi, yi := slices.Index(t.Columns, c.X), slices.Index(t.Columns, c.Y)
	out := make([]data.Row, len(t.Rows))
	for i, rec := range t.Rows {
		r := data.Row{Line: t.Lines[i], Cells: make(map[string]string, len(t.Columns))}
		for j, col := range t.Columns {
			if j < len(rec) {
				r.Cells[col] = strings.TrimSpace(rec[j])
			}
		}
		x, xerr := strconv.ParseFloat(r.Cells[c.X], 64)
		y, yerr := strconv.ParseFloat(r.Cells[c.Y], 64)
		switch {
		case xi < 0 || yi < 0:
			r.Bad = &data.RowError{Reason: data.ReasonNullGeometry, Detail: "no coordinate columns"}
		case r.Cells[c.X] == "" || r.Cells[c.Y] == "":
			r.Bad = &data.RowError{Reason: data.ReasonNullGeometry, Detail: fmt.Sprintf("%s or %s is empty", c.X, c.Y)}
		case xerr != nil:
			r.Bad = &data.RowError{Reason: data.ReasonBadCoordinate, Detail: fmt.Sprintf("%s = %q is not a number", c.X, r.Cells[c.X])}
		case yerr != nil:
			r.Bad = &data.RowError{Reason: data.ReasonBadCoordinate, Detail: fmt.Sprintf("%s = %q is not a number", c.Y, r.Cells[c.Y])}
		default:
			r.Geom = orb.Point{x, y}
		}
		out[i] = r
	}
	return out
}
