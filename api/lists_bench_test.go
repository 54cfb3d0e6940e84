package api

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkListFormats writes the arrival of every building of the sample
// county (one row each) in each format, the table computed once: what an
// analyst's download costs beyond the analysis.
func BenchmarkListFormats(b *testing.B) {
	srv := testServer(b)
	for _, q := range []string{"format=geojson", "format=csv", "format=xlsx", "format=xlsx&by=township"} {
		b.Run(q, func(b *testing.B) {
			path := srv.URL + "/api/coverage/buildings?" + q
			var n int64
			for i := 0; i < b.N; i++ {
				resp, err := http.Get(path)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %v %v", q, resp.Status, err)
				}
				n, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			b.ReportMetric(float64(n)/1e6, "MB")
			b.ReportMetric(float64(sampleSnap.Buildings.Len())*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
