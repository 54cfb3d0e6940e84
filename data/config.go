package data

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Config maps fireplan's layers onto a county's tables. Every field is
// optional: by default layer "roads" is table "roads" in schema "public",
// with an "id" column, the table's geometry column and attributes named as in
// DESIGN.md.
type Config struct {
	Schema string                 `json:"schema"` // default schema for every layer
	Layers map[string]TableConfig `json:"layers"`
}

// TableConfig maps one layer.
type TableConfig struct {
	Schema  string            `json:"schema"`
	Table   string            `json:"table"`
	ID      string            `json:"id"`      // id column (any type; read as text)
	Geom    string            `json:"geom"`    // geometry column; default: the table's only one, or "geom"
	SRID    int               `json:"srid"`    // SRID assumed where a geometry says 0; default 4326
	Columns map[string]string `json:"columns"` // attribute -> column
}

// LoadConfig reads a JSON config file and checks its layer and attribute names.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var c Config
	if err := decodeConfig(strings.NewReader(string(b)), &c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &c, c.Check()
}

// decodeConfig reads JSON, refusing keys fireplan does not know.
func decodeConfig(r io.Reader, c *Config) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec.Decode(c)
}

// Check reports names in the config that fireplan does not know.
func (c *Config) Check() error {
	for name, tc := range c.Layers {
		s, ok := SchemaOf(name)
		if !ok {
			return fmt.Errorf("config: unknown layer %q (layers: %s)", name, strings.Join(LayerNames(), ", "))
		}
		for attr := range tc.Columns {
			if !s.has(attr) {
				return fmt.Errorf("config: layer %s has no attribute %q", name, attr)
			}
		}
		if tc.SRID < 0 {
			return fmt.Errorf("config: layer %s: srid %d", name, tc.SRID)
		}
	}
	return nil
}

func (s Schema) has(attr string) bool {
	for _, f := range s.Fields {
		if f.Name == attr {
			return true
		}
	}
	return false
}

// LayerNames returns the nine layer names in order.
func LayerNames() []string {
	out := make([]string, len(Schemas))
	for i, s := range Schemas {
		out[i] = s.Name
	}
	return out
}

// table returns the resolved mapping of a layer.
func (c *Config) table(layer string) TableConfig {
	var tc TableConfig
	if c != nil {
		tc = c.Layers[layer]
	}
	if tc.Schema == "" && c != nil {
		tc.Schema = c.Schema
	}
	if tc.Schema == "" {
		tc.Schema = "public"
	}
	if tc.Table == "" {
		tc.Table = layer
	}
	if tc.ID == "" {
		tc.ID = "id"
	}
	if tc.SRID == 0 {
		tc.SRID = 4326
	}
	return tc
}

func (tc TableConfig) column(attr string) string {
	if c, ok := tc.Columns[attr]; ok && c != "" {
		return c
	}
	return attr
}
