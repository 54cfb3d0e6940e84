package api

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
)

// Access says who may do what. Reads are open by default (planning data,
// mostly on a closed network); with a token every write (scenarios,
// reloads) needs it as a bearer token, and with ReadToken set reads do
// too. CORS is off unless origins are given.
type Access struct {
	Token       string   // needed for writes when set
	ReadToken   bool     // reads need Token too
	CORSOrigins []string // origins a browser page may call from; "*" any
}

// write tells whether a request changes anything.
func write(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
}

// guard answers a preflight, refuses a request without the token it needs
// (401, JSON, with WWW-Authenticate) and passes the rest to next.
func (a Access) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && a.allowed(origin) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Add("Vary", "Origin")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE")
				w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match")
				w.Header().Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			// A page may read only the safelisted response headers unless
			// told it may read more: these are the ones the API sets for it.
			w.Header().Set("Access-Control-Expose-Headers", exposed)
		}
		// The health check stays open for load balancers and monitors.
		needs := a.Token != "" && (write(r) || a.ReadToken && r.URL.Path != "/healthz")
		if needs && !a.bearer(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fireplan"`)
			what := "a write"
			if !write(r) {
				what = "a read"
			}
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": what + " needs the server's token: Authorization: Bearer TOKEN", "status": http.StatusUnauthorized})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// exposed are the response headers a page from an allowed origin may read:
// the ETag to revalidate with, Retry-After of a 503, the file name of a
// download and where a new scenario lives.
const exposed = "ETag, Retry-After, Content-Disposition, Location"

func (a Access) allowed(origin string) bool {
	return slices.Contains(a.CORSOrigins, "*") || slices.Contains(a.CORSOrigins, origin)
}

// bearer tells whether the request carries the token, compared in
// constant time. The scheme is case-insensitive (RFC 7235: "bearer" is
// "Bearer").
func (a Access) bearer(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return ok && strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(a.Token)) == 1
}
