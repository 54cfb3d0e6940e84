package scenario_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/scenario"
)

func TestFromProposalsTakesTheYearsBatch(t *testing.T) {
	cat := newCatalog(t)
	base := fixture.Sample(t)
	for _, tc := range []struct {
		query   string
		changes int
		err     string
	}{
		{"analysis=hydrants", 20, ""},
		{"analysis=hydrants&count=5", 5, ""},
		{"analysis=hydrants&count=0", 0, "not the whole plan"},
		{"analysis=stations&k=2", 2, ""},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			sc, g, err := scenario.FromProposals(context.Background(), cat, base, q)
			if tc.err != "" {
				var pe *coverage.ParamError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want a parameter error saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.Changes) != tc.changes || g.Sites != tc.changes {
				t.Errorf("%d changes, %d sites, want %d", len(sc.Changes), g.Sites, tc.changes)
			}
		})
	}
}
