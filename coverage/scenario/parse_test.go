package scenario_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"fireplan/coverage/scenario"
)

func TestParseRejectsBadBodiesNamingChangeAndField(t *testing.T) {
	many := `{"changes":[` + strings.Repeat(`{"layer":"hydrants","op":"remove","id":"h"},`, scenario.MaxChanges) +
		`{"layer":"hydrants","op":"remove","id":"h"}]}`
	for _, tc := range []struct {
		name, body string
		index      int
		field      string
	}{
		{"malformed JSON", `{"changes": [`, -1, ""},
		{"a bare list of changes", `[{"layer": "stations", "op": "remove", "id": "s"}]`, -1, ""},
		{"changes an object", `{"changes": {"layer": "stations"}}`, -1, "changes"},
		{"not an object", `[1]`, -1, ""},
		{"trailing value", `{"changes":[{"layer":"hydrants","op":"remove","id":"h"}]} {}`, -1, ""},
		{"unknown top field", `{"nme":"x","changes":[]}`, -1, "nme"},
		{"no changes", `{"name":"x"}`, -1, "changes"},
		{"too many changes", many, scenario.MaxChanges, "changes"},
		{"body over 1 MiB", `{"name":"` + strings.Repeat("x", scenario.MaxBytes) + `"}`, -1, ""},
		{"change not an object", `{"changes":["x"]}`, 0, ""},
		{"unknown layer", `{"changes":[{"layer":"buildings","op":"add","id":"b"}]}`, 0, "layer"},
		{"unknown op", `{"changes":[{"layer":"stations","op":"move","id":"s"}]}`, 0, "op"},
		{"roads add", `{"changes":[{"layer":"roads","op":"add","id":"r"}]}`, 0, "op"},
		{"no id", `{"changes":[{"layer":"stations","op":"remove"}]}`, 0, "id"},
		{"empty id", `{"changes":[{"layer":"stations","op":"remove","id":""}]}`, 0, "id"},
		{"number id", `{"changes":[{"layer":"stations","op":"remove","id":7}]}`, 0, "id"},
		{"unknown field", `{"changes":[{"layer":"hydrants","op":"remove","id":"h"},{"layer":"stations","op":"set","id":"s","colour":"red"}]}`, 1, "colour"},
		{"hydrant class", `{"changes":[{"layer":"hydrants","op":"set","id":"h","class":"micro"}]}`, 0, "class"},
		{"add without class", `{"changes":[{"layer":"stations","op":"add","id":"n","lon":111,"lat":27}]}`, 0, "class"},
		{"add without lon", `{"changes":[{"layer":"hydrants","op":"add","id":"n","lat":27}]}`, 0, "lon"},
		{"lat without lon", `{"changes":[{"layer":"stations","op":"set","id":"s","lat":27}]}`, 0, "lon"},
		{"lon out of range", `{"changes":[{"layer":"stations","op":"set","id":"s","lon":181,"lat":27}]}`, 0, "lon"},
		{"lat a string", `{"changes":[{"layer":"stations","op":"set","id":"s","lon":111,"lat":"27"}]}`, 0, "lat"},
		{"bad class", `{"changes":[{"layer":"stations","op":"add","id":"n","lon":111,"lat":27,"class":"huge"}]}`, 0, "class"},
		{"bad station status", `{"changes":[{"layer":"stations","op":"set","id":"s","status":"broken"}]}`, 0, "status"},
		{"bad hydrant kind", `{"changes":[{"layer":"hydrants","op":"set","id":"h","kind":"well"}]}`, 0, "kind"},
		{"negative turnout", `{"changes":[{"layer":"stations","op":"set","id":"s","turnout_s":-1}]}`, 0, "turnout_s"},
		{"flow a bool", `{"changes":[{"layer":"hydrants","op":"set","id":"h","flow_lps":true}]}`, 0, "flow_lps"},
		{"set nothing", `{"changes":[{"layer":"stations","op":"set","id":"s"}]}`, 0, ""},
		{"road without passable", `{"changes":[{"layer":"roads","op":"set","id":"r"}]}`, 0, "passable"},
		{"passable a string", `{"changes":[{"layer":"roads","op":"set","id":"r","passable":"no"}]}`, 0, "passable"},
		{"duplicate id", `{"changes":[{"layer":"hydrants","op":"add","id":"n","lon":111,"lat":27},{"layer":"hydrants","op":"remove","id":"h"},` +
			`{"layer":"hydrants","op":"add","id":"n","lon":111.1,"lat":27}]}`, 2, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenario.Parse(strings.NewReader(tc.body))
			var ce *scenario.ChangeError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, %v; want a ChangeError", sc, err)
			}
			if ce.Index != tc.index || ce.Field != tc.field {
				t.Errorf("%v: change %d field %q, want change %d field %q", ce, ce.Index, ce.Field, tc.index, tc.field)
			}
		})
	}
}

func TestParseFillsDefaultsAndNamesByChanges(t *testing.T) {
	a, err := scenario.Parse(strings.NewReader(`{"name":"a","changes":[{"layer":"stations","op":"add","id":"n","class":"micro","lon":111.5,"lat":27.2},
		{"layer":"hydrants","op":"add","id":"h","lat":27.2,"lon":111.5}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// The same changes, defaults spelt out, numbers written otherwise, fields reordered.
	b, err := scenario.Parse(strings.NewReader(`{"name":"b","changes":[{"id":"n","op":"add","layer":"stations","status":"active","class":"micro","lon":1.115e2,"lat":27.20},
		{"layer":"hydrants","op":"add","id":"h","lat":27.2,"lon":111.5,"kind":"municipal","status":"working"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID || len(a.ID) != 12 {
		t.Errorf("ids %q and %q: want one 12-digit id", a.ID, b.ID)
	}
	if got := *a.Changes[0].Status + " " + *a.Changes[1].Kind + " " + *a.Changes[1].Status; got != "active municipal working" {
		t.Errorf("defaults %q", got)
	}
	c, _ := scenario.Parse(strings.NewReader(`{"changes":[{"layer":"stations","op":"add","id":"n","class":"micro","lon":111.5,"lat":27.3}]}`))
	if c.ID == a.ID {
		t.Error("other changes, same id")
	}
}

func ExampleParse() {
	sc, err := scenario.Parse(strings.NewReader(`{"name": "new brigade, bridge shut", "changes": [
		{"layer": "stations", "op": "add", "id": "new-1", "class": "township_fulltime", "lon": 111.5, "lat": 27.2},
		{"layer": "roads", "op": "set", "id": "r-12", "passable": false}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc.Name, len(sc.Changes), *sc.Changes[0].Status)
	// Output: new brigade, bridge shut 2 active
}
