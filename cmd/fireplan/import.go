package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fireplan/data"
	osmread "fireplan/data/osm"
	"fireplan/data/sample"
	"fireplan/data/sheet"
	"fireplan/geo/datum"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// importCmd writes a county into PostGIS: the sample, an OpenStreetMap
// extract (all nine layers) or a spreadsheet of points (one layer).
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "PostGIS URL to write into (default $DATABASE_URL)")
	schema := fs.String("schema", "public", "schema to write the layer tables into")
	useSample := fs.Bool("sample", false, "write the built-in sample county")
	seed := fs.Int64("seed", sample.DefaultSeed, "sample county seed")
	scale := fs.Int("scale", 1, "sample county scale")
	osmFile := fs.String("osm", "", "OpenStreetMap extract (.osm.pbf, .osm, .osm.gz) to write as the nine layers")
	mapping := fs.String("mapping", "", "JSON file overriding the OpenStreetMap mapping (data/osm Options)")
	points := fs.String("points", "", "spreadsheet (.csv or .xlsx) of points to write as one layer")
	layer := fs.String("layer", "", "the layer --points fills: hydrants or stations")
	datumName := fs.String("datum", "", "datum of --points lon/lat: wgs84, gcj02 or bd09 (default: the config's layer datum, else wgs84)")
	srid := fs.Int("srid", 0, "EPSG code of --points x/y or lon/lat, e.g. 4490 or a CGCS2000 Gauss-Kruger zone 4513-4554 (default: the config's layer srid, else 4326)")
	config := fs.String("config", "", "config whose layer mapping (columns, values, defaults, const) --points applies")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	n := 0
	for _, b := range []bool{*useSample, *osmFile != "", *points != ""} {
		if b {
			n++
		}
	}
	if *db == "" {
		*db = os.Getenv("DATABASE_URL") // the password stays out of process lists
	}
	if *db == "" || n != 1 {
		return errors.New("import needs --db URL and one of --sample, --osm FILE, --points FILE --layer LAYER")
	}
	if *scale < 1 || *scale > 400 {
		return fmt.Errorf("--scale must be 1..400, got %d", *scale)
	}
	if *mapping != "" && *osmFile == "" {
		return errors.New("--mapping goes with --osm")
	}
	if *points == "" && (*layer != "" || *datumName != "" || *srid != 0 || *config != "") {
		return errors.New("--layer, --datum, --srid and --config go with --points")
	}
	pool, err := data.Connect(ctx, *db)
	if err != nil {
		return err
	}
	defer pool.Close()
	switch {
	case *osmFile != "":
		return importOSM(ctx, pool, *osmFile, *mapping, *schema, stdout)
	case *points != "":
		return importPoints(ctx, pool, pointsImport{file: *points, layer: *layer, datum: *datumName, srid: *srid,
			config: *config, schema: *schema}, stdout)
	}
	set := sample.Generate(sample.Options{Seed: *seed, Scale: *scale})
	if err := data.Write(ctx, pool, set, *schema); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the sample county (seed %d, scale %d) into schema %s: %d roads, %d buildings, %d hydrants, %d stations, %d villages\n",
		*seed, *scale, *schema, len(set.Roads), len(set.Buildings), len(set.Hydrants), len(set.Stations), len(set.Villages))
	fmt.Fprintf(stdout, "serve it: fireplan serve --db URL --db-schema %s\n", *schema)
	return nil
}

// osmOptions are the default mapping with the --mapping file on top (its
// maps merge key by key; an unknown key is an error).
func osmOptions(path string) (osmread.Options, error) {
	o := osmread.DefaultOptions()
	if path == "" {
		return o, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return o, fmt.Errorf("mapping: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return o, fmt.Errorf("mapping %s: %w", path, err)
	}
	return o, nil
}

// readOSM reads an extract as serve --osm and import --osm both do, and
// runs the items through the snapshot's checks (so what is written is what
// serve --osm would serve). tags, when set, collects the source tags.
func readOSM(ctx context.Context, path, mapping string, tags map[string]map[string]json.RawMessage) (*data.Snapshot, *osmread.Stats, error) {
	opts, err := osmOptions(mapping)
	if err != nil {
		return nil, nil, err
	}
	if tags != nil {
		opts.Tags = func(layer, id string, t json.RawMessage) {
			if tags[layer] == nil {
				tags[layer] = map[string]json.RawMessage{}
			}
			tags[layer][id] = t
		}
	}
	set, st, err := osmread.ReadFile(ctx, path, opts)
	if err != nil {
		return nil, nil, err
	}
	snap := data.NewSnapshot(set, "osm "+filepath.Base(path), nil)
	for _, lr := range snap.Report.Layers {
		lr.Attribution = data.OSMAttribution
	}
	return snap, st, nil
}

// printStats prints what the OSM mapping kept, skipped and assumed.
func printStats(w io.Writer, st *osmread.Stats) {
	fmt.Fprintln(w, "OpenStreetMap mapping (docs/DATA.md; --mapping overrides it):")
	for _, l := range data.LayerNames() {
		if n, ok := st.Kept[l]; ok {
			fmt.Fprintf(w, "  kept    %-10s %8d\n", l, n)
		}
	}
	for _, s := range st.Skips() {
		fmt.Fprintf(w, "  skipped %s\n", s)
	}
	for _, a := range st.Assumptions() {
		fmt.Fprintf(w, "  assumed %s\n", a)
	}
}

// osmAttribution is the table comment of every imported layer: ODbL asks
// for the attribution to travel with the data.
func osmAttribution(path string) string {
	return fmt.Sprintf("fireplan import of the OpenStreetMap extract %s on %s. Data © OpenStreetMap contributors, "+
		"available under the Open Database Licence (ODbL) 1.0: https://www.openstreetmap.org/copyright",
		filepath.Base(path), time.Now().UTC().Format("2006-01-02"))
}

func importOSM(ctx context.Context, pool *pgxpool.Pool, path, mapping, schema string, stdout io.Writer) error {
	tags := map[string]map[string]json.RawMessage{}
	snap, st, err := readOSM(ctx, path, mapping, tags)
	if err != nil {
		return err
	}
	printStats(stdout, st)
	set := snapshotSet(snap)
	if err := data.WriteWith(ctx, pool, set, schema, data.WriteOptions{Tags: tags, Comment: osmAttribution(path)}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s into schema %s (one transaction; source tags in each table's tags column)\n", filepath.Base(path), schema)
	fmt.Fprintf(stdout, "serve it: fireplan serve --db URL --db-schema %s\n", schema)
	// Read back as serve --db will: PostGIS judges validity (a
	// self-intersecting area), which reading the extract does not.
	_, rep, err := data.Load(ctx, pool, &data.Config{Schema: schema})
	if err != nil {
		return fmt.Errorf("reading back: %w", err)
	}
	fmt.Fprintln(stdout, "serve --db will load:")
	rep.Print(stdout)
	for _, lr := range rep.Layers {
		for _, p := range lr.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	fmt.Fprintln(stdout, "serve it with: fireplan serve --db URL (add a config with \"schema\" for a schema other than public)")
	return nil
}

// snapshotSet is the items a snapshot kept, as a set to write.
func snapshotSet(s *data.Snapshot) *data.Set {
	return &data.Set{Hydrants: s.Hydrants.Items, Stations: s.Stations.Items, Roads: s.Roads.Items,
		Buildings: s.Buildings.Items, Villages: s.Villages.Items, Districts: s.Districts.Items,
		FireLanes: s.FireLanes.Items, Townships: s.Townships.Items, Builtup: s.Builtup.Items}
}

// pointsImport is one import --points run.
type pointsImport struct {
	file, layer, datum, config, schema string
	srid                               int
}

// importPoints writes a spreadsheet as one layer's table: positions
// transformed by PostGIS from --srid and converted from --datum, the
// config's layer mapping applied, each bad row printed with its line and
// the rest written.
func importPoints(ctx context.Context, pool *pgxpool.Pool, p pointsImport, stdout io.Writer) error {
	if !slices.Contains([]string{data.LayerHydrants, data.LayerStations}, p.layer) {
		return fmt.Errorf("--layer must be hydrants or stations, got %q", p.layer)
	}
	var cfg *data.Config
	if p.config != "" {
		c, err := data.LoadConfig(p.config)
		if err != nil {
			return err
		}
		cfg = c
	}
	tc := cfg.Layer(p.layer)
	if tc == nil {
		return fmt.Errorf("layer %s is set to null in %s", p.layer, p.config)
	}
	if p.datum == "" {
		p.datum = tc.Datum
	}
	dat, err := datum.Parse(p.datum)
	if err != nil {
		return fmt.Errorf("--datum: %w", err)
	}
	if p.srid == 0 {
		p.srid = tc.SRID
	}
	t, err := sheet.ReadFile(p.file)
	if err != nil {
		return err
	}
	coords, err := t.FindCoords()
	if err != nil {
		return fmt.Errorf("%s: %w", p.file, err)
	}
	if coords.Projected && p.srid == 4326 {
		return fmt.Errorf("%s: columns %s and %s are x/y: give their EPSG code with --srid (a CGCS2000 Gauss-Kruger zone is 4513-4554)", p.file, coords.X, coords.Y)
	}
	rows := t.Points(coords)
	if p.srid != 4326 {
		var pts []orb.Point
		for _, r := range rows {
			if r.Bad == nil {
				pts = append(pts, r.Geom.(orb.Point))
			}
		}
		ll, err := data.TransformPoints(ctx, pool, p.srid, pts)
		if err != nil {
			return fmt.Errorf("--srid: %w", err)
		}
		for i := range rows {
			if rows[i].Bad == nil {
				rows[i].Geom, ll = ll[0], ll[1:]
			}
		}
	}
	for i := range rows {
		if rows[i].Bad == nil {
			rows[i].Geom = project.Point(rows[i].Geom.(orb.Point), dat.ToWGS84)
		}
	}
	set, lr, err := data.FromRows(p.layer, cfg, t.Columns, rows)
	if err != nil {
		return fmt.Errorf("%s: %w", p.file, err)
	}
	idCol := tc.ID
	for _, c := range t.Columns {
		if strings.EqualFold(c, tc.ID) {
			idCol = c // as FromRows matches it
		}
	}
	tags := map[string]json.RawMessage{}
	for _, r := range rows {
		b, err := json.Marshal(r.Cells)
		if err != nil {
			return err
		}
		if id := r.Cells[idCol]; id != "" {
			if _, dup := tags[id]; !dup {
				tags[id] = b
			}
		}
	}
	fmt.Fprintf(stdout, "%s: %d rows, coordinates %s/%s", filepath.Base(p.file), len(rows), coords.X, coords.Y)
	if p.srid != 4326 {
		fmt.Fprintf(stdout, " in EPSG:%d (transformed by PostGIS)", p.srid)
	}
	fmt.Fprintf(stdout, ", datum %s\n", dat)
	for _, pr := range lr.Problems {
		fmt.Fprintf(stdout, "  line %d: id %q: %s: %s\n", pr.Line, pr.ID, pr.Reason, pr.Detail)
	}
	if n := lr.SkippedTotal(); n > len(lr.Problems) {
		fmt.Fprintf(stdout, "  ... %d more rows skipped\n", n-len(lr.Problems))
	}
	lr.Source = p.file
	(&data.Report{Layers: []*data.LayerReport{lr}}).Print(stdout)
	if err := data.WriteWith(ctx, pool, set, p.schema, data.WriteOptions{Layers: []string{p.layer},
		Tags:    map[string]map[string]json.RawMessage{p.layer: tags},
		Comment: fmt.Sprintf("fireplan import of %s on %s", filepath.Base(p.file), time.Now().UTC().Format("2006-01-02"))}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d %s into %s.%s (%d rows skipped)\n", lr.Loaded, p.layer, p.schema, p.layer, lr.SkippedTotal())
	return nil
}
