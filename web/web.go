// Package web serves fireplan's map: a page using MapLibre GL JS (vendored
// from the npm registry, embedded with go:embed) over fireplan's own vector
// tiles, so it works on networks without internet.
package web

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
)

//go:embed index.html app.js layers.js style.css print.html print.js print.css district.html district.js vendor
var files embed.FS

func init() {
	// Module scripts must be served as JavaScript.
	mime.AddExtensionType(".mjs", "text/javascript")
}

// Handler serves the page at /, the print view at /print and their files
// under /web/.
func Handler() http.Handler {
	sub, _ := fs.Sub(files, ".")
	fileServer := http.StripPrefix("/web/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" || r.URL.Path == "/index.html" {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, files, "index.html")
			return
		}
		if r.URL.Path == "/print" {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, files, "print.html")
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})
}
