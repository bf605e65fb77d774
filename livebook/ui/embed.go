// Package ui holds the notebook server's browser UI, built and embedded so that
// `go install` needs no npm.
//
// The TypeScript sources live in src/ beside this file; `make ui` (npm ci, tsc
// --noEmit, node build.mjs) bundles them with esbuild into dist/, which is
// committed and embedded here:
//
//	dist/index.html            the page; it loads the two assets below
//	dist/assets/main-HASH.js   the application
//	dist/assets/chunk-HASH.js  code main loads on demand: Vega, Vega-Lite and
//	                           vega-embed, when a notebook first shows a chart
//	dist/assets/style-HASH.css the styles
//	dist/assets/licenses.txt   licenses of the bundled npm packages
//	dist/manifest.json         the SHA-256 of the sources dist/ was built from
//
// Asset names carry a hash of their content, so servers may let browsers cache
// them for good. The tests fail when dist/ is missing or was built from other
// sources than those in src/: run `make ui` after changing them.
package ui

import (
	"embed"
	"io/fs"
)

// FS holds the built UI under "dist/": dist/index.html and dist/assets/.
//
//go:embed dist
var FS embed.FS

// Dist returns the built UI with dist/ as its root: "index.html" and
// "assets/...".
func Dist() fs.FS {
	sub, err := fs.Sub(FS, "dist")
	if err != nil { // cannot happen: "dist" is a valid path
		panic(err)
	}
	return sub
}
