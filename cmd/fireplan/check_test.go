package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
)

// municipalConfig writes docs/municipal.example.json pointed at schema,
// after edit has changed it, and returns its path.
func municipalConfig(t *testing.T, schema string, edit func(layers map[string]any, cfg map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/municipal.example.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["schema"] = schema
	edit(cfg["layers"].(map[string]any), cfg)
	if b, err = json.Marshal(cfg); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "county.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckListsEveryProblemInOneRun(t *testing.T) {
	url := pgtest.URL(t)
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	pgtest.Municipal(t, pool, schema)
	layer := func(layers map[string]any, name string) map[string]any { return layers[name].(map[string]any) }
	for _, tc := range []struct {
		name  string
		edit  func(layers, cfg map[string]any)
		fails bool
		want  []string
	}{
		{"good", func(map[string]any, map[string]any) {}, false, []string{
			"roads             6 loaded from postgis " + schema + ".road_centerline, 1 skipped",
			`skipped bad_attribute                 1  e.g. id "106"`,
			"nulled  bad_attribute oneway          1  (row kept)",
			"nulled  bad_attribute width_m         1  (row kept)",
			"default class                         1 rows",
			`const   status = "working"`,
			`class: "Alley" 1`,
			`"values": {"class": {"Alley": "?"}, "oneway": {"7": "?", "9": "?"}}`,
			"villages   absent: loaded empty",
			"weakens: coverage_summary, coverage_gaps",
			`no table ` + schema + `.builtup: loaded empty`,
			"ready to serve: 6 roads, 2 stations",
		}},
		{"broken", func(layers, cfg map[string]any) {
			layer(layers, "hydrants")["table"] = "hydrants_2024"
			layer(layers, "stations")["table"] = "stations_2024"
			layer(layer(layers, "roads"), "columns")["name"] = "STREET_NAME"
			layer(layer(layers, "roads"), "values")["class"].(map[string]any)["Minor"] = "minor_road"
			layer(layer(layers, "townships"), "const")["kind"] = "village"
			layer(cfg, "params")["truck_width_m"] = "wide"
		}, true, []string{
			"layer hydrants: table " + schema + ".hydrants_2024 does not exist",
			"layer stations: table " + schema + ".stations_2024 does not exist",
			`no column "STREET_NAME" (mapped to name in the config)`,
			`layers.roads.values.class: "Minor" -> class = "minor_road" is not one of`,
			`layers.townships.const.kind: kind = "village" is not one of town, township, subdistrict`,
			"params.truck_width_m: want a number",
			"no stations loaded",
			"no roads loaded",
			"cannot serve: 8 problems",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{"check", "--config", municipalConfig(t, schema, tc.edit)}
			if tc.fails {
				args = append(args, "--db", url)
			} else {
				t.Setenv("DATABASE_URL", url) // check's fallback for --db
			}
			err := run(context.Background(), args, &out, &errOut)
			if tc.fails != (err != nil) || (err != nil && !errors.Is(err, errCannotServe)) {
				t.Errorf("check returned %v; output:\n%s%s", err, out.String(), errOut.String())
			}

			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestSettingsLeaveDataParamsToData(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params string
		want   string // in the error; "" for none
	}{
		{"none", `{}`, ""},
		{"data's own and the analyses'", `{"households_per_building": 3, "truck_width_m": 3, "radius_m": 120, "minutes": 8}`, ""},
		{"bad analysis default", `{"radius_m": 5}`, "params.radius_m"},
		{"unknown", `{"hydrant_colour": "red"}`, "params.hydrant_colour: no analysis has this parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cfg data.Config
			if err := json.Unmarshal([]byte(`{"params": `+tc.params+`}`), &cfg); err != nil {
				t.Fatal(err)
			}
			s, err := settings(&cfg)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if tc.want == "" && strings.Contains(tc.params, "truck") && (s.Response.TruckWidthM != 3 || s.Query["radius_m"] != "120") {
				t.Errorf("settings %+v", s)
			}
		})
	}
}

// TestImportThenCheckByTheSchemaItNames: import says how to serve what it
// wrote, and --db-schema finds the tables there without a config.
func TestImportThenCheckByTheSchemaItNames(t *testing.T) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	url := pgtest.URL(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "--db", url, "--sample", "--schema", schema}, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "--db-schema "+schema) {
		t.Errorf("import does not say how to serve what it wrote:\n%s", out.String())
	}
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"check", "--db", url, "--db-schema", schema}, true},
		{[]string{"check", "--db", url, "--db-schema", schema + "_none"}, false},
	} {
		out.Reset()
		if err := run(ctx, c.args, &out, &errOut); (err == nil) != c.ok {
			t.Errorf("%v: %v\n%s", c.args, err, out.String())
		}
	}
}
