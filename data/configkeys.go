package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// keyProblems walks a config's JSON and returns every key fireplan does not
// know and every key given twice in one object, each with its path
// ("layers.hydrants.colums"): encoding/json stops at the first unknown key
// and lets a second "values" silently replace the first, so a pasted
// snippet or a typo would take a run each, or go unnoticed.
func keyProblems(b []byte) []error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var errs []error
	var walk func(path string, t reflect.Type) error
	walk = func(path string, t reflect.Type) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok || d == ']' || d == '}' {
			return nil
		}
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if d == '[' {
			var elem reflect.Type
			if t != nil && t.Kind() == reflect.Slice {
				elem = t.Elem()
			}
			for dec.More() {
				if err := walk(path+"[]", elem); err != nil {
					return err
				}
			}
			_, err := dec.Token()
			return err
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key := tok.(string)
			at := KeyPath(path, key)
			if seen[key] {
				errs = append(errs, fmt.Errorf("config: %s is given twice (the second would replace the first: merge them)", at))
			}
			seen[key] = true
			var next reflect.Type
			switch {
			case t == nil:
			case t.Kind() == reflect.Map:
				next = t.Elem()
			case t.Kind() == reflect.Struct:
				f, ok := fieldByJSON(t, key)
				if !ok {
					errs = append(errs, fmt.Errorf("config: unknown key %s (known here: %s)", at, strings.Join(jsonKeys(t), ", ")))
				}
				next = f
			}
			if next != nil && next.Kind() == reflect.Interface || next == reflect.TypeOf(json.RawMessage{}) {
				next = nil // any value; checked where it is used
			}
			if err := walk(at, next); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	if err := walk("", reflect.TypeOf(Config{})); err != nil && !errors.Is(err, io.EOF) {
		return append(errs, fmt.Errorf("config: %w", err))
	}
	return errs
}

// KeyPath adds key to a dotted config path ("layers.roads" and "colums"
// make "layers.roads.colums"). A key that would not read as one segment
// (empty, or holding a dot, a colon, a quote, a space or a control) is
// quoted, so the path still points at it, stays on one line and ends
// before the ": " of a message.
func KeyPath(path, key string) string {
	odd := func(r rune) bool {
		return r == '.' || r == ':' || r == '"' || r == '\\' || r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r)
	}
	if key == "" || strings.IndexFunc(key, odd) >= 0 {
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldByJSON(t reflect.Type, key string) (reflect.Type, bool) {
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name == key {
			return t.Field(i).Type, true
		}
	}
	return nil, false
}

func jsonKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
